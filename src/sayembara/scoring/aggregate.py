"""A stage score across judges.

The rule
--------

Only *counted* sheets enter the stage score: sheets of honorary judges (juri kehormatan)
count only when the stage says so. With ``n`` counted sheet totals for an entry:

* ``mean``: their sum divided by ``n``;
* ``median``: the middle total, or the mean of the two middle totals when ``n`` is even;
* ``trimmed_mean``: when ``n >= trim_from``, the ``trim`` highest and ``trim`` lowest totals
  are dropped ("buang nilai tertinggi dan terendah") and the rest averaged; with fewer judges
  it is the plain mean.

An entry with fewer than ``min_judges`` counted sheets has no stage score (it is reported as
not scored, never ranked or advanced). Where the whole panel scores every entry, a member who
recuses from an entry for a conflict of interest lowers that entry's minimum by one (never
below one): the panel is one member smaller for it, and it may miss as many sheets as any
other entry.

Dispersion is reported for every entry: the range (highest minus lowest counted total,
exact) and the sample standard deviation. The entry is flagged as a *disagreement* when the
range exceeds the stage's threshold, or when the stage's declared condition holds: a
comparison (``more_than``, ``at_least``, ``below``, ``at_most`` a value) of the spread, the
lowest, the highest or the mean counted total, or ``all`` (and) / ``any`` (or) of such
conditions, compared exactly. Only an entry with at least two counted sheets can disagree.
With a third-reviewer rule an entry that has no more than ``reviewers`` counted sheets and
disagrees is marked as *needing another judge*: its score is computed from the sheets there
are and is provisional until that judge scores.

Everything here is exact: each entry's value is an integer over a denominator shared by the
stage (the sheet denominator times the least common multiple of the divisors used).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .exact import Exact, IntArray, compare, lcm
from .sheets import Sheets
from .spec import Aggregation, Condition, Measure, Method

_LIMIT = 2**62


@dataclass(frozen=True)
class Aggregate:
    """Per-entry results of one stage (arrays over all entries of the competition)."""

    n_counted: npt.NDArray[np.int64]
    n_sheets: npt.NDArray[np.int64]
    #: panel members who recused from each entry
    recused: npt.NDArray[np.int64]
    #: counted sheets each entry needs to be scored (``min_judges`` less its recusals)
    required: npt.NDArray[np.int64]
    score: Exact
    scored: npt.NDArray[np.bool_]
    mean: Exact
    spread: Exact
    sd: npt.NDArray[np.float64]
    disagreement: npt.NDArray[np.bool_]
    needs_extra: npt.NDArray[np.bool_]
    trimmed: npt.NDArray[np.bool_]


def _bound(a: IntArray) -> int:
    if a.size == 0:
        return 0
    if a.dtype == object:
        return max(abs(int(x)) for x in a)
    return max(abs(int(a.max())), abs(int(a.min())))


def group_sum(groups: npt.NDArray[np.int64], values: IntArray, n: int) -> IntArray:
    """Exact sums of ``values`` per group (int64 when safe, Python ints otherwise)."""
    if values.dtype != object and _bound(values) * max(int(values.shape[0]), 1) < _LIMIT:
        out = np.zeros(n, dtype=np.int64)
        np.add.at(out, groups, values)
        return out
    res = [0] * n
    for g, v in zip(groups.tolist(), values.tolist(), strict=True):
        res[g] += int(v)
    return np.array(res, dtype=object)


def _group_extreme(
    groups: npt.NDArray[np.int64], values: IntArray, n: int, *, high: bool
) -> IntArray:
    if values.dtype != object:
        info = np.iinfo(np.int64)
        out = np.full(n, info.min if high else info.max, dtype=np.int64)
        (np.maximum if high else np.minimum).at(out, groups, values)
        return out
    res: list[int | None] = [None] * n
    for g, v in zip(groups.tolist(), values.tolist(), strict=True):
        cur = res[g]
        if cur is None or (v > cur if high else v < cur):
            res[g] = int(v)
    return np.array([0 if x is None else x for x in res], dtype=object)


def _divide(
    numer: IntArray, divisor: npt.NDArray[np.int64], den: int, valid: npt.NDArray[np.bool_]
) -> Exact:
    """Exact ``numer / divisor / den`` per entry, over one shared denominator."""
    divs = [int(d) for d in np.unique(divisor[valid])] or [1]
    big = lcm(divs)
    safe_div = np.where(valid & (divisor > 0), divisor, 1)
    factor = (big // safe_div).astype(np.int64)
    if numer.dtype != object and _bound(numer) * big < _LIMIT:
        num = np.where(valid, numer * factor, 0)
    else:
        num = np.array(
            [int(a) * int(f) if ok else 0 for a, f, ok in zip(numer, factor, valid, strict=True)],
            dtype=object,
        )
    return Exact(num, den * big).reduced()


def aggregate(
    sheets: Sheets,
    rule: Aggregation,
    n_entries: int,
    recused: npt.NDArray[np.int64] | None = None,
) -> Aggregate:
    """Combine the counted sheets of one stage into per-entry stage scores; ``recused``
    counts, per entry, the panel members who recused from it."""
    cs = np.flatnonzero(sheets.counted)
    ce = sheets.entry[cs]
    tn = sheets.total.num[cs]
    dt = sheets.total.den
    n_counted = np.bincount(ce, minlength=n_entries).astype(np.int64)
    n_sheets = np.bincount(sheets.entry, minlength=n_entries).astype(np.int64)
    if recused is None:
        recused = np.zeros(n_entries, dtype=np.int64)
    required = np.maximum(rule.min_judges - recused, 1).astype(np.int64)
    scored = n_counted >= required
    has = n_counted > 0
    total_sum = group_sum(ce, tn, n_entries)
    top = _group_extreme(ce, tn, n_entries, high=True)
    bottom = _group_extreme(ce, tn, n_entries, high=False)
    if top.dtype != object:
        top = np.where(has, top, 0)
        bottom = np.where(has, bottom, 0)
    safe_n = np.maximum(n_counted, 1)

    mean = _divide(total_sum, n_counted, dt, has)
    trimmed = np.zeros(n_entries, dtype=np.bool_)
    if rule.method is Method.MEAN:
        score = _divide(total_sum, n_counted, dt, scored)
    elif rule.method is Method.TRIMMED_MEAN and rule.trim == 1:
        trimmed = scored & (n_counted >= rule.trim_from)
        numer = _subtract_where(total_sum, top, bottom, trimmed)
        score = _divide(numer, np.where(trimmed, n_counted - 2, n_counted), dt, scored)
    else:
        order = _sorted_counted(ce, tn)
        ce_s, tn_s = ce[order], tn[order]
        start = np.concatenate(([0], np.cumsum(n_counted)[:-1])).astype(np.int64)
        pos = np.arange(ce_s.shape[0], dtype=np.int64) - start[ce_s]
        n_of = n_counted[ce_s]
        if rule.method is Method.MEDIAN:
            mid_lo = (n_of - 1) // 2
            mid_hi = n_of // 2
            keep = (pos == mid_lo) | (pos == mid_hi)
            weight = np.where(mid_lo == mid_hi, 2, 1).astype(np.int64)
            vals = tn_s[keep]
            w = weight[keep]
            vals = vals * w if vals.dtype != object else vals * w.astype(object)
            numer = group_sum(ce_s[keep], vals, n_entries)
            score = _divide(numer, np.full(n_entries, 2, dtype=np.int64), dt, scored)
        else:
            k = rule.trim
            trimmed = scored & (n_counted >= rule.trim_from)
            do_trim = trimmed[ce_s]
            keep = ~do_trim | ((pos >= k) & (pos < n_of - k))
            numer = group_sum(ce_s[keep], tn_s[keep], n_entries)
            score = _divide(numer, np.where(trimmed, n_counted - 2 * k, n_counted), dt, scored)

    spread_num = _subtract_where(top, bottom, np.zeros(n_entries, dtype=np.int64), has)
    if spread_num.dtype != object:
        spread_num = np.where(has, spread_num, 0)
    else:
        spread_num = np.array(
            [int(x) if h else 0 for x, h in zip(spread_num, has, strict=True)], dtype=object
        )
    spread = Exact(spread_num, dt)

    # Sample standard deviation (display only).
    xf = sheets.total.floats()[cs]
    sums_f = np.bincount(ce, weights=xf, minlength=n_entries)
    means_f = sums_f / safe_n
    dev = xf - means_f[ce]
    ss = np.bincount(ce, weights=dev * dev, minlength=n_entries)
    with np.errstate(invalid="ignore", divide="ignore"):
        sd = np.where(n_counted >= 2, np.sqrt(ss / np.maximum(n_counted - 1, 1)), np.nan)

    disagreement = np.zeros(n_entries, dtype=np.bool_)
    needs_extra = np.zeros(n_entries, dtype=np.bool_)
    rule_d = rule.disagreement
    if rule_d is not None:
        measures = {
            Measure.SPREAD: spread,
            Measure.LOWEST: Exact(bottom, dt),
            Measure.HIGHEST: Exact(top, dt),
            Measure.MEAN: mean,
        }
        disagreement = holds(rule_d.condition, measures, n_entries)
        disagreement &= n_counted >= 2
        if rule_d.third_reviewer:
            needs_extra = disagreement & (n_counted <= rule_d.reviewers)
    return Aggregate(
        n_counted=n_counted,
        recused=recused,
        required=required,
        n_sheets=n_sheets,
        score=score,
        scored=scored,
        mean=mean,
        spread=spread,
        sd=sd,
        disagreement=disagreement,
        needs_extra=needs_extra,
        trimmed=trimmed,
    )


def holds(condition: Condition, measures: dict[Measure, Exact], n: int) -> npt.NDArray[np.bool_]:
    """Where a declarative condition holds, entry by entry (exact comparisons)."""
    if condition.measure is not None:
        assert condition.comparison is not None and condition.value is not None
        return compare(
            measures[condition.measure], condition.comparison.value, Fraction(condition.value)
        )
    if condition.all:
        out = np.ones(n, dtype=np.bool_)
        for inner in condition.all:
            out &= holds(inner, measures, n)
        return out
    out = np.zeros(n, dtype=np.bool_)
    for inner in condition.any:
        out |= holds(inner, measures, n)
    return out


def _subtract_where(a: IntArray, b: IntArray, c: IntArray, mask: npt.NDArray[np.bool_]) -> IntArray:
    """``a - b - c`` where ``mask``, else ``a`` (exact)."""
    if all(x.dtype != object for x in (a, b, c)) and _bound(a) + _bound(b) + _bound(c) < _LIMIT:
        return np.where(mask, a - b - c, a)
    return np.array(
        [
            int(x) - int(y) - int(z) if m else int(x)
            for x, y, z, m in zip(a, b, c, mask, strict=True)
        ],
        dtype=object,
    )


def _sorted_counted(ce: npt.NDArray[np.int64], tn: IntArray) -> npt.NDArray[np.int64]:
    """Order of the counted sheets by entry, then total (ascending)."""
    if tn.dtype != object:
        return np.lexsort((tn, ce)).astype(np.int64)
    keys = sorted(range(ce.shape[0]), key=lambda i: (int(ce[i]), int(tn[i])))
    return np.array(keys, dtype=np.int64)


# -- floating-point aggregation of sheet matrices (bootstrap, calibrated scores) -------------


@dataclass(frozen=True)
class Block:
    """Entries that have exactly ``n`` counted sheets: ``entries`` and the ``(m, n)`` matrix
    of their counted sheet positions (into the counted-sheet arrays)."""

    n: int
    entries: npt.NDArray[np.int64]
    index: npt.NDArray[np.int64]


def blocks(counted_entry: npt.NDArray[np.int64], n_entries: int) -> list[Block]:
    """Group the entries by number of counted sheets; ``counted_entry`` must be sorted."""
    n_of = np.bincount(counted_entry, minlength=n_entries).astype(np.int64)
    start = np.concatenate(([0], np.cumsum(n_of)[:-1])).astype(np.int64)
    out = []
    for n in sorted({int(x) for x in n_of if x > 0}):
        ents = np.flatnonzero(n_of == n).astype(np.int64)
        out.append(Block(n, ents, start[ents][:, None] + np.arange(n, dtype=np.int64)[None, :]))
    return out


def mean_of_rows(values: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    """The mean over the last axis, the same floats as ``values.mean(axis=-1)``: with fewer
    than eight values numpy adds them one after another, and so does this, column by column,
    which is several times faster on millions of short rows (the bootstrap's)."""
    n = values.shape[-1]
    if n == 0 or n >= 8:
        return values.mean(axis=-1)  # type: ignore[no-any-return]
    total = values[..., 0].copy()
    for j in range(1, n):
        total += values[..., j]
    total /= n
    return total


def aggregate_matrix(values: npt.NDArray[np.float64], rule: Aggregation) -> npt.NDArray[np.float64]:
    """Apply the stage's method to each row of ``values`` (shape ``(..., n)``) in floats."""
    n = values.shape[-1]
    if rule.method is Method.MEAN or (rule.method is Method.TRIMMED_MEAN and n < rule.trim_from):
        return mean_of_rows(values)
    if rule.method is Method.TRIMMED_MEAN and rule.trim == 1:
        s = values.sum(axis=-1) - values.max(axis=-1) - values.min(axis=-1)
        return s / (n - 2)  # type: ignore[no-any-return]
    srt = np.sort(values, axis=-1)
    if rule.method is Method.MEDIAN:
        return 0.5 * (srt[..., (n - 1) // 2] + srt[..., n // 2])
    k = rule.trim
    return srt[..., k : n - k].mean(axis=-1)  # type: ignore[no-any-return]


def aggregate_floats(
    counted_entry: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    rule: Aggregation,
    n_entries: int,
) -> npt.NDArray[np.float64]:
    """The stage's method applied to per-sheet float values (NaN where no sheet)."""
    out = np.full(n_entries, np.nan)
    for block in blocks(counted_entry, n_entries):
        out[block.entries] = aggregate_matrix(values[block.index], rule)
    return out


def median_of(values: list[Fraction]) -> Fraction:
    s = sorted(values)
    n = len(s)
    return (s[(n - 1) // 2] + s[n // 2]) / 2
