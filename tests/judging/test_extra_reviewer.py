"""The third-reviewer rule carried through: an extra reviewer who declares a conflict is
replaced, the organisers hear at once when nobody is free, and the stage is not closed
while the engine still waits for an extra judge, the refusal saying who waits for whom."""

import pytest
from django.core import mail

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import StageStatus
from sayembara.judging.models import Assignment
from sayembara.judging.services.assignments import assign, stage_waiting
from sayembara.judging.services.closing import close_stage
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import (
    disagreement_stage,
    make_judge,
    make_organiser_user,
    score_apart,
)

pytestmark = pytest.mark.django_db


def _extra(stage, entry):
    return Assignment.objects.filter(stage=stage, entry=entry, is_extra_reviewer=True).first()


def test_a_conflicted_extra_reviewer_is_replaced_by_a_free_judge():
    _edition, stage, (entry,), judges = disagreement_stage(judges=4)
    score_apart(stage, entry, judges)
    first = _extra(stage, entry).judge
    declare_conflict(judge=first, entry=entry, reason="Saya pernah mendampingi desa ini.",
                     actor=first.user)
    replacement = _extra(stage, entry)
    assert replacement is not None
    assert replacement.judge not in (first, judges[0], judges[1])
    assert not Assignment.objects.filter(stage=stage, entry=entry, judge=first).exists()


def test_the_organisers_are_told_at_once_when_no_judge_is_free(
        settings, django_capture_on_commit_callbacks):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.example.go.id"
    edition, stage, (entry,), judges = disagreement_stage(judges=3)
    organiser = make_organiser_user(edition)
    score_apart(stage, entry, judges)
    third = _extra(stage, entry).judge
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declare_conflict(judge=third, entry=entry, reason="Kerabat kepala desa.",
                         actor=third.user)
    assert _extra(stage, entry) is None
    message, = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == f"[{edition.title}] {entry.code} needs an extra judge at {stage.name}"
    assert "No judge of the stage is free to take it" in message.body
    assert (f"https://sayembara.example.go.id/juri/kelola/{edition.slug}/tahap/{stage.key}"
            "/panel/") in message.body
    assert AuditEvent.objects.filter(action="assignment.extra_reviewer_unavailable").exists()


def test_closing_is_refused_while_an_entry_waits_for_an_extra_judge_none_assigned():
    _edition, stage, (entry,), judges = disagreement_stage(judges=3)
    score_apart(stage, entry, judges)
    third = _extra(stage, entry).judge
    declare_conflict(judge=third, entry=entry, reason="Kerabat kepala desa.", actor="test")
    with pytest.raises(JudgingError) as refused:
        close_stage(stage=stage, actor="test", allow_incomplete=True, bootstrap=0)
    text = refused.value.message
    assert "cannot be closed yet" in text
    assert f"{entry.code} waits for an extra judge, and none is assigned" in text
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN


def test_closing_waits_for_the_extra_judges_sheet_even_when_told_to_skip_missing_ones():
    _edition, stage, (entry,), judges = disagreement_stage(judges=3)
    score_apart(stage, entry, judges)
    with pytest.raises(JudgingError) as refused:
        close_stage(stage=stage, actor="test", allow_incomplete=True, bootstrap=0)
    assert f"{entry.code} waits for Juri Cahya" in refused.value.message
    save_sheet(stage=stage, judge=judges[2], entry=entry, values={"manfaat": "80"},
               actor="test")
    submit_sheet(stage=stage, judge=judges[2], entry=entry, actor="test")
    assert stage_waiting(stage) == []
    close_stage(stage=stage, actor="test", bootstrap=0)
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED


def test_a_judge_added_by_hand_clears_the_wait_once_they_submit():
    edition, stage, (entry,), judges = disagreement_stage(judges=3)
    score_apart(stage, entry, judges)
    declare_conflict(judge=judges[2], entry=entry, reason="Kerabat.", actor="test")
    newcomer = make_judge(edition, name="Juri Baru")
    assign(stage=stage, judge=newcomer, entry=entry, actor="test")
    waiting, = stage_waiting(stage)
    assert (waiting.entry, waiting.judges, waiting.extra_judge) == (entry, ["Juri Baru"], True)
    save_sheet(stage=stage, judge=newcomer, entry=entry, values={"manfaat": "75"},
               actor="test")
    submit_sheet(stage=stage, judge=newcomer, entry=entry, actor="test")
    close_stage(stage=stage, actor="test", bootstrap=0)


def test_missing_sheets_are_named_with_their_judges():
    _edition, stage, entries, judges = disagreement_stage(judges=3, entries=2)
    save_sheet(stage=stage, judge=judges[0], entry=entries[0], values={"manfaat": "80"},
               actor="test")
    submit_sheet(stage=stage, judge=judges[0], entry=entries[0], actor="test")
    with pytest.raises(JudgingError) as refused:
        close_stage(stage=stage, actor="test", bootstrap=0)
    text = refused.value.message
    assert "3 assigned score sheets" in text
    assert f"{entries[0].code} waits for Juri Bagus" in text
    assert f"{entries[1].code} waits for Juri Anom, Juri Bagus" in text


def test_pages_show_the_entry_needing_an_extra_judge(client):
    from django.urls import reverse

    edition, stage, (entry,), judges = disagreement_stage(judges=3)
    score_apart(stage, entry, judges)
    declare_conflict(judge=judges[2], entry=entry, reason="Kerabat.", actor="test")
    client.force_login(make_organiser_user(edition))
    progress = client.get(reverse("jury:stage_progress", args=[edition.slug, stage.key]))
    assert "needs an extra judge" in progress.content.decode()
    closing = client.get(reverse("jury:stage_close", args=[edition.slug, stage.key]))
    page = closing.content.decode()
    assert "an extra judge; none is assigned" in page
    assert 'name="allow_incomplete"' not in page
