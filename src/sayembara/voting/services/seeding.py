"""Votes for demonstrations and load tests, written in bulk.

A real vote goes through ``votes.cast_vote`` (verified address, proof of work, limits). The
demo needs a ballot that already holds thousands of votes spread over days, so this writes
verified voters under a reserved domain and their votes directly, in one transaction, and
logs what it did. Never use it for a real edition: the voters' domain says they are made up.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from typing import Any

from django.db import transaction

from sayembara.common.services.audit import record_event
from sayembara.voting.enums import BallotScope
from sayembara.voting.models import Ballot, Vote, Voter

DEMO_DOMAIN = "demo.sayembara.invalid"


@transaction.atomic
def seed_votes(*, ballot: Ballot, counts: dict[int, int], actor: Any, start: dt.datetime,
               end: dt.datetime, seed: int = 0) -> int:
    """Write ``counts[entry_id]`` votes per candidate, spread between ``start`` and ``end``.

    Each synthetic voter votes once per category (or once in all, by the ballot's scope).
    Returns the number of votes written.
    """
    rng = random.Random(seed)
    candidates = dict(ballot.candidates.values_list("entry_id", "entry__category_id"))
    unknown = set(counts) - set(candidates)
    if unknown:
        raise ValueError(f"Entries {sorted(unknown)} are not candidates of this ballot.")
    per_unit: dict[int, list[int]] = {}
    for entry_id, count in counts.items():
        unit = candidates[entry_id] if ballot.scope == BallotScope.CATEGORY else 0
        per_unit.setdefault(unit, []).extend([entry_id] * count)
    needed = max((len(items) for items in per_unit.values()), default=0)
    first = Voter.objects.filter(domain=DEMO_DOMAIN).count()
    span = max((end - start).total_seconds(), 1)
    voters = Voter.objects.bulk_create(
        Voter(address=f"pemilih{first + n}@{DEMO_DOMAIN}", domain=DEMO_DOMAIN,
              verified_at=start + dt.timedelta(seconds=rng.uniform(0, span) / 2))
        for n in range(needed)
    )
    if any(v.pk is None for v in voters):  # backends that do not return ids from bulk inserts
        voters = list(Voter.objects.filter(domain=DEMO_DOMAIN).order_by("pk")[first:])
    votes = []
    for unit, entries in per_unit.items():
        rng.shuffle(entries)
        for voter, entry_id in zip(voters, entries, strict=False):
            votes.append(Vote(
                ballot=ballot, voter=voter, entry_id=entry_id, unit=unit,
                created_at=max(voter.verified_at, start)
                + dt.timedelta(seconds=rng.uniform(0, span / 2)),
                ip=f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                challenge=secrets.token_hex(12),
            ))
    for vote in votes:
        vote.network = ".".join(vote.ip.split(".")[:3]) + ".0/24"
    Vote.objects.bulk_create(votes, batch_size=2000)
    record_event(actor=actor, action="ballot.demo_votes_seeded", obj=ballot,
                 edition_id=ballot.edition_id,
                 after={"votes": len(votes), "domain": DEMO_DOMAIN})
    return len(votes)
