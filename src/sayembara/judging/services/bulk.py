"""Writing thousands of result rows quickly.

A national edition stores one ``StageResult`` per entry and stage each time the engine
runs. The rows are given as columns (one list per field, as the engine's results are
built). On PostgreSQL each column is turned into ``COPY`` text in one pass and the rows
are streamed in one round trip, with no Python object per row; other databases use
``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection, models

#: Rows per ``COPY`` write (bounds the text held at once).
BATCH = 10_000


class JsonText(str):
    """A value already written as JSON text (stored as it is in a JSON field)."""


def insert_columns(model: type[models.Model], columns: Mapping[str, Sequence[Any]]) -> int:
    """Insert rows given column by column: for each named field, its value in every row
    (None, bool, int, str, Decimal or text of a decimal for decimal fields, aware datetime;
    for JSON fields a :class:`JsonText`, or a dict or list). Returns the number of rows."""
    fields = [model._meta.get_field(name) for name in columns]
    values = list(columns.values())
    n = len(values[0]) if values else 0
    if any(len(column) != n for column in values):
        raise ValueError("every column needs one value per row")
    if n == 0:
        return 0
    if connection.vendor != "postgresql":
        python = [_python_column(field, column) for field, column in zip(fields, values,
                                                                         strict=True)]
        attnames = [field.attname for field in fields]
        model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True)))
                                   for row in zip(*python, strict=True)], batch_size=1000)
        return n
    texts = [_copy_column(field, column) for field, column in zip(fields, values, strict=True)]
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for first in range(0, n, BATCH):
                part = [column[first:first + BATCH] for column in texts]
                copy.write("".join(["\t".join(row) + "\n" for row in zip(*part, strict=True)]))
    return n


def _python_column(field: models.Field, column: Sequence[Any]) -> list[Any]:
    if isinstance(field, models.JSONField):
        return [json.loads(v) if isinstance(v, JsonText) else v for v in column]
    if isinstance(field, models.DecimalField):
        return [Decimal(v) if isinstance(v, str) else v for v in column]
    return list(column)


def _escape(text: str) -> str:
    """A text as a field of ``COPY``'s text format."""
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        return (text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
                .replace("\r", "\\r"))
    return text


NULL = "\\N"


def _copy_column(field: models.Field, column: Sequence[Any]) -> list[str]:
    """Every value of one column as ``COPY`` text (``\\N`` for None)."""
    convert: Callable[[Any], str]
    if isinstance(field, models.JSONField):
        def convert(v: Any) -> str:
            return _escape(v if isinstance(v, JsonText) else json.dumps(v))
    elif isinstance(field, models.BooleanField):
        def convert(v: Any) -> str:
            return "t" if v else "f"
    elif isinstance(field, models.IntegerField | models.ForeignKey | models.DecimalField):
        convert = str
    elif isinstance(field, models.DateTimeField):
        seen: dict[datetime, str] = {}

        def convert(v: Any) -> str:
            text = seen.get(v)
            if text is None:
                text = seen[v] = v.isoformat()
            return text
    else:
        def convert(v: Any) -> str:
            return _escape(str(v))
    return [NULL if v is None else convert(v) for v in column]
