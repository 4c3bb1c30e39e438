"""A stage score across judges: mean, median, trimmed mean, honorary judges, disagreement."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

from sayembara.scoring import Disagreement, Judge, Method, Options, compute

from .builders import competition, inputs, rubric, stage, with_aggregation

FAST = Options(bootstrap=0, calibrate=False, reliability=False)


def _one(totals: list[int], *, judges: list[Judge] | None = None, **agg: object):
    """Stage result of entry A whose judges' sheet totals are ``totals`` (one criterion)."""
    st = with_aggregation(stage(), **agg)  # type: ignore[arg-type]
    comp = competition([st], rubrics=[rubric(weights=(100,))])
    sheets = {("s1", f"j{i}", "A"): [t] for i, t in enumerate(totals)}
    data = inputs(comp, entries={"A": "x"}, sheets=sheets, judges=judges)
    result = compute(comp, data, FAST)
    return result, result.stages[0].entries[0]


def test_mean_is_exact_and_not_rounded():
    _, item = _one([80, 81, 81])
    assert item.score == Fraction(242, 3)
    assert item.judges == 3


def test_trimmed_mean_drops_highest_and_lowest_from_four_judges():
    _, item = _one([60, 70, 80, 100], method=Method.TRIMMED_MEAN, trim_from=4)
    assert item.score == 75
    assert item.trimmed is True


def test_trimmed_mean_is_plain_mean_below_the_threshold():
    _, item = _one([60, 70, 100], method=Method.TRIMMED_MEAN, trim_from=4)
    assert item.score == Fraction(230, 3)
    assert item.trimmed is False


def test_trimmed_mean_can_drop_two_at_each_end():
    _, item = _one([10, 20, 50, 60, 70, 90, 95], method=Method.TRIMMED_MEAN, trim=2,
                   trim_from=5)
    assert item.score == 60


def test_median_of_odd_and_even_panels():
    _, odd = _one([50, 80, 90], method=Method.MEDIAN)
    _, even = _one([50, 70, 81, 90], method=Method.MEDIAN)
    assert odd.score == 80
    assert even.score == Fraction(151, 2)


def test_honorary_judge_not_counted_unless_the_stage_says_so():
    judges = [Judge("j0"), Judge("j1"), Judge("j2", honorary=True)]
    _, without = _one([70, 80, 100], judges=judges)
    _, counted = _one([70, 80, 100], judges=judges, count_honorary=True)
    assert without.score == 75
    assert without.judges == 2
    assert without.sheets == 3
    assert counted.score == Fraction(250, 3)


def test_dispersion_is_reported_and_disagreement_flagged_above_threshold():
    _, calm = _one([70, 80], disagreement=Disagreement(threshold=D(10)))
    _, wide = _one([70, 81], disagreement=Disagreement(threshold=D(10)))
    assert calm.spread == 10
    assert calm.disagreement is False
    assert wide.spread == 11
    assert wide.disagreement is True
    assert round(wide.sd or 0, 6) == round(((5.5 ** 2) * 2) ** 0.5, 6)


def test_two_reviewers_who_disagree_call_for_a_third():
    rule = Disagreement(threshold=D(15), third_reviewer=True, reviewers=2)
    result, pending = _one([60, 80], disagreement=rule)
    assert pending.needs_extra_judge is True
    assert result.stages[0].status == "incomplete"
    assert result.complete is False
    result, settled = _one([60, 80, 75], disagreement=rule)
    assert settled.needs_extra_judge is False
    assert settled.score == Fraction(215, 3)
    assert result.stages[0].status == "complete"


def test_entry_with_too_few_judges_is_not_scored_or_ranked():
    st = with_aggregation(stage(), min_judges=2)
    comp = competition([st], rubrics=[rubric(weights=(100,))])
    data = inputs(comp, entries={"A": "x", "B": "x"},
                  sheets={("s1", "j1", "A"): [70], ("s1", "j2", "A"): [90],
                          ("s1", "j1", "B"): [95]})
    result = compute(comp, data, FAST)
    by = {e.entry: e for e in result.stages[0].entries}
    assert by["A"].rank == 1
    assert by["B"].status == "not_scored"
    assert by["B"].rank is None
    assert by["B"].reason is not None and by["B"].reason.code == "not_scored"
    assert result.stages[0].status == "incomplete"


def test_min_judges_leaves_an_entry_with_fewer_counted_sheets_unscored_with_its_reason():
    _, two = _one([70, 80], min_judges=3)
    _, three = _one([70, 80, 90], min_judges=3)
    assert (two.status, two.score, two.rank) == ("not_scored", None, None)
    assert two.reason is not None
    assert two.reason.english() == (
        "Not scored: 2 counted judges' sheets, at least 3 needed.")
    assert (three.status, three.score) == ("scored", 80)


def test_a_recusal_lowers_the_minimum_for_its_entry_and_is_named_when_still_short():
    from dataclasses import replace

    from sayembara.scoring import Recusal

    st = with_aggregation(stage(), min_judges=3)
    comp = competition([st], rubrics=[rubric(weights=(100,))])
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "x"},
                  sheets={("s1", "j1", "A"): [70], ("s1", "j2", "A"): [90],
                          ("s1", "j1", "B"): [60], ("s1", "j2", "B"): [80],
                          ("s1", "j1", "C"): [75]},
                  judges=[Judge("j1"), Judge("j2"), Judge("j3")])
    data = replace(data, recusals=(Recusal("s1", "A", "j3"), Recusal("s1", "C", "j3")))
    by = {e.entry: e for e in compute(comp, data, FAST).stages[0].entries}
    assert (by["A"].status, by["A"].score) == ("scored", 80)
    assert (by["B"].status, by["B"].reason.english()) == (
        "not_scored", "Not scored: 2 counted judges' sheets, at least 3 needed.")
    assert (by["C"].status, by["C"].reason.english()) == (
        "not_scored", "Not scored: 1 counted judges' sheets, at least 2 needed (the panel "
        "members who recused for a conflict of interest, 1, are not needed).")
