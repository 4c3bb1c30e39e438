"""A stage: who takes part, the stage score, calibration, the running total and uncertainty.

Every entry starts in the first stage. At each stage, in order:

1. **Who takes part.** The entries that advanced from the previous stage. Entries of a
   category the stage does not apply to pass it untouched. Entries disqualified by decision
   at this stage leave the competition here (no rank, no award).
2. **Stage score.** Judged stages: each judge's sheet total (:mod:`.sheets`), then the
   stage's method across counted judges (:mod:`.aggregate`). Public-vote stages:
   ``scale x votes / the most votes of any entry of the same category in the stage``
   (``scale`` is the final score's, 100 unless the rubrics declare their own points).
   A stage with no scores at all is *pending*: the computation stops there.
3. **Calibrated score** beside the raw one (:mod:`.calibration`), fitted per category (or
   over the whole stage when places are shared across categories). The raw score is
   official unless the stage's rules choose the calibrated one; if calibration is refused
   the raw score stays official and the refusal is reported.
4. **Running total and selection score.** ``running = sum(weight x stage score) / 100``
   over the weighted stages taken so far (weights add up to 100, so the final running total
   is on the weighted stages' shared scale, 0..100 by default). A weighted stage ranks and
   cuts by the running total; a filter stage by its own stage score, on its own scale.
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
6. Ranking and advancement: :mod:`.advancement`.
7. **Uncertainty** (:mod:`.bootstrap`) and **reliability** (:mod:`.reliability`).
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from .aggregate import aggregate, aggregate_floats
from .bootstrap import Uncertainty, bootstrap
from .calibration import fit
from .errors import CalibrationRefused, InputError
from .exact import Exact, add, common, minimum, product, ratio, where
from .inputs import Action, Inputs, Options
from .reliability import reliability
from .results import CalibrationReport, CalibrationUnit, JudgeCalibration, UnitReliability
from .sheets import Sheets, compute_sheets
from .spec import Competition, Official, Scope, Source, Stage, StageKind
from .state import Bools, Carry, Context, Floats, Ints, StageState

#: Calibrated scores are rounded to this many decimals before any comparison.
CALIBRATED_PLACES = 6


def open_stage(ctx: Context, k: int, stage: Stage, carry: Carry, pending: bool) -> StageState:
    """1. Who takes part, and the stage's decisions (an earlier stage pending: none checked)."""
    n = ctx.n
    competition = ctx.competition
    takes = np.array([stage.takes(c) for c in competition.categories], dtype=np.bool_)
    takes_e = takes[ctx.category] if n else np.zeros(0, dtype=np.bool_)
    present = carry.alive & takes_e
    skipped = carry.alive & ~takes_e
    disq = np.zeros(n, dtype=np.bool_)
    elim = np.zeros(n, dtype=np.bool_)
    forced = np.zeros(n, dtype=np.bool_)
    for e, (action, _) in ctx.decisions.get(stage.key, {}).items():
        if not (present[e] or skipped[e]) and not pending:
            raise InputError(
                "decision_for_absent_entry",
                f"A decision at stage {stage.key} names entry {ctx.entry_keys[e]}, which did "
                "not reach that stage.",
                stage=stage.key,
                entry=ctx.entry_keys[e],
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
        forced=forced,
        disqualify_decided=disq,
    )
    if pending:
        state.status = "pending"
        if bool((ctx.inputs.scores.stage == k).any()):
            raise InputError(
                "scores_after_pending_stage",
                f"The stage {stage.key} has scores but an earlier stage has none yet.",
                stage=stage.key,
            )
    return state


def recusals_at(ctx: Context, stage_key: str) -> npt.NDArray[np.int64] | None:
    """Per entry, the panel members who recused from it at the stage (None: nobody)."""
    rows = [r for r in ctx.inputs.recusals if r.stage == stage_key]
    if not rows:
        return None
    index = {key: i for i, key in enumerate(ctx.entry_keys)}
    out = np.zeros(ctx.n, dtype=np.int64)
    for row in rows:
        out[index[row.entry]] += 1
    return out


def score_stage(ctx: Context, state: StageState) -> bool:
    """2. The raw stage score; False (and the stage pending) when it has no scores yet."""
    competition, inputs, stage, k = ctx.competition, ctx.inputs, state.stage, state.index
    n, category, present, disq = ctx.n, ctx.category, state.present, state.disqualified
    if stage.source is Source.JUDGES:
        sheets = compute_sheets(competition, k, inputs, category)
        absent = np.flatnonzero(~present[sheets.entry]) if len(sheets) else np.zeros(0)
        if absent.size:
            s = int(absent[0])
            e = int(sheets.entry[s])
            row = int(sheets.rows()[np.flatnonzero(sheets.row_sheet() == s)[0]])
            raise InputError(
                "scores_for_absent_entry",
                f"Entry {ctx.entry_keys[e]} has scores at stage {stage.key} but did not reach "
                "that stage.",
                row=row,
                stage=stage.key,
                entry=ctx.entry_keys[e],
            )
        if len(sheets) == 0:
            state.status = "pending"
            return False
        agg = aggregate(sheets, stage.aggregation, n, recusals_at(ctx, stage.key))
        state.sheets, state.agg = sheets, agg
        ctx.sheets[k], ctx.aggregates[k] = sheets, agg
        raw = agg.score
        scored = agg.scored & present & ~disq
    else:
        if not inputs.votes:
            state.status = "pending"
            return False
        raw = _vote_scores(inputs, present & ~disq, category, Fraction(competition.scale))
        scored = present & ~disq
    state.raw = raw
    state.scored = scored
    return True


def calibrate_stage(ctx: Context, state: StageState) -> None:
    """3. The calibrated score beside the raw one, and which of the two is official."""
    competition, stage = ctx.competition, state.stage
    assert state.raw is not None
    raw = state.raw
    official = raw
    if stage.source is Source.JUDGES and ctx.options.calibrate:
        assert state.sheets is not None
        calibrated, mask, report = _calibrate(
            competition, stage, state.sheets, state.scored, ctx.inputs, ctx.category, ctx.judge_keys
        )
        state.calibrated, state.calibrated_mask = calibrated, mask
        if report.official == Official.CALIBRATED.value and calibrated is not None:
            official = where(state.scored, calibrated, raw)
        state.calibration = report
    elif stage.official is Official.CALIBRATED:
        state.calibration = CalibrationReport(
            model=competition.calibration.model.value,
            requested="calibrated",
            official="raw",
            units=(),
        )
    state.official = official
    ctx.stage_scores[state.index] = official


def carry_stage(ctx: Context, state: StageState, carry: Carry) -> None:
    """4-5. The running total, the selection score and what a can-only-lower stage took off."""
    n, stage, scored, official = ctx.n, state.stage, state.scored, state.official
    assert official is not None
    running, wtaken, prev_sel = carry.running, carry.wtaken, carry.previous_selection
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
            where(has_w, minimum(official, carried), official) if stage.can_only_lower else official
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
    carry.running, carry.wtaken = running, wtaken


def measure_stage(ctx: Context, state: StageState) -> None:
    """7. Uncertainty (bootstrap) and reliability of a judged stage."""
    stage, options = state.stage, ctx.options
    if stage.source is not Source.JUDGES or state.sheets is None:
        return
    if options.bootstrap > 0:
        assert state.ranked is not None and state.competing is not None
        assert state.pool_of is not None
        state.uncertainty = _bootstrap_stage(
            state,
            stage,
            ctx.inputs,
            options,
            ctx.category,
            state.ranked,
            state.competing,
            state.pool_of,
            state.seats,
            running_before=state.before,
            k=state.index,
        )
    if options.reliability:
        state.reliability = _reliability(ctx.competition, state.sheets, state.scored, ctx.category)


def _diff(a: Exact, b: Exact) -> tuple[npt.NDArray[np.int64], int]:
    (x, y), den = common(a, b)
    return x - y, den


def _vote_scores(inputs: Inputs, present: Bools, category: Ints, scale: Fraction) -> Exact:
    """scale x votes / the most votes in the entry's category among the stage's entries."""
    n = len(inputs.entries)
    votes = np.array([inputs.votes.get(e.key, 0) for e in inputs.entries], dtype=np.int64)
    values: list[Fraction] = [Fraction(0)] * n
    for c in np.unique(category[present]) if present.any() else []:
        members = np.flatnonzero(present & (category == c))
        top = int(votes[members].max())
        for e in members:
            values[int(e)] = scale * Fraction(int(votes[e]), top) if top else Fraction(0)
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
