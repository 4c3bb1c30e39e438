"""Final results per category with awards and prizes, and the rulings of the uji publik."""

from __future__ import annotations

from dataclasses import dataclass, field

from sayembara.competitions.models import Category, Edition, Stage
from sayembara.judging.enums import FeedbackKind
from sayembara.judging.models import FinalResult, Objection, StageResult
from sayembara.judging.selectors.score_columns import ScoreHeadings


@dataclass
class Standing:
    """One entry's line of the final results: each stage's score, and for an entry that
    stopped before the last stage, where it stopped and its score there (its total then
    only sums the stages it took, so it is not shown as a final score)."""

    result: FinalResult
    stage_scores: list[str]
    stopped_at: Stage | None = None
    stopped_score: str = ""

    @property
    def total_text(self) -> str:
        return "" if self.stopped_at is not None else self.result.total_text


@dataclass
class CategoryResults:
    category: Category
    rows: list[Standing] = field(default_factory=list)


def stage_scores_by_entry(edition: Edition) -> dict[tuple[int, int], StageResult]:
    """Every stored stage result of the edition by (entry id, stage id)."""
    return {(r.entry_id, r.stage_id): r for r in StageResult.objects.filter(
        stage__edition=edition).only("entry_id", "stage_id", "score", "details")}


def standing_of(result: FinalResult, stages: list[Stage],
                stage_results: dict[tuple[int, int], StageResult]) -> Standing:
    by_stage = [stage_results.get((result.entry_id, stage.pk)) for stage in stages]
    reached = (result.details or {}).get("reached")
    stopped = next((s for s in stages if s.key == reached), None)
    if stopped is not None and stages and stopped.pk == stages[-1].pk:
        stopped = None
    stopped_result = stage_results.get((result.entry_id, stopped.pk)) if stopped else None
    return Standing(result, [r.score_text if r is not None else "" for r in by_stage],
                    stopped_at=stopped,
                    stopped_score=stopped_result.score_text if stopped_result else "")


def final_results(edition: Edition) -> list[CategoryResults]:
    """Final ranks, totals, award tiers and prizes per category, with each stage's score
    (four queries).

    Each row's ``result`` has ``rank``, ``total``, ``award_label``, ``award_tier`` (trophy /
    certificate flags), ``prize`` and ``details`` (grade, predicate, favourite, tie-break);
    the row adds ``stage_scores`` (as shown) and ``stopped_at``.
    """
    categories = list(edition.categories.all())
    stages = list(edition.stages.order_by("order"))
    stage_results = stage_scores_by_entry(edition)
    groups = {c.pk: CategoryResults(c) for c in categories}
    for row in (FinalResult.objects.filter(edition=edition)
                .select_related("entry", "entry__institution", "award_tier")
                .order_by("category__order", "rank", "entry__code")):
        if row.category_id in groups:
            groups[row.category_id].rows.append(standing_of(row, stages, stage_results))
    return [groups[c.pk] for c in categories]


def objections_of(edition: Edition):
    """Every support and objection of the edition's uji publik, newest first."""
    return (Objection.objects.filter(entry__edition=edition)
            .select_related("entry", "entry__institution", "ruled_by")
            .order_by("-created_at"))


def rulings_for_results(edition: Edition):
    """Ruled objections, for display beside the final results."""
    return (Objection.objects.filter(entry__edition=edition, kind=FeedbackKind.OBJECTION,
                                     ruled_at__isnull=False)
            .select_related("entry").order_by("entry__code", "created_at"))


@dataclass
class StageLine:
    """One stage of one entry, as its organiser reads it on the entry's page."""

    stage: Stage
    result: StageResult | None
    ranked_by: str = ""
    reason: str = ""
    sheets: int = 0
    #: At a weighted stage: its weight ("20") and what its score adds to the running total.
    weight: str = ""
    part: str = ""


@dataclass
class EntryRecord:
    """What the judging made of one entry: each stage's score, rank and outcome, the
    decisions recorded on it and its final result."""

    stages: list[StageLine]
    decisions: list
    final: Standing | None = None
    headings: ScoreHeadings | None = None


def entry_record(entry) -> EntryRecord:
    """Each stage the entry was scored at (its score, the running total it was ranked by,
    its rank and outcome in the engine's words), the penetapan decisions on it and its final
    result (five queries)."""
    from sayembara.judging.enums import SheetStatus
    from sayembara.judging.models import ScoreSheet, StageDecision
    from sayembara.judging.selectors.board import ranks_by_running_total
    from sayembara.judging.selectors.score_columns import (
        score_headings,
        shows_weighted_part,
        weight_text,
        weighted_part,
    )
    from sayembara.judging.selectors.stage_figures import display_reason, unit_names

    edition = entry.edition
    stages = list(edition.stages.order_by("order"))
    results = {r.stage_id: r for r in StageResult.objects.filter(entry=entry)}
    sheets: dict[int, int] = {}
    for stage_id in ScoreSheet.objects.filter(
            entry=entry, status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED]
    ).values_list("stage_id", flat=True):
        sheets[stage_id] = sheets.get(stage_id, 0) + 1
    units = unit_names(edition)
    lines = []
    for stage in stages:
        result = results.get(stage.pk)
        if result is None and not sheets.get(stage.pk):
            continue
        part = shows_weighted_part(stage)
        lines.append(StageLine(
            stage=stage, result=result, sheets=sheets.get(stage.pk, 0),
            ranked_by=result.selection_text if result is not None
            and ranks_by_running_total(stage) else "",
            weight=weight_text(stage.weight) if part else "",
            part=weighted_part(stage, result) if part and result is not None else "",
            reason=display_reason(result.reason_code, result.reason_params, units)
            if result is not None else ""))
    decisions = list(StageDecision.objects.filter(entry=entry)
                     .select_related("stage", "actor").order_by("stage__order", "created_at"))
    final = FinalResult.objects.filter(entry=entry).select_related("award_tier").first()
    weighted = any(line.weight for line in lines)
    return EntryRecord(
        stages=lines, decisions=decisions,
        headings=score_headings(running_total=weighted or any(line.ranked_by for line in lines),
                                weighted=weighted),
        final=standing_of(final, stages, {(entry.pk, r.stage_id): r for r in results.values()})
        if final is not None else None)


def final_ties(edition: Edition) -> list[list[FinalResult]]:
    """The ties of the final ranking that the chain left for the jury to order, each as its
    entries' final results (one query)."""
    groups: dict[tuple[str, ...], list[FinalResult]] = {}
    for row in (FinalResult.objects.filter(edition=edition)
                .select_related("entry", "entry__institution", "category")
                .order_by("category__order", "rank", "entry__code")):
        tie = (row.details or {}).get("open_tie")
        if tie:
            groups.setdefault(tuple(tie), []).append(row)
    return list(groups.values())


@dataclass
class SpecialTieView:
    """Entries tied across the last place of a special award in one category: ``places``
    of the award are left for them, and the jury orders them."""

    award: str
    name: str
    places: int
    rows: list[FinalResult]

    @property
    def category(self) -> Category:
        return self.rows[0].category


def special_ties(edition: Edition) -> list[SpecialTieView]:
    """The ties across the last place of a special award that wait for the jury's order
    (one query besides the rules)."""
    from sayembara.competitions.services.editions import template_of

    names = {award.id: award.name for award in template_of(edition).awards.special}
    groups: dict[tuple[str, tuple[str, ...]], SpecialTieView] = {}
    for row in (FinalResult.objects.filter(edition=edition)
                .select_related("entry", "entry__institution", "category")
                .order_by("category__order", "rank", "entry__code")):
        for tie in (row.details or {}).get("special_ties") or ():
            key = (tie["award"], tuple(tie["entries"]))
            view = groups.setdefault(key, SpecialTieView(
                award=tie["award"], name=names.get(tie["award"], tie["award"]),
                places=tie["places"], rows=[]))
            view.rows.append(row)
    order = list(names)
    return sorted(groups.values(), key=lambda v: (
        order.index(v.award) if v.award in order else len(order), v.category.order))


def tie_orders_of(edition: Edition):
    """The orders the jury recorded for ties, by ranking and place."""
    from sayembara.judging.models import TieOrder

    return (TieOrder.objects.filter(edition=edition)
            .select_related("entry", "entry__institution", "actor")
            .order_by("ranking", "order"))
