"""Which entries a judge may read, and which file of a document they are given.

A judge (or field verifier) reads the documents of an entry only while the entry is
assigned to them at a stage that has opened (open or closed, never one still pending) and
they have no conflict of interest with it. Anyone else who is not the participant, its Admin
Lokal or the organiser gets the same 404 as for a missing file.

A judge who meets the entry only at blind stages reads the secretariat's redacted copy of a
document when there is one, under a name that says nothing about the participant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models.fields.files import FieldFile

from sayembara.competitions.enums import StageStatus
from sayembara.entries.models import Entry, EntryDocument
from sayembara.judging.models import Assignment, RedactedDocument
from sayembara.judging.services.conflicts import conflict_pairs

#: Stages whose judges read their entries: opened by the secretariat, open or closed since.
OPENED = (StageStatus.OPEN, StageStatus.CLOSED)


@dataclass(frozen=True)
class Reading:
    """A judge's access to one entry; ``blind`` when every stage at which they judge it
    hides the participant."""

    blind: bool


def judge_reading(user: Any, entry: Entry) -> Reading | None:
    """How ``user`` reads ``entry`` as one of its judges, or None when they may not."""
    if entry is None or not getattr(user, "is_authenticated", False):
        return None
    seats = [
        seat for seat in Assignment.objects.filter(
            entry_id=entry.pk, judge__user=user, stage__status__in=OPENED,
            stage__edition_id=entry.edition_id,
        ).select_related("judge", "stage")
    ]
    if not seats:
        return None
    conflicted = conflict_pairs(judges={seat.judge for seat in seats}, entries=[entry])
    free = [seat for seat in seats if (seat.judge_id, entry.pk) not in conflicted]
    if not free:
        return None
    return Reading(blind=all(seat.stage.blind for seat in free))


@dataclass(frozen=True)
class ServedFile:
    """What a download sends: the stored file, the name the browser sees, its type."""

    file: FieldFile
    name: str
    file_type: str
    redacted: bool = False


def neutral_name(document: EntryDocument, file_type: str | None = None) -> str:
    """A file name that names the entry number and the slot, never the participant."""
    return f"{document.entry.code}-{document.slot}.{file_type or document.file_type}".lower()


def served_file(*, user: Any, document: EntryDocument) -> ServedFile:
    """The file ``user`` is given for ``document`` (the permission is checked before):
    the original, or for a judge reading the entry blind, the redacted copy when the
    secretariat made one, under a neutral name."""
    original = ServedFile(document.file, document.original_name, document.file_type)
    if user.has_perm("entries.view_entry", document.entry):
        return original
    reading = judge_reading(user, document.entry)
    if reading is None or not reading.blind:
        return original
    copy = RedactedDocument.objects.filter(document=document).first()
    if copy is None:
        return ServedFile(document.file, neutral_name(document), document.file_type)
    return ServedFile(copy.file, neutral_name(document, copy.file_type), copy.file_type,
                      redacted=True)
