"""The complaint-handling competition 2020 in the demo: after the document stage."""

from __future__ import annotations

from collections import Counter

import pytest

from sayembara.competitions.enums import StageStatus
from sayembara.competitions.services.editions import template_of
from sayembara.demo import pengaduan
from sayembara.entries.enums import EntryState
from sayembara.entries.models import PastWinner
from sayembara.judging.models import (
    InterviewSlot,
    ScoreSheet,
    StageClosing,
    StageDecision,
    StageResult,
)
from tests.demo.conftest import run_again

SEED = pengaduan.seed
pytestmark = pytest.mark.django_db


def test_pengaduan_seed_holds_the_439_participants_of_2020(seeded):
    entries = seeded.edition.entries
    assert entries.count() == 439
    assert Counter(entries.values_list("category__key", flat=True)) == {
        "instansi-pemerintah": 237, "upp": 202}
    names = set(entries.values_list("institution__name", flat=True))
    assert {"Kementerian Keuangan", "Pemerintah Provinsi Jawa Barat", "Pemerintah Kota Bandung",
            "Pemerintah Kabupaten Banyuwangi", "Kantor Imigrasi Kelas I Batam"} <= names


def test_pengaduan_seed_reserves_outstanding_achievement_for_past_winners(seeded):
    outstanding = set(seeded.edition.entries.filter(group__key="outstanding")
                      .values_list("institution_id", flat=True))
    winners = set(PastWinner.objects.filter(competition=seeded.edition.competition,
                                            year__in=[2018, 2019])
                  .values_list("institution_id", flat=True))
    assert outstanding == winners
    assert len(outstanding) == 15


def test_pengaduan_seed_self_assessments_were_verified_by_the_evaluation_team(seeded):
    first = seeded.edition.stages.get(key="evaluasi")
    sheets = ScoreSheet.objects.filter(stage=first)
    assert sheets.count() == 439
    assert set(sheets.values_list("status", flat=True)) == {"locked"}
    assert set(sheets.values_list("judge__affiliation", flat=True)) == {
        "Kementerian PANRB, Deputi Bidang Pelayanan Publik",
        "Kementerian PANRB, Asisten Deputi Pengelolaan Pengaduan",
        "Ombudsman Republik Indonesia", "Kantor Staf Presiden"}


def test_pengaduan_seed_evaluators_lower_claims_they_cannot_verify_never_raise_them(seeded):
    first = seeded.edition.stages.get(key="evaluasi")
    items = template_of(seeded.edition).entry_form.self_assessment
    lowered = 0
    for entry in seeded.edition.entries.order_by("code")[:80]:
        claimed = {claim.item: claim.score for claim in entry.claims.all()}
        verified = {score.criterion.key: score.value for score in ScoreSheet.objects.get(
            stage=first, entry=entry).scores.select_related("criterion")}
        assert sorted(claimed) == sorted(item.id for item in items)
        assert all(verified[item.criterion] <= claimed[item.id] for item in items)
        lowered += sum(verified[item.criterion] < claimed[item.id] for item in items)
    assert lowered > 0


def test_pengaduan_seed_closed_the_document_stage_with_quotas_6_30_10(seeded):
    first, second = seeded.edition.stages.order_by("order")
    assert (first.status, second.status) == (StageStatus.CLOSED, StageStatus.PENDING)
    assert StageClosing.objects.get(stage=first).confirmed_at is not None
    advanced = StageResult.objects.filter(stage=first, advanced=True)
    assert Counter(advanced.values_list("entry__group__key", flat=True)) == {
        "outstanding": 6, "ip-umum": 30, "upp": 10}
    assert Counter(seeded.edition.entries.values_list("state", flat=True)) == {
        EntryState.FINALIST: 46, EntryState.ELIMINATED: 393}
    tie_decisions = StageDecision.objects.filter(stage=first)
    assert all(decision.reason for decision in tie_decisions)


def test_pengaduan_seed_bandung_goes_on_among_the_outstanding(seeded):
    bandung = seeded.edition.entries.get(institution__name="Pemerintah Kota Bandung")
    assert bandung.group.key == "outstanding"
    assert bandung.state == EntryState.FINALIST
    assert "LAPOR" in bandung.title


def test_pengaduan_seed_schedules_the_top_46_before_the_jury(seeded):
    second = seeded.edition.stages.get(key="evaluasi-lanjutan")
    slots = InterviewSlot.objects.filter(stage=second)
    assert slots.count() == 46
    assert {slot.entry.state for slot in slots} == {EntryState.FINALIST}
    jury = set(second.assignments.values_list("judge__name", flat=True))
    assert jury == {"Azwar Abubakar", "Adi Prasetya", "Meuthia Ganie-Rochman",
                    "Eva Kusuma Sundari", "Sad Dian Utomo"}
    assert second.assignments.count() == 5 * 46


def test_pengaduan_seed_run_twice_creates_nothing(seeded):
    rerun = run_again(SEED)
    assert rerun.edition.pk == seeded.edition.pk
    assert rerun.after == rerun.before
    assert rerun.summary.accounts == seeded.summary.accounts


def test_pengaduan_seed_every_answer_carries_its_evidence(seeded, client):
    """9.3: the administrative check passed complete forms only; the evaluator's account
    reads the claim, its explanation and its evidence beside the verified level."""
    from django.urls import reverse

    from sayembara.entries.services.eligibility import check_completeness

    template = template_of(seeded.edition)
    for entry in seeded.edition.entries.order_by("code")[:20]:
        assert check_completeness(entry, template) == []
    sheet = ScoreSheet.objects.filter(
        stage__key="evaluasi", stage__edition=seeded.edition,
        judge__user__username="verifikator-panrb").select_related("stage", "entry").first()
    client.force_login(sheet.judge.user)
    page = client.get(reverse("jury:sheet", args=[sheet.stage.pk, sheet.entry.pk])
                      ).content.decode()
    claim = sheet.entry.claims.get(item="kanal")
    evidence = sheet.entry.documents.get(kind="evidence", slot="kanal")
    assert "Verification of the self-assessment" in page
    assert f"<strong>{claim.label}</strong>" in page and claim.note in page
    assert reverse("participation:document", args=[evidence.pk]) in page
