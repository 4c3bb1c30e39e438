"""The one adapter from the database to the scoring engine.

``compute_stage_results`` reads an edition's entries, judges, submitted scores, votes and
decisions in a few queries, builds the engine's plain inputs, calls
:func:`sayembara.scoring.evaluate` and stores what the engine returns as ``StageResult``
and ``FinalResult`` rows. No score is computed here: every sum, mean, rank and interval
comes from the engine; this module only converts types and stores.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara import scoring
from sayembara.common.services.audit import record_event
from sayembara.competitions.models import AwardTier, Criterion, Edition, Stage
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.judging.enums import JuryRole, SheetStatus
from sayembara.judging.models import (
    Conflict,
    FinalResult,
    Judge,
    PanelMember,
    Score,
    StageClosing,
    StageDecision,
    StageResult,
)
from sayembara.judging.services.errors import JudgingError

#: Entries that take part in judging: they passed the administrative check.
JUDGED_STATES = (
    EntryState.PASSED_ADMIN, EntryState.IN_STAGE, EntryState.ELIMINATED, EntryState.FINALIST,
    EntryState.WINNER, EntryState.DISQUALIFIED,
)
#: Stored results keep six decimals for display; the exact value is in ``details``.
PLACES = Decimal("0.000001")
#: Bootstrap replicates for rank intervals and P(top N).
BOOTSTRAP = 1000


def competition_for(edition: Edition) -> scoring.Competition:
    """The engine's rules for an edition (the ranking layer's bridge from the template)."""
    from sayembara.ranking.bridge import competition_from_template

    return competition_from_template(template_of(edition))


def judge_key(judge_id: int) -> str:
    return f"j{judge_id}"


@dataclass
class EngineInputs:
    """The engine's inputs and the maps back to database rows."""

    competition: scoring.Competition
    inputs: scoring.Inputs
    entries: dict[str, Entry]  # key (entry code) -> row
    judges: dict[str, Judge]


def _to_fraction(value: Decimal) -> Fraction:
    return Fraction(value)


def build_inputs(*, edition: Edition, competition: scoring.Competition | None = None,
                 stages: list[Stage] | None = None, entry_ids: set[int] | None = None
                 ) -> EngineInputs:
    """Everything the engine needs for an edition, in six queries.

    Scores count when their sheet is submitted or locked and the judge has no conflict
    with the entry. ``entry_ids`` limits the entries (a disagreement check of one entry).
    """
    competition = competition or competition_for(edition)
    stage_rows = stages if stages is not None else list(edition.stages.all())
    stage_index = {s.key: i for i, s in enumerate(competition.stages)}
    stage_of_row = {s.pk: stage_index[s.key] for s in stage_rows if s.key in stage_index}

    entries_qs = (Entry.objects.filter(edition=edition, state__in=JUDGED_STATES)
                  .select_related("category", "group", "institution").order_by("code"))
    if entry_ids is not None:
        entries_qs = entries_qs.filter(pk__in=entry_ids)
    entry_rows = list(entries_qs)
    entries = tuple(
        scoring.Entry(
            key=e.code, category=e.category.key, group=e.group.key if e.group_id else None,
            attributes=(("institution", str(e.institution_id)),
                        ("institution_type", e.institution.kind),
                        ("region", e.institution.region_code or "")),
        )
        for e in entry_rows
    )
    judge_rows = list(Judge.objects.filter(edition=edition).order_by("pk"))
    honorary_panel = set(PanelMember.objects.filter(
        panel__stage__edition=edition, role=JuryRole.KEHORMATAN).values_list("judge_id",
                                                                              flat=True))
    judges = tuple(scoring.Judge(key=judge_key(j.pk),
                                 honorary=j.role == JuryRole.KEHORMATAN or j.pk in honorary_panel)
                   for j in judge_rows)
    entry_ix = {e.pk: i for i, e in enumerate(entry_rows)}
    judge_ix = {j.pk: i for i, j in enumerate(judge_rows)}
    category_of = {e.pk: e.category.key for e in entry_rows}

    criteria = {c.pk: (c.key, c.rubric.key) for c in
                Criterion.objects.filter(rubric__edition=edition).select_related("rubric")}
    conflicted = set(Conflict.objects.filter(judge__edition=edition)
                     .values_list("judge_id", "entry_id"))
    rows = Score.objects.filter(
        sheet__stage__edition=edition,
        sheet__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
        value__isnull=False,
    ).values_list("sheet__stage_id", "sheet__judge_id", "sheet__entry_id", "criterion_id",
                  "value", "checked")
    if entry_ids is not None:
        rows = rows.filter(sheet__entry_id__in=entry_ids)

    position_cache: dict[tuple[int, int], int] = {}
    cols: list[list[int]] = [[], [], [], []]
    decimal_values: list[Decimal] = []
    fraction_values: dict[int, Fraction] = {}
    checklist: dict[tuple[int, str], scoring.Criterion] = {}
    for stage_id, judge_id, entry_id, criterion_id, value, checked in rows.iterator(
            chunk_size=5000):
        if (judge_id, entry_id) in conflicted or entry_id not in entry_ix:
            continue
        k = stage_of_row.get(stage_id)
        if k is None:
            continue
        stage = competition.stages[k]
        rubric_key = stage.rubric_for(category_of[entry_id])
        ckey, crubric = criteria[criterion_id]
        if rubric_key is None or crubric != rubric_key:
            continue
        cached = position_cache.get((k, criterion_id))
        if cached is None:
            cached = competition.rubric(rubric_key).index(ckey)
            position_cache[(k, criterion_id)] = cached
        cols[0].append(k)
        cols[1].append(judge_ix[judge_id])
        cols[2].append(entry_ix[entry_id])
        cols[3].append(cached)
        spec_criterion = competition.rubric(rubric_key).criteria[cached]
        if spec_criterion.kind is scoring.CriterionKind.CHECKLIST:
            checklist[(k, ckey)] = spec_criterion
            fraction_values[len(decimal_values)] = spec_criterion.score_of_items(
                tuple(checked or ()))
        decimal_values.append(value)
    table = _score_table(cols, decimal_values, fraction_values)
    votes = _votes(edition, entry_rows)
    decisions = tuple(
        scoring.Decision(stage=d.stage.key, entry=d.entry.code,
                         action=scoring.Action(d.decision), reason=d.reason)
        for d in StageDecision.objects.filter(stage__edition=edition)
        .select_related("stage", "entry") if entry_ids is None or d.entry_id in entry_ids
    )
    inputs = scoring.Inputs(entries=entries, judges=judges, scores=table, votes=votes,
                            decisions=decisions)
    return EngineInputs(competition=competition, inputs=inputs,
                        entries={e.code: e for e in entry_rows},
                        judges={judge_key(j.pk): j for j in judge_rows})


def _score_table(cols: list[list[int]], values: list[Decimal],
                 fractions: dict[int, Fraction]) -> scoring.ScoreTable:
    """Exact integer numerators over one denominator (scores have at most 3 decimals)."""
    if not values:
        return scoring.ScoreTable.empty()
    den = 1000
    for f in fractions.values():
        den = int(np.lcm(den, f.denominator))
    nums = []
    for i, value in enumerate(values):
        f = fractions.get(i)
        if f is None:
            f = Fraction(value)
        nums.append(int(f * den))
    return scoring.ScoreTable.from_arrays(stage=cols[0], judge=cols[1], entry=cols[2],
                                          criterion=cols[3], value=nums, denominator=den)


def _votes(edition: Edition, entry_rows: list[Entry]) -> dict[str, int]:
    try:
        from sayembara.voting.selectors.votes import edition_vote_counts
    except ImportError:  # the voting app is optional for judged-only editions
        return {}
    counts = edition_vote_counts(edition)
    codes = {e.pk: e.code for e in entry_rows}
    return {codes[pk]: n for pk, n in counts.items() if pk in codes}


def exact_text(value: Fraction | None) -> str | None:
    """The exact value as text: '81' or '242/3'."""
    if value is None:
        return None
    if value.denominator == 1:
        return str(value.numerator)
    return f"{value.numerator}/{value.denominator}"


def shown(value: Fraction | float | None) -> Decimal | None:
    """A value rounded to six decimals for display and storage (exact text is kept apart)."""
    if value is None:
        return None
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(PLACES, rounding=ROUND_HALF_EVEN)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(
        PLACES, rounding=ROUND_HALF_EVEN)


def reason_text(reason: Any) -> str:
    """The engine's reason as a translated sentence (English when no translation)."""
    if reason is None:
        return ""
    from sayembara.judging.selectors.reasons import translate_reason

    return translate_reason(reason.code, reason.mapping)


@transaction.atomic
def compute_stage_results(*, stage: Stage, actor: Any, seed: int | None = None,
                          bootstrap: int = BOOTSTRAP) -> scoring.Results:
    """Run the engine for the stage's edition and store the results of every computed stage
    and the final ranking. Returns the engine's results.

    Raises JudgingError with the engine's sentence when the rules or data are refused.
    """
    edition = stage.edition
    seed = edition.year if seed is None else seed
    stages = list(edition.stages.all())
    try:
        prepared = build_inputs(edition=edition, stages=stages)
        evaluation = scoring.evaluate(prepared.competition, prepared.inputs,
                                      scoring.Options(seed=seed, bootstrap=bootstrap))
        results = evaluation.results()
    except scoring.ScoringError as error:
        raise JudgingError(
            _("The scores could not be computed: %(problem)s") % {"problem": str(error)}
        ) from error
    _store(edition, stages, prepared, evaluation, results)
    record_event(actor=actor, action="results.computed", obj=stage,
                 object_type="competitions.stage", edition_id=edition.pk,
                 after={"stage": stage.key, "seed": seed, "engine": results.engine_version,
                        "complete": results.complete,
                        "stages": {s.key: s.status for s in results.stages}})
    return results


def _store(edition: Edition, stages: list[Stage], prepared: EngineInputs,
           evaluation: Any, results: scoring.Results) -> None:
    by_key = {s.key: s for s in stages}
    judge_keys = [j.key for j in prepared.inputs.judges]
    entry_index = {e.key: i for i, e in enumerate(prepared.inputs.entries)}
    new_rows: list[StageResult] = []
    computed_stage_ids = []
    for k, stage_result in enumerate(results.stages):
        stage = by_key.get(stage_result.key)
        if stage is None or stage_result.status == "pending":
            continue
        computed_stage_ids.append(stage.pk)
        sheets = evaluation.stages[k].sheets
        for item in stage_result.entries:
            if item.status in ("skipped", "awaiting"):
                continue
            entry = prepared.entries[item.entry]
            totals = {}
            if sheets is not None:
                e = entry_index[item.entry]
                totals = {judge_keys[j]: exact_text(v) for j, v in
                          sheets.totals_of(e, counted_only=False).items()}
            low, high = item.rank_interval or (None, None)
            new_rows.append(StageResult(
                stage=stage, entry=entry, score=shown(item.score), raw=shown(item.raw),
                calibrated=shown(item.calibrated), rank=item.rank, rank_low=low,
                rank_high=high,
                p_top_n=Decimal(repr(item.p_top_n)).quantize(Decimal("0.0001"))
                if item.p_top_n is not None else None,
                judges_count=item.judges, dispersion=shown(item.spread),
                flagged=item.disagreement, advanced=item.advanced,
                reason=reason_text(item.reason),
                details={
                    "status": item.status,
                    "exact": {"score": exact_text(item.score), "raw": exact_text(item.raw),
                              "calibrated": exact_text(item.calibrated),
                              "selection": exact_text(item.selection),
                              "lowered_by": exact_text(item.lowered_by),
                              "spread": exact_text(item.spread)},
                    "selection": str(shown(item.selection)) if item.selection is not None
                    else None,
                    "lowered_by": str(shown(item.lowered_by)) if item.lowered_by is not None
                    else None,
                    "sd": item.sd, "sheets": item.sheets, "trimmed": item.trimmed,
                    "needs_extra_judge": item.needs_extra_judge,
                    "pool": item.pool, "pool_rank": item.pool_rank,
                    "close_to_cut": item.close_to_cut, "tie_break": item.tie_break,
                    "reason_code": item.reason.code if item.reason else None,
                    "reason_params": item.reason.mapping if item.reason else {},
                    "judge_totals": totals,
                },
                engine_version=results.engine_version,
            ))
    StageResult.objects.filter(stage__edition=edition).delete()
    StageResult.objects.bulk_create(new_rows, batch_size=1000)
    now = timezone.now()
    for stage_result in results.stages:
        stage = by_key.get(stage_result.key)
        if stage is None or stage_result.status == "pending":
            continue
        closing, _created = StageClosing.objects.get_or_create(stage=stage)
        if closing.confirmed_at is not None:
            continue
        closing.seed = results.seed
        closing.computed_at = now
        closing.engine_version = results.engine_version
        closing.summary = {
            "status": stage_result.status,
            "open_ties": [list(t) for t in stage_result.open_ties],
            "pools": [{"name": p.name, "seats": p.seats, "competing": p.competing,
                       "advanced": p.advanced} for p in stage_result.pools],
            "complete": results.complete,
            "calibration": _calibration_summary(stage_result.calibration),
            "reliability": _reliability_summary(stage_result.reliability),
            "bootstrap": stage_result.bootstrap,
        }
        closing.save()

    tiers = {(t.key, t.category_id): t for t in AwardTier.objects.filter(edition=edition)}
    finals = []
    for item in results.final:
        if item.status != "ranked":
            continue
        entry = prepared.entries[item.entry]
        tier = tiers.get((item.tier, entry.category_id)) or tiers.get((item.tier, None)) \
            if item.tier else None
        finals.append(FinalResult(
            edition=edition, entry=entry, category_id=entry.category_id, rank=item.rank,
            total=shown(item.total), award_tier=tier, award_label=item.award or "",
            prize=item.prize,
            details={"unit": item.unit, "reached": item.reached, "grade": item.grade,
                     "predicate": item.predicate, "favourite": item.favourite,
                     "votes": item.votes, "tie_break": item.tie_break,
                     "trophy": item.trophy, "certificate": item.certificate,
                     "weighted_total": str(shown(item.weighted_total))
                     if item.weighted_total is not None else None,
                     "exact_total": exact_text(item.total), "complete": results.complete,
                     "favourite_name": results.favourite if item.favourite else None},
            engine_version=results.engine_version,
        ))
    FinalResult.objects.filter(edition=edition).delete()
    FinalResult.objects.bulk_create(finals, batch_size=1000)


def _calibration_summary(report: Any) -> dict[str, Any] | None:
    if report is None:
        return None
    return {"model": report.model, "requested": report.requested, "official": report.official,
            "units": [{"unit": u.unit, "status": u.status, "message": u.message}
                      for u in report.units]}


def _reliability_summary(items: Any) -> list[dict[str, Any]]:
    out = []
    for item in items or ():
        figures = item.figures
        data = dataclasses.asdict(figures) if dataclasses.is_dataclass(figures) else {}
        out.append({"unit": item.unit, **{k: v for k, v in data.items()
                                          if isinstance(v, int | float | str | type(None))}})
    return out


def check_disagreement(*, stage: Stage, entry: Entry) -> Any:
    """The engine's view of one entry at one stage from its submitted sheets alone:
    the ``EntryStage`` (with ``disagreement`` and ``needs_extra_judge``), or None."""
    competition = competition_for(stage.edition)
    try:
        spec_stage = competition.stages[competition.stage_index(stage.key)]
    except KeyError:
        return None
    if spec_stage.source is not scoring.Source.JUDGES:
        return None
    alone = dataclasses.replace(
        spec_stage, kind=scoring.StageKind.FILTER, weight=Decimal(0), can_only_lower=False,
        advancement=None, categories=(),
    )
    reduced = dataclasses.replace(competition, stages=(alone,), tiers=(), grades=(),
                                  predicates=(), favourite=None)
    prepared = build_inputs(edition=stage.edition, competition=reduced, stages=[stage],
                            entry_ids={entry.pk})
    prepared = dataclasses.replace(prepared, inputs=dataclasses.replace(
        prepared.inputs, decisions=(), votes={}))
    results = scoring.compute(reduced, prepared.inputs,
                              scoring.Options(bootstrap=0, calibrate=False, reliability=False))
    for item in results.stages[0].entries:
        if item.entry == entry.code:
            return item
    return None


def group_results_by_entry(rows: list[StageResult]) -> dict[int, list[StageResult]]:
    grouped: dict[int, list[StageResult]] = defaultdict(list)
    for row in rows:
        grouped[row.entry_id].append(row)
    return grouped
