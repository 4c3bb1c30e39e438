"""Advancement: top N, quotas, passing grade, multiplier, ties at the cut, decisions."""

from __future__ import annotations

from decimal import Decimal as D

from sayembara.scoring import (
    Action,
    Advancement,
    Decision,
    Entry,
    Options,
    Quota,
    Scope,
    TieBreak,
    TiePolicy,
    compute,
)

from .builders import competition, inputs, rubric, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
ONE = rubric(weights=(100,))


def _run(scores: dict[str, int], rule: Advancement, *, categories=("x",), entries=None,
         decisions=(), tie_breaks=(TieBreak.HEAVIEST_STAGE, TieBreak.LOT), kind="filter"):
    comp = competition([stage("s1", kind=kind, categories=categories, advancement=rule)],
                       rubrics=[ONE], categories=categories, tie_breaks=tie_breaks,
                       groups=("g1", "g2", "g3"))
    entries = entries or {k: "x" for k in scores}
    data = inputs(comp, entries=entries, sheets={("s1", "j1", k): [v]
                                                 for k, v in scores.items()},
                  decisions=decisions)
    result = compute(comp, data, FAST)
    return result, {e.entry: e for e in result.stages[0].entries}


def test_top_n_per_category_takes_exactly_n_of_each():
    entries = [Entry(f"x{i}", "x") for i in range(5)] + [Entry(f"y{i}", "y") for i in range(4)]
    scores = {e.key: 30 + i * 7 for i, e in enumerate(entries)}
    _, by = _run(scores, Advancement(top_n=2), categories=("x", "y"), entries=entries)
    assert sorted(k for k, e in by.items() if e.advanced) == ["x3", "x4", "y2", "y3"]
    assert by["x3"].reason is not None
    assert by["x3"].reason.english() == "Ranked 2 in x, within its 2 places."
    assert by["x2"].reason is not None
    assert by["x2"].reason.english() == "Ranked 3 in x, outside its 2 places."


def test_fixed_quotas_per_group_are_filled_exactly():
    groups = ["g1"] * 4 + ["g2"] * 6 + ["g3"] * 3
    entries = [Entry(f"e{i:02d}", "x", group=g) for i, g in enumerate(groups)]
    scores = {e.key: 40 + 3 * i for i, e in enumerate(entries)}
    rule = Advancement(scope=Scope.GROUP, quotas=(Quota("g1", 2), Quota("g2", 3),
                                                  Quota("g3", 1)))
    result, by = _run(scores, rule, entries=entries)
    taken = {g: sorted(e.key for e in entries if e.group == g and by[e.key].advanced)
             for g in ("g1", "g2", "g3")}
    assert taken == {"g1": ["e02", "e03"], "g2": ["e07", "e08", "e09"], "g3": ["e12"]}
    assert [(p.name, p.seats, p.advanced) for p in result.stages[0].pools] == [
        ("g1", 2, 2), ("g2", 3, 3), ("g3", 1, 1)]
    assert by["e09"].pool == "g2"
    assert by["e09"].pool_rank == 1


def test_passing_grade_stops_entries_below_it_even_with_places_left():
    rule = Advancement(top_n=3, passing_grade=D(85))
    _, by = _run({"A": 90, "B": 85, "C": 84}, rule)
    assert [by[k].advanced for k in "ABC"] == [True, True, False]
    assert by["C"].reason is not None
    assert by["C"].reason.english() == "The score 84 is below the passing grade 85."


def test_multiplier_nominates_k_times_the_target():
    scores = {f"e{i}": 50 + i for i in range(10)}
    _, by = _run(scores, Advancement(scope=Scope.OVERALL, top_n=3, multiplier=2))
    assert sum(e.advanced for e in by.values()) == 6


def test_tie_at_the_cut_admitted_together():
    rule = Advancement(top_n=2, ties=TiePolicy.ADMIT_ALL)
    result, by = _run({"A": 90, "B": 80, "C": 80, "D": 70}, rule)
    assert [by[k].advanced for k in "ABCD"] == [True, True, True, False]
    assert result.stages[0].pools[0].advanced == 3
    assert {by["B"].reason.code, by["C"].reason.code} == {"within_places", "tie_admitted"}


def test_tie_at_the_cut_broken_by_the_chain_takes_exactly_n():
    result, by = _run({"A": 90, "B": 80, "C": 80, "D": 70}, Advancement(top_n=2))
    winner = "B" if by["B"].advanced else "C"
    loser = "C" if winner == "B" else "B"
    assert (by[winner].advanced, by[loser].advanced) == (True, False)
    assert by[winner].reason is not None and by[winner].reason.code == "won_tie"
    assert by[loser].reason is not None and by[loser].reason.code == "lost_tie"
    assert by[winner].tie_break == "lot"
    assert result.stages[0].status == "complete"


def test_tie_the_chain_cannot_break_is_admitted_and_flagged_for_a_decision():
    chain = (TieBreak.HEAVIEST_CRITERION, TieBreak.RECORDED_DECISION)
    result, by = _run({"A": 90, "B": 80, "C": 80, "D": 70}, Advancement(top_n=2),
                      tie_breaks=chain)
    assert [by[k].advanced for k in "ABCD"] == [True, True, True, False]
    assert result.stages[0].open_ties == (("B", "C"),)
    assert result.stages[0].status == "incomplete"
    assert by["B"].reason is not None and by["B"].reason.code == "tie_open_admitted"


def test_recorded_decision_settles_the_tie():
    chain = (TieBreak.HEAVIEST_CRITERION, TieBreak.RECORDED_DECISION)
    decisions = [Decision("s1", "C", Action.TIEBREAK, "Rapat pleno 3 Juni", order=1),
                 Decision("s1", "B", Action.TIEBREAK, "Rapat pleno 3 Juni", order=2)]
    result, by = _run({"A": 90, "B": 80, "C": 80, "D": 70}, Advancement(top_n=2),
                      tie_breaks=chain, decisions=decisions)
    assert [by[k].advanced for k in "ABCD"] == [True, False, True, False]
    assert by["C"].tie_break == "recorded_decision"
    assert (by["C"].rank, by["B"].rank) == (2, 3)
    assert result.stages[0].status == "complete"


def test_eliminated_entry_gives_its_place_to_the_next():
    decisions = [Decision("s1", "A", Action.ELIMINATE, "Tidak memenuhi syarat usia inovasi")]
    _, by = _run({"A": 95, "B": 90, "C": 80, "D": 70}, Advancement(top_n=2),
                 decisions=decisions)
    assert [by[k].advanced for k in "ABCD"] == [False, True, True, False]
    assert by["A"].rank == 1  # still ranked on its score
    assert by["A"].reason is not None
    assert by["A"].reason.english() == "Stopped by decision: Tidak memenuhi syarat usia inovasi"


def test_disqualified_entry_leaves_the_ranking_and_gets_no_award():
    from sayembara.scoring import AwardTier

    comp = competition([stage("s1", advancement=Advancement(top_n=2))], rubrics=[ONE],
                       tiers=(AwardTier("j1", "Juara 1", 1, 1, prize=D(5000000)),))
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"},
                  sheets={("s1", "j1", k): [v] for k, v in {"A": 95, "B": 90, "C": 80}.items()},
                  decisions=[Decision("s1", "A", Action.DISQUALIFY, "Plagiarisme")])
    result = compute(comp, data, FAST)
    by = {e.entry: e for e in result.stages[0].entries}
    assert by["A"].status == "disqualified"
    assert by["A"].rank is None
    assert (by["B"].rank, by["C"].rank) == (1, 2)
    final = {f.entry: f for f in result.final}
    assert final["A"].status == "disqualified"
    assert final["A"].rank is None
    assert final["B"].award == "Juara 1"
    assert final["B"].prize == D(5000000)


def test_entry_advanced_by_decision_goes_on_beyond_the_cut():
    decisions = [Decision("s1", "D", Action.ADVANCE, "Wakil kecamatan terpencil")]
    result, by = _run({"A": 95, "B": 90, "C": 80, "D": 70}, Advancement(top_n=2),
                      decisions=decisions)
    assert [by[k].advanced for k in "ABCD"] == [True, True, False, True]


def test_a_quota_of_zero_and_a_unit_left_out_give_no_place_and_say_why():
    groups = ["g1"] * 3 + ["g2"] * 2 + ["g3"] * 2
    entries = [Entry(f"e{i}", "x", group=g) for i, g in enumerate(groups)]
    scores = {e.key: 50 + 5 * i for i, e in enumerate(entries)}
    # g2 has 0 places; g3 is left out of the quotas, so it has none either
    rule = Advancement(scope=Scope.GROUP, quotas=(Quota("g1", 2), Quota("g2", 0)))
    result, by = _run(scores, rule, entries=entries)
    assert sorted(k for k, e in by.items() if e.advanced) == ["e1", "e2"]
    for key, unit in (("e3", "g2"), ("e4", "g2"), ("e5", "g3"), ("e6", "g3")):
        assert by[key].reason is not None
        assert by[key].reason.code == "no_quota"
        assert by[key].reason.english() == f"There are no places for {unit} at this stage."
        assert by[key].pool == unit
        assert by[key].pool_rank is not None
    assert by["e6"].pool_rank == 1 and by["e5"].pool_rank == 2
    assert [(p.name, p.seats, p.competing, p.advanced) for p in result.stages[0].pools] == [
        ("g1", 2, 3, 2), ("g2", 0, 2, 0), ("g3", 0, 2, 0)]


def test_with_quotas_per_group_an_entry_in_no_group_says_so():
    entries = [Entry("a", "x", group="g1"), Entry("b", "x", group="g1"), Entry("c", "x")]
    rule = Advancement(scope=Scope.GROUP, quotas=(Quota("g1", 1),))
    _, by = _run({"a": 60, "b": 70, "c": 90}, rule, entries=entries)
    assert [by[k].advanced for k in "abc"] == [False, True, False]
    assert by["c"].reason is not None
    assert by["c"].reason.english() == (
        "Places at this stage are given per group, and it belongs to no group.")


def test_zero_places_keep_the_bootstrap_figures_defined():
    entries = [Entry(f"e{i}", c) for i, c in enumerate("xxxyy")]
    scores = {e.key: 50 + 5 * i for i, e in enumerate(entries)}
    comp = competition([stage("s1", kind="filter", categories=("x", "y"),
                              advancement=Advancement(quotas=(Quota("x", 1), Quota("y", 0))))],
                       rubrics=[ONE], categories=("x", "y"))
    data = inputs(comp, entries=entries,
                  sheets={("s1", j, k): [v + d] for k, v in scores.items()
                          for j, d in (("j1", 0), ("j2", 4))})
    result = compute(comp, data, Options(bootstrap=50, calibrate=False))
    by = {e.entry: e for e in result.stages[0].entries}
    assert by["e3"].p_top_n == 0.0 and by["e4"].p_top_n == 0.0
    assert by["e2"].advanced and by["e2"].p_top_n is not None
