"""What a close stores is what the engine says, entry by entry.

The results of a stage and of the final ranking are written to the database column by
column (one ``COPY`` on PostgreSQL). These tests read the stored rows back through the ORM
and compare every field with the engine's own per-entry records for the same inputs and
seed: scores as pages show them, exact values, ranks, intervals, P(top N), reasons and each
judge's total.
"""

from decimal import Decimal
from fractions import Fraction

import pytest

from sayembara import scoring
from sayembara.entries.models import Entry
from sayembara.judging.models import FinalResult, StageResult
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.closing import close_stage, confirm_stage, open_stage
from sayembara.judging.services.compute import build_inputs, exact_text, shown
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import default_values, scored_stage

pytestmark = pytest.mark.django_db

SEED, REPLICATES = 11, 60


def _values(judge_index, entry_index, category_key, tie):
    values = default_values(judge_index, entry_index, category_key)
    if tie and category_key == "desa" and entry_index == 2:
        # two villages tie on every judge's score, at the last place of the cut
        values = default_values(judge_index, 1, category_key)
    return values


def _score(stage, entries, judges, skip=None, tie=False):
    for j, judge in enumerate(judges):
        for entry in entries:
            same = [x for x in entries if x.category_id == entry.category_id]
            if entry == skip:
                continue  # no sheet: the entry is not scored
            save_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user,
                       values=_values(j, same.index(entry), entry.category.key, tie))
            submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    close_stage(stage=stage, actor="sekretariat", seed=SEED, bootstrap=REPLICATES,
                allow_incomplete=True)


def _closed_stage(*, tie=True, unscored=True):
    edition, stage, entries, judges = scored_stage(entries_per_category=4, judges=3, top_n=2)
    _score(stage, entries, judges, skip=entries[-1] if unscored else None, tie=tie)
    return edition, stage, entries, judges


def _closed_last_stage():
    edition, stage, _entries, judges = _closed_stage(tie=False, unscored=False)
    confirm_stage(stage=stage, actor="sekretariat")
    last = edition.stages.get(key="wawancara")
    open_stage(stage=last, actor="sekretariat")
    finalists = list(Entry.objects.filter(edition=edition, current_stage=last).order_by("code"))
    for judge in judges:
        for entry in finalists:
            assign(stage=last, judge=judge, entry=entry, actor="sekretariat")
    _score(last, finalists, judges)
    return edition


def _engine(edition):
    prepared = build_inputs(edition=edition)
    evaluation = scoring.evaluate(prepared.competition, prepared.inputs,
                                  scoring.Options(seed=SEED, bootstrap=REPLICATES))
    return prepared, evaluation.results()


def _decimal(value):
    return None if value is None else Decimal(value)


def test_every_stored_stage_result_is_the_engines_record():
    edition, stage, entries, _judges = _closed_stage()
    prepared, results = _engine(edition)
    records = {item.entry: item for item in results.stages[0].entries
               if item.status in ("scored", "not_scored", "disqualified")}
    stored = {row.entry.code: row for row in
              StageResult.objects.filter(stage=stage).select_related("entry")}
    assert set(stored) == set(records) == {e.code for e in entries}
    assert {r.status for r in records.values()} == {"scored", "not_scored"}
    ranks = [(r.category, r.rank) for r in records.values() if r.rank]
    assert len(set(ranks)) < len(ranks)  # a shared rank
    assert any(r.p_top_n is not None for r in records.values())
    judge_of = {f"j{pk}" for pk in prepared.judges.values()}
    for code, item in records.items():
        row = stored[code]
        assert row.score == shown(item.score)
        assert row.raw == shown(item.raw)
        assert row.calibrated == shown(item.calibrated)
        assert row.dispersion == shown(item.spread)
        assert row.rank == item.rank
        assert (row.rank_low, row.rank_high) == (item.rank_interval or (None, None))
        expected_p = (None if item.p_top_n is None
                      else Decimal(repr(item.p_top_n)).quantize(Decimal("0.0001")))
        assert row.p_top_n == expected_p
        assert row.judges_count == item.judges
        assert row.flagged is item.disagreement
        assert row.advanced is item.advanced
        assert row.reason_code == (item.reason.code if item.reason else "")
        assert row.reason_params == (item.reason.mapping if item.reason else {})
        details = row.details
        assert details["status"] == item.status
        assert details["sheets"] == item.sheets
        assert details.get("exact", {}).get("score") == exact_text(item.score)
        assert details.get("selection") == (None if item.selection is None
                                            else str(shown(item.selection)))
        assert details.get("tie_break") == item.tie_break
        assert details.get("pool") == item.pool
        assert details.get("pool_rank") == item.pool_rank
        assert details.get("close_to_cut") == (True if item.close_to_cut else None)
        assert details.get("sd") == item.sd
        assert set(details["judge_totals"]) <= judge_of
        totals = [Fraction(t) for t in details["judge_totals"].values()]
        assert len(totals) == (0 if code == entries[-1].code else 3)
        if item.status == "scored":
            assert sum(totals) / len(totals) == item.raw


def test_every_stored_final_result_is_the_engines_record():
    edition = _closed_last_stage()
    _prepared, results = _engine(edition)
    records = {item.entry: item for item in results.final if item.status == "ranked"}
    assert any(item.award for item in records.values())
    stored = {row.entry.code: row for row in
              FinalResult.objects.filter(edition=edition).select_related("entry", "award_tier")}
    assert set(stored) == set(records)
    for code, item in records.items():
        row = stored[code]
        assert row.rank == item.rank
        assert row.total == shown(item.total)
        assert row.award_label == (item.award or "")
        assert (row.award_tier.key if row.award_tier else None) == item.tier
        assert row.prize == item.prize
        details = row.details
        assert details["unit"] == item.unit
        assert details["reached"] == item.reached
        assert details["trophy"] is item.trophy
        assert details["certificate"] is item.certificate
        assert details["favourite"] is item.favourite
        assert details["votes"] == item.votes
        assert details["tie_break"] == item.tie_break
        assert details["grade"] == item.grade
        assert details["complete"] is results.complete
        assert _decimal(details["weighted_total"]) == shown(item.weighted_total)
        assert Fraction(details["exact_total"]) == item.total
        assert details["special_awards"] == (list(item.special_awards) or None)
