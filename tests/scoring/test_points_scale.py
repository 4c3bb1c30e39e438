"""Scores in the scale's own points: a rubric on 0..700, a pass mark of 400 points and a
third reviewer at a gap of 200 points, all exact.

The reference computes each sheet total as the plain sum of the points with Python
fractions, and the stage score as their mean; hypothesis checks the engine against it.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara.scoring import (
    Advancement,
    Aggregation,
    Band,
    Comparison,
    Condition,
    Criterion,
    Disagreement,
    Measure,
    Options,
    Rubric,
    SpecError,
    compute,
)

from .builders import competition, inputs, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
POINTS = Rubric(key="r", scale=D(700), criteria=(
    Criterion("masalah", D(200), scale_max=D(200)),
    Criterion("solusi", D(300), scale_max=D(300)),
    Criterion("dampak", D(200), scale_max=D(200)),
))
GAP = Disagreement(when=Condition(Measure.SPREAD, Comparison.AT_LEAST, D(200)),
                   third_reviewer=True)


def _run(sheets: dict[str, list[tuple[int, int, int]]], *, kind: str = "filter", **kw):
    st_ = stage("s1", kind=kind, aggregation=Aggregation(disagreement=GAP),
                advancement=Advancement(passing_grade=D(400)), **kw)
    comp = competition([st_], rubrics=[POINTS],
                       grades=(Band("A", minimum=D(600)), Band("B", minimum=D(400),
                                                                maximum=D(600),
                                                                maximum_exclusive=True)))
    data = inputs(comp, entries=dict.fromkeys(sheets, "x"),
                  sheets={("s1", f"j{i}", e): list(points) for e, ps in sheets.items()
                          for i, points in enumerate(ps)})
    return compute(comp, data, FAST)


def test_the_worked_example_of_the_documentation():
    result = _run({
        "a": [(100, 200, 100), (100, 200, 100)],   # 400, 400
        "b": [(100, 199, 100), (100, 200, 100)],   # 399, 400
        "c": [(100, 100, 100), (200, 200, 100)],   # 300, 500
        "d": [(50, 100, 100), (149, 200, 100)],    # 250, 449
    })
    by = {e.entry: e for e in result.stages[0].entries}
    assert [by[k].score for k in "abcd"] == [400, Fraction(799, 2), 400, Fraction(699, 2)]
    assert [by[k].advanced for k in "abcd"] == [True, False, True, False]
    assert [by[k].needs_extra_judge for k in "abcd"] == [False, False, True, False]
    assert by["a"].reason is not None
    assert by["a"].reason.english() == "The score 400 reaches the passing grade 400."
    assert by["b"].reason is not None
    assert by["b"].reason.english() == "The score 399.5 is below the passing grade 400."


def test_the_final_score_and_its_bands_are_in_points():
    result = _run({"a": [(200, 300, 150)], "b": [(150, 200, 100)], "c": [(100, 100, 100)]},
                  kind="weighted")
    final = {f.entry: f for f in result.final}
    assert (final["a"].total, final["a"].grade) == (650, "A")
    assert (final["b"].total, final["b"].grade) == (450, "B")
    assert (final["c"].total, final["c"].grade) == (300, None)


def test_weights_must_add_up_to_the_scale_and_weighted_stages_share_one_scale():
    wrong = Rubric(key="r", scale=D(700), criteria=(Criterion("c", D(100), scale_max=D(100)),))
    with pytest.raises(SpecError, match="add up to 100, not 700"):
        compute(competition([stage()], rubrics=[wrong]),
                inputs(competition([stage()], rubrics=[wrong]), entries={"a": "x"},
                       sheets={("s1", "j", "a"): [50]}), FAST)
    hundred = Rubric(key="h", criteria=(Criterion("c", D(100)),))
    comp = competition([stage("s1", weight=50), stage("s2", weight=50, rubric_key="h")],
                       rubrics=[POINTS, hundred])
    with pytest.raises(SpecError, match="another scale than the final score"):
        comp.validate()


points = st.tuples(st.integers(0, 400).map(lambda v: D(v) / 2),
                   st.integers(0, 600).map(lambda v: D(v) / 2),
                   st.integers(0, 400).map(lambda v: D(v) / 2))


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(st.lists(points, min_size=1, max_size=3), min_size=1, max_size=6))
def test_points_are_summed_and_compared_exactly_as_the_reference_does(entries):
    sheets = {f"e{i}": ps for i, ps in enumerate(entries)}
    result = _run(sheets)
    by = {e.entry: e for e in result.stages[0].entries}
    for key, ps in sheets.items():
        totals = [sum(Fraction(p) for p in sheet) for sheet in ps]
        mean = sum(totals) / len(totals)
        assert by[key].score == mean
        assert by[key].advanced is (mean >= 400)
        gap = max(totals) - min(totals)
        assert by[key].disagreement is (len(totals) >= 2 and gap >= 200)
