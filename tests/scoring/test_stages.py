"""Stages: weighted totals, filters, can-only-lower stages, votes, pending and skipped."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from sayembara.scoring import (
    Action,
    Advancement,
    Decision,
    InputError,
    Options,
    Source,
    Stage,
    StageKind,
    compute,
)

from .builders import competition, inputs, rubric, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
ONE = rubric(weights=(100,))


def _three_stage(advance_top: int = 2):
    return competition([
        stage("s1", weight=20, advancement=Advancement(top_n=advance_top)),
        stage("s2", weight=55),
        stage("s3", weight=25),
    ], rubrics=[ONE])


def test_final_total_is_the_weighted_sum_of_the_stage_scores():
    comp = _three_stage()
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [70], ("s1", "j1", "C"): [60],
        ("s2", "j1", "A"): [90], ("s2", "j1", "B"): [95],
        ("s3", "j1", "A"): [70], ("s3", "j1", "B"): [80],
    })
    result = compute(comp, data, FAST)
    final = {f.entry: f for f in result.final}
    # A: 0.20 x 80 + 0.55 x 90 + 0.25 x 70 = 16 + 49.5 + 17.5
    assert final["A"].total == 83
    # B: 14 + 52.25 + 20
    assert final["B"].total == Fraction(8625, 100)
    assert [final[e].rank for e in "BAC"] == [1, 2, 3]
    assert final["C"].reached == "s1"
    assert final["C"].total == 12  # 0.20 x 60, the stages it took
    assert result.complete is True


def test_entry_eliminated_earlier_ranks_below_every_finalist():
    comp = _three_stage(advance_top=2)
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"}, sheets={
        ("s1", "j1", "A"): [99], ("s1", "j1", "B"): [40], ("s1", "j1", "C"): [30],
        ("s2", "j1", "B"): [10], ("s2", "j1", "C"): [5],
        ("s3", "j1", "B"): [10], ("s3", "j1", "C"): [5],
    }, decisions=[Decision("s1", "A", Action.ELIMINATE, "Dokumen tidak sah"),
                  Decision("s1", "C", Action.ADVANCE, "Penetapan dewan juri")])
    result = compute(comp, data, FAST)
    final = {f.entry: f for f in result.final}
    # A stopped at stage 1 with 19.8; B and C went on with totals below that, yet rank above.
    assert final["A"].total == Fraction(198, 10)
    # B: 8 + 5.5 + 2.5; C: 6 + 2.75 + 1.25
    assert (final["B"].total, final["C"].total) == (16, 10)
    assert [final[e].rank for e in "BCA"] == [1, 2, 3]
    stage1 = {e.entry: e for e in result.stages[0].entries}
    assert stage1["A"].advanced is False
    assert stage1["A"].reason is not None
    assert stage1["A"].reason.english() == "Stopped by decision: Dokumen tidak sah"
    assert stage1["C"].reason is not None
    assert stage1["C"].reason.english() == "Advanced by decision: Penetapan dewan juri"


def test_weighted_can_only_lower_stage_never_raises_the_carried_average():
    comp = competition([stage("s1", weight=50),
                        stage("s2", weight=50, can_only_lower=True)], rubrics=[ONE])
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [80],
        ("s2", "j1", "A"): [95], ("s2", "j1", "B"): [60],
    })
    result = compute(comp, data, FAST)
    final = {f.entry: f.total for f in result.final}
    s2 = {e.entry: e for e in result.stages[1].entries}
    # A: 40 + 50 x min(95, 80)/100; B: 40 + 50 x min(60, 80)/100
    assert final == {"A": 80, "B": 70}
    assert s2["A"].lowered_by == 0  # verified above its carried 80: nothing taken off
    assert s2["B"].lowered_by == 20


def test_filter_can_only_lower_stage_caps_the_running_total():
    comp = competition([stage("s1", weight=100),
                        stage("s2", kind="filter", can_only_lower=True)], rubrics=[ONE])
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [75],
        ("s2", "j1", "A"): [70], ("s2", "j1", "B"): [100],
    })
    result = compute(comp, data, FAST)
    s2 = {e.entry: e for e in result.stages[1].entries}
    assert (s2["A"].selection, s2["A"].lowered_by) == (70, 10)
    assert (s2["B"].selection, s2["B"].lowered_by) == (75, 0)
    assert [f.entry for f in result.final] == ["B", "A"]


def test_filter_stage_carries_no_weight_and_ranks_by_its_own_score():
    comp = competition([stage("s1", kind="filter", advancement=Advancement(top_n=2)),
                        stage("s2", weight=100)], rubrics=[ONE])
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"}, sheets={
        ("s1", "j1", "A"): [90], ("s1", "j1", "B"): [60], ("s1", "j1", "C"): [50],
        ("s2", "j1", "A"): [70], ("s2", "j1", "B"): [75],
    })
    result = compute(comp, data, FAST)
    assert {e.entry: e.selection for e in result.stages[0].entries} == {"A": 90, "B": 60,
                                                                         "C": 50}
    assert [(f.entry, f.total) for f in result.final] == [("B", 75), ("A", 70), ("C", 50)]


def test_public_votes_stage_scores_votes_against_the_most_voted():
    votes_stage = Stage("v", StageKind.WEIGHTED, D(30), source=Source.VOTES)
    comp = competition([stage("s1", weight=70), votes_stage], rubrics=[ONE])
    data = inputs(comp, entries={"A": "x", "B": "x"}, votes={"A": 50, "B": 200},
                  sheets={("s1", "j1", "A"): [90], ("s1", "j1", "B"): [80]})
    result = compute(comp, data, FAST)
    assert {e.entry: e.score for e in result.stages[1].entries} == {"A": 25, "B": 100}
    # A: 63 + 7.5; B: 56 + 30
    assert {f.entry: f.total for f in result.final} == {"A": Fraction(705, 10), "B": 86}


def test_stage_without_scores_is_pending_and_results_provisional():
    comp = _three_stage()
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [70], ("s1", "j1", "C"): [60]})
    result = compute(comp, data, FAST)
    assert [s.status for s in result.stages] == ["complete", "pending", "pending"]
    assert result.complete is False
    assert {e.status for e in result.stages[1].entries} == {"awaiting"}
    assert all(f.award is None for f in result.final)


def test_scores_for_an_entry_that_did_not_reach_the_stage_are_refused():
    comp = _three_stage(advance_top=1)
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [70], ("s2", "j1", "B"): [70]})
    with pytest.raises(InputError) as info:
        compute(comp, data, FAST)
    assert info.value.code == "scores_for_absent_entry"
    assert info.value.params["entry"] == "B"


def test_entries_of_a_category_outside_a_stage_pass_it_untouched():
    comp = competition([stage("s1", weight=60, categories=("x", "y")),
                        stage("s2", weight=40, categories=("x",), only=("x",))],
                       rubrics=[ONE], categories=("x", "y"))
    data = inputs(comp, entries={"A": "x", "B": "y"}, sheets={
        ("s1", "j1", "A"): [50], ("s1", "j1", "B"): [90], ("s2", "j1", "A"): [100]})
    result = compute(comp, data, FAST)
    s2 = {e.entry: e for e in result.stages[1].entries}
    assert s2["B"].status == "skipped"
    assert {f.entry: f.total for f in result.final} == {"A": 70, "B": 54}
