"""Presentation and interview schedules: a slot per entry, in rooms or video calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.common.timefmt import format_datetime, format_time
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.judging.models import InterviewSlot
from sayembara.judging.services.errors import JudgingError


def slot_lengths(stage: Stage) -> tuple[int, int, int]:
    """(presentation, questions, changeover) minutes from the stage's template rules."""
    slot = stage.settings.get("slot") or {}
    return (int(slot.get("presentation_minutes", 0) or 0),
            int(slot.get("questions_minutes", 0) or 0),
            int(slot.get("changeover_minutes", 0) or 0))


@transaction.atomic
def schedule_stage(
    *,
    stage: Stage,
    entries: Sequence[Entry],
    first_start: dt.datetime,
    actor: Any,
    rooms: Sequence[str] = ("",),
    link: str = "",
    day_end: dt.time | None = None,
    presentation_minutes: int | None = None,
    questions_minutes: int | None = None,
    changeover_minutes: int | None = None,
) -> list[InterviewSlot]:
    """Lay out one slot per entry, replacing the stage's schedule.

    Slots run back to back in each room from ``first_start`` (aware, in the edition's zone);
    entries go to the rooms in turn. When a slot would end after ``day_end`` it moves to
    the next day at the time of ``first_start``. Slot lengths default to the template's.
    """
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(_("%(stage)s is closed; its schedule is kept as it was.")
                           % {"stage": stage.name})
    if first_start.tzinfo is None:
        raise JudgingError(_("Give the first slot's start with its time zone."))
    default = slot_lengths(stage)
    present = default[0] if presentation_minutes is None else presentation_minutes
    questions = default[1] if questions_minutes is None else questions_minutes
    change = default[2] if changeover_minutes is None else changeover_minutes
    length = dt.timedelta(minutes=present + questions)
    if length <= dt.timedelta(0):
        raise JudgingError(
            _("Give the length of a slot: minutes of presentation and of questions."),
            problems={"presentation_minutes": _("Enter the minutes of presentation.")},
        )
    rooms = [r.strip() for r in rooms] or [""]
    zone = stage.edition.zoneinfo
    start_local = first_start.astimezone(zone)
    if day_end is not None and (dt.datetime.combine(start_local.date(), day_end, zone)
                                < start_local + length):
        raise JudgingError(
            _("The day ends %(end)s, before the first slot can finish; choose an earlier "
              "start or a later end of day.")
            % {"end": format_time(dt.datetime.combine(start_local.date(), day_end, zone),
                                  stage.edition)}
        )
    InterviewSlot.objects.filter(stage=stage).delete()
    next_start = {room: start_local for room in rooms}
    slots = []
    for index, entry in enumerate(entries):
        room = rooms[index % len(rooms)]
        begin = next_start[room]
        if day_end is not None and begin + length > dt.datetime.combine(begin.date(), day_end,
                                                                         zone):
            day = begin.date() + dt.timedelta(days=1)
            begin = dt.datetime.combine(day, start_local.timetz().replace(tzinfo=None), zone)
        end = begin + length
        slots.append(InterviewSlot(stage=stage, entry=entry, starts_at=begin, ends_at=end,
                                   presentation_minutes=present, questions_minutes=questions,
                                   room=room, link=link))
        next_start[room] = end + dt.timedelta(minutes=change)
    InterviewSlot.objects.bulk_create(slots)
    record_event(actor=actor, action="schedule.created", obj=stage,
                 object_type="competitions.stage", edition_id=stage.edition_id,
                 after={"stage": stage.key, "slots": [[s.entry.code, s.starts_at, s.room]
                                                      for s in slots]})
    return slots


@transaction.atomic
def set_slot(*, stage: Stage, entry: Entry, starts_at: dt.datetime, actor: Any,
             minutes: int | None = None, room: str = "", link: str = "", note: str = ""
             ) -> InterviewSlot:
    """Create or move one entry's slot; refuses an overlap with another slot in the room."""
    present, questions, _change = slot_lengths(stage)
    existing = InterviewSlot.objects.filter(stage=stage, entry=entry).first()
    if minutes is None and existing is not None:
        length = existing.ends_at - existing.starts_at
        present, questions = existing.presentation_minutes, existing.questions_minutes
    else:
        length = dt.timedelta(minutes=minutes if minutes is not None else present + questions)
    if length <= dt.timedelta(0):
        raise JudgingError(_("Give the length of the slot in minutes."))
    ends_at = starts_at + length
    clash = (InterviewSlot.objects.filter(stage=stage, room=room.strip(),
                                          starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(entry=entry).select_related("entry").first())
    if clash is not None and not link:
        raise JudgingError(
            _("The slot overlaps with the slot of entry %(entry)s (%(time)s) in %(room)s; "
              "choose another time or room.")
            % {"entry": clash.entry.code, "time": format_datetime(clash.starts_at, stage.edition),
               "room": room or _("the same room")}
        )
    slot, _created = InterviewSlot.objects.update_or_create(
        stage=stage, entry=entry,
        defaults={"starts_at": starts_at, "ends_at": ends_at, "room": room.strip(),
                  "link": link.strip(), "note": note.strip(),
                  "presentation_minutes": present, "questions_minutes": questions},
    )
    record_event(actor=actor, action="schedule.slot_set", obj=slot,
                 object_type="judging.interviewslot", edition_id=stage.edition_id,
                 after={"entry": entry.code, "starts_at": starts_at, "room": slot.room,
                        "link": slot.link})
    return slot
