"""The charts each page shows, drawn from stored results: one labelled chart per category."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sayembara.competitions.models import Category, Edition, Stage
from sayembara.documents import charts
from sayembara.documents.charts import Chart
from sayembara.documents.selectors import charts as data
from sayembara.judging.selectors.stage_figures import unit_names


@dataclass
class CategoryCharts:
    category: Category
    charts: list[Chart] = field(default_factory=list)


@dataclass
class StageCharts:
    stage: Stage
    categories: list[CategoryCharts] = field(default_factory=list)
    #: Charts of the whole stage (judges' tendencies when places are shared by categories).
    overall: list[Chart] = field(default_factory=list)


def stage_charts(stage: Stage, *, names: dict[str, str]) -> StageCharts:
    """Score distribution, judges' tendency and rank ranges of each category of a stage."""
    scores = data.score_distribution(stage)
    tendencies = data.judge_severity(stage)
    intervals = data.rank_intervals(stage)
    out = StageCharts(stage=stage)
    values = {"stage": stage.name}
    for category in data.stage_categories(stage):
        values["category"] = category.name
        drawn = [charts.histogram(scores.get(category.pk, []), title=_(
            "Score distribution · %(category)s · %(stage)s") % values)]
        if category.key in tendencies:
            drawn.append(charts.tendencies(tendencies[category.key], title=_(
                "Judges' tendency to mark · %(category)s · %(stage)s") % values))
        drawn.append(charts.rank_intervals(intervals.get(category.pk, []), title=_(
            "Rank ranges (90%% confidence) · %(category)s · %(stage)s") % values))
        out.categories.append(CategoryCharts(category=category, charts=drawn))
    keys = {c.category.key for c in out.categories}
    for unit, items in tendencies.items():
        if unit not in keys:
            out.overall.append(charts.tendencies(items, title=_(
                "Judges' tendency to mark · %(unit)s · %(stage)s") % {
                "unit": names.get(unit, unit), "stage": stage.name}))
    return out


def _all(stages: list[StageCharts]) -> list[Chart]:
    return [chart for item in stages for chart in item.overall] + [
        chart for item in stages for group in item.categories for chart in group.charts]


def _later(page: str, pks: list[int], background: bool):
    """Asks the worker to draw a page's missing charts (see ``charts.draw``), or None to draw
    them now (the worker itself)."""
    if not background:
        return None
    from sayembara.documents.tasks import draw_page_charts

    language = get_language() or "id"
    return lambda: draw_page_charts.enqueue(page, pks, language)


def edition_charts(edition: Edition, *, background: bool = True) -> list[StageCharts]:
    """Every stage's charts, drawn or being drawn (see ``charts.draw``)."""
    names = unit_names(edition)
    stages = [stage_charts(stage, names=names) for stage in edition.stages.order_by("order")]
    charts.draw(_all(stages), later=_later("edition", [edition.pk], background))
    return stages


def participation_charts(series: dict[int, list[tuple[str, int]]],
                         competitions, *, background: bool = True) -> dict[int, Chart]:
    """Entries per edition of each competition with more than nothing to show, drawn or being
    drawn."""
    out = {c.pk: charts.bars(series[c.pk], title=_("Entries per edition · %(competition)s")
                             % {"competition": c.name})
           for c in competitions if series.get(c.pk)}
    charts.draw(out.values(), later=_later("participation", sorted(out), background))
    return out


def participation_chart(competition, *, background: bool = True) -> Chart:
    return participation_charts({competition.pk: data.participation(competition)},
                                [competition], background=background).get(competition.pk) \
        or charts.bars([], title=_("Entries per edition · %(competition)s")
                       % {"competition": competition.name})


def finalist_intervals(edition: Edition, *, background: bool = True) -> list[StageCharts]:
    """Rank ranges of the finalists of each stage by category (the public results)."""
    out = []
    for stage in edition.stages.order_by("order"):
        intervals = data.rank_intervals(stage)
        if not intervals:
            continue
        item = StageCharts(stage=stage)
        for category in data.stage_categories(stage):
            if intervals.get(category.pk):
                item.categories.append(CategoryCharts(category=category, charts=[
                    charts.rank_intervals(intervals[category.pk], title=_(
                        "Rank ranges (90%% confidence) · %(category)s · %(stage)s") % {
                        "category": category.name, "stage": stage.name})]))
        out.append(item)
    charts.draw(_all(out), later=_later("finalists", [edition.pk], background))
    return out


def draw_now(page: str, pks: list[int]) -> None:
    """Draw and keep a page's charts (the worker's side of ``_later``)."""
    from sayembara.competitions.models import Competition

    if page == "edition" or page == "finalists":
        edition = Edition.objects.filter(pk__in=pks).first()
        if edition is not None:
            (edition_charts if page == "edition" else finalist_intervals)(
                edition, background=False)
    elif page == "participation":
        competitions = list(Competition.objects.filter(pk__in=pks).order_by("pk"))
        participation_charts(data.participation_by_competition(competitions), competitions,
                             background=False)
