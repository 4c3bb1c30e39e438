"""Redacted copies: the secretariat's copy of an entry document with the participant's
identity covered, which judges of blind stages read instead of the original (see
``selectors/reading.py``). Each upload and removal is in the audit log with the file's hash."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.entries.models import EntryDocument
from sayembara.entries.selectors.requirements import upload_slots
from sayembara.entries.services.drafts import file_sha256
from sayembara.entries.validators import check_upload
from sayembara.judging.models import RedactedDocument
from sayembara.judging.services.errors import JudgingError


def has_blind_stage(edition: Any) -> bool:
    """Some stage of the edition is judged blind, so redacted copies are read there."""
    return edition.stages.filter(blind=True).exists()


def _delete_file(copy: RedactedDocument) -> None:
    name, storage = copy.file.name, copy.file.storage
    copy.delete()
    transaction.on_commit(lambda: storage.delete(name) if storage.exists(name) else None)


@transaction.atomic
def attach_redacted_copy(*, document: EntryDocument, upload: Any, actor: Any
                         ) -> RedactedDocument:
    """Store ``upload`` as the redacted copy of ``document`` (replacing an earlier copy).

    Refuses (JudgingError) when no stage of the edition is judged blind, and a file that the
    document's own slot would refuse (type by content, size), with the same sentences.
    """
    document = EntryDocument.objects.select_related("entry", "entry__edition").get(
        pk=document.pk)
    edition = document.entry.edition
    if not has_blind_stage(edition):
        raise JudgingError(
            _("No stage of %(edition)s is judged blind, so judges read the original "
              "documents; a redacted copy would never be shown.") % {"edition": edition.title}
        )
    slot = upload_slots(edition).get(f"{document.kind}:{document.slot}")
    kinds = slot.kinds if slot else (document.file_type,)
    max_size_mb = slot.max_size_mb if slot else 10
    try:
        file_type = check_upload(upload, kinds=kinds, max_size_mb=max_size_mb,
                                 purpose=slot.title if slot else document.original_name)
    except ValidationError as error:
        raise JudgingError(" ".join(error.messages)) from error
    replaced = None
    old = RedactedDocument.objects.filter(document=document).first()
    if old is not None:
        replaced = old.sha256
        _delete_file(old)
    copy = RedactedDocument(document=document, file_type=file_type, size=upload.size,
                            sha256=file_sha256(upload),
                            uploaded_by=actor if getattr(actor, "pk", None) else None)
    copy.file.save(f"salinan.{file_type}", upload, save=False)
    copy.save()
    record_event(actor=actor, action="document.redacted_copy_added", obj=document.entry,
                 before={"sha256": replaced} if replaced else None,
                 after={"slot": f"{document.kind}:{document.slot}", "type": file_type,
                        "size": copy.size, "sha256": copy.sha256,
                        "original_sha256": document.sha256})
    return copy


@transaction.atomic
def remove_redacted_copy(*, document: EntryDocument, actor: Any) -> None:
    """Remove the redacted copy of ``document``: judges of blind stages read the original
    again, under a name that says nothing of the participant."""
    copy = RedactedDocument.objects.select_related("document__entry").filter(
        document=document).first()
    if copy is None:
        raise JudgingError(_("This document has no redacted copy."))
    record_event(actor=actor, action="document.redacted_copy_removed", obj=copy.document.entry,
                 before={"slot": f"{document.kind}:{document.slot}", "sha256": copy.sha256})
    _delete_file(copy)
