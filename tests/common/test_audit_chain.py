"""The audit log detects every kind of tampering done directly in the database."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sayembara.common.models import AuditEvent
from sayembara.common.services.audit import record_event, verify_chain

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    for number in range(1, 7):
        record_event(actor="cli:test", action="thing.changed", object_type="demo.thing",
                     object_id=number, before={"value": number - 1}, after={"value": number})
    return list(AuditEvent.objects.order_by("seq"))


def test_verify_chain_intact_reports_every_event(chain):
    report = verify_chain()
    assert (report.ok, report.checked, report.broken_at) == (True, 6, None)


def test_verify_chain_edited_row_is_found(chain):
    AuditEvent.objects.filter(seq=3).update(after={"value": 300})
    report = verify_chain()
    assert (report.ok, report.broken_at) == (False, 3)
    assert "changed after it was recorded" in report.problem


def test_verify_chain_deleted_row_is_found(chain):
    AuditEvent.objects.filter(seq=4).delete()
    report = verify_chain()
    assert (report.ok, report.broken_at) == (False, 4)
    assert "missing" in report.problem


def test_verify_chain_deleted_last_rows_are_found(chain):
    AuditEvent.objects.filter(seq__gte=5).delete()
    report = verify_chain()
    assert report.ok is False
    assert "removed from the end" in report.problem


def test_verify_chain_reordered_rows_are_found(chain):
    # Swap the contents of events 2 and 5, keeping their sequence numbers.
    second, fifth = AuditEvent.objects.get(seq=2), AuditEvent.objects.get(seq=5)
    AuditEvent.objects.filter(pk=second.pk).update(seq=1000)
    AuditEvent.objects.filter(pk=fifth.pk).update(seq=2)
    AuditEvent.objects.filter(pk=second.pk).update(seq=5)
    report = verify_chain()
    assert (report.ok, report.broken_at) == (False, 2)


def test_verify_chain_inserted_row_is_found(chain):
    # Make room after event 3 and insert a forged event with a well-formed hash of its own.
    from sayembara.common.services.audit import compute_hash

    for event in AuditEvent.objects.filter(seq__gt=3).order_by("-seq"):
        AuditEvent.objects.filter(pk=event.pk).update(seq=event.seq + 1)
    third = AuditEvent.objects.get(seq=3)
    forged = AuditEvent(seq=4, created_at=third.created_at, actor_label="intruder",
                        action="thing.changed", object_type="demo.thing", object_id="99",
                        after={"value": 99}, prev_hash=third.hash)
    forged.hash = compute_hash(forged)
    forged.save(force_insert=True)
    report = verify_chain()
    # Its hash is right, but without the secret key it cannot be sealed.
    assert (report.ok, report.broken_at) == (False, 4)
    assert "no valid seal" in report.problem


def test_audit_verify_command_fails_on_a_broken_chain(chain):
    call_command("audit", "verify")
    AuditEvent.objects.filter(seq=2).update(reason="edited")
    with pytest.raises(CommandError, match="event 2"):
        call_command("audit", "verify")
