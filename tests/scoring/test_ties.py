"""The tie-break chain: each step separates exactly equal scores the way it says."""

from __future__ import annotations

import hashlib

from sayembara.scoring import FINAL, Action, Decision, Method, Options, TieBreak, compute

from .builders import competition, inputs, rubric, stage, with_aggregation

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
ONE = rubric(weights=(100,))


def _ranks(result, stage_index: int = 0) -> dict[str, tuple[int | None, str | None]]:
    return {e.entry: (e.rank, e.tie_break) for e in result.stages[stage_index].entries}


def test_heaviest_stage_decides_equal_totals():
    comp = competition([stage("s1", weight=40), stage("s2", weight=60)], rubrics=[ONE],
                       tie_breaks=(TieBreak.HEAVIEST_STAGE, TieBreak.LOT))
    # A: 36 + 36 = 72, B: 24 + 48 = 72; B is better on the 60 % stage.
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [90], ("s1", "j1", "B"): [60],
        ("s2", "j1", "A"): [60], ("s2", "j1", "B"): [80]})
    result = compute(comp, data, FAST)
    assert [(f.entry, f.total, f.tie_break) for f in result.final] == [
        ("B", 72, "heaviest_stage"), ("A", 72, "heaviest_stage")]


def test_heaviest_criterion_decides_equal_stage_scores():
    comp = competition([stage()], rubrics=[rubric(weights=(60, 40))],
                       tie_breaks=(TieBreak.HEAVIEST_CRITERION, TieBreak.LOT))
    # A: 42 + 32 = 74, B: 48 + 26 = 74; B has more on the 60 % criterion.
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [70, 80], ("s1", "j1", "B"): [80, 65]})
    assert _ranks(compute(comp, data, FAST)) == {"B": (1, "heaviest_criterion"),
                                                 "A": (2, "heaviest_criterion")}


def test_head_to_head_majority_of_common_judges():
    comp = competition([stage()], rubrics=[ONE],
                       tie_breaks=(TieBreak.HEAD_TO_HEAD, TieBreak.LOT))
    # Both average 220/3; judges 2 and 3 prefer B.
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [90], ("s1", "j2", "A"): [60], ("s1", "j3", "A"): [70],
        ("s1", "j1", "B"): [80], ("s1", "j2", "B"): [65], ("s1", "j3", "B"): [75]})
    assert _ranks(compute(comp, data, FAST)) == {"B": (1, "head_to_head"),
                                                 "A": (2, "head_to_head")}


def test_untrimmed_mean_separates_equal_trimmed_means():
    st = with_aggregation(stage(), method=Method.TRIMMED_MEAN, trim_from=4)
    comp = competition([st], rubrics=[ONE],
                       tie_breaks=(TieBreak.UNTRIMMED_MEAN, TieBreak.LOT))
    # trimmed: (70 + 80)/2 = 75 for both; untrimmed 77.5 vs 72.5.
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        **{("s1", f"j{i}", "A"): [v] for i, v in enumerate((60, 70, 80, 100))},
        **{("s1", f"j{i}", "B"): [v] for i, v in enumerate((50, 70, 80, 90))}})
    assert _ranks(compute(comp, data, FAST)) == {"A": (1, "untrimmed_mean"),
                                                 "B": (2, "untrimmed_mean")}


def test_median_separates_equal_means():
    comp = competition([stage()], rubrics=[ONE], tie_breaks=(TieBreak.MEDIAN, TieBreak.LOT))
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        **{("s1", f"j{i}", "A"): [v] for i, v in enumerate((60, 70, 80))},
        **{("s1", f"j{i}", "B"): [v] for i, v in enumerate((50, 80, 80))}})
    assert _ranks(compute(comp, data, FAST)) == {"B": (1, "median"), "A": (2, "median")}


def test_chain_moves_on_when_a_step_does_not_separate():
    comp = competition([stage()], rubrics=[rubric(weights=(60, 40))],
                       tie_breaks=(TieBreak.HEAVIEST_CRITERION, TieBreak.MEDIAN,
                                   TieBreak.LOT))
    # Equal totals (74), equal criterion means (70, 80) and equal medians (74): the lot decides.
    data = inputs(comp, entries={"A": "x", "B": "x"}, sheets={
        ("s1", "j1", "A"): [70, 80], ("s1", "j2", "A"): [70, 80], ("s1", "j3", "A"): [70, 80],
        ("s1", "j1", "B"): [60, 70], ("s1", "j2", "B"): [80, 90], ("s1", "j3", "B"): [70, 80]})
    first, second = sorted("AB", key=lambda k: hashlib.sha256(f"0:s1:{k}".encode()).hexdigest())
    assert _ranks(compute(comp, data, FAST)) == {first: (1, "lot"), second: (2, "lot")}


def test_recorded_decision_for_the_final_ranking():
    comp = competition([stage()], rubrics=[ONE],
                       tie_breaks=(TieBreak.HEAVIEST_STAGE, TieBreak.RECORDED_DECISION))
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"}, sheets={
        ("s1", "j1", "A"): [80], ("s1", "j1", "B"): [80], ("s1", "j1", "C"): [80]},
        decisions=[Decision(FINAL, "C", Action.TIEBREAK, "Keputusan pleno", order=1),
                   Decision(FINAL, "A", Action.TIEBREAK, "Keputusan pleno", order=2)])
    result = compute(comp, data, FAST)
    assert [(f.entry, f.rank, f.tie_break) for f in result.final] == [
        ("C", 1, "recorded_decision"), ("A", 2, "recorded_decision"),
        ("B", 3, "recorded_decision")]


def test_lot_follows_the_published_seed_and_can_be_recomputed():
    comp = competition([stage()], rubrics=[ONE], tie_breaks=(TieBreak.LOT,))
    keys = ["PD-01", "PD-02", "PD-03", "PD-04", "PD-05"]
    data = inputs(comp, entries={k: "x" for k in keys},
                  sheets={("s1", "j1", k): [75] for k in keys})
    for seed in (2024, 2025):
        result = compute(comp, data, Options(seed=seed, bootstrap=0, calibrate=False))
        expected = sorted(keys, key=lambda k: hashlib.sha256(
            f"{seed}:s1:{k}".encode()).hexdigest())
        assert [e.entry for e in result.stages[0].entries] == expected
        assert [e.rank for e in result.stages[0].entries] == [1, 2, 3, 4, 5]


def test_entries_tied_after_the_whole_chain_share_a_rank():
    comp = competition([stage()], rubrics=[ONE], tie_breaks=(TieBreak.HEAVIEST_CRITERION,
                                                            TieBreak.RECORDED_DECISION))
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x", "D": "x"}, sheets={
        ("s1", "j1", "A"): [90], ("s1", "j1", "B"): [80], ("s1", "j1", "C"): [80],
        ("s1", "j1", "D"): [70]})
    ranks = {e.entry: e.rank for e in compute(comp, data, FAST).stages[0].entries}
    assert ranks == {"A": 1, "B": 2, "C": 2, "D": 4}
