"""KIPP Pemalang 2020 in the demo: at the interview stage."""

from __future__ import annotations

import datetime as dt
from itertools import pairwise

import pytest

from sayembara.competitions.enums import StageStatus
from sayembara.demo import pemalang
from sayembara.judging.models import InterviewSlot, ScoreSheet, StageClosing
from tests.demo.conftest import run_again

SEED = pemalang.seed
pytestmark = pytest.mark.django_db


def test_pemalang_seed_holds_18_innovators_from_agencies_villages_and_companies(seeded):
    kinds = list(seeded.edition.entries.values_list("institution__kind", flat=True))
    assert len(kinds) == 18
    assert set(kinds) == {"opd", "pemdes", "bumd"}


def test_pemalang_seed_jury_comes_from_academia_ngo_and_bureaucracy(seeded):
    assert sorted(seeded.edition.judges.values_list("unsur", flat=True)) == [
        "akademisi", "birokrasi", "ngo"]


def test_pemalang_seed_scored_proposals_and_presentations(seeded):
    proposal, presentation, interview = seeded.edition.stages.order_by("order")
    for stage in (proposal, presentation):
        assert stage.status == StageStatus.CLOSED
        assert StageClosing.objects.get(stage=stage).confirmed_at is not None
        assert ScoreSheet.objects.filter(stage=stage, status="locked").count() == 18 * 3
    assert interview.status == StageStatus.OPEN


def test_pemalang_seed_interview_stage_is_open_with_18_slots(seeded):
    interview = seeded.edition.stages.get(key="wawancara")
    slots = list(InterviewSlot.objects.filter(stage=interview).order_by("starts_at"))
    assert len(slots) == 18
    zone = seeded.edition.zoneinfo
    assert {slot.starts_at.astimezone(zone).date() for slot in slots} == {dt.date(2020, 12, 17)}
    assert all(later.starts_at >= earlier.ends_at for earlier, later in pairwise(slots))
    assert all(slot.ends_at - slot.starts_at == dt.timedelta(minutes=15) for slot in slots)
    scored = set(ScoreSheet.objects.filter(stage=interview).values_list("entry_id", flat=True))
    assert scored == {slot.entry_id for slot in slots[:pemalang.INTERVIEWS_DONE]}


def test_pemalang_seed_run_twice_creates_nothing(seeded):
    rerun = run_again(SEED)
    assert rerun.edition.pk == seeded.edition.pk
    assert rerun.after == rerun.before
    assert rerun.summary.accounts == seeded.summary.accounts
