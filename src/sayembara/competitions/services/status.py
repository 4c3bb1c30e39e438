"""The life cycle of an edition: being prepared → open for entries → judging → results
decided → results published."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition

_ORDER = [
    EditionStatus.DRAFT,
    EditionStatus.OPEN,
    EditionStatus.JUDGING,
    EditionStatus.FINISHED,
    EditionStatus.PUBLISHED,
]


class EditionStatusError(Exception):
    pass


@transaction.atomic
def set_edition_status(*, edition: Edition, status: str, actor: Any, reason: str = "") -> Edition:
    """Move the edition forward to ``status`` (never backwards without a reason).

    Moving forward more than one step is allowed (a stage may open straight from the
    preparation). Moving back, e.g. withdrawing published results, needs a written reason.
    Writes an audit event; does nothing when the edition already has that status.
    """
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    current = EditionStatus(locked.status)
    target = EditionStatus(status)
    if current == target:
        return locked
    if _ORDER.index(target) < _ORDER.index(current) and not reason.strip():
        raise EditionStatusError(
            _("%(edition)s is “%(current)s”; going back to “%(target)s” needs a written "
              "reason.") % {"edition": locked.title, "current": current.label,
                            "target": target.label}
        )
    locked.status = target
    locked.save(update_fields=["status"])
    edition.status = target
    record_event(actor=actor, action="edition.status_changed", obj=locked,
                 before={"status": current.value}, after={"status": target.value},
                 reason=reason)
    return locked


@transaction.atomic
def advance_edition_status(*, edition: Edition, status: str, actor: Any) -> Edition:
    """Move forward to ``status`` if the edition is not already there or beyond (read from
    the database, so a stale instance never moves it back)."""
    current = Edition.objects.select_for_update().values_list("status", flat=True).get(
        pk=edition.pk)
    if _ORDER.index(EditionStatus(current)) >= _ORDER.index(EditionStatus(status)):
        edition.status = current
        return edition
    return set_edition_status(edition=edition, status=status, actor=actor)
