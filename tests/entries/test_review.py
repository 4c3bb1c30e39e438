"""Forwarding by the Admin Lokal, return for correction and the administrative check."""

import pytest
from django.core import mail

from sayembara.common.models import AuditEvent
from sayembara.entries.enums import CheckOutcome, CheckReason, EntryState
from sayembara.entries.models import AdministrativeCheck
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.process import (
    forward_entry,
    record_admin_check,
    record_admin_checks,
    return_entry,
    submit_entry,
)
from tests.factories import InstitutionFactory, Role, UserFactory, grant
from tests.factories_entries import complete_entry, make_edition, make_entry, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit_world():
    edition = make_edition()
    region = InstitutionFactory(organiser=edition.organiser, name="Pemerintah Kota Uji",
                                kind="kota")
    unit = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan", parent=region,
                              email="dinkes@uji.go.id")
    operator = make_operator(unit, email="operator@dinkes.go.id")
    admin = UserFactory(email="admin@kota.go.id")
    grant(admin, Role.ADMIN_LOKAL, institution=region)
    entry = complete_entry(make_entry(edition=edition, institution=unit), actor=operator)
    return edition, entry, operator, admin


def test_submission_tells_the_admin_lokal_above(unit_world, django_capture_on_commit_callbacks,
                                               settings):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.uji.go.id"
    edition, entry, operator, admin = unit_world
    with django_capture_on_commit_callbacks(execute=True):
        submit_entry(entry=entry, actor=operator)
    assert [message.to for message in mail.outbox] == [["admin@kota.go.id"]]
    assert f"https://sayembara.uji.go.id/peserta/entri/{entry.pk}/" in mail.outbox[0].body


def test_return_for_correction_needs_a_comment_and_tells_the_operator(
        unit_world, django_capture_on_commit_callbacks):
    edition, entry, operator, admin = unit_world
    submit_entry(entry=entry, actor=operator)
    with pytest.raises(EntryStateError):
        return_entry(entry=entry, actor=admin, comment=" ")
    with django_capture_on_commit_callbacks(execute=True):
        return_entry(entry=entry, actor=admin, comment="SK belum ditandatangani.")
    entry.refresh_from_db()
    assert entry.state == EntryState.RETURNED
    assert sorted(mail.outbox[-1].to) == ["dinkes@uji.go.id", "operator@dinkes.go.id"]
    assert "SK belum ditandatangani." in mail.outbox[-1].body


def test_returned_entry_can_be_corrected_and_forwarded(unit_world):
    edition, entry, operator, admin = unit_world
    submit_entry(entry=entry, actor=operator)
    return_entry(entry=entry, actor=admin, comment="Perbaiki ringkasan.")
    submit_entry(entry=entry, actor=operator)
    forward_entry(entry=entry, actor=admin, comment="Lengkap.")
    history = list(entry.state_changes.values_list("to_state", "reason"))
    assert history == [("submitted", ""), ("returned", "Perbaiki ringkasan."),
                       ("submitted", ""), ("forwarded", "Lengkap.")]


def test_admin_check_failed_needs_a_reason():
    entry = complete_entry(make_entry(edition=make_edition()), actor="test")
    submit_entry(entry=entry, actor="test")
    with pytest.raises(EntryStateError) as error:
        record_admin_check(entry=entry, outcome=CheckOutcome.FAILED, reasons=[], note="",
                           actor="test")
    assert "at least one reason" in str(error.value)
    with pytest.raises(EntryStateError) as error:
        record_admin_check(entry=entry, outcome=CheckOutcome.FAILED,
                           reasons=[CheckReason.OTHER], note="", actor="test")
    assert "write the reason in the note" in str(error.value)


def test_admin_check_records_decision_history_and_emails_participant(
        django_capture_on_commit_callbacks):
    edition = make_edition()
    unit = InstitutionFactory(organiser=edition.organiser, email="")
    operator = make_operator(unit, email="op@unit.go.id")
    entry = complete_entry(make_entry(edition=edition, institution=unit), actor=operator)
    submit_entry(entry=entry, actor=operator)
    with django_capture_on_commit_callbacks(execute=True):
        record_admin_check(entry=entry, outcome=CheckOutcome.FAILED,
                           reasons=[CheckReason.MISSING_DOCUMENTS, CheckReason.OTHER],
                           note="Laporan bukan tahun 2025.", actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.FAILED_ADMIN
    decision = AdministrativeCheck.objects.get(entry=entry)
    assert decision.reasons == ["missing_documents", "other"]
    assert entry.state_changes.last().reason == (
        "Required documents are missing; Other reason (see the note); Laporan bukan tahun 2025.")
    assert mail.outbox[-1].to == ["op@unit.go.id"]
    assert "did not pass the administrative check" in mail.outbox[-1].subject
    assert "Laporan bukan tahun 2025." in mail.outbox[-1].body
    assert AuditEvent.objects.filter(action="entry.admin_checked").count() == 1


def test_admin_check_can_be_revised():
    entry = complete_entry(make_entry(edition=make_edition()), actor="test")
    submit_entry(entry=entry, actor="test")
    record_admin_check(entry=entry, outcome=CheckOutcome.FAILED,
                       reasons=[CheckReason.MISSING_DOCUMENTS], note="", actor="test")
    record_admin_check(entry=entry, outcome=CheckOutcome.PASSED, reasons=[],
                       note="Dokumen dikirim ulang lewat surat.", actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.PASSED_ADMIN
    assert list(entry.admin_checks.values_list("outcome", flat=True)) == ["passed", "failed"]


def test_bulk_admin_check_records_eligible_and_skips_others():
    edition = make_edition()
    submitted = []
    for n in range(3):
        entry = complete_entry(make_entry(edition=edition, title=f"Inovasi {n}"), actor="test")
        submit_entry(entry=entry, actor="test")
        submitted.append(entry)
    draft = make_entry(edition=edition, title="Masih draf")
    result = record_admin_checks(entries=[*submitted, draft], outcome=CheckOutcome.PASSED,
                                 reasons=[], note="", actor="test")
    assert [entry.pk for entry in result.done] == [entry.pk for entry in submitted]
    assert [entry.pk for entry, _why in result.skipped] == [draft.pk]
    assert "cannot become" in result.skipped[0][1]


def test_an_answer_without_its_required_evidence_cannot_pass_the_administrative_check():
    """9.3: an entry that reached the check without the evidence file its self-assessment
    answer needs (an import, a carried entry, the demo) is not counted complete."""
    from sayembara.entries.enums import DocumentKind, EntryState
    from sayembara.entries.services.entries import set_entry_state

    edition = make_edition()
    entry = complete_entry(make_entry(edition=edition), actor="test")
    entry.documents.filter(kind=DocumentKind.EVIDENCE).delete()
    entry = set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor="test")
    with pytest.raises(EntryStateError) as refused:
        record_admin_check(entry=entry, outcome=CheckOutcome.PASSED, reasons=[], note="",
                           actor="test")
    assert str(refused.value) == (
        f"{entry.code} cannot pass the administrative check while its form is incomplete: "
        "The answer to “Apakah inovasi memiliki dasar hukum?” has no evidence. Upload the "
        "document that proves the level you chose. Return it for correction or record that "
        "it did not pass.")
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    record_admin_check(entry=entry, outcome=CheckOutcome.FAILED,
                       reasons=[CheckReason.MISSING_DOCUMENTS], note="", actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.FAILED_ADMIN
