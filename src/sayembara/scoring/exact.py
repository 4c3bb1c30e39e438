"""Exact rational arithmetic on numpy arrays.

How the engine stays exact and fast
-----------------------------------

Every score that decides a rank (a judge's sheet total, a stage score, a running total) is a
rational number. The engine holds a whole column of such numbers as one :class:`Exact`: an
integer numerator per entry and **one** positive integer denominator shared by the column.
Two values of a column compare exactly by comparing their numerators, which numpy does on
``int64`` at full speed.

Inputs have a bounded number of decimal places, weights are decimals, and the only divisions
the rules need are by judge counts, by scale ranges and by weight sums, so the shared
denominator is a least common multiple of a handful of small integers. Whenever a product
could leave the safe ``int64`` range (``|x| < 2**62``) the numerators switch to Python
integers (numpy ``object`` arrays): slower, never wrong. Nothing is ever rounded on the way;
rounding happens only when a value is written for display (:func:`to_decimal`).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

#: Largest magnitude kept in ``int64`` numerators; above it numerators become Python ints.
SAFE = 2**62

IntArray = npt.NDArray[Any]  # int64, or object (Python ints) when the values are large


def fraction(value: Decimal | int | Fraction) -> Fraction:
    """The exact rational value of a Decimal, int or Fraction."""
    return value if isinstance(value, Fraction) else Fraction(value)


def lcm(values: Iterable[int]) -> int:
    """Least common multiple of positive integers (1 for none)."""
    out = 1
    for value in values:
        out = math.lcm(out, int(value))
    return out


def magnitude(num: IntArray) -> int:
    """Largest absolute numerator as a Python int (0 for an empty array)."""
    if num.size == 0:
        return 0
    if num.dtype == object:
        return max(abs(int(x)) for x in num.ravel())
    return max(abs(int(num.max())), abs(int(num.min())))


def mul(num: IntArray, factor: int) -> IntArray:
    """``num * factor`` without overflow (switches to Python ints when needed)."""
    factor = int(factor)
    if num.dtype != object and magnitude(num) * abs(factor) >= SAFE:
        num = num.astype(object)
    if num.dtype == object:
        return np.array([int(x) * factor for x in num.ravel()], dtype=object).reshape(num.shape)
    return num * np.int64(factor)


def ints(values: Sequence[int] | IntArray) -> IntArray:
    """An int64 array when every value is safe, otherwise an object array of Python ints."""
    arr = np.asarray(values)
    if arr.dtype == object or arr.dtype.kind not in "iub":
        py = [int(x) for x in arr.ravel()]
        if all(-SAFE < x < SAFE for x in py):
            return np.array(py, dtype=np.int64).reshape(arr.shape)
        return np.array(py, dtype=object).reshape(arr.shape)
    return arr.astype(np.int64)


def to_int64_if_safe(num: IntArray) -> IntArray:
    """Return ``num`` as int64 when it fits, unchanged otherwise."""
    if num.dtype == object and magnitude(num) < SAFE:
        return num.astype(np.int64)
    return num


@dataclass(frozen=True)
class Exact:
    """A column of exact rationals ``num[i] / den`` sharing one denominator ``den > 0``."""

    num: IntArray
    den: int

    def __post_init__(self) -> None:
        if self.den <= 0:
            raise ValueError("The denominator must be positive.")

    @classmethod
    def zeros(cls, n: int) -> Exact:
        return cls(np.zeros(n, dtype=np.int64), 1)

    @classmethod
    def from_fractions(cls, values: Sequence[Fraction]) -> Exact:
        den = lcm(v.denominator for v in values)
        return cls(ints([v.numerator * (den // v.denominator) for v in values]), den)

    def __len__(self) -> int:
        return int(self.num.shape[0])

    def rescaled(self, den: int) -> Exact:
        """The same values over ``den`` (which must be a multiple of ``self.den``)."""
        if den == self.den:
            return self
        if den % self.den:
            raise ValueError("The new denominator must be a multiple of the old one.")
        return Exact(mul(self.num, den // self.den), den)

    def take(self, index: npt.NDArray[Any]) -> Exact:
        return Exact(self.num[index], self.den)

    def fraction(self, i: int) -> Fraction:
        return Fraction(int(self.num[i]), self.den)

    def floats(self) -> npt.NDArray[np.float64]:
        if self.num.dtype == object:
            return np.array([int(x) / self.den for x in self.num], dtype=np.float64)
        return self.num.astype(np.float64) / self.den

    def scaled(self, factor: Fraction) -> Exact:
        """Every value multiplied by an exact rational factor."""
        factor = Fraction(factor)
        return Exact(mul(self.num, factor.numerator), self.den * factor.denominator).reduced()

    def reduced(self) -> Exact:
        """The same values over the smallest shared denominator."""
        if self.num.size == 0:
            return Exact(self.num, 1)
        if self.num.dtype == object:
            g = 0
            for x in self.num:
                g = math.gcd(g, int(x))
                if g == 1:
                    break
        else:
            g = int(np.gcd.reduce(self.num))
        g = math.gcd(g, self.den)
        if g <= 1:
            return self
        if self.num.dtype == object:
            num = np.array([int(x) // g for x in self.num], dtype=object)
            return Exact(to_int64_if_safe(num), self.den // g)
        return Exact(self.num // np.int64(g), self.den // g)


def common(*columns: Exact) -> tuple[list[IntArray], int]:
    """Numerators of several columns over their least common denominator."""
    den = lcm(c.den for c in columns)
    return [c.rescaled(den).num for c in columns], den


def add(a: Exact, b: Exact) -> Exact:
    (x, y), den = common(a, b)
    if x.dtype != object and y.dtype != object and magnitude(x) + magnitude(y) >= SAFE:
        x = x.astype(object)
    return Exact(x + y, den)


def subtract(a: Exact, b: Exact) -> Exact:
    return add(a, Exact(-b.num, b.den))


def minimum(a: Exact, b: Exact) -> Exact:
    (x, y), den = common(a, b)
    if x.dtype == object or y.dtype == object:
        return Exact(
            np.array([min(int(p), int(q)) for p, q in zip(x, y, strict=True)], dtype=object), den
        )
    return Exact(np.minimum(x, y), den)


def where(mask: npt.NDArray[np.bool_], a: Exact, b: Exact) -> Exact:
    (x, y), den = common(a, b)
    if x.dtype == object or y.dtype == object:
        x, y = x.astype(object), y.astype(object)
    return Exact(np.where(mask, x, y), den)


def decimal_text(value: Fraction, places: int) -> str:
    """``value`` rounded half to even to ``places`` decimals, as text (integer arithmetic)."""
    num, den = value.numerator, value.denominator
    q, r = divmod(abs(num) * 10**places, den)
    if 2 * r > den or (2 * r == den and q % 2 == 1):
        q += 1
    sign = "-" if num < 0 and q else ""
    if places == 0:
        return sign + str(q)
    digits = str(q).rjust(places + 1, "0")
    return f"{sign}{digits[:-places]}.{digits[-places:]}"


def to_decimal(value: Fraction, places: int) -> Decimal:
    """``value`` rounded half-to-even to ``places`` decimals (for display only)."""
    return Decimal(decimal_text(value, places))


def terminating_places(value: Fraction) -> int | None:
    """Number of decimals of ``value`` when it has a finite decimal expansion, else None."""
    return _places_of_denominator(value.denominator)


@functools.lru_cache(maxsize=4096)
def _places_of_denominator(d: int) -> int | None:
    twos = fives = 0
    while d % 2 == 0:
        d //= 2
        twos += 1
    while d % 5 == 0:
        d //= 5
        fives += 1
    if d != 1:
        return None
    return max(twos, fives)


def exact_text(value: Fraction) -> str:
    """The exact value as text: a finite decimal when there is one, else ``p/q``."""
    places = terminating_places(value)
    if places is None:
        return f"{value.numerator}/{value.denominator}"
    return decimal_text(value, places)


def product(a: Exact, b: Exact) -> Exact:
    """Elementwise exact product."""
    x, y = a.num, b.num
    if x.dtype != object and y.dtype != object and magnitude(x) * magnitude(y) < SAFE:
        return Exact(x * y, a.den * b.den).reduced()
    return Exact(x.astype(object) * y.astype(object), a.den * b.den).reduced()


def ratio(a: Exact, b: Exact, mask: npt.NDArray[np.bool_]) -> Exact:
    """Elementwise exact ``a / b`` where ``mask`` (b must be positive there), 0 elsewhere."""
    divisors = sorted({int(v) for v in b.num[mask]}) or [1]
    if divisors[0] <= 0:
        raise ValueError("Division by a value that is not positive.")
    big = lcm(divisors)
    out = [
        int(x) * b.den * (big // int(y)) if m else 0
        for x, y, m in zip(a.num, b.num, mask, strict=True)
    ]
    return Exact(ints(out), a.den * big).reduced()


def compare(column: Exact, comparison: str, bound: Fraction) -> npt.NDArray[np.bool_]:
    """Exact ``column <op> bound`` for every entry; ``comparison`` is one of ``more_than``,
    ``at_least``, ``below`` and ``at_most``."""
    # num / den <op> p / q  <=>  num * q <op> p * den  (den and q are positive)
    p, q = bound.numerator, bound.denominator
    rhs = p * column.den
    lhs = mul(column.num, q)
    if lhs.dtype == object or abs(rhs) >= SAFE:
        lhs = np.array([int(x) for x in lhs], dtype=object)
    out = {
        "more_than": lambda: lhs > rhs,
        "at_least": lambda: lhs >= rhs,
        "below": lambda: lhs < rhs,
        "at_most": lambda: lhs <= rhs,
    }[comparison]()
    return np.asarray(out, dtype=np.bool_)
