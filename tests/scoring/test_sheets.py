"""A judge's sheet: weighted criteria, scales, evidence levels, checklists, missing criteria."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from sayembara.scoring import (
    Criterion,
    CriterionKind,
    InputError,
    Item,
    Level,
    MissingPolicy,
    Normalisation,
    Options,
    Rubric,
    compute,
)

from .builders import competition, inputs, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)


def _score(rub: Rubric, values: list[object]) -> Fraction | None:
    comp = competition([stage(rubric_key=rub.key)], rubrics=[rub])
    data = inputs(comp, entries={"A": "x"}, sheets={("s1", "j1", "A"): values})
    return compute(comp, data, FAST).stages[0].entries[0].score


def _restricted(normalisation: Normalisation, missing: MissingPolicy = MissingPolicy.BLOCK,
                step: D | None = None) -> Rubric:
    return Rubric(key="r", normalisation=normalisation, missing=missing, criteria=(
        Criterion("c1", D(60), scale_min=D(6), scale_max=D(10), step=step),
        Criterion("c2", D(40), scale_min=D(6), scale_max=D(10), step=step),
    ))


def test_sheet_total_fraction_of_max_on_restricted_range():
    # 60 x 8.0/10 + 40 x 6.5/10 = 48 + 26
    assert _score(_restricted(Normalisation.FRACTION_OF_MAX), ["8.0", "6.5"]) == 74


def test_sheet_total_min_max_on_restricted_range():
    # 60 x (8 - 6)/4 + 40 x (6.5 - 6)/4 = 30 + 5
    assert _score(_restricted(Normalisation.MIN_MAX), ["8.0", "6.5"]) == 35


def test_sheet_total_is_exact_for_thirds():
    rub = Rubric("r", (Criterion("c1", D(100), scale_max=D(3)),))
    # 100 x 2/3
    assert _score(rub, [2]) == Fraction(200, 3)


def test_ordinal_criterion_scores_the_highest_level_proven():
    crit = Criterion("kebijakan", D(100), kind=CriterionKind.ORDINAL, levels=(
        Level("Belum ada", D(0)), Level("Ditetapkan", D(50)), Level("Dengan SOP", D(75)),
        Level("Dievaluasi", D(100))))
    assert crit.score_of_levels(("Ditetapkan", "Dengan SOP")) == 75
    assert crit.score_of_levels(()) == 0
    assert _score(Rubric("r", (crit,)), [75]) == 75


def test_ordinal_criterion_refuses_a_score_between_levels():
    crit = Criterion("k", D(100), kind=CriterionKind.ORDINAL,
                     levels=(Level("a", D(0)), Level("b", D(50)), Level("c", D(100))))
    with pytest.raises(InputError) as info:
        _score(Rubric("r", (crit,)), [60])
    assert info.value.code == "score_not_a_level"
    assert info.value.row == 0


def test_checklist_counts_ticked_points_over_the_scale():
    crit = Criterion("k", D(100), kind=CriterionKind.CHECKLIST, scale_min=D(0),
                     scale_max=D(100), items=(Item("a"), Item("b"), Item("c", D(2))))
    # points 1 + 2 of 4
    assert crit.score_of_items(("a", "c")) == 75
    assert crit.score_of_items(("c",)) == 50
    assert crit.score_of_items(()) == 0


def test_missing_criterion_blocks_by_default():
    with pytest.raises(InputError) as info:
        _score(_restricted(Normalisation.FRACTION_OF_MAX), ["8.0", None])
    assert info.value.code == "missing_criterion"
    assert info.value.params["criteria"] == "c2"


def test_missing_criterion_counts_as_lowest_score_under_zero_policy():
    # 60 x 8/10 + 40 x 6/10 (scale_min)
    rub = _restricted(Normalisation.FRACTION_OF_MAX, MissingPolicy.ZERO)
    assert _score(rub, ["8.0", None]) == 72


def test_missing_criterion_reweights_the_others_to_100():
    # (60 x 8/10) x 100 / 60
    rub = _restricted(Normalisation.FRACTION_OF_MAX, MissingPolicy.REWEIGHT)
    assert _score(rub, ["8.0", None]) == 80


def test_score_outside_restricted_range_is_refused():
    with pytest.raises(InputError) as info:
        _score(_restricted(Normalisation.FRACTION_OF_MAX), ["5.5", "7"])
    assert info.value.code == "score_out_of_range"
    assert info.value.params["minimum"] == "6"


def test_score_off_the_step_is_refused():
    with pytest.raises(InputError) as info:
        _score(_restricted(Normalisation.FRACTION_OF_MAX, step=D("0.5")), ["7.5", "7.25"])
    assert info.value.code == "score_step"
    assert info.value.row == 1


def test_criterion_scored_twice_is_refused_at_the_second_row():
    from sayembara.scoring import Entry, Inputs, Judge, ScoreRow, ScoreTable

    comp = competition([stage()])
    entries, judges = [Entry("A", "x")], [Judge("j1")]
    rows = [ScoreRow("s1", "j1", "A", "c1", D(70)), ScoreRow("s1", "j1", "A", "c2", D(60)),
            ScoreRow("s1", "j1", "A", "c1", D(75))]
    table = ScoreTable.from_rows(rows, competition=comp, entries=entries, judges=judges)
    with pytest.raises(InputError) as info:
        compute(comp, Inputs(tuple(entries), tuple(judges), table), FAST)
    assert info.value.code == "duplicate_score"
    assert info.value.row == 2


def test_sheet_rows_split_across_the_input_are_one_sheet():
    from sayembara.scoring import Entry, Inputs, Judge, ScoreRow, ScoreTable

    comp = competition([stage()])
    entries, judges = [Entry("A", "x"), Entry("B", "x")], [Judge("j1")]
    rows = [ScoreRow("s1", "j1", "A", "c1", D(70)), ScoreRow("s1", "j1", "B", "c1", D(50)),
            ScoreRow("s1", "j1", "A", "c2", D(60)), ScoreRow("s1", "j1", "B", "c2", D(40))]
    table = ScoreTable.from_rows(rows, competition=comp, entries=entries, judges=judges)
    result = compute(comp, Inputs(tuple(entries), tuple(judges), table), FAST)
    assert {e.entry: e.score for e in result.stages[0].entries} == {"A": 65, "B": 45}


def test_rubric_weights_that_do_not_add_up_are_refused():
    from sayembara.scoring import SpecError

    comp = competition([stage()], rubrics=[Rubric("r", (Criterion("c1", D(60)),
                                                        Criterion("c2", D(30))))])
    with pytest.raises(SpecError) as info:
        comp.validate()
    assert info.value.code == "rubric_weights"
