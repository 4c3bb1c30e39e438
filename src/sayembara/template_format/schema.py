"""Reading plain data into the template model, field by field, collecting every problem.

The model's dataclasses are the schema: each field's type (``str``, ``int``, ``bool``,
``Decimal``, ``date``, ``datetime``, a ``Literal`` of choices, an optional value, a tuple of
values or a nested dataclass) and its metadata (``slug``, ``min``, ``max``, ``nonempty``,
``mapping``; see :mod:`sayembara.template_format.model`) say what the YAML must hold. This
module knows nothing about particular template fields; cross-field rules live in
:mod:`sayembara.template_format.checks`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

from django.utils.translation import gettext as _

from .errors import Path, Problem, format_path
from .model import SLUG_RE

_MISSING = object()


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def describe(value: Any) -> str:
    """A short phrase naming what a value is, for messages (``the number 5``, ``a list``)."""
    if value is None:
        return _("empty")
    if isinstance(value, bool):
        return _("the value %(value)s") % {"value": "true" if value else "false"}
    if isinstance(value, int | Decimal | float):
        return _("the number %(value)s") % {"value": value}
    if isinstance(value, dt.datetime | dt.date):
        return _("the date %(value)s") % {"value": value.isoformat()}
    if isinstance(value, str):
        return _('the text "%(value)s"') % {"value": value}
    if isinstance(value, list | tuple):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


def suggest(word: str, choices: typing.Iterable[str]) -> str | None:
    """The closest of ``choices`` to ``word``, when one is close enough."""
    found = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def example_slug(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = "x-" + slug if slug else "example"
    return slug


def where(path: Path) -> str:
    return format_path(path) or _("the template")


class Reader:
    """Reads data into model objects, recording problems with their field path and line.

    ``lines`` maps field paths to 1-based line numbers (from the YAML nodes); a path missing
    from it takes the line of its closest ancestor. After reading, ``paths`` maps
    ``id(obj)`` of every object built to its path, and ``failed`` lists the paths of items
    that could not be built and of fields whose value was refused (their own problems are
    already recorded), so cross-field checks can skip what they would misjudge.
    """

    def __init__(self, lines: dict[Path, int] | None = None) -> None:
        self.lines = lines or {}
        self.problems: list[Problem] = []
        self.paths: dict[int, Path] = {}
        self.failed: list[Path] = []

    # -- problems --------------------------------------------------------------------------

    def line_for(self, path: Path) -> int | None:
        probe = tuple(path)
        while True:
            if probe in self.lines:
                return self.lines[probe]
            if not probe:
                return None
            probe = probe[:-1]

    def add(self, path: Path, message: str, *, line_path: Path | None = None) -> None:
        line = self.line_for(path if line_path is None else line_path)
        self.problems.append(Problem(line=line, path=format_path(path), message=message))

    def path_of(self, obj: Any) -> Path:
        """The path an object was read from; () for defaults that were not written."""
        return self.paths.get(id(obj), ())

    def failed_under(self, path: Path) -> bool:
        """True when some item or field at or under ``path`` was refused."""
        size = len(path)
        return any(failed[:size] == tuple(path) for failed in self.failed)

    # -- reading ---------------------------------------------------------------------------

    def read(
        self, cls: type, data: Any, path: Path, placeholders: dict[str, Any] | None = None
    ) -> Any:
        """Build ``cls`` from a mapping; None (with problems recorded) when impossible.

        ``placeholders`` stand in for required fields that are missing or refused, so that
        the object can still be built and checked further (the fields are in ``failed``).
        """
        if not isinstance(data, dict):
            if path:
                message = _("%(where)s must be a mapping of keys to values, but it is %(found)s.")
            else:
                message = _(
                    "The template must be a mapping of keys to values (name: ..., title: ...), "
                    "but it is %(found)s."
                )
            self.add(path, message % {"where": where(path), "found": describe(data)})
            self.failed.append(tuple(path))
            return None
        fields = {f.name: f for f in dataclasses.fields(cls)}
        for key in data:
            if key not in fields:
                self._unknown_key(key, fields, path)
        values: dict[str, Any] = {}
        complete = True
        for name, f in fields.items():
            field_path = (*path, name)
            if name in data:
                value = self._convert(type_hints(cls)[name], f, data[name], field_path)
            elif _has_default(f):
                continue
            else:
                self.add(
                    field_path,
                    _('The required key "%(key)s" is missing from %(where)s (%(doc)s). Add it.')
                    % {"key": name, "where": where(path), "doc": _doc(f)},
                    line_path=path,
                )
                value = _MISSING
            if value is not _MISSING:
                values[name] = value
                continue
            self.failed.append(field_path)
            if placeholders and name in placeholders:
                values[name] = placeholders[name]
            elif not _has_default(f):
                complete = False
        if not complete:
            self.failed.append(tuple(path))
            return None
        obj = cls(**values)
        self.paths[id(obj)] = tuple(path)
        return obj

    def _unknown_key(self, key: Any, fields: dict[str, Any], path: Path) -> None:
        key_path = (*path, str(key))
        close = suggest(str(key), fields)
        if close:
            message = _(
                'The key "%(key)s" is not allowed in %(where)s. Did you mean "%(suggestion)s"?'
            ) % {"key": key, "where": where(path), "suggestion": close}
        else:
            message = _(
                'The key "%(key)s" is not allowed in %(where)s; the allowed keys are %(allowed)s.'
            ) % {"key": key, "where": where(path), "allowed": ", ".join(fields)}
        self.add(key_path, message)

    def _convert(self, hint: Any, f: Any, value: Any, path: Path) -> Any:
        """Convert one value to ``hint``; _MISSING (with a problem recorded) when invalid."""
        origin = typing.get_origin(hint)
        args = typing.get_args(hint)
        if origin in (types.UnionType, typing.Union):
            inner = [arg for arg in args if arg is not type(None)]
            if value is None:
                return None
            return self._convert(inner[0], f, value, path)
        if origin is Literal:
            return self._choice(args, value, path)
        if origin is tuple:
            return self._tuple(args[0], f, value, path)
        if dataclasses.is_dataclass(hint):
            obj = self.read(cast(type, hint), value, path)
            return _MISSING if obj is None else obj
        converter = {
            str: self._text,
            int: self._int,
            Decimal: self._decimal,
            bool: self._bool,
            dt.date: self._date,
            dt.datetime: self._datetime,
        }[hint]
        return converter(f, value, path)

    def _fail(self, path: Path, message: str) -> Any:
        self.add(path, message)
        return _MISSING

    def _text(self, f: Any, value: Any, path: Path) -> Any:
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal | dt.date):
            return self._fail(
                path,
                _("%(path)s must be text, but it is %(found)s.")
                % {"path": format_path(path), "found": describe(value)},
            )
        text = value.isoformat() if isinstance(value, dt.date) else str(value)
        if f.metadata.get("slug") and not SLUG_RE.match(text):
            return self._fail(
                path,
                _(
                    '%(path)s is "%(value)s", which is not a valid id; use lower-case letters, '
                    'digits, "-" and "_", starting with a letter, for example "%(example)s".'
                )
                % {"path": format_path(path), "value": text, "example": example_slug(text)},
            )
        if not text.strip() and not _has_default(f):
            return self._fail(
                path,
                _("%(path)s is empty; give it a value (%(doc)s).")
                % {"path": format_path(path), "doc": _doc(f)},
            )
        return text

    def _choice(self, choices: tuple[str, ...], value: Any, path: Path) -> Any:
        if isinstance(value, str) and value in choices:
            return value
        quoted = ", ".join(f'"{choice}"' for choice in choices)
        close = suggest(str(value), choices) if isinstance(value, str) else None
        if close:
            message = _(
                '%(path)s is %(found)s, which is not one of %(choices)s. Did you mean "%(s)s"?'
            ) % {"path": format_path(path), "found": describe(value), "choices": quoted, "s": close}
        else:
            message = _("%(path)s is %(found)s, which is not one of %(choices)s.") % {
                "path": format_path(path),
                "found": describe(value),
                "choices": quoted,
            }
        return self._fail(path, message)

    def _bounds(self, f: Any, value: Any, path: Path) -> Any:
        low, high = f.metadata.get("min"), f.metadata.get("max")
        if low is not None and value < low:
            return self._fail(
                path,
                _("%(path)s is %(value)s, but it must be at least %(min)s.")
                % {"path": format_path(path), "value": value, "min": low},
            )
        if high is not None and value > high:
            return self._fail(
                path,
                _("%(path)s is %(value)s, but it must be at most %(max)s.")
                % {"path": format_path(path), "value": value, "max": high},
            )
        return value

    def _int(self, f: Any, value: Any, path: Path) -> Any:
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, Decimal) and value.is_finite() and value == int(value):
            number = int(value)
        elif isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
            number = int(value)
        if number is None:
            return self._fail(
                path,
                _("%(path)s must be a whole number, but it is %(found)s.")
                % {"path": format_path(path), "found": describe(value)},
            )
        return self._bounds(f, number, path)

    def _decimal(self, f: Any, value: Any, path: Path) -> Any:
        number: Decimal | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | Decimal):
            number = Decimal(value)
        elif isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, str):
            try:
                number = Decimal(value.strip().replace("_", ""))
            except InvalidOperation:
                number = None
        if number is None or not number.is_finite():
            return self._fail(
                path,
                _("%(path)s must be a number, but it is %(found)s.")
                % {"path": format_path(path), "found": describe(value)},
            )
        return self._bounds(f, number, path)

    def _bool(self, f: Any, value: Any, path: Path) -> Any:
        if isinstance(value, bool):
            return value
        return self._fail(
            path,
            _("%(path)s must be true or false, but it is %(found)s.")
            % {"path": format_path(path), "found": describe(value)},
        )

    def _date(self, f: Any, value: Any, path: Path) -> Any:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        return self._fail(
            path,
            _(
                "%(path)s is %(found)s, which is not a valid date; write a real date as "
                "YYYY-MM-DD, for example 2024-05-31."
            )
            % {"path": format_path(path), "found": describe(value)},
        )

    def _datetime(self, f: Any, value: Any, path: Path) -> Any:
        moment: dt.datetime | None = None
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, str):
            try:
                moment = dt.datetime.fromisoformat(value.strip())
            except ValueError:
                moment = None
        if moment is None:
            return self._fail(
                path,
                _(
                    "%(path)s is %(found)s, which is not a valid date and time; write it as "
                    "YYYY-MM-DD HH:MM, for example 2024-05-31 23:59."
                )
                % {"path": format_path(path), "found": describe(value)},
            )
        if moment.tzinfo is not None:
            return self._fail(
                path,
                _(
                    "%(path)s has a UTC offset; write the local time without an offset, "
                    "because the template's time_zone applies to every time."
                )
                % {"path": format_path(path)},
            )
        return moment

    def _tuple(self, item_hint: Any, f: Any, value: Any, path: Path) -> Any:
        if f.metadata.get("mapping"):
            return self._pairs(item_hint, value, path)
        if not isinstance(value, list):
            return self._fail(
                path,
                _(
                    '%(path)s must be a list (one item per line starting with "- "), but it is '
                    "%(found)s."
                )
                % {"path": format_path(path), "found": describe(value)},
            )
        if not value and f.metadata.get("nonempty"):
            return self._fail(
                path,
                _("%(path)s is empty; it needs at least one item (%(doc)s).")
                % {"path": format_path(path), "doc": _doc(f)},
            )
        items = []
        for index, item in enumerate(value):
            converted = self._convert(item_hint, f, item, (*path, index))
            if converted is not _MISSING:
                items.append(converted)
        return tuple(items)

    def _pairs(self, pair_cls: type, value: Any, path: Path) -> Any:
        key_field, value_field = dataclasses.fields(pair_cls)
        if not isinstance(value, dict):
            return self._fail(
                path,
                _("%(path)s must be a mapping of %(key)s to %(value)s, but it is %(found)s.")
                % {
                    "path": format_path(path),
                    "key": key_field.name,
                    "value": value_field.name,
                    "found": describe(value),
                },
            )
        items = []
        for key, item in value.items():
            obj = self.read(
                pair_cls, {key_field.name: key, value_field.name: item}, (*path, str(key))
            )
            if obj is not None:
                items.append(obj)
        return tuple(items)


def _has_default(f: Any) -> bool:
    return f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING


def _doc(f: Any) -> str:
    return str(f.metadata.get("doc", f.name)).rstrip(".")
