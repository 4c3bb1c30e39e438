"""A judge's sheet: the weighted total of one judge's criterion scores for one entry.

The rule
--------

The rubric the stage uses for the entry's category lists weighted criteria whose weights
add up to 100. Each criterion score is first put on 0..100 (``normalisation``):

* ``fraction_of_max``: ``100 x score / scale_max`` (on a 6.0-10 range, 6 counts as 60);
* ``min_max``: ``100 x (score - scale_min) / (scale_max - scale_min)``.

The sheet total is ``sum(weight x normalised score) / 100``, a number on 0..100.
Ordinal criteria score the highest evidence level proven and checklists
``scale_min + (scale_max - scale_min) x checked points / all points``; those conversions
happen before the score reaches the table (:class:`~sayembara.scoring.spec.Criterion`).

A criterion left unscored follows the rubric's ``missing`` policy: ``block`` refuses the
input; ``zero`` counts it as ``scale_min``; ``reweight`` multiplies the total of the scored
criteria by ``100 / (sum of their weights)``.

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
from .exact import Exact, IntArray, lcm, mul
from .inputs import Inputs
from .spec import Competition, CriterionKind, MissingPolicy, Rubric, Stage


@dataclass
class Sheets:
    """The sheets of one stage, sorted by entry then judge.

    ``rows`` are the score-table rows of the stage and ``row_sheet`` the sheet each belongs
    to; ``counted`` marks the sheets that enter the stage score (honorary judges' sheets are
    not counted unless the stage says so).
    """

    entry: npt.NDArray[np.int64]
    judge: npt.NDArray[np.int64]
    total: Exact
    counted: npt.NDArray[np.bool_]
    rows: npt.NDArray[np.int64]
    row_sheet: npt.NDArray[np.int64]
    rubric_of_entry: npt.NDArray[np.int64]
    rubrics: tuple[Rubric, ...]
    value_den: int
    _by_sheet: npt.NDArray[np.int64] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return int(self.entry.shape[0])

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

    def criterion_means(self, e: int, values: IntArray, criteria: npt.NDArray[Any]) -> (
        tuple[Fraction | None, ...]
    ):
        """Mean score of each criterion of the entry's rubric over its counted sheets
        (None for a criterion no counted judge scored)."""
        if self._by_sheet is None:
            self._by_sheet = np.argsort(self.row_sheet, kind="stable")
        rubric = self.rubrics[int(self.rubric_of_entry[e])]
        sums = [Fraction(0)] * len(rubric.criteria)
        counts = [0] * len(rubric.criteria)
        sorted_sheets = self.row_sheet[self._by_sheet]
        for s in self.of_entry(e):
            if not self.counted[s]:
                continue
            lo = int(np.searchsorted(sorted_sheets, s, side="left"))
            hi = int(np.searchsorted(sorted_sheets, s, side="right"))
            for r in self._by_sheet[lo:hi]:
                row = int(self.rows[r])
                c = int(criteria[row])
                sums[c] += Fraction(int(values[row]), self.value_den)
                counts[c] += 1
        return tuple(sums[c] / counts[c] if counts[c] else None for c in range(len(sums)))


def _scaled_ints(values: list[Fraction], scale: int) -> list[int]:
    out = []
    for v in values:
        x = v * scale
        if x.denominator != 1:
            raise ValueError("not integral")
        out.append(x.numerator)
    return out


def compute_sheets(
    competition: Competition,
    stage_index: int,
    inputs: Inputs,
    category_of_entry: npt.NDArray[np.int64],
) -> Sheets:
    """Check the stage's score rows and compute every sheet total exactly."""
    stage: Stage = competition.stages[stage_index]
    table = inputs.scores
    rows = np.flatnonzero(table.stage == stage_index).astype(np.int64)
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

    if rows.size == 0 or not rubrics:
        z = np.zeros(0, dtype=np.int64)
        return Sheets(z, z, Exact(z, 1), np.zeros(0, dtype=np.bool_), z, z, rubric_of_entry,
                      rubrics, value_den)

    entry = table.entry[rows].astype(np.int64)
    judge = table.judge[rows].astype(np.int64)
    crit = table.criterion[rows].astype(np.int64)
    value = table.value[rows]

    r = rubric_of_entry[entry]
    bad = np.flatnonzero(r < 0)
    if bad.size:
        row = int(rows[bad[0]])
        e = inputs.entries[int(table.entry[row])]
        raise InputError(
            "stage_not_for_category",
            f"The stage {stage.key} does not score entries of category {e.category} "
            f"(entry {e.key}).",
            row=row, stage=stage.key, entry=e.key, category=e.category,
        )

    # Per rubric x criterion lookup tables (padded to the widest rubric).
    width = max(len(rb.criteria) for rb in rubrics)
    n_crit = np.array([len(rb.criteria) for rb in rubrics], dtype=np.int64)
    bad = np.flatnonzero((crit < 0) | (crit >= n_crit[r]))
    if bad.size:
        row = int(rows[bad[0]])
        raise InputError("unknown_criterion",
                         f"The score row {row} names a criterion outside its rubric.", row=row,
                         stage=stage.key)

    coef: list[Fraction] = []
    offs: list[Fraction] = []
    lows: list[Fraction] = []
    highs: list[Fraction] = []
    weights: list[Fraction] = []
    for rb in rubrics:
        for c in range(width):
            if c < len(rb.criteria):
                cr = rb.criteria[c]
                coef.append(cr.coefficient(rb.normalisation))
                offs.append(cr.offset(rb.normalisation))
                lows.append(Fraction(cr.scale_min))
                highs.append(Fraction(cr.scale_max))
                weights.append(Fraction(cr.weight))
            else:
                coef.append(Fraction(0))
                offs.append(Fraction(0))
                lows.append(Fraction(0))
                highs.append(Fraction(0))
                weights.append(Fraction(0))
    flat = r * width + crit

    # Range, step and level checks, exact on integer numerators.
    lo_int = np.array([math.ceil(lo * value_den) for lo in lows], dtype=np.int64)
    hi_int = np.array([math.floor(hi * value_den) for hi in highs], dtype=np.int64)
    bad = np.flatnonzero((value < lo_int[flat]) | (value > hi_int[flat]))
    if bad.size:
        _raise_out_of_range(competition, stage, rubrics, inputs, rows, r, crit, value, value_den,
                            int(bad[0]))
    for ri, rb in enumerate(rubrics):
        for c, cr in enumerate(rb.criteria):
            if cr.step is None and cr.kind is not CriterionKind.ORDINAL:
                continue
            sel = np.flatnonzero(flat == ri * width + c)
            if sel.size == 0:
                continue
            vals = value[sel]
            if cr.kind is CriterionKind.ORDINAL:
                allowed = [Fraction(lv.score) * value_den for lv in cr.levels]
                allowed_int = [int(a) for a in allowed if a.denominator == 1]
                off = ~np.isin(vals, np.array(allowed_int, dtype=np.int64))
            else:
                assert cr.step is not None
                step = Fraction(cr.step)
                # value/den is a multiple of step  <=>  value * step.den % (step.num * den) == 0
                off = (vals * np.int64(step.denominator)) % np.int64(
                    step.numerator * value_den) != 0
            hit = np.flatnonzero(off)
            if hit.size:
                _raise_out_of_range(competition, stage, rubrics, inputs, rows, r, crit, value,
                                    value_den, int(sel[hit[0]]))

    # Sheets: runs of rows with the same (entry, judge), merged when split in the input.
    sheet_key = entry * n_judges + judge
    n = sheet_key.shape[0]
    brk = np.flatnonzero(sheet_key[1:] != sheet_key[:-1]) + 1
    starts = np.concatenate(([0], brk)).astype(np.int64)
    seg_keys = sheet_key[starts]
    if seg_keys.size < 2 or bool(np.all(seg_keys[1:] > seg_keys[:-1])):
        sheet_keys = seg_keys
        seg_sheet = np.arange(seg_keys.size, dtype=np.int64)
    else:
        sheet_keys, seg_sheet = np.unique(seg_keys, return_inverse=True)
    lengths = np.diff(np.append(starts, np.int64(n))).astype(np.int64)
    row_sheet = np.repeat(seg_sheet, lengths).astype(np.int64)
    n_sheets = int(sheet_keys.shape[0])
    sheet_entry = (sheet_keys // n_judges).astype(np.int64)
    sheet_judge = (sheet_keys % n_judges).astype(np.int64)
    sheet_rubric = rubric_of_entry[sheet_entry]

    # A criterion scored twice on one sheet.
    cell = row_sheet * width + crit
    cell_count = np.bincount(cell, minlength=n_sheets * width)
    if int(cell_count.max()) > 1:
        dup = np.flatnonzero(cell_count[cell] > 1)
        # report the second occurrence in input order
        first_seen: set[int] = set()
        for i in dup:
            if int(cell[i]) in first_seen:
                row = int(rows[i])
                break
            first_seen.add(int(cell[i]))
        else:  # pragma: no cover - a duplicate always has a second occurrence
            row = int(rows[dup[-1]])
        e = inputs.entries[int(table.entry[row])]
        j = inputs.judges[int(table.judge[row])]
        rb = rubrics[int(r[np.searchsorted(rows, row)])]
        raise InputError(
            "duplicate_score",
            f"Judge {j.key} scored criterion {rb.criteria[int(table.criterion[row])].key} of "
            f"entry {e.key} at stage {stage.key} more than once.",
            row=row, stage=stage.key, judge=j.key, entry=e.key,
            criterion=rb.criteria[int(table.criterion[row])].key,
        )

    # Integer coefficients: contribution of a row = K * (V*M - O) over den_k * value_den * M.
    den_k = lcm(c.denominator for c in coef)
    k_int = np.array([int(c * den_k) for c in coef], dtype=object)
    m = lcm((o * value_den).denominator for o in offs + lows)
    o_int = np.array([int(o * value_den * m) for o in offs], dtype=object)
    low_int = np.array([int(lo * value_den * m) for lo in lows], dtype=object)
    k64 = _as_int(k_int)
    o64 = _as_int(o_int)
    vm = mul(value, m)
    shifted = _sub(vm, o64[flat])
    contrib = _prod(k64[flat], shifted)
    sums = _group_sum(row_sheet, contrib, n_sheets)
    den = den_k * value_den * m

    present = np.bincount(row_sheet, minlength=n_sheets)
    full = n_crit[sheet_rubric]
    missing = np.flatnonzero(present < full)
    policies = [rb.missing for rb in rubrics]
    if missing.size:
        by_policy = np.array([policies[int(sheet_rubric[s])] is MissingPolicy.BLOCK
                              for s in missing])
        if bool(by_policy.any()):
            s = int(missing[np.flatnonzero(by_policy)[0]])
            _raise_missing(competition, stage, rubrics, inputs, rows, row_sheet, crit, s,
                           int(sheet_entry[s]), int(sheet_judge[s]), int(sheet_rubric[s]))
        zero_policy = np.array([p is MissingPolicy.ZERO for p in policies], dtype=np.bool_)
        if bool(zero_policy[sheet_rubric[missing]].any()):
            # add K * (scale_min - offset) for every criterion the sheet lacks
            kmin = _prod(k64, _sub(_as_int(low_int), o64))
            full_min = np.array(
                [sum(int(kmin[ri * width + c]) for c in range(len(rb.criteria)))
                 for ri, rb in enumerate(rubrics)], dtype=object)
            have_min = _group_sum(row_sheet, kmin[flat], n_sheets)
            add = np.zeros(n_sheets, dtype=object)
            for sm in missing.tolist():
                if zero_policy[sheet_rubric[sm]]:
                    add[sm] = int(full_min[sheet_rubric[sm]]) - int(have_min[sm])
            sums = _add_obj(sums, add)
        reweight = np.array([p is MissingPolicy.REWEIGHT for p in policies], dtype=np.bool_)
        if bool(reweight[sheet_rubric[missing]].any()):
            w_den = lcm(w.denominator for w in weights)
            w_int = np.array([int(w * w_den) for w in weights], dtype=np.int64)
            w_present = _group_sum(row_sheet, w_int[flat], n_sheets)
            hundred = 100 * w_den
            wp = np.full(n_sheets, hundred, dtype=object)
            for sm in missing.tolist():
                if reweight[sheet_rubric[sm]]:
                    wp[sm] = int(w_present[sm])
                    if wp[sm] == 0:
                        _raise_missing(competition, stage, rubrics, inputs, rows, row_sheet,
                                       crit, sm, int(sheet_entry[sm]), int(sheet_judge[sm]),
                                       int(sheet_rubric[sm]))
            big_l = lcm(int(x) for x in set(wp.tolist()))
            factor = np.array([hundred * big_l // int(x) for x in wp], dtype=object)
            sums = _prod(_as_obj(sums), factor)
            den = den * big_l

    counted = np.ones(n_sheets, dtype=np.bool_)
    if not stage.aggregation.count_honorary:
        honorary = np.array([j.honorary for j in inputs.judges], dtype=np.bool_)
        if honorary.any():
            counted = ~honorary[sheet_judge]
    total = Exact(_shrink(sums), den).reduced()
    return Sheets(
        entry=sheet_entry, judge=sheet_judge, total=total, counted=counted, rows=rows,
        row_sheet=row_sheet, rubric_of_entry=rubric_of_entry, rubrics=rubrics,
        value_den=value_den,
    )


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


def _describe_row(inputs: Inputs, row: int) -> tuple[str, str]:
    t = inputs.scores
    return inputs.entries[int(t.entry[row])].key, inputs.judges[int(t.judge[row])].key


def _raise_out_of_range(
    competition: Competition, stage: Stage, rubrics: tuple[Rubric, ...], inputs: Inputs,
    rows: npt.NDArray[np.int64], r: npt.NDArray[np.int64], crit: npt.NDArray[np.int64],
    value: IntArray, value_den: int, i: int,
) -> None:
    row = int(rows[i])
    cr = rubrics[int(r[i])].criteria[int(crit[i])]
    got = Fraction(int(value[i]), value_den)
    entry, judge = _describe_row(inputs, row)
    if cr.kind is CriterionKind.ORDINAL:
        allowed = ", ".join(str(lv.score) for lv in cr.levels)
        raise InputError(
            "score_not_a_level",
            f"The score {float(got):g} of criterion {cr.key} is not one of its levels "
            f"({allowed}).",
            row=row, stage=stage.key, criterion=cr.key, entry=entry, judge=judge,
            value=str(got), allowed=allowed,
        )
    if cr.step is not None and Fraction(cr.scale_min) <= got <= Fraction(cr.scale_max):
        raise InputError(
            "score_step",
            f"The score {float(got):g} of criterion {cr.key} is not a multiple of {cr.step}.",
            row=row, stage=stage.key, criterion=cr.key, entry=entry, judge=judge,
            value=str(got), step=str(cr.step),
        )
    raise InputError(
        "score_out_of_range",
        f"The score {float(got):g} of criterion {cr.key} lies outside "
        f"{cr.scale_min}..{cr.scale_max}.",
        row=row, stage=stage.key, criterion=cr.key, entry=entry, judge=judge, value=str(got),
        minimum=str(cr.scale_min), maximum=str(cr.scale_max),
    )


def _raise_missing(
    competition: Competition, stage: Stage, rubrics: tuple[Rubric, ...], inputs: Inputs,
    rows: npt.NDArray[np.int64], row_sheet: npt.NDArray[np.int64], crit: npt.NDArray[np.int64],
    sheet: int, e: int, j: int, ri: int,
) -> None:
    rubric = rubrics[ri]
    have = set(crit[row_sheet == sheet].tolist())
    lacking = [c.key for i, c in enumerate(rubric.criteria) if i not in have]
    first_row = int(rows[np.flatnonzero(row_sheet == sheet)[0]])
    raise InputError(
        "missing_criterion",
        f"Judge {inputs.judges[j].key} left criterion {', '.join(lacking)} of entry "
        f"{inputs.entries[e].key} unscored at stage {stage.key}, and the rubric "
        f"{rubric.key} does not allow a missing criterion.",
        row=first_row, stage=stage.key, judge=inputs.judges[j].key,
        entry=inputs.entries[e].key, criteria=", ".join(lacking), rubric=rubric.key,
    )
