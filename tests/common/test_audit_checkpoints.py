"""Anchoring the audit chain outside the database: seals, signed checkpoints and the chain
head carried by published documents. Each tamper is done directly in the database, as
someone with write access to it (and, where said, with the secret key too) would."""

from __future__ import annotations

import json
import stat

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from sayembara.common.models import AuditCheckpoint, AuditEvent, AuditHead
from sayembara.common.services.audit import (
    compute_hash,
    current_head,
    record_event,
    seal_of,
    verify_chain,
)
from sayembara.common.services.checkpoints import (
    CheckpointError,
    bundle_anchor,
    check_anchor,
    load_public_key,
    parse_head,
    read_checkpoint,
    write_checkpoint,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def keys(settings, tmp_path):
    settings.SAYEMBARA_AUDIT_KEY_FILE = tmp_path / "keys" / "signing-key.pem"
    settings.SAYEMBARA_AUDIT_PUBLIC_KEY_FILE = tmp_path / "keys" / "signing-key.pub.pem"
    settings.SAYEMBARA_AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    call_command("audit", "keygen")
    return settings


def _record(count: int, start: int = 1) -> None:
    for number in range(start, start + count):
        record_event(actor="cli:test", action="thing.changed", object_type="demo.thing",
                     object_id=number, before={"value": number - 1}, after={"value": number})


@pytest.fixture
def checkpointed(keys):
    """Six events, a checkpoint at event 6, then two more events."""
    _record(6)
    checkpoint, path = write_checkpoint()
    _record(2, start=7)
    return checkpoint, path


def _verify(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", *args, stdout=out)
    return out.getvalue()


def _rechain_from(seq: int, *, seal: bool = True) -> None:
    """Recompute the hash (and, with the secret key, the seal) of every event from ``seq``
    on and move the head: what an intruder does to hide an edit."""
    previous = AuditEvent.objects.get(seq=seq - 1).hash if seq > 1 else "0" * 64
    for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
        event.prev_hash = previous
        event.hash = compute_hash(event)
        event.seal = seal_of(event.hash) if seal else event.seal
        AuditEvent.objects.filter(pk=event.pk).update(prev_hash=event.prev_hash,
                                                      hash=event.hash, seal=event.seal)
        previous = event.hash
    last = AuditEvent.objects.order_by("-seq").first()
    AuditHead.objects.filter(singleton=1).update(seq=last.seq, hash=last.hash)


# -- keys ------------------------------------------------------------------------------------


def test_keygen_writes_a_private_key_only_its_owner_reads_and_refuses_to_replace_it(keys):
    key_file = keys.SAYEMBARA_AUDIT_KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert keys.SAYEMBARA_AUDIT_PUBLIC_KEY_FILE.read_text().startswith("-----BEGIN PUBLIC KEY")
    before = key_file.read_bytes()
    with pytest.raises(CommandError, match="already exists"):
        call_command("audit", "keygen")
    assert key_file.read_bytes() == before


def test_checkpoint_without_a_key_says_how_to_make_one(settings, tmp_path):
    settings.SAYEMBARA_AUDIT_KEY_FILE = tmp_path / "none.pem"
    with pytest.raises(CommandError, match="audit keygen"):
        call_command("audit", "checkpoint")


# -- checkpoints -----------------------------------------------------------------------------


def test_checkpoint_signs_the_head_and_a_second_run_without_new_events_writes_nothing(keys):
    _record(3)
    checkpoint, path = write_checkpoint()
    data = json.loads(path.read_text())
    assert (data["seq"], data["head"]) == (3, AuditEvent.objects.get(seq=3).hash)
    assert read_checkpoint(path, public_key=load_public_key()) == checkpoint
    assert AuditCheckpoint.objects.get().text == path.read_text()
    again, again_path = write_checkpoint()
    assert (again, again_path) == (checkpoint, None)
    assert len(list(keys.SAYEMBARA_AUDIT_CHECKPOINT_DIR.glob("checkpoint-*.json"))) == 1


def test_verify_with_an_intact_chain_names_the_anchors_that_hold(checkpointed):
    _checkpoint, path = checkpointed
    assert "8 events checked; 1 anchor holds, the newest at event 6" in _verify(
        "--checkpoint", str(path))


def test_an_altered_checkpoint_file_fails_its_signature(checkpointed, tmp_path):
    _checkpoint, path = checkpointed
    data = json.loads(path.read_text())
    data["seq"] = 5
    data["head"] = AuditEvent.objects.get(seq=5).hash
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(data))
    with pytest.raises(CommandError, match="does not match the public key"):
        _verify("--checkpoint", str(forged))


def test_a_checkpoint_signed_with_another_key_is_refused(checkpointed, settings, tmp_path):
    _checkpoint, path = checkpointed
    call_command("audit", "keygen", "--key-file", str(tmp_path / "other.pem"))
    with pytest.raises(CommandError, match="signed with another key"):
        _verify("--checkpoint", str(path), "--public-key", str(tmp_path / "other.pub.pem"))


# -- the three tampers, and recompute-and-rewind ---------------------------------------------


def test_deleting_the_last_events_and_moving_the_head_is_found_by_the_checkpoint(checkpointed):
    _checkpoint, path = checkpointed
    AuditEvent.objects.filter(seq__gte=6).delete()
    last = AuditEvent.objects.get(seq=5)
    AuditHead.objects.filter(singleton=1).update(seq=5, hash=last.hash)
    assert verify_chain().ok  # the chain alone cannot tell
    with pytest.raises(CommandError, match="records event 6, but the chain now ends at event "
                                           "5: events were removed"):
        _verify("--checkpoint", str(path))


def test_appending_a_forged_event_with_a_correct_hash_is_found_by_its_missing_seal(
        checkpointed):
    last = AuditEvent.objects.order_by("-seq").first()
    forged = AuditEvent(seq=last.seq + 1, created_at=last.created_at, actor_label="intruder",
                        action="thing.changed", object_type="demo.thing", object_id="99",
                        after={"value": 99}, prev_hash=last.hash)
    forged.hash = compute_hash(forged)
    forged.save(force_insert=True)
    AuditHead.objects.filter(singleton=1).update(seq=forged.seq, hash=forged.hash)
    report = verify_chain()
    assert (report.ok, report.broken_at) == (False, 9)
    assert "no valid seal" in report.problem
    with pytest.raises(CommandError, match="broken at event 9"):
        _verify()


def test_rewinding_and_appending_forged_events_with_the_secret_key_is_found_by_the_checkpoint(
        checkpointed):
    _checkpoint, path = checkpointed
    # Delete back to event 4 and write new events 5.. with valid hashes and seals.
    AuditEvent.objects.filter(seq__gte=5).delete()
    fourth = AuditEvent.objects.get(seq=4)
    previous = fourth.hash
    for seq in range(5, 10):
        event = AuditEvent(seq=seq, created_at=fourth.created_at, actor_label="intruder",
                           action="thing.changed", object_type="demo.thing", object_id=str(seq),
                           after={"value": -seq}, prev_hash=previous)
        event.hash = compute_hash(event)
        event.seal = seal_of(event.hash)
        event.save(force_insert=True)
        previous = event.hash
    AuditHead.objects.filter(singleton=1).update(seq=9, hash=previous)
    assert verify_chain().ok
    with pytest.raises(CommandError, match="rewritten or re-chained"):
        _verify("--checkpoint", str(path))


def test_editing_an_event_without_the_secret_key_breaks_the_seals_of_the_rechained_events(
        checkpointed):
    AuditEvent.objects.filter(seq=3).update(after={"value": 300})
    _rechain_from(3, seal=False)
    report = verify_chain()
    assert (report.ok, report.broken_at) == (False, 3)


def test_editing_an_event_and_recomputing_every_later_one_is_found_by_every_anchor(
        checkpointed, tmp_path):
    """Recompute-and-rewind: the intruder holds the secret key, edits event 2, recomputes
    hashes and seals of every later event and moves the head. The chain verifies; the
    checkpoint, a bundle's head and a printed head do not."""
    _checkpoint, path = checkpointed
    head_before = current_head()
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "bundle.json").write_text(json.dumps({"audit_head": head_before.as_dict()}))
    AuditEvent.objects.filter(seq=2).update(after={"value": 200})
    _rechain_from(2)
    assert verify_chain().ok
    with pytest.raises(CommandError, match="records event 6 with hash .* rewritten"):
        _verify("--checkpoint", str(path))
    with pytest.raises(CommandError, match="records event 8 with hash"):
        _verify("--bundle", str(bundle))
    with pytest.raises(CommandError, match="records event 8 with hash"):
        _verify("--head", f"{head_before.seq}:{head_before.hash}")
    # With no option, the checkpoints the installation wrote are checked.
    with pytest.raises(CommandError, match="rewritten or re-chained"):
        _verify()


def test_editing_only_events_after_the_checkpoint_leaves_it_holding(checkpointed):
    _checkpoint, path = checkpointed
    AuditEvent.objects.filter(seq=7).update(after={"value": 700})
    _rechain_from(7)
    assert check_anchor(read_checkpoint(path, public_key=load_public_key())
                        .anchor("checkpoint")) is None


def test_checkpoint_refuses_to_sign_a_chain_that_lost_an_earlier_checkpoint(checkpointed):
    AuditEvent.objects.filter(seq=2).update(after={"value": 200})
    _rechain_from(2)
    with pytest.raises(CommandError, match="No checkpoint is signed"):
        call_command("audit", "checkpoint")
    assert AuditCheckpoint.objects.count() == 1


def test_checkpoint_refuses_to_sign_a_broken_chain(checkpointed):
    AuditEvent.objects.filter(seq=4).update(reason="edited")
    with pytest.raises(CommandError, match="broken at event 4"):
        call_command("audit", "checkpoint")


# -- heads carried by documents --------------------------------------------------------------


def test_a_printed_head_is_read_with_grouping_and_spaces():
    digest = "ab" * 32
    assert parse_head(f"#1.234 : {digest.upper()}", source="x").seq == 1234
    with pytest.raises(CheckpointError, match="is not a chain head"):
        parse_head("1234:abc", source="x")


def test_a_results_bundle_zip_carries_the_head(tmp_path):
    import zipfile

    _record(2)
    path = tmp_path / "bundle.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x-bundle/bundle.json",
                         json.dumps({"audit_head": current_head().as_dict()}))
    anchor = bundle_anchor(path)
    assert (anchor.seq, anchor.hash) == (2, AuditEvent.objects.get(seq=2).hash)
    assert check_anchor(anchor) is None


# -- the organiser's page --------------------------------------------------------------------


def test_integrity_page_shows_the_checkpoint_and_the_heads_on_papers_and_what_no_longer_holds(
        keys, client):
    from tests import factories_public as f
    from tests.factories import UserFactory, grant

    from sayembara.accounts.enums import Role
    from sayembara.documents.services.papers import sk_draft_pdf

    edition = f.public_edition()
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=edition.organiser)
    sk_draft_pdf(edition=edition, actor=user)
    write_checkpoint()
    _record(2)
    client.force_login(user)
    url = f"/publik/kelola/{edition.slug}/integritas-log/"
    page = client.get(url).content.decode()
    head = AuditCheckpoint.objects.get().seq
    assert f"Event {head}, signed on" in page
    assert "2 events were recorded since." in page
    assert "Draft decree naming the winners" in page
    assert page.count("matches the log") == 2 and "does not match" not in page
    AuditEvent.objects.filter(seq=2).update(reason="edited")
    _rechain_from(2)
    page = client.get(url).content.decode()
    assert page.count("does not match the log") == 2
    assert "rewritten or re-chained" in page
