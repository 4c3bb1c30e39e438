"""Materialising results: one record per entry and stage, and the final records.

The engine computes column-wise over all entries (:mod:`.state`); this module turns those
columns into the :mod:`.results` records every reader sees.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from . import ENGINE_VERSION
from .awards import give_awards
from .columns import StageColumns, Values, stage_columns
from .exact import Exact
from .inputs import Entry
from .results import EntryStage, FinalEntry, PoolResult, Results, StageResult
from .state import Evaluation, StageState


class Column:
    """Fast per-entry access to an exact column (Python ints, one denominator)."""

    def __init__(self, column: Exact | None) -> None:
        self.nums: list[int] | None = None if column is None else column.num.tolist()
        self.den = 1 if column is None else column.den

    def __call__(self, e: int) -> Fraction | None:
        return None if self.nums is None else Fraction(self.nums[e], self.den)


def listed(arr: npt.NDArray[Any] | None, n: int, fill: Any) -> list[Any]:
    return [fill] * n if arr is None else arr.tolist()


def fractions(column: Values) -> list[Fraction | None]:
    """The values of an exact column, None where absent."""
    den = column.values.den
    return [
        Fraction(int(x), den) if present else None
        for x, present in zip(column.values.num.tolist(), column.present.tolist(), strict=True)
    ]


def entry_records(columns: StageColumns) -> tuple[EntryStage, ...]:
    """One record per row of a stage's columns."""
    score, raw, calibrated = (
        fractions(columns.score),
        fractions(columns.raw),
        fractions(columns.calibrated),
    )
    selection, lowered, spread = (
        fractions(columns.selection),
        fractions(columns.lowered_by),
        fractions(columns.spread),
    )
    sd, p_top = columns.sd.tolist(), columns.p_top_n.tolist()
    low, high = columns.rank_low.tolist(), columns.rank_high.tolist()
    rank, pool_rank = columns.rank.tolist(), columns.pool_rank.tolist()
    judges, sheets = columns.judges.tolist(), columns.sheets.tolist()
    disagreement, extra = columns.disagreement.tolist(), columns.needs_extra_judge.tolist()
    trimmed, close, advanced = (
        columns.trimmed.tolist(),
        columns.close_to_cut.tolist(),
        columns.advanced.tolist(),
    )
    status = columns.status
    return tuple(
        EntryStage(
            entry=columns.keys[i],
            category=columns.categories[i],
            status=status[i],
            score=score[i],
            raw=raw[i],
            calibrated=calibrated[i],
            selection=selection[i],
            lowered_by=lowered[i],
            judges=judges[i],
            sheets=sheets[i],
            spread=spread[i],
            sd=None if math.isnan(sd[i]) else sd[i],
            disagreement=disagreement[i],
            needs_extra_judge=extra[i],
            trimmed=trimmed[i],
            rank=rank[i] or None,
            pool=columns.pool[i],
            pool_rank=pool_rank[i] or None,
            rank_interval=(low[i], high[i]) if low[i] > 0 else None,
            p_top_n=None if math.isnan(p_top[i]) else p_top[i],
            close_to_cut=close[i],
            advanced=advanced[i],
            reason=columns.reason[i],
            tie_break=columns.tie_break[i],
        )
        for i in range(len(columns))
    )


def stage_result(
    st: StageState, entries: Sequence[Entry], items: tuple[EntryStage, ...]
) -> StageResult:
    """A stage's result with the given per-entry records (empty when they are written
    from the columns instead)."""
    return StageResult(
        key=st.stage.key,
        kind=st.stage.kind.value,
        weight=st.stage.weight,
        can_only_lower=st.stage.can_only_lower,
        status=st.status,
        entries=items,
        pools=tuple(
            PoolResult(p.name, p.seats, p.competing, p.advanced)
            for p in (st.advance.pools if st.advance is not None else [])
        ),
        calibration=st.calibration,
        reliability=tuple(st.reliability),
        open_ties=tuple(tuple(entries[e].key for e in g) for g in st.open_ties),
        bootstrap=st.uncertainty.replicates if st.uncertainty is not None else 0,
    )


def materialise(ev: Evaluation, *, entries: bool = True) -> Results:
    """The results as records; with ``entries=False`` the stages carry no per-entry records
    (for writers that read :func:`~.columns.stage_columns` instead)."""
    comp, listed_entries = ev.competition, ev.inputs.entries
    stages_out = [
        stage_result(st, listed_entries, entry_records(stage_columns(ev, st)) if entries else ())
        for st in ev.stages
    ]
    final = final_entries(ev)
    return Results(
        engine_version=ENGINE_VERSION,
        competition=comp.key,
        seed=ev.options.seed,
        complete=ev.complete,
        stages=tuple(stages_out),
        final=tuple(final),
        favourite=comp.favourite.name if comp.favourite is not None else None,
        final_open_ties=tuple(tuple(listed_entries[e].key for e in g) for g in ev.final_open),
        special_open_ties=tuple(ev.special_open),
    )


def final_entries(ev: Evaluation) -> list[FinalEntry]:
    comp, inputs = ev.competition, ev.inputs
    entries = inputs.entries
    n = len(entries)
    disq = np.zeros(n, dtype=np.bool_)
    for st in ev.stages:
        disq |= st.disqualified
    ranking = ev.final_ranking
    awards = give_awards(ev, disq)
    tiers, bands, favourites = awards.tiers, awards.bands, awards.favourites
    special_of = awards.special
    has_weighted = bool(comp.weighted)
    out: list[FinalEntry] = []
    order = ranking.order.tolist() if ranking is not None else []
    in_order = set(order)
    rest = [e for e in range(n) if e not in in_order]
    rank_l = listed(ranking.rank if ranking is not None else None, n, 0)
    disq_l, reached_l = disq.tolist(), ev.reached.tolist()
    unit_l = ev.final_unit_of.tolist()
    total_col, running_col = Column(ev.final_selection), Column(ev.running)
    decided = (
        {e: step.value for e, step in ranking.decided_by.items()} if ranking is not None else {}
    )
    votes = inputs.votes
    stage_keys = [stage.key for stage in comp.stages]
    zero = Decimal(0)
    for e in order + rest:
        ent = entries[e]
        ranked = rank_l[e] > 0
        status = "disqualified" if disq_l[e] else ("ranked" if ranked else "awaiting")
        t = tiers.get(e)
        tier = comp.tiers[t] if t is not None else None
        g, p = bands.get(e, (None, None))
        grade = comp.grades[g] if g is not None else None
        predicate = comp.predicates[p] if p is not None else None
        prize = (tier.prize if tier else zero) + (grade.prize if grade else zero)
        fav = e in favourites
        if fav and comp.favourite is not None:
            prize += comp.favourite.prize
        special = [comp.special_awards[i] for i in special_of.get(e, ())]
        for award in special:
            prize += award.prize
        reached = reached_l[e]
        out.append(
            FinalEntry(
                entry=ent.key,
                category=ent.category,
                unit=ev.final_units[unit_l[e]],
                status=status,
                rank=rank_l[e] if ranked else None,
                total=total_col(e) if ranked else None,
                weighted_total=running_col(e) if ranked and has_weighted else None,
                reached=stage_keys[reached] if reached >= 0 else None,
                tier=tier.key if tier else None,
                award=tier.award_for(rank_l[e]) if tier else None,
                trophy=bool(tier and tier.trophy) or any(a.trophy for a in special),
                certificate=bool(
                    (tier and tier.certificate)
                    or (grade and grade.certificate)
                    or (fav and comp.favourite is not None and comp.favourite.certificate)
                    or any(a.certificate for a in special)
                ),
                prize=prize,
                grade=grade.name if grade else None,
                predicate=predicate.name if predicate else None,
                favourite=fav,
                votes=votes.get(ent.key) if votes else None,
                tie_break=decided.get(e),
                special_awards=tuple(a.name for a in special),
            )
        )
    return out
