"""Every change of an entry's state goes through ``set_entry_state``."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Category, Edition, Group, Stage
from sayembara.competitions.services.editions import freeze_rules
from sayembara.entries.enums import ALLOWED_TRANSITIONS, EntryState
from sayembara.entries.models import Entry, EntryStateChange, Institution


class EntryStateError(Exception):
    """A state change that the rules do not allow; the message says why."""


def entry_code_prefix(category_key: str) -> str:
    """Initials of a multi-word category key (perangkat-daerah → PD), else its first three
    letters (kelurahan → KEL)."""
    words = [word for word in category_key.replace("_", "-").split("-") if word]
    if len(words) > 1:
        return "".join(word[0] for word in words[:4]).upper()
    return (words[0][:3] if words else "E").upper()


def next_entry_code(*, edition: Edition, category: Category) -> str:
    prefix = entry_code_prefix(category.key)
    taken = Entry.objects.filter(edition=edition, code__startswith=f"{prefix}-").count()
    code = f"{prefix}-{taken + 1:03d}"
    while Entry.objects.filter(edition=edition, code=code).exists():
        taken += 1
        code = f"{prefix}-{taken + 1:03d}"
    return code


@transaction.atomic
def create_entry(
    *,
    edition: Edition,
    institution: Institution,
    category: Category,
    title: str,
    actor: Any,
    group: Group | None = None,
    innovators: str = "",
    summary: str = "",
    code: str = "",
) -> Entry:
    """A new draft entry. The edition's rules freeze with its first entry."""
    entry = Entry.objects.create(
        edition=edition,
        institution=institution,
        category=category,
        group=group,
        title=title,
        innovators=innovators,
        summary=summary,
        code=code or next_entry_code(edition=edition, category=category),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    freeze_rules(edition=edition, actor=actor, cause="first entry")
    record_event(actor=actor, action="entry.created", obj=entry,
                 after={"title": title, "institution": institution.name,
                        "category": category.key})
    return entry


@transaction.atomic
def set_entry_state(
    *,
    entry: Entry,
    to_state: str,
    actor: Any,
    reason: str = "",
    stage: Stage | None = None,
    reason_code: str = "",
    reason_params: dict | None = None,
) -> Entry:
    """Move an entry to ``to_state``.

    Side effects: a row in the entry's state history, an audit event, ``submitted_at`` on
    submission, ``current_stage`` when a stage is given. Notifications are sent by the
    callers that know the context (administrative check, stage closing) on commit.
    Raises EntryStateError for a transition the life cycle does not allow.
    """
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    from_state = entry.state
    if to_state not in ALLOWED_TRANSITIONS.get(from_state, set()):
        raise EntryStateError(
            _("An entry that is “%(from)s” cannot become “%(to)s”.")
            % {"from": EntryState(from_state).label, "to": EntryState(to_state).label}
        )
    entry.state = to_state
    fields = ["state", "updated_at"]
    if to_state == EntryState.SUBMITTED:
        entry.submitted_at = timezone.now()
        fields.append("submitted_at")
    if stage is not None:
        entry.current_stage = stage
        fields.append("current_stage")
    entry.save(update_fields=fields)
    if reason_code:
        from sayembara.entries.reasons import reason_text

        reason = reason_text(reason_code, reason_params, reason)
    EntryStateChange.objects.create(
        entry=entry, from_state=from_state, to_state=to_state, stage=stage,
        actor=actor if getattr(actor, "pk", None) else None, reason=reason,
        reason_code=reason_code, reason_params=reason_params or {},
    )
    record_event(actor=actor, action="entry.state_changed", obj=entry,
                 before={"state": from_state}, after={"state": to_state,
                                                      "stage": stage.key if stage else None},
                 reason=reason)
    return entry
