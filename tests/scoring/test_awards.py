"""Awards: rank tiers with prizes, grade and predicate bands, the favourite prize."""

from __future__ import annotations

from decimal import Decimal as D

from sayembara.scoring import AwardTier, Band, Favourite, Options, Scope, compute

from .builders import competition, inputs, rubric, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
ONE = rubric(weights=(100,))


def _final(scores: dict[str, int], votes: dict[str, int] | None = None, **rules: object):
    comp = competition([stage()], rubrics=[ONE], **rules)  # type: ignore[arg-type]
    data = inputs(comp, entries={k: "x" for k in scores}, votes=votes,
                  sheets={("s1", "j1", k): [v] for k, v in scores.items()})
    result = compute(comp, data, FAST)
    return {f.entry: f for f in result.final}


def test_tiers_by_rank_range_with_prizes():
    tiers = (AwardTier("j1", "Juara 1", 1, 1, prize=D(5_000_000)),
             AwardTier("j2", "Juara 2", 2, 2, prize=D(3_000_000)),
             AwardTier("j3", "Juara 3", 3, 3, prize=D(2_000_000)),
             AwardTier("h", "Harapan", 4, 5, trophy=False, certificate=True))
    final = _final({"A": 90, "B": 85, "C": 80, "D": 75, "E": 70, "F": 65}, tiers=tiers)
    assert [(k, final[k].award, final[k].prize) for k in "ABCDEF"] == [
        ("A", "Juara 1", D(5_000_000)), ("B", "Juara 2", D(3_000_000)),
        ("C", "Juara 3", D(2_000_000)), ("D", "Harapan", D(0)), ("E", "Harapan", D(0)),
        ("F", None, D(0))]
    assert final["D"].certificate is True
    assert final["F"].certificate is False


def test_grade_bands_give_a_prize_per_grade_instead_of_ranks():
    grades = (Band("A", minimum=D(85), prize=D(10_000_000), certificate=True),
              Band("B", minimum=D(70), prize=D(5_000_000), certificate=True),
              Band("C", minimum=D(55)))
    final = _final({"P": 85, "Q": 84, "R": 70, "S": 54}, grades=grades)
    assert [(k, final[k].grade, final[k].prize) for k in "PQRS"] == [
        ("P", "A", D(10_000_000)), ("Q", "B", D(5_000_000)), ("R", "B", D(5_000_000)),
        ("S", None, D(0))]


def test_predicate_bands_respect_exclusive_bounds():
    predicates = (Band("Sangat Inovatif", minimum=D(60), minimum_exclusive=True),
                  Band("Inovatif", minimum=D(35), maximum=D(60)),
                  Band("Kurang Inovatif", maximum=D(35), maximum_exclusive=True))
    final = _final({"A": 61, "B": 60, "C": 35, "D": 34}, predicates=predicates)
    assert [final[k].predicate for k in "ABCD"] == [
        "Sangat Inovatif", "Inovatif", "Inovatif", "Kurang Inovatif"]


def test_favourite_prize_skips_jury_winners_when_the_rules_say_so():
    tiers = (AwardTier("t1", "Terbaik 1", 1, 1),)
    votes = {"A": 500, "B": 300, "C": 100}
    excluded = _final({"A": 90, "B": 80, "C": 70}, votes=votes, tiers=tiers,
                      favourite=Favourite("Terfavorit", exclude_jury_winners=True,
                                          prize=D(1_000_000)))
    allowed = _final({"A": 90, "B": 80, "C": 70}, votes=votes, tiers=tiers,
                     favourite=Favourite("Terfavorit"))
    assert [k for k in "ABC" if excluded[k].favourite] == ["B"]
    assert excluded["B"].prize == D(1_000_000)
    assert [k for k in "ABC" if allowed[k].favourite] == ["A"]


def test_favourite_per_category_with_tied_votes_admitted_together():
    comp = competition([stage(categories=("x", "y"))], rubrics=[ONE], categories=("x", "y"),
                       favourite=Favourite("Terfavorit", winners=1, scope=Scope.CATEGORY))
    data = inputs(comp, entries={"A": "x", "B": "x", "C": "y", "D": "y"},
                  votes={"A": 40, "B": 40, "C": 10, "D": 90},
                  sheets={("s1", "j1", k): [70] for k in "ABCD"})
    final = {f.entry: f for f in compute(comp, data, FAST).final}
    assert [k for k in "ABCD" if final[k].favourite] == ["A", "B", "D"]
