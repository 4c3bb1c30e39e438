"""Judge calibration: a calibrated score beside the raw one.

The model
---------

Some judges mark high and some low. When every judge scores every entry this does not change
any rank, but with varying panels (each entry seen by a few of many judges) an entry can
win or lose simply by who scored it. Calibration estimates each judge's tendency from the
entries judges have in common and removes it.

``offset`` (default)
    ``total[judge, entry] = quality[entry] + offset[judge] + noise``, fitted by least squares
    with a ridge penalty ``regularisation x sum(offset^2)``: a judge's offset is pulled
    towards zero as if the judge had scored ``regularisation`` extra sheets exactly at the
    consensus, so a judge with few sheets is corrected less. The calibrated sheet total is
    ``total - offset[judge]``.
``offset_scale``
    ``total - m = offset[judge] + scale[judge] x (quality[entry] - m) + noise`` with ``m`` the
    mean of all totals, fitted by alternating least squares with the penalty
    ``regularisation x (offset^2 + s^2 (scale - 1)^2)`` (``s^2`` the variance of the
    qualities, so both terms are in score units). The calibrated total is
    ``m + (total - m - offset) / scale``. Scales are kept at 0.05 or above.

In the offset model offsets are reported relative to the average judge (their mean weighted
by the number of sheets is zero), so calibrated totals keep the raw average; in the
offset-scale model qualities are centred on the mean total ``m``. The calibrated stage score is
the stage's usual method (mean, median, trimmed mean) applied to the calibrated totals, and
is rounded to 6 decimals *before* any comparison, so ranks never depend on floating-point
noise.

Calibration needs the judge-entry graph (a judge and an entry are linked when the judge
scored the entry) to be connected: otherwise the difference between the offsets of two
separate groups of judges cannot be told apart from a difference in the quality of their
entries, and any correction would be arbitrary. A disconnected design is refused with
:class:`~sayembara.scoring.errors.CalibrationRefused` naming the separate groups.

Per-judge z-scores are deliberately not used: they assume every judge saw entries of the
same average quality, which is exactly what fails when panels see batches of different
quality.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .errors import CalibrationRefused
from .spec import CalibrationModel

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Fit:
    """A fitted calibration: per judge (``judges`` are judge indexes) offset, scale, number
    of sheets; per sheet the calibrated total; per entry the estimated quality."""

    judges: Ints
    offset: Floats
    scale: Floats
    sheets: Ints
    adjusted: Floats
    quality: Floats


def components(entry: Ints, judge: Ints) -> tuple[Ints, Ints]:
    """Connected components of the bipartite judge-entry graph.

    Returns a component label per distinct judge (in ``np.unique(judge)`` order) and per
    sheet. Labels are the smallest compact entry index of the component.
    """
    ue, e_ix = np.unique(entry, return_inverse=True)
    uj, j_ix = np.unique(judge, return_inverse=True)
    lab_e = np.arange(ue.shape[0], dtype=np.int64)
    big = np.iinfo(np.int64).max
    while True:
        lab_j = np.full(uj.shape[0], big, dtype=np.int64)
        np.minimum.at(lab_j, j_ix, lab_e[e_ix])
        new_e = lab_e.copy()
        np.minimum.at(new_e, e_ix, lab_j[j_ix])
        # pointer jumping: follow labels to their own label until stable
        new_e = new_e[new_e]
        if np.array_equal(new_e, lab_e):
            break
        lab_e = new_e
    return lab_j, lab_e[e_ix]


def check_connected(entry: Ints, judge: Ints, judge_keys: list[str]) -> None:
    """Raise :class:`CalibrationRefused` when the judges fall into separate groups.

    The refusal's code is ``no_sheets`` or ``disconnected``; a disconnected design carries
    ``groups``, the judge keys of each group (largest group first), so that a caller can name
    the judges in its own words.
    """
    if entry.size == 0:
        raise CalibrationRefused("no_sheets", "There are no sheets to calibrate.")
    lab_j, _ = components(entry, judge)
    groups = sorted(set(lab_j.tolist()))
    if len(groups) <= 1:
        return
    uj = np.unique(judge)
    members = [sorted(judge_keys[int(uj[i])] for i in np.flatnonzero(lab_j == g)) for g in groups]
    members.sort(key=lambda m: (-len(m), m))
    shown = "; ".join("{" + ", ".join(m) + "}" for m in members)
    raise CalibrationRefused(
        "disconnected",
        f"Calibration is refused: the judges fall into {len(members)} groups that never "
        f"scored a common entry ({shown}), so a difference between the groups' marking "
        "cannot be told apart from a difference in the quality of their entries.",
        groups=tuple(tuple(m) for m in members),
    )


def fit(
    entry: Ints,
    judge: Ints,
    total: Floats,
    *,
    model: CalibrationModel,
    regularisation: float,
    judge_keys: list[str],
) -> Fit:
    """Fit the calibration model on one unit's counted sheets (one row per sheet)."""
    check_connected(entry, judge, judge_keys)
    ue, e_ix = np.unique(entry, return_inverse=True)
    uj, j_ix = np.unique(judge, return_inverse=True)
    n_e, n_j = ue.shape[0], uj.shape[0]
    m_j = np.bincount(j_ix, minlength=n_j).astype(np.float64)
    offset = _fit_offset(e_ix, j_ix, total, n_e, n_j, regularisation)
    scale = np.ones(n_j)
    if model is CalibrationModel.OFFSET_SCALE:
        offset, scale = _fit_offset_scale(e_ix, j_ix, total, n_e, n_j, regularisation, offset)
        mean = float(total.mean())
        adjusted = mean + (total - mean - offset[j_ix]) / scale[j_ix]
    else:
        adjusted = total - offset[j_ix]
    n_ent = np.bincount(e_ix, minlength=n_e).astype(np.float64)
    quality = np.bincount(e_ix, weights=adjusted, minlength=n_e) / n_ent
    return Fit(
        judges=uj.astype(np.int64),
        offset=offset,
        scale=scale,
        sheets=m_j.astype(np.int64),
        adjusted=adjusted,
        quality=quality,
    )


def _fit_offset(e_ix: Ints, j_ix: Ints, x: Floats, n_e: int, n_j: int, lam: float) -> Floats:
    """Ridge least squares of ``x = q[e] + b[j]`` eliminating q (Schur complement)."""
    n_ent = np.bincount(e_ix, minlength=n_e).astype(np.float64)
    m_j = np.bincount(j_ix, minlength=n_j).astype(np.float64)
    x_e = np.bincount(e_ix, weights=x, minlength=n_e)
    y_j = np.bincount(j_ix, weights=x, minlength=n_j)
    # A[j, k] = sum over entries scored by both j and k of 1 / n_e
    order = np.argsort(e_ix, kind="stable")
    es, js = e_ix[order], j_ix[order]
    start = np.concatenate(([0], np.cumsum(n_ent.astype(np.int64))[:-1]))
    a = np.zeros((n_j, n_j))
    for n in sorted({int(v) for v in n_ent}):
        ents = np.flatnonzero(n_ent == n)
        idx = start[ents][:, None] + np.arange(n)[None, :]
        jm = js[idx]
        w = 1.0 / n
        for p in range(n):
            for q in range(n):
                np.add.at(a, (jm[:, p], jm[:, q]), w)
    rhs = y_j - np.bincount(js, weights=(x_e / n_ent)[es], minlength=n_j)
    mat = np.diag(m_j + lam) - a
    if lam > 0:
        b = np.linalg.solve(mat, rhs)
    else:
        b = np.linalg.lstsq(mat, rhs, rcond=None)[0]
    return b - float(np.dot(m_j, b) / m_j.sum())


def _fit_offset_scale(
    e_ix: Ints,
    j_ix: Ints,
    x: Floats,
    n_e: int,
    n_j: int,
    lam: float,
    b0: Floats,
) -> tuple[Floats, Floats]:
    """Alternating least squares for ``x - m = c[j] + a[j] (u[e])`` with ridge penalties."""
    mean = float(x.mean())
    y = x - mean
    c = b0.copy()
    a = np.ones(n_j)
    m_j = np.bincount(j_ix, minlength=n_j).astype(np.float64)
    for _ in range(1000):
        # entry step: u[e] = sum a (y - c) / sum a^2
        num = np.bincount(e_ix, weights=a[j_ix] * (y - c[j_ix]), minlength=n_e)
        den = np.bincount(e_ix, weights=a[j_ix] ** 2, minlength=n_e)
        u = num / den
        u -= u.mean()
        s2 = float(u.var()) or 1.0
        # judge step: 2x2 ridge regression per judge
        su = np.bincount(j_ix, weights=u[e_ix], minlength=n_j)
        suu = np.bincount(j_ix, weights=u[e_ix] ** 2, minlength=n_j)
        sy = np.bincount(j_ix, weights=y, minlength=n_j)
        suy = np.bincount(j_ix, weights=u[e_ix] * y, minlength=n_j)
        a11 = m_j + lam
        a12 = su
        a22 = suu + lam * s2
        r1 = sy
        r2 = suy + lam * s2
        det = a11 * a22 - a12 * a12
        det = np.where(np.abs(det) < 1e-12, 1e-12, det)
        c_new = (a22 * r1 - a12 * r2) / det
        a_new = np.maximum((a11 * r2 - a12 * r1) / det, 0.05)
        change = max(float(np.max(np.abs(c_new - c))), float(np.max(np.abs(a_new - a))))
        c, a = c_new, a_new
        # stop when no offset or scale moves by a millionth any more: calibrated totals are
        # rounded to six decimals, and the remaining drift runs along an almost flat ridge
        if change < 1e-6:
            break
    return c, a
