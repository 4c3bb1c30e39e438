import io
import re
import subprocess
from decimal import Decimal
from shutil import which

import pytest
from openpyxl import load_workbook

from sayembara.documents.services.papers import berita_acara_pdf, rekap_xlsx, sk_draft_pdf
from sayembara.judging.enums import JuryRole
from tests import factories_public as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged():
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    category = edition.categories.order_by("order").first()
    ketua = f.judge(edition, name="Prof. Ketut Ketua")
    anggota = f.judge(edition, name="Dr. Anggota Satu")
    f.panel(stage, [(ketua, JuryRole.KETUA), (anggota, JuryRole.ANGGOTA)])
    entries = [f.entry(edition, category=category, title=f"Inovasi {n}") for n in range(3)]
    keys = [c.key for c in stage.rubric_for(category.pk).criteria.all()]
    for number, e in enumerate(entries):
        for j in (ketua, anggota):
            f.sheet(stage, j, e, {key: 60 + number * 5 + i for i, key in enumerate(keys)})
    scores = ["81.123456", "77.5", "70.000001"]
    for rank, (e, score) in enumerate(zip(entries, scores, strict=True), start=1):
        f.stage_result(stage, e, score=score, rank=rank, advanced=rank <= 2)
        f.final_result(e, rank=rank, total=score, tier_key="peringkat-1-3",
                       prize=Decimal("15000000"))
    return edition, stage, entries, scores, keys


def pdf_to_text(data: bytes) -> str:
    if which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data,
                            capture_output=True, check=True)
    return result.stdout.decode()


def test_berita_acara_lists_members_method_and_results(judged):
    edition, stage, entries, _scores, _keys = judged
    text = pdf_to_text(berita_acara_pdf(stage=stage))
    assert "Prof. Ketut Ketua" in text and "Dr. Anggota Satu" in text
    assert "20% of the final score" in text
    assert "The best 10 entries per category go on." in text
    for e in entries:
        assert e.title in text
    assert "81.123" in text and "77.500" in text  # the active language (English) writes a point
    assert text.count("advances") == 2 and text.count("stops") == 1


def test_minutes_and_decree_draft_carry_the_audit_chain_head_and_log_it(judged):
    from sayembara.common.models import AuditEvent
    from tests.factories import UserFactory

    edition, stage, _entries, _scores, _keys = judged
    user = UserFactory()
    head = AuditEvent.objects.order_by("-seq").first()
    text = pdf_to_text(berita_acara_pdf(stage=stage, actor=user))
    assert "Audit log chain head when this document was made: event" in text
    assert f"{head.seq}:{head.hash}" in "".join(text.split())
    issued = AuditEvent.objects.get(action="documents.minutes_issued")
    assert issued.after == {"stage": stage.key, "audit_head": f"{head.seq}:{head.hash}"}
    text = pdf_to_text(sk_draft_pdf(edition=edition, actor=user))
    assert f"{issued.seq}:{issued.hash}" in "".join(text.split())


def test_sk_draft_names_the_winners_in_the_annex(judged):
    edition, _stage, entries, _scores, _keys = judged
    text = pdf_to_text(sk_draft_pdf(edition=edition))
    assert "DRAFT" in text and edition.title in text
    for e in entries:
        assert e.institution.name in text
    assert "Rp15.000.000" in text


def test_rekap_totals_match_the_stored_results_exactly(judged):
    edition, stage, entries, scores, keys = judged
    book = load_workbook(io.BytesIO(rekap_xlsx(edition=edition)))
    assert book.sheetnames[0] == "Final results"
    final = list(book["Final results"].iter_rows(min_row=2, values_only=True))
    assert [Decimal(str(row[5])) for row in final] == [Decimal(s) for s in scores]
    stage_sheet = book[book.sheetnames[1]]
    stage_rows = list(stage_sheet.iter_rows(min_row=2, values_only=True))
    assert [(row[2], Decimal(str(row[4]))) for row in stage_rows] == [
        (e.code, Decimal(s)) for e, s in zip(entries, scores, strict=True)]
    score_rows = list(book[book.sheetnames[2]].iter_rows(min_row=2, values_only=True))
    assert len(score_rows) == len(entries) * 2 * len(keys)
    first = [row for row in score_rows if row[1] == entries[0].code and
             row[2] == "Dr. Anggota Satu"]
    assert [Decimal(str(row[5])) for row in first] == [Decimal(60 + i) for i in range(len(keys))]


def test_berita_acara_of_a_weighted_stage_shows_the_running_total_it_is_ordered_by(judged):
    """Its rows follow the running total, shown beside the stage score; the signatures share
    their page with the last rows of the results and the closing sentence."""
    edition, _first, _entries, _scores, _keys = judged
    last = edition.stages.order_by("-order").first()
    category = edition.categories.order_by("order").last()
    ketua = f.judge(edition, name="Prof. Made Suwitra")
    f.panel(last, [(ketua, JuryRole.KETUA)])
    for rank in range(1, 41):
        entry = f.entry(edition, category=category, title=f"Desa {rank}")
        running = Decimal(90) - Decimal(rank) / 2  # the order
        stage_score = Decimal(60) + (rank * 7) % 30  # not in that order
        f.stage_result(last, entry, score=stage_score, rank=rank,
                       details={"selection": str(running)})
    pages = pdf_to_text(berita_acara_pdf(stage=last)).split("\f")
    text = "".join(pages)
    # the narrow columns "This stage's own score" and "Running total of the weighted parts so
    # far (ranked by)" wrap over several lines
    assert "Running" in text and "(ranked by)" in text and "stage's" in text
    assert "ranked by the running total" in text
    rows = re.findall(r"^\s*(\d+) E\d{4} .*?\s(\d+\.\d{3})\s+(\d+\.\d{3})\s+advances", text, re.M)
    assert [int(rank) for rank, _score, _total in rows] == list(range(1, 41))
    totals = [Decimal(total) for _rank, _score, total in rows]
    assert totals == sorted(totals, reverse=True)
    signatures = next(page for page in pages if "Prof. Made Suwitra" in page.split(
        "Members present")[-1] and "made truthfully" in page)
    assert "Desa 40" in signatures  # the last row of the results is on the signatures' page


def test_the_minutes_and_the_workbook_name_the_numbers_as_the_pages_do(judged):
    """A weighted stage's own score before weighting, the running total it ranks by and the
    rank within the category: the same words as the stage table, in the PDF and the xlsx."""
    from django.utils import translation

    edition, stage, _entries, _scores, _keys = judged
    with translation.override("id"):
        book = load_workbook(io.BytesIO(rekap_xlsx(edition=edition)))
        minutes = re.sub(r"\s+", " ", pdf_to_text(berita_acara_pdf(stage=stage)))
    heads = next(book[book.sheetnames[1]].iter_rows(max_row=1, values_only=True))
    assert heads[1:2] + heads[4:6] == (
        "Peringkat dalam kategori", "Nilai tahap ini (sebelum dibobot)",
        "Nilai kumulatif: jumlah nilai tertimbang sampai tahap ini (dasar peringkat)")
    final = next(book[book.sheetnames[0]].iter_rows(max_row=1, values_only=True))
    assert final[4] == "Dokumen kinerja"  # Mangupura's entries, as its template names them
    assert "Peserta dan dokumen kinerja" in minutes
