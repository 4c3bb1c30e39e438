"""calamine's reader and our own streaming reader give the same rows for the same files."""

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from sayembara.entries import calamine_reader, spreadsheets

from .test_spreadsheets import _excel_like_workbook


def _empty_as_none(values: list) -> list:
    """calamine does not tell an empty text from an empty cell (the importers read both as
    empty); our reader keeps the empty text."""
    values = [None if value == "" else value for value in values]
    while values and values[-1] is None:
        values.pop()
    return values


def _both(data: bytes):
    ours = {n: _empty_as_none(v) for n, v in spreadsheets.iter_xlsx_rows(io.BytesIO(data))}
    theirs = dict(calamine_reader.iter_xlsx_rows(io.BytesIO(data)))
    return {n: v for n, v in ours.items() if v}, theirs


def _excel_written(data: bytes) -> bytes:
    """The same parts with the package files Excel always writes ([Content_Types].xml with
    the workbook's type, the root relationships) and text whose spaces Excel preserves."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            text = source.read(name).decode()
            if name == "[Content_Types].xml":
                text = (
                    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                    '<Default Extension="xml" ContentType="application/xml"/>'
                    '<Override PartName="/xl/workbook.xml" ContentType="application/'
                    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>')
            text = text.replace("<t>Dinas </t>", '<t xml:space="preserve">Dinas </t>')
            archive.writestr(name, text)
        archive.writestr("_rels/.rels", (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            '</Relationships>'))
    return out.getvalue()


def test_both_readers_agree_on_an_openpyxl_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "starts late"
    sheet.append(["name", "count", "share", "since", "active", None, "note"])
    sheet.append(["Desa Dalung", 12, 0.25, dt.datetime(2023, 7, 31), True, None, "  spaced  "])
    sheet.append([])
    sheet.append(["Kelurahan Kapal", None, -3, dt.datetime(2020, 2, 29, 10, 30), False, ""])
    sheet.append(["Ünïcode ✓", 1e-7, 123456789012, dt.date(1999, 12, 31)])
    sheet["J9"] = "far away"
    buffer = io.BytesIO()
    workbook.save(buffer)
    ours, theirs = _both(buffer.getvalue())
    assert ours == theirs
    assert sorted(theirs) == [3, 4, 5, 7, 8, 9]


def test_both_readers_agree_on_an_excel_workbook_with_the_1904_date_system():
    ours, theirs = _both(_excel_written(_excel_like_workbook()))
    assert theirs[1] == ["nama", None, "A & B"]
    assert theirs[3][0] == "Dinas Kesehatan"
    assert theirs[3][2:] == [1500.5, None, True, "formula text"]
    assert ours[1] == theirs[1]
    assert ours[3][2:] == theirs[3][2:]


def test_both_readers_agree_on_the_benchmark_registry():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_import import write_workbook

    buffer = io.BytesIO()
    write_workbook(buffer, 400)
    ours, theirs = _both(buffer.getvalue())
    assert ours == theirs
    assert len(theirs) == 401


def test_calamine_refuses_what_is_not_a_workbook():
    with pytest.raises(calamine_reader.SpreadsheetError):
        list(calamine_reader.iter_xlsx_rows(io.BytesIO(b"PK\x03\x04 broken")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(calamine_reader.SpreadsheetError):
        list(calamine_reader.iter_xlsx_rows(io.BytesIO(buffer.getvalue())))
