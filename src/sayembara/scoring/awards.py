"""Awards: tiers by rank, grade and predicate bands, and the favourite prize.

Awards are given only when every stage is complete and no tie needing a decision remains:

* award tiers by rank range within the unit, for entries that took the last stage and, when
  that stage has its own cut (e.g. "the 15 best"), were selected by it;
* grade and predicate bands on the final score of every entry that took the last stage;
  ``prize`` is the tier's prize plus the grade band's prize;
* the favourite prize goes to the most-voted entries per favourite scope (skipping entries
  holding an award tier when jury winners are excluded); entries tied with the last
  favourite place all receive it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .advance import scope_unit
from .inputs import Inputs
from .spec import Competition
from .state import Bools, Evaluation
from .ties import Ranking


@dataclass
class Awards:
    """Who receives what, by entry index."""

    #: entry -> index of its award tier
    tiers: dict[int, int] = field(default_factory=dict)
    #: entry -> (index of its grade band, index of its predicate band)
    bands: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    favourites: set[int] = field(default_factory=set)


def tier_for(competition: Competition, rank_: int, category: str) -> int | None:
    """The award tier a rank earns in a category (the first tier that covers it)."""
    for i, tier in enumerate(competition.tiers):
        if tier.categories and category not in tier.categories:
            continue
        if tier.rank_from <= rank_ <= tier.rank_to:
            return i
    return None


def open_ties_that_matter(
    competition: Competition, ranking: Ranking, inputs: Inputs
) -> list[list[int]]:
    """Final ties still open that would change an award (different tiers inside the tie)."""
    out = []
    for group in ranking.open_ties:
        r = int(ranking.rank[group[0]])
        cat = inputs.entries[group[0]].category
        tiers = {tier_for(competition, r + i, cat) for i in range(len(group))}
        if len(tiers) > 1:
            out.append(group)
    return out


def give_awards(ev: Evaluation, disqualified: Bools) -> Awards:
    """The awards of a complete computation (none while anything is open)."""
    comp, entries = ev.competition, ev.inputs.entries
    ranking = ev.final_ranking
    awards = Awards()
    if not ev.complete:
        return awards
    last_of_category = {}
    for c in comp.categories:
        idx = [i for i, s in enumerate(comp.stages) if s.takes(c)]
        last_of_category[c] = idx[-1] if idx else -1
    if ranking is not None:
        for e in ranking.order.tolist():
            cat = entries[e].category
            last = last_of_category[cat]
            if int(ev.reached[e]) != last:
                continue
            selected = comp.stages[last].advancement is None or bool(ev.advanced_last[e])
            t = tier_for(comp, int(ranking.rank[e]), cat) if selected else None
            if t is not None:
                awards.tiers[e] = t
            total = ev.final_selection.fraction(e)
            g = next((i for i, b in enumerate(comp.grades) if b.contains(total)), None)
            p = next((i for i, b in enumerate(comp.predicates) if b.contains(total)), None)
            awards.bands[e] = (g, p)
    awards.favourites = _favourites(ev, awards.tiers, disqualified)
    return awards


def _favourites(ev: Evaluation, tiers: dict[int, int], disq: Bools) -> set[int]:
    comp, inputs = ev.competition, ev.inputs
    fav = comp.favourite
    if fav is None or not inputs.votes:
        return set()
    entries = inputs.entries
    by_unit: dict[str, list[int]] = {}
    for e, ent in enumerate(entries):
        if disq[e] or ev.reached[e] < 0:
            continue
        if fav.exclude_jury_winners and e in tiers:
            continue
        by_unit.setdefault(scope_unit(ent, fav.scope), []).append(e)
    winners: set[int] = set()
    for members in by_unit.values():
        members.sort(key=lambda e: -inputs.votes.get(entries[e].key, 0))
        if not members:
            continue
        cut = min(fav.winners, len(members))
        last_votes = inputs.votes.get(entries[members[cut - 1]].key, 0)
        for e in members:
            v = inputs.votes.get(entries[e].key, 0)
            if v <= 0:
                break
            if members.index(e) < cut or v == last_votes:
                winners.add(e)
    return winners
