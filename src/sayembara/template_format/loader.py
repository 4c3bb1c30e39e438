"""Loading templates: from YAML text, files, built-in names or form data.

Every entry point validates the whole template and raises
:class:`~sayembara.template_format.errors.TemplateError` listing every problem, each with its
line (for text), field path and a sentence saying how to fix it.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path as FilePath
from typing import Any, cast

import yaml
from django.utils.translation import gettext as _

from .checks import check
from .errors import Path, Problem, TemplateError, format_path
from .model import Template, Timeline
from .schema import Reader

BUILTIN_DIR = FilePath(__file__).resolve().parent / "builtin"

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class BuiltinTemplate:
    """A template shipped with Sayembara: its name (for ``load_template``) and title."""

    name: str
    title: str
    path: FilePath


def list_builtin() -> list[BuiltinTemplate]:
    """The built-in templates, sorted by name."""
    found = []
    for path in sorted(BUILTIN_DIR.glob("*.yaml")):
        template = load_template(path)
        found.append(BuiltinTemplate(name=template.name, title=template.title, path=path))
    return found


def builtin_names() -> list[str]:
    return sorted(path.stem for path in BUILTIN_DIR.glob("*.yaml"))


def builtin_title(name: str) -> str:
    """The title of the built-in template ``name`` ("Mangupura Award 2024"); empty when no
    built-in template has that name (a template uploaded as a file)."""
    if name not in builtin_names():
        return ""
    return load_template(name).title


def load_template(name_or_path: str | os.PathLike[str]) -> Template:
    """A built-in template by name (``mangupura-2024``) or a template file by path."""
    text_name = os.fspath(name_or_path)
    builtin = BUILTIN_DIR / f"{text_name}.yaml"
    if os.sep not in text_name and "." not in text_name and builtin.is_file():
        path = builtin
    else:
        path = FilePath(text_name)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateError(
            [
                Problem(
                    line=None,
                    path="",
                    message=_(
                        'There is no built-in template named "%(name)s" and no file at that '
                        "path; give a file path or one of the built-in names: %(names)s."
                    )
                    % {"name": text_name, "names": ", ".join(builtin_names())},
                )
            ],
            source=text_name,
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise TemplateError(
            [
                Problem(
                    line=None,
                    path="",
                    message=_(
                        "The file cannot be read as UTF-8 text (%(error)s); save it as UTF-8 "
                        "and check that it is readable."
                    )
                    % {"error": error},
                )
            ],
            source=text_name,
        ) from None
    return parse_template(text, source=str(path))


def parse_template(text: str, *, source: str = "<string>") -> Template:
    """Validate YAML text into a :class:`Template`; problems name their line."""
    data, lines, problems = yaml_to_data(text)
    if problems:
        raise TemplateError(problems, source=source)
    return _validate(data, lines, source)


def validate_data(data: dict[str, Any], *, source: str = "<data>") -> Template:
    """Validate plain data (e.g. edited in a form, or ``Template.to_data()``).

    Numbers may be int, float, Decimal or numeric text; dates and datetimes may be
    ``date``/``datetime`` objects or ISO text, so data stored as JSON validates too. Problems
    carry the field path and no line.
    """
    return _validate(data, {}, source)


# Stand-ins for required top-level fields that are missing or refused, so that the rest of
# the template is still checked; those fields' own problems are already recorded.
_PLACEHOLDERS: dict[str, Any] = {
    "name": "template",
    "competition": "",
    "title": "",
    "organiser": "",
    "year": 0,
    "time_zone": "WIB",
    "institution_types": (),
    "categories": (),
    "stages": (),
    "timeline": Timeline(submission_deadline=dt.datetime(2000, 1, 1)),
}


def _validate(data: Any, lines: dict[Path, int], source: str) -> Template:
    reader = Reader(lines)
    template: Template | None = reader.read(Template, data, (), placeholders=_PLACEHOLDERS)
    if template is not None:
        check(template, reader, data)
    if reader.problems or template is None:
        raise TemplateError(reader.problems, source=source)
    return template


# --------------------------------------------------------------------------------------------
# YAML text -> plain data with a line number for every field path
# --------------------------------------------------------------------------------------------


#: No template nests deeper than this (the deepest built-in one nests 6 levels); YAML's
#: composer recurses once per level, so deeper text is refused before it is composed.
MAX_NESTING = 32


def _too_deep(text: str) -> Problem | None:
    """A problem at the first mapping or list nested deeper than :data:`MAX_NESTING`, read
    from YAML's event stream (which does not recurse), or None."""
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_NESTING:
                mark = event.start_mark
                return Problem(
                    line=mark.line + 1 if mark else None,
                    path="",
                    message=_(
                        "The YAML nests lists or mappings more than %(max)s levels deep here; "
                        "a template needs far fewer. Check the indentation and the brackets."
                    )
                    % {"max": MAX_NESTING},
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def yaml_to_data(text: str) -> tuple[Any, dict[Path, int], list[Problem]]:
    """Compose YAML text into plain data, the line of every path, and syntax problems.

    Scalars are typed by YAML's usual rules except that numbers with a fraction become
    ``Decimal`` read from their exact text (never binary floats), dates that do not exist stay
    text (so the validator can say which), and a key written twice in one mapping is a
    problem rather than silently overwritten.
    """
    problems: list[Problem] = []
    lines: dict[Path, int] = {}
    try:
        too_deep = _too_deep(text)
        if too_deep is not None:
            problems.append(too_deep)
            return None, lines, problems
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        problems.append(
            Problem(
                line=mark.line + 1 if mark else None,
                path="",
                message=_(
                    "This is not valid YAML: %(problem)s (column %(column)s); check the "
                    "indentation, colons and quotes around that place, and quote text that "
                    "contains a colon, a comma or a question mark."
                )
                % {
                    "problem": error.problem or error.context,
                    "column": mark.column + 1 if mark else "?",
                },
            )
        )
        return None, lines, problems
    except yaml.YAMLError as error:
        problems.append(
            Problem(
                line=None,
                path="",
                message=_("This is not valid YAML (%(error)s).") % {"error": error},
            )
        )
        return None, lines, problems
    if node is None:
        problems.append(
            Problem(
                line=1,
                path="",
                message=_(
                    "The template is empty; write its keys (name, title, organiser, year, ...), "
                    "see docs/templates.md."
                ),
            )
        )
        return None, lines, problems
    converter = _Converter(lines, problems)
    try:
        data = converter.convert(node, ())
    except _TooLarge:
        problems.append(
            Problem(
                line=None,
                path="",
                message=_(
                    "The template expands to more than %(limit)s values (aliases included), far "
                    "more than any competition needs; write it out without repeated aliases."
                )
                % {"limit": MAX_VALUES},
            )
        )
        return None, lines, problems
    lines[()] = node.start_mark.line + 1
    return data, lines, problems


#: The most values (mappings, lists and scalars, aliases expanded) a template may hold; the
#: largest built-in template holds fewer than 400. Guards against alias "bombs" in uploads.
MAX_VALUES = 50_000


class _TooLarge(Exception):
    pass


class _Converter:
    """Turns composed YAML nodes into plain data, recording the line of every path."""

    def __init__(self, lines: dict[Path, int], problems: list[Problem]) -> None:
        self.lines = lines
        self.problems = problems
        self.constructor = yaml.constructor.SafeConstructor()
        self.remaining = MAX_VALUES

    def convert(self, node: yaml.Node, path: Path) -> Any:
        self.remaining -= 1
        if self.remaining < 0:
            raise _TooLarge
        self.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index)) for index, item in enumerate(node.value)]
        return _scalar(cast(yaml.ScalarNode, node), self.constructor)

    def _mapping(self, node: yaml.MappingNode, path: Path) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                self.problems.append(
                    Problem(
                        line=key_line,
                        path=format_path(path),
                        message=_("A key must be a plain word, not a list or a mapping."),
                    )
                )
                continue
            key = key_node.value
            child = (*path, key)
            if key in out:
                self.problems.append(
                    Problem(
                        line=key_line,
                        path=format_path(child),
                        message=_(
                            'The key "%(key)s" appears twice in the same mapping (first at line '
                            "%(line)s); keep only one."
                        )
                        % {"key": key, "line": self.lines[child]},
                    )
                )
                continue
            self.lines[child] = key_line
            out[key] = self.convert(value_node, child)
        return out


def _scalar(node: yaml.ScalarNode, constructor: yaml.constructor.SafeConstructor) -> Any:
    tag = node.tag
    if tag == _FLOAT:
        try:
            number = Decimal(node.value.replace("_", ""))
        except InvalidOperation:
            return node.value
        return number if number.is_finite() else node.value
    try:
        if tag == _INT:
            return constructor.construct_yaml_int(node)
        if tag == _BOOL:
            return constructor.construct_yaml_bool(node)
        if tag == _NULL:
            return None
        if tag == _TIMESTAMP:
            return constructor.construct_yaml_timestamp(node)
    except ValueError:  # e.g. 2024-02-30: keep the text so the validator can name it
        return node.value
    return node.value
