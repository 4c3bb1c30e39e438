"""A stage result's reason is a code with parameters, written in the reader's language on
pages and in the rekap workbook; results stored as sentences before keep their sentence."""

from __future__ import annotations

import importlib
import io

import pytest
from django.utils import translation
from openpyxl import load_workbook

from sayembara.documents.services.papers import rekap_xlsx
from sayembara.judging.models import StageResult
from tests import factories_public as f

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("sayembara.judging.migrations.0008_stage_result_reason_code")


@pytest.fixture
def below_grade():
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    category = edition.categories.order_by("order").first()
    entry = f.entry(edition, category=category, title="Inovasi Pasar")
    result = f.stage_result(stage, entry, score="71.0735", rank=3, advanced=False)
    StageResult.objects.filter(pk=result.pk).update(
        reason_code="below_passing_grade", reason_params={"score": "71.0735", "grade": "75"})
    result.refresh_from_db()
    return edition, result


def test_the_reason_reads_in_the_readers_language(below_grade):
    _edition, result = below_grade
    with translation.override("en"):
        assert result.reason_text == "The score 71.074 is below the passing grade 75."
    with translation.override("id"):
        assert "71,074" in result.reason_text
        assert "passing grade 75" not in result.reason_text


def _reasons(edition) -> list[str]:
    book = load_workbook(io.BytesIO(rekap_xlsx(edition=edition)))
    rows = list(book[book.sheetnames[1]].iter_rows(min_row=2, values_only=True))
    return [row[-1] for row in rows]


def test_the_rekap_writes_the_reason_in_the_organisers_language(below_grade):
    edition, _result = below_grade
    with translation.override("en"):
        assert _reasons(edition) == ["The score 71.074 is below the passing grade 75."]
    with translation.override("id"):
        indonesian = _reasons(edition)
    assert indonesian != ["The score 71.074 is below the passing grade 75."]
    assert "71,074" in indonesian[0]


def test_stored_sentences_become_codes_and_old_results_keep_their_words():
    code, params, details = MIGRATION.converted(
        "Peringkat 2 di Desa, dalam 3 tempatnya.",
        {"status": "scored", "reason_code": "within_places",
         "reason_params": {"rank": "2", "pool": "desa", "places": "3"}})
    assert (code, params, details) == (
        "within_places", {"rank": "2", "pool": "desa", "places": "3"}, {"status": "scored"})
    assert MIGRATION.converted("Dokumen tidak lengkap.", {"status": "scored"}) == (
        "text", {"text": "Dokumen tidak lengkap."}, {"status": "scored"})
    assert MIGRATION.converted("", {"status": "not_scored"}) == (
        "", {}, {"status": "not_scored"})


def test_an_old_result_shows_its_sentence_as_it_was_written(below_grade):
    _edition, result = below_grade
    StageResult.objects.filter(pk=result.pk).update(
        reason_code="text", reason_params={"text": "Dokumen tidak lengkap."})
    result.refresh_from_db()
    with translation.override("en"):
        assert result.reason_text == "Dokumen tidak lengkap."
