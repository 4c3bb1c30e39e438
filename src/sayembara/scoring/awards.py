"""Awards: tiers by rank, grade and predicate bands, and the favourite prize.

Awards are given only when every stage is complete and no tie needing a decision remains:

* award tiers by rank range within the unit, for entries that took the last stage and, when
  that stage has its own cut (e.g. "the 15 best"), were selected by it;
* grade and predicate bands on the final score of every entry that took the last stage;
  ``prize`` is the tier's prize plus the grade band's prize;
* the favourite prize goes to the most-voted entries per favourite scope (skipping entries
  holding an award tier when jury winners are excluded); entries tied with the last
  favourite place all receive it;
* special awards by criterion, in the order declared: in each category, the ``winners``
  entries scored at the award's stage with the highest mean of the counted judges' scores on
  its criterion, ties through the tie-break chain; an entry holding an award the special
  award excludes (an earlier special award, or a rank tier) is passed over and the next
  entry takes its place. Disqualified entries receive nothing. When the chain leaves entries
  tied across the award's last place (more tied entries than places left), the tie is
  reported (:class:`~.results.SpecialTie`) and keeps the results incomplete until the jury's
  order is recorded under the award's id (:func:`open_special_ties`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction

import numpy as np

from .advance import scope_unit
from .exact import Exact
from .inputs import Action, Inputs
from .results import SpecialTie
from .spec import TIERS, Competition
from .state import Bools, Evaluation
from .ties import Ranking, TieContext, rank


@dataclass
class Awards:
    """Who receives what, by entry index."""

    #: entry -> index of its award tier
    tiers: dict[int, int] = field(default_factory=dict)
    #: entry -> (index of its grade band, index of its predicate band)
    bands: dict[int, tuple[int | None, int | None]] = field(default_factory=dict)
    favourites: set[int] = field(default_factory=set)
    #: entry -> indexes of its special awards, in the declared order
    special: dict[int, list[int]] = field(default_factory=dict)
    #: ties across the last place of a special award (their entries receive it not yet)
    special_open: list[SpecialTie] = field(default_factory=list)


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


def open_special_ties(ev: Evaluation) -> list[SpecialTie]:
    """The ties across the last place of a special award in a computation that is otherwise
    complete (none when it is not: awards are not given then)."""
    if not ev.complete or not ev.competition.special_awards:
        return []
    disqualified = np.zeros(len(ev.inputs.entries), dtype=np.bool_)
    for st in ev.stages:
        disqualified |= st.disqualified
    return give_awards(ev, disqualified).special_open


def give_awards(ev: Evaluation, disqualified: Bools) -> Awards:
    """The awards of a complete computation (none while anything is open)."""
    if ev.given is not None:
        return ev.given
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
    awards.special, awards.special_open = _special(ev, awards.tiers, disqualified)
    ev.given = awards
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


def _special(
    ev: Evaluation, tiers: dict[int, int], disqualified: Bools
) -> tuple[dict[int, list[int]], list[SpecialTie]]:
    comp = ev.competition
    if not comp.special_awards:
        return {}, []
    entries = ev.inputs.entries
    n = len(entries)
    cat_ix = {c: i for i, c in enumerate(comp.categories)}
    category = np.array([cat_ix[e.category] for e in entries], dtype=np.int64)
    states = {st.index: st for st in ev.stages}
    ctx = TieContext(
        competition=comp,
        entry_keys=[e.key for e in entries],
        label="",
        seed=ev.options.seed,
        table=ev.inputs.scores,
        stage_scores={k: st.official for k, st in states.items() if st.official is not None},
        sheets={k: st.sheets for k, st in states.items() if st.sheets is not None},
        aggregates={k: st.agg for k, st in states.items() if st.agg is not None},
        ranking_stage=0,
        orders={},
    )
    holders: dict[str, set[int]] = {TIERS: set(tiers)}
    out: dict[int, list[int]] = {}
    ties: list[SpecialTie] = []
    for i, award in enumerate(comp.special_awards):
        k = comp.stage_index(award.stage)
        st = states.get(k)
        won: set[int] = set()
        holders[award.key] = won
        if st is None or st.sheets is None:
            continue
        cats = set(award.categories or comp.categories)
        excluded: set[int] = set().union(*(holders.get(x, set()) for x in award.exclude))
        eligible = np.array(
            [
                bool(st.scored[e])
                and not disqualified[e]
                and entries[e].category in cats
                and e not in excluded
                for e in range(n)
            ],
            dtype=np.bool_,
        )
        if not eligible.any():
            continue
        sheets = st.sheets
        members = np.flatnonzero(eligible).astype(np.int64)
        sums, counts = sheets.criterion_sums(ev.inputs.scores, members)
        values = [Fraction(0)] * n
        for row, e in enumerate(members.tolist()):
            rubric = sheets.rubrics[int(sheets.rubric_of_entry[e])]
            c = rubric.index(award.criterion)
            count = int(counts[row, c])
            if count == 0:
                eligible[e] = False
                continue
            values[e] = Fraction(int(sums[row, c]), count * sheets.value_den)
        orders = {
            d.entry: d.order
            for d in ev.inputs.decisions
            if d.action is Action.TIEBREAK and d.stage == award.key and d.order is not None
        }
        award_ctx = replace(ctx, label=award.key, ranking_stage=k, orders=orders)
        ranking = rank(category, Exact.from_fractions(values), eligible, award_ctx)
        for pool, a, b in ranking.pool_slices():
            take = min(award.winners, b - a)
            tie = _tie_across(ranking, a, b, take)
            if tie is not None:
                # the entries still tied across the last place wait for the jury's order
                start, stop = tie
                ties.append(
                    SpecialTie(
                        award=award.key,
                        category=comp.categories[pool],
                        places=a + take - start,
                        entries=tuple(entries[int(e)].key for e in ranking.order[start:stop]),
                    )
                )
                take = start - a
            for e in ranking.order[a : a + take].tolist():
                won.add(int(e))
                out.setdefault(int(e), []).append(i)
    return out, ties


def _tie_across(ranking: Ranking, a: int, b: int, take: int) -> tuple[int, int] | None:
    """Positions (start, stop) of the entries the chain left tied across the last place
    ``a + take`` of the pool slice ``a:b``; None when the place separates them."""
    if take <= 0 or a + take >= b:
        return None
    last, after = a + take - 1, a + take
    if ranking.block[last] != ranking.block[after]:
        return None
    start, stop = last, after
    while start > a and ranking.block[start - 1] == ranking.block[last]:
        start -= 1
    while stop < b and ranking.block[stop] == ranking.block[last]:
        stop += 1
    return start, stop
