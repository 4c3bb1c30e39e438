"""Every list of entries an organiser reads links to the entry's page, and that page holds what
the judging made of the entry: its score per stage, the penetapan decisions, its result."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from sayembara.competitions.enums import StageStatus
from sayembara.judging.enums import Decision
from sayembara.judging.models import StageDecision
from tests import factories_public as f
from tests.factories_judging import make_organiser_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(client):
    edition = f.public_edition()
    first, second = edition.stages.order_by("order")[:2]
    for stage in (first, second):
        stage.status = StageStatus.CLOSED
        stage.save(update_fields=["status"])
    category = edition.categories.order_by("order").first()
    went_on = f.entry(edition, category=category, title="Layanan Antar Dokumen")
    stopped = f.entry(edition, category=category, title="Posyandu Digital", state="eliminated")
    f.stage_result(first, went_on, score="80.5", rank=1, details={"selection": "16.1"})
    f.stage_result(first, stopped, score="60.25", rank=2, advanced=False,
                   details={"selection": "12.05"})
    f.stage_result(second, went_on, score="90", rank=1, details={"selection": "65.6"})
    StageDecision.objects.create(stage=first, entry=stopped, decision=Decision.ELIMINATE,
                                 reason="Dokumen SK inovasi tidak sah.")
    f.final_result(went_on, rank=1, total="65.6", tier_key="peringkat-1-3")
    result = f.final_result(stopped, rank=2, total="12.05")
    result.details["reached"] = first.key
    result.save(update_fields=["details"])
    client.force_login(make_organiser_user(edition))
    return edition, first, went_on, stopped


def _links_to(response, entry) -> bool:
    assert response.status_code == 200
    return reverse("participation:entry_detail", args=[entry.pk]) in response.content.decode()


def test_each_list_of_entries_links_to_the_entry(client, judged):
    edition, first, went_on, stopped = judged
    pages = {
        "dashboard": reverse("web:edition_dashboard", args=[edition.slug]),
        "stage table": reverse("jury:stage_results", args=[edition.slug, first.key]),
        "closing page": reverse("jury:stage_close", args=[edition.slug, first.key]),
        "final results": reverse("jury:final_results", args=[edition.slug]),
        "institution": reverse("participation:institution", args=[went_on.institution_id]),
    }
    for name, url in pages.items():
        assert _links_to(client.get(url), went_on), name
    waiting = f.entry(edition, state="submitted", title="Antrean Daring")
    assert _links_to(client.get(reverse("participation:check_list", args=[edition.slug])),
                     waiting)


def test_entry_page_shows_scores_per_stage_decisions_and_where_it_stopped(client, judged):
    edition, first, went_on, stopped = judged
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(
        reverse("participation:entry_detail", args=[stopped.pk])).content.decode()))
    assert "Scores per stage" in text
    assert "60.250" in text and "12.050" in text  # the stage score and the running total
    assert "stopped here" in text
    assert f"Stopped at {first.name}: 60.250" in text
    assert "Dokumen SK inovasi tidak sah." in text
    page = client.get(reverse("participation:entry_detail", args=[went_on.pk])).content.decode()
    assert "Final score: 65.600" in re.sub(r"<[^>]+>", "", page)


def test_final_results_show_stage_scores_and_no_partial_total_for_an_entry_that_stopped(
        client, judged):
    edition, first, went_on, stopped = judged
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(
        reverse("jury:final_results", args=[edition.slug])).content.decode()))
    assert "80.500" in text and "90.000" in text and "65.600" in text
    assert f"Stopped at {first.name}: 60.250" in text
    assert "12.050" not in text


def test_an_entry_that_stopped_reads_berhenti_di_tahap(client, judged, settings):
    settings.LANGUAGE_CODE = "id"
    edition, first, _went_on, _stopped = judged
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", client.get(
        reverse("jury:final_results", args=[edition.slug])).content.decode()))
    assert f"Berhenti di tahap {first.name}: 60,250" in text
