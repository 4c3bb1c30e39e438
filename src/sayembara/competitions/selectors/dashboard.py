"""Reads for the organiser's edition dashboard (a fixed number of queries at any size)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from sayembara.competitions.models import Edition, Stage


@dataclass
class StageProgress:
    stage: Stage
    assigned: int
    submitted: int
    entries: int

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass
class CategoryBoard:
    category: Any
    rows: list[dict] = field(default_factory=list)


def editions_for(user: Any):
    """Editions the user organises, judges, verifies or audits, newest first."""
    from sayembara.accounts.selectors.roles import scopes_of

    scopes = scopes_of(user)
    edition_ids = (
        scopes.judge_edition_ids | scopes.verifier_edition_ids | scopes.auditor_edition_ids
    )
    return (
        Edition.objects.filter(Q(organiser_id__in=scopes.organiser_ids) | Q(pk__in=edition_ids))
        .select_related("competition", "organiser")
        .annotate(entry_count=Count("entries", distinct=True))
        .order_by("-year", "title")
    )


def stage_progress(edition: Edition) -> list[StageProgress]:
    from sayembara.judging.enums import SheetStatus

    stages = list(
        edition.stages.annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count(
                "sheets",
                filter=Q(sheets__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED]),
                distinct=True,
            ),
            entry_count=Count("assignments__entry", distinct=True),
        ).order_by("order")
    )
    return [StageProgress(s, s.assigned, s.submitted, s.entry_count) for s in stages]


def category_boards(edition: Edition) -> list[CategoryBoard]:
    """Entries per category with the score of the stage they are in."""
    from sayembara.judging.models import StageResult
    from sayembara.judging.selectors.board import ranks_by_running_total

    categories = list(edition.categories.all())
    boards = {c.pk: CategoryBoard(c) for c in categories}
    entries = list(
        edition.entries.select_related("institution", "current_stage", "group")
        .order_by("category__order", "code")
    )
    results: dict[tuple[int, int], StageResult] = {
        (r.entry_id, r.stage_id): r
        for r in StageResult.objects.filter(stage__edition=edition).only(
            "entry_id", "stage_id", "score", "rank", "advanced", "details"
        )
    }
    running = {stage.pk: ranks_by_running_total(stage) for stage in edition.stages.all()}
    for entry in entries:
        result = results.get((entry.pk, entry.current_stage_id)) if entry.current_stage_id else None
        boards[entry.category_id].rows.append({
            "entry": entry, "result": result,
            # what the rank follows, when it is the running total rather than the score
            "ranked_by": result.selection_text if result is not None
            and running.get(result.stage_id) else ""})
    return [boards[c.pk] for c in categories]
