"""Charts: Vega-Lite specifications built with altair, drawn to SVG on the server.

Pages receive finished SVG (no chart script in the browser, nothing for a Content-Security-
Policy to allow) and a text alternative: a caption, a one-sentence description for screen
readers and the chart's numbers as a table. Each chart is drawn twice, at desktop and at phone
width, so that its labels keep a readable size on both; the page shows the one that fits.
Names are written above their bar or line, never beside it, so long names are not cut off and
never run into a bar that points left.

Drawing costs time (importing altair takes seconds, building a specification and rendering it
a fraction of a second each), so every SVG is kept in the database (``RenderedChart``) under a
hash of what it is made of (the data, the translated labels and this module's code): a chart of
the same stored results is drawn once for every server process, and a page reads all its
drawings in one query. Builders return the keys and a deferred specification; ``draw`` fills
in the SVG. A page asks for the drawings it lacks in the background (``later``) and shows
those charts' numbers as a table meanwhile; only the worker ever imports altair.

Counting values into bins and placing marks is drawing, not scoring: every score drawn here
was computed and stored by the engine.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.formats import number, percent
from sayembara.judging.selectors.stage_figures import tendency

if TYPE_CHECKING:  # altair takes seconds to import: only a drawing loads it
    import altair as alt

ACCENT = "#0b5cad"
STRICT = "#b3261e"
LENIENT = "#1f7a3d"
CLOSE = "#a15c00"
INK = "#1d2433"
MUTED = "#5b6475"
#: Chart widths in pixels, labels included: a desktop card and a phone screen (390 px less
#: the page's and the card's margins).
WIDE, NARROW = 540, 320
FONT_SIZE = 13
#: Drawings older than this are removed when new ones are kept (a chart still shown is
#: simply drawn again).
KEEP_DAYS = 60
#: A page asks the worker again for drawings still missing after this long (a lost request).
ASK_AGAIN_SECONDS = 120


@dataclass
class Chart:
    """A chart's specifications (desktop and phone) and text alternative; ``draw`` fills in
    the SVG of both."""

    title: str
    description: str
    columns: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()
    #: Cache keys of the desktop and phone drawings, and how to make their specifications.
    keys: tuple[str, ...] = ()
    build: Callable[[], tuple[dict[str, Any], ...]] | None = field(default=None, repr=False)
    empty: str = ""
    wide: SafeString = field(default_factory=lambda: mark_safe(""))
    narrow: SafeString = field(default_factory=lambda: mark_safe(""))
    #: Its drawing is being made in the background: the page shows the table meanwhile.
    pending: bool = False


@dataclass(frozen=True)
class Interval:
    label: str
    rank: int
    low: int
    high: int
    highlight: bool = False


#: Drawings depend on this module's code as well as on their data: a change here draws anew.
_SOURCE = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()
_RENDERER = version("vl-convert-python")


def _lazy(build: Callable[[int], alt.TopLevelMixin], *inputs: Any) -> dict[str, Any]:
    """The keys of a chart's two drawings, from everything its specification is made of
    (``inputs``: data and translated labels), and the deferred specification itself, so that
    a chart drawn before costs neither altair nor the renderer."""
    text = json.dumps([_SOURCE, _RENDERER, *inputs], sort_keys=True,
                      ensure_ascii=False, default=str)
    keys = tuple(hashlib.sha256(f"{text}|{width}".encode()).hexdigest()
                 for width in (WIDE, NARROW))
    return {"keys": keys, "build": lambda: _both(build)}


def draw(charts: Iterable[Chart], *, later: Callable[[], Any] | None = None) -> list[Chart]:
    """Fill in the SVG of every chart. Drawings made before are read in one query. The others
    are drawn now and kept, or, given ``later`` (which asks the background worker to draw this
    page's charts), asked for once and read again: a chart still without its drawing is left
    ``pending``, to be shown by its table until the worker has drawn it. Returns the charts."""
    from sayembara.documents.models import RenderedChart

    charts = [chart for chart in charts if chart is not None]
    keys = {key for chart in charts for key in chart.keys}
    drawn = dict(RenderedChart.objects.filter(key__in=keys).values_list("key", "svg"))
    missing = sorted(keys - drawn.keys())
    if missing and later is not None:
        # one request for the worker however many visitors arrive before it has drawn
        if cache.add("charts-asked:" + hashlib.sha256("".join(missing).encode()).hexdigest(),
                     True, timeout=ASK_AGAIN_SECONDS):
            later()
        drawn.update(RenderedChart.objects.filter(key__in=missing).values_list("key", "svg"))
    elif missing:
        _draw_missing(charts, drawn)
    for chart in charts:
        if chart.keys and all(key in drawn for key in chart.keys):
            wide, narrow = (drawn[key] for key in chart.keys)
            # Drawn by the Vega renderer from our own data; text is escaped by it.
            chart.wide, chart.narrow = mark_safe(wide), mark_safe(narrow)  # noqa: S308
        elif chart.keys:
            chart.pending = True
    return charts


def _draw_missing(charts: list[Chart], drawn: dict[str, str]) -> None:
    import vl_convert

    from sayembara.documents.models import RenderedChart

    new = {}
    for chart in charts:
        if chart.build is not None and any(key not in drawn for key in chart.keys):
            for key, spec in zip(chart.keys, chart.build(), strict=True):
                new[key] = drawn[key] = vl_convert.vegalite_to_svg(spec)
    if new:
        RenderedChart.objects.filter(
            created_at__lt=timezone.now() - timedelta(days=KEEP_DAYS)).delete()
        RenderedChart.objects.bulk_create(
            [RenderedChart(key=key, svg=svg) for key, svg in new.items()],
            ignore_conflicts=True)


def _config(chart: alt.TopLevelMixin, width: int) -> dict[str, Any]:
    import altair as alt

    spec = chart.properties(width=width, autosize=alt.AutoSizeParams(
        type="fit-x", contains="padding")).configure(
        font="DejaVu Sans, Verdana, sans-serif", background="white", aria=False,
        padding={"left": 4, "right": 12, "top": 6, "bottom": 4},
    ).configure_axis(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelColor=INK, titleColor=INK,
        titleFontWeight="normal", gridColor="#e6e9f0", domainColor="#b8bfcc",
    ).configure_legend(
        labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, orient="top", titleFontWeight="normal",
    ).configure_view(stroke=None).to_dict(validate=False)
    spec.pop("$schema", None)
    return spec


def _both(build) -> tuple[dict[str, Any], ...]:
    return _config(build(WIDE), WIDE), _config(build(NARROW), NARROW)


def histogram(values: Sequence[Decimal | float], *, title: str, lo: float = 0,
              hi: float = 100, bins: int = 10) -> Chart:
    """How many entries scored within each tenth of the scale (the last bin is closed)."""
    span = (hi - lo) / bins
    counts = [0] * bins
    for value in values:
        index = int((float(value) - lo) // span)
        counts[min(max(index, 0), bins - 1)] += 1
    labels = [f"{number(lo + i * span)}–{number(lo + (i + 1) * span)}" for i in range(bins)]
    axis_x, axis_y = _("Score"), _("Entries")
    data = [{"bin": label, "n": n} for label, n in zip(labels, counts, strict=True)]
    rows = tuple((label, number(n)) for label, n in zip(labels, counts, strict=True) if n)
    if not values:
        return Chart(title=title, description="", empty=_("No stored results yet."))

    def build(width: int) -> alt.LayerChart:
        import altair as alt

        base = alt.Chart(alt.Data(values=data)).encode(
            x=alt.X("bin:O", sort=labels, title=axis_x,
                    axis=alt.Axis(labelAngle=0 if width >= WIDE else -45,
                                  labelFontSize=FONT_SIZE - (0 if width >= WIDE else 2))),
            y=alt.Y("n:Q", title=axis_y, axis=alt.Axis(tickMinStep=1, format="d")),
        )
        bars = base.mark_bar(color=ACCENT)
        text = base.mark_text(dy=-7, fontSize=FONT_SIZE - 1, color=INK).encode(
            text=alt.condition("datum.n > 0", "n:Q", alt.value("")))
        return alt.layer(bars, text).properties(height=200)

    top = max(range(bins), key=lambda i: counts[i])
    return Chart(
        title=title,
        description=ngettext("%(count)s entry scored; the most, %(most)s, scored %(bin)s.",
                             "%(count)s entries scored; the most, %(most)s, scored %(bin)s.",
                             len(values)) % {
            "count": number(len(values)), "most": number(counts[top]), "bin": labels[top]},
        columns=(axis_x, axis_y), rows=rows,
        **_lazy(build, "histogram", data, labels, axis_x, axis_y))


def tendencies(items: Sequence[tuple[str, float]], *, title: str) -> Chart:
    """Each judge's tendency to mark: below zero stricter, above more lenient than the others,
    in score points. The name stands above its bar."""
    if not items:
        return Chart(title=title, description="",
                     empty=_("No judge's tendency can be measured yet at this stage."))
    stricter, lenient = _("stricter"), _("more lenient")
    data = [{"name": name, "value": round(value, 2), "side": stricter if value < 0 else lenient,
             "shown": number(value, 1)} for name, value in items]
    reach = max(1.0, max(abs(value) for _name, value in items)) * 1.4
    axis = [_("Points compared with the other judges"), _("(below zero: stricter)")]

    def build(width: int) -> alt.LayerChart:
        import altair as alt

        base = alt.Chart(alt.Data(values=data)).encode(
            y=alt.Y("name:N", sort=None, axis=None,
                    scale=alt.Scale(paddingInner=0.55, paddingOuter=0.4)),
        )
        bars = base.mark_bar(size=12).encode(
            x=alt.X("value:Q", title=axis,
                    scale=alt.Scale(domain=[-reach, reach], nice=False),
                    axis=alt.Axis(tickCount=5, grid=False)),
            color=alt.Color("side:N", title=None,
                            scale=alt.Scale(domain=[stricter, lenient],
                                            range=[STRICT, LENIENT])),
        )
        names = base.mark_text(align="left", baseline="bottom", dy=-9, fontSize=FONT_SIZE,
                               color=INK, limit=width).encode(
            x=alt.datum(-reach), text="name:N")
        left = base.transform_filter("datum.value < 0").mark_text(
            align="right", dx=-4, baseline="middle", fontSize=FONT_SIZE - 1, color=INK,
        ).encode(x="value:Q", text="shown:N")
        right = base.transform_filter("datum.value >= 0").mark_text(
            align="left", dx=4, baseline="middle", fontSize=FONT_SIZE - 1, color=INK,
        ).encode(x="value:Q", text="shown:N")
        # zero is marked beside each bar only, so that it never crosses a name
        zero = base.mark_tick(color=MUTED, thickness=1, size=20).encode(x=alt.datum(0))
        return alt.layer(zero, bars, names, left, right).properties(height=44 * len(data))

    strictest = min(items, key=lambda item: item[1])
    return Chart(
        title=title,
        description=ngettext("%(count)s judge; the strictest, %(name)s, marks %(points)s "
                             "points below the others on average.",
                             "%(count)s judges; the strictest, %(name)s, marks %(points)s "
                             "points below the others on average.", len(items)) % {
            "count": number(len(items)), "name": strictest[0],
            "points": number(abs(strictest[1]), 1)},
        columns=(_("Judge"), _("Tendency to mark (stricter / more lenient)")),
        rows=tuple((row["name"], tendency(row["value"])) for row in data),
        **_lazy(build, "tendencies", data, stricter, lenient, reach, axis))


def rank_intervals(items: Sequence[Interval], *, title: str) -> Chart:
    """Each entry's rank (a dot) and its rank range with 90% confidence (a line); rank 1 on
    the left; entries close to the cut in another colour. The name stands above its line."""
    if not items:
        return Chart(title=title, description="", empty=_("No rank ranges stored yet."))
    close, clear = _("close to the cut"), _("clear of the cut")
    worst = max(item.high for item in items)
    data = [{"name": item.label, "rank": item.rank, "low": item.low, "high": item.high,
             "kind": close if item.highlight else clear} for item in items]
    axis = _("Rank")

    def build(width: int) -> alt.LayerChart:
        import altair as alt

        base = alt.Chart(alt.Data(values=data)).encode(
            y=alt.Y("name:N", sort=None, axis=None,
                    scale=alt.Scale(paddingInner=0.55, paddingOuter=0.4)),
        )
        colour = alt.Color("kind:N", title=None,
                           scale=alt.Scale(domain=[clear, close], range=[ACCENT, CLOSE]))
        x = alt.X("low:Q", title=axis, scale=alt.Scale(domain=[0.5, worst + 0.5], nice=False),
                  axis=alt.Axis(tickMinStep=1, format="d", values=_ticks(worst)))
        line = base.mark_rule(strokeWidth=4).encode(x=x, x2="high:Q", color=colour)
        dot = base.mark_point(filled=True, size=80, opacity=1).encode(
            x="rank:Q", color=colour)
        names = base.mark_text(align="left", baseline="bottom", dy=-9, fontSize=FONT_SIZE,
                               color=INK, limit=width).encode(x=alt.datum(0.5), text="name:N")
        return alt.layer(line, dot, names).properties(height=44 * len(data))

    close_count = sum(1 for item in items if item.highlight)
    return Chart(
        title=title,
        description=ngettext("%(count)s entry with its rank range; %(close)s close to the cut.",
                             "%(count)s entries with their rank ranges; %(close)s close to the "
                             "cut.", len(items))
        % {"count": number(len(items)), "close": number(close_count)},
        columns=(_("Entry"), _("Rank"),
                 _("Rank range (%(level)s confidence)") % {"level": percent(0.9)},
                 _("Close to the cut")),
        rows=tuple((item.label, number(item.rank), f"{number(item.low)}–{number(item.high)}",
                    _("yes") if item.highlight else _("no")) for item in items),
        **_lazy(build, "rank_intervals", data, close, clear, worst, axis))


def _ticks(worst: int) -> list[int]:
    step = next(s for s in (1, 2, 5, 10, 20, 50, 100, 200, 500) if worst / s <= 10)
    return [1, *range(step, worst + 1, step)] if step > 1 else list(range(1, worst + 1))


def bars(items: Sequence[tuple[str, int]], *, title: str) -> Chart:
    """Entries per edition of a competition, oldest first, each count above its bar."""
    if not items:
        return Chart(title=title, description="", empty=_("No edition has entries yet."))
    axis_x, axis_y = _("Year"), _("Entries")
    data = [{"year": label, "n": n} for label, n in items]

    def build(width: int) -> alt.LayerChart:
        import altair as alt

        base = alt.Chart(alt.Data(values=data)).encode(
            x=alt.X("year:O", title=axis_x, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("n:Q", title=axis_y, axis=alt.Axis(tickMinStep=1, format="d")),
        )
        return alt.layer(
            base.mark_bar(color=ACCENT, size=min(48, max(12, width // (len(data) * 2)))),
            base.mark_text(dy=-8, fontSize=FONT_SIZE, color=INK).encode(text="n:Q"),
        ).properties(height=180)

    return Chart(
        title=title,
        description=_("Entries per edition: %(series)s.") % {
            "series": "; ".join(f"{label}: {number(n)}" for label, n in items)},
        columns=(axis_x, axis_y), rows=tuple((label, number(n)) for label, n in items),
        **_lazy(build, "bars", data, axis_x, axis_y))
