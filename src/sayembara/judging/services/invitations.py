"""Inviting judges by e-mail (a background task sends it)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import forget_scopes
from sayembara.common.addresses import public_url
from sayembara.common.services.audit import record_event
from sayembara.judging.enums import InvitationStatus
from sayembara.judging.models import Invitation, Judge
from sayembara.judging.services.errors import JudgingError

_SALT = "sayembara.judging.invitation"
#: An invitation link works for 30 days.
MAX_AGE_SECONDS = 30 * 24 * 3600


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk}, salt=_SALT)


def invitation_from_token(token: str) -> Invitation | None:
    try:
        data = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    return (Invitation.objects.select_related("judge", "judge__edition", "judge__user")
            .filter(pk=data.get("i")).first())


@transaction.atomic
def invite_judge(*, judge: Judge, actor: Any, email: str = "") -> Invitation:
    """Invite a judge by e-mail; the message is sent by a background task after commit.

    A judge without an account gets one (without a password: the invitation link lets them
    choose it) and the judge membership of the edition.
    """
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    email = (email or (judge.user.email if judge.user else "")).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise JudgingError(
            _("“%(email)s” is not an e-mail address; write it like nama@instansi.go.id.")
            % {"email": email or "—"},
            problems={"email": _("Enter a valid e-mail address.")},
        ) from None
    if judge.user is None:
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first()
        if user is None:
            user = User(username=email[:150], email=email, full_name=judge.name)
            user.set_unusable_password()
            user.save()
        if Judge.objects.filter(edition_id=judge.edition_id, user=user).exists():
            raise JudgingError(
                _("%(email)s already has another seat on this jury.") % {"email": email}
            )
        judge.user = user
        judge.save(update_fields=["user"])
        Membership.objects.get_or_create(user=user, role=Role.JUDGE, edition_id=judge.edition_id,
                                         organiser=None, institution=None)
        forget_scopes(user)
    invitation = Invitation.objects.create(
        judge=judge, email=email, created_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(actor=actor, action="judge.invited", obj=invitation,
                 object_type="judging.invitation", edition_id=judge.edition_id,
                 after={"judge": judge.pk, "email": email})
    from sayembara.judging.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


def deliver_invitation(*, invitation_id: int) -> None:
    invitation = Invitation.objects.select_related("judge", "judge__edition").get(
        pk=invitation_id
    )
    judge = invitation.judge
    link = public_url("jury:invitation", invitation_token(invitation))
    subject = _("Invitation to the jury of %(edition)s") % {"edition": judge.edition.title}
    body = _(
        "Dear %(name)s,\n\nYou are invited to sit on the jury of %(edition)s as %(role)s.\n"
        "Open this link to accept, set your password if you have none yet, and read the "
        "integrity pledge you accept before your first score:\n\n%(link)s\n\n"
        "The link works for 30 days.\n"
    ) % {"name": judge.name, "edition": judge.edition.title, "role": judge.get_role_display(),
         "link": link}
    try:
        send_mail(subject, body, None, [invitation.email])
    except OSError:
        Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.FAILED)
        raise
    Invitation.objects.filter(pk=invitation.pk).update(status=InvitationStatus.SENT,
                                                       sent_at=timezone.now())


@transaction.atomic
def accept_invitation(*, invitation: Invitation, actor: Any, password: str = "") -> Invitation:
    """The invited judge accepts; a new account sets its password here."""
    user = invitation.judge.user
    if password:
        user.set_password(password)
        user.save(update_fields=["password"])
    if invitation.accepted_at is None:
        invitation.accepted_at = timezone.now()
        invitation.status = InvitationStatus.ACCEPTED
        invitation.save(update_fields=["accepted_at", "status"])
        record_event(actor=actor, action="judge.invitation_accepted", obj=invitation,
                     object_type="judging.invitation", edition_id=invitation.judge.edition_id,
                     after={"judge": invitation.judge_id})
    return invitation
