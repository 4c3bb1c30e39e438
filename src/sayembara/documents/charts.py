"""Server-rendered SVG charts (no JavaScript). Functions take plain numbers and labels.

Counting values into bins and placing marks is drawing, not scoring: every score drawn here
was computed and stored by the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACCENT = "#0b5cad"
MUTED = "#5b6475"
LINE = "#d9dee8"
BAD = "#b3261e"
OK = "#1f7a3d"


def _svg(width: int, height: int, body: list[str], title: str) -> SafeString:
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(title)}" class="chart" '
        f'style="max-width:{width}px;font-family:system-ui,sans-serif">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: int = 11,
          color: str = MUTED, extra: str = "") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{color}" '
            f'text-anchor="{anchor}" {extra}>{escape(text)}</text>')


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return step
    return value


def histogram(values: Sequence[Decimal | float], *, title: str, lo: float = 0,
              hi: float = 100, bins: int = 10, empty: str = "") -> SafeString:
    """Counts of values in equal bins between ``lo`` and ``hi`` (the last bin is closed)."""
    width, height, left, bottom, top = 560, 240, 40, 30, 20
    counts = [0] * bins
    span = (hi - lo) / bins
    for value in values:
        index = int((float(value) - lo) // span)
        counts[min(max(index, 0), bins - 1)] += 1
    peak = _nice_max(max(counts, default=0))
    plot_w, plot_h = width - left - 10, height - bottom - top
    body = [f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
            f'stroke="{LINE}"/>']
    for tick in (0, peak / 2, peak):
        y = top + plot_h - plot_h * tick / peak
        body.append(_text(left - 6, y + 4, f"{tick:g}", anchor="end", size=10))
    bar_w = plot_w / bins
    for i, count in enumerate(counts):
        h = plot_h * count / peak
        x = left + i * bar_w
        body.append(f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                    f'height="{h:.1f}" fill="{ACCENT}"><title>{lo + i * span:g}–'
                    f'{lo + (i + 1) * span:g}: {count}</title></rect>')
        body.append(_text(x, height - 12, f"{lo + i * span:g}", size=10))
    body.append(_text(width - 10, height - 12, f"{hi:g}", anchor="end", size=10))
    if not values and empty:
        body.append(_text(width / 2, height / 2, empty, anchor="middle", size=13))
    return _svg(width, height, body, title)


def diverging_bars(items: Sequence[tuple[str, float]], *, title: str, unit: str = "",
                   empty: str = "") -> SafeString:
    """Horizontal bars around zero (judge severity: below zero is stricter than the panel)."""
    row, left, right = 26, 190, 20
    width = 560
    height = max(60, 30 + row * len(items))
    reach = max((abs(v) for _l, v in items), default=1) or 1
    centre = left + (width - left - right) / 2
    half = (width - left - right) / 2
    body = [f'<line x1="{centre}" y1="10" x2="{centre}" y2="{height - 10}" stroke="{LINE}"/>']
    for i, (label, value) in enumerate(items):
        y = 20 + i * row
        w = half * abs(value) / reach
        x = centre - w if value < 0 else centre
        color = BAD if value < 0 else OK
        body.append(_text(left - 8, y + 13, label[:30], anchor="end"))
        body.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 8}" '
                    f'fill="{color}"><title>{escape(label)}: {value:+.2f}{unit}</title></rect>')
        anchor_x = x - 4 if value < 0 else x + w + 4
        body.append(_text(anchor_x, y + 13, f"{value:+.2f}", anchor="end" if value < 0
                          else "start", size=10))
    if not items and empty:
        body.append(_text(width / 2, height / 2, empty, anchor="middle", size=13))
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class Interval:
    label: str
    rank: int
    low: int
    high: int
    highlight: bool = False


def rank_intervals(items: Sequence[Interval], *, title: str, empty: str = "") -> SafeString:
    """Each finalist's rank with its 90 % interval; rank 1 on the left."""
    row, left, right = 24, 220, 20
    width = 620
    height = max(60, 40 + row * len(items))
    worst = max((item.high for item in items), default=1)
    span = max(worst - 1, 1)
    plot_w = width - left - right

    def x_of(rank: float) -> float:
        return left + plot_w * (rank - 1) / span

    body = []
    for tick in sorted({1, max(1, worst // 2), worst}):
        x = x_of(tick)
        body.append(f'<line x1="{x:.1f}" y1="14" x2="{x:.1f}" y2="{height - 20}" '
                    f'stroke="{LINE}"/>')
        body.append(_text(x, height - 6, str(tick), anchor="middle", size=10))
    for i, item in enumerate(items):
        y = 24 + i * row
        color = BAD if item.highlight else ACCENT
        body.append(_text(left - 8, y + 4, item.label[:34], anchor="end"))
        body.append(f'<line x1="{x_of(item.low):.1f}" y1="{y}" x2="{x_of(item.high):.1f}" '
                    f'y2="{y}" stroke="{color}" stroke-width="3"/>')
        body.append(f'<circle cx="{x_of(item.rank):.1f}" cy="{y}" r="5" fill="{color}">'
                    f'<title>{escape(item.label)}: {item.rank} ({item.low}–{item.high})'
                    f'</title></circle>')
    if not items and empty:
        body.append(_text(width / 2, height / 2, empty, anchor="middle", size=13))
    return _svg(width, height, body, title)


def bars(items: Sequence[tuple[str, int]], *, title: str, empty: str = "") -> SafeString:
    """Vertical bars with a count above each (participation per edition across years)."""
    width, height, bottom, top = 560, 220, 30, 24
    peak = _nice_max(max((v for _l, v in items), default=0))
    plot_h = height - bottom - top
    bar_w = min(70, (width - 20) / max(len(items), 1))
    body = [f'<line x1="10" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
            f'stroke="{LINE}"/>']
    for i, (label, value) in enumerate(items):
        h = plot_h * value / peak
        x = 10 + i * bar_w
        body.append(f'<rect x="{x + 4:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 8:.1f}" '
                    f'height="{h:.1f}" fill="{ACCENT}"><title>{escape(label)}: {value}</title>'
                    f'</rect>')
        body.append(_text(x + bar_w / 2, top + plot_h - h - 5, str(value), anchor="middle",
                          size=11, color="#1d2433"))
        body.append(_text(x + bar_w / 2, height - 10, label, anchor="middle", size=11))
    if not items and empty:
        body.append(_text(width / 2, height / 2, empty, anchor="middle", size=13))
    return _svg(width, height, body, title)
