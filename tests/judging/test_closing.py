from decimal import Decimal

import pytest
from django.core import mail

from sayembara.competitions.enums import StageStatus
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import FinalResult, ScoreSheet, StageClosing, StageResult
from sayembara.judging.services.closing import (
    close_stage,
    confirm_stage,
    decide_entry,
)
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.sheets import correct_score, save_sheet, submit_sheet
from tests.factories_judging import default_values, scored_stage

pytestmark = pytest.mark.django_db


def _score_all(stage, entries, judges, values=default_values, submit=True):
    for j, judge in enumerate(judges):
        for entry in entries:
            key = entry.category.key
            index = [x for x in entries if x.category_id == entry.category_id].index(entry)
            save_sheet(stage=stage, judge=judge, entry=entry, values=values(j, index, key),
                       actor=judge.user)
            if submit:
                submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)


def _setup():
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=3, top_n=2)
    _score_all(stage, entries, judges)
    return edition, stage, entries, judges


def test_close_stage_locks_sheets_and_stores_the_engines_results():
    _edition, stage, entries, _judges = _setup()
    closing = close_stage(stage=stage, actor="sekretariat", bootstrap=200)
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED
    assert set(ScoreSheet.objects.filter(stage=stage).values_list("status", flat=True)) == {
        SheetStatus.LOCKED}
    rows = {r.entry.code: r for r in StageResult.objects.filter(stage=stage)
            .select_related("entry")}
    assert len(rows) == 6
    opd = [e for e in entries if e.category.key == "opd"]
    # Three judges scored the first OPD entry kebaruan 10, 9, 10 and bukti 100 each:
    # sheet totals 100, 94, 100 (60 x k/10 + 40 x b/100); the mean is 98.
    first = rows[opd[0].code]
    assert first.raw == Decimal("98.000000")
    assert first.rank == 1
    assert first.advanced is True
    assert [rows[e.code].advanced for e in opd] == [True, True, False]
    assert first.details["judge_totals"] == {f"j{j.pk}": t for j, t in
                                             zip(_judges, ["100", "94", "100"], strict=True)}
    assert closing.computed_at is not None
    assert "within its 2 places" in first.reason_text


def test_close_stage_refuses_unsubmitted_sheets_unless_told():
    edition, stage, entries, judges = scored_stage(entries_per_category=2, judges=2)
    _score_all(stage, entries, judges, submit=False)
    with pytest.raises(JudgingError, match="not submitted yet"):
        close_stage(stage=stage, actor="s")
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN


def test_override_without_a_reason_is_refused_and_with_one_changes_the_list():
    _edition, stage, entries, _judges = _setup()
    close_stage(stage=stage, actor="s", bootstrap=0)
    third = [e for e in entries if e.category.key == "opd"][2]
    with pytest.raises(JudgingError, match="Write the reason"):
        decide_entry(stage=stage, entry=third, decision="advance", reason=" ", actor="s")
    assert StageResult.objects.get(stage=stage, entry=third).advanced is False
    decide_entry(stage=stage, entry=third, decision="advance",
                 reason="Inovasi satu-satunya di bidang kesehatan", actor="s")
    result = StageResult.objects.get(stage=stage, entry=third)
    assert result.advanced is True
    assert result.reason_text == "Advanced by decision: Inovasi satu-satunya di bidang kesehatan"


def test_confirm_stage_moves_entries_and_emails_participants(
        django_capture_on_commit_callbacks, settings):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.badungkab.go.id"
    _edition, stage, entries, _judges = _setup()
    close_stage(stage=stage, actor="s", bootstrap=0)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        confirm_stage(stage=stage, actor="s")
    states = dict(Entry.objects.filter(pk__in=[e.pk for e in entries])
                  .values_list("code", "state"))
    opd = [e.code for e in entries if e.category.key == "opd"]
    assert [states[c] for c in opd] == [EntryState.FINALIST, EntryState.FINALIST,
                                        EntryState.ELIMINATED]
    assert len(mail.outbox) == 6
    eliminated = next(m for m in mail.outbox if opd[2] in m.body)
    assert "did not pass" in eliminated.body
    third = next(e for e in entries if e.code == opd[2])
    assert (f"https://sayembara.badungkab.go.id/peserta/entri/{third.pk}/"
            in eliminated.body)  # a full address, whatever host the organiser used
    assert StageClosing.objects.get(stage=stage).confirmed_at is not None
    with pytest.raises(JudgingError, match="were confirmed; scores can no longer be corrected"):
        correct_score(stage=stage, judge=_judges[0], entry=entries[0], criterion_key="kebaruan",
                      value="5", reason="Salah", actor="s")


def test_final_results_after_the_last_stage_carry_award_tiers_and_prizes():
    edition, stage, entries, judges = _setup()
    close_stage(stage=stage, actor="s", bootstrap=0)
    confirm_stage(stage=stage, actor="s")
    final_stage = edition.stages.get(key="wawancara")
    from sayembara.judging.services.assignments import assign
    from sayembara.judging.services.closing import open_stage

    open_stage(stage=final_stage, actor="s")
    finalists = list(Entry.objects.filter(edition=edition, current_stage=final_stage)
                     .order_by("code"))
    assert len(finalists) == 4
    for judge in judges:
        for entry in finalists:
            assign(stage=final_stage, judge=judge, entry=entry, actor="s")
    _score_all(final_stage, finalists, judges)
    close_stage(stage=final_stage, actor="s", bootstrap=0)
    confirm_stage(stage=final_stage, actor="s")
    finals = {f.entry.code: f for f in FinalResult.objects.filter(edition=edition)
              .select_related("entry", "award_tier")}
    winners = [f for f in finals.values() if f.rank == 1]
    assert len(winners) == 2  # one per category
    assert {w.prize for w in winners} == {Decimal("5000000.00")}
    assert {w.award_tier.key for w in winners} == {"juara-1"}
    assert set(Entry.objects.filter(edition=edition, state=EntryState.WINNER)
               .values_list("code", flat=True)) == {
        f.entry.code for f in finals.values() if f.rank in (1, 2)}


def test_checklist_scores_come_from_the_items_ticked():
    """Krenova's administrative check: four items, passing grade 100 (all items present)."""
    from sayembara.judging.services.assignments import assign
    from tests.factories_judging import make_edition, make_entry, make_judge, open_stage

    edition = make_edition(template="krenova-magelang-2017")
    stage = open_stage(edition.stages.order_by("order").first())
    judge = make_judge(edition)
    category = edition.categories.order_by("order").first()
    complete = make_entry(edition, category_key=category.key)
    missing_sk = make_entry(edition, category_key=category.key)
    items = ["proposal-lengkap", "sk", "replikasi", "bukti"]
    for entry, ticked in ((complete, items), (missing_sk, ["proposal-lengkap", "replikasi",
                                                            "bukti"])):
        assign(stage=stage, judge=judge, entry=entry, actor="s")
        save_sheet(stage=stage, judge=judge, entry=entry, values={"kelengkapan": ticked},
                   actor="s")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    with pytest.raises(JudgingError, match="is a checklist: tick the items"):
        correct_score(stage=stage, judge=judge, entry=complete, criterion_key="kelengkapan",
                      value="50", reason="Salah", actor="s")
    close_stage(stage=stage, actor="s", bootstrap=0)
    rows = {r.entry_id: r for r in StageResult.objects.filter(stage=stage)}
    assert rows[complete.pk].raw == Decimal("100.000000")
    assert rows[missing_sk.pk].raw == Decimal("75.000000")
    assert (rows[complete.pk].advanced, rows[missing_sk.pk].advanced) == (True, False)
    assert "below the passing grade" in rows[missing_sk.pk].reason_text


def test_close_stage_keeps_each_judges_severity_for_the_chart():
    from sayembara.documents.selectors.charts import judge_severity

    def harsh_second_judge(judge_index, entry_index, category_key):
        values = default_values(judge_index, entry_index, category_key)
        if judge_index == 1:  # the second judge gives every entry less
            return {key: value - 2 if key in {"kebaruan", "manfaat"} else value
                    for key, value in values.items()}
        return values

    _edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=3)
    _score_all(stage, entries, judges, values=harsh_second_judge)
    closing = close_stage(stage=stage, actor="sekretariat", bootstrap=0)
    per_judge = [item for unit in closing.summary["reliability"] for item in unit["per_judge"]]
    assert {item["judge"] for item in per_judge} == {judge.pk for judge in judges}
    for unit, items in judge_severity(stage).items():
        bars = dict(items)
        harshest = min(bars, key=bars.get)
        assert (unit, harshest) == (unit, judges[1].name)
        assert bars[harshest] < 0 < max(bars.values())
