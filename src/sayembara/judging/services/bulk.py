"""Writing thousands of result rows quickly.

A national edition stores one ``StageResult`` per entry and stage each time the engine
runs. Building model instances and letting ``bulk_create`` compile tens of thousands of
parameters takes seconds; on PostgreSQL the rows are streamed through ``COPY`` in one
round trip instead. Other databases use ``bulk_create``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models


def insert_rows(model: type[models.Model], columns: Sequence[str],
                rows: Iterable[Sequence[Any]]) -> int:
    """Insert rows given as value tuples for the named fields (plain Python values: str,
    int, bool, Decimal, aware datetime, None; dicts and lists for JSON fields). Returns the
    number of rows written."""
    fields = [model._meta.get_field(name) for name in columns]
    is_json = [isinstance(field, models.JSONField) for field in fields]
    rows = list(rows)
    if not rows:
        return 0
    if connection.vendor != "postgresql":
        attnames = [field.attname for field in fields]
        model.objects.bulk_create([model(**dict(zip(attnames, row, strict=True)))
                                   for row in rows], batch_size=1000)
        return len(rows)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([json.dumps(value) if json_field and value is not None
                                else value for value, json_field in zip(row, is_json,
                                                                         strict=True)])
    return len(rows)
