"""Putting an entry forward to the next level's competition run by another organiser
(usulkan ke kompetisi tingkat berikutnya): a Krenova winner of a city goes on to the
province's competition.

The receiving organiser turns on ``Edition.accepts_forwarded_entries``; the sending organiser
puts entries forward with a note; the receiving organiser sees each one with its documents
and history, and accepts it (a new draft entry is made in their edition, for an institution
of their registry) or declines it with a reason; the sender sees the outcome and is told by
e-mail. Every step is audited.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Category, Edition, Group
from sayembara.entries.enums import FORWARDABLE_STATES, EntryState, ReferralStatus
from sayembara.entries.models import Entry, Institution, Referral
from sayembara.entries.services.carrying import Carried, copy_entry_into
from sayembara.entries.services.entries import EntryStateError

#: Editions take forwarded entries while they are being prepared or open for entries.
RECEIVING_STATUSES = (EditionStatus.DRAFT, EditionStatus.OPEN)


def receiving_editions(*, organiser_id: int) -> QuerySet[Edition]:
    """The editions of other organisers that take entries put forward now."""
    return (Edition.objects.filter(accepts_forwarded_entries=True,
                                   status__in=RECEIVING_STATUSES)
            .exclude(organiser_id=organiser_id).select_related("organiser")
            .order_by("-year", "title"))


@transaction.atomic
def set_forwarding(*, edition: Edition, accepts: bool, note: str, actor: Any) -> Edition:
    """Turn on or off whether other organisers may put entries forward to ``edition``."""
    before = {"accepts": edition.accepts_forwarded_entries, "note": edition.forwarding_note}
    edition.accepts_forwarded_entries = accepts
    edition.forwarding_note = note.strip()
    edition.save(update_fields=["accepts_forwarded_entries", "forwarding_note"])
    record_event(actor=actor, action="edition.forwarding_changed", obj=edition, before=before,
                 after={"accepts": accepts, "note": edition.forwarding_note})
    return edition


@transaction.atomic
def forward_entry_to(*, entry: Entry, edition: Edition, note: str, actor: Any) -> Referral:
    """Put ``entry`` forward to ``edition`` of another organiser; refused (EntryStateError)
    with a sentence when that edition does not take it or it was already put forward."""
    entry = Entry.objects.select_for_update().select_related("edition").get(pk=entry.pk)
    if entry.state not in FORWARDABLE_STATES:
        raise EntryStateError(_(
            "Entry %(code)s is “%(state)s”; only entries that passed the administrative check "
            "can be put forward.") % {"code": entry.code,
                                     "state": EntryState(entry.state).label})
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.organiser_id == entry.edition.organiser_id:
        raise EntryStateError(_("%(edition)s is run by the same organiser; carry the entry into "
                                "it instead.") % {"edition": edition.title})
    if not edition.accepts_forwarded_entries or edition.status not in RECEIVING_STATUSES:
        raise EntryStateError(_("%(edition)s does not take entries put forward now.")
                              % {"edition": edition.title})
    earlier = Referral.objects.filter(entry=entry, to_edition=edition,
                                      status__in=[ReferralStatus.PENDING,
                                                  ReferralStatus.ACCEPTED]).first()
    if earlier is not None:
        raise EntryStateError(_("Entry %(code)s was already put forward to %(edition)s "
                                "(%(status)s).") % {"code": entry.code, "edition": edition.title,
                                 "status": earlier.get_status_display().lower()})
    referral = Referral.objects.create(
        entry=entry, to_edition=edition, note=note.strip(),
        sent_by=actor if getattr(actor, "pk", None) else None)
    record_event(actor=actor, action="entry.put_forward", obj=entry,
                 after={"to_edition": edition.pk, "to": edition.title,
                        "organiser": edition.organiser.name, "referral": referral.pk},
                 reason=referral.note)
    record_event(actor=actor, action="referral.received", obj=referral,
                 edition_id=edition.pk,
                 after={"entry": entry.code, "from": entry.edition.title})
    return referral


@transaction.atomic
def withdraw_referral(*, referral: Referral, actor: Any) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.PENDING:
        raise EntryStateError(_("Only an entry still waiting for a decision can be withdrawn."))
    referral.status = ReferralStatus.WITHDRAWN
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "decided_at"])
    record_event(actor=actor, action="referral.withdrawn", obj=referral,
                 edition_id=referral.to_edition_id, after={"status": referral.status})
    return referral


def _institution_for(referral: Referral, institution: Institution | None,
                     actor: Any) -> Institution:
    """The receiving registry's institution for the entry: the one chosen, or a new one
    made from the sender's registry entry (name, type, region, contact e-mail)."""
    organiser_id = referral.to_edition.organiser_id
    if institution is not None:
        if institution.organiser_id != organiser_id:
            raise EntryStateError(_("Choose an institution of your own registry."))
        return institution
    source = referral.entry.institution
    same = Institution.objects.filter(organiser_id=organiser_id,
                                      name__iexact=source.name).first()
    if same is not None:
        return same
    created = Institution.objects.create(
        organiser_id=organiser_id, name=source.name, kind=source.kind,
        region_code=source.region_code, region_name=source.region_name, email=source.email)
    record_event(actor=actor, action="institution.created", obj=created,
                 after={"name": created.name, "kind": created.kind,
                        "from_referral": referral.pk})
    return created


@transaction.atomic
def decide_referral(*, referral: Referral, accept: bool, actor: Any, reason: str = "",
                    category: Category | None = None, group: Group | None = None,
                    institution: Institution | None = None) -> tuple[Referral, Carried | None]:
    """Accept ``referral`` (a new draft entry in the receiving edition, with the documents
    that fit its form, for ``institution`` or a new institution of the receiving registry)
    or decline it with a reason. The sender is told by e-mail after commit."""
    from sayembara.entries.tasks import notify_referral_decided

    referral = (Referral.objects.select_for_update(of=("self",))
                .select_related("entry", "entry__edition", "entry__institution",
                                "to_edition").get(pk=referral.pk))
    if referral.status != ReferralStatus.PENDING:
        raise EntryStateError(_("This entry was already decided on (%(status)s).")
                              % {"status": referral.get_status_display().lower()})
    reason = reason.strip()
    carried = None
    if accept:
        if category is None or category.edition_id != referral.to_edition_id:
            raise EntryStateError(_("Choose the category of %(edition)s the entry goes into.")
                                  % {"edition": referral.to_edition.title})
        target = _institution_for(referral, institution, actor)
        carried = copy_entry_into(entry=referral.entry, edition=referral.to_edition,
                                  institution=target, category=category, group=group,
                                  actor=actor, action="entry.forward_accepted")
        referral.accepted_entry = carried.entry
        referral.status = ReferralStatus.ACCEPTED
    else:
        if not reason:
            raise EntryStateError(_("Say why the entry is declined; the sender reads it."))
        referral.status = ReferralStatus.DECLINED
    referral.reason = reason
    referral.decided_by = actor if getattr(actor, "pk", None) else None
    referral.decided_at = timezone.now()
    referral.save(update_fields=["status", "reason", "decided_by", "decided_at",
                                 "accepted_entry"])
    after = {"status": referral.status, "entry": referral.entry.code}
    if carried is not None:
        after["new_entry"] = carried.entry.code
    record_event(actor=actor, action="referral.decided", obj=referral,
                 edition_id=referral.to_edition_id, after=after, reason=reason)
    record_event(actor=actor, action="entry.forward_decided", obj=referral.entry,
                 after={"to": referral.to_edition.title, "status": referral.status},
                 reason=reason)
    pk = referral.pk
    transaction.on_commit(lambda: notify_referral_decided.enqueue(pk))
    return referral, carried
