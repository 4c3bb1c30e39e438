"""Who scores what: assignments of judges to entries at a stage."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.judging.models import Assignment, Judge, ScoreSheet
from sayembara.judging.services.conflicts import conflict_message, conflict_of
from sayembara.judging.services.errors import JudgingError


def check_same_edition(*, stage: Stage, judge: Judge, entry: Entry) -> None:
    if not (stage.edition_id == judge.edition_id == entry.edition_id):
        raise JudgingError(
            _("The stage, the judge and the entry must belong to the same edition.")
        )


@transaction.atomic
def assign(
    *, stage: Stage, judge: Judge, entry: Entry, actor: Any, extra_reviewer: bool = False
) -> Assignment:
    """Give ``entry`` to ``judge`` at ``stage`` (idempotent).

    Refuses a conflicted pair, a pair from different editions and a closed stage.
    """
    check_same_edition(stage=stage, judge=judge, entry=entry)
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; assignments can no longer change.") % {"stage": stage.name}
        )
    kind = conflict_of(judge=judge, entry=entry)
    if kind:
        raise JudgingError(conflict_message(judge=judge, entry=entry, kind=kind))
    assignment, created = Assignment.objects.get_or_create(
        stage=stage, judge=judge, entry=entry, defaults={"is_extra_reviewer": extra_reviewer}
    )
    if created:
        record_event(
            actor=actor, action="assignment.created", obj=assignment,
            object_type="judging.assignment", edition_id=stage.edition_id,
            after={"stage": stage.key, "judge": judge.pk, "entry": entry.code,
                   "extra_reviewer": extra_reviewer},
        )
    return assignment


@transaction.atomic
def unassign(*, stage: Stage, judge: Judge, entry: Entry, actor: Any, reason: str = "") -> None:
    """Take an entry away from a judge. Refused once the judge submitted the sheet."""
    assignment = Assignment.objects.filter(stage=stage, judge=judge, entry=entry).first()
    if assignment is None:
        return
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; assignments can no longer change.") % {"stage": stage.name}
        )
    sheet = ScoreSheet.objects.filter(stage=stage, judge=judge, entry=entry).first()
    if sheet is not None and sheet.status != "draft":
        raise JudgingError(
            _("%(judge)s already submitted scores for %(entry)s; the assignment stays. Correct "
              "the scores with a reason instead.") % {"judge": judge.name, "entry": entry.code}
        )
    assignment.delete()
    record_event(
        actor=actor, action="assignment.removed", object_type="judging.assignment",
        object_id=f"{stage.pk}:{judge.pk}:{entry.pk}", edition_id=stage.edition_id,
        before={"stage": stage.key, "judge": judge.pk, "entry": entry.code}, reason=reason,
    )
