import datetime as dt
import itertools

import pytest
from django.utils import timezone

from sayembara.voting.models import Vote
from sayembara.voting.selectors.votes import anomaly_report
from tests import factories_public as f

pytestmark = pytest.mark.django_db

_spread = itertools.count(1)


def scattered(_n):
    """A different /24 network for every vote."""
    k = next(_spread)
    return f"10.{k // 250}.{k % 250}.9"


@pytest.fixture
def ballot_with_entries():
    edition = f.public_edition()
    a, b = f.entry(edition), f.entry(edition)
    return f.open_ballot(edition), a, b


def add_votes(ballot, entry, *, count, at, ip=scattered,
              domain="gmail.com", verified_at=None):
    rows = []
    for n in range(count):
        citizen = f.voter(f"v{entry.pk}-{at.timestamp():.0f}-{n}@{domain}",
                          verified_at=verified_at or at - dt.timedelta(days=3, minutes=n * 7))
        rows.append(Vote(ballot=ballot, voter=citizen, entry=entry, unit=entry.category_id,
                         created_at=at + dt.timedelta(seconds=n % 50), ip=ip(n),
                         network=".".join(ip(n).split(".")[:3]) + ".0/24",
                         challenge=f"c-{entry.pk}-{at.timestamp():.0f}-{n}"))
    Vote.objects.bulk_create(rows)


def test_anomaly_report_quiet_vote_flags_nothing(ballot_with_entries):
    ballot, a, b = ballot_with_entries
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=5)
    for minute in range(0, 120, 10):
        add_votes(ballot, a, count=2, at=start + dt.timedelta(minutes=minute))
        add_votes(ballot, b, count=1, at=start + dt.timedelta(minutes=minute + 1))
    report = anomaly_report(ballot)
    assert report.total == 36
    assert (report.bursts, report.networks, report.new_voter_waves, report.domains) == \
        ([], [], [], [])


def test_anomaly_report_finds_a_burst_from_one_network_and_domain(ballot_with_entries):
    ballot, a, b = ballot_with_entries
    start = timezone.now().replace(second=0, microsecond=0) - dt.timedelta(hours=5)
    for minute in range(0, 120, 10):
        add_votes(ballot, a, count=2, at=start + dt.timedelta(minutes=minute))
    burst_at = start + dt.timedelta(minutes=200)
    add_votes(ballot, b, count=1, at=start + dt.timedelta(minutes=5))
    add_votes(ballot, b, count=1, at=start + dt.timedelta(minutes=15))
    add_votes(ballot, b, count=40, at=burst_at, ip=lambda n: f"203.0.113.{n}",
              domain="kantor-x.id", verified_at=burst_at - dt.timedelta(minutes=5))
    report = anomaly_report(ballot)
    assert [(row["entry_id"], row["n"]) for row in report.bursts] == [(b.pk, 40)]
    assert [(row["network"], row["n"]) for row in report.networks] == [("203.0.113.0/24", 40)]
    assert [(row["voter__domain"], row["n"]) for row in report.domains] == [("kantor-x.id", 40)]
    assert [wave["n"] for wave in report.new_voter_waves] == [40]
