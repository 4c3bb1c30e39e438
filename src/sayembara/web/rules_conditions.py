"""The disagreement rule of a stage as a tree of conditions that an organiser edits in a form.

A condition is either one comparison (a measure of the judges' totals, a comparison and a
value) or a group whose conditions must all hold (and) or of which one must hold (or);
groups nest, as the template format allows. The tree travels in the form as plain fields
named by each node's position: ``c`` is the root, ``c-0`` its first condition, ``c-0-1`` the
second condition inside that one. Adding or removing a condition or a group is a submit
button (``change``) that sends the whole form back; the server changes the tree and shows the
page again with everything typed kept, so it works without any script.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from sayembara.template_format import model as tm

#: a tree deeper or larger than this is refused (a real rule has two or three levels)
MAX_DEPTH = 5
MAX_NODES = 60
COMBINES = ("all", "any")
COMPARISONS = tm.COMPARISONS
MEASURE_NAMES = ("spread", "lowest", "highest", "mean")


@dataclass
class Node:
    """One condition of the tree, holding what was typed (strings) and its problems."""

    kind: str  # "group" or "compare"
    combine: str = "all"
    measure: str = "spread"
    comparison: str = "at_least"
    value: str = ""
    children: list[Node] = field(default_factory=list)
    key: str = "c"
    #: problems by field ("combine", "measure", "comparison", "value"; "" for the node)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def is_group(self) -> bool:
        return self.kind == "group"

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def depth(self) -> int:
        return self.key.count("-")

    @property
    def node_errors(self) -> list[str]:
        return self.errors.get("", [])

    @property
    def value_errors(self) -> list[str]:
        return self.errors.get("value", [])

    @property
    def measure_errors(self) -> list[str]:
        return self.errors.get("measure", [])

    @property
    def can_nest(self) -> bool:
        return self.depth < MAX_DEPTH - 1


def _number(value: Any) -> str:
    """A value as the form shows it: ``200``, ``57.5`` (never ``2E+2``)."""
    return format(Decimal(str(value)), "f")


def tree_from_data(when: Any) -> Node | None:
    """The tree of a rule's ``when`` (None when the rule has no conditions)."""
    if not isinstance(when, dict) or not when:
        return None
    root = _node_from_data(when)
    renumber(root)
    return root


def _node_from_data(data: dict[str, Any]) -> Node:
    for combine in COMBINES:
        if data.get(combine):
            return Node(kind="group", combine=combine,
                        children=[_node_from_data(c) for c in data[combine]
                                  if isinstance(c, dict)])
    comparison = next((name for name in COMPARISONS if data.get(name) is not None), "at_least")
    value = data.get(comparison)
    return Node(kind="compare", measure=str(data.get("measure") or "spread"),
                comparison=comparison, value="" if value is None else _number(value))


def tree_from_post(data: Any, key: str = "c", depth: int = 0) -> Node | None:
    """The tree as the form sent it (None when the form has no conditions)."""
    kind = data.get(f"{key}-type")
    if kind not in ("group", "compare") or depth >= MAX_DEPTH:
        return None
    node = Node(kind=kind, key=key)
    if kind == "group":
        combine = data.get(f"{key}-combine")
        node.combine = combine if combine in COMBINES else "all"
        # children are the consecutive positions that were sent
        for index in range(MAX_NODES):
            child = tree_from_post(data, f"{key}-{index}", depth + 1)
            if child is None:
                if f"{key}-{index}-type" not in data:
                    break
                continue
            node.children.append(child)
    else:
        node.measure = str(data.get(f"{key}-measure") or "")
        node.comparison = str(data.get(f"{key}-comparison") or "")
        node.value = str(data.get(f"{key}-value") or "").strip()
    return node


def renumber(root: Node, key: str = "c") -> None:
    """Give every node the key of its position (after a change moved things)."""
    root.key = key
    for index, child in enumerate(root.children):
        renumber(child, f"{key}-{index}")


def find(root: Node | None, key: str) -> tuple[Node | None, Node | None]:
    """The node with ``key`` and its parent group."""
    if root is None:
        return None, None
    if root.key == key:
        return root, None
    for node in root.walk():
        for child in node.children:
            if child.key == key:
                return child, node
    return None, None


CHANGE = re.compile(r"(add-compare|add-group|remove):(c(?:-\d{1,3}){0,8})")


def apply_change(root: Node | None, change: str) -> Node | None:
    """The tree after one press of "add a condition", "add a group" or "remove".

    Adding to a single comparison turns it into a list of two (and); a new group starts
    with one comparison. Removing the last condition of a group removes the group.
    """
    match = CHANGE.fullmatch(change or "")
    if match is None:
        return root
    action, key = match.groups()
    if action == "remove":
        node, parent = find(root, key)
        if node is None:
            return root
        if parent is None:
            return None
        parent.children.remove(node)
        while parent is not None and not parent.children:
            grand = find(root, parent.key)[1]
            if grand is None:
                root = None
                break
            grand.children.remove(parent)
            parent = grand
    else:
        fresh = (Node(kind="compare") if action == "add-compare"
                 else Node(kind="group", children=[Node(kind="compare")]))
        if root is None:
            # the first condition stands alone; a first group sits inside the list of
            # conditions, which is what the page's "judges disagree when" then combines
            root = fresh if action == "add-compare" else Node(kind="group", children=[fresh])
        else:
            node, parent = find(root, key)
            if node is None:
                return root
            if sum(1 for _n in root.walk()) >= MAX_NODES or (
                    action == "add-group" and not node.can_nest):
                return root
            if node.is_group:
                node.children.append(fresh)
            else:
                wrapped = Node(kind="group", children=[Node(**{
                    **node.__dict__, "children": [], "errors": {}}), fresh])
                if parent is None:
                    root = wrapped
                else:
                    parent.children[parent.children.index(node)] = wrapped
    if root is not None:
        renumber(root)
    return root


def clean(root: Node | None) -> dict[str, Any] | None:
    """The ``when`` data of the tree, or None without conditions.

    Problems of what was typed (a value that is not a number) are put on the nodes; the
    caller looks at :func:`has_errors` before saving.
    """
    if root is None:
        return None
    return _clean(root)


def _clean(node: Node) -> dict[str, Any]:
    if node.is_group:
        if not node.children:
            node.add_error("", _("This group has no conditions; add one or remove the group."))
        return {node.combine: [_clean(child) for child in node.children]}
    if node.measure not in MEASURE_NAMES:
        node.add_error("measure", _("Choose what is compared."))
    if node.comparison not in COMPARISONS:
        node.add_error("comparison", _("Choose a comparison."))
    text = node.value.replace(",", ".")
    value: Decimal | None = None
    if not text:
        node.add_error("value", _("Write the value the judges' totals are compared with, "
                                  "such as 200."))
    else:
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            node.add_error("value", _("Write a number, such as 200 or 57.5."))
            value = None
        elif value < 0:
            node.add_error("value", _("Write a number of 0 or more."))
    out: dict[str, Any] = {"measure": node.measure}
    if value is not None:
        out[node.comparison] = value
    return out


def has_errors(root: Node | None) -> bool:
    return root is not None and any(node.errors for node in root.walk())


def attach(root: Node | None, path: tuple[str | int, ...], message: str) -> bool:
    """Put a problem whose path is relative to ``when`` on its node; False when none."""
    if root is None:
        return False
    node = root
    rest = list(path)
    while len(rest) >= 2 and rest[0] in COMBINES and isinstance(rest[1], int):
        if not node.is_group or rest[1] >= len(node.children):
            break
        node = node.children[rest[1]]
        rest = rest[2:]
    name = ""
    if rest and rest[0] in COMPARISONS:
        name = "value"
    elif rest and rest[0] == "measure":
        name = "measure"
    node.add_error(name, message)
    return True
