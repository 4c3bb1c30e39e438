"""Invitations, reminders, field verification, the schedule, uji publik, third reviewer."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.judging.enums import FeedbackKind, InvitationStatus, RulingOutcome
from sayembara.judging.models import Assignment, FieldVisit, InterviewSlot
from sayembara.judging.selectors.schedule import slots_of_entry
from sayembara.judging.services.closing import close_stage, confirm_stage
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.field import (
    add_field_evidence,
    complete_field_visit,
    save_field_check,
    save_field_visit,
)
from sayembara.judging.services.invitations import invite_judge
from sayembara.judging.services.public import rule_on_feedback, submit_public_feedback
from sayembara.judging.services.reminders import remind_judges
from sayembara.judging.services.schedule import schedule_stage, set_slot
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import (
    default_values,
    make_edition,
    make_entry,
    make_judge,
    open_stage,
    scored_stage,
    small_template,
)

pytestmark = pytest.mark.django_db


def test_invite_judge_creates_an_account_and_the_mail_link_sets_its_password(
        django_capture_on_commit_callbacks, settings):
    settings.SAYEMBARA_PUBLIC_URL = "http://sayembara.test"
    edition = make_edition()
    judge = make_judge(edition, user=None, pledge=False)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite_judge(judge=judge, email="Dosen@Unud.ac.id", actor="s")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.SENT
    assert mail.outbox[0].to == ["dosen@unud.ac.id"]
    link = next(w for w in mail.outbox[0].body.split() if w.startswith("http://"))
    judge.refresh_from_db()
    assert Membership.objects.filter(user=judge.user, role=Role.JUDGE, edition=edition).exists()
    assert not judge.user.has_usable_password()
    client = Client()
    path = link.replace("http://sayembara.test", "")
    response = client.post(path, {"new_password1": "Juri-Mangupura-2024",
                                  "new_password2": "Juri-Mangupura-2024"})
    assert response.status_code == 302
    assert response["Location"] == reverse("jury:pledge", args=[edition.slug])
    judge.user.refresh_from_db()
    assert judge.user.check_password("Juri-Mangupura-2024")


def test_invite_judge_refuses_a_bad_address():
    edition = make_edition()
    judge = make_judge(edition, user=None)
    with pytest.raises(JudgingError, match="“juri-at-unud” is not an e-mail address"):
        invite_judge(judge=judge, email="juri-at-unud", actor="s")


def test_remind_judges_mails_only_those_with_sheets_left(django_capture_on_commit_callbacks):
    _edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=2)
    for entry in entries:
        same = [e for e in entries if e.category_id == entry.category_id]
        save_sheet(stage=stage, judge=judges[0], entry=entry, actor="s",
                   values=default_values(0, same.index(entry), entry.category.key))
        submit_sheet(stage=stage, judge=judges[0], entry=entry, actor="s")
    with django_capture_on_commit_callbacks(execute=True):
        reminded = remind_judges(stage=stage, actor="s")
    assert reminded == [judges[1]]
    assert [m.to for m in mail.outbox] == [[judges[1].user.email]]
    assert "2 of your score sheets" in mail.outbox[0].body


def test_field_visit_record_checklist_evidence_and_completion(tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=2)
    entry = entries[0]
    visit = save_field_visit(stage=stage, entry=entry, actor="s", visited_on=dt.date(2024, 9, 17),
                             place="Kantor Dinas", received_by="Kepala Dinas",
                             visitors=judges)
    with pytest.raises(JudgingError, match="Write what was missing"):
        save_field_check(visit=visit, criterion_key="bukti", finding="not_proven", actor="s")
    save_field_check(visit=visit, criterion_key="kebaruan", finding="proven", actor="s")
    with pytest.raises(JudgingError, match="still missing: a finding for every aspect"):
        complete_field_visit(visit=visit, actor="s")
    save_field_check(visit=visit, criterion_key="bukti", finding="not_proven",
                     note="Perbup belum ditandatangani", actor="s")
    # A program named as a photo is refused by its content, with the words every upload
    # uses, and the refusal is recorded.
    with pytest.raises(JudgingError) as refused:
        add_field_evidence(visit=visit, upload=SimpleUploadedFile("loket.jpg", b"MZ\x90\x00"),
                           actor="s")
    assert refused.value.message == (
        "The file “loket.jpg” is a Windows program, judged by its content rather than its "
        "name; “evidence of the field visit” accepts only: JPEG image, PDF document, PNG "
        "image, WebP image. Upload the right file.")
    too_large = SimpleUploadedFile("rapat.pdf", b"%PDF-1.4\n" + b"0" * (15 * 1024 * 1024))
    with pytest.raises(JudgingError, match="the largest file allowed for “evidence of the "
                                           "field visit” is 15 MB"):
        add_field_evidence(visit=visit, upload=too_large, actor="s")
    from sayembara.common.models import AuditEvent

    assert AuditEvent.objects.filter(action="security.upload_refused").count() == 2
    add_field_evidence(visit=visit, upload=SimpleUploadedFile("loket.jpg", b"\xff\xd8\xff"),
                       caption="Loket pelayanan", criterion_key="kebaruan", actor="s")
    complete_field_visit(visit=visit, actor="s")
    visit = FieldVisit.objects.get(pk=visit.pk)
    assert visit.completed_at is not None
    assert [c.finding for c in visit.checks.order_by("criterion__order")] == [
        "proven", "not_proven"]
    assert visit.evidence.get().caption == "Loket pelayanan"


def test_schedule_lays_out_slots_in_rooms_and_moves_to_the_next_day():
    edition, stage, entries, _judges = scored_stage(entries_per_category=3, judges=1)
    zone = edition.zoneinfo
    start = dt.datetime(2024, 8, 26, 14, 0, tzinfo=zone)
    slots = schedule_stage(stage=stage, entries=entries, first_start=start, actor="s",
                           rooms=["Ruang Kertha", "Ruang Gosana"], day_end=dt.time(15, 0),
                           presentation_minutes=7, questions_minutes=13, changeover_minutes=5)
    local = [(s.entry.code, s.starts_at.astimezone(zone).strftime("%d %H:%M"), s.room)
             for s in slots]
    assert local == [
        (entries[0].code, "26 14:00", "Ruang Kertha"),
        (entries[1].code, "26 14:00", "Ruang Gosana"),
        (entries[2].code, "26 14:25", "Ruang Kertha"),
        (entries[3].code, "26 14:25", "Ruang Gosana"),
        (entries[4].code, "27 14:00", "Ruang Kertha"),
        (entries[5].code, "27 14:00", "Ruang Gosana"),
    ]
    assert [s.stage for s in slots_of_entry(entries[4])] == [stage]
    with pytest.raises(JudgingError, match="overlaps with the slot of entry"):
        set_slot(stage=stage, entry=entries[5], starts_at=start + dt.timedelta(minutes=10),
                 room="Ruang Kertha", actor="s")
    assert InterviewSlot.objects.count() == 6


def _uji_publik_edition():
    template = small_template(top_n=1, extra="""
public:
  uji_publik: {after_stage: proposal, days: 5}
""")
    edition = make_edition(template=template)
    stage = open_stage(edition.stages.get(key="proposal"))
    judge = make_judge(edition)
    entries = [make_entry(edition, category_key="opd") for _ in range(2)]
    from sayembara.judging.services.assignments import assign

    for index, entry in enumerate(entries):
        assign(stage=stage, judge=judge, entry=entry, actor="s")
        save_sheet(stage=stage, judge=judge, entry=entry, actor="s",
                   values=default_values(0, index, "opd"))
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    close_stage(stage=stage, actor="s", bootstrap=0, allow_incomplete=True)
    return edition, stage, entries


def test_uji_publik_accepts_feedback_only_in_the_window_and_only_for_finalists():
    edition, stage, entries = _uji_publik_edition()
    with pytest.raises(JudgingError, match="not announced yet"):
        submit_public_feedback(entry=entries[0], kind="objection", name="Warga",
                               email="warga@contoh.id", text="Belum berjalan")
    closing = confirm_stage(stage=stage, actor="s")
    day_after = closing.confirmed_at + dt.timedelta(days=1)
    with pytest.raises(JudgingError, match="not among the finalists"):
        submit_public_feedback(entry=entries[1], kind="objection", name="Warga",
                               email="warga@contoh.id", text="x", now=day_after)
    with pytest.raises(JudgingError) as caught:
        submit_public_feedback(entry=entries[0], kind="objection", name="",
                               email="bukan-email", text="", now=day_after)
    assert set(caught.value.problems) == {"name", "email", "text"}
    objection = submit_public_feedback(entry=entries[0], kind=FeedbackKind.OBJECTION,
                                       name="Warga", email="warga@contoh.id",
                                       text="Inovasi belum berjalan di desa kami.",
                                       now=day_after)
    with pytest.raises(JudgingError, match="closed on"):
        submit_public_feedback(entry=entries[0], kind="support", name="Warga",
                               email="warga@contoh.id", text="Bagus",
                               now=closing.confirmed_at + dt.timedelta(days=7))
    with pytest.raises(JudgingError, match="Write the ruling"):
        rule_on_feedback(feedback=objection, outcome=RulingOutcome.DISMISSED, ruling="",
                         actor="s")
    rule_on_feedback(feedback=objection, outcome=RulingOutcome.DISMISSED,
                     ruling="Verifikasi lapangan membuktikan inovasi berjalan sejak 2022.",
                     actor="s")
    objection.refresh_from_db()
    assert objection.outcome == RulingOutcome.DISMISSED


def test_third_reviewer_is_assigned_when_the_first_two_disagree():
    template = small_template(extra="")
    data = template.to_data()
    data["stages"][0]["disagreement"] = {"threshold": 10, "third_reviewer": True,
                                         "reviewers": 2}
    from sayembara.template_format import validate_data

    edition = make_edition(template=validate_data(data))
    stage = open_stage(edition.stages.get(key="proposal"))
    judges = [make_judge(edition) for _ in range(3)]
    entry = make_entry(edition, category_key="desa")
    from sayembara.judging.services.assignments import assign

    for judge in judges[:2]:
        assign(stage=stage, judge=judge, entry=entry, actor="s")
    for judge, value in zip(judges[:2], ["90", "60"], strict=True):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": value}, actor="s")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    extra = Assignment.objects.get(stage=stage, entry=entry, is_extra_reviewer=True)
    assert extra.judge == judges[2]


def test_third_reviewer_is_not_assigned_when_the_first_two_agree():
    template = small_template()
    data = template.to_data()
    data["stages"][0]["disagreement"] = {"threshold": 10, "third_reviewer": True}
    from sayembara.template_format import validate_data

    edition = make_edition(template=validate_data(data))
    stage = open_stage(edition.stages.get(key="proposal"))
    judges = [make_judge(edition) for _ in range(3)]
    entry = make_entry(edition, category_key="desa")
    from sayembara.judging.services.assignments import assign

    for judge, value in zip(judges[:2], ["80", Decimal("75")], strict=True):
        assign(stage=stage, judge=judge, entry=entry, actor="s")
        save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": value}, actor="s")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    assert not Assignment.objects.filter(is_extra_reviewer=True).exists()
