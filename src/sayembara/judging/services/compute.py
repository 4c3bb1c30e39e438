"""The one adapter from the database to the scoring engine.

``compute_stage_results`` reads an edition's entries, judges, submitted scores, votes and
decisions in a few queries, builds the engine's plain inputs, calls
:func:`sayembara.scoring.evaluate` and stores what the engine returns as ``StageResult``
and ``FinalResult`` rows. No score is computed here: every sum, mean, rank and interval
comes from the engine; this module only converts types and stores.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
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
    TieOrder,
)
from sayembara.judging.services.bulk import JsonText, insert_columns
from sayembara.judging.services.errors import JudgingError
from sayembara.scoring import columns as columns_module

#: Entries that take part in judging: they passed the administrative check.
JUDGED_STATES = (
    EntryState.PASSED_ADMIN, EntryState.IN_STAGE, EntryState.ELIMINATED, EntryState.FINALIST,
    EntryState.WINNER, EntryState.DISQUALIFIED,
)
#: Stored results keep six decimals for display; the exact value is in ``details``.
PLACES = Decimal("0.000001")
P_TOP_PLACES = Decimal("0.0001")
#: Bootstrap replicates for rank intervals and P(top N).
BOOTSTRAP = 1000


def competition_for(edition: Edition) -> scoring.Competition:
    """The engine's rules for an edition (the ranking layer's bridge from the template)."""
    from sayembara.ranking.bridge import competition_from_template

    return competition_from_template(template_of(edition))


def judge_key(judge_id: int) -> str:
    return f"j{judge_id}"


class EntryRow(NamedTuple):
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
    At a stage the whole panel scores, a conflict is a recusal the engine is told of (it
    lowers the entry's minimum number of judges), in a few more queries for such a stage.
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
    category_ix = {c: i for i, c in enumerate(competition.categories)}

    # Scores count when their sheet is submitted or locked, the entry is judged and the
    # judge has no conflict with it; they are read as three integer columns (sheet,
    # criterion, thousandths of the stored score) and mapped to the engine's indices as
    # arrays.
    conflicted = set(Conflict.objects.filter(judge__edition=edition)
                     .values_list("judge_id", "entry_id"))
    sheets_qs = ScoreSheet.objects.filter(
        stage_id__in=list(stage_of_row),
        status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
    )
    if entry_ids is not None:
        sheets_qs = sheets_qs.filter(entry_id__in=entry_ids)
    sheet_rows = np.stack(_integer_columns(sheets_qs.values_list(
        "pk", "stage_id", "judge_id", "entry_id").order_by()), axis=1)
    entry_pks = np.array([row[0] for row in entry_rows], dtype=np.int64)
    entry_cat_ix = np.array([category_ix[row[3]] for row in entry_rows], dtype=np.int64)
    judge_pks = np.array([pk for pk, _role in judge_rows], dtype=np.int64)
    sheet_e = _index_of(sheet_rows[:, 3], entry_pks)
    sheet_j = _index_of(sheet_rows[:, 2], judge_pks)
    sheet_k = _index_of(sheet_rows[:, 1], np.array(list(stage_of_row), dtype=np.int64))
    stage_k = np.array(list(stage_of_row.values()), dtype=np.int64)
    usable = (sheet_e >= 0) & (sheet_j >= 0) & (sheet_k >= 0)
    if conflicted:
        usable &= np.array([(j, e) not in conflicted for j, e in zip(
            sheet_rows[:, 2].tolist(), sheet_rows[:, 3].tolist(), strict=True)], dtype=bool)
    sheet_k = np.where(sheet_k >= 0, stage_k[np.maximum(sheet_k, 0)], -1)

    # (stage index, criterion, category) -> position of the criterion in the rubric the stage
    # uses for the category, or -1 when the score belongs to another rubric.
    criterion_rows = list(Criterion.objects.filter(rubric__edition=edition)
                          .values_list("pk", "key", "rubric__key", "kind").order_by("pk"))
    criterion_pks = np.array([row[0] for row in criterion_rows], dtype=np.int64)
    categories = competition.categories
    positions = np.full((len(competition.stages), max(len(criterion_rows), 1),
                         max(len(categories), 1)), -1, dtype=np.int64)
    for k, spec_stage in enumerate(competition.stages):
        for c, category in enumerate(categories):
            rubric_key = spec_stage.rubric_for(category)
            if rubric_key is None:
                continue
            index = competition.rubric(rubric_key).index
            for ci, (_pk, key, rubric_of, _kind) in enumerate(criterion_rows):
                if rubric_of == rubric_key:
                    positions[k, ci, c] = index(key)

    counted = Score.objects.filter(sheet__in=sheets_qs, value__isnull=False)
    sheet_col, criterion_col, milli = _read_scores(counted, sheet_rows[:, 0], criterion_pks)
    row_sheet = _index_of(sheet_col, sheet_rows[:, 0])
    row_ci = _index_of(criterion_col, criterion_pks)
    keep = (row_sheet >= 0) & (row_ci >= 0)
    keep[keep] = usable[row_sheet[keep]]
    row_sheet, row_ci, milli = row_sheet[keep], row_ci[keep], milli[keep]
    k_col, e_col = sheet_k[row_sheet], sheet_e[row_sheet]
    c_col = positions[k_col, row_ci, entry_cat_ix[e_col]]
    keep = c_col >= 0
    row_sheet, row_ci, milli = row_sheet[keep], row_ci[keep], milli[keep]
    k_col, e_col, c_col = k_col[keep], e_col[keep], c_col[keep]
    j_col = sheet_j[row_sheet]
    # Checklist scores come from the items ticked (the engine's rule), read apart so that
    # the numbers of every other criterion need no JSON decoding.
    checklist = np.array([row[3] == "checklist" for row in criterion_rows] or [False])
    ticked = np.flatnonzero(checklist[row_ci])
    extra: dict[int, Fraction] = {}
    if ticked.size:
        ticks = {(sheet_id, criterion_id): tuple(checked or ()) for sheet_id, criterion_id,
                 checked in counted.filter(criterion__kind="checklist").values_list(
                     "sheet_id", "criterion_id", "checked")}
        for row in ticked.tolist():
            k, e, c = int(k_col[row]), int(e_col[row]), int(c_col[row])
            key = (int(sheet_rows[row_sheet[row], 0]), int(criterion_pks[row_ci[row]]))
            rubric = competition.rubric(competition.stages[k].rubric_for(
                entries[e].category) or "")
            extra[row] = rubric.criteria[c].score_of_items(ticks.get(key, ()))
    table = _score_table((k_col, j_col, e_col, c_col), milli, extra)
    codes = {row[0]: row[1] for row in entry_rows}
    votes = _votes(edition, codes)
    decisions = tuple(
        scoring.Decision(stage=stage_key, entry=codes[entry_id],
                         action=scoring.Action(decision), reason=reason)
        for stage_key, entry_id, decision, reason in StageDecision.objects.filter(
            stage__edition=edition).values_list("stage__key", "entry_id", "decision", "reason")
        if entry_id in codes
    )
    decisions += tuple(
        scoring.Decision(stage=scoring.FINAL if ranking == "final" else ranking,
                         entry=codes[entry_id], action=scoring.Action.TIEBREAK, reason=reason,
                         order=order)
        for ranking, entry_id, order, reason in TieOrder.objects.filter(
            edition=edition).values_list("ranking", "entry_id", "order", "reason")
        if entry_id in codes
    )
    inputs = scoring.Inputs(entries=entries, judges=judges, scores=table, votes=votes,
                            decisions=decisions, recusals=_recusals(stage_rows, codes))
    return EngineInputs(
        competition=competition, inputs=inputs,
        entries={code: EntryRow(pk, code, cid) for pk, code, cid, *_rest in entry_rows},
        judges={judge_key(pk): pk for pk, _role in judge_rows},
    )


def _recusals(stages: list[Stage], codes: dict[int, str]) -> tuple[scoring.Recusal, ...]:
    """Panel members who recused for a conflict of interest at the stages the whole panel
    scores (a few queries for each such stage, none for the others)."""
    from sayembara.judging.selectors.recusals import recused_judges

    return tuple(
        scoring.Recusal(stage=stage.key, entry=codes[entry_id], judge=judge_key(judge_id))
        for stage in stages if stage.whole_panel
        for entry_id, judge_ids in sorted(recused_judges(stage).items()) if entry_id in codes
        for judge_id in judge_ids
    )


def _index_of(values: npt.NDArray[np.int64], keys: npt.NDArray[np.int64]) -> (
    npt.NDArray[np.int64]
):
    """The position of each value among ``keys`` (distinct ids), -1 when absent."""
    if keys.size == 0 or values.size == 0:
        return np.full(values.shape, -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    found = np.minimum(np.searchsorted(ordered, values), ordered.size - 1)
    return np.where(ordered[found] == values, order[found], -1)


#: Bits of a packed score row that hold the criterion (the rest hold the sheet).
CRITERION_BITS = 23


def _read_scores(counted: Any, sheet_ids: npt.NDArray[np.int64],
                 criterion_ids: npt.NDArray[np.int64]) -> tuple[npt.NDArray[np.int64], ...]:
    """(sheet id, criterion id, thousandths of the value) of the counted scores, as arrays.

    A stage's sheets are mostly created together, so their ids are dense, and an edition's
    criteria too. Then, on PostgreSQL, every score of the id ranges is read without joining
    the sheets (the scores of other sheets in the range are dropped as arrays afterwards),
    each packed by the server into 12 bytes: the sheet and the criterion as offsets in one
    8-byte integer, the thousandths in a 4-byte one (a score has three decimals and at most
    six digits before them). Otherwise the counted scores are read as three columns.
    """
    if connection.vendor != "postgresql" or sheet_ids.size == 0 or criterion_ids.size == 0:
        return _score_columns(counted)
    low, high = int(sheet_ids.min()), int(sheet_ids.max())
    first, last = int(criterion_ids.min()), int(criterion_ids.max())
    if (high - low + 1 > 2 * sheet_ids.size or high - low >= 1 << 40
            or last - first >= 1 << CRITERION_BITS):
        return _score_columns(counted)
    table = connection.ops.quote_name(Score._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(int8send(((sheet_id - %s) << {CRITERION_BITS}) "
            f"| (criterion_id - %s)) || int4send((value * 1000)::integer), ''::bytea) "
            f"FROM {table} WHERE sheet_id BETWEEN %s AND %s AND criterion_id BETWEEN %s AND %s "
            f"AND value IS NOT NULL", [low, first, low, high, first, last])
        data = cursor.fetchone()[0]
    rows = np.frombuffer(bytes(data or b""), dtype=np.dtype([("key", ">i8"), ("milli", ">i4")]))
    key = rows["key"].astype(np.int64)
    return ((key >> CRITERION_BITS) + low, (key & ((1 << CRITERION_BITS) - 1)) + first,
            rows["milli"].astype(np.int64))


def _score_columns(scores: Any) -> tuple[npt.NDArray[np.int64], ...]:
    """(sheet id, criterion id, thousandths of the value) of the given scores, as arrays."""
    return _integer_columns(scores.annotate(
        milli=Cast(Round(F("value") * 1000), output_field=BigIntegerField())
    ).values_list("sheet_id", "criterion_id", "milli").order_by())


def _integer_columns(rows: Any) -> tuple[npt.NDArray[np.int64], ...]:
    """The columns of a ``values_list`` of non-null integer (``bigint``) fields, as arrays.

    On PostgreSQL the server packs every row into one ``bytea`` (each value as 8 big-endian
    bytes) that numpy reads as it is: no Python object per row, on either side of the
    connection. Elsewhere the rows are fetched as tuples.
    """
    width = len(rows.query.values_select) + len(rows.query.annotation_select)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(f"c{i}" for i in range(width))
            packed = " || ".join(f"int8send(c{i})" for i in range(width))
            cursor.execute(f"SELECT string_agg({packed}, ''::bytea) FROM ({sql}) AS t({names})",
                           params)
            data = cursor.fetchone()[0]
            table = np.frombuffer(bytes(data or b""), dtype=">i8").reshape(-1, width)
            return tuple(table[:, i].astype(np.int64) for i in range(width))
        cursor.execute(sql, params)
        table = np.array(cursor.fetchall(), dtype=np.int64).reshape(-1, width)
    return tuple(table[:, i] for i in range(width))


def _score_table(cols: tuple[npt.NDArray[np.int64], ...], milli: npt.NDArray[np.int64],
                 checklists: dict[int, Fraction]) -> scoring.ScoreTable:
    """Exact integer numerators over one shared denominator: 1000 for stored scores (three
    decimals at most, read as thousandths), times whatever the checklist scores (given by
    row) need."""
    if milli.size == 0:
        return scoring.ScoreTable.empty()
    den = 1000
    for value in checklists.values():
        den = int(np.lcm(den, value.denominator))
    nums = milli * (den // 1000)
    for row, value in checklists.items():
        nums[row] = int(value * den)
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


@transaction.atomic
def compute_stage_results(*, stage: Stage, actor: Any, seed: int | None = None,
                          bootstrap: int = BOOTSTRAP) -> scoring.Results:
    """Run the engine for the stage's edition and store the results of every computed stage
    and the final ranking. Returns the engine's results: stage-level figures, without
    per-entry records (the per-entry stage and final results are stored from the engine's
    columns, and read back from ``StageResult`` and ``FinalResult``).

    Raises JudgingError with the engine's sentence when the rules or data are refused.
    """
    edition = stage.edition
    seed = edition.year if seed is None else seed
    stages = list(edition.stages.all())
    try:
        prepared = build_inputs(edition=edition, stages=stages)
        evaluation = scoring.evaluate(prepared.competition, prepared.inputs,
                                      scoring.Options(seed=seed, bootstrap=bootstrap))
        results = evaluation.results(entries=False)
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
    "judges_count", "dispersion", "flagged", "advanced", "reason_code", "reason_params",
    "details",
    "engine_version", "computed_at",
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
    columns = evaluation.stage_columns()
    new_rows: dict[str, list[Any]] = {name: [] for name in RESULT_COLUMNS}
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
        for name, values in _stage_rows(stage.pk, columns[k], evaluation.stages[k].sheets,
                                        prepared, judge_keys, results.engine_version,
                                        now).items():
            new_rows[name] += values
    StageResult.objects.filter(stage_id__in=rewritten).delete()
    insert_columns(StageResult, new_rows)
    closings = {c.stage_id: c for c in StageClosing.objects.filter(stage_id__in=rewritten)}
    for stage_id, summary in summaries.items():
        closing = closings.get(stage_id) or StageClosing(stage_id=stage_id)
        closing.seed, closing.computed_at = results.seed, now
        closing.engine_version, closing.summary = results.engine_version, summary
        closing.save()
    if results.stages and results.stages[-1].status != "pending":
        _store_final(edition, prepared, results, evaluation.final_columns())


def _judge_totals(sheets: Any, judge_keys: list[str], entries: npt.NDArray[np.int64]
                  ) -> list[str]:
    """Each given entry's sheet totals, counted or not, as a JSON object (judge key ->
    exact text)."""
    if sheets is None:
        return ["{}"] * len(entries)
    every = np.ones(len(sheets), dtype=np.bool_)
    texts = columns_module.exact_texts(columns_module.Values(sheets.total, every))
    members = [f'"{judge_keys[j]}": "{t}"' for j, t in zip(sheets.judge.tolist(), texts,
                                                           strict=True)]
    lo = np.searchsorted(sheets.entry, entries, side="left").tolist()
    hi = np.searchsorted(sheets.entry, entries, side="right").tolist()
    return ["{" + ", ".join(members[a:b]) + "}" for a, b in zip(lo, hi, strict=True)]


def _json_objects(members: list[tuple[str, list[str | None]]]) -> list[str]:
    """Per row, a JSON object of the given members: (name, each row's value as JSON text,
    or None where the row leaves the member out). Names are plain words."""
    named = [[None if value is None else f'"{name}": {value}' for value in values]
             for name, values in members]
    return ["{" + ", ".join([m for m in row if m is not None]) + "}"
            for row in zip(*named, strict=True)]


def _json_strings(texts: list[str | None]) -> list[str | None]:
    """Texts as JSON strings (each distinct text encoded once)."""
    encoded = {text: json.dumps(text) for text in set(texts) if text is not None}
    return [None if text is None else encoded[text] for text in texts]


def _stage_rows(stage_pk: int, columns: Any, sheets: Any, prepared: EngineInputs,
                judge_keys: list[str], engine_version: str, now: Any) -> dict[str, list[Any]]:
    """The ``StageResult`` rows of one stage as columns (field -> value of every row), built
    column by column: every entry the stage scored, not scored or disqualified (skipped and
    awaiting entries have no row). Decimal fields hold their text and JSON fields their
    JSON text."""
    rows = np.flatnonzero(columns.status_code < 3)  # scored, not_scored, disqualified
    take = rows.tolist()
    n = len(take)

    def pick(values: list[Any]) -> list[Any]:
        return [values[i] for i in take]

    def flags(values: npt.NDArray[np.bool_]) -> list[str | None]:
        return ["true" if v else None for v in values[rows].tolist()]

    names = ("score", "raw", "calibrated", "selection", "lowered_by", "spread")
    exact = {name: pick(columns_module.exact_texts(getattr(columns, name))) for name in names}
    shown_six = {name: pick(columns_module.rounded_texts(getattr(columns, name), 6))
                 for name in names}
    lowered_zero = (columns.lowered_by.values.num == 0)[rows].tolist()
    sd = [None if math.isnan(v) else repr(v) for v in columns.sd[rows].tolist()]
    status_json = [f'"{name}"' for name in columns_module.STATUSES]
    details = _json_objects([
        ("status", [status_json[c] for c in columns.status_code[rows].tolist()]),
        ("exact", _json_objects([(name, [None if t is None else f'"{t}"' for t in texts])
                                 for name, texts in exact.items()])),
        ("selection", [None if t is None else f'"{t}"' for t in shown_six["selection"]]),
        ("lowered_by", [None if t is None or zero else f'"{t}"'
                        for t, zero in zip(shown_six["lowered_by"], lowered_zero,
                                           strict=True)]),
        ("sd", sd),
        ("sheets", [str(v) for v in columns.sheets[rows].tolist()]),
        ("trimmed", flags(columns.trimmed)),
        ("needs_extra_judge", flags(columns.needs_extra_judge)),
        ("pool", _json_strings(pick(columns.pool))),
        ("pool_rank", [str(v) if v else None for v in columns.pool_rank[rows].tolist()]),
        ("close_to_cut", flags(columns.close_to_cut)),
        ("tie_break", _json_strings(pick(columns.tie_break))),
        ("judge_totals", _judge_totals(sheets, judge_keys, columns.entry[rows])),
    ])
    reasons = pick(columns.reason)
    codes = [reason.code if reason else "" for reason in reasons]
    # the reasons' parameters as JSON objects, in their (sorted) order; parameter names are
    # plain words, their values any text
    value_json = {value: json.dumps(value) for reason in set(reasons) if reason
                  for _name, value in reason.params}
    params = [JsonText("{" + ", ".join([f'"{name}": {value_json[value]}'
                                        for name, value in reason.params]) + "}")
              if reason else JsonText("{}") for reason in reasons]
    p_text: dict[float, str] = {}

    def p_top(p: float) -> str | None:
        if math.isnan(p):
            return None
        text = p_text.get(p)
        if text is None:
            text = p_text[p] = str(Decimal(repr(p)).quantize(P_TOP_PLACES))
        return text

    def nonzero(values: npt.NDArray[np.int64]) -> list[int | None]:
        return [v or None for v in values[rows].tolist()]

    entry_pk = {key: row.pk for key, row in prepared.entries.items()}
    return {
        "stage": [stage_pk] * n,
        "entry": [entry_pk[key] for key in pick(columns.keys)],
        "score": shown_six["score"], "raw": shown_six["raw"],
        "calibrated": shown_six["calibrated"],
        "rank": nonzero(columns.rank), "rank_low": nonzero(columns.rank_low),
        "rank_high": nonzero(columns.rank_high),
        "p_top_n": [p_top(p) for p in columns.p_top_n[rows].tolist()],
        "judges_count": columns.judges[rows].tolist(), "dispersion": shown_six["spread"],
        "flagged": columns.disagreement[rows].tolist(),
        "advanced": columns.advanced[rows].tolist(),
        "reason_code": codes, "reason_params": params,
        "details": [JsonText(text) for text in details],
        "engine_version": [engine_version] * n, "computed_at": [now] * n,
    }


def _stage_summary(stage_result: Any, results: scoring.Results, judge_id_of: dict[str, int],
                   judge_ids: list[int]) -> dict[str, Any]:
    return {
        "status": stage_result.status,
        "open_ties": [list(t) for t in stage_result.open_ties],
        "pools": [{"name": p.name, "seats": p.seats, "competing": p.competing,
                   "advanced": p.advanced} for p in stage_result.pools],
        "complete": results.complete,
        "special_open_ties": [{"award": t.award, "category": t.category, "places": t.places,
                               "entries": list(t.entries)}
                              for t in results.special_open_ties] or None,
        "calibration": _calibration_summary(stage_result.calibration, judge_id_of),
        "reliability": _reliability_summary(stage_result.reliability, judge_ids),
        "bootstrap": stage_result.bootstrap,
    }


def _store_final(edition: Edition, prepared: EngineInputs, results: scoring.Results,
                 final: Any) -> None:
    """The ``FinalResult`` rows of every ranked entry, built column by column from the
    evaluation's final columns."""
    now = timezone.now()
    tiers = {(t.key, t.category_id): t.pk for t in AwardTier.objects.filter(edition=edition)}
    # the entries of each final tie that still awaits the jury's order, by entry code
    open_tie = {code: list(tie) for tie in results.final_open_ties for code in tie}
    # the ties across a special award's last place each entry is in
    special_ties: dict[str, list[dict[str, Any]]] = {}
    for tie in results.special_open_ties:
        for code in tie.entries:
            special_ties.setdefault(code, []).append(
                {"award": tie.award, "places": tie.places, "entries": list(tie.entries)})
    rows = np.flatnonzero(final.status_code == 0).tolist()  # ranked

    def pick(values: list[Any]) -> list[Any]:
        return [values[i] for i in rows]

    codes = pick(final.keys)
    entries = [prepared.entries[code] for code in codes]
    tier_pk = [(tiers.get((key, entry.category_id)) or tiers.get((key, None))
                if key else None) for key, entry in zip(pick(final.tier), entries, strict=True)]
    weighted = pick(columns_module.rounded_texts(final.weighted_total, 6))
    favourite = pick(final.favourite.tolist())
    details = _json_objects([(name, _json_values(values)) for name, values in (
        ("unit", pick(final.unit)), ("reached", pick(final.reached_keys)),
        ("grade", pick(final.grade)), ("predicate", pick(final.predicate)),
        ("favourite", favourite), ("votes", pick(final.votes)),
        ("tie_break", pick(final.tie_break)), ("trophy", pick(final.trophy.tolist())),
        ("certificate", pick(final.certificate.tolist())),
        ("weighted_total", [None if t is None else str(Decimal(t)) for t in weighted]),
        ("exact_total", pick(columns_module.fraction_texts(final.total))),
        ("complete", [results.complete] * len(rows)),
        ("favourite_name", [results.favourite if f else None for f in favourite]),
        ("special_awards", [list(awards) or None for awards in pick(final.special_awards)]),
        ("open_tie", [open_tie.get(code) for code in codes]),
        ("special_ties", [special_ties.get(code) for code in codes]),
    )])
    FinalResult.objects.filter(edition=edition).delete()
    insert_columns(FinalResult, {
        "edition": [edition.pk] * len(rows), "entry": [entry.pk for entry in entries],
        "category": [entry.category_id for entry in entries], "rank": pick(final.rank.tolist()),
        "total": pick(columns_module.rounded_texts(final.total, 6)), "award_tier": tier_pk,
        "award_label": [award or "" for award in pick(final.award)],
        "prize": pick(final.prize), "details": [JsonText(text) for text in details],
        "engine_version": [results.engine_version] * len(rows), "computed_at": [now] * len(rows),
    })


def _json_values(values: list[Any]) -> list[str | None]:
    """Values as JSON text (each distinct text, number or truth value encoded once)."""
    seen: dict[Any, str] = {}
    out = []
    for value in values:
        if isinstance(value, list | dict):
            out.append(json.dumps(value))
            continue
        key = (type(value), value)
        encoded = seen.get(key)
        if encoded is None:
            encoded = seen[key] = json.dumps(value)
        out.append(encoded)
    return out


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
