"""Accounts of participating institutions: invitations by e-mail with a one-time link, and
the units and operators an Admin Lokal or the organiser manages."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import forget_scopes
from sayembara.common.services.audit import record_event
from sayembara.common.timefmt import format_datetime
from sayembara.entries.enums import InvitationRole
from sayembara.entries.models import Institution, Invitation
from sayembara.entries.validators import is_institution_kind, is_region_code

INVITATION_VALID_DAYS = 14
_SALT = "sayembara.entries.invitation"


class AccountError(Exception):
    """A request about accounts or invitations that cannot be carried out; says why."""


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invitation's link (changes when the invitation is re-sent)."""
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=_SALT, compress=True)


def invitation_from_token(token: str, *, now: dt.datetime | None = None) -> Invitation:
    """The open invitation a link names, or AccountError saying why the link does not work."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature as error:
        raise AccountError(
            _("This invitation link is not valid. Check that you opened the whole link from "
              "the e-mail, or ask the organiser to send a new invitation.")
        ) from error
    invitation = (
        Invitation.objects.select_related("institution", "organiser")
        .filter(pk=data.get("i")).first()
    )
    if invitation is None or invitation.nonce != data.get("n") or invitation.revoked_at:
        raise AccountError(
            _("This invitation was withdrawn or replaced by a newer one. Use the link in the "
              "newest e-mail, or ask the organiser to send a new invitation.")
        )
    if invitation.accepted_at is not None:
        raise AccountError(
            _("This invitation was already used. Sign in with the e-mail address %(email)s "
              "and the password you chose.") % {"email": invitation.email}
        )
    if (now or timezone.now()) > invitation.expires_at:
        raise AccountError(
            _("This invitation expired on %(date)s. Ask the organiser to send a new one.")
            % {"date": format_datetime(invitation.expires_at, invitation.organiser)}
        )
    return invitation


def _send_on_commit(invitation: Invitation) -> None:
    from sayembara.entries.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))


@transaction.atomic
def invite_member(
    *,
    institution: Institution,
    email: str,
    role: str,
    actor: Any,
    full_name: str = "",
) -> Invitation:
    """Invite someone by e-mail to be operator or Admin Lokal of an institution.

    Inviting the same address again for the same role re-sends the invitation with a new
    link (the old link stops working). Side effects: audit event; the e-mail is sent by a
    background task after commit.
    """
    email = email.strip().lower()
    if role not in InvitationRole.values:
        raise AccountError(_("Choose operator or Admin Lokal."))
    if Membership.objects.filter(
        institution=institution, role=role, user__email__iexact=email
    ).exists():
        raise AccountError(
            _("%(email)s already has this role for %(institution)s.")
            % {"email": email, "institution": institution.name}
        )
    now = timezone.now()
    invitation = Invitation.objects.filter(
        institution=institution, email=email, role=role, accepted_at__isnull=True,
        revoked_at__isnull=True,
    ).first()
    if invitation is None:
        invitation = Invitation(
            organiser_id=institution.organiser_id, institution=institution, email=email,
            role=role, created_by=actor if getattr(actor, "pk", None) else None,
        )
        action = "invitation.created"
    else:
        action = "invitation.resent"
    invitation.full_name = full_name.strip() or invitation.full_name
    invitation.nonce = secrets.token_hex(16)
    invitation.expires_at = now + dt.timedelta(days=INVITATION_VALID_DAYS)
    invitation.save()
    record_event(actor=actor, action=action, obj=invitation,
                 after={"email": email, "role": role, "institution": institution.name})
    _send_on_commit(invitation)
    return invitation


@transaction.atomic
def accept_invitation(
    *,
    invitation: Invitation,
    user: Any = None,
    password: str = "",
    full_name: str = "",
) -> Any:
    """Accept an invitation: create the account (or use the signed-in ``user``) and give it
    the role. The link works once. Returns the user.

    Raises AccountError when the e-mail already has an account and nobody is signed in as
    it, and ValidationError when the password is too weak.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise AccountError(_("This invitation was already used or withdrawn."))
    User = get_user_model()
    existing = User.objects.filter(email__iexact=invitation.email).first()
    if user is not None and getattr(user, "is_authenticated", False):
        if user.email.lower() != invitation.email.lower():
            raise AccountError(
                _("This invitation is for %(email)s, but you are signed in as %(you)s. Sign "
                  "out and open the link again.")
                % {"email": invitation.email, "you": user.email or user.username}
            )
        account = user
    elif existing is not None:
        raise AccountError(
            _("An account with the e-mail address %(email)s already exists. Sign in with it "
              "and open this link again to accept the invitation.")
            % {"email": invitation.email}
        )
    else:
        account = User(username=invitation.email[:150], email=invitation.email,
                       full_name=(full_name or invitation.full_name).strip())
        validate_password(password, account)
        account.set_password(password)
        account.save()
        record_event(actor=account, action="user.created", obj=account,
                     after={"email": account.email, "via": "invitation"})
    Membership.objects.get_or_create(
        user=account, role=invitation.role, institution=invitation.institution,
        organiser=invitation.organiser if invitation.role == Role.ADMIN_LOKAL else None,
        edition=None,
    )
    forget_scopes(account)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    record_event(actor=account, action="invitation.accepted", obj=invitation,
                 after={"user": account.pk, "role": invitation.role,
                        "institution": invitation.institution.name})
    return account


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: Any) -> Invitation:
    if invitation.accepted_at is not None:
        raise AccountError(_("This invitation was already accepted; remove the account's "
                             "role instead."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    record_event(actor=actor, action="invitation.revoked", obj=invitation,
                 before={"email": invitation.email, "role": invitation.role})
    return invitation


@transaction.atomic
def remove_member(*, membership: Membership, actor: Any) -> None:
    """Take an operator's or Admin Lokal's role for an institution away."""
    if membership.role not in (Role.OPERATOR, Role.ADMIN_LOKAL) or not membership.institution_id:
        raise AccountError(_("Only roles of institutions are managed here."))
    record_event(actor=actor, action="membership.removed", obj=membership.institution,
                 before={"user": membership.user.email or membership.user.username,
                         "role": membership.role})
    user = membership.user
    membership.delete()
    forget_scopes(user)


def check_institution_fields(*, name: str, kind: str, region_code: str) -> None:
    if not name.strip():
        raise AccountError(_("Give the institution's name."))
    if not is_institution_kind(kind):
        raise AccountError(
            _("The type “%(kind)s” is not valid: use lower-case letters, digits and "
              "underscores, e.g. perangkat_daerah or kelurahan.") % {"kind": kind}
        )
    if region_code and not is_region_code(region_code):
        raise AccountError(
            _("The region code “%(code)s” is not a Kemendagri code such as 51, 51.03, "
              "51.03.01 or 51.03.01.2001.") % {"code": region_code}
        )


@transaction.atomic
def create_unit(
    *,
    parent: Institution,
    name: str,
    kind: str,
    actor: Any,
    region_code: str = "",
    email: str = "",
) -> Institution:
    """An Admin Lokal (or the organiser) adds a unit below an institution of the registry."""
    check_institution_fields(name=name, kind=kind, region_code=region_code)
    if Institution.objects.filter(organiser_id=parent.organiser_id,
                                  name__iexact=name.strip()).exists():
        raise AccountError(
            _("The registry already has an institution named “%(name)s”. Choose a distinct "
              "name (add the region, for example).") % {"name": name.strip()}
        )
    unit = Institution.objects.create(
        organiser_id=parent.organiser_id, parent=parent, name=name.strip(), kind=kind,
        region_code=region_code or parent.region_code, email=email.strip(),
    )
    record_event(actor=actor, action="institution.created", obj=unit,
                 after={"name": unit.name, "kind": kind, "parent": parent.name})
    return unit
