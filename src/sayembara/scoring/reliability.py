"""How far the judges agree: reliability per stage and category, and per judge.

Figures (all computed on the counted sheet totals of entries with at least two of them)
--------------------------------------------------------------------------------------

Design
    ``fixed`` when every entry was scored by the same set of judges, else ``varying``.
ICC, fixed panel
    Two-way random effects, absolute agreement (Shrout & Fleiss ICC(2,1), and ICC(2,k) for
    the mean of the ``k`` judges, which is what the stage score rests on). Absolute
    agreement, because cuts and passing grades use the scores' level, not only their order.
ICC, varying panels
    One-way random effects (ICC(1,1) and ICC(1,k)): with different judges per entry, judge
    and error variance cannot be separated. With unequal numbers of judges ``k`` is the
    usual ``k0 = (N - sum n_i^2 / N) / (entries - 1)``.
Krippendorff's alpha (interval)
    ``1 - D_o / D_e`` over all pairable values; defined for incomplete designs.
Per judge
    ``severity``: mean of (the judge's total - the mean of the other counted judges' totals
    for the same entry); negative means stricter than colleagues. ``agreement``: Pearson
    correlation between the judge's totals and that leave-one-out consensus (needs at least
    three entries with varying values). Calibration offsets, when fitted, are reported beside.

A figure that cannot be computed (too few entries or judges, no variance) is None.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class JudgeStats:
    judge: int
    sheets: int
    severity: float | None
    agreement: float | None


@dataclass(frozen=True)
class Reliability:
    entries: int
    judges: int
    sheets: int
    design: str
    icc_single_form: str
    icc_single: float | None
    icc_average_form: str
    icc_average: float | None
    k: float | None
    alpha: float | None
    per_judge: tuple[JudgeStats, ...]


def _finite(x: float) -> float | None:
    return float(x) if np.isfinite(x) else None


def krippendorff_interval(entry: Ints, value: Floats) -> float | None:
    """Krippendorff's alpha for interval data; units are entries, values their totals."""
    _, e_ix = np.unique(entry, return_inverse=True)
    m = np.bincount(e_ix).astype(np.float64)
    keep = m[e_ix] >= 2
    if keep.sum() < 2:
        return None
    e_ix, value = e_ix[keep], value[keep]
    m = np.bincount(e_ix).astype(np.float64)
    s1 = np.bincount(e_ix, weights=value)
    s2 = np.bincount(e_ix, weights=value * value)
    used = m >= 2
    n = float(m[used].sum())
    d_o = float(np.sum(2.0 * (m[used] * s2[used] - s1[used] ** 2) / (m[used] - 1.0))) / n
    total1, total2 = float(value.sum()), float((value * value).sum())
    d_e = 2.0 * (n * total2 - total1**2) / (n * (n - 1.0))
    if d_e <= 0:
        return None
    return 1.0 - d_o / d_e


def _icc_two_way(mat: Floats) -> tuple[float | None, float | None]:
    n, k = mat.shape
    if n < 2 or k < 2:
        return None, None
    gm = mat.mean()
    ssr = k * float(((mat.mean(axis=1) - gm) ** 2).sum())
    ssc = n * float(((mat.mean(axis=0) - gm) ** 2).sum())
    sst = float(((mat - gm) ** 2).sum())
    sse = sst - ssr - ssc
    msr = ssr / (n - 1)
    msc = ssc / (k - 1)
    mse = sse / ((n - 1) * (k - 1))
    single_den = msr + (k - 1) * mse + k * (msc - mse) / n
    avg_den = msr + (msc - mse) / n
    single = (msr - mse) / single_den if single_den != 0 else float("nan")
    avg = (msr - mse) / avg_den if avg_den != 0 else float("nan")
    return _finite(single), _finite(avg)


def _icc_one_way(e_ix: Ints, value: Floats) -> tuple[float | None, float | None, float | None]:
    n_i = np.bincount(e_ix).astype(np.float64)
    groups = n_i.shape[0]
    total = float(n_i.sum())
    if groups < 2 or total - groups < 1:
        return None, None, None
    means = np.bincount(e_ix, weights=value) / n_i
    gm = float(value.mean())
    ssb = float((n_i * (means - gm) ** 2).sum())
    ssw = float(((value - means[e_ix]) ** 2).sum())
    msb = ssb / (groups - 1)
    msw = ssw / (total - groups)
    k0 = (total - float((n_i**2).sum()) / total) / (groups - 1)
    single_den = msb + (k0 - 1) * msw
    single = (msb - msw) / single_den if single_den != 0 else float("nan")
    avg = (msb - msw) / msb if msb != 0 else float("nan")
    return _finite(single), _finite(avg), k0


def reliability(entry: Ints, judge: Ints, value: Floats) -> Reliability:
    """Reliability figures for one unit's counted sheets (one row per sheet)."""
    _, e_ix = np.unique(entry, return_inverse=True)
    m = np.bincount(e_ix)
    keep = m[e_ix] >= 2
    entry_k, judge_k, value_k = entry[keep], judge[keep], value[keep]
    ue, ek = np.unique(entry_k, return_inverse=True)
    uj, jk = np.unique(judge_k, return_inverse=True)
    n_e, n_j = ue.shape[0], uj.shape[0]
    fixed = False
    mat = None
    if n_e >= 2 and n_j >= 2 and entry_k.shape[0] == n_e * n_j:
        mat = np.full((n_e, n_j), np.nan)
        mat[ek, jk] = value_k
        fixed = not bool(np.isnan(mat).any())
    if fixed and mat is not None:
        single, avg = _icc_two_way(mat)
        k: float | None = float(n_j)
        forms = ("ICC(2,1)", "ICC(2,k)")
    else:
        if n_e >= 2:
            single, avg, k = _icc_one_way(ek, value_k)
        else:
            single = avg = k = None
        forms = ("ICC(1,1)", "ICC(1,k)")
    alpha = krippendorff_interval(entry_k, value_k) if n_e >= 2 else None

    # Per judge, over all the unit's counted sheets of entries with >= 2 sheets.
    per_judge: list[JudgeStats] = []
    if entry_k.size:
        cnt = np.bincount(ek).astype(np.float64)
        sums = np.bincount(ek, weights=value_k)
        consensus = (sums[ek] - value_k) / (cnt[ek] - 1.0)
        dev = value_k - consensus
        for j in range(n_j):
            sel = jk == j
            x, c = value_k[sel], consensus[sel]
            sev = float(dev[sel].mean())
            agree: float | None = None
            if x.size >= 3 and x.std() > 0 and c.std() > 0:
                agree = _finite(float(np.corrcoef(x, c)[0, 1]))
            per_judge.append(JudgeStats(int(uj[j]), int(x.size), sev, agree))
    all_j = np.unique(judge)
    seen = {s.judge for s in per_judge}
    for j in all_j:
        if int(j) not in seen:
            per_judge.append(JudgeStats(int(j), int((judge == j).sum()), None, None))
    per_judge.sort(key=lambda s: s.judge)
    return Reliability(
        entries=int(np.unique(entry).shape[0]),
        judges=int(all_j.shape[0]),
        sheets=int(entry.shape[0]),
        design="fixed" if fixed else "varying",
        icc_single_form=forms[0],
        icc_single=single,
        icc_average_form=forms[1],
        icc_average=avg,
        k=k,
        alpha=alpha,
        per_judge=tuple(per_judge),
    )
