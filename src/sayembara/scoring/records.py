"""Materialising results: one record per entry and stage, and the final records.

The engine computes column-wise over all entries (:mod:`.state`); :mod:`.columns` decides
every per-entry field as a column, and this module turns those columns into the
:mod:`.results` records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

from . import ENGINE_VERSION
from .columns import FinalColumns, StageColumns, Values, final_columns, stage_columns
from .inputs import Entry
from .results import EntryStage, FinalEntry, PoolResult, Results, StageResult
from .state import Evaluation, StageState


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
    """The results as records; with ``entries=False`` neither the stages nor the final
    ranking carry per-entry records (for writers that read :func:`~.columns.stage_columns`
    and :func:`~.columns.final_columns` instead)."""
    comp, listed_entries = ev.competition, ev.inputs.entries
    stages_out = [
        stage_result(st, listed_entries, entry_records(stage_columns(ev, st)) if entries else ())
        for st in ev.stages
    ]
    final = final_entries(ev) if entries else ()
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


def final_records(columns: FinalColumns) -> tuple[FinalEntry, ...]:
    """One record per row of the final columns."""
    total, weighted = fractions(columns.total), fractions(columns.weighted_total)
    status, reached = columns.status, columns.reached_keys
    rank = columns.rank.tolist()
    trophy, certificate = columns.trophy.tolist(), columns.certificate.tolist()
    favourite = columns.favourite.tolist()
    return tuple(
        FinalEntry(
            entry=columns.keys[i],
            category=columns.categories[i],
            unit=columns.unit[i],
            status=status[i],
            rank=rank[i] or None,
            total=total[i],
            weighted_total=weighted[i],
            reached=reached[i],
            tier=columns.tier[i],
            award=columns.award[i],
            trophy=trophy[i],
            certificate=certificate[i],
            prize=columns.prize[i],
            grade=columns.grade[i],
            predicate=columns.predicate[i],
            favourite=favourite[i],
            votes=columns.votes[i],
            tie_break=columns.tie_break[i],
            special_awards=columns.special_awards[i],
        )
        for i in range(len(columns))
    )


def final_entries(ev: Evaluation) -> tuple[FinalEntry, ...]:
    """The final records (built from :func:`~.columns.final_columns`)."""
    return final_records(final_columns(ev))
