"""Rank uncertainty: seeded, reproducible, and telling clear cases from close ones."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
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


def _reference_bootstrap(per_entry, n_entries, units, pools, seats, grade, replicates, seed,
                         stream, confidence, selection):
    """The published rule, written plainly: per batch of 20 replicates, per group of entries
    with the same number of sheets (fewest first), the draws for all entries of the group in
    key order, each entry's sheets in judge-key order; the mean of the drawn sheets; ranks
    within each unit (1 + entries strictly better); inside the cut when at or above the
    grade and fewer than ``seats`` entries of the pool are strictly better."""
    import math

    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, stream])))
    ranks: list[list[int]] = [[] for _ in range(n_entries)]
    hits = [0] * n_entries
    sizes = sorted({len(v) for v in per_entry.values()})
    for first in range(0, replicates, 20):
        size = min(20, replicates - first)
        stage = np.full((size, n_entries), np.nan)
        for n in sizes:
            group = sorted(e for e, v in per_entry.items() if len(v) == n)
            draws = rng.integers(0, n, size=(size, len(group), n))
            for r in range(size):
                for i, e in enumerate(group):
                    stage[r, e] = sum(per_entry[e][d] for d in draws[r, i]) / n
        sel = selection(stage)
        for r in range(size):
            for e in per_entry:
                same = [x for x in per_entry if units[x] == units[e]]
                ranks[e].append(1 + sum(sel[r, x] > sel[r, e] for x in same))
            for p, s in enumerate(seats):
                members = [x for x in per_entry if pools[x] == p]
                valid = [x for x in members if grade is None or sel[r, x] >= grade]
                for e in valid:
                    if sum(sel[r, x] > sel[r, e] for x in valid) < s:
                        hits[e] += 1
    alpha = (1 - confidence) / 2
    lo = max(math.ceil(alpha * replicates) - 1, 0)
    hi = min(math.ceil((1 - alpha) * replicates) - 1, replicates - 1)
    return ([sorted(r)[lo] for r in ranks], [sorted(r)[hi] for r in ranks],
            [h / replicates for h in hits])


@settings(deadline=None, max_examples=40)
@given(st.integers(0, 10_000), st.sampled_from([None, 48.0]), st.booleans())
def test_bootstrap_matches_the_rule_written_plainly_on_any_number_of_threads(
        seed, grade, pool_per_unit):
    from sayembara.scoring.bootstrap import bootstrap
    from sayembara.scoring.spec import Aggregation

    rng = np.random.default_rng(seed)
    n = 18
    counts = rng.integers(2, 5, size=n)  # 2 to 4 sheets: several groups
    # entries are numbered in key order; values with one decimal, so ties happen
    per_entry = {e: [round(float(x), 1) for x in rng.normal(55 + e, 6, size=int(c))]
                 for e, c in enumerate(counts)}
    counted_entry = np.repeat(np.arange(n), counts)
    values = np.concatenate([per_entry[e] for e in range(n)])
    sheet_order = np.concatenate([np.arange(c) for c in counts])
    units = np.arange(n) % 3
    pools = units.copy() if pool_per_unit else (np.arange(n) >= 9).astype(np.int64)
    seats = [2, 3, 2] if pool_per_unit else [3, 4]

    def selection(s):
        return 0.5 * s + 20.0  # what the stage ranks and cuts by, and its passing grade

    expected = _reference_bootstrap(per_entry, n, units, pools, seats, grade, 60, seed, 1,
                                    0.9, selection)
    for workers in (1, 3):
        got = bootstrap(counted_entry=counted_entry, values=values,
                        entry_order=np.arange(n), sheet_order=sheet_order, rule=Aggregation(),
                        n_entries=n, ranked=np.ones(n, bool), selection=selection, units=units,
                        pools=pools, seats=seats, competing=np.ones(n, bool),
                        grade=grade, replicates=60,
                        seed=seed, stream=1, confidence=0.9, workers=workers)
        assert (got.rank_low.tolist(), got.rank_high.tolist(), got.p_top.tolist()) == expected
