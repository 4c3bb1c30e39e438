"""Saving draft entries, with protection against two tabs overwriting each other.

A save names the version of the draft it started from (``Entry.version``). When the draft
changed in between (another tab, another operator of the same institution), the save does
not overwrite it: its text is kept as a :class:`DraftCopy`, the participant is told, and both
texts stay available until the participant picks one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import EDITABLE_STATES, DocumentKind, EntryState
from sayembara.entries.models import (
    DraftCopy,
    Entry,
    EntryDocument,
    SelfAssessmentClaim,
    StatementAffirmation,
)
from sayembara.entries.selectors.requirements import claim_levels, upload_slots
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.validators import check_upload

#: The plain fields of an entry a draft save may change.
TEXT_FIELDS = ("title", "innovators", "summary", "video_url")


@dataclass(frozen=True)
class DraftSave:
    """What a save did: ``saved`` (a new version) or ``copy`` (kept beside a newer version)."""

    entry: Entry
    saved: bool
    copy: DraftCopy | None = None


def draft_data(entry: Entry) -> dict[str, Any]:
    """The editable content of an entry as plain data (the shape ``save_draft`` takes)."""
    return {
        "title": entry.title,
        "innovators": entry.innovators,
        "summary": entry.summary,
        "category": entry.category_id,
        "group": entry.group_id,
        "innovation_started_on": (
            entry.innovation_started_on.isoformat() if entry.innovation_started_on else None
        ),
        "proposal": {key: value for key, value in (entry.proposal or {}).items() if value},
        "video_url": entry.video_url,
        "video_seconds": entry.video_seconds,
        "claims": {
            claim.item: {"level": claim.level, "note": claim.note}
            for claim in entry.claims.all()
        },
        "affirmations": sorted(entry.affirmations.values_list("statement", flat=True)),
    }


def normalise_draft(data: dict[str, Any]) -> dict[str, Any]:
    """The same shape with empty values dropped, so equal drafts compare equal."""
    started = data.get("innovation_started_on")
    if isinstance(started, dt.date):
        started = started.isoformat()
    return {
        "title": (data.get("title") or "").strip(),
        "innovators": (data.get("innovators") or "").strip(),
        "summary": (data.get("summary") or "").strip(),
        "category": data.get("category"),
        "group": data.get("group") or None,
        "innovation_started_on": started or None,
        "proposal": {
            key: value.strip() for key, value in (data.get("proposal") or {}).items()
            if value and value.strip()
        },
        "video_url": (data.get("video_url") or "").strip(),
        "video_seconds": data.get("video_seconds"),
        "claims": {
            key: {"level": value.get("level"), "note": (value.get("note") or "").strip()}
            for key, value in (data.get("claims") or {}).items()
            if value and value.get("level") is not None
        },
        "affirmations": sorted(set(data.get("affirmations") or [])),
    }


def _require_editable(entry: Entry) -> None:
    if entry.state not in EDITABLE_STATES:
        raise EntryStateError(
            _("Entry %(code)s is “%(state)s” and can no longer be changed. Withdraw it first "
              "(before the deadline) or ask the organiser to return it for correction.")
            % {"code": entry.code, "state": EntryState(entry.state).label}
        )


@transaction.atomic
def save_draft(*, entry: Entry, data: dict[str, Any], base_version: int, actor: Any) -> DraftSave:
    """Store ``data`` (see :func:`draft_data`) as the entry's new version.

    Assumes ``data`` was validated by the entry form (word limits, video link, choices).
    When the entry's version is no longer ``base_version``, nothing is overwritten: the data
    is kept as a DraftCopy and returned in ``copy``. An unchanged draft saves nothing.
    Side effects: ``version`` + 1 and an audit event naming the changed fields.
    """
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("edition").get(pk=entry.pk)
    )
    _require_editable(entry)
    wanted = normalise_draft(data)
    current = normalise_draft(draft_data(entry))
    if wanted == current:
        return DraftSave(entry=entry, saved=False)
    if entry.version != base_version:
        user = actor if getattr(actor, "pk", None) else None
        # A stale tab that keeps autosaving refreshes its one copy instead of piling up more.
        copy = DraftCopy.objects.filter(
            entry=entry, based_on_version=base_version, saved_by=user, resolved_at__isnull=True
        ).first() if user is not None else None
        if copy is None:
            copy = DraftCopy(entry=entry, based_on_version=base_version, saved_by=user)
        copy.data = wanted
        copy.saved_over_version = entry.version
        copy.save()
        record_event(actor=actor, action="entry.draft_copy_kept", obj=entry,
                     after={"copy": copy.pk, "based_on_version": base_version,
                            "current_version": entry.version})
        return DraftSave(entry=entry, saved=False, copy=copy)
    changed = sorted(key for key in wanted if wanted[key] != current[key])
    _apply(entry, wanted)
    record_event(actor=actor, action="entry.draft_saved", obj=entry,
                 after={"version": entry.version, "fields": changed})
    return DraftSave(entry=entry, saved=True)


def _apply(entry: Entry, data: dict[str, Any]) -> None:
    template = template_of(entry.edition)
    for name in TEXT_FIELDS:
        setattr(entry, name, data[name])
    entry.category_id = data["category"] or entry.category_id
    entry.group_id = data["group"]
    started = data["innovation_started_on"]
    entry.innovation_started_on = dt.date.fromisoformat(started) if started else None
    entry.video_seconds = data["video_seconds"]
    entry.proposal = data["proposal"]
    entry.version += 1
    entry.save()

    items = {item.id: item for item in template.entry_form.self_assessment}
    claims = {claim.item: claim for claim in entry.claims.all()}
    for item_id, claim in claims.items():
        if item_id not in data["claims"]:
            claim.delete()
    for item_id, value in data["claims"].items():
        item = items.get(item_id)
        if item is None:
            continue
        levels = claim_levels(template, item)
        level = levels[value["level"]]
        SelfAssessmentClaim.objects.update_or_create(
            entry=entry, item=item_id,
            defaults={"level": value["level"], "label": level.label,
                      "score": Decimal(level.score), "note": value["note"]},
        )
    ticked = {s.id for s in template.entry_form.statements if not s.document}
    wanted = set(data["affirmations"]) & ticked
    entry.affirmations.exclude(statement__in=wanted).delete()
    existing = set(entry.affirmations.values_list("statement", flat=True))
    StatementAffirmation.objects.bulk_create(
        StatementAffirmation(entry=entry, statement=statement) for statement in wanted - existing
    )


@transaction.atomic
def use_copy(*, copy: DraftCopy, actor: Any) -> DraftSave:
    """Make a kept copy the current text of its draft (the other text becomes a copy)."""
    entry = Entry.objects.select_for_update().get(pk=copy.entry_id)
    _require_editable(entry)
    previous = normalise_draft(draft_data(entry))
    DraftCopy.objects.create(
        entry=entry, data=previous, based_on_version=entry.version,
        saved_over_version=entry.version,
        saved_by=actor if getattr(actor, "pk", None) else None,
        resolved_at=timezone.now(),
    )
    _apply(entry, normalise_draft(copy.data))
    copy.resolved_at = timezone.now()
    copy.save(update_fields=["resolved_at"])
    record_event(actor=actor, action="entry.draft_copy_used", obj=entry,
                 after={"copy": copy.pk, "version": entry.version})
    return DraftSave(entry=entry, saved=True)


@transaction.atomic
def dismiss_copy(*, copy: DraftCopy, actor: Any) -> DraftCopy:
    """Set a kept copy aside (it stays in the history)."""
    copy.resolved_at = timezone.now()
    copy.save(update_fields=["resolved_at"])
    record_event(actor=actor, action="entry.draft_copy_dismissed", obj=copy.entry,
                 after={"copy": copy.pk})
    return copy


# --------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------


def file_sha256(upload: Any) -> str:
    """The SHA-256 of an uploaded file, read in chunks (the file is left at its start)."""
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in iter(lambda: upload.read(1024 * 1024), b""):
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_document(
    *, entry: Entry, kind: str, slot: str, upload: UploadedFile, actor: Any
) -> EntryDocument:
    """Store an uploaded file for one slot of the entry form.

    Refuses (ValidationError) a file over the slot's size limit or whose content is not an
    allowed type, whatever its name says. A slot that takes one file keeps only the newest.
    Side effects: the file is written under MEDIA_ROOT; an audit event with its hash.
    """
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("edition").get(pk=entry.pk)
    )
    _require_editable(entry)
    slots = upload_slots(entry.edition)
    spec = slots.get(f"{kind}:{slot}")
    if spec is None:
        raise EntryStateError(_("This entry form has no place for that file."))
    file_type = check_upload(upload, kinds=spec.kinds, max_size_mb=spec.max_size_mb,
                             purpose=spec.title)
    replaced = []
    if not spec.multiple:
        for old in EntryDocument.objects.filter(entry=entry, kind=kind, slot=slot):
            replaced.append(old.original_name)
            _delete_file(old)
    document = EntryDocument(
        entry=entry, kind=kind, slot=slot, original_name=upload.name[:255],
        file_type=file_type, size=upload.size, sha256=file_sha256(upload), covers_year=spec.year,
        uploaded_by=actor if getattr(actor, "pk", None) else None,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    record_event(actor=actor, action="entry.document_added", obj=entry,
                 after={"slot": f"{kind}:{slot}", "name": document.original_name,
                        "type": file_type, "size": document.size, "sha256": document.sha256},
                 before={"replaced": replaced} if replaced else None)
    return document


def _delete_file(document: EntryDocument) -> None:
    name = document.file.name
    storage = document.file.storage
    document.delete()
    transaction.on_commit(lambda: storage.delete(name) if storage.exists(name) else None)


@transaction.atomic
def remove_document(*, document: EntryDocument, actor: Any) -> None:
    entry = Entry.objects.select_for_update().get(pk=document.entry_id)
    _require_editable(entry)
    record_event(actor=actor, action="entry.document_removed", obj=entry,
                 before={"slot": f"{document.kind}:{document.slot}",
                         "name": document.original_name, "sha256": document.sha256})
    _delete_file(document)


__all__ = [
    "DocumentKind",
    "DraftSave",
    "add_document",
    "dismiss_copy",
    "draft_data",
    "normalise_draft",
    "remove_document",
    "save_draft",
    "use_copy",
]
