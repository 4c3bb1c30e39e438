"""E-mails to participants, sent by background tasks so a slow mail server never holds up a
page. Tasks take ids, fetch what they need and send through Django's mail settings."""

from __future__ import annotations

import logging

from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from sayembara.accounts.enums import Role
from sayembara.common.addresses import public_address
from sayembara.entries.enums import EntryState

log = logging.getLogger(__name__)


def operator_addresses(institution) -> list[str]:
    """The institution's operators' and its own contact addresses, without repeats."""
    from sayembara.accounts.models import Membership

    found: list[str] = []
    emails = Membership.objects.filter(
        institution=institution, role=Role.OPERATOR, user__is_active=True
    ).exclude(user__email="").values_list("user__email", flat=True)
    for email in [*emails, institution.email]:
        if email and email.lower() not in {known.lower() for known in found}:
            found.append(email)
    return found


def admin_lokal_addresses(institution) -> list[str]:
    from sayembara.accounts.models import Membership
    from sayembara.entries.rules import _ancestor_ids

    ancestors = _ancestor_ids(institution) - {institution.pk}
    return sorted(set(
        Membership.objects.filter(
            institution_id__in=ancestors, role=Role.ADMIN_LOKAL, user__is_active=True
        ).exclude(user__email="").values_list("user__email", flat=True)
    ))


@task()
def notify_state_change(change_id: int) -> int:
    """Tell the people concerned that an entry moved; returns the number of e-mails sent."""
    from sayembara.entries.models import EntryStateChange

    change = (
        EntryStateChange.objects.select_related("entry", "entry__edition",
                                                "entry__institution")
        .filter(pk=change_id).first()
    )
    if change is None:
        return 0
    entry = change.entry
    link = public_address(reverse("participation:entry_detail", args=[entry.pk]))
    context = {"code": entry.code, "title": entry.title, "edition": entry.edition.title,
               "institution": entry.institution.name, "link": link,
               "reason": change.reason_text or "-"}
    if change.to_state == EntryState.SUBMITTED:
        recipients = admin_lokal_addresses(entry.institution)
        subject = _("[%(edition)s] %(institution)s submitted an entry for you to forward") % context
        body = _(
            "%(institution)s submitted entry %(code)s “%(title)s” in %(edition)s.\n\n"
            "As Admin Lokal, review it and forward it to the organiser or return it for "
            "correction:\n%(link)s\n"
        ) % context
    elif change.to_state == EntryState.RETURNED:
        recipients = operator_addresses(entry.institution)
        subject = _("[%(edition)s] Entry %(code)s was returned for correction") % context
        body = _(
            "Entry %(code)s “%(title)s” of %(institution)s was returned for correction.\n\n"
            "What to correct: %(reason)s\n\nCorrect it and submit it again before the "
            "deadline:\n%(link)s\n"
        ) % context
    elif change.to_state == EntryState.FORWARDED:
        recipients = operator_addresses(entry.institution)
        subject = _("[%(edition)s] Entry %(code)s was forwarded to the organiser") % context
        body = _(
            "Your Admin Lokal forwarded entry %(code)s “%(title)s” to the organiser.\n\n"
            "Follow its status here:\n%(link)s\n"
        ) % context
    elif change.to_state in (EntryState.PASSED_ADMIN, EntryState.FAILED_ADMIN):
        recipients = operator_addresses(entry.institution)
        if change.to_state == EntryState.PASSED_ADMIN:
            subject = _("[%(edition)s] Entry %(code)s passed the administrative check") % context
            body = _(
                "Entry %(code)s “%(title)s” of %(institution)s passed the administrative "
                "check and goes on to the assessment.\n\nNote: %(reason)s\n\n"
                "Status and history:\n%(link)s\n"
            ) % context
        else:
            subject = _(
                "[%(edition)s] Entry %(code)s did not pass the administrative check"
            ) % context
            body = _(
                "Entry %(code)s “%(title)s” of %(institution)s did not pass the "
                "administrative check.\n\nReasons: %(reason)s\n\nStatus and history:\n"
                "%(link)s\n"
            ) % context
    else:
        return 0
    if not recipients:
        log.info("No address to tell about entry %s becoming %s.", entry.pk, change.to_state)
        return 0
    send_mail(subject, body, None, recipients)
    return len(recipients)


def _in_organiser_zone(moment, organiser) -> str:
    from sayembara.common.timefmt import format_datetime

    return format_datetime(moment, organiser)


@task()
def send_invitation(invitation_id: int) -> bool:
    """Send the one-time link of an invitation."""
    from sayembara.entries.models import Invitation
    from sayembara.entries.services.accounts import invitation_token

    invitation = Invitation.objects.select_related("institution", "organiser").filter(
        pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True
    ).first()
    if invitation is None:
        return False
    link = public_address(reverse("participation:accept_invitation",
                                      args=[invitation_token(invitation)]))
    context = {
        "name": invitation.full_name or invitation.email,
        "organiser": invitation.organiser.name,
        "institution": invitation.institution.name,
        "role": invitation.get_role_display(),
        "link": link,
        "until": _in_organiser_zone(invitation.expires_at, invitation.organiser),
    }
    send_mail(
        _("Invitation to Sayembara from %(organiser)s") % context,
        _(
            "Dear %(name)s,\n\n%(organiser)s invites you to act as %(role)s for "
            "%(institution)s in Sayembara.\n\nOpen this link to set your password and "
            "start; it works once, until %(until)s:\n%(link)s\n\nIf you did not expect this "
            "invitation, ignore this e-mail.\n"
        ) % context,
        None,
        [invitation.email],
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
    return True


@task()
def send_reminder(reminder_id: int) -> int:
    """Remind a mandatory participant that it has not submitted yet."""
    from sayembara.entries.models import Reminder
    from sayembara.entries.selectors.deadlines import edition_deadline, format_deadline

    reminder = Reminder.objects.select_related("edition", "institution").filter(
        pk=reminder_id
    ).first()
    if reminder is None or not reminder.recipients:
        return 0
    edition = reminder.edition
    deadline = edition_deadline(edition)
    context = {
        "edition": edition.title, "institution": reminder.institution.name,
        "deadline": format_deadline(deadline, edition) if deadline else _("(not set)"),
        "link": public_address(reverse("participation:home")),
    }
    send_mail(
        _("[%(edition)s] Reminder: %(institution)s has not submitted its entry") % context,
        _(
            "Participation of %(institution)s in %(edition)s is mandatory, and no entry has "
            "been submitted yet.\n\nThe deadline is %(deadline)s. Sign in, complete the entry "
            "and submit it:\n%(link)s\n"
        ) % context,
        None,
        list(reminder.recipients),
    )
    Reminder.objects.filter(pk=reminder.pk).update(delivered_at=timezone.now())
    return len(reminder.recipients)


@task()
def notify_referral_decided(referral_id: int) -> int:
    """Tell the organiser who put an entry forward what the receiving organiser decided."""
    from sayembara.accounts.models import Membership
    from sayembara.entries.enums import ReferralStatus
    from sayembara.entries.models import Referral

    referral = (Referral.objects.select_related("entry", "entry__edition", "to_edition",
                                                "to_edition__organiser", "sent_by")
                .filter(pk=referral_id).first())
    if referral is None:
        return 0
    recipients = [referral.sent_by.email] if referral.sent_by and referral.sent_by.email else \
        sorted(set(Membership.objects.filter(
            organiser_id=referral.entry.edition.organiser_id, role=Role.ORGANISER,
            user__is_active=True).exclude(user__email="").values_list("user__email",
                                                                     flat=True)))
    if not recipients:
        return 0
    entry = referral.entry
    context = {"code": entry.code, "title": entry.title, "to": referral.to_edition.title,
               "organiser": referral.to_edition.organiser.name,
               "reason": referral.reason or "-",
               "link": public_address(reverse("participation:referral",
                                                  args=[referral.pk]))}
    if referral.status == ReferralStatus.ACCEPTED:
        subject = _("[%(to)s] Entry %(code)s was accepted") % context
        body = _("%(organiser)s accepted entry %(code)s “%(title)s”, which you put forward to "
                 "%(to)s.\n\nNote: %(reason)s\n\n%(link)s\n") % context
    else:
        subject = _("[%(to)s] Entry %(code)s was declined") % context
        body = _("%(organiser)s declined entry %(code)s “%(title)s”, which you put forward to "
                 "%(to)s.\n\nReason: %(reason)s\n\n%(link)s\n") % context
    send_mail(subject, body, None, recipients)
    return len(recipients)
