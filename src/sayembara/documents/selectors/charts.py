"""Data for the charts, read from the engine's stored results, one series per category."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Q

from sayembara.competitions.models import Category, Competition, Stage
from sayembara.documents.charts import Interval
from sayembara.entries.enums import EntryState
from sayembara.judging.models import Judge, StageClosing, StageResult

NOT_COUNTED = (EntryState.DRAFT, EntryState.WITHDRAWN)
#: Entries whose chance of a place lies in this range are drawn as close to the cut.
CLOSE = (Decimal("0.2"), Decimal("0.8"))


def stage_categories(stage: Stage) -> list[Category]:
    """The categories a stage scores, in the template's order."""
    keys = (stage.settings or {}).get("categories") or []
    return [c for c in stage.edition.categories.order_by("order") if not keys or c.key in keys]


def score_distribution(stage: Stage) -> dict[int, list[Decimal]]:
    """Stored stage scores by category id."""
    out: dict[int, list[Decimal]] = defaultdict(list)
    for category_id, score in (StageResult.objects.filter(stage=stage, score__isnull=False)
                               .values_list("entry__category_id", "score")):
        out[category_id].append(score)
    return out


def judge_severity(stage: Stage) -> dict[str, list[tuple[str, float]]]:
    """Each judge's tendency to mark by ranking unit (a category key, or ``overall``), as
    the engine reported it at closing: points on the score scale, negative when stricter than
    the other judges of the same entries. Judges whose tendency cannot be measured (no entry
    shared with another judge) are left out."""
    closing = StageClosing.objects.filter(stage=stage).only("summary").first()
    units = ((closing.summary or {}).get("reliability") or []) if closing else []
    ids = {int(item["judge"]) for unit in units for item in unit.get("per_judge") or ()
           if str(item.get("judge")).isdigit()}
    names = dict(Judge.objects.filter(pk__in=ids).values_list("pk", "name"))
    out: dict[str, list[tuple[str, float]]] = {}
    for unit in units:
        items = [(names.get(int(item["judge"]), str(item["judge"])),
                  float(Decimal(str(item["severity"]))))
                 for item in unit.get("per_judge") or ()
                 if item.get("severity") is not None and str(item.get("judge")).isdigit()]
        if items:
            out[unit.get("unit", "")] = sorted(items, key=lambda pair: pair[1])
    return out


def rank_intervals(stage: Stage, *, limit: int = 40) -> dict[int, list[Interval]]:
    """By category id: the entries that went on (else the best ranked, at most ``limit``)
    with their rank and rank range, close-to-cut entries marked."""
    results = StageResult.objects.filter(stage=stage, rank__isnull=False,
                                         rank_low__isnull=False, rank_high__isnull=False)
    if results.filter(advanced=True).exists():
        results = results.filter(advanced=True)
    out: dict[int, list[Interval]] = defaultdict(list)
    for r in (results.select_related("entry", "entry__institution")
              .order_by("entry__category_id", "rank", "entry__code")):
        bucket = out[r.entry.category_id]
        if len(bucket) >= limit:
            continue
        close = r.p_top_n is not None and CLOSE[0] <= r.p_top_n <= CLOSE[1]
        bucket.append(Interval(label=f"{r.entry.code} · {r.entry.institution.name}",
                               rank=r.rank, low=r.rank_low, high=r.rank_high, highlight=close))
    return out


def participation(competition: Competition) -> list[tuple[str, int]]:
    """Entries per edition of a competition, oldest first."""
    return participation_by_competition([competition]).get(competition.pk, [])


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
