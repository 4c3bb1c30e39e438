"""Charts drawn with Vega-Lite on the server: readable at phone and desktop width, names in
full, a text alternative, and each SVG drawn once for all server processes."""

from __future__ import annotations

import re

import pytest
import vl_convert
from django.utils import translation

from sayembara.documents import charts
from sayembara.documents.models import RenderedChart

pytestmark = pytest.mark.django_db

LONG = "Tim Verifikasi BRIDA 1 — Kadek Dwi Pratama"


def _width(svg: str) -> float:
    return float(re.search(r'<svg[^>]* width="([\d.]+)"', svg).group(1))


def _font_sizes(svg: str) -> set[float]:
    return {float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)}


def test_tendency_chart_writes_long_names_in_full_at_both_widths():
    chart = charts.tendencies([(LONG, -4.2), ("Made Sukerta", 1.5)], title="Kecenderungan")
    charts.draw([chart])
    for svg in (chart.wide, chart.narrow):
        assert f">{LONG}</text>" in svg
        assert min(_font_sizes(svg)) >= 11
    assert _width(chart.narrow) <= 340 < _width(chart.wide)


def test_tendency_chart_has_a_text_alternative_in_indonesian():
    with translation.override("id"):
        chart = charts.tendencies([(LONG, -4.25), ("Made Sukerta", 1.5)], title="Kecenderungan")
    assert chart.columns == ("Juri", "Kecenderungan menilai (lebih ketat / lebih longgar)")
    assert chart.rows == ((LONG, "lebih ketat 4,3 poin"),
                          ("Made Sukerta", "lebih longgar 1,5 poin"))
    assert chart.description == (f"2 juri; yang paling ketat, {LONG}, rata-rata memberi nilai "
                                 "4,3 poin di bawah juri lain.")


def test_rank_chart_lists_each_entry_with_its_range_and_the_cut():
    items = [charts.Interval("KL-01 · Kelurahan Kuta", 1, 1, 2),
             charts.Interval("KL-02 · Kelurahan Legian", 2, 1, 4, highlight=True)]
    with translation.override("id"):
        chart = charts.rank_intervals(items, title="Rentang")
        charts.draw([chart])
    assert chart.rows == (("KL-01 · Kelurahan Kuta", "1", "1–2", "tidak"),
                          ("KL-02 · Kelurahan Legian", "2", "1–4", "ya"))
    assert chart.columns[2] == "Rentang peringkat (keyakinan 90%)"
    assert "dekat batas lolos" in chart.wide


def test_empty_series_says_so_instead_of_drawing():
    with translation.override("id"):
        chart = charts.histogram([], title="Sebaran")
    charts.draw([chart])
    assert (chart.empty, str(chart.wide)) == ("Belum ada hasil yang tersimpan.", "")


def test_each_chart_is_drawn_once_then_read_from_the_database(monkeypatch):
    calls = []
    real = vl_convert.vegalite_to_svg

    def counting(spec, *args, **kwargs):
        calls.append(spec)
        return real(spec, *args, **kwargs)

    monkeypatch.setattr(vl_convert, "vegalite_to_svg", counting)
    first, = charts.draw([charts.bars([("2023", 101), ("2024", 99)], title="Peserta")])
    assert len(calls) == 2  # the desktop and the phone drawing
    assert RenderedChart.objects.count() == 2
    again, = charts.draw([charts.bars([("2023", 101), ("2024", 99)], title="Peserta")])
    assert len(calls) == 2
    assert (again.wide, again.narrow) == (first.wide, first.narrow)
    charts.draw([charts.bars([("2023", 101), ("2024", 100)], title="Peserta")])
    assert len(calls) == 4  # other numbers, another drawing
