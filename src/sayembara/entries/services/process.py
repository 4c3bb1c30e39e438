"""An entry's way from its institution to the organiser: submission before the deadline,
withdrawal, forwarding by the Admin Lokal, return for correction, the administrative check
and deadline extensions. Every state change goes through ``set_entry_state``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import (
    AWAITING_CHECK_STATES,
    EDITABLE_STATES,
    WITHDRAWABLE_STATES,
    CheckOutcome,
    CheckReason,
    EntryState,
)
from sayembara.entries.models import AdministrativeCheck, DeadlineExtension, Entry
from sayembara.entries.reasons import ADMIN_CHECK
from sayembara.entries.selectors.deadlines import (
    edition_deadline,
    effective_deadline,
    format_deadline,
)
from sayembara.entries.services.eligibility import (
    SubmissionRefused,
    check_completeness,
    check_submission,
)
from sayembara.entries.services.entries import EntryStateError, set_entry_state


def notify_on_commit(change_id: int) -> None:
    """E-mail the people concerned by a state change once the transaction commits."""
    from sayembara.entries.tasks import notify_state_change

    transaction.on_commit(lambda: notify_state_change.enqueue(change_id))


def _last_change_id(entry: Entry) -> int:
    return entry.state_changes.order_by("-pk").values_list("pk", flat=True).first()


def _refuse_after_deadline(entry: Entry, *, now: dt.datetime, action: str) -> None:
    deadline = effective_deadline(entry)
    if deadline is not None and now > deadline:
        raise EntryStateError(
            _("The deadline for %(action)s was %(deadline)s; entry %(code)s can no longer be "
              "%(done)s. Ask the organiser for an extension if you have a reason.")
            % {"action": {"submit": _("submitting entries"),
                          "withdraw": _("withdrawing entries")}[action],
               "deadline": format_deadline(deadline, entry.edition), "code": entry.code,
               "done": {"submit": _("submitted"), "withdraw": _("withdrawn")}[action]}
        )


@transaction.atomic
def submit_entry(*, entry: Entry, actor: Any, now: dt.datetime | None = None) -> Entry:
    """Submit a draft (or an entry returned for correction) before its deadline.

    Refuses with EntryStateError after the deadline (the message gives the deadline in the
    edition's time zone) and with SubmissionRefused listing every completeness and
    eligibility rule the entry breaks. Side effects: state ``submitted``, history row, audit
    event, e-mail to the Admin Lokal above the institution (on commit).
    """
    entry = Entry.objects.select_for_update(of=("self",)).select_related(
        "edition", "edition__competition", "institution", "category", "group"
    ).get(pk=entry.pk)
    if entry.state not in EDITABLE_STATES:
        raise EntryStateError(
            _("Entry %(code)s is “%(state)s”; only a draft or an entry returned for "
              "correction can be submitted.")
            % {"code": entry.code, "state": EntryState(entry.state).label}
        )
    now = now or timezone.now()
    opens = entry.edition.submission_opens_at
    if opens is not None and now < opens:
        raise EntryStateError(
            _("Submissions open on %(opens)s. Keep your draft; you can submit it then.")
            % {"opens": format_deadline(opens, entry.edition)}
        )
    _refuse_after_deadline(entry, now=now, action="submit")
    refusals = check_submission(entry)
    if refusals:
        raise SubmissionRefused(refusals)
    entry = set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor=actor)
    notify_on_commit(_last_change_id(entry))
    return entry


@transaction.atomic
def withdraw_entry(*, entry: Entry, actor: Any, reason: str = "",
                   now: dt.datetime | None = None) -> Entry:
    """Withdraw an entry before its deadline (it can be reopened as a draft until then)."""
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("edition").get(pk=entry.pk)
    )
    if entry.state not in WITHDRAWABLE_STATES:
        raise EntryStateError(
            _("Entry %(code)s is “%(state)s” and can no longer be withdrawn by its "
              "institution.") % {"code": entry.code, "state": EntryState(entry.state).label}
        )
    _refuse_after_deadline(entry, now=now or timezone.now(), action="withdraw")
    return set_entry_state(entry=entry, to_state=EntryState.WITHDRAWN, actor=actor,
                           reason=reason)


@transaction.atomic
def reopen_entry(*, entry: Entry, actor: Any, now: dt.datetime | None = None) -> Entry:
    """Turn a withdrawn entry back into a draft, before the deadline."""
    entry = (
        Entry.objects.select_for_update(of=("self",)).select_related("edition").get(pk=entry.pk)
    )
    _refuse_after_deadline(entry, now=now or timezone.now(), action="submit")
    return set_entry_state(entry=entry, to_state=EntryState.DRAFT, actor=actor)


@transaction.atomic
def forward_entry(*, entry: Entry, actor: Any, comment: str = "") -> Entry:
    """The Admin Lokal passes a submitted entry of one of its units on to the organiser."""
    entry = set_entry_state(entry=entry, to_state=EntryState.FORWARDED, actor=actor,
                            reason=comment.strip())
    notify_on_commit(_last_change_id(entry))
    return entry


@transaction.atomic
def return_entry(*, entry: Entry, actor: Any, comment: str) -> Entry:
    """Send an entry back to its institution for correction, saying what to correct."""
    if not comment.strip():
        raise EntryStateError(
            _("Say what the institution must correct; the comment is sent to them.")
        )
    entry = set_entry_state(entry=entry, to_state=EntryState.RETURNED, actor=actor,
                            reason=comment.strip())
    notify_on_commit(_last_change_id(entry))
    return entry


# --------------------------------------------------------------------------------------------
# Administrative check
# --------------------------------------------------------------------------------------------


def describe_check(reasons: Iterable[str], note: str) -> str:
    """The reasons and the note as one text for the history and the e-mail."""
    parts = [str(CheckReason(reason).label) for reason in reasons]
    if note.strip():
        parts.append(note.strip())
    return "; ".join(parts)


def check_admin_decision(*, outcome: str, reasons: list[str], note: str) -> None:
    """Refuse a decision that does not say why an entry failed."""
    if outcome not in CheckOutcome.values:
        raise EntryStateError(_("Choose passed or not passed."))
    unknown = [reason for reason in reasons if reason not in CheckReason.values]
    if unknown:
        raise EntryStateError(_("Unknown reason: %(reason)s.") % {"reason": unknown[0]})
    if outcome == CheckOutcome.FAILED and not reasons:
        raise EntryStateError(
            _("Choose at least one reason why the entry did not pass; the participant is "
              "told.")
        )
    if CheckReason.OTHER in reasons and not note.strip():
        raise EntryStateError(_("You chose “Other reason”; write the reason in the note."))


@transaction.atomic
def record_admin_check(*, entry: Entry, outcome: str, reasons: list[str], note: str,
                       actor: Any) -> AdministrativeCheck:
    """Record the organiser's decision on one entry in the administrative check.

    An entry passes only with its form complete, as submission requires (every required
    section, statement and document, and the evidence file of every self-assessment answer
    whose template asks for one), whichever way it arrived.

    Side effects: an AdministrativeCheck row, the state ``passed_admin`` or ``failed_admin``
    through ``set_entry_state`` (history + audit), and an e-mail to the institution's
    operators sent by a background task after commit.
    """
    check_admin_decision(outcome=outcome, reasons=reasons, note=note)
    if outcome == CheckOutcome.PASSED and can_be_checked(entry):
        missing = check_completeness(entry, template_of(entry.edition))
        if missing:
            raise EntryStateError(
                _("%(code)s cannot pass the administrative check while its form is "
                  "incomplete: %(missing)s. Return it for correction or record that it did "
                  "not pass.")
                % {"code": entry.code,
                   "missing": " ".join(refusal.message.rstrip(".") + "." for refusal in missing)
                   .rstrip(".")}
            )
    target = EntryState.PASSED_ADMIN if outcome == CheckOutcome.PASSED else EntryState.FAILED_ADMIN
    entry = set_entry_state(entry=entry, to_state=target, actor=actor,
                            reason_code=ADMIN_CHECK,
                            reason_params={"reasons": list(reasons), "note": note.strip()})
    decision = AdministrativeCheck.objects.create(
        entry=entry, outcome=outcome, reasons=list(reasons), note=note.strip(),
        checked_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(actor=actor, action="entry.admin_checked", obj=entry,
                 after={"outcome": outcome, "reasons": list(reasons), "note": note.strip()})
    notify_on_commit(_last_change_id(entry))
    return decision


@dataclass
class BulkResult:
    done: list[Entry] = field(default_factory=list)
    skipped: list[tuple[Entry, str]] = field(default_factory=list)


def record_admin_checks(*, entries: Iterable[Entry], outcome: str, reasons: list[str],
                        note: str, actor: Any) -> BulkResult:
    """The same decision for many entries; an entry that cannot take it is skipped with the
    reason, the others are recorded (each in its own transaction)."""
    check_admin_decision(outcome=outcome, reasons=reasons, note=note)
    result = BulkResult()
    for entry in entries:
        try:
            record_admin_check(entry=entry, outcome=outcome, reasons=reasons, note=note,
                               actor=actor)
        except EntryStateError as error:
            result.skipped.append((entry, str(error)))
        else:
            result.done.append(entry)
    return result


def can_be_checked(entry: Entry) -> bool:
    return entry.state in AWAITING_CHECK_STATES or entry.state in {
        EntryState.PASSED_ADMIN, EntryState.FAILED_ADMIN}


# --------------------------------------------------------------------------------------------
# Deadline extensions
# --------------------------------------------------------------------------------------------


@transaction.atomic
def grant_extension(*, edition: Edition, until: dt.datetime, reason: str, actor: Any,
                    entry: Entry | None = None) -> DeadlineExtension:
    """Give one entry, or every entry of the edition, a later deadline (logged)."""
    if not reason.strip():
        raise EntryStateError(_("Say why the deadline is extended; the reason is logged."))
    if timezone.is_naive(until):
        until = timezone.make_aware(until, edition.zoneinfo)
    current = effective_deadline(entry) if entry is not None else edition_deadline(edition)
    if current is not None and until <= current:
        raise EntryStateError(
            _("The new deadline must be later than the current one, %(deadline)s.")
            % {"deadline": format_deadline(current, edition)}
        )
    extension = DeadlineExtension.objects.create(
        edition=edition, entry=entry, until=until, reason=reason.strip(),
        granted_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(
        actor=actor, action="entry.deadline_extended",
        obj=entry if entry is not None else edition,
        before={"deadline": current}, after={"deadline": until,
                                             "scope": entry.code if entry else "all"},
        reason=reason.strip(),
    )
    return extension
