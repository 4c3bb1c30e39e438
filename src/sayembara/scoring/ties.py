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
from .exact import Exact
from .inputs import ScoreTable
from .sheets import Sheets
from .spec import Competition, StageKind, TieBreak

Key = Any


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
        idx = [i for i in range(upto + 1) if stages[i].kind is StageKind.WEIGHTED
               and i in self.stage_scores]
        return sorted(idx, key=lambda i: (-stages[i].weight, i))

    def detail_stage(self, upto: int) -> int:
        taken = [i for i in self.weighted_taken(upto) if i in self.sheets]
        return taken[0] if taken else upto


def _lot_key(seed: int, label: str, entry: str) -> int:
    digest = hashlib.sha256(f"{seed}:{label}:{entry}".encode()).hexdigest()
    return int(digest, 16)


def _keys(step: TieBreak, group: list[int], ctx: TieContext) -> dict[int, Key] | None:
    """Comparable keys (larger is better) for ``step``, or None when it does not apply."""
    upto = ctx.stage_of(group)
    if step is TieBreak.HEAVIEST_STAGE:
        taken = ctx.weighted_taken(upto)
        if not taken:
            return None
        return {e: tuple(ctx.stage_scores[s].fraction(e) for s in taken) for e in group}
    if step is TieBreak.LOT:
        return {e: -_lot_key(ctx.seed, ctx.label, ctx.entry_keys[e]) for e in group}
    if step is TieBreak.RECORDED_DECISION:
        if not any(ctx.entry_keys[e] in ctx.orders for e in group):
            return None
        return {e: (1, -ctx.orders[ctx.entry_keys[e]]) if ctx.entry_keys[e] in ctx.orders
                else (0, 0) for e in group}
    detail = ctx.detail_stage(upto)
    sheets = ctx.sheets.get(detail)
    if sheets is None or len(sheets) == 0:
        return None
    if step is TieBreak.HEAVIEST_CRITERION:
        rubrics = {int(sheets.rubric_of_entry[e]) for e in group}
        if len(rubrics) != 1:
            return None
        rubric = sheets.rubrics[rubrics.pop()]
        order = sorted(range(len(rubric.criteria)),
                       key=lambda c: (-rubric.criteria[c].weight, c))
        out: dict[int, Key] = {}
        for e in group:
            means = sheets.criterion_means(e, ctx.table.value, ctx.table.criterion)
            out[e] = tuple((0, Fraction(0)) if means[c] is None else (1, means[c])
                           for c in order)
        return out
    if step is TieBreak.UNTRIMMED_MEAN:
        agg = ctx.aggregates[detail]
        return {e: agg.mean.fraction(e) for e in group}
    if step is TieBreak.MEDIAN:
        med: dict[int, Key] = {}
        for e in group:
            values = list(sheets.totals_of(e).values())
            med[e] = median_of(values) if values else Fraction(-1)
        return med
    if step is TieBreak.HEAD_TO_HEAD:
        totals = {e: sheets.totals_of(e) for e in group}
        wins = dict.fromkeys(group, 0)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                common = set(totals[a]) & set(totals[b])
                a_over = sum(1 for j in common if totals[a][j] > totals[b][j])
                b_over = sum(1 for j in common if totals[b][j] > totals[a][j])
                if a_over > b_over:
                    wins[a] += 1
                elif b_over > a_over:
                    wins[b] += 1
        return dict(wins)
    raise AssertionError(step)  # pragma: no cover


def resolve(group: list[int], ctx: TieContext) -> list[tuple[list[int], TieBreak | None]]:
    """Order a group of exactly tied entries by the chain.

    Returns sub-groups best first; each carries the step that finally separated it (None
    for a sub-group still tied when the chain ends).
    """
    return _split(sorted(group), list(ctx.competition.tie_breaks), ctx)


def _split(group: list[int], steps: list[TieBreak], ctx: TieContext) -> (
    list[tuple[list[int], TieBreak | None]]
):
    if len(group) == 1:
        return [(group, None)]
    for n, step in enumerate(steps):
        keys = _keys(step, group, ctx)
        if keys is None:
            continue
        distinct = sorted(set(keys.values()), reverse=True)
        if len(distinct) == 1:
            continue
        out: list[tuple[list[int], TieBreak | None]] = []
        for value in distinct:
            bucket = [e for e in group if keys[e] == value]
            if len(bucket) == 1:
                out.append((bucket, step))
            else:
                out.extend(_split(bucket, steps[n + 1:], ctx))
        return out
    return [(group, None)]


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
    else:
        order = np.array(sorted(idx.tolist(), key=lambda e: (int(pool[e]), -int(sec[e]),
                                                             -int(num[e]))), dtype=np.int64)
    n = order.shape[0]
    p_sorted = pool[order]
    if n:
        v = num[order]
        s = sec[order]
        same = np.zeros(n, dtype=np.bool_)
        same[1:] = (p_sorted[1:] == p_sorted[:-1]) & (s[1:] == s[:-1]) & (v[1:] == v[:-1])
    else:
        same = np.zeros(0, dtype=np.bool_)
    level = np.cumsum(~same) - 1 if n else np.zeros(0, dtype=np.int64)
    block = level.copy()
    decided: dict[int, TieBreak] = {}
    open_ties: list[list[int]] = []
    if n and same.any():
        if ctx is None:
            raise AssertionError("ties need a context")  # pragma: no cover
        starts = np.flatnonzero(~same)
        stops = np.concatenate((starts[1:], [n]))
        next_block = int(block.max()) + 1
        for a, b in zip(starts, stops, strict=True):
            if b - a < 2:
                continue
            parts = resolve(order[a:b].tolist(), ctx)
            pos = int(a)
            for part, step in parts:
                for e in part:
                    order[pos] = e
                    block[pos] = next_block
                    if step is not None:
                        decided[e] = step
                    pos += 1
                if len(part) > 1:
                    open_ties.append(part)
                next_block += 1
    ranks = np.zeros(pool.shape[0], dtype=np.int64)
    if n:
        new_pool = np.ones(n, dtype=np.bool_)
        new_pool[1:] = p_sorted[1:] != p_sorted[:-1]
        pool_start = np.maximum.accumulate(np.where(new_pool, np.arange(n), 0))
        new_block = np.ones(n, dtype=np.bool_)
        new_block[1:] = block[1:] != block[:-1]
        block_start = np.maximum.accumulate(np.where(new_block, np.arange(n), 0))
        ranks[order] = block_start - pool_start + 1
    return Ranking(order=order, pool=p_sorted, rank=ranks, block=block, level=level,
                   decided_by=decided, open_ties=open_ties)


def codes(values: Sequence[str]) -> tuple[npt.NDArray[np.int64], list[str]]:
    """Integer codes for string labels (codes follow first appearance order sorted)."""
    names = sorted(set(values))
    lookup = {name: i for i, name in enumerate(names)}
    return np.array([lookup[v] for v in values], dtype=np.int64), names

