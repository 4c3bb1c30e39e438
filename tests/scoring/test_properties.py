"""Invariants of the engine, checked on random competitions (hypothesis)."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from decimal import Decimal as D
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sayembara.scoring import (
    Advancement,
    Competition,
    Entry,
    Inputs,
    Judge,
    Options,
    Quota,
    Results,
    Scope,
    ScoreRow,
    ScoreTable,
    TieBreak,
    compute,
)

from .builders import competition, rubric, stage

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])
FAST = Options(bootstrap=0, calibrate=False, reliability=False)
NO_LOT = (TieBreak.HEAVIEST_STAGE, TieBreak.HEAVIEST_CRITERION, TieBreak.HEAD_TO_HEAD,
          TieBreak.RECORDED_DECISION)
WITH_LOT = (TieBreak.HEAVIEST_STAGE, TieBreak.HEAVIEST_CRITERION, TieBreak.LOT)


@dataclass
class Case:
    comp: Competition
    entries: list[Entry]
    judges: list[Judge]
    rows: list[ScoreRow]

    def inputs(self, rows: list[ScoreRow] | None = None, entries: list[Entry] | None = None,
               judges: list[Judge] | None = None) -> Inputs:
        entries = entries or self.entries
        judges = judges or self.judges
        table = ScoreTable.from_rows(rows or self.rows, competition=self.comp, entries=entries,
                                     judges=judges)
        return Inputs(tuple(entries), tuple(judges), table)


@st.composite
def weights(draw: st.DrawFn, n: int) -> list[int]:
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1,
                                unique=True)))
    bounds = [0, *cuts, 100]
    return [b - a for a, b in zip(bounds, bounds[1:], strict=False)]


@st.composite
def cases(draw: st.DrawFn, *, stages: int = 1, cut: Advancement | None = None,
          chain: tuple[TieBreak, ...] = WITH_LOT, groups: bool = False) -> Case:
    cats = ("x", "y")[: draw(st.integers(1, 2))]
    crit_w = draw(weights(3))
    stage_w = draw(weights(stages)) if stages > 1 else [100]
    n_entries = draw(st.integers(2, 9))
    n_judges = draw(st.integers(2, 4))
    group_names = ("g1", "g2", "g3")
    entries = [Entry(f"e{i}", draw(st.sampled_from(cats)),
                     group=draw(st.sampled_from(group_names)) if groups else None)
               for i in range(n_entries)]
    judges = [Judge(f"j{i}") for i in range(n_judges)]
    specs = []
    for k in range(stages):
        last = k == stages - 1
        specs.append(stage(f"s{k + 1}", weight=stage_w[k], categories=cats,
                           advancement=cut if last else None))
    comp = competition(specs, rubrics=[rubric(weights=crit_w)], categories=cats,
                       tie_breaks=chain, groups=group_names if groups else ())
    values = draw(st.lists(st.integers(0, 20), min_size=stages * n_entries * n_judges * 3,
                           max_size=stages * n_entries * n_judges * 3))
    rows = []
    it = iter(values)
    for k in range(stages):
        for e in entries:
            for j in judges:
                for c in range(3):
                    rows.append(ScoreRow(f"s{k + 1}", j.key, e.key, f"c{c + 1}",
                                         D(next(it) * 5)))
    return Case(comp, entries, judges, rows)


def _view(result: Results, rename: dict[str, str] | None = None):
    """Everything exact a user sees, keyed by the original entry names."""
    back = {v: k for k, v in (rename or {}).items()}

    def name(entry: str) -> str:
        return back.get(entry, entry)

    stages = []
    for s in result.stages:
        stages.append({name(e.entry): (e.status, e.score, e.selection, e.rank, e.advanced,
                                       e.reason.code if e.reason else None, e.tie_break)
                       for e in s.entries})
    final = {name(f.entry): (f.rank, f.total, f.award, f.tie_break) for f in result.final}
    ties = [sorted(name(e) for e in t) for s in result.stages for t in s.open_ties]
    return stages, final, sorted(ties)


@SETTINGS
@given(case=cases(stages=2, cut=Advancement(top_n=2), chain=NO_LOT), seed=st.integers(0, 99))
def test_renaming_and_reordering_entries_and_judges_changes_nothing(case: Case, seed: int):
    before = compute(case.comp, case.inputs(), FAST)
    rng = random.Random(seed)
    rename = {e.key: f"new-{rng.randrange(10**6)}-{e.key}" for e in case.entries}
    judge_rename = {j.key: f"juri-{rng.randrange(10**6)}-{j.key}" for j in case.judges}
    entries = [replace(e, key=rename[e.key]) for e in case.entries]
    judges = [replace(j, key=judge_rename[j.key]) for j in case.judges]
    rng.shuffle(entries)
    rng.shuffle(judges)
    rows = [replace(r, entry=rename[r.entry], judge=judge_rename[r.judge]) for r in case.rows]
    rng.shuffle(rows)
    after = compute(case.comp, case.inputs(rows, entries, judges), FAST)
    assert _view(after, rename) == _view(before)


@SETTINGS
@given(case=cases(stages=1, cut=Advancement(top_n=2)), seed=st.integers(0, 99))
def test_reordering_the_input_keeps_even_the_bootstrap_figures(case: Case, seed: int):
    options = Options(seed=5, bootstrap=40)
    before = compute(case.comp, case.inputs(), options)
    rng = random.Random(seed)
    entries, judges, rows = list(case.entries), list(case.judges), list(case.rows)
    rng.shuffle(entries)
    rng.shuffle(judges)
    rng.shuffle(rows)
    after = compute(case.comp, case.inputs(rows, entries, judges), options)

    def figures(r: Results) -> list[tuple[object, ...]]:
        return sorted((e.entry, e.rank_interval, e.p_top_n, e.calibrated)
                      for e in r.stages[0].entries)

    assert figures(after) == figures(before)


@SETTINGS
@given(case=cases(stages=2, cut=Advancement(top_n=2)), pick=st.integers(0, 10**6),
       delta=st.integers(1, 40))
def test_raising_one_score_never_lowers_that_entrys_total_or_rank(case: Case, pick: int,
                                                                   delta: int):
    row = case.rows[pick % len(case.rows)]
    raised = [replace(r, value=min(D(100), r.value + delta)) if r is row else r
              for r in case.rows]
    before = {f.entry: f for f in compute(case.comp, case.inputs(), FAST).final}
    after = {f.entry: f for f in compute(case.comp, case.inputs(raised), FAST).final}
    b, a = before[row.entry], after[row.entry]
    assert a.total is not None and b.total is not None
    assert a.total >= b.total
    assert a.rank is not None and b.rank is not None and a.rank <= b.rank
    last = {e.entry: e.advanced for e in compute(case.comp, case.inputs(raised), FAST)
            .stages[-1].entries}
    first = {e.entry: e.advanced for e in compute(case.comp, case.inputs(), FAST)
             .stages[-1].entries}
    assert last[row.entry] or not first[row.entry]


@SETTINGS
@given(case=cases(stages=1, cut=Advancement(top_n=3)))
def test_top_n_is_respected_exactly_when_ties_are_broken(case: Case):
    result = compute(case.comp, case.inputs(), FAST)
    for category in case.comp.categories:
        members = [e for e in result.stages[0].entries if e.category == category]
        assert sum(e.advanced for e in members) == min(3, len(members))


@SETTINGS
@given(case=cases(stages=1, groups=True,
                  cut=Advancement(scope=Scope.GROUP,
                                  quotas=(Quota("g1", 1), Quota("g2", 2), Quota("g3", 3)))))
def test_group_quotas_are_respected_exactly(case: Case):
    result = compute(case.comp, case.inputs(), FAST)
    group = {e.key: e.group for e in case.entries}
    seats = {"g1": 1, "g2": 2, "g3": 3}
    for g, n in seats.items():
        members = [e for e in result.stages[0].entries if group[e.entry] == g]
        assert sum(e.advanced for e in members) == min(n, len(members))


@SETTINGS
@given(case=cases(stages=1, cut=Advancement(top_n=2)), seed=st.integers(0, 10**6))
def test_results_are_deterministic_for_a_seed(case: Case, seed: int):
    options = Options(seed=seed, bootstrap=30)
    assert compute(case.comp, case.inputs(), options) == compute(case.comp, case.inputs(),
                                                                 options)


@SETTINGS
@given(case=cases(stages=3))
def test_final_total_honours_the_stage_weights(case: Case):
    result = compute(case.comp, case.inputs(), FAST)
    weights = [Fraction(s.weight) for s in case.comp.stages]
    assert sum(weights) == 100
    scores = [{e.entry: e.score for e in s.entries} for s in result.stages]
    for f in result.final:
        expected = sum((w * s[f.entry] / 100 for w, s in zip(weights, scores, strict=True)),
                       Fraction(0))
        assert f.total == expected


@SETTINGS
@given(case=cases(stages=1, groups=True), seats=st.lists(st.integers(0, 3), min_size=3,
                                                         max_size=3),
       left_out=st.integers(0, 3))
def test_every_entry_of_a_computed_stage_carries_a_reason_even_without_places(
        case: Case, seats: list[int], left_out: int):
    quotas = tuple(Quota(g, n) for i, (g, n) in enumerate(zip(("g1", "g2", "g3"), seats,
                                                             strict=True)) if i != left_out)
    rule = Advancement(scope=Scope.GROUP, quotas=quotas)
    comp = replace(case.comp, stages=(replace(case.comp.stages[0], advancement=rule),))
    result = compute(comp, case.inputs(), FAST)
    places = {q.unit: q.seats for q in quotas}
    group = {e.key: e.group for e in case.entries}
    for e in result.stages[0].entries:
        assert e.reason is not None
        assert e.pool == group[e.entry]
        if places.get(group[e.entry], 0) == 0 and e.status == "scored":
            assert (e.advanced, e.reason.code) == (False, "no_quota")
