"""What the organiser's page on the audit log's integrity shows: the newest signed checkpoint
and the chain heads carried by an edition's published documents, each checked against the
chain as it is now."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy

from sayembara.common.models import AuditCheckpoint, AuditEvent
from sayembara.common.services.audit import ChainHead, current_head
from sayembara.common.services.checkpoints import (
    Anchor,
    CheckpointError,
    check_anchor,
    load_public_key,
    parse_checkpoint,
    parse_head,
)

#: Audit actions that publish a document carrying the chain head, and what to call them.
CARRIERS = {
    "documents.minutes_issued": gettext_lazy("Minutes of the assessment"),
    "documents.decree_draft_issued": gettext_lazy("Draft decree naming the winners"),
    "results.bundle_exported": gettext_lazy("Results bundle"),
}


@dataclass(frozen=True)
class CheckedAnchor:
    label: Any
    seq: int
    when: dt.datetime | None
    problem: str | None
    signed: bool | None = None

    @property
    def number(self) -> str:
        """The event number as people read it (``9.743``)."""
        return number_format(self.seq, force_grouping=True)


@dataclass(frozen=True)
class Integrity:
    head: ChainHead
    checkpoint: CheckedAnchor | None
    events_since_checkpoint: int
    documents: list[CheckedAnchor]

    @property
    def head_number(self) -> str:
        return number_format(self.head.seq, force_grouping=True)


def _newest_checkpoint() -> CheckedAnchor | None:
    row = AuditCheckpoint.objects.order_by("-seq", "-created_at").first()
    if row is None:
        return None
    anchor = Anchor(row.seq, row.head_hash, str(gettext_lazy("The newest checkpoint")))
    signed: bool | None
    try:
        parse_checkpoint(row.text, public_key=load_public_key(), source="")
        signed = True
    except CheckpointError:
        signed = False
    return CheckedAnchor(label=gettext_lazy("Signed checkpoint"), seq=row.seq,
                         when=row.created_at, problem=check_anchor(anchor), signed=signed)


def _head_of(event: AuditEvent) -> Anchor | None:
    value = (event.after or {}).get("audit_head")
    try:
        return parse_head(str(value), source=str(CARRIERS[event.action]))
    except CheckpointError:
        return None


def edition_integrity(edition_id: int, *, limit: int = 50) -> Integrity:
    head = current_head()
    checkpoint = _newest_checkpoint()
    documents = []
    events = (AuditEvent.objects.filter(edition_id=edition_id, action__in=list(CARRIERS))
              .order_by("-seq")[:limit])
    for event in events:
        anchor = _head_of(event)
        if anchor is None:
            continue
        documents.append(CheckedAnchor(label=CARRIERS[event.action], seq=anchor.seq,
                                       when=event.created_at, problem=check_anchor(anchor)))
    return Integrity(head=head, checkpoint=checkpoint,
                     events_since_checkpoint=head.seq - checkpoint.seq if checkpoint else 0,
                     documents=documents)
