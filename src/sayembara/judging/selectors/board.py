"""The stage leaderboard and the chair's consolidation view (paged, fixed query count)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _

from sayembara.common.formats import number, percent, score
from sayembara.competitions.enums import StageKind
from sayembara.competitions.models import Category, Stage
from sayembara.judging.models import Judge, StageClosing, StageDecision, StageResult
from sayembara.judging.selectors.rules_text import disagreement_sentence
from sayembara.judging.selectors.score_columns import (
    ScoreHeadings,
    score_headings,
    shows_weighted_part,
    weight_text,
    weighted_part,
)
from sayembara.judging.selectors.stage_figures import (
    StageFigures,
    display_reason,
    stage_figures,
    tie_break_label,
    unit_names,
)

#: Rows per page: a local contest's category fits on one page; national ones page on.
PER_PAGE = 50


@dataclass
class BoardRow:
    """One entry's line; the ``*_text`` fields are the numbers as shown (scores through the
    one rounding rule of ``common.formats.score``), prepared once so that a page of a
    hundred rows renders quickly."""

    result: StageResult
    decision: StageDecision | None
    judge_totals: list[tuple[str, str]] = field(default_factory=list)
    score_text: str = ""
    selection_text: str = ""
    raw_text: str = ""
    calibrated_text: str = ""
    spread_text: str = ""
    interval_text: str = ""
    p_text: str = ""
    lowered_text: str = ""
    totals_text: str = ""
    reason_text: str = ""
    tie_break_text: str = ""
    #: At a weighted stage: what the stage's own score adds to the running total.
    part_text: str = ""

    @property
    def entry(self) -> Any:
        return self.result.entry

    @property
    def details(self) -> dict[str, Any]:
        return self.result.details or {}

    @property
    def close_to_cut(self) -> bool:
        return bool(self.details.get("close_to_cut"))


@dataclass
class Board:
    stage: Stage
    categories: list[Category]
    category: Category | None
    page: Page
    rows: list[BoardRow]
    closing: StageClosing | None
    stage_status: str = ""
    figures: StageFigures = field(default_factory=StageFigures)
    places: int | None = None
    replicates: str = ""
    #: The stage ranks by the running total of the weighted stages so far, not by its own
    #: score: the table shows that total beside the stage score.
    running_total: bool = False
    disagreement_rule: str = ""
    #: The stage's weight in percent as people read it ("40") when the table shows each
    #: entry's weighted part (weight x the stage's own score / 100); empty otherwise.
    weight_text: str = ""
    headings: ScoreHeadings | None = None


def stage_categories(stage: Stage) -> list[Category]:
    keys = (stage.settings or {}).get("categories") or []
    categories = list(stage.edition.categories.all())
    return [c for c in categories if not keys or c.key in keys]


def stage_board(*, stage: Stage, category_key: str | None = None, page_number: Any = 1,
                per_page: int = PER_PAGE) -> Board:
    """Results of a stage for one category, best first: by default the first category
    that has results (a category nobody entered would show an empty table)."""
    categories = stage_categories(stage)
    category = next((c for c in categories if c.key == category_key), None)
    if category is None and categories:
        with_results = set(StageResult.objects.filter(stage=stage)
                           .values_list("entry__category_id", flat=True).distinct())
        category = next((c for c in categories if c.pk in with_results), categories[0])
    qs = (StageResult.objects.filter(stage=stage)
          .select_related("entry", "entry__institution", "entry__category", "entry__group")
          .order_by("rank", "entry__code"))
    if category is not None:
        qs = qs.filter(entry__category=category)
    page = Paginator(qs, per_page).get_page(page_number)
    results = list(page.object_list)
    decisions = {d.entry_id: d for d in StageDecision.objects.filter(
        stage=stage, entry_id__in=[r.entry_id for r in results])}
    names = {f"j{pk}": name for pk, name in
             Judge.objects.filter(edition_id=stage.edition_id).values_list("pk", "name")}
    units = unit_names(stage.edition)
    shows_part = shows_weighted_part(stage)
    rows = []
    for result in results:
        details = result.details or {}
        # a judge no longer on the edition is "a judge", never the engine's key
        totals = [(names.get(key) or _("a judge"), score(None, value))
                  for key, value in sorted((details.get("judge_totals") or {}).items(),
                                           key=lambda kv: names.get(kv[0]) or "")]
        lowered = details.get("lowered_by")
        rows.append(BoardRow(
            result, decisions.get(result.entry_id), totals,
            score_text=result.score_text,
            selection_text=result.selection_text,
            raw_text=result.raw_text,
            calibrated_text=result.calibrated_text,
            spread_text=number(result.dispersion, 2),
            interval_text=(f"{result.rank_low}–{result.rank_high}"
                           if result.rank_low is not None else "—"),
            p_text=percent(result.p_top_n),
            lowered_text=("−" + score(lowered, (details.get("exact") or {}).get("lowered_by"))
                          if lowered and Decimal(lowered) != 0 else ""),
            totals_text="; ".join(f"{name}: {total}" for name, total in totals),
            reason_text=display_reason(result.reason_code, result.reason_params, units),
            tie_break_text=tie_break_label(details.get("tie_break")),
            part_text=weighted_part(stage, result) if shows_part else "",
        ))
    closing = StageClosing.objects.filter(stage=stage).first()
    summary = (closing.summary if closing is not None else None) or {}
    seats = {p.get("name"): p.get("seats") for p in summary.get("pools") or ()}
    fallback = category.key if category is not None else "overall"
    places = {seats.get(row.details.get("pool") or fallback) for row in rows} - {None}
    running = ranks_by_running_total(stage)
    weight = weight_text(stage.weight) if shows_part else ""
    return Board(stage=stage, categories=categories, category=category, page=page, rows=rows,
                 closing=closing, stage_status=summary.get("status", ""),
                 figures=stage_figures(edition=stage.edition, summary=summary,
                                       category_key=category.key if category else None),
                 places=places.pop() if len(places) == 1 else None,
                 replicates=number(summary["bootstrap"]) if summary.get("bootstrap") else "",
                 running_total=running,
                 disagreement_rule=disagreement_sentence(
                     (stage.settings or {}).get("disagreement")),
                 weight_text=weight,
                 headings=score_headings(running_total=running, weight=weight,
                                         in_category=category is not None))


def ranks_by_running_total(stage: Stage) -> bool:
    """Whether the stage ranks its entries by the running total of the weighted stages so
    far rather than by its own score (docs/scoring.md, "Stages"): a weighted stage does, and
    a can-only-lower filter stage after a weighted one."""
    if stage.kind == StageKind.WEIGHTED:
        return True
    return bool(stage.can_only_lower) and stage.edition.stages.filter(
        order__lt=stage.order, kind=StageKind.WEIGHTED).exists()


def decisions_of(stage: Stage) -> list[StageDecision]:
    return list(StageDecision.objects.filter(stage=stage).select_related("entry", "actor")
                .order_by("entry__code"))
