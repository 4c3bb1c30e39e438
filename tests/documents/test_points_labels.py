"""A score of a rubric declared in its own points says so ("of 700") on the stage tables,
the entry page, the final results, the berita acara and the SK draft; 0..100 scores stay as
they are."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sayembara.competitions.models import Edition
from sayembara.documents.services.papers import berita_acara_pdf, sk_draft_pdf
from tests.documents.test_certificate_qr import pdf_text
from tests.documents.test_papers import judged  # noqa: F401 - the fixture
from tests.factories_judging import make_organiser_user

pytestmark = pytest.mark.django_db


def _in_points(edition):
    rules = edition.rules
    for rubric in rules["rubrics"]:
        rubric["scale"] = 7 * sum(c["weight"] for c in rubric["criteria"])
        for criterion in rubric["criteria"]:
            criterion["weight"] *= 7
    Edition.objects.filter(pk=edition.pk).update(rules=rules)
    edition.refresh_from_db()


def _pages(client, edition, stage, entry):
    return {name: re.sub(r"\s+", " ", client.get(url).content.decode()) for name, url in (
        ("board", reverse("jury:stage_results", args=[edition.slug, stage.key])),
        ("final", reverse("jury:final_results", args=[edition.slug])),
        ("entry", reverse("participation:entry_detail", args=[entry.pk])))}


def test_scores_in_points_say_of_what(client, judged, tmp_path):  # noqa: F811
    edition, stage, entries, _scores, _keys = judged
    _in_points(edition)
    stage = edition.stages.get(pk=stage.pk)
    client.force_login(make_organiser_user(edition))
    pages = _pages(client, edition, stage, entries[0])
    assert "own score <span class=\"small\">(of 700)</span>" in pages["board"]
    assert f"{stage.name} <span class=\"small\">(of 700)</span>" in pages["final"]
    assert "81.123</strong> <span class=\"small scale-of\">of 700</span>" in pages["entry"]
    # the narrow columns wrap the headings "Stage score (of 700)" and "Running total
    # (ranked by) (of 700)" over several lines
    minutes = pdf_text(berita_acara_pdf(stage=stage), tmp_path)
    assert "score (of" in minutes and minutes.count("700)") == 2
    assert "Final score (of 700)" in pdf_text(sk_draft_pdf(edition=edition), tmp_path)


def test_scores_on_0_to_100_carry_no_scale(client, judged, tmp_path):  # noqa: F811
    edition, stage, entries, _scores, _keys = judged
    client.force_login(make_organiser_user(edition))
    for page in _pages(client, edition, stage, entries[0]).values():
        assert "of 100" not in page and "(of " not in page
    assert "(of " not in pdf_text(berita_acara_pdf(stage=stage), tmp_path)
