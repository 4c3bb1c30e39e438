"""Rank uncertainty by a bootstrap over judges.

The rule
--------

Each replicate redraws, for every entry, as many sheets as it has counted sheets, with
replacement, from that entry's own counted sheets (a different set of judges of the same
size), recomputes the stage score with the stage's method and the score the stage ranks by
(the running total at a weighted stage; scores of earlier stages stay as they are), and
ranks every entry again. Over ``B`` replicates:

* the **rank interval** (90 % by default) runs from the ``ceil(0.05 B)``-th to the
  ``ceil(0.95 B)``-th smallest replicate rank of the entry within its category;
* **P(top N)** is the share of replicates in which the entry is inside the stage's cut: at
  or above the passing grade and ranked within the seats of its pool among the entries
  that pass (ties in a replicate count as inside);
* an entry is **close to the cut** when ``0.2 < P(top N) < 0.8``: the panel should look at it.

The random numbers come from numpy's PCG64 seeded with ``(seed, stage index)`` and are drawn
for the entries in the order of their keys and, within an entry, for its sheets in the order
of the judges' keys, so the same seed always gives the same figures whatever the order of the
input rows. Replicates are drawn in batches of :data:`CHUNK`; for each batch the random
integers are drawn for all its replicates at once, block by block of entries with the same
number of sheets. Calibration offsets, when the calibrated score is
official, are held fixed within the bootstrap.
"""

from __future__ import annotations

import math
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .aggregate import Block, aggregate_matrix, blocks
from .spec import Aggregation

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

#: Replicates drawn together (part of the drawing order, so part of the published rule).
CHUNK = 20
#: Threads that compute batches at once (at most; fewer on fewer processors).
MAX_WORKERS = 4
#: ``P(top N)`` strictly between these bounds marks an entry as close to the cut.
CLOSE_LOW = 0.2
CLOSE_HIGH = 0.8


@dataclass(frozen=True)
class Uncertainty:
    """Per entry: rank interval bounds (0 where not ranked) and P(top N) (NaN: no cut)."""

    rank_low: Ints
    rank_high: Ints
    p_top: Floats
    replicates: int


def bootstrap(
    *,
    counted_entry: Ints,
    values: Floats,
    entry_order: Ints,
    sheet_order: Ints,
    rule: Aggregation,
    n_entries: int,
    ranked: npt.NDArray[np.bool_],
    selection: Callable[[Floats], Floats],
    units: Ints,
    pools: Ints,
    seats: Sequence[int | None],
    competing: npt.NDArray[np.bool_],
    grade: float | None,
    replicates: int,
    seed: int,
    stream: int,
    confidence: float,
    workers: int | None = None,
) -> Uncertainty:
    """Bootstrap one stage. ``counted_entry`` and ``values`` describe the counted sheets of
    the ranked entries; ``entry_order`` is each entry's position in key order and
    ``sheet_order`` each sheet's position among its entry's sheets in judge-key order (the
    canonical drawing order). ``units`` gives each entry's ranking unit (category) and
    ``pools`` its cut pool (-1: none) with ``seats``."""
    rank_low = np.zeros(n_entries, dtype=np.int64)
    rank_high = np.zeros(n_entries, dtype=np.int64)
    p_top = np.full(n_entries, np.nan)
    part = np.flatnonzero(ranked)
    if replicates <= 0 or part.size == 0:
        return Uncertainty(rank_low, rank_high, p_top, 0)
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, stream])))
    # draw in the canonical order: entries by key, each entry's sheets by judge key
    order = np.lexsort((sheet_order, entry_order[counted_entry]))
    canonical = entry_order[counted_entry][order]
    values = values[order]
    by_position = np.zeros(n_entries, dtype=np.int64)
    by_position[entry_order] = np.arange(n_entries, dtype=np.int64)
    blks = [Block(b.n, by_position[b.entries], b.index) for b in blocks(canonical, n_entries)]
    col = np.full(n_entries, -1, dtype=np.int64)
    col[part] = np.arange(part.size)
    unit_members = [part[units[part] == u] for u in np.unique(units[part])]
    biggest = max(m.size for m in unit_members)
    dtype = np.uint16 if biggest < 65535 else np.int32
    ranks = np.zeros((replicates, part.size), dtype=dtype)
    # each pool with its seats and, when its entries are exactly one ranking unit's, that
    # unit (whose ranks then tell who is inside the cut), else -1
    unit_of_members = {m.tobytes(): u for u, m in enumerate(unit_members)}
    pool_members: list[tuple[Ints, int, int]] = []
    for p, s in enumerate(seats):
        if s is None:
            continue
        members = np.flatnonzero(competing & ranked & (pools == p))
        if members.size:
            pool_members.append((members, s, unit_of_members.get(members.tobytes(), -1)))
    starts = [blk.index[:, :1].astype(np.int32) for blk in blks]

    def draw(first: int) -> list[npt.NDArray[np.int32]]:
        # the random numbers of one batch, in the canonical order (called in batch order);
        # 32-bit integers give the same draws as 64-bit ones in half the memory
        size = min(CHUNK, replicates - first)
        return [
            rng.integers(0, blk.n, size=(size, *blk.index.shape), dtype=np.int32) for blk in blks
        ]

    def replicate(first: int, draws: list[npt.NDArray[np.int32]]) -> Ints:
        # one batch's ranks (written into its own rows of ``ranks``) and its cut hits
        size = draws[0].shape[0] if draws else 0
        stage = np.full((size, n_entries), np.nan)
        for blk, start, rows in zip(blks, starts, draws, strict=True):
            # an entry's counted sheets are consecutive: its first one plus 0..n-1
            rows += start
            stage[:, blk.entries] = aggregate_matrix(values[rows], rule)
        sel = selection(stage)
        unit_ranks = []
        for members in unit_members:
            unit_ranks.append(competition_ranks(sel[:, members]))
            ranks[first : first + size, col[members]] = unit_ranks[-1]
        batch_hits = np.zeros(n_entries, dtype=np.int64)
        for members, s, unit in pool_members:
            v = sel[:, members]
            if unit >= 0:
                # inside the cut: within the seats among the pool (ties with the last seat
                # count inside) and at or above the passing grade, as inside_cut decides
                inside = unit_ranks[unit] <= s
                inside &= np.isfinite(v) if grade is None else v >= grade
            else:
                if grade is not None:
                    v = np.where(v >= grade, v, -np.inf)
                inside = inside_cut(v, s)
            batch_hits[members] += inside.sum(axis=0)
        return batch_hits

    hits = np.zeros(n_entries, dtype=np.int64)
    for batch_hits in _pipeline(range(0, replicates, CHUNK), draw, replicate, workers):
        hits += batch_hits
    alpha = (1.0 - confidence) / 2.0
    k_lo = max(math.ceil(alpha * replicates) - 1, 0)
    k_hi = min(math.ceil((1.0 - alpha) * replicates) - 1, replicates - 1)
    part_ranks = np.partition(ranks, [k_lo, k_hi], axis=0)
    rank_low[part] = part_ranks[k_lo]
    rank_high[part] = part_ranks[k_hi]
    for members, _, _ in pool_members:
        p_top[members] = hits[members] / replicates
    return Uncertainty(rank_low, rank_high, p_top, replicates)


def _pipeline(
    firsts: range,
    draw: Callable[[int], list[npt.NDArray[np.int32]]],
    replicate: Callable[[int, list[npt.NDArray[np.int32]]], Ints],
    workers: int | None,
) -> Iterator[Ints]:
    """Each batch's result. The draws are made here, one batch after another in order (so
    the figures never depend on the number of processors); the arithmetic of the batches,
    which numpy runs without holding Python's lock, is spread over worker threads, a few
    batches ahead of the one being collected."""
    workers = workers or min(
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1,
        MAX_WORKERS,
    )
    if workers <= 1 or len(firsts) <= 1:
        for first in firsts:
            yield replicate(first, draw(first))
        return
    with ThreadPoolExecutor(max_workers=workers) as pool:
        pending: deque[Future[Ints]] = deque()
        for first in firsts:
            pending.append(pool.submit(replicate, first, draw(first)))
            if len(pending) > workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def competition_ranks(values: Floats) -> Ints:
    """Ranks within each row, best (largest) first; equal values share the best rank."""
    rows, cols = values.shape
    # positions in the flattened array, each row's best first
    order = np.argsort(-values, axis=1) + (np.arange(rows, dtype=np.int64) * cols)[:, None]
    ordered = values.ravel()[order]
    new = np.empty(ordered.shape, dtype=np.bool_)
    new[:, :1] = True
    np.not_equal(ordered[:, 1:], ordered[:, :-1], out=new[:, 1:])
    first = np.where(new, np.arange(1, cols + 1, dtype=np.int64), 0)
    np.maximum.accumulate(first, axis=1, out=first)
    ranks = np.empty(rows * cols, dtype=np.int64)
    ranks[order] = first
    return ranks.reshape(rows, cols)


def inside_cut(values: Floats, seats: int) -> npt.NDArray[np.bool_]:
    """Per row: the entries ranked within ``seats`` (ties with the last seat count as
    inside), i.e. at least the ``seats``-th largest value; -inf is never inside."""
    cols = values.shape[1]
    if seats <= 0:
        return np.zeros(values.shape, dtype=np.bool_)
    if seats >= cols:
        return np.isfinite(values)
    kth = np.partition(values, cols - seats, axis=1)[:, cols - seats]
    return (values >= kth[:, None]) & np.isfinite(values)


def close_to_cut(p: float) -> bool:
    return not math.isnan(p) and CLOSE_LOW < p < CLOSE_HIGH
