"""Reading the first sheet of an .xlsx file with calamine (a Rust reader), row by row.

``python-calamine`` reads shared and inline strings, numbers, booleans and dates (by the
cell's number format, in the 1900 and 1904 date systems) in compiled code. This module only
gives its values the shapes the importers expect: row numbers as the spreadsheet shows
them, ``None`` for an empty cell, rows as wide as their last filled cell, and dates as
``datetime``. A file calamine cannot read raises :class:`SpreadsheetError`; callers then
fall back to openpyxl.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO, Any

#: Day zero of Excel's 1900 date system: a time without a date is shown on it.
_EXCEL_DAY_ZERO = dt.datetime(1899, 12, 30)


class SpreadsheetError(Exception):
    """The file is not an .xlsx workbook calamine can read."""


def _value(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value or None
    if kind is float or kind is bool:
        return value
    if kind is int:
        return float(value)
    if kind is dt.datetime:
        return value
    if kind is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    if kind is dt.time:
        return dt.datetime.combine(_EXCEL_DAY_ZERO.date(), value)
    if kind is dt.timedelta:
        return _EXCEL_DAY_ZERO + value
    return value


def iter_xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for every row of the first worksheet that holds a value.

    Values are str, float, bool or ``datetime`` (date-formatted numbers); empty cells are
    None and a row is as wide as its last filled cell.
    """
    from python_calamine import CalamineError, CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(stream)
        rows = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except (CalamineError, OSError, ValueError, IndexError) as error:
        raise SpreadsheetError(str(error)) from error
    for number, row in enumerate(rows, start=1):
        width = len(row)
        while width and (row[width - 1] == "" or row[width - 1] is None):
            width -= 1
        if width:
            yield number, [_value(value) for value in row[:width]]
