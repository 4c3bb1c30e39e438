"""Exact values written as text column by column read exactly as one value at a time."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from sayembara.scoring.advance import show
from sayembara.scoring.columns import (
    Values,
    exact_texts,
    fraction_texts,
    rounded_texts,
    shown_and_exact_texts,
    shown_texts,
)
from sayembara.scoring.exact import Exact, decimal_text, exact_text

#: Denominators of every kind the engine meets: decimals, judge counts, weight sums.
DENOMINATORS = st.sampled_from([1, 2, 3, 4, 7, 8, 100, 300, 1000, 3000, 10**6, 10**7,
                                2**5 * 5**8, 3 * 10**6, 2**40, 10**18])


@given(st.lists(st.integers(-(10**14), 10**14), min_size=1, max_size=40), DENOMINATORS,
       st.lists(st.booleans(), min_size=40, max_size=40))
def test_column_texts_match_the_one_value_functions(nums, den, present):
    mask = np.array(present[:len(nums)])
    column = Values(Exact(np.array(nums, dtype=np.int64), den), mask)
    values = [Fraction(n, den) for n in nums]
    expect_show = [show(v) if p else None for v, p in zip(values, mask, strict=True)]
    expect_exact = [exact_text(v) if p else None for v, p in zip(values, mask, strict=True)]
    expect_round = [decimal_text(v, 6) if p else None for v, p in zip(values, mask, strict=True)]
    assert shown_texts(column) == expect_show
    assert exact_texts(column) == expect_exact
    assert rounded_texts(column, 6) == expect_round
    assert fraction_texts(column) == [str(v) if p else None
                                      for v, p in zip(values, mask, strict=True)]
    assert shown_and_exact_texts(column) == (expect_show, expect_exact)


def test_huge_numerators_are_written_exactly_too():
    nums = np.array([10**30 + 1, -(10**30) - 7], dtype=object)
    column = Values(Exact(nums, 3), np.array([True, True]))
    assert exact_texts(column) == [f"{10**30 + 1}/3", f"{-(10**30) - 7}/3"]
    assert shown_texts(column) == [show(Fraction(10**30 + 1, 3)), show(Fraction(-(10**30) - 7, 3))]
    assert fraction_texts(column) == [f"{10**30 + 1}/3", f"{-(10**30) - 7}/3"]


def test_long_finite_decimals_are_written_exactly():
    """A value over a large power of two has a finite decimal expansion longer than int64
    arithmetic holds; it is still written in full."""
    column = Values(Exact(np.array([1, -3, 6], dtype=np.int64), 2**40), np.array([True] * 3))
    values = [Fraction(1, 2**40), Fraction(-3, 2**40), Fraction(6, 2**40)]
    assert exact_texts(column) == [exact_text(v) for v in values]
    assert shown_texts(column) == [show(v) for v in values]
    assert rounded_texts(column, 6) == [decimal_text(v, 6) for v in values]
