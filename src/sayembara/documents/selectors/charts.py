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
    """Each judge's offset from the panel as the engine stored it (negative: stricter).

    The engine adapter stores the calibration's offsets per stage in the results' details
    under ``judge_offsets`` ({judge id: offset on 0..100}).
    """
    offsets: dict[str, str] = {}
    for details in StageResult.objects.filter(stage=stage).values_list("details", flat=True):
        if isinstance(details, dict) and details.get("judge_offsets"):
            offsets = details["judge_offsets"]
            break
    names = dict(Judge.objects.filter(pk__in=[int(k) for k in offsets if str(k).isdigit()])
                 .values_list("pk", "name"))
    items = [(names.get(int(k), str(k)) if str(k).isdigit() else str(k), float(Decimal(str(v))))
             for k, v in offsets.items()]
    return sorted(items, key=lambda item: item[1])


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
