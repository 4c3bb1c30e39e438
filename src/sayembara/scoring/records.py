"""Materialising results: one record per entry and stage, and the final records.

The engine computes column-wise over all entries (:mod:`.state`); this module turns those
columns into the :mod:`.results` records every reader sees.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from . import ENGINE_VERSION
from .awards import give_awards
from .bootstrap import close_to_cut
from .exact import Exact
from .reasons import Reason
from .results import EntryStage, FinalEntry, PoolResult, Results, StageResult
from .state import Evaluation


class Column:
    """Fast per-entry access to an exact column (Python ints, one denominator)."""

    def __init__(self, column: Exact | None) -> None:
        self.nums: list[int] | None = None if column is None else column.num.tolist()
        self.den = 1 if column is None else column.den

    def __call__(self, e: int) -> Fraction | None:
        return None if self.nums is None else Fraction(self.nums[e], self.den)


def listed(arr: npt.NDArray[Any] | None, n: int, fill: Any) -> list[Any]:
    return [fill] * n if arr is None else arr.tolist()


def materialise(ev: Evaluation) -> Results:
    comp, inputs = ev.competition, ev.inputs
    entries = inputs.entries
    n = len(entries)
    cat_order = {c: i for i, c in enumerate(comp.categories)}
    stages_out: list[StageResult] = []
    for st in ev.stages:
        items: list[EntryStage] = []
        members = np.flatnonzero(st.present | st.skipped).tolist()
        skipped = st.skipped.tolist()
        same = st.cut_ranking is st.ranking
        rank_l = listed(st.ranking.rank if st.ranking is not None else None, n, 0)
        pool_rank_l = listed(
            st.cut_ranking.rank if st.cut_ranking is not None and not same else None, n, 0
        )
        pool_l = listed(st.pool_of if not same else None, n, -1)
        unc = st.uncertainty
        has_unc = unc is not None and unc.replicates > 0
        low_l = listed(unc.rank_low if has_unc and unc else None, n, 0)
        high_l = listed(unc.rank_high if has_unc and unc else None, n, 0)
        p_l = listed(unc.p_top if has_unc and unc else None, n, math.nan)
        scored_l, disq_l = st.scored.tolist(), st.disqualified.tolist()
        adv_l = listed(st.advanced, n, False)
        cal_mask = listed(st.calibrated_mask, n, False)
        official, raw = Column(st.official), Column(st.raw)
        calibrated, selection = Column(st.calibrated), Column(st.selection)
        lowered_col = Column(st.lowered_by)
        agg = st.agg
        counted_l = listed(agg.n_counted if agg else None, n, 0)
        sheets_l = listed(agg.n_sheets if agg else None, n, 0)
        sd_l = listed(agg.sd if agg else None, n, math.nan)
        dis_l = listed(agg.disagreement if agg else None, n, False)
        extra_l = listed(agg.needs_extra if agg else None, n, False)
        trim_l = listed(agg.trimmed if agg else None, n, False)
        spread = Column(agg.spread if agg else None)
        decided_by: dict[int, str] = {}
        for rnk in (st.ranking, st.cut_ranking):
            if rnk is not None:
                decided_by.update({e: step.value for e, step in rnk.decided_by.items()})
        for e in members:
            ent = entries[e]
            if skipped[e]:
                items.append(
                    _bare(
                        ent.key, ent.category, "skipped", True, Reason.of("stage_not_for_category")
                    )
                )
                continue
            if st.status == "pending":
                items.append(
                    _bare(ent.key, ent.category, "awaiting", False, Reason.of("awaiting_scores"))
                )
                continue
            scored = scored_l[e]
            status = "disqualified" if disq_l[e] else ("scored" if scored else "not_scored")
            reason = st.decision_reason.get(e)
            if reason is None and st.advance is not None:
                reason = st.advance.reason(e)
            if reason is None and status == "not_scored":
                reason = Reason.of(
                    "not_scored", counted=counted_l[e], required=st.stage.aggregation.min_judges
                )
            p = p_l[e]
            p_top = None if math.isnan(p) else float(p)
            score = official(e) if scored else None
            items.append(
                EntryStage(
                    entry=ent.key,
                    category=ent.category,
                    status=status,
                    score=score,
                    raw=score if st.raw is st.official else (raw(e) if scored else None),
                    calibrated=calibrated(e) if scored and cal_mask[e] else None,
                    selection=selection(e) if scored else None,
                    lowered_by=lowered_col(e) if scored else None,
                    judges=counted_l[e],
                    sheets=sheets_l[e],
                    spread=spread(e) if counted_l[e] > 0 else None,
                    sd=None if math.isnan(sd_l[e]) else float(sd_l[e]),
                    disagreement=dis_l[e],
                    needs_extra_judge=extra_l[e],
                    trimmed=trim_l[e],
                    rank=rank_l[e] or None,
                    pool=st.pool_names[pool_l[e]] if pool_l[e] >= 0 else None,
                    pool_rank=pool_rank_l[e] or None,
                    rank_interval=(low_l[e], high_l[e]) if low_l[e] > 0 else None,
                    p_top_n=p_top,
                    close_to_cut=p_top is not None and close_to_cut(p_top),
                    advanced=adv_l[e],
                    reason=reason,
                    tie_break=decided_by.get(e),
                )
            )
        items.sort(
            key=lambda it: (
                cat_order[it.category],
                it.rank if it.rank is not None else 10**9,
                it.entry,
            )
        )
        pools = tuple(
            PoolResult(p.name, p.seats, p.competing, p.advanced)
            for p in (st.advance.pools if st.advance is not None else [])
        )
        stages_out.append(
            StageResult(
                key=st.stage.key,
                kind=st.stage.kind.value,
                weight=st.stage.weight,
                can_only_lower=st.stage.can_only_lower,
                status=st.status,
                entries=tuple(items),
                pools=pools,
                calibration=st.calibration,
                reliability=tuple(st.reliability),
                open_ties=tuple(tuple(entries[e].key for e in g) for g in st.open_ties),
                bootstrap=st.uncertainty.replicates if st.uncertainty is not None else 0,
            )
        )
    final = final_entries(ev)
    return Results(
        engine_version=ENGINE_VERSION,
        competition=comp.key,
        seed=ev.options.seed,
        complete=ev.complete,
        stages=tuple(stages_out),
        final=tuple(final),
        favourite=comp.favourite.name if comp.favourite is not None else None,
        final_open_ties=tuple(tuple(entries[e].key for e in g) for g in ev.final_open),
    )


def _bare(key: str, category: str, status: str, advanced: bool, reason: Reason) -> EntryStage:
    return EntryStage(
        entry=key,
        category=category,
        status=status,
        score=None,
        raw=None,
        calibrated=None,
        selection=None,
        lowered_by=None,
        judges=0,
        sheets=0,
        spread=None,
        sd=None,
        disagreement=False,
        needs_extra_judge=False,
        trimmed=False,
        rank=None,
        pool=None,
        pool_rank=None,
        rank_interval=None,
        p_top_n=None,
        close_to_cut=False,
        advanced=advanced,
        reason=reason,
        tie_break=None,
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
                trophy=bool(tier and tier.trophy),
                certificate=bool(
                    (tier and tier.certificate)
                    or (grade and grade.certificate)
                    or (fav and comp.favourite is not None and comp.favourite.certificate)
                ),
                prize=prize,
                grade=grade.name if grade else None,
                predicate=predicate.name if predicate else None,
                favourite=fav,
                votes=votes.get(ent.key) if votes else None,
                tie_break=decided.get(e),
            )
        )
    return out
