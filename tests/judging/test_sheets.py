from decimal import Decimal

import pytest

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import StageStatus
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Score, ScoreCorrection, ScoreSheet
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.errors import JudgingError, StaleSheet
from sayembara.judging.services.sheets import correct_score, save_sheet, submit_sheet
from tests.factories_judging import make_judge, scored_stage

pytestmark = pytest.mark.django_db


def _one():
    edition, stage, entries, judges = scored_stage(entries_per_category=2, judges=2)
    return edition, stage, entries[0], judges[0]


def _values(sheet):
    return {s.criterion.key: s.value for s in sheet.scores.select_related("criterion")}


def test_save_sheet_stores_draft_scores_and_freezes_rules():
    edition, stage, entry, judge = _one()
    edition.rules_frozen_at = None
    edition.save(update_fields=["rules_frozen_at"])
    sheet = save_sheet(stage=stage, judge=judge, entry=entry,
                       values={"kebaruan": Decimal("7.5")}, comments={"kebaruan": "Cukup baru"},
                       actor=judge.user)
    assert sheet.status == SheetStatus.DRAFT
    assert _values(sheet) == {"kebaruan": Decimal("7.5")}
    assert sheet.scores.get().comment == "Cukup baru"
    edition.refresh_from_db()
    assert edition.rules_frozen_at is not None
    assert AuditEvent.objects.filter(action="sheet.saved", object_id=str(sheet.pk)).count() == 1


def test_save_sheet_changes_only_named_criteria():
    _edition, stage, entry, judge = _one()
    save_sheet(stage=stage, judge=judge, entry=entry,
               values={"kebaruan": "8", "bukti": "70"}, actor=judge.user)
    sheet = save_sheet(stage=stage, judge=judge, entry=entry, values={"bukti": "100"},
                       actor=judge.user)
    assert _values(sheet) == {"kebaruan": Decimal("8"), "bukti": Decimal("100")}


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"kebaruan": "11"}, "outside the range of Kebaruan: give a score from 1 to 10"),
        ({"kebaruan": "0"}, "outside the range"),
        ({"kebaruan": "tujuh"}, "“tujuh” is not a number"),
        ({"bukti": "55"}, "choose one of 0, 40, 70, 100"),
        ({"kebaruan": "7.1234"}, "more than 3 decimal places"),
        ({"manfaat": "50"}, "no criterion “manfaat”"),
    ],
)
def test_save_sheet_refuses_bad_scores_and_keeps_saved_ones(values, fragment):
    _edition, stage, entry, judge = _one()
    save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6"}, actor=judge.user)
    with pytest.raises(JudgingError) as caught:
        save_sheet(stage=stage, judge=judge, entry=entry, values=values, actor=judge.user)
    assert fragment in str(caught.value)
    sheet = ScoreSheet.objects.get(stage=stage, judge=judge, entry=entry)
    assert _values(sheet) == {"kebaruan": Decimal("6")}


def test_save_sheet_accepts_a_comma_as_decimal_separator():
    _edition, stage, entry, judge = _one()
    sheet = save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "7,25"},
                       actor=judge.user)
    assert _values(sheet) == {"kebaruan": Decimal("7.25")}


def test_save_sheet_refuses_an_unassigned_entry():
    edition, stage, entry, _judge = _one()
    outsider = make_judge(edition)
    with pytest.raises(JudgingError, match="is not assigned to"):
        save_sheet(stage=stage, judge=outsider, entry=entry, values={"kebaruan": "6"},
                   actor=outsider.user)
    assert not ScoreSheet.objects.filter(judge=outsider).exists()


def test_save_sheet_refuses_a_conflicted_entry_even_if_it_was_assigned():
    _edition, stage, entry, judge = _one()
    declare_conflict(judge=judge, entry=entry, reason="Saya pembina tim ini", actor=judge.user)
    with pytest.raises(JudgingError, match="conflict of interest"):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6"},
                   actor=judge.user)


def test_save_sheet_refuses_after_the_stage_closed():
    _edition, stage, entry, judge = _one()
    save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6"}, actor=judge.user)
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    with pytest.raises(JudgingError, match="scores can no longer be given or changed"):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "9"},
                   actor=judge.user)
    assert Score.objects.get(sheet__judge=judge).value == Decimal("6")


def test_save_sheet_refuses_before_the_integrity_pledge():
    edition, stage, entry, _judge = _one()
    newcomer = make_judge(edition, pledge=False)
    from sayembara.judging.services.assignments import assign

    assign(stage=stage, judge=newcomer, entry=entry, actor="test")
    with pytest.raises(JudgingError, match="integrity pledge"):
        save_sheet(stage=stage, judge=newcomer, entry=entry, values={"kebaruan": "6"},
                   actor=newcomer.user)


def test_save_sheet_from_a_stale_tab_is_refused_and_the_newer_save_kept():
    _edition, stage, entry, judge = _one()
    opened = save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6"},
                        actor=judge.user).version
    save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "8"},
               actor=judge.user, expected_version=opened)
    with pytest.raises(StaleSheet, match="another tab or window"):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "5"},
                   actor=judge.user, expected_version=opened)
    assert Score.objects.get(sheet__judge=judge, criterion__key="kebaruan").value == 8


def test_submit_sheet_locks_and_a_second_submit_is_refused():
    _edition, stage, entry, judge = _one()
    version = save_sheet(stage=stage, judge=judge, entry=entry,
                         values={"kebaruan": "6", "bukti": "40"}, actor=judge.user).version
    sheet = submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user,
                         expected_version=version)
    assert sheet.status == SheetStatus.SUBMITTED
    with pytest.raises(JudgingError, match="already submitted"):
        submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user,
                     expected_version=version)
    with pytest.raises(JudgingError, match="already submitted"):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "9"},
                   actor=judge.user)
    assert _values(ScoreSheet.objects.get(pk=sheet.pk)) == {"kebaruan": 6, "bukti": 40}


def test_submit_sheet_refuses_missing_criteria_under_the_block_policy():
    _edition, stage, entry, judge = _one()
    save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6"}, actor=judge.user)
    with pytest.raises(JudgingError) as caught:
        submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    assert "still missing: Bukti dukung" in str(caught.value)
    assert caught.value.problems == {"bukti": "This criterion needs a score."}
    assert ScoreSheet.objects.get(judge=judge, entry=entry).status == SheetStatus.DRAFT


def test_correct_score_needs_a_reason_and_keeps_the_old_value():
    _edition, stage, entry, judge = _one()
    save_sheet(stage=stage, judge=judge, entry=entry, values={"kebaruan": "6", "bukti": "40"},
               actor=judge.user)
    submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    with pytest.raises(JudgingError, match="Say why the score is corrected"):
        correct_score(stage=stage, judge=judge, entry=entry, criterion_key="kebaruan",
                      value="7", reason="  ", actor="sekretariat")
    correction = correct_score(stage=stage, judge=judge, entry=entry, criterion_key="kebaruan",
                               value="7", reason="Salah ketik pada lembar", actor="sekretariat")
    assert (correction.old_value, correction.new_value) == (Decimal("6"), Decimal("7"))
    assert ScoreCorrection.objects.count() == 1
    event = AuditEvent.objects.get(action="score.corrected")
    assert event.reason == "Salah ketik pada lembar"
    assert event.before["value"] == "6.000"
