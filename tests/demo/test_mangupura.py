"""Mangupura Award in the demo: 2023 finished and published, 2024 in progress."""

from __future__ import annotations

import pytest
from django.db.models import Count
from django.urls import reverse

from sayembara.competitions.enums import EditionStatus, StageStatus
from sayembara.competitions.models import Edition
from sayembara.demo.seed import seed_mangupura
from sayembara.judging.models import FinalResult, ScoreSheet, StageClosing
from tests.demo.conftest import run_again

SEED = seed_mangupura
pytestmark = pytest.mark.django_db


def test_mangupura_seed_2024_has_every_badung_participant_in_three_categories(seeded):
    counts = dict(seeded.edition.entries.values_list("category__key").annotate(
        n=Count("pk")))
    assert counts == {"perangkat-daerah": 39, "kelurahan": 16, "desa": 46}


def test_mangupura_seed_2024_stage_1_confirmed_and_stage_2_partly_scored(seeded):
    first, second, third = seeded.edition.stages.order_by("order")
    assert first.status == StageStatus.CLOSED
    assert StageClosing.objects.get(stage=first).confirmed_at is not None
    assert second.status == StageStatus.OPEN
    assert second.current_entries.count() == 30  # top 10 of each category
    submitted = ScoreSheet.objects.filter(stage=second, status="submitted").count()
    drafts = ScoreSheet.objects.filter(stage=second, status="draft").count()
    assigned = second.assignments.count()
    assert 0 < submitted < assigned and drafts > 0
    assert third.status == StageStatus.PENDING


def test_mangupura_seed_2023_finished_with_ten_awards_per_category(seeded):
    edition = Edition.objects.get(competition=seeded.edition.competition, year=2023)
    assert edition.status == EditionStatus.PUBLISHED
    awarded = FinalResult.objects.filter(edition=edition, award_tier__isnull=False)
    by_category = dict(awarded.values_list("category__key").annotate(
        n=Count("pk")))
    assert by_category == {"perangkat-daerah": 10, "kelurahan": 10, "desa": 10}
    trophies = awarded.filter(award_tier__trophy=True).values_list("rank", flat=True)
    assert sorted(trophies) == [1, 1, 1, 2, 2, 2, 3, 3, 3]


def test_mangupura_seed_demo_accounts_sign_in(seeded, client):
    for username in ("penyelenggara", "juri1", "juri2", "operator"):
        signed_in = client.post(reverse("accounts:login"),
                                {"username": username, "password": "sayembara-demo"})
        assert signed_in.status_code == 302, username
        client.post(reverse("accounts:logout"))


def test_mangupura_seed_twice_creates_nothing_new(seeded):
    rerun = run_again(SEED)
    assert rerun.after == rerun.before


def test_mangupura_seed_entries_carry_their_performance_documents(seeded, client):
    """Every entry that passed the administrative check holds the documents of its form, and
    a judge of stage 2 finds them on the scoring page (the download itself is tested in
    tests/jury/test_documents.py)."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.services.eligibility import check_completeness
    from sayembara.judging.models import Assignment

    edition = seeded.edition
    template = template_of(edition)
    for entry in edition.entries.all()[:20]:
        assert check_completeness(entry, template) == []
        assert entry.documents.count() == len(template.entry_form.documents)
    seat = Assignment.objects.filter(stage__edition=edition, stage__key="presentasi",
                                     judge__user__username="juri2").select_related(
        "stage", "entry", "judge__user").first()
    client.force_login(seat.judge.user)
    page = client.get(reverse("jury:sheet", args=[seat.stage.pk, seat.entry.pk])).content
    document = seat.entry.documents.get(slot="dokumen-aset")
    url = reverse("participation:document", args=[document.pk])
    assert f'href="{url}"'.encode() in page and f'href="{url}?unduh=1"'.encode() in page
