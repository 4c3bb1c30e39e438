"""Ranking with a declared tie-break chain.

Entries are ordered by an exact score (best first). Entries whose scores are *exactly*
equal form a tie, which the competition's chain settles step by step; each step splits the
tied entries into better and worse sub-groups and the next step only looks at entries still
tied. The steps:

``heaviest_stage``
    Compare the stage scores of the weighted stages taken so far, heaviest weight first
    (equal weights in stage order). Not applicable before any weighted stage.
``heaviest_criterion``
    In the *detail stage* (the heaviest weighted stage taken so far, or the stage being
    ranked when none is weighted) compare the mean score of each criterion over the counted
    sheets, criteria by descending weight (equal weights in rubric order). Not applicable to
    entries judged on different rubrics.
``head_to_head``
    In the detail stage, entry A beats B when more of the judges who scored both gave A the
    higher sheet total. Among several tied entries the one with more such wins comes first.
``untrimmed_mean``
    The plain mean of the counted sheet totals in the detail stage.
``median``
    The median of the counted sheet totals in the detail stage.
``recorded_decision``
    A recorded decision (``tiebreak`` with an ``order``, 1 first) for the ranking's stage
    (or ``final``). Entries with an order come first in that order; without any decision
    for the tied entries the tie stays open and is reported as needing a decision.
``lot``
    A lot drawn from the published seed: entries are ordered by the SHA-256 digest of
    ``"<seed>:<ranking>:<entry key>"`` (smallest first), which anyone can recompute.

Entries still tied when the chain ends share a rank (1, 2, 2, 4).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from .aggregate import Aggregate, median_of
from .exact import SAFE, Exact, lcm, magnitude
from .inputs import ScoreTable
from .sheets import Sheets
from .spec import Competition, StageKind, TieBreak

Ints = npt.NDArray[np.int64]


@dataclass
class TieContext:
    """What the chain may look at when ranking one stage (or the final ranking)."""

    competition: Competition
    entry_keys: Sequence[str]
    label: str
    seed: int
    table: ScoreTable
    stage_scores: dict[int, Exact]
    sheets: dict[int, Sheets]
    aggregates: dict[int, Aggregate]
    ranking_stage: int
    orders: dict[str, int] = field(default_factory=dict)
    #: For the final ranking: the last stage each entry took (tied entries share it).
    reached: npt.NDArray[np.int64] | None = None

    def stage_of(self, group: list[int]) -> int:
        if self.reached is not None:
            return int(self.reached[group[0]])
        return self.ranking_stage

    def weighted_taken(self, upto: int) -> list[int]:
        stages = self.competition.stages
        idx = [
            i
            for i in range(upto + 1)
            if stages[i].kind is StageKind.WEIGHTED and i in self.stage_scores
        ]
        return sorted(idx, key=lambda i: (-stages[i].weight, i))

    def detail_stage(self, upto: int) -> int:
        taken = [i for i in self.weighted_taken(upto) if i in self.sheets]
        return taken[0] if taken else upto


def _lot_digest(seed: int, label: str, entry: str) -> str:
    return hashlib.sha256(f"{seed}:{label}:{entry}".encode()).hexdigest()


def _dense(values: Sequence[Any]) -> Ints:
    """Dense integer ranks (0 = smallest) of mutually comparable values."""
    distinct = sorted(set(values))
    lookup = {v: i for i, v in enumerate(distinct)}
    return np.array([lookup[v] for v in values], dtype=np.int64)


def _as_key(values: npt.NDArray[Any]) -> Ints:
    """An int64 key array (dense ranks when the values are Python integers)."""
    if values.dtype == object:
        return _dense([int(v) for v in values])
    return values.astype(np.int64)


def _step_keys(step: TieBreak, ents: Ints, runs: Ints, ctx: TieContext) -> list[Ints]:
    """Keys (larger is better, indexed by entry) that ``step`` compares for the tied
    entries ``ents`` (grouped in runs); an empty list when the step applies to none."""
    n = len(ctx.entry_keys)
    refs = (
        ctx.reached[ents]
        if ctx.reached is not None
        else np.full(ents.shape[0], ctx.ranking_stage, dtype=np.int64)
    )
    if step is TieBreak.LOT:
        key = np.zeros(n, dtype=np.int64)
        digests = [_lot_digest(ctx.seed, ctx.label, ctx.entry_keys[int(e)]) for e in ents]
        key[ents] = -_dense(digests)
        return [key]
    if step is TieBreak.RECORDED_DECISION:
        if not ctx.orders:
            return []
        key = np.zeros(n, dtype=np.int64)
        found = False
        for e in ents.tolist():
            order = ctx.orders.get(ctx.entry_keys[e])
            if order is not None:
                key[e] = 1_000_000_000 - order
                found = True
        return [key] if found else []
    out: list[Ints] = []
    for ref in np.unique(refs).tolist():
        sub = ents[refs == ref]
        sub_runs = runs[refs == ref]
        keys = _keys_for_stage(step, sub, sub_runs, int(ref), ctx)
        while len(out) < len(keys):
            out.append(np.zeros(n, dtype=np.int64))
        for k, key in enumerate(keys):
            out[k][sub] = key
    return out


def _keys_for_stage(
    step: TieBreak, sub: Ints, runs: Ints, upto: int, ctx: TieContext
) -> list[Ints]:
    """Keys for tied entries that share their reference stage ``upto``."""
    if step is TieBreak.HEAVIEST_STAGE:
        return [_as_key(ctx.stage_scores[s].num[sub]) for s in ctx.weighted_taken(upto)]
    detail = ctx.detail_stage(upto)
    sheets = ctx.sheets.get(detail)
    if sheets is None or len(sheets) == 0:
        return []
    if step is TieBreak.UNTRIMMED_MEAN:
        return [_as_key(ctx.aggregates[detail].mean.num[sub])]
    if step is TieBreak.MEDIAN:
        meds = []
        for e in sub.tolist():
            values = list(sheets.totals_of(e).values())
            meds.append(median_of(values) if values else Fraction(-1))
        return [_dense(meds)]
    if step is TieBreak.HEAD_TO_HEAD:
        wins = np.zeros(sub.shape[0], dtype=np.int64)
        for run in np.unique(runs).tolist():
            members = np.flatnonzero(runs == run).tolist()
            totals = {i: sheets.totals_of(int(sub[i])) for i in members}
            for x, a in enumerate(members):
                for b in members[x + 1 :]:
                    common = set(totals[a]) & set(totals[b])
                    a_over = sum(1 for j in common if totals[a][j] > totals[b][j])
                    b_over = sum(1 for j in common if totals[b][j] > totals[a][j])
                    if a_over > b_over:
                        wins[a] += 1
                    elif b_over > a_over:
                        wins[b] += 1
        return [wins]
    if step is TieBreak.HEAVIEST_CRITERION:
        sums, counts = sheets.criterion_sums(ctx.table, sub)
        rub = sheets.rubric_of_entry[sub]
        # a run judged on different rubrics cannot be compared criterion by criterion
        pair = np.unique(np.stack((runs, rub)), axis=1)
        mixed_runs = np.unique(pair[0][np.r_[False, pair[0][1:] == pair[0][:-1]]])
        mixed = np.isin(runs, mixed_runs)
        width = sheets.width
        keys = [np.zeros(sub.shape[0], dtype=np.int64) for _ in range(width)]
        for ri in np.unique(rub[~mixed]).tolist():
            rubric = sheets.rubrics[ri]
            order = sorted(
                range(len(rubric.criteria)), key=lambda c: (-rubric.criteria[c].weight, c)
            )
            rows = np.flatnonzero((rub == ri) & ~mixed)
            for p, c in enumerate(order):
                keys[p][rows] = _mean_key(sums[rows, c], counts[rows, c])
        return keys
    raise AssertionError(step)  # pragma: no cover


def _mean_key(sums: npt.NDArray[Any], counts: Ints) -> Ints:
    """Integer keys ordering the exact means ``sums / counts`` (-1 below every mean for a
    criterion nobody scored)."""
    have = counts > 0
    divisors = [int(d) for d in np.unique(counts[have])] or [1]
    big = lcm(divisors)
    factor = big // np.where(have, counts, 1)
    if sums.dtype != object and (magnitude(sums) + 1) * big < SAFE:
        scaled = sums.astype(np.int64) * factor
        floor = int(scaled[have].min()) - 1 if have.any() else 0
        return np.where(have, scaled, floor).astype(np.int64)
    means = [Fraction(int(s), int(c)) if c else None for s, c in zip(sums, counts, strict=True)]
    low = min((m for m in means if m is not None), default=Fraction(0)) - 1
    return _dense([low if m is None else m for m in means])


@dataclass
class Ranking:
    """Entries of every pool, best first, after the chain.

    ``order``: entry indexes grouped by pool (pools in increasing id), best first.
    ``pool``: pool id of each position. ``rank[e]``: 1-based rank of entry ``e`` within its
    pool (0 when not ranked). ``block[p]``: positions with the same block id are still tied
    after the chain; ``level[p]``: positions with the same level id have exactly equal scores.
    ``decided_by[e]``: the tie-break step that placed the entry among equal scores.
    """

    order: npt.NDArray[np.int64]
    pool: npt.NDArray[np.int64]
    rank: npt.NDArray[np.int64]
    block: npt.NDArray[np.int64]
    level: npt.NDArray[np.int64]
    decided_by: dict[int, TieBreak] = field(default_factory=dict)
    open_ties: list[list[int]] = field(default_factory=list)

    def pool_slices(self) -> list[tuple[int, int, int]]:
        """(pool id, start, stop) for every pool present, in order."""
        if self.pool.size == 0:
            return []
        cut = np.flatnonzero(self.pool[1:] != self.pool[:-1]) + 1
        starts = np.concatenate(([0], cut))
        stops = np.concatenate((cut, [self.pool.size]))
        return [(int(self.pool[a]), int(a), int(b)) for a, b in zip(starts, stops, strict=True)]


def _runs(ids: Ints) -> tuple[Ints, Ints]:
    """Sizes of the runs of equal consecutive ids, broadcast to every position."""
    if ids.size == 0:
        return ids, ids
    new = np.ones(ids.shape[0], dtype=np.bool_)
    new[1:] = ids[1:] != ids[:-1]
    starts = np.flatnonzero(new)
    sizes = np.diff(np.append(starts, ids.shape[0]))
    return np.repeat(sizes, sizes), starts


def rank(
    pool: npt.NDArray[np.int64],
    score: Exact,
    eligible: npt.NDArray[np.bool_],
    ctx: TieContext | None,
    *,
    secondary: npt.NDArray[np.int64] | None = None,
) -> Ranking:
    """Rank the ``eligible`` entries within their pools by ``score`` (best first) and the
    chain. ``secondary`` (optional, larger is better) is compared *before* the score; it is
    used for the final ranking, where going further outranks any score."""
    idx = np.flatnonzero(eligible).astype(np.int64)
    num = score.num
    sec = secondary if secondary is not None else np.zeros(pool.shape[0], dtype=np.int64)
    if num.dtype != object:
        order = idx[np.lexsort((-num[idx], -sec[idx], pool[idx]))]
        v = num[order]
    else:
        dense = _dense([int(x) for x in num[idx]])
        order = idx[np.lexsort((-dense, -sec[idx], pool[idx]))]
        full = np.zeros(pool.shape[0], dtype=np.int64)
        full[idx] = dense
        v = full[order]
    n = order.shape[0]
    p_sorted = pool[order]
    same = np.zeros(n, dtype=np.bool_)
    if n:
        s = sec[order]
        same[1:] = (p_sorted[1:] == p_sorted[:-1]) & (s[1:] == s[:-1]) & (v[1:] == v[:-1])
    level = (np.cumsum(~same) - 1).astype(np.int64)
    block = level.copy()
    decided: dict[int, TieBreak] = {}
    open_ties: list[list[int]] = []
    if n and same.any():
        if ctx is None:
            raise AssertionError("ties need a context")  # pragma: no cover
        sizes, _ = _runs(level)
        tied = np.flatnonzero(sizes > 1)
        runs = level[tied]
        next_id = int(level.max()) + 1
        for step in ctx.competition.tie_breaks:
            if tied.size == 0:
                break
            keys = _step_keys(step, order[tied], runs, ctx)
            split = False
            for key in keys:
                ents = order[tied]
                k = key[ents]
                perm = np.lexsort((-k, runs))
                order[tied] = ents[perm]
                k = k[perm]
                change = np.zeros(tied.shape[0], dtype=np.bool_)
                change[1:] = (runs[1:] != runs[:-1]) | (k[1:] != k[:-1])
                new_runs = (np.cumsum(change) + next_id).astype(np.int64)
                if np.unique(new_runs).shape[0] != np.unique(runs).shape[0]:
                    split = True
                runs = new_runs
                next_id = int(runs.max()) + 1
            if not split:
                continue
            block[tied] = runs
            sizes, _ = _runs(runs)
            single = sizes == 1
            for e in order[tied[single]].tolist():
                decided[e] = step
            tied, runs = tied[~single], runs[~single]
        if tied.size:
            block[tied] = runs
            _, starts = _runs(runs)
            stops = np.append(starts[1:], tied.shape[0])
            for a, b in zip(starts.tolist(), stops.tolist(), strict=True):
                open_ties.append(order[tied[a:b]].tolist())
    ranks = np.zeros(pool.shape[0], dtype=np.int64)
    if n:
        new_pool = np.ones(n, dtype=np.bool_)
        new_pool[1:] = p_sorted[1:] != p_sorted[:-1]
        pool_start = np.maximum.accumulate(np.where(new_pool, np.arange(n), 0))
        new_block = np.ones(n, dtype=np.bool_)
        new_block[1:] = block[1:] != block[:-1]
        block_start = np.maximum.accumulate(np.where(new_block, np.arange(n), 0))
        ranks[order] = block_start - pool_start + 1
    return Ranking(
        order=order,
        pool=p_sorted,
        rank=ranks,
        block=block,
        level=level,
        decided_by=decided,
        open_ties=open_ties,
    )


def codes(values: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Integer codes for string labels (in sorted order of the labels)."""
    names = sorted(set(values))
    lookup = {name: i for i, name in enumerate(names)}
    return np.array([lookup[v] for v in values], dtype=np.int64), names
