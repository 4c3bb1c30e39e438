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
from django.db import connection, transaction
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast, Round
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
    ScoreSheet,
    StageClosing,
    StageDecision,
    StageResult,
)
from sayembara.judging.services.bulk import insert_rows
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


@dataclass(frozen=True)
class EntryRow:
    """What the adapter keeps of an entry to store results against it."""

    pk: int
    code: str
    category_id: int


@dataclass
class EngineInputs:
    """The engine's inputs and the maps back to database rows."""

    competition: scoring.Competition
    inputs: scoring.Inputs
    entries: dict[str, EntryRow]  # key (entry code) -> row
    judges: dict[str, int]  # judge key -> judge id


def build_inputs(*, edition: Edition, competition: scoring.Competition | None = None,
                 stages: list[Stage] | None = None, entry_ids: set[int] | None = None
                 ) -> EngineInputs:
    """Everything the engine needs for an edition, in eight queries.

    Scores count when their sheet is submitted or locked and the judge has no conflict
    with the entry. ``entry_ids`` limits the entries (a disagreement check of one entry).
    """
    competition = competition or competition_for(edition)
    stage_rows = stages if stages is not None else list(edition.stages.all())
    stage_index = {s.key: i for i, s in enumerate(competition.stages)}
    stage_of_row = {s.pk: stage_index[s.key] for s in stage_rows if s.key in stage_index}

    entries_qs = Entry.objects.filter(edition=edition, state__in=JUDGED_STATES)
    if entry_ids is not None:
        entries_qs = entries_qs.filter(pk__in=entry_ids)
    entry_rows = list(entries_qs.order_by("code").values_list(
        "pk", "code", "category_id", "category__key", "group__key", "institution_id",
        "institution__kind", "institution__region_code"))
    entries = tuple(
        scoring.Entry(key=code, category=category, group=group,
                      attributes=(("institution", str(institution)),
                                  ("institution_type", kind), ("region", region or "")))
        for _pk, code, _cid, category, group, institution, kind, region in entry_rows
    )
    judge_rows = list(Judge.objects.filter(edition=edition).order_by("pk")
                      .values_list("pk", "role"))
    honorary_panel = set(PanelMember.objects.filter(
        panel__stage__edition=edition, role=JuryRole.KEHORMATAN).values_list("judge_id",
                                                                              flat=True))
    judges = tuple(scoring.Judge(key=judge_key(pk),
                                 honorary=role == JuryRole.KEHORMATAN or pk in honorary_panel)
                   for pk, role in judge_rows)
    entry_ix = {row[0]: i for i, row in enumerate(entry_rows)}
    judge_ix = {pk: i for i, (pk, _role) in enumerate(judge_rows)}
    category_of = {row[0]: row[3] for row in entry_rows}

    # (stage index, criterion id, category) -> position of the criterion in the rubric the
    # stage uses for the category, or None when the score belongs to another rubric.
    criteria = dict(Criterion.objects.filter(rubric__edition=edition)
                    .values_list("pk", "key").order_by())
    rubric_of = dict(Criterion.objects.filter(rubric__edition=edition)
                     .values_list("pk", "rubric__key").order_by())
    positions: dict[tuple[int, int, str], int | None] = {}

    def position(k: int, criterion_id: int, category: str) -> int | None:
        rubric_key = competition.stages[k].rubric_for(category)
        if rubric_key is None or rubric_of.get(criterion_id) != rubric_key:
            return None
        return competition.rubric(rubric_key).index(criteria[criterion_id])

    conflicted = set(Conflict.objects.filter(judge__edition=edition)
                     .values_list("judge_id", "entry_id"))
    sheets_qs = ScoreSheet.objects.filter(
        stage_id__in=list(stage_of_row),
        status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
    )
    if entry_ids is not None:
        sheets_qs = sheets_qs.filter(entry_id__in=entry_ids)
    sheets: dict[int, tuple[int, int, int, str]] = {}
    for pk, stage_id, judge_id, entry_id in sheets_qs.values_list(
            "pk", "stage_id", "judge_id", "entry_id"):
        if entry_id in entry_ix and (judge_id, entry_id) not in conflicted:
            sheets[pk] = (stage_of_row[stage_id], judge_ix[judge_id], entry_ix[entry_id],
                          category_of[entry_id])
    counted = Score.objects.filter(sheet__in=sheets_qs, value__isnull=False)
    # Checklist scores come from the items ticked (the engine's rule), read apart so that
    # the numbers of every other criterion need no JSON decoding.
    ticks = {(sheet_id, criterion_id): tuple(checked or ()) for sheet_id, criterion_id, checked
             in counted.filter(criterion__kind="checklist").values_list(
                 "sheet_id", "criterion_id", "checked")}
    cols: list[list[int]] = [[], [], [], []]
    values: list[int | Fraction] = []  # thousandths of a stored score, or a checklist score
    numbers = counted.annotate(
        milli=Cast(Round(F("value") * 1000), output_field=BigIntegerField())
    ).values_list("sheet_id", "criterion_id", "milli").order_by()
    sql, params = numbers.query.sql_with_params()
    with connection.cursor() as cursor:  # plain rows: three integers, no per-row converters
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for sheet_id, criterion_id, value in rows:
        sheet = sheets.get(sheet_id)
        if sheet is None:
            continue
        k, j, e, category = sheet
        key = (k, criterion_id, category)
        if key in positions:
            c = positions[key]
        else:
            c = positions[key] = position(k, criterion_id, category)
        if c is None:
            continue
        cols[0].append(k)
        cols[1].append(j)
        cols[2].append(e)
        cols[3].append(c)
        tick = ticks.get((sheet_id, criterion_id))
        if tick is not None:
            spec = competition.rubric(competition.stages[k].rubric_for(category)).criteria[c]
            values.append(spec.score_of_items(tick))
        else:
            values.append(int(value))
    table = _score_table(cols, values)
    codes = {row[0]: row[1] for row in entry_rows}
    votes = _votes(edition, codes)
    decisions = tuple(
        scoring.Decision(stage=stage_key, entry=codes[entry_id],
                         action=scoring.Action(decision), reason=reason)
        for stage_key, entry_id, decision, reason in StageDecision.objects.filter(
            stage__edition=edition).values_list("stage__key", "entry_id", "decision", "reason")
        if entry_id in codes
    )
    inputs = scoring.Inputs(entries=entries, judges=judges, scores=table, votes=votes,
                            decisions=decisions)
    return EngineInputs(
        competition=competition, inputs=inputs,
        entries={code: EntryRow(pk, code, cid) for pk, code, cid, *_rest in entry_rows},
        judges={judge_key(pk): pk for pk, _role in judge_rows},
    )


def _score_table(cols: list[list[int]], values: list[int | Fraction]) -> scoring.ScoreTable:
    """Exact integer numerators over one shared denominator: 1000 for stored scores (three
    decimals at most, read as thousandths), times whatever the checklist scores need."""
    if not values:
        return scoring.ScoreTable.empty()
    den = 1000
    for value in values:
        if isinstance(value, Fraction):
            den = int(np.lcm(den, value.denominator))
    factor = den // 1000
    nums = [int(v * den) if isinstance(v, Fraction) else v * factor for v in values]
    return scoring.ScoreTable.from_arrays(stage=cols[0], judge=cols[1], entry=cols[2],
                                          criterion=cols[3], value=nums, denominator=den)


def _votes(edition: Edition, codes: dict[int, str]) -> dict[str, int]:
    from sayembara.voting.selectors.votes import edition_vote_counts

    counts = edition_vote_counts(edition)
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


RESULT_COLUMNS = (
    "stage", "entry", "score", "raw", "calibrated", "rank", "rank_low", "rank_high", "p_top_n",
    "judges_count", "dispersion", "flagged", "advanced", "reason", "details",
    "engine_version", "computed_at",
)
FINAL_COLUMNS = (
    "edition", "entry", "category", "rank", "total", "award_tier", "award_label", "prize",
    "details", "engine_version", "computed_at",
)


def _store(edition: Edition, stages: list[Stage], prepared: EngineInputs,
           evaluation: Any, results: scoring.Results) -> None:
    """Replace the stored results of every computed stage whose list is not confirmed
    (a confirmed penetapan is never rewritten), and the final ranking once the last stage
    has scores."""
    by_key = {s.key: s for s in stages}
    confirmed = set(StageClosing.objects.filter(stage__edition=edition,
                                                confirmed_at__isnull=False)
                    .values_list("stage_id", flat=True))
    judge_keys = [j.key for j in prepared.inputs.judges]
    entry_index = {e.key: i for i, e in enumerate(prepared.inputs.entries)}
    new_rows: list[tuple] = []
    now = timezone.now()
    rewritten: list[int] = []
    summaries: dict[int, dict[str, Any]] = {}
    for k, stage_result in enumerate(results.stages):
        stage = by_key.get(stage_result.key)
        if stage is None or stage_result.status == "pending" or stage.pk in confirmed:
            continue
        rewritten.append(stage.pk)
        summaries[stage.pk] = _stage_summary(stage_result, results, prepared.judges,
                                             [prepared.judges[key] for key in judge_keys])
        sheets = evaluation.stages[k].sheets
        for item in stage_result.entries:
            if item.status in ("skipped", "awaiting"):
                continue
            totals = {}
            if sheets is not None:
                totals = {judge_keys[j]: exact_text(v) for j, v in
                          sheets.totals_of(entry_index[item.entry], counted_only=False).items()}
            low, high = item.rank_interval or (None, None)
            new_rows.append((
                stage.pk, prepared.entries[item.entry].pk, shown(item.score), shown(item.raw),
                shown(item.calibrated), item.rank, low, high,
                Decimal(repr(item.p_top_n)).quantize(Decimal("0.0001"))
                if item.p_top_n is not None else None,
                item.judges, shown(item.spread), item.disagreement, item.advanced,
                reason_text(item.reason), _entry_details(item, totals),
                results.engine_version, now,
            ))
    StageResult.objects.filter(stage_id__in=rewritten).delete()
    insert_rows(StageResult, RESULT_COLUMNS, new_rows)
    closings = {c.stage_id: c for c in StageClosing.objects.filter(stage_id__in=rewritten)}
    for stage_id, summary in summaries.items():
        closing = closings.get(stage_id) or StageClosing(stage_id=stage_id)
        closing.seed, closing.computed_at = results.seed, now
        closing.engine_version, closing.summary = results.engine_version, summary
        closing.save()
    if results.stages and results.stages[-1].status != "pending":
        _store_final(edition, prepared, results)


def _entry_details(item: Any, totals: dict[str, str | None]) -> dict[str, Any]:
    """What the pages and the minutes show besides the columns: exact values as text, the
    engine's flags and reason, each judge's sheet total. Empty values are left out."""
    details = {
        "status": item.status,
        "exact": {name: text for name, text in (
            ("score", exact_text(item.score)), ("raw", exact_text(item.raw)),
            ("calibrated", exact_text(item.calibrated)),
            ("selection", exact_text(item.selection)),
            ("lowered_by", exact_text(item.lowered_by)),
            ("spread", exact_text(item.spread))) if text is not None},
        "selection": str(shown(item.selection)) if item.selection is not None else None,
        "lowered_by": str(shown(item.lowered_by)) if item.lowered_by else None,
        "sd": item.sd, "sheets": item.sheets, "trimmed": item.trimmed or None,
        "needs_extra_judge": item.needs_extra_judge or None,
        "pool": item.pool, "pool_rank": item.pool_rank,
        "close_to_cut": item.close_to_cut or None, "tie_break": item.tie_break,
        "reason_code": item.reason.code if item.reason else None,
        "reason_params": item.reason.mapping if item.reason and item.reason.params else None,
        "judge_totals": totals,
    }
    return {key: value for key, value in details.items() if value is not None}


def _stage_summary(stage_result: Any, results: scoring.Results, judge_id_of: dict[str, int],
                   judge_ids: list[int]) -> dict[str, Any]:
    return {
        "status": stage_result.status,
        "open_ties": [list(t) for t in stage_result.open_ties],
        "pools": [{"name": p.name, "seats": p.seats, "competing": p.competing,
                   "advanced": p.advanced} for p in stage_result.pools],
        "complete": results.complete,
        "calibration": _calibration_summary(stage_result.calibration, judge_id_of),
        "reliability": _reliability_summary(stage_result.reliability, judge_ids),
        "bootstrap": stage_result.bootstrap,
    }


def _store_final(edition: Edition, prepared: EngineInputs, results: scoring.Results) -> None:
    now = timezone.now()
    tiers = {(t.key, t.category_id): t.pk for t in AwardTier.objects.filter(edition=edition)}
    finals = []
    for item in results.final:
        if item.status != "ranked":
            continue
        entry = prepared.entries[item.entry]
        tier = (tiers.get((item.tier, entry.category_id)) or tiers.get((item.tier, None))
                if item.tier else None)
        finals.append((
            edition.pk, entry.pk, entry.category_id, item.rank, shown(item.total), tier,
            item.award or "", item.prize,
            {"unit": item.unit, "reached": item.reached, "grade": item.grade,
             "predicate": item.predicate, "favourite": item.favourite, "votes": item.votes,
             "tie_break": item.tie_break, "trophy": item.trophy,
             "certificate": item.certificate,
             "weighted_total": str(shown(item.weighted_total))
             if item.weighted_total is not None else None,
             "exact_total": exact_text(item.total), "complete": results.complete,
             "favourite_name": results.favourite if item.favourite else None},
            results.engine_version, now,
        ))
    FinalResult.objects.filter(edition=edition).delete()
    insert_rows(FinalResult, FINAL_COLUMNS, finals)


def _calibration_summary(report: Any, judge_id_of: dict[str, int]) -> dict[str, Any] | None:
    """The engine's calibration report as codes: a refused unit keeps its ``code`` and the
    database ids of the judges of each separate group (pages name them)."""
    if report is None:
        return None
    return {"model": report.model, "requested": report.requested, "official": report.official,
            "units": [{"unit": u.unit, "status": u.status, "code": u.code,
                       "groups": [[judge_id_of[key] for key in group if key in judge_id_of]
                                  for group in u.groups]}
                      for u in report.units]}


def _reliability_summary(items: Any, judge_ids: list[int]) -> list[dict[str, Any]]:
    """Reliability figures per unit, with each judge's severity and agreement by judge id
    (``judge_ids[i]`` is the database id of the engine's judge ``i``)."""
    out = []
    for item in items or ():
        figures = item.figures
        data = dataclasses.asdict(figures) if dataclasses.is_dataclass(figures) else {}
        per_judge = [
            {"judge": judge_ids[stats.judge], "sheets": stats.sheets,
             "severity": stats.severity, "agreement": stats.agreement}
            for stats in getattr(figures, "per_judge", ())
        ]
        out.append({"unit": item.unit, **{k: v for k, v in data.items()
                                          if isinstance(v, int | float | str | type(None))},
                    "per_judge": per_judge})
    return out


def check_disagreement(*, stage: Stage, entry: Entry) -> Any:
    """The engine's view of one entry at one stage from its submitted sheets alone:
    the ``EntryStage`` (with ``disagreement`` and ``needs_extra_judge``), or None."""
    return check_disagreements(stage=stage, entry_ids={entry.pk}).get(entry.code)


def check_disagreements(*, stage: Stage, entry_ids: set[int]) -> dict[str, Any]:
    """The engine's view of the given entries at one stage from their submitted sheets
    alone, by entry code: each ``EntryStage`` (with ``disagreement`` and
    ``needs_extra_judge``). One run of the engine whatever the number of entries."""
    competition = competition_for(stage.edition)
    try:
        spec_stage = competition.stages[competition.stage_index(stage.key)]
    except KeyError:
        return {}
    if spec_stage.source is not scoring.Source.JUDGES or not entry_ids:
        return {}
    alone = dataclasses.replace(
        spec_stage, kind=scoring.StageKind.FILTER, weight=Decimal(0), can_only_lower=False,
        advancement=None, categories=(),
    )
    reduced = dataclasses.replace(competition, stages=(alone,), tiers=(), grades=(),
                                  predicates=(), favourite=None)
    prepared = build_inputs(edition=stage.edition, competition=reduced, stages=[stage],
                            entry_ids=set(entry_ids))
    prepared = dataclasses.replace(prepared, inputs=dataclasses.replace(
        prepared.inputs, decisions=(), votes={}))
    results = scoring.compute(reduced, prepared.inputs,
                              scoring.Options(bootstrap=0, calibrate=False, reliability=False))
    return {item.entry: item for item in results.stages[0].entries}


def group_results_by_entry(rows: list[StageResult]) -> dict[int, list[StageResult]]:
    grouped: dict[int, list[StageResult]] = defaultdict(list)
    for row in rows:
        grouped[row.entry_id].append(row)
    return grouped
