"""Reading votes: live counts for the public, exact counts for the engine, anomalies."""

from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field
from statistics import median

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import TruncMinute
from django.utils import timezone

from sayembara.voting.models import Ballot, Vote, Voter

LIVE_SECONDS = 10
_BALLOT_IDS: dict[str, tuple[float, int]] = {}

# Providers whose many voters are expected; a concentration elsewhere is worth a look.
COMMON_DOMAINS = frozenset({"gmail.com", "yahoo.com", "yahoo.co.id", "outlook.com",
                            "hotmail.com", "icloud.com", "ymail.com", "live.com"})


def ballot_id_for(edition_slug: str) -> int | None:
    """The ballot id of a public edition, cached (the vote endpoint asks on every vote)."""
    key = f"ballot-id:{edition_slug}"
    local = _BALLOT_IDS.get(key)
    if local is not None and local[0] > time.monotonic():
        return local[1] or None
    found = cache.get(key)
    if found is None:
        from sayembara.documents.selectors.public import PUBLIC_EDITION_STATES

        found = (Ballot.objects.filter(edition__slug=edition_slug,
                                       edition__status__in=PUBLIC_EDITION_STATES)
                 .values_list("pk", flat=True).first()) or 0
        cache.set(key, found, 60)
    _BALLOT_IDS[key] = (time.monotonic() + 5, found)
    return found or None


def vote_counts(ballot: Ballot) -> dict[int, int]:
    """Exact counts of valid (not voided) votes per candidate entry, zeros included.

    These are the numbers the engine takes as ``votes`` per entry.
    """
    counts = dict(
        Vote.objects.filter(ballot=ballot, voided_at__isnull=True)
        .values("entry_id").annotate(n=Count("pk")).values_list("entry_id", "n")
    )
    return {entry_id: counts.get(entry_id, 0)
            for entry_id in ballot.candidates.values_list("entry_id", flat=True)}


def edition_vote_counts(edition) -> dict[int, int]:
    """Counts per entry for an edition (empty when it has no favourite vote)."""
    ballot = Ballot.objects.filter(edition=edition).first()
    return vote_counts(ballot) if ballot else {}


@dataclass(frozen=True)
class LiveCounts:
    """Counts per entry as they were at ``counted_at`` (shown beside them)."""

    counts: dict[int, int]
    counted_at: dt.datetime


def live_counts(ballot: Ballot) -> LiveCounts:
    """Counts for the public page, recomputed at most every LIVE_SECONDS seconds."""
    key = f"ballot-counts:{ballot.pk}"
    found = cache.get(key)
    if not isinstance(found, LiveCounts):
        found = LiveCounts(counts=vote_counts(ballot), counted_at=timezone.now())
        cache.set(key, found, LIVE_SECONDS)
    return found


@dataclass
class AnomalyReport:
    total: int = 0
    voided: int = 0
    bursts: list[dict] = field(default_factory=list)
    networks: list[dict] = field(default_factory=list)
    ips: list[dict] = field(default_factory=list)
    new_voter_waves: list[dict] = field(default_factory=list)
    domains: list[dict] = field(default_factory=list)
    minute_median: float = 0


def anomaly_report(ballot: Ballot, *, burst_factor: int = 5, burst_min: int = 20,
                   network_min: int = 10, domain_share: float = 0.2,
                   wave_min: int = 20) -> AnomalyReport:
    """Patterns that suggest stuffing, for the organiser to examine (never acted on alone).

    - bursts: minutes in which one entry got at least ``burst_min`` votes and
      ``burst_factor`` times the median of its busy minutes;
    - networks and addresses: a /24 (/64) network or one IP casting ``network_min`` or more;
    - new-voter waves: ten-minute windows in which ``wave_min`` or more voters who voted
      here were verified (new accounts created in a rush);
    - e-mail domains: a domain outside the big providers holding ``domain_share`` or more of
      an entry's votes (at least ``network_min`` votes).
    """
    votes = Vote.objects.filter(ballot=ballot)
    report = AnomalyReport(total=votes.filter(voided_at__isnull=True).count(),
                           voided=votes.filter(voided_at__isnull=False).count())
    valid = votes.filter(voided_at__isnull=True)

    per_minute = list(
        valid.annotate(minute=TruncMinute("created_at"))
        .values("entry_id", "entry__code", "entry__title", "minute")
        .annotate(n=Count("pk")).order_by("entry_id", "minute")
    )
    by_entry: dict[int, list[int]] = {}
    for row in per_minute:
        by_entry.setdefault(row["entry_id"], []).append(row["n"])
    medians = {entry_id: median(ns) for entry_id, ns in by_entry.items()}
    all_counts = [row["n"] for row in per_minute]
    report.minute_median = float(median(all_counts)) if all_counts else 0
    for row in per_minute:
        if row["n"] >= burst_min and row["n"] >= burst_factor * medians[row["entry_id"]]:
            report.bursts.append(row | {"median": medians[row["entry_id"]]})
    if not report.bursts:
        # A single busy entry has a median equal to its burst; compare with all minutes.
        for row in per_minute:
            if row["n"] >= burst_min and row["n"] >= burst_factor * max(report.minute_median, 1):
                report.bursts.append(row | {"median": report.minute_median})

    report.networks = list(
        valid.exclude(network="").values("network").annotate(n=Count("pk"),
                                                             entries=Count("entry", distinct=True))
        .filter(n__gte=network_min).order_by("-n")[:50]
    )
    report.ips = list(
        valid.exclude(ip__isnull=True).values("ip").annotate(n=Count("pk"))
        .filter(n__gte=network_min).order_by("-n")[:50]
    )

    voter_ids = valid.values("voter_id")
    verified = list(
        Voter.objects.filter(pk__in=voter_ids, verified_at__isnull=False)
        .order_by("verified_at").values_list("verified_at", flat=True)
    )
    window = dt.timedelta(minutes=10)
    start = 0
    for end, moment in enumerate(verified):
        while moment - verified[start] > window:
            start += 1
        size = end - start + 1
        if size < wave_min:
            continue
        last = report.new_voter_waves[-1] if report.new_voter_waves else None
        if last is not None and verified[start] <= last["until"]:
            last["until"] = moment
            last["n"] = max(last["n"], size)
        else:
            report.new_voter_waves.append({"since": verified[start], "until": moment, "n": size})

    per_domain = list(
        valid.values("entry_id", "entry__code", "entry__title", "voter__domain")
        .annotate(n=Count("pk")).order_by("entry_id")
    )
    totals: Counter[int] = Counter()
    for row in per_domain:
        totals[row["entry_id"]] += row["n"]
    for row in per_domain:
        domain = row["voter__domain"]
        share = row["n"] / totals[row["entry_id"]]
        if domain and domain not in COMMON_DOMAINS and row["n"] >= network_min \
                and share >= domain_share:
            report.domains.append(row | {"share": share, "entry_total": totals[row["entry_id"]]})
    report.domains.sort(key=lambda row: -row["n"])
    return report


def voting_state(ballot: Ballot, *, now: dt.datetime | None = None) -> str:
    now = now or timezone.now()
    if now < ballot.opens_at:
        return "upcoming"
    if now > ballot.closes_at:
        return "closed"
    return "open"
