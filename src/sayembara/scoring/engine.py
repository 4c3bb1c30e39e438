"""The engine: from rules and data to stage results, the final ranking and awards.

How the stages chain
--------------------

Every entry starts in the first stage. At each stage, in order:

1. **Who takes part.** The entries that advanced from the previous stage. Entries of a
   category the stage does not apply to pass it untouched. Entries disqualified by decision
   at this stage leave the competition here (no rank, no award).
2. **Stage score.** Judged stages: each judge's sheet total (:mod:`.sheets`), then the
   stage's method across counted judges (:mod:`.aggregate`). Public-vote stages:
   ``100 x votes / the most votes of any entry of the same category in the stage``.
   A stage with no scores at all is *pending*: the computation stops there.
3. **Calibrated score** beside the raw one (:mod:`.calibration`), fitted per category (or
   over the whole stage when places are shared across categories). The raw score is
   official unless the stage's rules choose the calibrated one; if calibration is refused
   the raw score stays official and the refusal is reported.
4. **Running total and selection score.** ``running = sum(weight x stage score) / 100``
   over the weighted stages taken so far (weights add up to 100, so the final running total
   is on 0..100). A weighted stage ranks and cuts by the running total; a filter stage by its
   own stage score.
5. **Can-only-lower stages** (field validation that lowers unproven claims). Let
   ``A = running x 100 / (sum of the weights taken)``, the entry's carried average on 0..100.

   * A *weighted* can-only-lower stage contributes ``weight x min(stage score, A) / 100``:
     the carried average can fall but never rise.
   * A *filter* can-only-lower stage caps the carried average at its stage score: the
     running total becomes ``min(running, stage score x sum of weights taken / 100)``.
   * Before any weighted stage, a can-only-lower stage caps the previous stage's selection
     score: ``min(previous selection, stage score)``.

   What the stage took off is reported as ``lowered_by = max(0, A - stage score)`` (with
   the previous selection score in place of ``A`` before any weighted stage).
6. **Ranking** within each category by the selection score, ties by the chain
   (:mod:`.ties`); **advancement** within the stage's pools (:mod:`.advance`), then
   decisions: eliminated entries stop, advanced-by-decision entries go on.
7. **Uncertainty** (:mod:`.bootstrap`) and **reliability** (:mod:`.reliability`).

The final ranking
-----------------

Within each award unit (category, group or overall) entries that went further come first:
ordered by the last stage they were scored in, then by whether they advanced from it (at
the last stage: whether they were selected), then by the score that stage ranked them by,
then the tie-break chain (the chain's stage rules apply to the stage where the tied entries
stopped). Disqualified entries are listed without a rank.

Awards (only when every stage is complete and no tie needing a decision remains):
award tiers by rank range within the unit, for entries that took the last stage and, when
that stage has its own cut (e.g. "the 15 best"), were selected by it; grade and predicate
bands on the final score of every entry that took the last stage; ``prize`` is the tier's
prize plus the grade band's prize. The favourite prize goes to the most-voted entries per
favourite scope (skipping entries holding an award tier when jury winners are excluded);
entries tied with the last favourite place all receive it.
"""

from __future__ import annotations

import gc
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from . import ENGINE_VERSION
from .advance import Advance, Units, pools_for, scope_unit, select
from .aggregate import Aggregate, aggregate, aggregate_floats
from .bootstrap import Uncertainty, bootstrap, close_to_cut
from .calibration import fit
from .errors import CalibrationRefused, InputError
from .exact import Exact, add, common, lcm, minimum, product, ratio, to_decimal, where
from .inputs import FINAL, Action, Inputs, Options
from .reasons import Reason
from .reliability import reliability
from .results import (
    CalibrationReport,
    CalibrationUnit,
    EntryStage,
    FinalEntry,
    JudgeCalibration,
    PoolResult,
    Results,
    StageResult,
    UnitReliability,
)
from .sheets import Sheets, compute_sheets
from .spec import (
    Competition,
    Official,
    Scope,
    Source,
    Stage,
    StageKind,
)
from .ties import Ranking, TieContext, rank

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]

#: Calibrated scores are rounded to this many decimals before any comparison.
CALIBRATED_PLACES = 6


@dataclass
class StageState:
    """Everything computed for one stage (arrays over all entries)."""

    index: int
    stage: Stage
    status: str
    present: Bools
    skipped: Bools
    disqualified: Bools
    eliminated: Bools
    scored: Bools
    sheets: Sheets | None = None
    agg: Aggregate | None = None
    raw: Exact | None = None
    calibrated: Exact | None = None
    calibrated_mask: Bools | None = None
    official: Exact | None = None
    selection: Exact | None = None
    lowered_by: Exact | None = None
    #: running total, weights taken and previous selection score before this stage
    before: tuple[Exact, Exact, Exact] | None = None
    ranking: Ranking | None = None
    cut_ranking: Ranking | None = None
    pool_of: Ints | None = None
    pool_names: list[str] = field(default_factory=list)
    advance: Advance | None = None
    advanced: Bools | None = None
    decision_reason: dict[int, Reason] = field(default_factory=dict)
    uncertainty: Uncertainty | None = None
    reliability: list[UnitReliability] = field(default_factory=list)
    calibration: CalibrationReport | None = None
    open_ties: list[list[int]] = field(default_factory=list)


@dataclass
class Evaluation:
    """The computed state; :meth:`results` turns it into :class:`Results`."""

    competition: Competition
    inputs: Inputs
    options: Options
    stages: list[StageState]
    reached: Ints
    advanced_last: Bools
    final_selection: Exact
    running: Exact
    final_ranking: Ranking | None
    final_units: list[str]
    final_unit_of: Ints
    final_open: list[list[int]]
    complete: bool

    def results(self) -> Results:
        # Building one record per entry and stage creates many small objects and no
        # reference cycles; pausing the cyclic garbage collector meanwhile halves the time.
        paused = gc.isenabled()
        gc.disable()
        try:
            return _materialise(self)
        finally:
            if paused:
                gc.enable()


def compute(competition: Competition, inputs: Inputs, options: Options | None = None) -> Results:
    """Validate the rules and inputs, compute every stage, the final ranking and awards."""
    return evaluate(competition, inputs, options or Options()).results()


# -- input checks ---------------------------------------------------------------------------


def check_inputs(competition: Competition, inputs: Inputs) -> None:
    """Refuse data that do not fit the rules (unknown keys, duplicates, bad decisions)."""
    keys = [e.key for e in inputs.entries]
    seen = set(keys)
    if len(seen) != len(keys):
        dup = next(k for k, c in Counter(keys).items() if c > 1)
        raise InputError("duplicate_entry", f"The entry {dup} is listed twice.", entry=dup)
    cats = set(competition.categories)
    groups = set(competition.groups)
    if not {e.category for e in inputs.entries} <= cats:
        e = next(e for e in inputs.entries if e.category not in cats)
        raise InputError(
            "unknown_category",
            f"The entry {e.key} is in an unknown category {e.category}.",
            entry=e.key,
            category=e.category,
        )
    if groups and not {e.group for e in inputs.entries if e.group is not None} <= groups:
        e = next(e for e in inputs.entries if e.group is not None and e.group not in groups)
        raise InputError(
            "unknown_group",
            f"The entry {e.key} is in an unknown group {e.group}.",
            entry=e.key,
            group=e.group,
        )
    judges: set[str] = set()
    for j in inputs.judges:
        if j.key in judges:
            raise InputError("duplicate_judge", f"The judge {j.key} is listed twice.", judge=j.key)
        judges.add(j.key)
    for key, count in inputs.votes.items():
        if key not in seen:
            raise InputError(
                "unknown_entry", f"Votes were given for an unknown entry {key}.", entry=key
            )
        if count < 0:
            raise InputError(
                "negative_votes", f"The entry {key} has a negative vote count.", entry=key
            )
    stage_keys = {s.key for s in competition.stages}
    taken: dict[tuple[str, str], Action] = {}
    for d in inputs.decisions:
        if d.entry not in seen:
            raise InputError(
                "unknown_entry", f"A decision names an unknown entry {d.entry}.", entry=d.entry
            )
        if d.stage not in stage_keys and not (d.stage == FINAL and d.action is Action.TIEBREAK):
            raise InputError(
                "unknown_stage", f"A decision names an unknown stage {d.stage}.", stage=d.stage
            )
        if d.action is Action.TIEBREAK and (d.order is None or d.order < 1):
            raise InputError(
                "tiebreak_order",
                f"The tie-break decision for {d.entry} needs an order of 1 or more.",
                entry=d.entry,
                stage=d.stage,
            )
        slot = (d.stage + ("#t" if d.action is Action.TIEBREAK else ""), d.entry)
        if slot in taken:
            raise InputError(
                "conflicting_decisions",
                f"There are two decisions for entry {d.entry} at stage {d.stage}.",
                entry=d.entry,
                stage=d.stage,
            )
        taken[slot] = d.action
        if not d.reason.strip():
            raise InputError(
                "decision_reason",
                f"The decision for entry {d.entry} at stage {d.stage} has no reason.",
                entry=d.entry,
                stage=d.stage,
            )


# -- the computation ------------------------------------------------------------------------


def evaluate(competition: Competition, inputs: Inputs, options: Options) -> Evaluation:
    competition.validate()
    check_inputs(competition, inputs)
    n = len(inputs.entries)
    units = Units.of_entries(inputs.entries, competition.categories)
    category = units.category
    entry_keys = [e.key for e in inputs.entries]
    judge_keys = [j.key for j in inputs.judges]
    decisions: dict[str, dict[int, tuple[Action, str]]] = {}
    orders: dict[str, dict[str, int]] = {}
    index_of = {k: i for i, k in enumerate(entry_keys)} if inputs.decisions else {}
    for d in inputs.decisions:
        if d.action is Action.TIEBREAK:
            assert d.order is not None
            orders.setdefault(d.stage, {})[d.entry] = d.order
        else:
            decisions.setdefault(d.stage, {})[index_of[d.entry]] = (d.action, d.reason)

    alive = np.ones(n, dtype=np.bool_)
    reached = np.full(n, -1, dtype=np.int64)
    advanced_last = np.zeros(n, dtype=np.bool_)
    running = Exact.zeros(n)
    wtaken = Exact.zeros(n)
    final_sel = Exact.zeros(n)
    prev_sel = Exact.zeros(n)
    states: list[StageState] = []
    stage_scores: dict[int, Exact] = {}
    sheets_of: dict[int, Sheets] = {}
    aggs: dict[int, Aggregate] = {}
    complete = True
    pending = False
    all_rows_stage = inputs.scores.stage

    for k, stage in enumerate(competition.stages):
        takes = np.array([stage.takes(c) for c in competition.categories], dtype=np.bool_)
        takes_e = takes[category] if n else np.zeros(0, dtype=np.bool_)
        present = alive & takes_e
        skipped = alive & ~takes_e
        stage_dec = decisions.get(stage.key, {})
        disq = np.zeros(n, dtype=np.bool_)
        elim = np.zeros(n, dtype=np.bool_)
        forced = np.zeros(n, dtype=np.bool_)
        for e, (action, _) in stage_dec.items():
            if not (present[e] or skipped[e]) and not pending:
                raise InputError(
                    "decision_for_absent_entry",
                    f"A decision at stage {stage.key} names entry {entry_keys[e]}, which did "
                    "not reach that stage.",
                    stage=stage.key,
                    entry=entry_keys[e],
                )
            if action is Action.DISQUALIFY:
                disq[e] = True
            elif action is Action.ELIMINATE:
                elim[e] = True
            else:
                forced[e] = True
        state = StageState(
            index=k,
            stage=stage,
            status="complete",
            present=present,
            skipped=skipped,
            disqualified=disq & present,
            eliminated=elim,
            scored=np.zeros(n, dtype=np.bool_),
        )
        states.append(state)
        if pending:
            state.status = "pending"
            if bool((all_rows_stage == k).any()):
                raise InputError(
                    "scores_after_pending_stage",
                    f"The stage {stage.key} has scores but an earlier stage has none yet.",
                    stage=stage.key,
                )
            continue

        # 2. stage score
        if stage.source is Source.JUDGES:
            sheets = compute_sheets(competition, k, inputs, category)
            absent = np.flatnonzero(~present[sheets.entry]) if len(sheets) else np.zeros(0)
            if absent.size:
                s = int(absent[0])
                e = int(sheets.entry[s])
                row = int(sheets.rows()[np.flatnonzero(sheets.row_sheet() == s)[0]])
                raise InputError(
                    "scores_for_absent_entry",
                    f"Entry {entry_keys[e]} has scores at stage {stage.key} but did not reach "
                    "that stage.",
                    row=row,
                    stage=stage.key,
                    entry=entry_keys[e],
                )
            if len(sheets) == 0:
                state.status = "pending"
                pending = True
                complete = False
                continue
            agg = aggregate(sheets, stage.aggregation, n)
            state.sheets, state.agg = sheets, agg
            sheets_of[k], aggs[k] = sheets, agg
            raw = agg.score
            scored = agg.scored & present & ~disq
        else:
            if not inputs.votes:
                state.status = "pending"
                pending = True
                complete = False
                continue
            raw = _vote_scores(inputs, present & ~disq, category)
            scored = present & ~disq
        state.raw = raw
        state.scored = scored

        # 3. calibration
        official = raw
        if stage.source is Source.JUDGES and options.calibrate:
            assert state.sheets is not None
            calibrated, mask, report = _calibrate(
                competition, stage, state.sheets, scored, inputs, category, judge_keys
            )
            state.calibrated, state.calibrated_mask = calibrated, mask
            if report.official == Official.CALIBRATED.value and calibrated is not None:
                official = where(scored, calibrated, raw)
            state.calibration = report
        elif stage.official is Official.CALIBRATED:
            state.calibration = CalibrationReport(
                model=competition.calibration.model.value,
                requested="calibrated",
                official="raw",
                units=(),
            )
        state.official = official
        stage_scores[k] = official

        # 4-5. running total and selection
        state.before = (running, wtaken, prev_sel)
        w = Fraction(stage.weight) / 100
        lowered_by: Exact | None = None
        has_w = wtaken.num > 0
        if stage.can_only_lower:
            # the carried average on 0..100 (the previous selection before any weighted stage)
            carried = where(
                has_w, ratio(running.scaled(Fraction(100)), wtaken, scored & has_w), prev_sel
            )
            lowered_by = where(
                scored, Exact(*_diff(carried, minimum(carried, official))), Exact.zeros(n)
            )
        if stage.kind is StageKind.WEIGHTED:
            effective = (
                where(has_w, minimum(official, carried), official)
                if stage.can_only_lower
                else official
            )
            new_running = add(running, effective.scaled(w))
            running = where(scored, new_running, running)
            wtaken = where(
                scored,
                add(wtaken, Exact(np.full(n, 1, dtype=np.int64), 1).scaled(Fraction(stage.weight))),
                wtaken,
            )
            selection = running
        elif stage.can_only_lower:
            cap = product(official, wtaken).scaled(Fraction(1, 100))
            running = where(scored & has_w, minimum(running, cap), running)
            selection = where(has_w, running, minimum(prev_sel, official))
        else:
            selection = official
        selection = where(scored, selection, Exact.zeros(n))
        state.selection = selection
        state.lowered_by = lowered_by

        # 6. ranking and advancement
        ctx = TieContext(
            competition=competition,
            entry_keys=entry_keys,
            label=stage.key,
            seed=options.seed,
            table=inputs.scores,
            stage_scores=stage_scores,
            sheets=sheets_of,
            aggregates=aggs,
            ranking_stage=k,
            orders=orders.get(stage.key, {}),
        )
        ranked = scored & ~disq
        state.ranking = rank(category, selection, ranked, ctx)
        rule = stage.advancement
        scope = rule.scope if rule is not None else Scope.CATEGORY
        pool_of, names, seats = pools_for(rule, units, scope)
        competing = ranked & ~elim & (pool_of >= 0)
        same_pools = (
            scope is Scope.CATEGORY and not (rule is not None and rule.quotas) and not elim.any()
        )
        if same_pools:
            cut_ranking = state.ranking
            pool_of = category.copy()
            names = list(competition.categories)
            seats = [
                None if rule is None or rule.top_n is None else rule.top_n * rule.multiplier
                for _ in names
            ]
        else:
            cut_ranking = rank(pool_of, selection, competing, ctx)
        state.cut_ranking = cut_ranking
        state.pool_of, state.pool_names = pool_of, names
        adv = select(
            ranking=cut_ranking,
            names=names,
            seats=seats,
            pool_of=pool_of,
            selection=selection,
            rule=rule,
            competing=competing,
            units=units,
        )
        state.advance = adv
        advanced = adv.advanced.copy()
        for e, (action, text) in stage_dec.items():
            if action is Action.ELIMINATE:
                advanced[e] = False
                state.decision_reason[e] = Reason.of("decision_eliminate", reason=text)
            elif action is Action.ADVANCE:
                advanced[e] = True
                state.decision_reason[e] = Reason.of("decision_advance", reason=text)
            else:
                advanced[e] = False
                state.decision_reason[e] = Reason.of("decision_disqualify", reason=text)
        advanced &= (present & ~disq) & (scored | forced)
        state.advanced = advanced
        state.open_ties = adv.open_at_cut

        unscored = present & ~disq & ~scored
        needs_extra = (state.agg.needs_extra & present) if state.agg is not None else None
        if unscored.any() or adv.open_at_cut or (needs_extra is not None and needs_extra.any()):
            state.status = "incomplete"
            complete = False

        # 7. uncertainty and reliability
        if stage.source is Source.JUDGES and state.sheets is not None:
            if options.bootstrap > 0:
                state.uncertainty = _bootstrap_stage(
                    state,
                    stage,
                    inputs,
                    options,
                    category,
                    ranked,
                    competing,
                    pool_of,
                    seats,
                    running_before=state.before,
                    k=k,
                )
            if options.reliability:
                state.reliability = _reliability(competition, state.sheets, scored, category)

        # bookkeeping for the next stage and the final ranking
        reached = np.where(scored, k, reached)
        advanced_last = np.where(scored, advanced, advanced_last)
        final_sel = where(scored, selection, final_sel)
        prev_sel = where(scored, selection, prev_sel)
        alive = (advanced & present) | skipped
        alive &= ~disq

    # final ranking
    unit_of, award_units = units.by_scope(competition.award_scope)
    disqualified = np.zeros(n, dtype=np.bool_)
    for st in states:
        disqualified |= st.disqualified
    final_ranking = None
    final_open: list[list[int]] = []
    eligible = (reached >= 0) & ~disqualified
    if n and eligible.any():
        progress = (2 * reached + advanced_last.astype(np.int64)).astype(np.int64)
        ctx = TieContext(
            competition=competition,
            entry_keys=entry_keys,
            label=FINAL,
            seed=options.seed,
            table=inputs.scores,
            stage_scores=stage_scores,
            sheets=sheets_of,
            aggregates=aggs,
            ranking_stage=len(competition.stages) - 1,
            orders=orders.get(FINAL, {}),
            reached=reached,
        )
        final_ranking = rank(unit_of, final_sel, eligible, ctx, secondary=progress)
        final_open = _open_ties_that_matter(competition, final_ranking, inputs)
        if final_open:
            complete = False
    return Evaluation(
        competition=competition,
        inputs=inputs,
        options=options,
        stages=states,
        reached=reached,
        advanced_last=advanced_last,
        final_selection=final_sel,
        running=running,
        final_ranking=final_ranking,
        final_units=award_units,
        final_unit_of=unit_of,
        final_open=final_open,
        complete=complete,
    )


def _diff(a: Exact, b: Exact) -> tuple[npt.NDArray[np.int64], int]:
    (x, y), den = common(a, b)
    return x - y, den


def _vote_scores(inputs: Inputs, present: Bools, category: Ints) -> Exact:
    """100 x votes / the most votes in the entry's category among the stage's entries."""
    n = len(inputs.entries)
    votes = np.array([inputs.votes.get(e.key, 0) for e in inputs.entries], dtype=np.int64)
    values: list[Fraction] = [Fraction(0)] * n
    for c in np.unique(category[present]) if present.any() else []:
        members = np.flatnonzero(present & (category == c))
        top = int(votes[members].max())
        for e in members:
            values[int(e)] = Fraction(100 * int(votes[e]), top) if top else Fraction(0)
    return Exact.from_fractions(values)


def _calibration_units(
    stage: Stage, category: Ints, competition: Competition
) -> list[tuple[str, Bools]]:
    rule = stage.advancement
    if rule is not None and rule.scope is not Scope.CATEGORY:
        return [("overall", np.ones(category.shape[0], dtype=np.bool_))]
    return [(c, category == i) for i, c in enumerate(competition.categories)]


def _calibrate(
    competition: Competition,
    stage: Stage,
    sheets: Sheets,
    scored: Bools,
    inputs: Inputs,
    category: Ints,
    judge_keys: list[str],
) -> tuple[Exact | None, Bools | None, CalibrationReport]:
    """Calibrated stage scores (rounded to 6 decimals), where they exist, and the report."""
    n = len(inputs.entries)
    cs = np.flatnonzero(sheets.counted & scored[sheets.entry])
    ce, cj = sheets.entry[cs], sheets.judge[cs]
    totals = sheets.total.floats()[cs]
    adjusted = np.full(cs.shape[0], np.nan)
    units: list[CalibrationUnit] = []
    refused = False
    for name, member in _calibration_units(stage, category, competition):
        sel = member[ce]
        if not sel.any():
            continue
        try:
            result = fit(
                ce[sel],
                cj[sel],
                totals[sel],
                model=competition.calibration.model,
                regularisation=float(competition.calibration.regularisation),
                judge_keys=judge_keys,
            )
        except CalibrationRefused as exc:
            refused = True
            groups = tuple(tuple(g) for g in exc.params.get("groups", ()))
            units.append(CalibrationUnit(name, "refused", exc.code, str(exc), (), groups))
            continue
        adjusted[np.flatnonzero(sel)] = result.adjusted
        units.append(
            CalibrationUnit(
                name,
                "fitted",
                None,
                None,
                tuple(
                    JudgeCalibration(judge_keys[int(j)], int(m), float(o), float(s))
                    for j, o, s, m in zip(
                        result.judges, result.offset, result.scale, result.sheets, strict=True
                    )
                ),
            )
        )
    requested = stage.official.value
    official = "raw" if refused or not units else requested
    report = CalibrationReport(
        competition.calibration.model.value, requested, official, tuple(units)
    )
    ok = ~np.isnan(adjusted)
    if not ok.any():
        return None, None, report
    values = aggregate_floats(ce[ok], adjusted[ok], stage.aggregation, n)
    scale = 10**CALIBRATED_PLACES
    have = ~np.isnan(values)
    nums = np.rint(np.where(have, values, 0.0) * scale).astype(np.int64)
    return Exact(nums, scale), have, report


def _bootstrap_stage(
    state: StageState,
    stage: Stage,
    inputs: Inputs,
    options: Options,
    category: Ints,
    ranked: Bools,
    competing: Bools,
    pool_of: Ints,
    seats: list[int | None],
    *,
    running_before: tuple[Exact, Exact, Exact] | None,
    k: int,
) -> Uncertainty:
    sheets = state.sheets
    assert sheets is not None
    n = len(inputs.entries)
    cs = np.flatnonzero(sheets.counted & ranked[sheets.entry])
    ce = sheets.entry[cs]
    values = sheets.total.floats()[cs]
    calib = state.calibration
    if (
        stage.official is Official.CALIBRATED
        and calib is not None
        and calib.official == "calibrated"
    ):
        offsets = {}
        for unit in calib.units:
            for jc in unit.judges:
                offsets[jc.judge] = (jc.offset, jc.scale)
        keys = [j.key for j in inputs.judges]
        off = np.array([offsets.get(keys[int(j)], (0.0, 1.0))[0] for j in sheets.judge[cs]])
        scl = np.array([offsets.get(keys[int(j)], (0.0, 1.0))[1] for j in sheets.judge[cs]])
        mean = float(values.mean()) if values.size else 0.0
        if np.all(scl == 1.0):
            values = values - off
        else:
            values = mean + (values - mean - off) / scl
    assert running_before is not None
    run, wt, prev = running_before
    run_f, wt_f, prev_f = run.floats(), wt.floats(), prev.floats()
    w = float(stage.weight) / 100.0
    lower = stage.can_only_lower
    has_w = wt_f > 0
    carried = np.where(has_w, run_f * 100.0 / np.where(has_w, wt_f, 1.0), np.inf)

    selection: Callable[[Floats], Floats]
    if stage.kind is StageKind.WEIGHTED:
        if lower:

            def selection(s: Floats) -> Floats:
                return run_f + w * np.minimum(s, carried)
        else:

            def selection(s: Floats) -> Floats:
                return run_f + w * s
    elif lower:

        def selection(s: Floats) -> Floats:
            return np.where(has_w, np.minimum(run_f, s * wt_f / 100.0), np.minimum(prev_f, s))
    else:

        def selection(s: Floats) -> Floats:
            return s

    rule = stage.advancement
    grade = None if rule is None or rule.passing_grade is None else float(rule.passing_grade)
    has_cut = rule is not None and (rule.has_cut or rule.passing_grade is not None)
    cut_seats: list[int | None] = list(seats) if has_cut else [None] * len(seats)
    if has_cut and rule is not None and not rule.has_cut:
        cut_seats = [n] * len(seats)
    entry_keys = [e.key for e in inputs.entries]
    entry_order = np.zeros(n, dtype=np.int64)
    entry_order[np.array(sorted(range(n), key=entry_keys.__getitem__), dtype=np.int64)] = np.arange(
        n, dtype=np.int64
    )
    judge_keys = [j.key for j in inputs.judges]
    judge_rank = np.zeros(len(judge_keys), dtype=np.int64)
    judge_rank[
        np.array(sorted(range(len(judge_keys)), key=judge_keys.__getitem__), dtype=np.int64)
    ] = np.arange(len(judge_keys), dtype=np.int64)
    return bootstrap(
        counted_entry=ce,
        values=values,
        entry_order=entry_order,
        sheet_order=judge_rank[sheets.judge[cs]],
        rule=stage.aggregation,
        n_entries=n,
        ranked=ranked,
        selection=selection,
        units=category,
        pools=pool_of,
        seats=cut_seats,
        competing=competing,
        grade=grade,
        replicates=options.bootstrap,
        seed=options.seed,
        stream=k,
        confidence=float(options.confidence),
    )


def _reliability(
    competition: Competition, sheets: Sheets, scored: Bools, category: Ints
) -> list[UnitReliability]:
    out = []
    cs = np.flatnonzero(sheets.counted & scored[sheets.entry])
    ce, cj = sheets.entry[cs], sheets.judge[cs]
    totals = sheets.total.floats()[cs]
    for i, c in enumerate(competition.categories):
        sel = category[ce] == i
        if not sel.any():
            continue
        out.append(UnitReliability(c, reliability(ce[sel], cj[sel], totals[sel])))
    return out


def _tier_for(competition: Competition, rank_: int, category: str) -> int | None:
    for i, tier in enumerate(competition.tiers):
        if tier.categories and category not in tier.categories:
            continue
        if tier.rank_from <= rank_ <= tier.rank_to:
            return i
    return None


def _open_ties_that_matter(
    competition: Competition, ranking: Ranking, inputs: Inputs
) -> list[list[int]]:
    """Final ties still open that would change an award (different tiers inside the tie)."""
    out = []
    for group in ranking.open_ties:
        r = int(ranking.rank[group[0]])
        cat = inputs.entries[group[0]].category
        tiers = {_tier_for(competition, r + i, cat) for i in range(len(group))}
        if len(tiers) > 1:
            out.append(group)
    return out


# -- materialising results ------------------------------------------------------------------


class _Column:
    """Fast per-entry access to an exact column (Python ints, one denominator)."""

    def __init__(self, column: Exact | None) -> None:
        self.nums: list[int] | None = None if column is None else column.num.tolist()
        self.den = 1 if column is None else column.den

    def __call__(self, e: int) -> Fraction | None:
        return None if self.nums is None else Fraction(self.nums[e], self.den)


def _list(arr: npt.NDArray[Any] | None, n: int, fill: Any) -> list[Any]:
    return [fill] * n if arr is None else arr.tolist()


def _materialise(ev: Evaluation) -> Results:
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
        rank_l = _list(st.ranking.rank if st.ranking is not None else None, n, 0)
        pool_rank_l = _list(
            st.cut_ranking.rank if st.cut_ranking is not None and not same else None, n, 0
        )
        pool_l = _list(st.pool_of if not same else None, n, -1)
        unc = st.uncertainty
        has_unc = unc is not None and unc.replicates > 0
        low_l = _list(unc.rank_low if has_unc and unc else None, n, 0)
        high_l = _list(unc.rank_high if has_unc and unc else None, n, 0)
        p_l = _list(unc.p_top if has_unc and unc else None, n, math.nan)
        scored_l, disq_l = st.scored.tolist(), st.disqualified.tolist()
        adv_l = _list(st.advanced, n, False)
        cal_mask = _list(st.calibrated_mask, n, False)
        official, raw = _Column(st.official), _Column(st.raw)
        calibrated, selection = _Column(st.calibrated), _Column(st.selection)
        lowered_col = _Column(st.lowered_by)
        agg = st.agg
        counted_l = _list(agg.n_counted if agg else None, n, 0)
        sheets_l = _list(agg.n_sheets if agg else None, n, 0)
        sd_l = _list(agg.sd if agg else None, n, math.nan)
        dis_l = _list(agg.disagreement if agg else None, n, False)
        extra_l = _list(agg.needs_extra if agg else None, n, False)
        trim_l = _list(agg.trimmed if agg else None, n, False)
        spread = _Column(agg.spread if agg else None)
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
    final = _final(ev)
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


def _final(ev: Evaluation) -> list[FinalEntry]:
    comp, inputs = ev.competition, ev.inputs
    entries = inputs.entries
    n = len(entries)
    disq = np.zeros(n, dtype=np.bool_)
    for st in ev.stages:
        disq |= st.disqualified
    ranking = ev.final_ranking
    last_of_category = {}
    for c in comp.categories:
        idx = [i for i, s in enumerate(comp.stages) if s.takes(c)]
        last_of_category[c] = idx[-1] if idx else -1
    has_weighted = bool(comp.weighted)
    tiers: dict[int, int] = {}
    bands: dict[int, tuple[int | None, int | None]] = {}
    award_ok = ev.complete
    if award_ok and ranking is not None:
        for e in ranking.order.tolist():
            cat = entries[e].category
            last = last_of_category[cat]
            if int(ev.reached[e]) != last:
                continue
            selected = comp.stages[last].advancement is None or bool(ev.advanced_last[e])
            t = _tier_for(comp, int(ranking.rank[e]), cat) if selected else None
            if t is not None:
                tiers[e] = t
            total = ev.final_selection.fraction(e)
            g = next((i for i, b in enumerate(comp.grades) if b.contains(total)), None)
            p = next((i for i, b in enumerate(comp.predicates) if b.contains(total)), None)
            bands[e] = (g, p)
    favourites = _favourites(ev, tiers, disq) if award_ok else set()
    out: list[FinalEntry] = []
    order = ranking.order.tolist() if ranking is not None else []
    in_order = set(order)
    rest = [e for e in range(n) if e not in in_order]
    rank_l = _list(ranking.rank if ranking is not None else None, n, 0)
    disq_l, reached_l = disq.tolist(), ev.reached.tolist()
    unit_l = ev.final_unit_of.tolist()
    total_col, running_col = _Column(ev.final_selection), _Column(ev.running)
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


def display(value: Fraction, places: int = 2) -> Decimal:
    """Round a value for display (half to even)."""
    return to_decimal(value, places)


__all__ = ["compute", "evaluate", "check_inputs", "display", "Evaluation", "lcm"]
