"""KIPP Minahasa Utara 2024 in the demo: during the favourite vote."""

from __future__ import annotations

from collections import Counter

import pytest

from sayembara.competitions.enums import StageStatus
from sayembara.demo import kipp_minut
from sayembara.entries.enums import EntryState
from sayembara.entries.selectors.tracker import mandatory_tracker
from sayembara.entries.validators import check_video_url
from sayembara.judging.models import ScoreSheet
from sayembara.voting.models import Comment, Vote
from sayembara.voting.selectors.votes import anomaly_report, voting_state
from tests.demo.conftest import run_again

SEED = kipp_minut.seed
pytestmark = pytest.mark.django_db


def test_kipp_minut_seed_tracker_shows_who_has_not_submitted(seeded):
    tracker = mandatory_tracker(seeded.edition)
    assert tracker.unknown_names == []
    assert (tracker.total, tracker.submitted_count) == (53, 46)
    missing = {row.institution.name for row in tracker.missing}
    assert len(missing) == 7
    assert {"Dinas Ketahanan Pangan", "Kecamatan Wori", "Kecamatan Likupang Selatan"} <= missing
    names = {row.institution.name for row in tracker.rows}
    assert {"RSUD Maria Walanda Maramis", "PDAM Minahasa Utara", "PUD Klabat",
            "Kecamatan Airmadidi", "Kecamatan Wori"} <= names


def test_kipp_minut_seed_entries_carry_one_to_two_minute_video_links(seeded):
    submitted = list(seeded.edition.entries.exclude(state=EntryState.DRAFT))
    assert len(submitted) == 46
    for entry in submitted:
        assert check_video_url(entry.video_url, hosts=("drive.google.com",)) == entry.video_url
        assert 60 <= entry.video_seconds <= 120
    too_long = seeded.edition.entries.get(institution__name="Kecamatan Wori")
    assert (too_long.state, too_long.video_seconds) == (EntryState.DRAFT, 135)


def test_kipp_minut_seed_jury_is_scoring_the_videos(seeded):
    first, second = seeded.edition.stages.order_by("order")
    assert (first.status, second.status) == (StageStatus.OPEN, StageStatus.PENDING)
    statuses = Counter(ScoreSheet.objects.filter(stage=first).values_list("status", flat=True))
    assert statuses["submitted"] > 0 and statuses["draft"] > 0
    assert first.assignments.count() > sum(statuses.values())
    assert not first.assignments.filter(judge__role="kehormatan").exists()


def test_kipp_minut_seed_favourite_vote_is_open_with_verified_votes(seeded):
    ballot = seeded.edition.ballot
    assert voting_state(ballot) == "open"
    assert ballot.candidates.count() == 46
    votes = Vote.objects.filter(ballot=ballot)
    assert votes.count() == kipp_minut.VOTES + kipp_minut.BURST_VOTES
    assert not votes.filter(voter__verified_at__isnull=True).exists()
    assert votes.values("voter").distinct().count() == votes.count()
    report = anomaly_report(ballot)
    assert [row["network"] for row in report.networks] == ["10.200.7.0/24"]
    assert [row["voter__domain"] for row in report.domains] == ["kilatmail.example"]
    assert len(report.bursts) == 1


def test_kipp_minut_seed_comments_wait_for_moderation_or_are_moderated(seeded):
    statuses = Counter(Comment.objects.filter(entry__edition=seeded.edition)
                       .values_list("status", flat=True))
    assert statuses["published"] > 0 and statuses["pending"] > 0
    assert statuses["hidden"] == 1


def test_kipp_minut_seed_run_twice_creates_nothing(seeded):
    rerun = run_again(SEED)
    assert rerun.edition.pk == seeded.edition.pk
    assert rerun.after == rerun.before
    assert rerun.summary.accounts == seeded.summary.accounts
