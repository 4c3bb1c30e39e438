"""Krenova Kota Magelang 2017 in the demo: between rounds."""

from __future__ import annotations

from collections import Counter

import pytest

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.competitions.enums import StageStatus
from sayembara.demo import krenova
from sayembara.entries.enums import EntryState
from sayembara.judging.models import InterviewSlot, ScoreSheet, StageClosing, StageResult
from tests.demo.conftest import run_again

SEED = krenova.seed
pytestmark = pytest.mark.django_db


def test_krenova_seed_spreads_agency_and_company_proposals_over_four_categories(seeded):
    entries = list(seeded.edition.entries.select_related("institution", "category"))
    by_category = Counter(entry.category.key for entry in entries)
    assert len(entries) == 28
    assert sorted(by_category) == ["kesejahteraan-sosial", "pelayanan-langsung",
                                   "tata-kelola", "tik-pelayanan"]
    assert min(by_category.values()) >= 5
    assert sorted(e.institution.name for e in entries if e.institution.kind == "bumd") == [
        "PD BPR Bank Magelang", "PDAM Kota Magelang"]
    assert {"Kecamatan Magelang Utara", "Kecamatan Magelang Tengah",
            "Kecamatan Magelang Selatan"} <= {e.institution.name for e in entries}


def test_krenova_seed_proposals_were_submitted_with_their_signed_statements(seeded):
    entry = seeded.edition.entries.get(institution__name="PDAM Kota Magelang")
    assert sorted(entry.documents.values_list("kind", "slot")) == [
        ("document", "bukti-pendukung"), ("statement", "kesediaan-replikasi"),
        ("statement", "sk-inovasi")]
    assert len(entry.proposal["ringkasan"].split()) <= 200
    assert entry.state_changes.filter(to_state=EntryState.SUBMITTED).count() == 1


def test_krenova_seed_closed_rounds_one_to_four_with_the_top_15(seeded):
    stages = list(seeded.edition.stages.order_by("order"))
    assert [s.status for s in stages] == [StageStatus.CLOSED] * 4 + [StageStatus.OPEN,
                                                                     StageStatus.PENDING]
    assert all(StageClosing.objects.get(stage=s).confirmed_at for s in stages[:4])
    assert StageResult.objects.filter(stage=stages[0], advanced=False).count() == 1
    assert StageResult.objects.filter(stage=stages[3], advanced=True).count() == 15
    states = Counter(seeded.edition.entries.values_list("state", flat=True))
    assert states == {EntryState.IN_STAGE: 15, EntryState.ELIMINATED: 13}
    assert set(seeded.edition.entries.filter(state=EntryState.IN_STAGE)
               .values_list("current_stage__key", flat=True)) == {"penilaian-5"}


def test_krenova_seed_round_five_is_scheduled_and_not_yet_scored(seeded):
    fifth = seeded.edition.stages.get(key="penilaian-5")
    slots = list(InterviewSlot.objects.filter(stage=fifth).order_by("starts_at"))
    assert len(slots) == 15
    assert {slot.entry.state for slot in slots} == {EntryState.IN_STAGE}
    assert all((s.ends_at - s.starts_at).seconds == 20 * 60 for s in slots)
    assert not ScoreSheet.objects.filter(stage=fifth).exists()
    assert fifth.assignments.exists()


def test_krenova_seed_lists_its_accounts(seeded):
    assert [username for username, _ in seeded.summary.accounts] == [
        "penyelenggara-magelang", "operator-magelang", "juri-magelang"]
    assert Membership.objects.filter(user__username="penyelenggara-magelang",
                                     role=Role.ORGANISER,
                                     organiser=seeded.edition.organiser).exists()


def test_krenova_seed_run_twice_creates_nothing(seeded):
    rerun = run_again(SEED)
    assert rerun.edition.pk == seeded.edition.pk
    assert rerun.after == rerun.before
    assert rerun.summary.accounts == seeded.summary.accounts
