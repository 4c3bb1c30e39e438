"""Casting votes, counting them and voiding suspicious ones.

The hot path (``cast_vote``) does one INSERT: the ballot's rules come from a cached
snapshot (they are frozen while voting is open), limits and spent challenges live in the
cache, and counts are aggregated by query (``selectors.votes``) rather than kept in a row
that every vote would update. Single votes are not written to the audit chain (the chain
serialises its appends and would become the bottleneck of a public vote); the vote table is
append-only, and each tally records a SHA-256 digest of every vote it counted, so a later
change to the stored votes is detectable.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.common.timefmt import format_datetime
from sayembara.competitions.services.editions import freeze_rules
from sayembara.voting.enums import BallotScope
from sayembara.voting.errors import Refused
from sayembara.voting.models import Ballot, Vote, VoteTally
from sayembara.voting.services import pow, ratelimit
from sayembara.voting.services.ballots import forget_snapshot, snapshot_key

_LOCAL: dict[int, tuple[float, dict]] = {}
LOCAL_SECONDS = 5.0
SNAPSHOT_SECONDS = 30


def ballot_snapshot(ballot_id: int) -> dict:
    """What the vote endpoint needs to know about a ballot, cached (process and cache)."""
    now = time.monotonic()
    local = _LOCAL.get(ballot_id)
    if local is not None and local[0] > now:
        return local[1]
    snapshot = cache.get(snapshot_key(ballot_id))
    if snapshot is None:
        ballot = Ballot.objects.select_related("edition").filter(pk=ballot_id).first()
        if ballot is None:
            raise Refused(_("This vote does not exist."), status=404)
        candidates = dict(
            ballot.candidates.values_list("entry_id", "entry__category_id")
        )
        snapshot = {
            "id": ballot.pk,
            "edition_id": ballot.edition_id,
            "zone": ballot.edition.timezone,
            "opens_at": ballot.opens_at,
            "closes_at": ballot.closes_at,
            "scope": ballot.scope,
            "per_ip": ballot.votes_per_ip_per_hour,
            "per_voter": ballot.votes_per_voter_per_minute,
            "candidates": candidates,
            "rules_frozen": ballot.edition.rules_frozen_at is not None,
        }
        cache.set(snapshot_key(ballot_id), snapshot, SNAPSHOT_SECONDS)
    _LOCAL[ballot_id] = (now + LOCAL_SECONDS, snapshot)
    return snapshot


def forget_local(ballot_id: int) -> None:
    _LOCAL.pop(ballot_id, None)


def _when(moment: dt.datetime, zone: str) -> str:
    return format_datetime(moment, zone)


def check_window(snapshot: dict, now: dt.datetime) -> None:
    if now < snapshot["opens_at"]:
        raise Refused(_("Voting has not opened yet. It opens on %(when)s.")
                      % {"when": _when(snapshot["opens_at"], snapshot["zone"])}, status=403)
    if now > snapshot["closes_at"]:
        raise Refused(_("Voting closed on %(when)s. Votes are no longer accepted.")
                      % {"when": _when(snapshot["closes_at"], snapshot["zone"])}, status=403)


def cast_vote(*, ballot_id: int, voter_id: int | None, entry_id: int, ip: str | None,
              proof: str, now: dt.datetime | None = None) -> Vote:
    """Record one vote, or raise Refused saying why not (status 4xx, 429 for limits)."""
    if voter_id is None:
        raise Refused(_("Confirm your e-mail address before voting: ask for a code and type "
                        "it in."), status=403)
    now = now or timezone.now()
    snapshot = ballot_snapshot(ballot_id)
    check_window(snapshot, now)
    category_id = snapshot["candidates"].get(entry_id)
    if category_id is None:
        raise Refused(_("This entry is not on the ballot. Choose one of the entries listed on "
                        "the voting page."), status=404)
    ratelimit.hit(f"vote-voter:{voter_id}", limit=snapshot["per_voter"], window=60)
    ratelimit.hit(f"vote-ip:{ip}", limit=snapshot["per_ip"], window=3600)
    nonce = pow.check_solution(payload=proof, purpose="vote")
    unit = category_id if snapshot["scope"] == BallotScope.CATEGORY else 0
    row = Vote(ballot_id=ballot_id, voter_id=voter_id, entry_id=entry_id, unit=unit,
               created_at=now, ip=ip, network=ratelimit.network_of(ip), challenge=nonce)
    try:
        if connection.get_autocommit():
            _insert(row)  # one statement, committed on its own
        else:
            with transaction.atomic():  # a savepoint inside the caller's transaction
                _insert(row)
    except IntegrityError:
        if Vote.objects.filter(challenge=nonce).exists():
            raise Refused(_("This anti-robot check was already used. Reload the page and try "
                            "again."), status=409) from None
        if snapshot["scope"] == BallotScope.CATEGORY:
            message = _("You have already voted in this category. Each person has one vote "
                        "per category.")
        else:
            message = _("You have already voted. Each person has one vote.")
        raise Refused(message, status=409) from None
    if not snapshot["rules_frozen"]:
        _freeze_edition_rules(snapshot)
    return row


_INSERT_COLUMNS = ("ballot_id", "voter_id", "entry_id", "unit", "created_at", "ip", "network",
                   "challenge", "void_reason")
_insert_sql: dict[str, str] = {}


def _insert(row: Vote) -> None:
    """INSERT the vote as one plain statement: the hottest write of the application, kept
    free of the model-save machinery (signals, RETURNING) that nothing here needs."""
    ops = connection.ops
    sql = _insert_sql.get(connection.vendor)
    if sql is None:
        columns = ", ".join(ops.quote_name(Vote._meta.get_field(name).column)
                            for name in _INSERT_COLUMNS)
        sql = (f"INSERT INTO {ops.quote_name(Vote._meta.db_table)} ({columns}) "
               f"VALUES ({', '.join(['%s'] * len(_INSERT_COLUMNS))})")
        _insert_sql[connection.vendor] = sql
    values = [row.ballot_id, row.voter_id, row.entry_id, row.unit,
              ops.adapt_datetimefield_value(row.created_at),
              ops.adapt_ipaddressfield_value(row.ip), row.network, row.challenge, ""]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


def _freeze_edition_rules(snapshot: dict) -> None:
    from sayembara.competitions.models import Edition

    edition = Edition.objects.get(pk=snapshot["edition_id"])
    freeze_rules(edition=edition, actor=None, cause="vote")
    forget_snapshot(snapshot["id"])
    forget_local(snapshot["id"])


def votes_digest(ballot: Ballot) -> str:
    """SHA-256 over every counted vote (id, voter, entry, unit), in id order."""
    digest = hashlib.sha256()
    rows = (Vote.objects.filter(ballot=ballot, voided_at__isnull=True)
            .order_by("pk").values_list("pk", "voter_id", "entry_id", "unit"))
    for row in rows.iterator(chunk_size=5000):
        digest.update(",".join(str(v) for v in row).encode() + b"\n")
    return digest.hexdigest()


@transaction.atomic
def record_tally(*, ballot: Ballot, actor: Any) -> dict[int, int]:
    """Store the counts per candidate (VoteTally) and log them with the votes' digest."""
    counts = dict(
        Vote.objects.filter(ballot=ballot, voided_at__isnull=True)
        .values("entry_id").annotate(n=Count("pk")).values_list("entry_id", "n")
    )
    now = timezone.now()
    entry_ids = list(ballot.candidates.values_list("entry_id", flat=True))
    VoteTally.objects.filter(ballot=ballot).delete()
    VoteTally.objects.bulk_create(
        VoteTally(ballot=ballot, entry_id=entry_id, votes=counts.get(entry_id, 0),
                  counted_at=now)
        for entry_id in entry_ids
    )
    record_event(actor=actor, action="ballot.tallied", obj=ballot, edition_id=ballot.edition_id,
                 after={"counts": {str(k): counts.get(k, 0) for k in entry_ids},
                        "digest": votes_digest(ballot)})
    return {entry_id: counts.get(entry_id, 0) for entry_id in entry_ids}


@transaction.atomic
def void_votes(*, ballot: Ballot, actor: Any, reason: str, network: str = "",
               vote_ids: list[int] | None = None) -> int:
    """Void votes judged fraudulent (from one network, or listed), with a written reason."""
    if not reason.strip():
        raise Refused(_("Say why these votes are voided; the reason is kept in the audit "
                        "log and shown in the anomaly report."))
    votes = Vote.objects.filter(ballot=ballot, voided_at__isnull=True)
    if network:
        votes = votes.filter(network=network)
    elif vote_ids:
        votes = votes.filter(pk__in=vote_ids)
    else:
        raise Refused(_("Choose the network or the votes to void."))
    ids = list(votes.values_list("pk", flat=True))
    Vote.objects.filter(pk__in=ids).update(voided_at=timezone.now(), void_reason=reason.strip())
    record_event(actor=actor, action="ballot.votes_voided", obj=ballot,
                 edition_id=ballot.edition_id,
                 after={"network": network, "votes": ids}, reason=reason.strip())
    transaction.on_commit(lambda: cache.delete(f"ballot-counts:{ballot.pk}"))
    return len(ids)
