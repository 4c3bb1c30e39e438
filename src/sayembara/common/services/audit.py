"""The hash-chained audit log. Every service that changes state calls ``record_event``."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from sayembara.common.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
# Any constant distinct from other advisory locks of the application.
_PG_LOCK_KEY = 0x5A7E_A0D1


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def to_jsonable(value: Any) -> Any:
    """A JSON-safe copy of ``value`` (Decimals and dates become strings)."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=_json_default, sort_keys=True))


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "created_at": event.created_at.astimezone(dt.UTC).isoformat(),
        "actor_id": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "edition_id": event.edition_id,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    blob = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_SEAL_SALT = "sayembara.audit.seal"


def seal_of(event_hash: str, *, secret: str | None = None) -> str:
    """The seal of an event: an HMAC of its hash under a key derived from ``SECRET_KEY``."""
    return salted_hmac(_SEAL_SALT, event_hash, secret=secret, algorithm="sha256").hexdigest()


def seal_is_valid(event_hash: str, seal: str) -> bool:
    """The seal was made with the current secret key or one of ``SECRET_KEY_FALLBACKS``."""
    if not seal:
        return False
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(constant_time_compare(seal_of(event_hash, secret=secret), seal)
               for secret in secrets_)


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    if isinstance(actor, str):
        return actor
    return getattr(actor, "email", "") or getattr(actor, "username", "") or str(actor.pk)


def _edition_id_of(obj: Any) -> int | None:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Edition":
        return obj.pk
    return getattr(obj, "edition_id", None)


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    edition_id: int | None = None,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the chain.

    ``actor`` is a user, a label such as ``"cli:root"``, or ``None`` for the system.
    Runs inside the caller's transaction (or its own), so the event and the change it
    describes are committed together or not at all. Appends are serialised: an advisory
    lock on PostgreSQL, the IMMEDIATE write lock on SQLite.
    """
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_PG_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").only("seq", "hash").first()
        event = AuditEvent(
            seq=(last.seq + 1) if last else 1,
            created_at=timezone.now(),
            actor=actor if getattr(actor, "pk", None) and not isinstance(actor, str) else None,
            actor_label=_actor_label(actor),
            action=action,
            object_type=object_type or (obj._meta.label_lower if obj is not None else ""),
            object_id=str(object_id or (obj.pk if obj is not None else "")),
            edition_id=edition_id if edition_id is not None else _edition_id_of(obj),
            before=to_jsonable(before),
            after=to_jsonable(after),
            reason=reason,
            prev_hash=last.hash if last else GENESIS_HASH,
        )
        event.hash = compute_hash(event)
        event.seal = seal_of(event.hash)
        event.save(force_insert=True)
        AuditHead.objects.update_or_create(
            singleton=1, defaults={"seq": event.seq, "hash": event.hash}
        )
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    checked: int
    broken_at: int | None = None
    problem: str = ""


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Walk the chain in order and report the first broken link."""
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            if event.seq > expected_seq:
                problem = _("Event %(seq)s is missing: the chain jumps to %(found)s.") % {
                    "seq": expected_seq,
                    "found": event.seq,
                }
            else:
                problem = _("Event %(seq)s appears out of order.") % {"seq": event.seq}
            return ChainReport(False, checked, expected_seq, problem)
        if event.prev_hash != prev_hash:
            return ChainReport(
                False,
                checked,
                event.seq,
                _(
                    "Event %(seq)s does not follow the event before it: an event was "
                    "inserted, removed or reordered here."
                )
                % {"seq": event.seq},
            )
        if compute_hash(event) != event.hash:
            return ChainReport(
                False,
                checked,
                event.seq,
                _("Event %(seq)s was changed after it was recorded.") % {"seq": event.seq},
            )
        if not seal_is_valid(event.hash, event.seal):
            return ChainReport(
                False,
                checked,
                event.seq,
                _(
                    "Event %(seq)s carries no valid seal: it was not written by this "
                    "installation (forged, or re-chained after an edit)."
                )
                % {"seq": event.seq},
            )
        prev_hash = event.hash
        expected_seq += 1
        checked += 1
    head = AuditHead.objects.filter(singleton=1).first()
    if head is None and checked:
        return ChainReport(False, checked, None, _("The record of the newest event is missing."))
    if head is not None and (head.seq != checked or head.hash != prev_hash):
        return ChainReport(
            False,
            checked,
            head.seq if head.seq > checked else checked,
            _(
                "The newest event recorded is %(head)s but the chain ends at %(last)s: "
                "events were removed from the end or the head was altered."
            )
            % {"head": head.seq, "last": checked},
        )
    return ChainReport(True, checked)


@dataclass(frozen=True)
class ChainHead:
    """The newest event of the chain: what a published document carries."""

    seq: int
    hash: str
    at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash,
                "at": self.at.astimezone(dt.UTC).isoformat() if self.at else None}


def current_head() -> ChainHead:
    """The head of the chain now (sequence 0 and the genesis hash while it is empty)."""
    head = AuditHead.objects.filter(singleton=1).first()
    if head is None:
        return ChainHead(0, GENESIS_HASH, None)
    at = AuditEvent.objects.filter(seq=head.seq).values_list("created_at", flat=True).first()
    return ChainHead(head.seq, head.hash, at)
