"""One rounding rule for every score people read: the draft SK, the berita acara, the public
results page, the organiser's results page, the stage closing page and the entry's page show
the same digits (docs/scoring.md, "Scores as people read them")."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from sayembara.common.formats import number, rounded, score
from sayembara.competitions.enums import StageStatus
from sayembara.documents.services.papers import berita_acara_pdf, sk_draft_pdf
from sayembara.judging.services.compute import exact_text, shown
from tests import factories_public as f
from tests.documents.test_papers import pdf_to_text
from tests.factories_judging import make_organiser_user

pytestmark = pytest.mark.django_db

#: Kelurahan Kuta's final total is exactly 71.0725 (a half: 71,073, where rounding halves
#: to even gave 71,072); Kelurahan Tuban's is 71.0724996…, stored as 71.072500 (six decimals)
#: but 71,072 when rounded from its exact value.
KUTA = Fraction(28429, 400)
TUBAN = Fraction(177681249, 2500000)


def test_score_rounds_the_exact_value_half_up_with_the_language_separator():
    with translation.override("id"):
        assert score(shown(KUTA), exact_text(KUTA)) == "71,073"
        assert shown(TUBAN) == Decimal("71.072500")
        assert score(shown(TUBAN), exact_text(TUBAN)) == "71,072"
        assert score(Decimal("71.0725")) == "71,073"
        assert score(None) == "—"
        assert number(1250) == "1.250"
    with translation.override("en"):
        assert score(None, "242/3") == "80.667"
    assert rounded(Fraction(-1, 8), 2) == Decimal("-0.13")


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"


@pytest.fixture
def kuta_and_tuban():
    edition = f.public_edition()
    last = edition.stages.order_by("-order").first()
    last.status = StageStatus.CLOSED
    last.save(update_fields=["status"])
    category = edition.categories.order_by("order").first()
    rows = []
    for rank, (name, total, stage_score) in enumerate(
            [("Kelurahan Kuta", KUTA, Fraction(1097, 15)),
             ("Kelurahan Tuban", TUBAN, Fraction(141, 2))], start=1):
        entry = f.entry(edition, category=category, title=f"Dokumen Kinerja {name}")
        f.stage_result(last, entry, score=shown(stage_score), rank=rank, details={
            "exact": {"score": exact_text(stage_score), "selection": exact_text(total)},
            "selection": str(shown(total))})
        result = f.final_result(entry, rank=rank, total=shown(total), tier_key="peringkat-1-3")
        result.details["exact_total"] = exact_text(total)
        result.save(update_fields=["details"])
        rows.append(entry)
    f.confirm_stage(last)
    f.publish(edition, breakdown="stages")
    return edition, last, rows


def _page_text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_sk_minutes_results_and_closing_page_agree_digit_for_digit(client, indonesian,
                                                                   kuta_and_tuban):
    edition, last, (kuta, tuban) = kuta_and_tuban
    with translation.override("id"):
        sk = pdf_to_text(sk_draft_pdf(edition=edition))
        minutes = pdf_to_text(berita_acara_pdf(stage=last))
    public = _page_text(client.get(reverse("public:results", args=[edition.slug])))
    client.force_login(make_organiser_user(edition))
    results = _page_text(client.get(reverse("jury:final_results", args=[edition.slug])))
    closing = _page_text(client.get(reverse("jury:stage_close", args=[edition.slug, last.key])))
    kuta_page = _page_text(client.get(reverse("participation:entry_detail", args=[kuta.pk])))
    for name, text in [("SK draft", sk), ("berita acara", minutes), ("results page", public),
                       ("organiser's results", results), ("closing page", closing),
                       ("entry page", kuta_page)]:
        assert "71,073" in text, name
        if name != "entry page":
            assert text.count("71,072") == 1, name  # Tuban's, never Kuta's
    # The stage score beside the running total the last stage ranks by.
    for text in (minutes, closing, results, kuta_page):
        assert "73,133" in text
