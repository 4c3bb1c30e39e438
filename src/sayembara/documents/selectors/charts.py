"""Data for the charts, read from the engine's stored results."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, Q

from sayembara.competitions.models import Competition, Stage
from sayembara.documents.charts import Interval
from sayembara.entries.enums import EntryState
from sayembara.judging.models import Judge, StageResult

NOT_COUNTED = (EntryState.DRAFT, EntryState.WITHDRAWN)


def score_distribution(stage: Stage) -> list[Decimal]:
    return list(StageResult.objects.filter(stage=stage, score__isnull=False)
                .values_list("score", flat=True))


def judge_severity(stage: Stage) -> list[tuple[str, float]]:
    """Each judge's severity as the engine reported it (negative: stricter than colleagues).

    Read from the stage closing's reliability summary, ``per_judge`` items of
    {"judge": judge id, "severity": points on 0..100} per ranking unit; a judge seen in
    several units is shown once per unit.
    """
    from sayembara.judging.models import StageClosing

    closing = StageClosing.objects.filter(stage=stage).only("summary").first()
    units = (closing.summary or {}).get("reliability") or [] if closing else []
    rows = [(unit.get("unit", ""), item) for unit in units if isinstance(unit, dict)
            for item in unit.get("per_judge") or [] if item.get("severity") is not None]
    ids = {int(item["judge"]) for _unit, item in rows if str(item.get("judge")).isdigit()}
    names = dict(Judge.objects.filter(pk__in=ids).values_list("pk", "name"))
    several = len({unit for unit, _item in rows}) > 1
    items = []
    for unit, item in rows:
        judge = item.get("judge")
        label = names.get(int(judge), str(judge)) if str(judge).isdigit() else str(judge)
        items.append((f"{label} ({unit})" if several else label,
                      float(Decimal(str(item["severity"])))))
    return sorted(items, key=lambda pair: pair[1])


def rank_intervals(stage: Stage, *, limit: int = 40) -> list[Interval]:
    """Finalists (entries that advanced, else the best ranked) with their rank intervals."""
    results = StageResult.objects.filter(stage=stage, rank__isnull=False,
                                         rank_low__isnull=False, rank_high__isnull=False)
    if results.filter(advanced=True).exists():
        results = results.filter(advanced=True)
    items = []
    for r in results.select_related("entry").order_by("rank", "entry__code")[:limit]:
        close = r.p_top_n is not None and Decimal("0.2") <= r.p_top_n <= Decimal("0.8")
        items.append(Interval(label=f"{r.entry.code} {r.entry.title}", rank=r.rank,
                              low=r.rank_low, high=r.rank_high, highlight=close))
    return items


def participation(competition: Competition) -> list[tuple[str, int]]:
    """Entries per edition of a competition, oldest first."""
    rows = (competition.editions.order_by("year")
            .annotate(n=Count("entries", filter=~Q(entries__state__in=NOT_COUNTED)))
            .values_list("year", "n"))
    return [(str(year), n) for year, n in rows]


def participation_by_competition(competitions) -> dict[int, list[tuple[str, int]]]:
    """``participation`` for many competitions in one query."""
    from sayembara.competitions.models import Edition

    rows = (Edition.objects.filter(competition__in=competitions).order_by("year")
            .annotate(n=Count("entries", filter=~Q(entries__state__in=NOT_COUNTED)))
            .values_list("competition_id", "year", "n"))
    out: dict[int, list[tuple[str, int]]] = {}
    for competition_id, year, n in rows:
        out.setdefault(competition_id, []).append((str(year), n))
    return out
