"""Advancement: who goes on after a stage (at the last stage: who is selected).

The rule, applied to each *pool* separately
-------------------------------------------

Pools come from the stage's ``scope``: one per category, one per group, or one overall.
With ``quotas`` each quota unit (a group or category; with the ``overall`` scope an entry
belongs to the quota of its group when there is one, else of its category) is a pool with
its own seats. A quota may be 0, and a unit of the scope left out of ``quotas`` is a pool
with 0 seats too: its entries are ranked in it and none advances, each with the reason
``no_quota``. With quotas per group, an entry that belongs to no group is in no pool
(reason ``no_group``).

1. Entries disqualified or eliminated by decision leave the pool (the next entry moves up).
2. Entries whose selection score is below ``passing_grade`` cannot advance.
3. Seats = ``top_n x multiplier`` (or the quota's count x multiplier). The best entries by
   selection score and, between exactly equal scores, the tie-break chain take them. With no
   top-N and no quota every remaining entry advances.
4. A tie across the last seat: ``admit_all`` admits every entry whose score equals the last
   seated entry's score (the pool then holds more than its seats); ``break`` seats them in
   the order of the chain, and if the chain leaves them tied (no recorded decision yet) all
   of them are admitted and the tie is reported as needing a decision.
5. Entries advanced by decision are added, with the decision's reason.

Every entry gets a :class:`~sayembara.scoring.reasons.Reason` naming the rule that admitted
or stopped it, and which tie-break decided when one did.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .exact import SAFE, Exact, decimal_text, exact_text, mul, terminating_places
from .inputs import Entry
from .reasons import Reason
from .spec import Advancement, Scope, TiePolicy
from .ties import Ranking


def show(value: Fraction) -> str:
    """A score as text for a reason: exact when it has at most 6 decimals, else rounded."""
    places = terminating_places(value)
    if places is not None and places <= 6:
        return decimal_text(value, places)
    return decimal_text(value, 6)


@dataclass(frozen=True)
class Pool:
    """A unit competing for places: its name, seats (None: no cut) and how many went on."""

    name: str
    seats: int | None
    competing: int
    advanced: int


#: Reason codes stored per entry by :func:`select` (the common, parameter-free cases).
CODES: tuple[str, ...] = (
    "",
    "within_places",
    "outside_places",
    "below_passing_grade",
    "passing_grade_met",
    "no_cut",
    "no_quota",
    "no_group",
)
_WITHIN, _OUTSIDE, _BELOW, _MET, _NOCUT, _NOQUOTA, _NOGROUP = 1, 2, 3, 4, 5, 6, 7


@dataclass
class Advance:
    """Who advanced from one stage and why.

    ``code[e]`` indexes :data:`CODES` for the common reasons; ``special`` holds the reasons
    with their own parameters (ties at the cut); the caller adds decisions. Use
    :meth:`reason` to get an entry's :class:`Reason`.
    """

    advanced: npt.NDArray[np.bool_]
    code: npt.NDArray[np.int8]
    special: dict[int, Reason]
    pools: list[Pool]
    pool_of: npt.NDArray[np.int64]
    names: list[str]
    seats: list[int | None]
    rank: npt.NDArray[np.int64]
    selection: Exact
    grade: Fraction | None
    units: Units
    quota_scope: Scope
    open_at_cut: list[list[int]] = field(default_factory=list)

    def reasons(self, entries: list[int]) -> list[Reason | None]:
        """:meth:`reason` of each of ``entries``, the reasons with places built in one pass."""
        index = np.array(entries, dtype=np.int64)
        seats = [str(s) for s in self.seats]
        names, special = self.names, self.special
        within, outside = CODES[_WITHIN], CODES[_OUTSIDE]
        out: list[Reason | None] = []
        for e, code, p, rank in zip(
            entries,
            self.code[index].tolist(),
            self.pool_of[index].tolist(),
            self.rank[index].tolist(),
            strict=True,
        ):
            if e in special or code not in (_WITHIN, _OUTSIDE):
                out.append(self.reason(e))
            else:
                # parameters already in the sorted order Reason.of would give them
                out.append(
                    Reason(
                        within if code == _WITHIN else outside,
                        (("places", seats[p]), ("pool", names[p]), ("rank", str(rank))),
                    )
                )
        return out

    def reason(self, e: int) -> Reason | None:
        if e in self.special:
            return self.special[e]
        code = int(self.code[e])
        if code == 0:
            return None
        name = CODES[code]
        if code in (_WITHIN, _OUTSIDE):
            p = int(self.pool_of[e])
            # parameters already in the sorted order Reason.of would give them
            return Reason(
                name,
                (
                    ("places", str(self.seats[p])),
                    ("pool", self.names[p]),
                    ("rank", str(int(self.rank[e]))),
                ),
            )
        if code in (_BELOW, _MET):
            assert self.grade is not None
            return Reason.of(
                name, score=show(self.selection.fraction(e)), grade=exact_text(self.grade)
            )
        if code == _NOQUOTA:
            return Reason.of(name, unit=self.names[int(self.pool_of[e])])
        return Reason.of(name)


def scope_unit(entry: Entry, scope: Scope) -> str:
    if scope is Scope.CATEGORY:
        return entry.category
    if scope is Scope.GROUP:
        return entry.group or ""
    return "overall"


@dataclass(frozen=True)
class Units:
    """Integer codes of every entry's category and group (-1: no group)."""

    category: npt.NDArray[np.int64]
    categories: tuple[str, ...]
    group: npt.NDArray[np.int64]
    groups: tuple[str, ...]

    @classmethod
    def of_entries(cls, entries: Sequence[Entry], categories: Sequence[str]) -> Units:
        cat_ix = {c: i for i, c in enumerate(categories)}
        groups = tuple(sorted({e.group for e in entries if e.group is not None}))
        grp_ix = {g: i for i, g in enumerate(groups)}
        return cls(
            category=np.array([cat_ix[e.category] for e in entries], dtype=np.int64),
            categories=tuple(categories),
            group=np.array(
                [grp_ix[e.group] if e.group is not None else -1 for e in entries], dtype=np.int64
            ),
            groups=groups,
        )

    def by_scope(self, scope: Scope) -> tuple[npt.NDArray[np.int64], list[str]]:
        """Unit id of every entry and unit names for a scope (no group counts as "")."""
        if scope is Scope.CATEGORY:
            return self.category, list(self.categories)
        if scope is Scope.GROUP:
            names = list(self.groups)
            ids = self.group.copy()
            if (ids < 0).any():
                names.append("")
                ids[ids < 0] = len(names) - 1
            return ids, names
        return np.zeros(self.category.shape[0], dtype=np.int64), ["overall"]


def pools_for(
    rule: Advancement | None, units: Units, scope: Scope
) -> tuple[npt.NDArray[np.int64], list[str], list[int | None]]:
    """Pool id of every entry (-1: no place available), pool names and seats."""
    if rule is not None and rule.quotas:
        names = [q.unit for q in rule.quotas]
        seats: list[int | None] = [q.seats * rule.multiplier for q in rule.quotas]
        # the scope's units left out of the quotas have no places: pools with 0 seats
        present_groups = [units.groups[g] for g in np.unique(units.group[units.group >= 0])]
        present_categories = [units.categories[c] for c in np.unique(units.category)]
        left_out = present_groups if rule.scope is Scope.GROUP else present_categories
        for unit in left_out:
            if unit not in names:
                names.append(unit)
                seats.append(0)
        lookup = {name: i for i, name in enumerate(names)}
        by_cat = np.array([lookup.get(c, -1) for c in units.categories] or [-1], dtype=np.int64)
        by_grp = np.array([lookup.get(g, -1) for g in units.groups] + [-1], dtype=np.int64)
        grp = np.where(units.group >= 0, units.group, len(units.groups))
        if rule.scope is Scope.CATEGORY:
            ids = by_cat[units.category]
        elif rule.scope is Scope.GROUP:
            ids = by_grp[grp]
        else:
            ids = np.where(by_grp[grp] >= 0, by_grp[grp], by_cat[units.category])
        return ids.astype(np.int64), names, seats
    ids, names = units.by_scope(scope)
    top = None if rule is None or rule.top_n is None else rule.top_n * rule.multiplier
    return ids, names, [top] * len(names)


def at_least(score: Exact, bound: Fraction) -> npt.NDArray[np.bool_]:
    """Exact ``score >= bound`` for every entry."""
    # num / den >= p / q  <=>  num * q >= p * den
    p, q = bound.numerator, bound.denominator
    rhs = p * score.den
    lhs = mul(score.num, q)
    if lhs.dtype != object and abs(rhs) < SAFE:
        return np.asarray(lhs >= rhs, dtype=np.bool_)
    return np.array([int(x) >= rhs for x in lhs], dtype=np.bool_)


def select(
    *,
    ranking: Ranking,
    names: list[str],
    seats: list[int | None],
    pool_of: npt.NDArray[np.int64],
    selection: Exact,
    rule: Advancement | None,
    competing: npt.NDArray[np.bool_],
    units: Units,
    racing: npt.NDArray[np.bool_] | None = None,
) -> Advance:
    """Apply steps 2-4 to the ranked, competing entries of each pool.

    ``competing`` are the entries in the race with a pool (scored, not disqualified, not
    eliminated by decision); ``racing`` the same entries with or without a pool (default:
    ``competing``): those with ``pool_of == -1`` belong to no group under quotas per group.
    Decisions (steps 1 and 5) are applied by the caller.
    """
    n = competing.shape[0]
    advanced = np.zeros(n, dtype=np.bool_)
    code = np.zeros(n, dtype=np.int8)
    special: dict[int, Reason] = {}
    pools: list[Pool] = []
    open_at_cut: list[list[int]] = []
    grade = None if rule is None or rule.passing_grade is None else Fraction(rule.passing_grade)
    ties = TiePolicy.BREAK if rule is None else rule.ties
    passing = at_least(selection, grade) if grade is not None else np.ones(n, dtype=np.bool_)
    position = np.zeros(n, dtype=np.int64)
    position[ranking.order] = np.arange(ranking.order.shape[0], dtype=np.int64)

    code[(competing if racing is None else racing) & (pool_of < 0)] = _NOGROUP

    for pool_id, a, b in ranking.pool_slices():
        name = names[pool_id]
        places = seats[pool_id]
        members = ranking.order[a:b]
        if places == 0:
            code[members] = _NOQUOTA
            pools.append(Pool(name, 0, int(members.shape[0]), 0))
            continue
        ok_mask = passing[members]
        code[members[~ok_mask]] = _BELOW
        ok = members[ok_mask]
        if places is None or ok.shape[0] <= places:
            advanced[ok] = True
            code[ok] = (
                _NOCUT
                if places is None and grade is None
                else (_MET if places is None else _WITHIN)
            )
            pools.append(Pool(name, places, int(members.shape[0]), int(ok.shape[0])))
            continue
        last = int(ok[places - 1])
        first_out = int(ok[places])
        taken = ok[:places]
        extra: list[int] = []
        if ties is TiePolicy.ADMIT_ALL:
            level = ranking.level[position[last]]
            rest = ok[places:]
            extra = [int(e) for e in rest[ranking.level[position[rest]] == level]]
            for e in extra:
                special[e] = Reason.of("tie_admitted", pool=name, places=places)
        else:
            block = ranking.block[position[last]]
            if block == ranking.block[position[first_out]]:
                group = [int(e) for e in ok[ranking.block[position[ok]] == block]]
                for e in group:
                    special[e] = Reason.of("tie_open_admitted", pool=name)
                extra = [e for e in group if e not in set(taken.tolist())]
                open_at_cut.append(group)
            elif ranking.level[position[last]] == ranking.level[position[first_out]]:
                level = ranking.level[position[last]]
                inside = set(taken.tolist())
                for e in ok[ranking.level[position[ok]] == level]:
                    step = ranking.decided_by.get(int(e))
                    special[int(e)] = Reason.of(
                        "won_tie" if int(e) in inside else "lost_tie",
                        pool=name,
                        step=step.value if step is not None else "",
                    )
        advanced[taken] = True
        code[taken] = _WITHIN
        code[ok[places:]] = _OUTSIDE
        if extra:
            advanced[np.array(extra, dtype=np.int64)] = True
        pools.append(Pool(name, places, int(members.shape[0]), places + len(extra)))
    return Advance(
        advanced=advanced,
        code=code,
        special=special,
        pools=pools,
        pool_of=pool_of,
        names=names,
        seats=seats,
        rank=ranking.rank,
        selection=selection,
        grade=grade,
        units=units,
        quota_scope=rule.scope if rule is not None else Scope.CATEGORY,
        open_at_cut=open_at_cut,
    )
