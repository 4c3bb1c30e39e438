"""Rank uncertainty: seeded, reproducible, and telling clear cases from close ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sayembara.scoring import Advancement, Options, compute
from sayembara.scoring.aggregate import mean_of_rows
from sayembara.scoring.bootstrap import competition_ranks

from .builders import competition, inputs, rubric, stage


def _data(seed: int = 1):
    rng = np.random.default_rng(seed)
    comp = competition([stage(advancement=Advancement(top_n=5))], rubrics=[rubric(weights=(100,))])
    quality = {f"E{i:02d}": 30 + 3 * i for i in range(20)}
    sheets = {}
    for entry, q in quality.items():
        for judge in range(5):
            value = float(np.clip(q + rng.normal(0, 4), 0, 100))
            sheets[("s1", f"j{judge}", entry)] = [f"{value:.1f}"]
    return comp, inputs(comp, entries={k: "x" for k in quality}, sheets=sheets)


def test_bootstrap_is_reproducible_for_a_seed():
    comp, data = _data()
    a = compute(comp, data, Options(seed=2024, bootstrap=300))
    b = compute(comp, data, Options(seed=2024, bootstrap=300))
    c = compute(comp, data, Options(seed=2025, bootstrap=300))
    assert a == b
    figures = [[(e.rank_interval, e.p_top_n) for e in r.stages[0].entries] for r in (a, c)]
    assert figures[0] != figures[1]


def test_clear_leaders_and_laggards_are_certain_and_close_entries_flagged():
    comp, data = _data()
    result = compute(comp, data, Options(seed=7, bootstrap=500))
    by = {e.entry: e for e in result.stages[0].entries}
    assert by["E19"].p_top_n == 1.0
    assert by["E00"].p_top_n == 0.0
    for item in by.values():
        assert item.rank_interval is not None
        low, high = item.rank_interval
        assert 1 <= low <= high <= 20
        assert item.close_to_cut == (item.p_top_n is not None and 0.2 < item.p_top_n < 0.8)
    assert any(item.close_to_cut for item in by.values())
    # the expected number of entries inside the cut is the number of places
    assert abs(sum(item.p_top_n or 0 for item in by.values()) - 5) < 0.5


def test_rank_interval_is_narrow_for_a_single_fixed_score():
    comp = competition([stage()], rubrics=[rubric(weights=(100,))])
    data = inputs(comp, entries={"A": "x", "B": "x"},
                  sheets={("s1", "j1", "A"): [90], ("s1", "j1", "B"): [50]})
    result = compute(comp, data, Options(bootstrap=100))
    assert [e.rank_interval for e in result.stages[0].entries] == [(1, 1), (2, 2)]
    assert [e.p_top_n for e in result.stages[0].entries] == [None, None]


@given(st.integers(1, 12), st.integers(1, 40), st.integers(1, 3), st.integers(0, 10**6))
def test_the_mean_of_short_rows_is_numpys_mean_to_the_last_bit(n, rows, depth, seed):
    """The bootstrap's figures depend on exact floats: the fast mean must be numpy's."""
    rng = np.random.default_rng(seed)
    values = np.round(rng.random((depth, rows, n)) * 100, int(rng.integers(0, 4))) + 1 / 3
    assert np.array_equal(mean_of_rows(values), values.mean(axis=-1))


@given(st.lists(st.lists(st.integers(0, 6), min_size=4, max_size=4), min_size=1, max_size=6))
def test_competition_ranks_count_the_better_values(rows):
    """Each value's rank is one more than the number of larger values in its row."""
    values = np.array(rows, dtype=np.float64) / 2
    expect = [[1 + sum(other > v for other in row) for v in row] for row in values.tolist()]
    assert competition_ranks(values).tolist() == expect
