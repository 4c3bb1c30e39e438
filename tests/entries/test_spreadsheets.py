"""The .xlsx reader (calamine) gives what openpyxl gives, for openpyxl's and Excel's files."""

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sayembara.entries.spreadsheets import SpreadsheetError, iter_xlsx_rows


def _openpyxl_values(data: bytes):
    """openpyxl's values; an empty text reads as an empty cell (calamine does not tell them
    apart, and the importers read both as empty)."""
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = {}
    for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
        values = [None if value == "" else value for value in row]
        while values and values[-1] is None:
            values.pop()
        if values:
            rows[number] = values
    return rows


def _ours(data: bytes):
    return dict(iter_xlsx_rows(io.BytesIO(data)))


def test_reader_matches_openpyxl_on_an_openpyxl_workbook():
    workbook = Workbook()
    sheet = workbook.active
    sheet["C3"] = "starts late"
    sheet.append(["name", "count", "share", "since", "active", None, "note"])
    sheet.append(["Desa Dalung", 12, 0.25, dt.datetime(2023, 7, 31), True, None, "  spaced  "])
    sheet.append([])
    sheet.append(["Kelurahan Kapal", None, -3, dt.datetime(2020, 2, 29, 10, 30), False, ""])
    sheet.append(["Ünïcode ✓", 1e-7, 123456789012, dt.datetime(1999, 12, 31)])
    sheet["J9"] = "far away"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert _ours(data) == _openpyxl_values(data)
    assert sorted(_ours(data)) == [3, 4, 5, 7, 8, 9]  # row numbers as the sheet shows them


def test_reader_matches_openpyxl_on_the_benchmark_registry():
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
    from bench_import import write_workbook

    buffer = io.BytesIO()
    write_workbook(buffer, 400)
    data = buffer.getvalue()
    assert _ours(data) == _openpyxl_values(data)
    assert len(_ours(data)) == 401


def _excel_like_workbook() -> bytes:
    """A workbook as Excel writes it: shared strings (one with rich text runs), the 1904
    date system, a custom date format and a cell without a reference."""
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rels_ns = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'),
        "_rels/.rels": (
            f'<Relationships xmlns="{package_rels}"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (
            f'<workbook {ns} {rels_ns}><workbookPr date1904="1"/><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId7"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            'relationships"><Relationship Id="rId7" Type="worksheet" '
            'Target="worksheets/data.xml"/></Relationships>'),
        "xl/sharedStrings.xml": (
            f'<sst {ns} count="3" uniqueCount="3"><si><t>nama</t></si>'
            '<si><r><t xml:space="preserve">Dinas </t></r><r><rPr><b/></rPr>'
            '<t>Kesehatan</t></r></si>'
            '<si><t xml:space="preserve">A &amp; B</t></si></sst>'),
        "xl/styles.xml": (
            f'<styleSheet {ns}><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="dd/mm/yyyy;@"/></numFmts><cellXfs count="3"><xf numFmtId="0"/>'
            '<xf numFmtId="164"/><xf numFmtId="4"/></cellXfs></styleSheet>'),
        "xl/worksheets/data.xml": (
            f'<worksheet {ns}><sheetData>'
            '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>'
            '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" s="1"><v>1</v></c>'
            '<c s="2"><v>1500.5</v></c><c r="E3" t="b"><v>1</v></c>'
            '<c r="F3" t="str"><v>formula text</v></c></row>'
            '</sheetData></worksheet>'),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_reader_understands_shared_strings_styles_and_the_1904_date_system():
    assert _ours(_excel_like_workbook()) == {
        1: ["nama", None, "A & B"],
        3: ["Dinas Kesehatan", dt.datetime(1904, 1, 2), 1500.5, None, True, "formula text"],
    }


def test_reader_refuses_what_is_not_a_workbook():
    with pytest.raises(SpreadsheetError):
        list(iter_xlsx_rows(io.BytesIO(b"PK\x03\x04 broken")))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    with pytest.raises(SpreadsheetError):
        list(iter_xlsx_rows(io.BytesIO(buffer.getvalue())))
