"""Per-entry results as columns, and exact values as text, column by column.

A national edition has 112,000 per-entry results. Built one record and one
:class:`~fractions.Fraction` at a time they cost many times the computation; here every
field of one stage is an array (or, for text, a list) over the stage's entries in the order
of :attr:`StageResult.entries <sayembara.scoring.results.StageResult.entries>`: category,
rank, then entry key; and every field of the final ranking an array over the entries in the
order of :attr:`Results.final <sayembara.scoring.results.Results.final>`.
:func:`stage_columns` and :func:`final_columns` are the one place that decides each field;
:mod:`.records` builds the records from them, and writers (``results.json``, the database)
read the columns directly. :func:`shown_texts`, :func:`exact_texts` and
:func:`fraction_texts` write a whole exact column as text with integer arithmetic on arrays.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from .awards import give_awards
from .bootstrap import CLOSE_HIGH, CLOSE_LOW
from .exact import Exact, _places_of_denominator, decimal_text, exact_text
from .reasons import Reason
from .state import Evaluation, StageState

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

#: Status names, indexed by :attr:`StageColumns.status_code`.
STATUSES = ("scored", "not_scored", "disqualified", "skipped", "awaiting")
_SCORED, _NOT_SCORED, _DISQUALIFIED, _SKIPPED, _AWAITING = range(5)


@dataclass(frozen=True)
class Values:
    """An exact column over a stage's rows; ``present`` marks the rows that have a value."""

    values: Exact
    present: Bools

    def fraction(self, row: int) -> Fraction | None:
        return self.values.fraction(row) if self.present[row] else None


@dataclass(frozen=True)
class StageColumns:
    """One stage's per-entry results; row ``i`` is the stage's ``entries[i]``.

    Integer columns use 0 for "none" (ranks, intervals), float columns NaN.
    """

    entry: Ints
    keys: list[str]
    categories: list[str]
    status_code: Ints
    score: Values
    raw: Values
    calibrated: Values
    selection: Values
    lowered_by: Values
    spread: Values
    judges: Ints
    sheets: Ints
    sd: Floats
    disagreement: Bools
    needs_extra_judge: Bools
    trimmed: Bools
    rank: Ints
    pool: list[str | None]
    pool_rank: Ints
    rank_low: Ints
    rank_high: Ints
    p_top_n: Floats
    close_to_cut: Bools
    advanced: Bools
    reason: list[Reason | None]
    tie_break: list[str | None]

    def __len__(self) -> int:
        return int(self.entry.shape[0])

    @property
    def status(self) -> list[str]:
        return [STATUSES[c] for c in self.status_code.tolist()]


def _ints(arr: npt.NDArray[Any] | None, n: int, fill: int = 0) -> Ints:
    return np.full(n, fill, dtype=np.int64) if arr is None else arr.astype(np.int64)


def _bools(arr: npt.NDArray[Any] | None, n: int) -> Bools:
    return np.zeros(n, dtype=np.bool_) if arr is None else arr.astype(np.bool_)


def _values(column: Exact | None, rows: Ints, present: Bools) -> Values:
    if column is None:
        return Values(
            Exact(np.zeros(rows.shape[0], dtype=np.int64), 1),
            np.zeros(rows.shape[0], dtype=np.bool_),
        )
    return Values(column.take(rows), present)


@dataclass(frozen=True)
class _EntryTexts:
    """Every entry's key and category as object arrays (a row's text is one take away), the
    number of its category, and its place among the keys in sorted order."""

    keys: npt.NDArray[np.object_]
    categories: npt.NDArray[np.object_]
    category: Ints
    key_order: Ints


#: The last evaluation's entry texts (each stage's columns and the final ones read them).
_last_texts: tuple[weakref.ref[Evaluation], _EntryTexts] | None = None


def _entry_texts(ev: Evaluation) -> _EntryTexts:
    global _last_texts
    if _last_texts is not None and _last_texts[0]() is ev:
        return _last_texts[1]
    entries = ev.inputs.entries
    n = len(entries)
    keys = np.array([e.key for e in entries], dtype=object)
    categories = np.array([e.category for e in entries], dtype=object)
    cat_order = {c: i for i, c in enumerate(ev.competition.categories)}
    key_order = np.empty(n, dtype=np.int64)
    key_order[np.argsort(keys.astype(str), kind="stable")] = np.arange(n, dtype=np.int64)
    texts = _EntryTexts(
        keys=keys,
        categories=categories,
        category=np.array([cat_order[c] for c in categories.tolist()], dtype=np.int64),
        key_order=key_order,
    )
    _last_texts = (weakref.ref(ev), texts)
    return texts


def stage_columns(ev: Evaluation, st: StageState) -> StageColumns:
    """The per-entry results of one stage, as columns."""
    entries = ev.inputs.entries
    n = len(entries)
    texts = _entry_texts(ev)
    entry_cat, key_order = texts.category, texts.key_order

    members = np.flatnonzero(st.present | st.skipped)
    skipped = st.skipped[members]
    bare = skipped | (st.status == "pending")
    same = st.cut_ranking is st.ranking
    rank_all = _ints(st.ranking.rank if st.ranking is not None else None, n)
    rank = np.where(bare, 0, rank_all[members])
    order = np.lexsort((key_order[members], np.where(rank > 0, rank, 10**9), entry_cat[members]))
    rows, rank, skipped, bare = members[order], rank[order], skipped[order], bare[order]

    scored = st.scored[rows] & ~bare
    status = np.where(st.disqualified[rows], _DISQUALIFIED, np.where(scored, _SCORED, _NOT_SCORED))
    status = np.where(skipped, _SKIPPED, np.where(bare, _AWAITING, status)).astype(np.int64)

    agg = st.agg
    counted = np.where(bare, 0, _ints(agg.n_counted if agg else None, n)[rows])
    unc = st.uncertainty
    has_unc = unc is not None and unc.replicates > 0
    low = np.where(bare, 0, _ints(unc.rank_low if has_unc and unc else None, n)[rows])
    high = np.where(bare, 0, _ints(unc.rank_high if has_unc and unc else None, n)[rows])
    p_all = unc.p_top.astype(np.float64) if has_unc and unc else np.full(n, math.nan)
    p_top = np.where(bare, math.nan, p_all[rows])
    sd_all = agg.sd.astype(np.float64) if agg else np.full(n, math.nan)
    pool_of = _ints(st.pool_of if not same else None, n, -1)[rows]
    pool_rank = _ints(st.cut_ranking.rank if st.cut_ranking is not None and not same else None, n)[
        rows
    ]
    cal_mask = _bools(st.calibrated_mask, n)[rows]

    decided_by: dict[int, str] = {}
    for rnk in (st.ranking, st.cut_ranking):
        if rnk is not None:
            decided_by.update({e: step.value for e, step in rnk.decided_by.items()})
    skipped_reason = Reason.of("stage_not_for_category")
    awaiting_reason = Reason.of("awaiting_scores")
    minimum = st.stage.aggregation.min_judges
    required = agg.required if agg is not None else np.full(n, minimum, dtype=np.int64)
    recused = agg.recused if agg is not None else np.zeros(n, dtype=np.int64)
    reasons: list[Reason | None] = []
    decision_reason = st.decision_reason
    for e, s in zip(rows.tolist(), status.tolist(), strict=True):
        if s == _SKIPPED:
            reasons.append(skipped_reason)
        elif s == _AWAITING:
            reasons.append(awaiting_reason)
        else:
            reasons.append(decision_reason.get(e))
    if st.advance is not None:
        # the advancement's reason where there is no other, built in one pass
        asked = [
            i
            for i, (reason, s) in enumerate(zip(reasons, status.tolist(), strict=True))
            if reason is None and s != _SKIPPED and s != _AWAITING
        ]
        for i, reason in zip(asked, st.advance.reasons(rows[asked].tolist()), strict=True):
            reasons[i] = reason
    for i in np.flatnonzero(status == _NOT_SCORED).tolist():
        if reasons[i] is None:
            e, c = int(rows[i]), int(counted[i])
            reasons[i] = (
                Reason.of(
                    "not_scored_recused",
                    counted=c,
                    required=int(required[e]),
                    recused=int(recused[e]),
                )
                if recused[e] > 0
                else Reason.of("not_scored", counted=c, required=minimum)
            )

    score = _values(st.official, rows, scored)
    return StageColumns(
        entry=rows,
        keys=texts.keys[rows].tolist(),
        categories=texts.categories[rows].tolist(),
        status_code=status,
        score=score,
        raw=score if st.raw is st.official else _values(st.raw, rows, scored),
        calibrated=_values(st.calibrated, rows, scored & cal_mask),
        selection=_values(st.selection, rows, scored & (st.selection is not None)),
        lowered_by=_values(st.lowered_by, rows, scored & (st.lowered_by is not None)),
        spread=_values(agg.spread if agg else None, rows, (counted > 0) & (agg is not None)),
        judges=counted,
        sheets=np.where(bare, 0, _ints(agg.n_sheets if agg else None, n)[rows]),
        sd=np.where(bare, math.nan, sd_all[rows]),
        disagreement=~bare & _bools(agg.disagreement if agg else None, n)[rows],
        needs_extra_judge=~bare & _bools(agg.needs_extra if agg else None, n)[rows],
        trimmed=~bare & _bools(agg.trimmed if agg else None, n)[rows],
        rank=rank,
        pool=[
            st.pool_names[p] if p >= 0 and not b else None
            for p, b in zip(pool_of.tolist(), bare.tolist(), strict=True)
        ],
        pool_rank=np.where(bare, 0, pool_rank),
        rank_low=np.where(low > 0, low, 0),
        rank_high=np.where(low > 0, high, 0),
        p_top_n=p_top,
        # as bootstrap.close_to_cut: strictly between the bounds (never for NaN)
        close_to_cut=(p_top > CLOSE_LOW) & (p_top < CLOSE_HIGH),
        advanced=np.where(skipped, True, np.where(bare, False, _bools(st.advanced, n)[rows])),
        reason=reasons,
        tie_break=[
            None if b else decided_by.get(e)
            for e, b in zip(rows.tolist(), bare.tolist(), strict=True)
        ],
    )


# -- exact values as text -----------------------------------------------------------------

#: Magnitudes below this stay exact in int64 after scaling by 10**6.
_TEXT_SAFE = 2**62 // 10**6


_POW10 = np.array([10**k for k in range(19)], dtype=np.int64)


def _fixed(q: Ints, places: Ints) -> list[str]:
    """Scaled integers as decimal text, row ``i`` with ``places[i]`` decimals (as
    :func:`decimal_text`; ``|q| < 2**62``).

    The digits of every row are laid out in a byte matrix, one column per position, and the
    rows are read back as text in one pass: many times faster than formatting each value.
    """
    n = q.shape[0]
    if n == 0:
        return []
    a = np.abs(q)
    d = max(len(str(int(a.max()))), int(places.max()) + 1)
    # digits[c]: the digit of 10**(d - 1 - c) of every row
    digits = np.empty((d, n), dtype=np.uint8)
    x = a
    for c in range(d - 1, -1, -1):
        rest = x // 10
        digits[c] = x - rest * 10
        x = rest
    digits += ord("0")
    # digits written: no leading zeros, and at least one before the point
    length = np.maximum(np.searchsorted(_POW10[1:d], a, side="right") + 1, places + 1)
    col = np.arange(d + 1)[:, None]
    point = (d - places)[None, :]
    space = np.full((1, n), ord(" "), dtype=np.uint8)
    body = np.where(col < point, np.vstack((digits, space)), np.vstack((space, digits)))
    body = np.where((col == point) & (places > 0)[None, :], np.uint8(ord(".")), body)
    body = np.where((col == d) & (places == 0)[None, :], np.uint8(ord(" ")), body)
    body = np.where(col < (d - length)[None, :], np.uint8(ord(" ")), body)
    # a space, then the sign's column, the body and a space between rows
    out = np.full((d + 3, n), ord(" "), dtype=np.uint8)
    out[1 : d + 2] = body
    negative = np.flatnonzero(q < 0)
    out[d - length[negative], negative] = ord("-")
    return out.T.tobytes().decode("ascii").split()


def _texts(column: Values, mode: str, places: int = 6) -> list[str | None]:
    """Text of every present value. ``mode``: ``exact`` (as :func:`exact_text`), ``show``
    (exact when it has at most ``places`` decimals, else rounded half to even to ``places``,
    as :func:`~.advance.show`) or ``round`` (always rounded half to even to ``places``, as
    :func:`decimal_text`)."""
    values, present = column.values, column.present
    rows = np.flatnonzero(present)
    if rows.size == 0:
        return [None] * len(present)
    num, den = values.num[rows], values.den

    def one(value: Fraction) -> str:
        return exact_text(value) if mode == "exact" else _one(value, mode, places)

    out = np.full(len(present), None, dtype=object)
    if num.dtype == object or int(np.abs(num).max()) >= _TEXT_SAFE or den >= _TEXT_SAFE:
        out[rows] = [one(Fraction(int(x), den)) for x in num.tolist()]
        return out.tolist()
    g = np.gcd(num, np.int64(den))
    n, d = num // g, np.int64(den) // g
    # per distinct reduced denominator: its decimals (None: no finite decimal expansion),
    # and how its values are written: 0 exactly as decimals, 1 rounded or as p/q, 2 one by
    # one (a finite decimal too long for int64 arithmetic)
    distinct, which = np.unique(d, return_inverse=True)
    denominators = distinct.tolist()
    exact_places = [_places_of_denominator(x) for x in denominators]
    top = int(np.abs(n).max())
    way, factor, p_of = [], [], []
    for p, x in zip(exact_places, denominators, strict=True):
        decimals = p is not None and (mode == "exact" or (mode == "show" and p <= places))
        fits = decimals and p is not None and top * (10**p // x) < 2**62
        way.append(0 if fits else (2 if decimals else 1))
        factor.append(10**p // x if fits and p is not None else 0)
        p_of.append(p if fits and p is not None else 0)
    how = np.array(way, dtype=np.int64)[which]
    sel = np.flatnonzero(how == 0)
    if sel.size:
        scale = np.array(factor, dtype=np.int64)[which[sel]]
        out[rows[sel]] = _fixed(n[sel] * scale, np.array(p_of, dtype=np.int64)[which[sel]])
    rest = np.flatnonzero(how == 1)
    if rest.size:
        n_rest, d_rest = n[rest], d[rest]
        if mode == "exact":
            texts = list(map("{}/{}".format, n_rest.tolist(), d_rest.tolist()))
        else:
            q, r = np.divmod(np.abs(n_rest) * np.int64(10**places), d_rest)
            up = ((2 * r > d_rest) | ((2 * r == d_rest) & (q % 2 == 1))).astype(np.int64)
            texts = _fixed(
                np.where(n_rest < 0, -(q + up), q + up), np.full(rest.size, places, np.int64)
            )
        out[rows[rest]] = texts
    slow = np.flatnonzero(how == 2)
    if slow.size:
        out[rows[slow]] = [
            one(Fraction(a, b)) for a, b in zip(n[slow].tolist(), d[slow].tolist(), strict=True)
        ]
    return out.tolist()


def _one(value: Fraction, mode: str, places: int) -> str:
    if mode == "show":
        exact_places = _places_of_denominator(value.denominator)
        if exact_places is not None and exact_places <= places:
            return decimal_text(value, exact_places)
    return decimal_text(value, places)


def shown_texts(column: Values) -> list[str | None]:
    """``show`` of every present value (exact up to six decimals, else rounded)."""
    return _texts(column, "show")


def exact_texts(column: Values) -> list[str | None]:
    """``exact_text`` of every present value (a finite decimal, else ``p/q``)."""
    return _texts(column, "exact")


def shown_and_exact_texts(column: Values) -> tuple[list[str | None], list[str | None]]:
    """:func:`shown_texts` and :func:`exact_texts` of a column: one list, written once, when
    every present value has at most six decimals (both then write it exactly)."""
    shown = shown_texts(column)
    values, rows = column.values, np.flatnonzero(column.present)
    num, den = values.num[rows], values.den
    if num.dtype != object and den < _TEXT_SAFE:
        reduced = np.int64(den) // np.gcd(num, np.int64(den))
        places = [_places_of_denominator(d) for d in np.unique(reduced).tolist()]
        if all(p is not None and p <= 6 for p in places):
            return shown, shown
    return shown, exact_texts(column)


def rounded_texts(column: Values, places: int) -> list[str | None]:
    """Every present value rounded half to even to ``places`` decimals (``decimal_text``)."""
    return _texts(column, "round", places)


def half_up_texts(column: Values, places: int) -> list[str | None]:
    """Every present value rounded to ``places`` decimals, halves away from zero (the rule of
    the scores people read, ``common.formats.rounded``); a value that rounds to zero keeps
    its minus sign, as a negative Decimal does."""
    values, present = column.values, column.present
    out = np.full(len(present), None, dtype=object)
    rows = np.flatnonzero(present)
    if rows.size == 0:
        return out.tolist()
    num, den, unit = values.num[rows], values.den, 10**places
    if num.dtype == object or int(np.abs(num).max()) >= 2**62 // (2 * unit) or den >= 2**60:
        texts = []
        for x in num.tolist():
            w = (2 * abs(int(x)) * unit + den) // (2 * den)
            sign = "-" if x < 0 else ""
            texts.append(f"{sign}{w // unit}.{w % unit:0{places}d}" if places else f"{sign}{w}")
    else:
        # floor(|x| * 10**places + 1/2)
        whole = (2 * np.abs(num) * unit + den) // (2 * den)
        texts = _fixed(whole, np.full(rows.size, places, dtype=np.int64))
        for i in np.flatnonzero(num < 0).tolist():
            texts[i] = "-" + texts[i]
    out[rows] = texts
    return out.tolist()


def fraction_texts(column: Values) -> list[str | None]:
    """Every present value as its reduced fraction: ``p/q``, or ``p`` when it is whole."""
    values, present = column.values, column.present
    out: list[str | None] = [None] * len(present)
    rows = np.flatnonzero(present)
    if rows.size == 0:
        return out
    num, den = values.num[rows], values.den
    if num.dtype == object or den > np.iinfo(np.int64).max:
        texts = [str(Fraction(int(x), den)) for x in num.tolist()]
    else:
        g = np.gcd(num, np.int64(den))
        n, d = (num // g).tolist(), (np.int64(den) // g).tolist()
        texts = [str(a) if b == 1 else f"{a}/{b}" for a, b in zip(n, d, strict=True)]
    for r, t in zip(rows.tolist(), texts, strict=True):
        out[r] = t
    return out


# -- the final ranking as columns -----------------------------------------------------------

#: Final status names, indexed by :attr:`FinalColumns.status_code`.
FINAL_STATUSES = ("ranked", "disqualified", "awaiting")
_RANKED, _FINAL_DISQUALIFIED, _FINAL_AWAITING = range(3)


@dataclass(frozen=True)
class FinalColumns:
    """Every entry's place in the final ranking; row ``i`` is ``Results.final[i]``: the
    ranking's order (unit by unit, best first), then the entries it does not rank in the
    order of the inputs.

    ``rank`` uses 0 for "none" and ``reached`` -1; ``total`` is present where the entry is
    ranked, ``weighted_total`` where it is ranked and the competition has weighted stages.
    The text and award fields are lists (``None`` where there is nothing).
    """

    entry: Ints
    keys: list[str]
    categories: list[str]
    unit: list[str]
    status_code: Ints
    rank: Ints
    total: Values
    weighted_total: Values
    reached: Ints
    stage_keys: list[str]
    tier: list[str | None]
    award: list[str | None]
    trophy: Bools
    certificate: Bools
    prize: list[Decimal]
    grade: list[str | None]
    predicate: list[str | None]
    favourite: Bools
    votes: list[int | None]
    tie_break: list[str | None]
    special_awards: list[tuple[str, ...]]

    def __len__(self) -> int:
        return int(self.entry.shape[0])

    @property
    def status(self) -> list[str]:
        return [FINAL_STATUSES[c] for c in self.status_code.tolist()]

    @property
    def reached_keys(self) -> list[str | None]:
        keys = self.stage_keys
        return [keys[r] if r >= 0 else None for r in self.reached.tolist()]


def final_columns(ev: Evaluation) -> FinalColumns:
    """The final ranking of every entry, with its awards, as columns."""
    comp, inputs = ev.competition, ev.inputs
    entries = inputs.entries
    n = len(entries)
    disq = np.zeros(n, dtype=np.bool_)
    for st in ev.stages:
        disq |= st.disqualified
    ranking = ev.final_ranking
    order = ranking.order.astype(np.int64) if ranking is not None else np.zeros(0, dtype=np.int64)
    listed_ = np.zeros(n, dtype=np.bool_)
    listed_[order] = True
    rows = np.concatenate((order, np.flatnonzero(~listed_).astype(np.int64)))
    m = rows.shape[0]
    rank = _ints(ranking.rank if ranking is not None else None, n)[rows]
    ranked = rank > 0
    status = np.where(
        disq[rows], _FINAL_DISQUALIFIED, np.where(ranked, _RANKED, _FINAL_AWAITING)
    ).astype(np.int64)
    row_list = rows.tolist()
    texts = _entry_texts(ev)
    keys = texts.keys[rows].tolist()
    unit_names = ev.final_units
    decided = (
        {e: step.value for e, step in ranking.decided_by.items()} if ranking is not None else {}
    )
    votes = inputs.votes

    # awards: a few entries, each as the rules add them up
    awards = give_awards(ev, disq)
    tier: list[str | None] = [None] * m
    award: list[str | None] = [None] * m
    grade: list[str | None] = [None] * m
    predicate: list[str | None] = [None] * m
    special: list[tuple[str, ...]] = [()] * m
    prize = [Decimal(0)] * m
    trophy = np.zeros(m, dtype=np.bool_)
    certificate = np.zeros(m, dtype=np.bool_)
    favourite = np.zeros(m, dtype=np.bool_)
    position = np.empty(n, dtype=np.int64)
    position[rows] = np.arange(m, dtype=np.int64)
    touched = set(awards.tiers) | set(awards.bands) | awards.favourites | set(awards.special)
    zero = Decimal(0)
    fav_rule = comp.favourite
    for e in sorted(touched):
        i = int(position[e])
        t = awards.tiers.get(e)
        tier_spec = comp.tiers[t] if t is not None else None
        g, p = awards.bands.get(e, (None, None))
        grade_spec = comp.grades[g] if g is not None else None
        predicate_spec = comp.predicates[p] if p is not None else None
        amount = (tier_spec.prize if tier_spec else zero) + (
            grade_spec.prize if grade_spec else zero
        )
        fav = e in awards.favourites
        if fav and fav_rule is not None:
            amount += fav_rule.prize
        specials = [comp.special_awards[s] for s in awards.special.get(e, ())]
        for spec in specials:
            amount += spec.prize
        prize[i] = amount
        if tier_spec is not None:
            tier[i] = tier_spec.key
            award[i] = tier_spec.award_for(int(rank[i]))
        grade[i] = grade_spec.name if grade_spec else None
        predicate[i] = predicate_spec.name if predicate_spec else None
        special[i] = tuple(spec.name for spec in specials)
        favourite[i] = fav
        trophy[i] = bool(tier_spec and tier_spec.trophy) or any(s.trophy for s in specials)
        certificate[i] = bool(
            (tier_spec and tier_spec.certificate)
            or (grade_spec and grade_spec.certificate)
            or (fav and fav_rule is not None and fav_rule.certificate)
            or any(s.certificate for s in specials)
        )

    return FinalColumns(
        entry=rows,
        keys=keys,
        categories=texts.categories[rows].tolist(),
        unit=[unit_names[u] for u in ev.final_unit_of[rows].tolist()],
        status_code=status,
        rank=rank,
        total=Values(ev.final_selection.take(rows), ranked),
        weighted_total=Values(ev.running.take(rows), ranked & bool(comp.weighted)),
        reached=ev.reached[rows].astype(np.int64),
        stage_keys=[stage.key for stage in comp.stages],
        tier=tier,
        award=award,
        trophy=trophy,
        certificate=certificate,
        prize=prize,
        grade=grade,
        predicate=predicate,
        favourite=favourite,
        votes=[votes.get(k) for k in keys] if votes else [None] * m,
        tie_break=[decided.get(e) for e in row_list] if decided else [None] * m,
        special_awards=special,
    )
