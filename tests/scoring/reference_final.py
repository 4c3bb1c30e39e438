"""The final records built one entry at a time, as the engine built them before its final
columns: the reference the column-wise construction is checked against."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from sayembara.scoring.awards import give_awards
from sayembara.scoring.exact import Exact
from sayembara.scoring.results import FinalEntry
from sayembara.scoring.state import Evaluation


class Column:
    """Per-entry access to an exact column (Python ints, one denominator)."""

    def __init__(self, column: Exact | None) -> None:
        self.nums: list[int] | None = None if column is None else column.num.tolist()
        self.den = 1 if column is None else column.den

    def __call__(self, e: int) -> Fraction | None:
        return None if self.nums is None else Fraction(self.nums[e], self.den)


def listed(arr: Any, n: int, fill: Any) -> list[Any]:
    return [fill] * n if arr is None else arr.tolist()


def final_entries_one_by_one(ev: Evaluation) -> list[FinalEntry]:
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
