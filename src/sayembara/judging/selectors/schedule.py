"""Schedule reads, for the secretariat and for participants."""

from __future__ import annotations

from django.db.models import QuerySet

from sayembara.entries.models import Entry
from sayembara.judging.models import InterviewSlot


def slots_of_entry(entry: Entry) -> QuerySet[InterviewSlot]:
    """The participant's own presentation and interview slots, soonest first.

    For the participant side: show ``starts_at``/``ends_at`` in the edition's time zone,
    ``room`` or ``link``, and ``note``.
    """
    return InterviewSlot.objects.filter(entry=entry).select_related("stage").order_by("starts_at")


def stage_schedule(stage) -> QuerySet[InterviewSlot]:
    return (InterviewSlot.objects.filter(stage=stage)
            .select_related("entry", "entry__institution", "entry__category")
            .order_by("starts_at", "room"))
