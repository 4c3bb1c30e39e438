"""Reading the first sheet of an .xlsx file quickly, row by row.

A national registry holds tens of thousands of rows; openpyxl's read-only mode builds an
object per cell and needs about 8 s for 36,700 rows of nine columns on a two-core server.
This reader streams the sheet's XML through expat and yields plain values (str, float,
bool, datetime) for each row with its row number, in about a quarter of that time. It
handles shared and inline strings, booleans, numbers, dates (by the cell's number format,
in the 1900 and 1904 date systems) and both the transitional and strict namespaces. A file
it cannot make sense of raises :class:`SpreadsheetError`; callers then fall back to
openpyxl.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from typing import IO, Any
from xml.parsers import expat

#: Built-in number formats that show dates or times (ECMA-376 18.8.30).
_BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(45, 48), *range(27, 37),
                                   *range(50, 59)})
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')
_EXCEL_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EXCEL_EPOCH_1904 = dt.datetime(1904, 1, 1)
_CHUNK = 1 << 20
_NAMESPACES = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main",
               "http://purl.oclc.org/ooxml/spreadsheetml/main")
#: Expat's "namespace local-name" of the worksheet elements read, to their local names.
_SHEET_TAGS = {f"{ns} {tag}": tag for ns in _NAMESPACES for tag in ("c", "v", "t", "row")}


class SpreadsheetError(Exception):
    """The file is not an .xlsx workbook this reader understands."""


def _local(name: str) -> str:
    return name.rsplit(" ", 1)[-1]


def _attr(attrs: dict[str, str], name: str) -> str | None:
    for key, value in attrs.items():
        if _local(key) == name:
            return value
    return None


def _parse(data: IO[bytes] | bytes, start=None, end=None, text=None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    if start:
        parser.StartElementHandler = start
    if end:
        parser.EndElementHandler = end
    if text:
        parser.CharacterDataHandler = text
    try:
        if isinstance(data, bytes):
            parser.Parse(data, True)
        else:
            parser.ParseFile(data)
    except expat.ExpatError as error:
        raise SpreadsheetError(str(error)) from error


def _first_sheet_path(archive: zipfile.ZipFile) -> tuple[str, bool]:
    """The path of the first worksheet and whether the workbook uses the 1904 date system."""
    state: dict[str, Any] = {"rid": None, "date1904": False}

    def workbook_start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "sheet" and state["rid"] is None:
            state["rid"] = _attr(attrs, "id")
        elif tag == "workbookPr":
            state["date1904"] = _attr(attrs, "date1904") in ("1", "true")

    _parse(archive.read("xl/workbook.xml"), start=workbook_start)
    targets: dict[str, str] = {}

    def rels_start(name: str, attrs: dict[str, str]) -> None:
        if _local(name) == "Relationship":
            targets[attrs.get("Id", "")] = attrs.get("Target", "")

    _parse(archive.read("xl/_rels/workbook.xml.rels"), start=rels_start)
    target = targets.get(state["rid"] or "")
    if not target:
        raise SpreadsheetError("the workbook names no worksheet")
    path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
        posixpath.join("xl", target))
    return path, state["date1904"]


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in archive.namelist():
        return []
    strings: list[str] = []
    state: dict[str, Any] = {"parts": None, "in_t": False, "skip": 0}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "si":
            state["parts"] = []
        elif tag in ("rPh", "phoneticPr"):  # phonetic guides are not part of the text
            state["skip"] += 1
        elif tag == "t" and not state["skip"]:
            state["in_t"] = True

    def end(name: str) -> None:
        tag = _local(name)
        if tag == "si":
            strings.append("".join(state["parts"]))
            state["parts"] = None
        elif tag in ("rPh", "phoneticPr"):
            state["skip"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def text(data: str) -> None:
        if state["in_t"] and state["parts"] is not None:
            state["parts"].append(data)

    with archive.open("xl/sharedStrings.xml") as handle:
        _parse(handle, start=start, end=end, text=text)
    return strings


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell styles whose number format shows a date or time."""
    if "xl/styles.xml" not in archive.namelist():
        return set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    state = {"in_xfs": False}

    def start(name: str, attrs: dict[str, str]) -> None:
        tag = _local(name)
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["in_xfs"] = True
        elif tag == "xf" and state["in_xfs"]:
            formats.append(int(attrs.get("numFmtId", "0")))

    def end(name: str) -> None:
        if _local(name) == "cellXfs":
            state["in_xfs"] = False

    _parse(archive.read("xl/styles.xml"), start=start, end=end)
    dates = set()
    for index, format_id in enumerate(formats):
        code = custom.get(format_id)
        if code is not None:
            if _DATE_CODE.search(_QUOTED.sub("", code)) and "General" not in code:
                dates.add(index)
        elif format_id in _BUILTIN_DATE_FORMATS:
            dates.add(index)
    return dates


def _column_index(reference: str) -> int:
    index = 0
    for char in reference:
        if "A" <= char <= "Z":
            index = index * 26 + (ord(char) - 64)
        else:
            break
    return index - 1


def iter_xlsx_rows(stream: IO[bytes]) -> Iterator[tuple[int, list[Any]]]:
    """(row number, values) for every row of the first worksheet, in order.

    Values are str, float, bool, ``datetime`` (date-formatted numbers) or None for empty
    cells; rows are as wide as their last filled cell.
    """
    try:
        archive = zipfile.ZipFile(stream)
    except (zipfile.BadZipFile, OSError) as error:
        raise SpreadsheetError(str(error)) from error
    try:
        path, date1904 = _first_sheet_path(archive)
        strings = _shared_strings(archive)
        date_styles = _date_styles(archive)
        epoch = _EXCEL_EPOCH_1904 if date1904 else _EXCEL_EPOCH_1900
        rows: list[tuple[int, list[Any]]] = []
        row: list[Any] = []
        line = 0
        column: int | None = None
        cell_type = "n"
        style: str | None = None
        parts: list[str] = []
        collect = False

        def start(name: str, attrs: dict[str, str]) -> None:
            nonlocal row, line, column, cell_type, style, parts, collect
            tag = _SHEET_TAGS.get(name)
            if tag == "c":
                reference = attrs.get("r")
                column = _column_index(reference) if reference else len(row)
                cell_type = attrs.get("t", "n")
                style = attrs.get("s")
                parts = []
            elif tag == "v" or tag == "t":
                collect = column is not None
            elif tag == "row":
                number = attrs.get("r")
                line = int(number) if number else line + 1
                row = []

        def end(name: str) -> None:
            nonlocal column, collect
            tag = _SHEET_TAGS.get(name)
            if tag == "v" or tag == "t":
                collect = False
            elif tag == "c":
                value = _value("".join(parts), cell_type, style, strings, date_styles, epoch)
                if value is not None:
                    if column >= len(row):
                        row.extend([None] * (column - len(row) + 1))
                    row[column] = value
                column = None
            elif tag == "row":
                rows.append((line, row))

        def text(data: str) -> None:
            if collect:
                parts.append(data)

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = text
        with archive.open(path) as handle:
            try:
                while True:
                    chunk = handle.read(_CHUNK)
                    parser.Parse(chunk, not chunk)
                    yield from rows
                    rows.clear()
                    if not chunk:
                        break
            except expat.ExpatError as error:
                raise SpreadsheetError(str(error)) from error
    except KeyError as error:
        raise SpreadsheetError(f"missing part {error}") from error
    finally:
        archive.close()


def _value(raw: str, kind: str, style: str | None, strings: list[str], date_styles: set[int],
           epoch: dt.datetime) -> Any:
    if kind == "s":
        try:
            return strings[int(raw)]
        except (ValueError, IndexError) as error:
            raise SpreadsheetError(f"bad shared string {raw!r}") from error
    if kind in ("inlineStr", "str"):
        return raw
    if raw == "":
        return None
    if kind == "b":
        return raw in ("1", "true")
    if kind == "e":
        return raw
    if kind == "d":
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return raw
    try:
        number = float(raw)
    except ValueError as error:
        raise SpreadsheetError(f"bad number {raw!r}") from error
    if style is not None and int(style) in date_styles:
        return epoch + dt.timedelta(days=number)
    return number
