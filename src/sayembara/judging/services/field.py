"""Field verification: the visit, a checklist per aspect, evidence, data for the minutes.

The scores of a field-verification stage are given on the ordinary score sheet; when the
template says the stage can only lower the carried score, the engine applies that rule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.common.services.security import record_refused_upload
from sayembara.common.timefmt import format_date
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.entries.validators import check_upload
from sayembara.judging.enums import FieldFinding
from sayembara.judging.models import Assignment, FieldCheck, FieldEvidence, FieldVisit, Judge
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.sheets import check_stage_open

#: Evidence files accepted from a visit (photos and documents), recognised by their content.
EVIDENCE_KINDS = ("jpg", "png", "webp", "pdf")
EVIDENCE_MAX_SIZE_MB = Decimal(15)


def _check_open(stage: Stage) -> None:
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; the visit record can no longer change.") % {"stage": stage.name}
        )
    check_stage_open(stage)


def visit_for(*, stage: Stage, entry: Entry) -> FieldVisit:
    visit, _created = FieldVisit.objects.get_or_create(stage=stage, entry=entry)
    return visit


@transaction.atomic
def save_field_visit(
    *,
    stage: Stage,
    entry: Entry,
    actor: Any,
    visited_on: dt.date | None = None,
    place: str = "",
    received_by: str = "",
    findings: str = "",
    visitors: list[Judge] | None = None,
) -> FieldVisit:
    """Record who visited, when, where, who received the team and what was found."""
    _check_open(stage)
    if entry.edition_id != stage.edition_id:
        raise JudgingError(_("The entry does not belong to this edition."))
    if visited_on is not None and visited_on > timezone.localdate(timezone.now(),
                                                                 stage.edition.zoneinfo):
        raise JudgingError(
            _("The date of the visit (%(date)s) lies in the future; record the visit after it "
              "took place.") % {"date": format_date(visited_on)},
            problems={"visited_on": _("Choose today or an earlier date.")},
        )
    visit = visit_for(stage=stage, entry=entry)
    before = {"visited_on": visit.visited_on, "place": visit.place,
              "received_by": visit.received_by, "findings": visit.findings,
              "visitors": sorted(visit.visitors.values_list("pk", flat=True))}
    visit.visited_on = visited_on
    visit.place = place.strip()
    visit.received_by = received_by.strip()
    visit.findings = findings.strip()
    visit.save()
    if visitors is not None:
        foreign = [j for j in visitors if j.edition_id != stage.edition_id]
        if foreign:
            raise JudgingError(_("Every visitor must sit on this edition's jury or team."))
        visit.visitors.set(visitors)
    after = {"visited_on": visit.visited_on, "place": visit.place,
             "received_by": visit.received_by, "findings": visit.findings,
             "visitors": sorted(visit.visitors.values_list("pk", flat=True))}
    if before != after:
        record_event(actor=actor, action="field_visit.saved", obj=visit,
                     object_type="judging.fieldvisit", edition_id=stage.edition_id,
                     before=before, after=after)
    return visit


@transaction.atomic
def save_field_check(*, visit: FieldVisit, criterion_key: str, finding: str, note: str = "",
                     actor: Any) -> FieldCheck:
    """Record whether the claims of one aspect were proven on site."""
    _check_open(visit.stage)
    if finding not in FieldFinding.values:
        raise JudgingError(
            _("Choose whether the aspect was proven, partly proven or not proven."),
            problems={criterion_key: _("Choose a finding.")},
        )
    rubric = visit.stage.rubric_for(visit.entry.category_id)
    criterion = rubric.criteria.filter(key=criterion_key).first() if rubric else None
    if criterion is None:
        raise JudgingError(_("This checklist has no aspect “%(key)s”.") % {"key": criterion_key})
    if finding == FieldFinding.NOT_PROVEN and not note.strip():
        raise JudgingError(
            _("Write what was missing when an aspect is not proven; the minutes need it."),
            problems={criterion_key: _("Describe what was not proven.")},
        )
    check, _created = FieldCheck.objects.get_or_create(
        visit=visit, criterion=criterion, defaults={"finding": finding, "note": note.strip()}
    )
    before = None if _created else {"finding": check.finding, "note": check.note}
    check.finding, check.note = finding, note.strip()
    check.save()
    if before != {"finding": check.finding, "note": check.note}:
        record_event(actor=actor, action="field_check.saved", obj=check,
                     object_type="judging.fieldcheck", edition_id=visit.stage.edition_id,
                     before=before, after={"criterion": criterion_key, "finding": finding,
                                           "note": check.note})
    return check


def add_field_evidence(*, visit: FieldVisit, upload: Any, actor: Any, caption: str = "",
                       criterion_key: str = "") -> FieldEvidence:
    """Keep a photo or a document taken during the visit. A refused file is recorded as a
    security event (outside the transaction that would keep the evidence)."""
    _check_open(visit.stage)
    purpose = _("evidence of the field visit")
    try:
        check_upload(upload, kinds=EVIDENCE_KINDS, max_size_mb=EVIDENCE_MAX_SIZE_MB,
                     purpose=purpose)
    except ValidationError as error:
        record_refused_upload(actor=actor, obj=visit.entry, upload=upload, purpose=purpose,
                              error=error)
        raise JudgingError(error.messages[0], problems={"file": error.messages[0]}) from error
    return _keep_field_evidence(visit=visit, upload=upload, actor=actor, caption=caption,
                                criterion_key=criterion_key)


@transaction.atomic
def _keep_field_evidence(*, visit: FieldVisit, upload: Any, actor: Any, caption: str,
                         criterion_key: str) -> FieldEvidence:
    criterion = None
    if criterion_key:
        rubric = visit.stage.rubric_for(visit.entry.category_id)
        criterion = rubric.criteria.filter(key=criterion_key).first() if rubric else None
    evidence = FieldEvidence.objects.create(
        visit=visit, file=upload, caption=caption.strip()[:300], criterion=criterion,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(actor=actor, action="field_evidence.added", obj=evidence,
                 object_type="judging.fieldevidence", edition_id=visit.stage.edition_id,
                 after={"visit": visit.pk, "file": evidence.file.name, "caption": evidence.caption,
                        "criterion": criterion_key or None})
    return evidence


@transaction.atomic
def complete_field_visit(*, visit: FieldVisit, actor: Any) -> FieldVisit:
    """Mark the visit record complete: date, visitors and a finding for every aspect."""
    _check_open(visit.stage)
    problems = []
    if visit.visited_on is None:
        problems.append(_("the date of the visit"))
    if not visit.visitors.exists():
        problems.append(_("who visited"))
    rubric = visit.stage.rubric_for(visit.entry.category_id)
    wanted = set(rubric.criteria.values_list("pk", flat=True)) if rubric else set()
    checked = set(visit.checks.values_list("criterion_id", flat=True))
    if wanted - checked:
        problems.append(_("a finding for every aspect"))
    if problems:
        raise JudgingError(
            _("The visit record is not complete yet; still missing: %(missing)s.")
            % {"missing": ", ".join(str(p) for p in problems)}
        )
    visit.completed_at = timezone.now()
    visit.save(update_fields=["completed_at", "updated_at"])
    record_event(actor=actor, action="field_visit.completed", obj=visit,
                 object_type="judging.fieldvisit", edition_id=visit.stage.edition_id,
                 after={"entry": visit.entry.code})
    return visit


def is_field_team_member(*, stage: Stage, judge: Judge, entry: Entry) -> bool:
    return Assignment.objects.filter(stage=stage, judge=judge, entry=entry).exists()
