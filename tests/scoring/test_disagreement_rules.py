"""Declarative disagreement rules: comparisons of the judges' totals combined with and / or.

The reference below decides each condition from the totals with Python fractions, without
the engine's arrays; hypothesis checks that both agree on random rules and totals.
"""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara.scoring import (
    Comparison,
    Condition,
    Disagreement,
    Measure,
    Options,
    SpecError,
    compute,
)

from .builders import competition, inputs, rubric, stage, with_aggregation

FAST = Options(bootstrap=0, calibrate=False, reliability=False)
BOTH = Condition(all=(Condition(Measure.SPREAD, Comparison.AT_LEAST, D(20)),
                      Condition(Measure.LOWEST, Comparison.BELOW, D(60))))


def _flags(totals: dict[str, list[str]], rule: Disagreement):
    st_ = with_aggregation(stage(), disagreement=rule)
    comp = competition([st_], rubrics=[rubric(weights=(100,))])
    sheets = {("s1", f"j{i}", e): [t] for e, ts in totals.items() for i, t in enumerate(ts)}
    result = compute(comp, inputs(comp, entries=dict.fromkeys(totals, "x"), sheets=sheets),
                     FAST)
    return {e.entry: (e.disagreement, e.needs_extra_judge) for e in result.stages[0].entries}


def test_the_worked_example_of_the_documentation():
    flags = _flags({"a": ["50", "70"], "b": ["60", "80"], "c": ["45", "64.5"], "d": ["10"]},
                   Disagreement(when=BOTH, third_reviewer=True))
    assert flags == {"a": (True, True), "b": (False, False), "c": (False, False),
                     "d": (False, False)}


def test_more_than_is_strict_and_at_least_is_not():
    totals = {"a": ["50", "70"]}
    strict = Condition(Measure.SPREAD, Comparison.MORE_THAN, D(20))
    assert _flags(totals, Disagreement(when=strict))["a"][0] is False
    assert _flags(totals, Disagreement(threshold=D(20)))["a"][0] is False
    loose = Condition(Measure.SPREAD, Comparison.AT_LEAST, D(20))
    assert _flags(totals, Disagreement(when=loose))["a"][0] is True


def test_any_combines_with_or_and_combinations_nest():
    rule = Condition(any=(Condition(Measure.HIGHEST, Comparison.AT_MOST, D(30)), BOTH))
    flags = _flags({"low": ["20", "30"], "mixed": ["50", "70"], "high": ["70", "95"]},
                   Disagreement(when=rule))
    assert {k: v[0] for k, v in flags.items()} == {"low": True, "mixed": True, "high": False}


def test_mean_is_compared_exactly():
    # (70 + 71 + 71) / 3 = 70.666...: not at least 70.67, but more than 70.66
    rule_hi = Condition(Measure.MEAN, Comparison.AT_LEAST, D("70.67"))
    rule_lo = Condition(Measure.MEAN, Comparison.MORE_THAN, D("70.66"))
    totals = {"a": ["70", "71", "71"]}
    assert _flags(totals, Disagreement(when=rule_hi))["a"][0] is False
    assert _flags(totals, Disagreement(when=rule_lo))["a"][0] is True


@pytest.mark.parametrize(("rule", "fragment"), [
    (Disagreement(), "needs a threshold or a condition"),
    (Disagreement(threshold=D(10), when=BOTH), "needs a threshold or a condition"),
    (Disagreement(when=Condition()), "one comparison, or one of all / any"),
    (Disagreement(when=Condition(Measure.SPREAD)), "needs a comparison and a value"),
    (Disagreement(when=Condition(all=(Condition(Measure.MEAN, Comparison.BELOW),))),
     "needs a comparison and a value"),
])
def test_malformed_rules_are_refused(rule, fragment):
    with pytest.raises(SpecError, match=fragment):
        _flags({"a": ["50", "70"]}, rule)


# -- the reference ---------------------------------------------------------------------------

def _reference(condition: Condition, totals: list[Fraction]) -> bool:
    if condition.measure is not None:
        value = {
            Measure.SPREAD: max(totals) - min(totals),
            Measure.LOWEST: min(totals),
            Measure.HIGHEST: max(totals),
            Measure.MEAN: sum(totals) / len(totals),
        }[condition.measure]
        bound = Fraction(condition.value)
        return {
            Comparison.MORE_THAN: value > bound,
            Comparison.AT_LEAST: value >= bound,
            Comparison.BELOW: value < bound,
            Comparison.AT_MOST: value <= bound,
        }[condition.comparison]
    if condition.all:
        return all(_reference(c, totals) for c in condition.all)
    return any(_reference(c, totals) for c in condition.any)


leaves = st.builds(
    Condition,
    measure=st.sampled_from(list(Measure)),
    comparison=st.sampled_from(list(Comparison)),
    value=st.integers(0, 400).map(lambda v: D(v) / 4),
)
conditions = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: Condition(all=tuple(cs))),
        st.lists(inner, min_size=1, max_size=3).map(lambda cs: Condition(any=tuple(cs))),
    ),
    max_leaves=6,
)
totals = st.lists(st.integers(0, 200).map(lambda v: D(v) / 2), min_size=1, max_size=4)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(condition=conditions, entries=st.lists(totals, min_size=1, max_size=6))
def test_the_engine_agrees_with_the_reference_on_random_rules(condition, entries):
    data = {f"e{i}": [str(t) for t in ts] for i, ts in enumerate(entries)}
    flags = _flags(data, Disagreement(when=condition))
    for key, ts in data.items():
        fr = [Fraction(t) for t in ts]
        expected = len(fr) >= 2 and _reference(condition, fr)
        assert flags[key][0] is expected
