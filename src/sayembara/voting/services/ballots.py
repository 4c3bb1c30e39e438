"""Setting up the favourite vote of an edition. Its rules freeze once voting opens."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.common.timefmt import format_datetime
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import EntryState
from sayembara.voting.enums import BallotScope, BallotUse
from sayembara.voting.errors import Refused
from sayembara.voting.models import Ballot, BallotCandidate

CANDIDATE_STATES = (EntryState.FINALIST, EntryState.WINNER)
EDITABLE_FIELDS = ("name", "opens_at", "closes_at", "scope", "use", "show_live_counts",
                   "votes_per_ip_per_hour", "votes_per_voter_per_minute")


def snapshot_key(ballot_id: int) -> str:
    return f"ballot-snapshot:{ballot_id}"


def forget_snapshot(ballot_id: int) -> None:
    cache.delete(snapshot_key(ballot_id))


def _ballot_state(ballot: Ballot) -> dict:
    return {field: getattr(ballot, field) for field in EDITABLE_FIELDS} | {
        "candidates": list(ballot.candidates.values_list("entry_id", flat=True))
    }


def is_frozen(ballot: Ballot, *, now: dt.datetime | None = None) -> bool:
    """Rules of a vote are frozen from the moment it opens."""
    return (now or timezone.now()) >= ballot.opens_at


def _defaults_from_template(edition: Edition) -> dict[str, Any]:
    template = template_of(edition)
    zone = edition.zoneinfo
    window = template.public.favourite_vote
    favourite = template.awards.favourite
    defaults: dict[str, Any] = {
        "name": favourite.name if favourite else _("Favourite vote"),
        "scope": (BallotScope.CATEGORY if favourite is None or favourite.scope == "category"
                  else BallotScope.OVERALL),
        "use": (BallotUse.WEIGHTED_STAGE
                if any(stage.score_source == "public_votes" for stage in template.stages)
                else BallotUse.FAVOURITE_PRIZE),
    }
    if window is not None:
        defaults["opens_at"] = dt.datetime.combine(window.start, dt.time(0, 0), tzinfo=zone)
        defaults["closes_at"] = dt.datetime.combine(window.end, dt.time(23, 59, 59), tzinfo=zone)
    return defaults


def _check_window(opens_at: dt.datetime | None, closes_at: dt.datetime | None) -> None:
    if opens_at is None or closes_at is None:
        raise Refused(_("The template has no favourite-vote window. Give the day voting opens "
                        "and the day it closes."))
    if closes_at <= opens_at:
        raise Refused(_("Voting must close after it opens: it opens %(opens)s and closes "
                        "%(closes)s.") % {"opens": opens_at, "closes": closes_at})


@transaction.atomic
def create_ballot(*, edition: Edition, actor: Any, entries: Any = None, **fields: Any) -> Ballot:
    """Create the edition's favourite vote from its template (fields given here win).

    ``entries`` defaults to the edition's finalists and winners.
    """
    if Ballot.objects.filter(edition=edition).exists():
        raise Refused(_("%(edition)s already has a favourite vote. Change that one instead.")
                      % {"edition": edition.title})
    values = _defaults_from_template(edition) | fields
    _check_window(values.get("opens_at"), values.get("closes_at"))
    ballot = Ballot.objects.create(
        edition=edition, created_by=actor if getattr(actor, "pk", None) else None, **values
    )
    if entries is None:
        entries = edition.entries.filter(state__in=CANDIDATE_STATES).order_by("category", "code")
    BallotCandidate.objects.bulk_create(
        BallotCandidate(ballot=ballot, entry=entry, order=order)
        for order, entry in enumerate(entries)
    )
    record_event(actor=actor, action="ballot.created", obj=ballot, edition_id=edition.pk,
                 after=_ballot_state(ballot))
    return ballot


@transaction.atomic
def update_ballot(*, ballot: Ballot, actor: Any, entries: Any = None, reason: str = "",
                  **changes: Any) -> Ballot:
    """Change the window, scope, limits or candidates of a vote that has not opened yet."""
    ballot = Ballot.objects.select_for_update().get(pk=ballot.pk)
    if is_frozen(ballot):
        raise Refused(_("Voting opened on %(opens)s, so its rules are frozen and cannot be "
                        "changed.") % {"opens": format_datetime(ballot.opens_at,
                                                                ballot.edition)})
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise Refused(_("These settings do not exist: %(names)s.")
                      % {"names": ", ".join(sorted(unknown))})
    before = _ballot_state(ballot)
    for name, value in changes.items():
        setattr(ballot, name, value)
    _check_window(ballot.opens_at, ballot.closes_at)
    ballot.save()
    if entries is not None:
        ballot.candidates.all().delete()
        BallotCandidate.objects.bulk_create(
            BallotCandidate(ballot=ballot, entry=entry, order=order)
            for order, entry in enumerate(entries)
        )
    record_event(actor=actor, action="ballot.changed", obj=ballot,
                 edition_id=ballot.edition_id, before=before, after=_ballot_state(ballot),
                 reason=reason)
    transaction.on_commit(lambda: forget_snapshot(ballot.pk))
    return ballot
