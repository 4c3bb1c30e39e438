"""Deadlines of entries, with the extensions the organiser granted."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max, Q
from django.utils import timezone

from sayembara.competitions.models import Edition
from sayembara.entries.models import DeadlineExtension, Entry


def effective_deadline(entry: Entry) -> dt.datetime | None:
    """The last moment this entry may be submitted: the edition's deadline, or a later one
    granted to every entry or to this entry. None when the edition has no deadline."""
    edition = entry.edition
    extended = DeadlineExtension.objects.filter(
        Q(entry__isnull=True) | Q(entry_id=entry.pk), edition_id=edition.pk
    ).aggregate(until=Max("until"))["until"]
    candidates = [value for value in (edition.submission_deadline, extended) if value]
    return max(candidates) if candidates else None


def edition_deadline(edition: Edition) -> dt.datetime | None:
    """The deadline every entry of the edition has (with extensions granted to everyone)."""
    extended = DeadlineExtension.objects.filter(
        edition_id=edition.pk, entry__isnull=True
    ).aggregate(until=Max("until"))["until"]
    candidates = [value for value in (edition.submission_deadline, extended) if value]
    return max(candidates) if candidates else None


def entry_deadlines(edition: Edition, entry_ids: list[int]) -> dict[int, dt.datetime | None]:
    """Deadlines of many entries of one edition in two queries."""
    general = edition_deadline(edition)
    own = dict(
        DeadlineExtension.objects.filter(edition_id=edition.pk, entry_id__in=entry_ids)
        .values("entry_id").annotate(until=Max("until")).values_list("entry_id", "until")
    )
    result = {}
    for entry_id in entry_ids:
        candidates = [value for value in (general, own.get(entry_id)) if value]
        result[entry_id] = max(candidates) if candidates else None
    return result


def format_deadline(moment: dt.datetime, edition: Edition) -> str:
    """``31 Juli 2024 pukul 16.00 WITA``: a deadline as the edition's participants read it."""
    from sayembara.common.timefmt import format_datetime

    return format_datetime(moment, edition)


def is_past(moment: dt.datetime | None, now: dt.datetime | None = None) -> bool:
    return moment is not None and (now or timezone.now()) > moment
