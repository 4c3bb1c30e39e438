"""The stage leaderboard and the chair's consolidation view (paged, fixed query count)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator

from sayembara.competitions.models import Category, Stage
from sayembara.judging.models import Judge, StageClosing, StageDecision, StageResult

PER_PAGE = 100


@dataclass
class BoardRow:
    result: StageResult
    decision: StageDecision | None
    judge_totals: list[tuple[str, str]] = field(default_factory=list)

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
    calibration: dict[str, Any] | None = None
    reliability: list[dict[str, Any]] = field(default_factory=list)


def stage_categories(stage: Stage) -> list[Category]:
    keys = (stage.settings or {}).get("categories") or []
    categories = list(stage.edition.categories.all())
    return [c for c in categories if not keys or c.key in keys]


def stage_board(*, stage: Stage, category_key: str | None = None, page_number: Any = 1,
                per_page: int = PER_PAGE) -> Board:
    """Results of a stage for one category (the first by default), best first."""
    categories = stage_categories(stage)
    category = next((c for c in categories if c.key == category_key), None) or (
        categories[0] if categories else None)
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
    rows = []
    for result in results:
        totals = (result.details or {}).get("judge_totals") or {}
        rows.append(BoardRow(result, decisions.get(result.entry_id), [
            (names.get(key, key), value) for key, value in sorted(
                totals.items(), key=lambda kv: names.get(kv[0], kv[0]))
        ]))
    closing = StageClosing.objects.filter(stage=stage).first()
    summary = closing.summary if closing is not None else {}
    return Board(stage=stage, categories=categories, category=category, page=page, rows=rows,
                 closing=closing, stage_status=summary.get("status", ""),
                 calibration=summary.get("calibration"),
                 reliability=summary.get("reliability") or [])


def decisions_of(stage: Stage) -> list[StageDecision]:
    return list(StageDecision.objects.filter(stage=stage).select_related("entry", "actor")
                .order_by("entry__code"))
