"""Special awards by criterion: the best N of a category on one criterion of one stage, in
the declared order, with exclusions and the tie-break chain.

The property checks the engine against a plain reference: per category, the winners' mean
on the criterion is never below that of an eligible entry left without the award.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara.scoring import (
    Action,
    AwardTier,
    Decision,
    Options,
    SpecError,
    SpecialAward,
    SpecialTie,
    TieBreak,
    compute,
)

from .builders import competition, inputs, rubric, stage

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
CHANGE = SpecialAward("perubahan", "Terbaik Manajemen Perubahan", "s1", "c1", winners=2)
IMPACT = SpecialAward("dampak", "Terbaik Dampak", "s1", "c2", winners=2, exclude=("perubahan",),
                      prize=D(1000000))


def _run(scores: dict[str, list[tuple[int, int]]], awards=(CHANGE, IMPACT), *, tiers=(),
         decisions=(), chain=(TieBreak.HEAVIEST_STAGE, TieBreak.LOT), categories=("x",)):
    comp = competition([stage("s1", categories=categories)], categories=categories,
                       rubrics=[rubric(weights=(50, 50))], special_awards=tuple(awards),
                       tiers=tuple(tiers), tie_breaks=chain)
    entries = {k: categories[i % len(categories)] for i, k in enumerate(scores)}
    data = inputs(comp, entries=entries,
                  sheets={("s1", f"j{i}", e): list(s) for e, ss in scores.items()
                          for i, s in enumerate(ss)},
                  decisions=decisions)
    result = compute(comp, data, FAST)
    return {f.entry: f for f in result.final}


def test_awards_are_given_in_order_and_an_earlier_winner_is_passed_over():
    final = _run({
        "a": [(90, 60)], "b": [(85, 95)], "c": [(70, 90)], "d": [(60, 80)], "e": [(50, 50)],
    })
    # change management (c1): a 90, b 85; impact (c2) without a and b: c 90, d 80
    assert {k: f.special_awards for k, f in final.items()} == {
        "a": ("Terbaik Manajemen Perubahan",), "b": ("Terbaik Manajemen Perubahan",),
        "c": ("Terbaik Dampak",), "d": ("Terbaik Dampak",), "e": ()}
    assert (final["c"].prize, final["c"].certificate) == (D(1000000), True)


def test_the_criterion_is_the_mean_of_the_counted_judges_and_ties_go_through_the_chain():
    one = SpecialAward("perubahan", "Terbaik", "s1", "c1", winners=1)
    # a: (80 + 70) / 2 = 75 on c1; b: 75 too. The chain's recorded decision puts b first.
    chain = (TieBreak.RECORDED_DECISION,)
    order = [Decision("perubahan", "b", Action.TIEBREAK, "Ditetapkan rapat juri", order=1),
             Decision("perubahan", "a", Action.TIEBREAK, "Ditetapkan rapat juri", order=2)]
    final = _run({"a": [(80, 50), (70, 50)], "b": [(75, 40), (75, 40)]}, [one], chain=chain,
                 decisions=order)
    assert (final["a"].special_awards, final["b"].special_awards) == ((), ("Terbaik",))


def test_tier_holders_can_be_excluded_and_categories_chosen():
    tier = AwardTier("juara", "Juara", 1, 1)
    best = SpecialAward("kreatif", "Terkreatif", "s1", "c1", winners=1, exclude=("tiers",),
                        categories=("y",))
    final = _run({"a": [(90, 90)], "b": [(80, 70)], "c": [(85, 90)], "d": [(95, 20)]}, [best],
                 tiers=[tier], categories=("x", "y"))
    # y holds b (total 75) and d (57.5): b ranks first and holds the tier, so d, the best
    # remaining on c1, takes the special award; x is not in the award's categories.
    assert final["b"].tier == "juara" and final["b"].special_awards == ()
    assert final["d"].special_awards == ("Terkreatif",)
    assert final["a"].special_awards == () and final["c"].special_awards == ()


@pytest.mark.parametrize(("award", "fragment"), [
    (SpecialAward("k", "K", "s9", "c1"), "unknown stage s9"),
    (SpecialAward("k", "K", "s1", "c9"), "criterion c9"),
    (SpecialAward("k", "K", "s1", "c1", exclude=("later",)), "not a special award declared"),
    (SpecialAward("k", "K", "s1", "c1", winners=0), "at least one winner"),
])
def test_malformed_special_awards_are_refused(award, fragment):
    with pytest.raises(SpecError, match=fragment):
        _run({"a": [(50, 50)]}, [award])


scores = st.lists(st.tuples(st.integers(0, 20), st.integers(0, 20)), min_size=1, max_size=3)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(scores, min_size=1, max_size=8), winners=st.integers(1, 3))
def test_winners_are_never_below_an_eligible_entry_left_out(entries, winners):
    data = {f"e{i}": [(5 * a, 5 * b) for a, b in ss] for i, ss in enumerate(entries)}
    first = SpecialAward("p", "P", "s1", "c1", winners=winners)
    second = SpecialAward("q", "Q", "s1", "c2", winners=winners, exclude=("p",))
    final = _run(data, [first, second])

    def mean(key: str, c: int) -> Fraction:
        return Fraction(sum(s[c] for s in data[key]), len(data[key]))

    for award, c, pool in (("P", 0, set(data)),
                           ("Q", 1, {k for k in data if "P" not in final[k].special_awards})):
        won = {k for k in pool if award in final[k].special_awards}
        assert len(won) == min(winners, len(pool))
        for k in won:
            for other in pool - won:
                assert mean(k, c) >= mean(other, c)


# --------------------------------------------------------------------------------------------
# A tie across the last place of a special award
# --------------------------------------------------------------------------------------------

DECIDE = (TieBreak.RECORDED_DECISION,)


def _results(scores: dict[str, list[tuple[int, int]]], awards, decisions=()):
    comp = competition([stage("s1")], rubrics=[rubric(weights=(50, 50))],
                       special_awards=tuple(awards), tie_breaks=DECIDE)
    data = inputs(comp, entries=dict.fromkeys(scores, "x"),
                  sheets={("s1", f"j{i}", e): list(s) for e, ss in scores.items()
                          for i, s in enumerate(ss)},
                  decisions=decisions)
    return compute(comp, data, FAST)


def _order(award: str, *keys: str) -> list[Decision]:
    return [Decision(award, key, Action.TIEBREAK, "Rapat dewan juri", order=i)
            for i, key in enumerate(keys, start=1)]


def test_a_tie_across_the_last_place_is_reported_and_the_jurys_order_settles_it():
    # Worked example of docs/scoring.md: two places on change management (c1); a has 90,
    # b and c 80 each, d 70. a takes the first place; b and c are tied for the one left,
    # and nothing in the chain separates them.
    two = SpecialAward("perubahan", "Terbaik Manajemen Perubahan", "s1", "c1", winners=2)
    scores = {"a": [(90, 50)], "b": [(80, 60)], "c": [(80, 70)], "d": [(70, 90)]}
    open_ = _results(scores, [two])
    assert open_.special_open_ties == (SpecialTie("perubahan", "x", 1, ("b", "c")),)
    assert not open_.complete
    # like a tie across a rank tier, it keeps every award back until the jury decides
    assert all(f.special_awards == () for f in open_.final)
    decided = _results(scores, [two], _order("perubahan", "c", "b"))
    assert decided.complete and decided.special_open_ties == ()
    assert {f.entry: f.special_awards for f in decided.final} == {
        "a": ("Terbaik Manajemen Perubahan",), "b": (), "c": ("Terbaik Manajemen Perubahan",),
        "d": ()}


def test_a_tie_inside_the_places_or_below_them_needs_no_decision():
    two = SpecialAward("perubahan", "Terbaik", "s1", "c1", winners=2)
    both_in = _results({"a": [(80, 0)], "b": [(80, 0)], "c": [(60, 0)]}, [two])
    both_out = _results({"a": [(90, 0)], "b": [(85, 0)], "c": [(60, 0)], "d": [(60, 0)]},
                        [two])
    for result, winners in ((both_in, {"a", "b"}), (both_out, {"a", "b"})):
        assert result.complete and result.special_open_ties == ()
        assert {f.entry for f in result.final if f.special_awards} == winners


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(entries=st.lists(scores, min_size=1, max_size=8), winners=st.integers(1, 3))
def test_an_open_tie_is_exactly_a_tie_across_the_last_place(entries, winners):
    """Without decisions, a tie is reported exactly when entries with the same mean on the
    criterion straddle the last place; recording the jury's order for the tied entries
    gives the places left to the first of them."""
    data = {f"e{i}": [(5 * a, 5 * b) for a, b in ss] for i, ss in enumerate(entries)}
    award = SpecialAward("p", "P", "s1", "c1", winners=winners)

    def mean(key: str) -> Fraction:
        return Fraction(sum(s[0] for s in data[key]), len(data[key]))

    means = sorted((mean(k) for k in data), reverse=True)
    take = min(winners, len(means))
    straddles = take < len(means) and means[take - 1] == means[take]
    result = _results(data, [award])
    assert bool(result.special_open_ties) == straddles
    assert result.complete == (not straddles)
    if not straddles:
        won = {f.entry for f in result.final if f.special_awards}
        assert won == {k for k in data if mean(k) >= means[take - 1]}
        return
    (tie,) = result.special_open_ties
    value = means[take - 1]
    assert set(tie.entries) == {k for k in data if mean(k) == value}
    above = {k for k in data if mean(k) > value}
    assert tie.places == take - len(above) and 0 < tie.places < len(tie.entries)
    decided = _results(data, [award], _order("p", *sorted(tie.entries)))
    assert decided.complete and decided.special_open_ties == ()
    won = {f.entry for f in decided.final if f.special_awards}
    assert won == above | set(sorted(tie.entries)[: tie.places])
