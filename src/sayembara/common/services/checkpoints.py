"""Anchoring the audit chain outside the database.

A checkpoint is a small signed statement "the chain had N events and the newest one's hash
was H at time T", signed with an Ed25519 key kept in a file the database never sees
(``SAYEMBARA_AUDIT_KEY_FILE``). Published copies of checkpoints (and the chain head printed on
every published document, or written in a results bundle) are anchors: whoever later rewrites
the database cannot make event N hash to H again, so ``sayembara audit verify --checkpoint``
finds any truncation, edit or re-chaining of the events an anchor covers.

What an anchor cannot show: events appended after the newest anchor (the seals of
``services.audit`` cover those against someone without the secret key). See docs/security.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
import json
import os
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.models import AuditCheckpoint, AuditEvent
from sayembara.common.services.audit import ChainHead, current_head, verify_chain

FORMAT = "sayembara-audit-checkpoint/1"


class CheckpointError(Exception):
    """A key or checkpoint that cannot be used; the message says why and what to do."""


# --------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key (the first 16 hex digits of its SHA-256)."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def public_pem(public_key: Ed25519PublicKey) -> str:
    return public_key.public_bytes(serialization.Encoding.PEM,
                                   serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def generate_key(*, key_file: Path, public_file: Path) -> Ed25519PublicKey:
    """Create a new signing key (readable by its owner only) and write its public key.

    Refuses to overwrite an existing key: checkpoints signed with it could no longer be
    told from forgeries by anyone holding only the new public key.
    """
    key_file, public_file = Path(key_file), Path(public_file)
    if key_file.exists():
        raise CheckpointError(_("A signing key already exists at %(path)s; it is not replaced. "
                                "Move it away first if you really mean to start a new key.")
                              % {"path": key_file})
    key_file.parent.mkdir(parents=True, exist_ok=True)
    private = Ed25519PrivateKey.generate()
    data = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                 serialization.NoEncryption())
    descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    public_file.parent.mkdir(parents=True, exist_ok=True)
    public_file.write_text(public_pem(private.public_key()), encoding="ascii")
    return private.public_key()


def load_private_key(key_file: Path | None = None) -> Ed25519PrivateKey:
    path = Path(key_file or settings.SAYEMBARA_AUDIT_KEY_FILE)
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as error:
        raise CheckpointError(_("There is no signing key at %(path)s. Create one with "
                                "“sayembara audit keygen”, or set SAYEMBARA_AUDIT_KEY_FILE.")
                              % {"path": path}) from error
    except (OSError, ValueError, TypeError) as error:
        raise CheckpointError(_("The file %(path)s is not a readable private key (%(error)s).")
                              % {"path": path, "error": error}) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise CheckpointError(_("The key in %(path)s is not an Ed25519 key.") % {"path": path})
    return key


def load_public_key(public_file: Path | None = None) -> Ed25519PublicKey:
    """The public key from ``public_file``, else the configured public key file, else the
    one derived from the configured private key."""
    path = Path(public_file or settings.SAYEMBARA_AUDIT_PUBLIC_KEY_FILE)
    try:
        key = serialization.load_pem_public_key(path.read_bytes())
    except FileNotFoundError as error:
        if public_file is None:
            try:
                return load_private_key().public_key()
            except CheckpointError:
                pass
        raise CheckpointError(_("There is no public key at %(path)s. Give the published key "
                                "with --public-key.") % {"path": path}) from error
    except (OSError, ValueError) as error:
        raise CheckpointError(_("The file %(path)s is not a readable public key (%(error)s).")
                              % {"path": path, "error": error}) from error
    if not isinstance(key, Ed25519PublicKey):
        raise CheckpointError(_("The key in %(path)s is not an Ed25519 key.") % {"path": path})
    return key


# --------------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Anchor:
    """A known point of the chain (sequence and hash of one event) and where it comes from."""

    seq: int
    hash: str
    source: str
    at: str | None = None


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    created_at: str
    key_id: str
    signature: str = ""

    def body(self) -> dict[str, Any]:
        return {"format": FORMAT, "seq": self.seq, "head": self.head,
                "created_at": self.created_at, "key_id": self.key_id}

    def message(self) -> bytes:
        return json.dumps(self.body(), sort_keys=True, separators=(",", ":")).encode()

    def text(self) -> str:
        return json.dumps(self.body() | {"signature": self.signature}, indent=2,
                          sort_keys=True) + "\n"

    def anchor(self, source: str) -> Anchor:
        return Anchor(self.seq, self.head, source, self.created_at)


def parse_checkpoint(text: str, *, public_key: Ed25519PublicKey, source: str) -> Checkpoint:
    """Read a checkpoint and check its signature; CheckpointError says what is wrong."""
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(_("unknown format"))
        checkpoint = Checkpoint(seq=int(data["seq"]), head=str(data["head"]),
                                created_at=str(data["created_at"]), key_id=str(data["key_id"]),
                                signature=str(data["signature"]))
        signature = base64.b64decode(checkpoint.signature, validate=True)
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise CheckpointError(_("%(source)s is not a checkpoint file (%(error)s).")
                              % {"source": source, "error": error}) from error
    try:
        public_key.verify(signature, checkpoint.message())
    except InvalidSignature as error:
        raise CheckpointError(_(
            "The signature of %(source)s does not match the public key %(key)s: the file was "
            "altered, or signed with another key.") % {"source": source,
                                                       "key": key_id(public_key)}) from error
    return checkpoint


def read_checkpoint(path: Path, *, public_key: Ed25519PublicKey) -> Checkpoint:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CheckpointError(_("The checkpoint %(path)s cannot be read (%(error)s).")
                              % {"path": path, "error": error}) from error
    return parse_checkpoint(text, public_key=public_key, source=str(path))


def _checkpoint_files(folder: Path) -> list[Path]:
    return sorted(Path(folder).glob("checkpoint-*.json")) if Path(folder).is_dir() else []


def known_anchors(*, public_key: Ed25519PublicKey,
                  folder: Path | None = None) -> tuple[list[Anchor], list[str]]:
    """The checkpoints this installation has written (files in the checkpoint folder and
    the copies in the database), each checked against the public key; with the problems of
    those that do not verify."""
    anchors: list[Anchor] = []
    problems: list[str] = []
    for path in _checkpoint_files(Path(folder or settings.SAYEMBARA_AUDIT_CHECKPOINT_DIR)):
        try:
            anchors.append(read_checkpoint(path, public_key=public_key).anchor(str(path)))
        except CheckpointError as error:
            problems.append(str(error))
    for row in AuditCheckpoint.objects.order_by("seq", "created_at"):
        source = _("checkpoint #%(seq)s kept in the database") % {"seq": row.seq}
        try:
            anchors.append(parse_checkpoint(row.text, public_key=public_key,
                                            source=source).anchor(source))
        except CheckpointError as error:
            problems.append(str(error))
    return anchors, problems


def check_anchor(anchor: Anchor) -> str | None:
    """Why the chain no longer holds ``anchor`` (None when it does)."""
    if anchor.seq == 0:
        return None
    found = AuditEvent.objects.filter(seq=anchor.seq).values_list("hash", flat=True).first()
    if found is None:
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
        return _("%(source)s records event %(seq)s, but the chain now ends at event "
                 "%(last)s: events were removed.") % {"source": anchor.source,
                                                      "seq": anchor.seq, "last": last}
    if found != anchor.hash:
        return _("%(source)s records event %(seq)s with hash %(expected)s, but the chain now "
                 "has %(found)s there: events up to %(seq)s were rewritten or re-chained "
                 "after the anchor was made.") % {"source": anchor.source, "seq": anchor.seq,
                                                  "expected": anchor.hash[:16] + "…",
                                                  "found": found[:16] + "…"}
    return None


def write_checkpoint(*, key_file: Path | None = None, folder: Path | None = None,
                     public_key_file: Path | None = None) -> tuple[Checkpoint, Path | None]:
    """Sign the chain's head and write it to ``folder`` (and a copy to the database).

    Refuses (CheckpointError) when the chain is broken or no longer holds an earlier
    checkpoint, so a rewritten chain is never signed. When the head has not moved since the
    newest checkpoint, nothing new is written and that checkpoint is returned with no path:
    a periodic job can run this as often as it likes.
    """
    private = load_private_key(key_file)
    public = private.public_key()
    if public_key_file is not None:
        public = load_public_key(public_key_file)
    folder = Path(folder or settings.SAYEMBARA_AUDIT_CHECKPOINT_DIR)
    report = verify_chain()
    if not report.ok:
        raise CheckpointError(_("The audit chain is broken at event %(seq)s (%(problem)s); no "
                                "checkpoint is signed.") % {"seq": report.broken_at,
                                                             "problem": report.problem})
    anchors, problems = known_anchors(public_key=public, folder=folder)
    problems += [p for p in (check_anchor(a) for a in anchors) if p]
    if problems:
        raise CheckpointError(" ".join([*problems, _("No checkpoint is signed.")]))
    with transaction.atomic():
        head: ChainHead = current_head()
        newest = max(anchors, key=lambda a: a.seq, default=None)
        if newest is not None and newest.seq == head.seq and newest.hash == head.hash:
            latest = AuditCheckpoint.objects.filter(seq=head.seq).first()
            if latest is not None:
                return parse_checkpoint(latest.text, public_key=public, source=""), None
        now = timezone.now().astimezone(dt.UTC).replace(microsecond=0)
        unsigned = Checkpoint(seq=head.seq, head=head.hash, created_at=now.isoformat(),
                              key_id=key_id(public))
        signature = base64.b64encode(private.sign(unsigned.message())).decode("ascii")
        checkpoint = replace(unsigned, signature=signature)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"checkpoint-{head.seq:012d}-{now:%Y%m%dT%H%M%SZ}.json"
        partial = folder / f".{path.name}.{os.getpid()}"
        partial.write_text(checkpoint.text(), encoding="utf-8")
        partial.replace(path)
        AuditCheckpoint.objects.create(seq=head.seq, head_hash=head.hash, created_at=now,
                                       key_id=checkpoint.key_id, text=checkpoint.text())
    return checkpoint, path


# --------------------------------------------------------------------------------------------
# Heads carried by published documents
# --------------------------------------------------------------------------------------------


def parse_head(text: str, *, source: str) -> Anchor:
    """An anchor typed from a printed document: ``SEQ:HASH`` (``#1.234`` and spaces allowed)."""
    seq_text, _sep, digest = text.replace(" ", "").partition(":")
    seq_text = seq_text.lstrip("#").replace(".", "").replace(",", "")
    digest = digest.lower()
    if not seq_text.isdigit() or len(digest) != 64 or any(c not in "0123456789abcdef"
                                                           for c in digest):
        raise CheckpointError(_("“%(text)s” is not a chain head; write the event number and "
                                "the 64-character hash as printed, e.g. 1234:3f5a…")
                              % {"text": text})
    return Anchor(int(seq_text), digest, source)


def bundle_anchor(path: Path) -> Anchor:
    """The chain head recorded in a results bundle (its folder or its zip file)."""
    path = Path(path)
    try:
        if path.is_dir():
            meta = json.loads((path / "bundle.json").read_text(encoding="utf-8"))
        else:
            with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as archive:
                name = next(n for n in archive.namelist() if n.endswith("bundle.json"))
                meta = json.loads(archive.read(name).decode("utf-8"))
        head = meta["audit_head"]
        return Anchor(int(head["seq"]), str(head["hash"]), str(path), head.get("at"))
    except (OSError, ValueError, KeyError, TypeError, StopIteration,
            zipfile.BadZipFile) as error:
        raise CheckpointError(_("%(path)s is not a results bundle that records the audit "
                                "chain head.") % {"path": path}) from error
