"""Reads about the jury: the judges of a stage, their roles, the entries of a stage."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from sayembara.competitions.models import Stage
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.judging.enums import JuryRole
from sayembara.judging.models import Judge, PanelMember

#: States of an entry still taking part in a stage.
ACTIVE_STATES = (EntryState.IN_STAGE, EntryState.FINALIST, EntryState.WINNER)


def stage_roles(stage: Stage) -> dict[int, str]:
    """judge id -> role at this stage: the panel role when seated on a panel of the stage,
    else the judge's role in the edition. Judges of the edition outside every panel of a
    stage that has panels are left out."""
    members = list(PanelMember.objects.filter(panel__stage=stage).values_list("judge_id", "role"))
    if members:
        return dict(members)
    return dict(Judge.objects.filter(edition_id=stage.edition_id).values_list("pk", "role"))


def stage_judges(stage: Stage) -> list[Judge]:
    """The judges scoring a stage, each with ``stage_role`` set (one or two queries)."""
    roles = stage_roles(stage)
    judges = list(Judge.objects.filter(pk__in=roles).select_related("user", "institution"))
    for judge in judges:
        judge.stage_role = roles[judge.pk]
    return sorted(judges, key=lambda j: (list(JuryRole.values).index(j.stage_role), j.name))


def judge_scores_at(stage: Stage, judge: Judge) -> bool:
    """Honorary judges score only when the stage counts their scores; the others always."""
    role = getattr(judge, "stage_role", judge.role)
    return role != JuryRole.KEHORMATAN or bool(stage.settings.get("honorary_scores_count"))


def stage_entries(stage: Stage) -> QuerySet[Entry]:
    """Entries taking part in the stage: those whose current stage it is and who are still
    in the race, plus, at the first stage, entries that passed the administrative check."""
    from django.db.models import Q

    categories = stage.settings.get("categories") or []
    first = not Stage.objects.filter(edition_id=stage.edition_id, order__lt=stage.order).exists()
    condition = Q(current_stage=stage, state__in=ACTIVE_STATES)
    if first:
        condition |= Q(state=EntryState.PASSED_ADMIN)
    qs = Entry.objects.filter(condition, edition_id=stage.edition_id)
    if categories:
        qs = qs.filter(category__key__in=categories)
    return qs


def judge_seat(user: Any, edition_id: int) -> Judge | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Judge.objects.filter(edition_id=edition_id, user=user).first()
