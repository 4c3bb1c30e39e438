"""Reading an .xlsx or .csv file row by row, and reporting its problems by file, line,
column and value (the shared part of every spreadsheet import)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _

#: At most this many problems are listed; the count says how many there were.
MAX_PROBLEMS = 200


@dataclass(frozen=True)
class ImportProblem:
    file: str
    line: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = _("%(file)s, line %(line)s") % {"file": where, "line": self.line}
        if self.column:
            where = _("%(where)s, column “%(column)s”") % {"where": where,
                                                           "column": self.column}
        return f"{where}: {self.message}"


class RegistryImportError(Exception):
    def __init__(self, problems: list[ImportProblem], total: int | None = None):
        self.problems = problems
        self.total = total if total is not None else len(problems)
        super().__init__("\n".join(str(problem) for problem in problems[:20]))


def heading(value: Any) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.strip().lower().replace("_", " ").replace("-", " ").split())


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value
    return " ".join(str(value).split())


def read_rows(stream: IO[bytes], filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(line number, cells) for every row of an .xlsx or .csv file, header first."""
    lower = filename.lower()
    head = stream.read(4)
    stream.seek(0)
    if lower.endswith((".xlsx", ".xlsm")) or head.startswith(b"PK\x03\x04"):
        yield from _xlsx_rows(stream, filename)
    elif lower.endswith((".csv", ".txt")):
        yield from _csv_rows(stream, filename)
    else:
        raise RegistryImportError([ImportProblem(
            filename, None, None, None,
            _("This is not an Excel (.xlsx) or CSV file. Save the sheet as .xlsx or .csv "
              "and upload it again."),
        )])


def _xlsx_rows(stream: IO[bytes], filename: str) -> Iterator[tuple[int, list[Any]]]:
    import zipfile

    from sayembara.entries.spreadsheets import SpreadsheetError, iter_xlsx_rows
    from sayembara.entries.validators import (
        ArchiveTooLarge,
        archive_too_large_description,
        check_archive_bounds,
    )

    data = stream.read()
    try:
        check_archive_bounds(io.BytesIO(data)).close()
    except ArchiveTooLarge as bomb:
        raise RegistryImportError([ImportProblem(
            filename, None, None, None,
            _("The Excel file is %(what)s, and is refused because reading it could stop the "
              "server. Open it in Excel or LibreOffice, save it again as .xlsx and import "
              "that file.") % {"what": archive_too_large_description(bomb)},
        )]) from bomb
    except zipfile.BadZipFile:
        pass  # the readers below say what is wrong with it
    try:
        rows = list(iter_xlsx_rows(io.BytesIO(data)))
    except SpreadsheetError:
        rows = list(_openpyxl_rows(io.BytesIO(data), filename))
    for number, cells in rows:
        yield number, [" ".join(value.split()) if type(value) is str else _cell(value)
                       for value in cells]


def _openpyxl_rows(stream: IO[bytes], filename: str) -> Iterator[tuple[int, list[Any]]]:
    """The slower reader, for workbooks calamine refuses (its message is the one shown)."""
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise RegistryImportError([ImportProblem(
            filename, None, None, None,
            _("The Excel file cannot be read (%(error)s). Open it in Excel or LibreOffice and "
              "save it again as .xlsx.") % {"error": error},
        )]) from error
    try:
        sheet = workbook.worksheets[0]
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


def _csv_rows(stream: IO[bytes], filename: str) -> Iterator[tuple[int, list[Any]]]:
    raw = stream.read()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes almost anything
        text = codecs.decode(raw, "latin-1")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for row in reader:
        yield reader.line_num, [_cell(value) for value in row]


class Problems:
    def __init__(self, filename: str, labels: dict[str, str] | None = None):
        self.filename = filename
        self.labels = labels or {}
        self.items: list[ImportProblem] = []
        self.total = 0

    def add(self, line: int | None, column: str | None, value: Any, message: str) -> None:
        self.total += 1
        if len(self.items) < MAX_PROBLEMS:
            self.items.append(ImportProblem(
                self.filename, line, self.labels.get(column or "", column),
                None if value is None else str(value), message,
            ))

    def raise_if_any(self) -> None:
        if self.items:
            raise RegistryImportError(self.items, self.total)


def map_columns(header: list[Any], wanted: dict[str, tuple[str, ...]]) -> dict[str, int]:
    found: dict[str, int] = {}
    headings = [heading(value) for value in header]
    for column, names in wanted.items():
        for index, title in enumerate(headings):
            if title in names and column not in found:
                found[column] = index
    return found


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)
