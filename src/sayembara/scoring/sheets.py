"""A judge's sheet: the weighted total of one judge's criterion scores for one entry.

The rule
--------

The rubric the stage uses for the entry's category lists weighted criteria whose weights
add up to the rubric's ``scale`` (100 unless the rubric declares its own points, e.g. 700).
Each criterion score is first put on 0..100 (``normalisation``):

* ``fraction_of_max``: ``100 x score / scale_max`` (on a 6.0-10 range, 6 counts as 60);
* ``min_max``: ``100 x (score - scale_min) / (scale_max - scale_min)``.

The sheet total is ``sum(weight x normalised score) / 100``, a number on 0..scale. With
criteria scored in points whose weights are their own maximum points (weight 200 for a
criterion scored 0..200, on a rubric of scale 700), the total is the plain sum of the
points, exactly.
Ordinal criteria score the highest evidence level proven and checklists
``scale_min + (scale_max - scale_min) x checked points / all points``; those conversions
happen before the score reaches the table (:class:`~sayembara.scoring.spec.Criterion`).

A criterion left unscored follows the rubric's ``missing`` policy: ``block`` refuses the
input; ``zero`` counts it as ``scale_min``; ``reweight`` multiplies the total of the scored
criteria by ``scale / (sum of their weights)``.

Every score is checked against its criterion: inside ``scale_min..scale_max``, a multiple of
``step`` when one is set, one of the levels' scores for an ordinal criterion; a criterion
scored twice on one sheet is refused.

Totals are exact rationals (:class:`~sayembara.scoring.exact.Exact`): integer numerators over
one denominator shared by the whole stage.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .exact import Exact, IntArray, lcm
from .inputs import Inputs, ScoreTable
from .spec import Competition, CriterionKind, MissingPolicy, Rubric, Stage


@dataclass
class Sheets:
    """The sheets of one stage, sorted by entry then judge.

    ``counted`` marks the sheets that enter the stage score (honorary judges' sheets are
    not counted unless the stage says so). The stage's rows of the score table are kept as
    runs (``seg_starts``; run ``i`` belongs to sheet ``seg_sheet[i]``) so that per-row views
    are built only when a tie-break needs them.
    """

    entry: npt.NDArray[np.int64]
    judge: npt.NDArray[np.int64]
    total: Exact
    counted: npt.NDArray[np.bool_]
    rubric_of_entry: npt.NDArray[np.int64]
    rubrics: tuple[Rubric, ...]
    value_den: int
    width: int
    rows_sel: slice | npt.NDArray[np.int64]
    n_rows: int
    seg_starts: npt.NDArray[np.int64]
    seg_sheet: npt.NDArray[np.int64]
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return int(self.entry.shape[0])

    def rows(self) -> npt.NDArray[np.int64]:
        """Score-table row of every row of the stage."""
        if isinstance(self.rows_sel, slice):
            return np.arange(self.rows_sel.start, self.rows_sel.stop, dtype=np.int64)
        return self.rows_sel

    def row_sheet(self) -> npt.NDArray[np.int64]:
        """Sheet of every row of the stage (in stage row order)."""
        if "row_sheet" not in self._cache:
            lengths = np.diff(np.append(self.seg_starts, np.int64(self.n_rows))).astype(np.int64)
            self._cache["row_sheet"] = np.repeat(self.seg_sheet, lengths).astype(np.int64)
        out: npt.NDArray[np.int64] = self._cache["row_sheet"]
        return out

    def of_entry(self, e: int) -> npt.NDArray[np.int64]:
        """Indexes of the sheets of entry ``e``."""
        lo = int(np.searchsorted(self.entry, e, side="left"))
        hi = int(np.searchsorted(self.entry, e, side="right"))
        return np.arange(lo, hi, dtype=np.int64)

    def totals_of(self, e: int, *, counted_only: bool = True) -> dict[int, Fraction]:
        """judge index -> exact sheet total for entry ``e``."""
        out: dict[int, Fraction] = {}
        for s in self.of_entry(e):
            if counted_only and not self.counted[s]:
                continue
            out[int(self.judge[s])] = self.total.fraction(int(s))
        return out

    def criterion_sums(
        self, table: ScoreTable, entries: npt.NDArray[np.int64]
    ) -> tuple[IntArray, npt.NDArray[np.int64]]:
        """For the given entries and every criterion position: the sum of the counted sheets'
        scores (over ``value_den``) and how many counted sheets scored it; arrays of shape
        ``(len(entries), width)``. Only the rows of these entries are read."""
        lo = np.searchsorted(self.entry, entries, side="left")
        hi = np.searchsorted(self.entry, entries, side="right")
        owner = np.repeat(np.arange(entries.shape[0], dtype=np.int64), hi - lo)
        sheets = _ranges(lo, hi)
        keep = self.counted[sheets]
        sheets, owner = sheets[keep], owner[keep]
        lengths = np.diff(np.append(self.seg_starts, np.int64(self.n_rows))).astype(np.int64)
        if np.array_equal(self.seg_sheet, np.arange(self.seg_sheet.shape[0])):
            segs, seg_owner = sheets, owner
        else:
            where = np.full(len(self), -1, dtype=np.int64)
            where[sheets] = owner
            segs = np.flatnonzero(where[self.seg_sheet] >= 0).astype(np.int64)
            seg_owner = where[self.seg_sheet[segs]]
        positions = _ranges(self.seg_starts[segs], self.seg_starts[segs] + lengths[segs])
        row_owner = np.repeat(seg_owner, lengths[segs])
        if isinstance(self.rows_sel, slice):
            rows = positions + int(self.rows_sel.start)
        else:
            rows = self.rows_sel[positions]
        cell = row_owner * self.width + table.criterion[rows].astype(np.int64)
        size = entries.shape[0] * self.width
        sums = _group_sum(cell, table.value[rows], size)
        counts = np.bincount(cell, minlength=size).astype(np.int64)
        return (
            sums.reshape(entries.shape[0], self.width),
            counts.reshape(entries.shape[0], self.width),
        )


def _ranges(lo: npt.NDArray[np.int64], hi: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """Concatenation of ``arange(lo[i], hi[i])`` for every i."""
    lengths = (hi - lo).astype(np.int64)
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(
        lo.astype(np.int64) - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths
    )
    return starts + np.arange(total, dtype=np.int64)


@dataclass(frozen=True)
class _Tables:
    """Per rubric x criterion-position lookup tables of one stage (flattened)."""

    width: int
    n_crit: npt.NDArray[np.int64]
    coef: list[Fraction]
    offs: list[Fraction]
    lows: list[Fraction]
    highs: list[Fraction]
    weights: list[Fraction]
    used: npt.NDArray[np.bool_]


def _tables(rubrics: tuple[Rubric, ...]) -> _Tables:
    width = max(len(rb.criteria) for rb in rubrics)
    coef: list[Fraction] = []
    offs: list[Fraction] = []
    lows: list[Fraction] = []
    highs: list[Fraction] = []
    weights: list[Fraction] = []
    used: list[bool] = []
    for rb in rubrics:
        for c in range(width):
            if c < len(rb.criteria):
                cr = rb.criteria[c]
                coef.append(cr.coefficient(rb.normalisation))
                offs.append(cr.offset(rb.normalisation))
                lows.append(Fraction(cr.scale_min))
                highs.append(Fraction(cr.scale_max))
                weights.append(Fraction(cr.weight))
                used.append(True)
            else:
                for lst in (coef, offs, lows, highs, weights):
                    lst.append(Fraction(0))
                used.append(False)
    return _Tables(
        width,
        np.array([len(rb.criteria) for rb in rubrics], dtype=np.int64),
        coef,
        offs,
        lows,
        highs,
        weights,
        np.array(used, dtype=np.bool_),
    )


def _uniform(values: list[int], used: npt.NDArray[np.bool_]) -> int | None:
    seen = {v for v, u in zip(values, used.tolist(), strict=True) if u}
    return seen.pop() if len(seen) == 1 else None


def compute_sheets(
    competition: Competition,
    stage_index: int,
    inputs: Inputs,
    category_of_entry: npt.NDArray[np.int64],
) -> Sheets:
    """Check the stage's score rows and compute every sheet total exactly."""
    stage: Stage = competition.stages[stage_index]
    table = inputs.scores
    n_entries = len(inputs.entries)
    n_judges = max(len(inputs.judges), 1)

    # The rubrics this stage uses, and each entry's rubric (-1: the stage does not score it).
    rubric_keys: list[str] = []
    rubric_of_category = np.full(len(competition.categories), -1, dtype=np.int64)
    for ci, cat in enumerate(competition.categories):
        key = stage.rubric_for(cat)
        if key is None or not stage.takes(cat):
            continue
        if key not in rubric_keys:
            rubric_keys.append(key)
        rubric_of_category[ci] = rubric_keys.index(key)
    rubrics = tuple(competition.rubric(k) for k in rubric_keys)
    rubric_of_entry = (
        rubric_of_category[category_of_entry] if n_entries else np.zeros(0, dtype=np.int64)
    )
    value_den = table.denominator
    sel = table.stage_rows(stage_index)
    entry32 = table.entry[sel]
    n = int(entry32.shape[0])
    z = np.zeros(0, dtype=np.int64)
    if n == 0 or not rubrics:
        if n and not rubrics:
            row = _row(sel, 0)
            raise InputError(
                "stage_not_judged",
                f"The stage {stage.key} has no rubric.",
                row=row,
                stage=stage.key,
            )
        return Sheets(
            z,
            z,
            Exact(z, 1),
            np.zeros(0, dtype=np.bool_),
            rubric_of_entry,
            rubrics,
            value_den,
            1,
            sel,
            0,
            z,
            z,
        )
    judge32 = table.judge[sel]
    crit = table.criterion[sel]
    value = table.value[sel]
    tb = _tables(rubrics)
    width = tb.width
    single = len(rubrics) == 1

    # Which rubric each row is scored on, and the criterion position's validity.
    if single:
        r_row: npt.NDArray[np.int64] | None = None
        bad = np.flatnonzero(crit.astype(np.uint32) >= np.uint32(width))
    else:
        r_row = rubric_of_entry[entry32]
        missing_rubric = np.flatnonzero(r_row < 0)
        if missing_rubric.size:
            _raise_not_for_category(stage, inputs, table, _row(sel, int(missing_rubric[0])))
        bad = np.flatnonzero((crit < 0) | (crit >= tb.n_crit[r_row]))
    if bad.size:
        row = _row(sel, int(bad[0]))
        raise InputError(
            "unknown_criterion",
            f"The score row {row} names a criterion outside its rubric.",
            row=row,
            stage=stage.key,
        )
    flat = crit.astype(np.int64) if r_row is None else r_row * width + crit

    # Range, step and level checks, exact on integer numerators.
    lo_int = [math.ceil(lo * value_den) for lo in tb.lows]
    hi_int = [math.floor(hi * value_den) for hi in tb.highs]
    lo_u, hi_u = _uniform(lo_int, tb.used), _uniform(hi_int, tb.used)
    if lo_u is not None and hi_u is not None:
        out_of_range = (value < lo_u) | (value > hi_u)
    else:
        out_of_range = (value < np.array(lo_int, dtype=np.int64)[flat]) | (
            value > np.array(hi_int, dtype=np.int64)[flat]
        )
    bad = np.flatnonzero(out_of_range)
    if bad.size:
        _raise_out_of_range(stage, rubrics, inputs, table, sel, flat, width, value_den, int(bad[0]))
    for ri, rb in enumerate(rubrics):
        for c, cr in enumerate(rb.criteria):
            if cr.step is None and cr.kind is not CriterionKind.ORDINAL:
                continue
            where = np.flatnonzero(flat == ri * width + c)
            if where.size == 0:
                continue
            vals = value[where]
            if cr.kind is CriterionKind.ORDINAL:
                allowed = [Fraction(lv.score) * value_den for lv in cr.levels]
                allowed_int = [int(a) for a in allowed if a.denominator == 1]
                off = ~np.isin(vals, np.array(allowed_int, dtype=np.int64))
            else:
                assert cr.step is not None
                step = Fraction(cr.step)
                # value/den is a multiple of step  <=>  value * step.den % (step.num * den) == 0
                off = (vals * np.int64(step.denominator)) % np.int64(
                    step.numerator * value_den
                ) != 0
            hit = np.flatnonzero(off)
            if hit.size:
                _raise_out_of_range(
                    stage, rubrics, inputs, table, sel, flat, width, value_den, int(where[hit[0]])
                )

    # Sheets: runs of rows with the same (entry, judge), merged when split in the input.
    sheet_key = entry32.astype(np.int64) * n_judges + judge32
    brk = np.flatnonzero(sheet_key[1:] != sheet_key[:-1]) + 1
    starts = np.concatenate((np.zeros(1, dtype=np.int64), brk.astype(np.int64)))
    seg_keys = sheet_key[starts]
    lengths = np.diff(np.append(starts, np.int64(n))).astype(np.int64)
    merged = not (seg_keys.size < 2 or bool(np.all(seg_keys[1:] > seg_keys[:-1])))
    if merged:
        sheet_keys, seg_sheet = np.unique(seg_keys, return_inverse=True)
        seg_sheet = seg_sheet.astype(np.int64)
    else:
        sheet_keys, seg_sheet = seg_keys, np.arange(seg_keys.size, dtype=np.int64)
    n_sheets = int(sheet_keys.shape[0])
    sheet_entry = (sheet_keys // n_judges).astype(np.int64)
    sheet_judge = (sheet_keys % n_judges).astype(np.int64)
    sheet_rubric = rubric_of_entry[sheet_entry]
    bad = np.flatnonzero(sheet_rubric < 0)
    if bad.size:
        first_seg = int(np.flatnonzero(seg_sheet == bad[0])[0])
        _raise_not_for_category(stage, inputs, table, _row(sel, int(starts[first_seg])))
    need = tb.n_crit[sheet_rubric]

    # Each criterion exactly once per sheet: the rows' criterion bits must not overlap.
    if width <= 62:
        bits = np.left_shift(np.int64(1), crit.astype(np.int64))
        seg_or = np.bitwise_or.reduceat(bits, starts)
        if merged:
            sheet_or = np.zeros(n_sheets, dtype=np.int64)
            np.bitwise_or.at(sheet_or, seg_sheet, seg_or)
            count = np.bincount(seg_sheet, weights=lengths, minlength=n_sheets).astype(np.int64)
        else:
            sheet_or, count = seg_or, lengths
        present = np.bitwise_count(sheet_or).astype(np.int64)
        duplicated = present != count
    else:
        rs = np.repeat(seg_sheet, lengths)
        cells = np.bincount(rs * width + crit, minlength=n_sheets * width).reshape(n_sheets, width)
        present = (cells > 0).sum(axis=1).astype(np.int64)
        count = np.bincount(rs, minlength=n_sheets).astype(np.int64)
        duplicated = present != count
        sheet_or = np.zeros(0, dtype=np.int64)
    if bool(duplicated.any()):
        _raise_duplicate(
            stage,
            rubrics,
            inputs,
            table,
            sel,
            seg_sheet,
            starts,
            lengths,
            crit,
            int(np.flatnonzero(duplicated)[0]),
        )

    # Integer coefficients: contribution of a row = K * (V*M - O) over den_k * value_den * M.
    den_k = lcm(c.denominator for c in tb.coef)
    k_int = [int(c * den_k) for c in tb.coef]
    m = lcm((o * value_den).denominator for o in tb.offs + tb.lows)
    o_int = [int(o * value_den * m) for o in tb.offs]
    v_bound = max(max(abs(x) for x in lo_int), max(abs(x) for x in hi_int)) * m
    c_bound = max(abs(k) for k in k_int) * (v_bound + max(abs(o) for o in o_int))
    safe = c_bound * width * 4 < _LIMIT
    k_u, o_u = _uniform(k_int, tb.used), _uniform(o_int, tb.used)
    vm = value if m == 1 else _times(value, m)
    if safe and k_u is not None and o_u == 0:
        seg_sum: IntArray = np.add.reduceat(vm, starts) * np.int64(k_u)
    elif safe:
        k64 = np.array(k_int, dtype=np.int64)[flat]
        shifted = vm if not any(o_int) else vm - np.array(o_int, dtype=np.int64)[flat]
        seg_sum = np.add.reduceat(k64 * shifted, starts)
    else:
        contrib = np.array(k_int, dtype=object)[flat] * (
            vm.astype(object) - np.array(o_int, dtype=object)[flat]
        )
        seg_sum = np.array(
            [
                sum(contrib[a:b].tolist())
                for a, b in zip(starts, np.append(starts[1:], n), strict=True)
            ],
            dtype=object,
        )
    sums = _group_sum(seg_sheet, seg_sum, n_sheets) if merged else seg_sum
    den = den_k * value_den * m

    missing = np.flatnonzero(present < need)
    policies = [rb.missing for rb in rubrics]

    def refuse_missing(sheet: int) -> None:
        _raise_missing(
            stage,
            rubrics,
            inputs,
            table,
            sel,
            seg_sheet,
            starts,
            lengths,
            crit,
            sheet,
            int(sheet_entry[sheet]),
            int(sheet_judge[sheet]),
            int(sheet_rubric[sheet]),
        )

    if missing.size:
        by_policy = np.array(
            [policies[int(sheet_rubric[s])] is MissingPolicy.BLOCK for s in missing]
        )
        if bool(by_policy.any()):
            s = int(missing[np.flatnonzero(by_policy)[0]])
            refuse_missing(s)
        row_sheet = np.repeat(seg_sheet, lengths)
        zero_policy = np.array([p is MissingPolicy.ZERO for p in policies], dtype=np.bool_)
        if bool(zero_policy[sheet_rubric[missing]].any()):
            # add K * (scale_min - offset) for every criterion the sheet lacks
            low_m = [int(lo * value_den * m) for lo in tb.lows]
            kmin = [k * (lo - o) for k, lo, o in zip(k_int, low_m, o_int, strict=True)]
            full_min = [
                sum(kmin[ri * width + c] for c in range(len(rb.criteria)))
                for ri, rb in enumerate(rubrics)
            ]
            have_min = _group_sum(row_sheet, np.array(kmin, dtype=object)[flat], n_sheets)
            add = np.zeros(n_sheets, dtype=object)
            for sm in missing.tolist():
                if zero_policy[sheet_rubric[sm]]:
                    add[sm] = int(full_min[sheet_rubric[sm]]) - int(have_min[sm])
            sums = _add_obj(sums, add)
        reweight = np.array([p is MissingPolicy.REWEIGHT for p in policies], dtype=np.bool_)
        if bool(reweight[sheet_rubric[missing]].any()):
            w_den = lcm(w.denominator for w in tb.weights)
            w_int = np.array([int(w * w_den) for w in tb.weights], dtype=np.int64)
            w_present = _group_sum(row_sheet, w_int[flat], n_sheets)
            # every weight of a rubric together: its scale (an integer once times w_den)
            full_of = [int(Fraction(rb.scale) * w_den) for rb in rubrics]
            full = np.array([full_of[int(r)] for r in sheet_rubric], dtype=object)
            wp = full.copy()
            for sm in missing.tolist():
                if reweight[sheet_rubric[sm]]:
                    wp[sm] = int(w_present[sm])
                    if wp[sm] == 0:
                        refuse_missing(sm)
            big_l = lcm(int(x) for x in set(wp.tolist()))
            factor = np.array(
                [int(f) * big_l // int(x) for f, x in zip(full, wp, strict=True)], dtype=object
            )
            sums = _prod(_as_obj(sums), factor)
            den = den * big_l

    counted = np.ones(n_sheets, dtype=np.bool_)
    if not stage.aggregation.count_honorary:
        honorary = np.array([j.honorary for j in inputs.judges], dtype=np.bool_)
        if honorary.any():
            counted = ~honorary[sheet_judge]
    total = Exact(_shrink(sums), den).reduced()
    return Sheets(
        entry=sheet_entry,
        judge=sheet_judge,
        total=total,
        counted=counted,
        rubric_of_entry=rubric_of_entry,
        rubrics=rubrics,
        value_den=value_den,
        width=width,
        rows_sel=sel,
        n_rows=n,
        seg_starts=starts,
        seg_sheet=seg_sheet,
    )


def _row(sel: slice | npt.NDArray[np.int64], i: int) -> int:
    """Score-table row of the ``i``-th row of a stage."""
    if isinstance(sel, slice):
        return int(sel.start) + i
    return int(sel[i])


# -- small exact helpers on int64-or-object arrays ---------------------------------------------

_LIMIT = 2**62


def _as_int(arr: npt.NDArray[Any]) -> IntArray:
    py = [int(x) for x in arr]
    if all(-_LIMIT < x < _LIMIT for x in py):
        return np.array(py, dtype=np.int64)
    return np.array(py, dtype=object)


def _as_obj(arr: IntArray) -> IntArray:
    return arr if arr.dtype == object else arr.astype(object)


def _bound(arr: IntArray) -> int:
    if arr.size == 0:
        return 0
    if arr.dtype == object:
        return max(abs(int(x)) for x in arr)
    return max(abs(int(arr.max())), abs(int(arr.min())))


def _sub(a: IntArray, b: IntArray) -> IntArray:
    if a.dtype != object and b.dtype != object and _bound(a) + _bound(b) < _LIMIT:
        return a - b
    return _as_obj(a) - _as_obj(b)


def _prod(a: IntArray, b: IntArray) -> IntArray:
    if a.dtype != object and b.dtype != object and _bound(a) * _bound(b) < _LIMIT:
        return a * b
    return _as_obj(a) * _as_obj(b)


def _add_obj(a: IntArray, b: IntArray) -> IntArray:
    return _as_obj(a) + _as_obj(b)


def _group_sum(groups: npt.NDArray[np.int64], values: IntArray, n: int) -> IntArray:
    """Exact per-group sums (int64 when the bound allows, Python ints otherwise)."""
    if values.dtype != object and _bound(values) * max(values.shape[0], 1) < _LIMIT:
        out = np.zeros(n, dtype=np.int64)
        np.add.at(out, groups, values)
        return out
    res = [0] * n
    for g, v in zip(groups.tolist(), values.tolist(), strict=True):
        res[g] += int(v)
    return np.array(res, dtype=object)


def _shrink(arr: IntArray) -> IntArray:
    if arr.dtype == object and _bound(arr) < _LIMIT:
        return arr.astype(np.int64)
    return arr


def _times(a: IntArray, k: int) -> IntArray:
    if a.dtype != object and _bound(a) * abs(k) < _LIMIT:
        return a * np.int64(k)
    return a.astype(object) * k


def _describe_row(inputs: Inputs, table: ScoreTable, row: int) -> tuple[str, str]:
    return (inputs.entries[int(table.entry[row])].key, inputs.judges[int(table.judge[row])].key)


def _raise_not_for_category(stage: Stage, inputs: Inputs, table: ScoreTable, row: int) -> None:
    e = inputs.entries[int(table.entry[row])]
    raise InputError(
        "stage_not_for_category",
        f"The stage {stage.key} does not score entries of category {e.category} (entry {e.key}).",
        row=row,
        stage=stage.key,
        entry=e.key,
        category=e.category,
    )


def _raise_out_of_range(
    stage: Stage,
    rubrics: tuple[Rubric, ...],
    inputs: Inputs,
    table: ScoreTable,
    sel: slice | npt.NDArray[np.int64],
    flat: npt.NDArray[np.int64],
    width: int,
    value_den: int,
    i: int,
) -> None:
    row = _row(sel, i)
    cr = rubrics[int(flat[i]) // width].criteria[int(flat[i]) % width]
    got = Fraction(int(table.value[row]), value_den)
    entry, judge = _describe_row(inputs, table, row)
    if cr.kind is CriterionKind.ORDINAL and Fraction(cr.scale_min) <= got <= Fraction(cr.scale_max):
        allowed = ", ".join(str(lv.score) for lv in cr.levels)
        raise InputError(
            "score_not_a_level",
            f"The score {_show(got)} of criterion {cr.key} is not one of its levels ({allowed}).",
            row=row,
            stage=stage.key,
            criterion=cr.key,
            entry=entry,
            judge=judge,
            value=_show(got),
            allowed=allowed,
        )
    if cr.step is not None and Fraction(cr.scale_min) <= got <= Fraction(cr.scale_max):
        raise InputError(
            "score_step",
            f"The score {_show(got)} of criterion {cr.key} is not a multiple of {cr.step}.",
            row=row,
            stage=stage.key,
            criterion=cr.key,
            entry=entry,
            judge=judge,
            value=_show(got),
            step=str(cr.step),
        )
    raise InputError(
        "score_out_of_range",
        f"The score {_show(got)} of criterion {cr.key} lies outside "
        f"{cr.scale_min}..{cr.scale_max}.",
        row=row,
        stage=stage.key,
        criterion=cr.key,
        entry=entry,
        judge=judge,
        value=_show(got),
        minimum=str(cr.scale_min),
        maximum=str(cr.scale_max),
    )


def _show(value: Fraction) -> str:
    from .exact import exact_text

    return exact_text(value)


def _sheet_rows(
    seg_sheet: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    sheet: int,
) -> list[int]:
    """Stage row positions of one sheet, in input order."""
    out: list[int] = []
    for seg in np.flatnonzero(seg_sheet == sheet).tolist():
        out.extend(range(int(starts[seg]), int(starts[seg] + lengths[seg])))
    return out


def _raise_duplicate(
    stage: Stage,
    rubrics: tuple[Rubric, ...],
    inputs: Inputs,
    table: ScoreTable,
    sel: slice | npt.NDArray[np.int64],
    seg_sheet: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    crit: npt.NDArray[Any],
    sheet: int,
) -> None:
    seen: set[int] = set()
    for i in _sheet_rows(seg_sheet, starts, lengths, sheet):
        c = int(crit[i])
        if c in seen:
            row = _row(sel, i)
            e = inputs.entries[int(table.entry[row])]
            j = inputs.judges[int(table.judge[row])]
            rb_ix = (
                0
                if len(rubrics) == 1
                else [rb.key for rb in rubrics].index(_rubric_key(stage, e.category))
            )
            ckey = rubrics[rb_ix].criteria[c].key
            raise InputError(
                "duplicate_score",
                f"Judge {j.key} scored criterion {ckey} of entry {e.key} at stage "
                f"{stage.key} more than once.",
                row=row,
                stage=stage.key,
                judge=j.key,
                entry=e.key,
                criterion=ckey,
            )
        seen.add(c)
    raise AssertionError("no duplicate found")  # pragma: no cover


def _rubric_key(stage: Stage, category: str) -> str:
    key = stage.rubric_for(category)
    assert key is not None
    return key


def _raise_missing(
    stage: Stage,
    rubrics: tuple[Rubric, ...],
    inputs: Inputs,
    table: ScoreTable,
    sel: slice | npt.NDArray[np.int64],
    seg_sheet: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
    crit: npt.NDArray[Any],
    sheet: int,
    e: int,
    j: int,
    ri: int,
) -> None:
    rubric = rubrics[ri]
    positions = _sheet_rows(seg_sheet, starts, lengths, sheet)
    have = {int(crit[i]) for i in positions}
    lacking = [c.key for i, c in enumerate(rubric.criteria) if i not in have]
    first_row = _row(sel, positions[0])
    raise InputError(
        "missing_criterion",
        f"Judge {inputs.judges[j].key} left criterion {', '.join(lacking)} of entry "
        f"{inputs.entries[e].key} unscored at stage {stage.key}, and the rubric "
        f"{rubric.key} does not allow a missing criterion.",
        row=first_row,
        stage=stage.key,
        judge=inputs.judges[j].key,
        entry=inputs.entries[e].key,
        criteria=", ".join(lacking),
        rubric=rubric.key,
    )


def sheet_total(rubric: Rubric, scores: dict[str, Fraction]) -> Fraction | None:
    """The total of one sheet by the rule of this module, exactly: ``scores`` maps criterion
    keys to scores (a checklist's score from its items, an ordinal's from its level).

    None when a criterion is missing and the rubric's ``missing`` policy refuses such a
    sheet (``block``), or when nothing is scored under ``reweight``. This is the figure a
    judge is shown before submitting; stages are computed by :func:`compute_sheets`.
    """
    total, weights, reweighted = Fraction(0), Fraction(0), False
    for criterion in rubric.criteria:
        score = scores.get(criterion.key)
        if score is None:
            if rubric.missing is MissingPolicy.BLOCK:
                return None
            if rubric.missing is MissingPolicy.REWEIGHT:
                reweighted = True
                continue
            score = Fraction(criterion.scale_min)
        total += criterion.coefficient(rubric.normalisation) * (
            Fraction(score) - criterion.offset(rubric.normalisation)
        )
        weights += Fraction(criterion.weight)
    if reweighted:
        if weights == 0:
            return None
        total = total * Fraction(rubric.scale) / weights
    return total
