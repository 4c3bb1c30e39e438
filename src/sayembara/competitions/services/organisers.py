"""Organisers (tenants) and their secretariat accounts, made by the platform administrator.

A new organiser's first secretariat account is invited by e-mail: the account is created
without a password and the e-mail carries a link made with Django's password-reset token
machinery, so the link works until the invitee sets a password (or it expires after
``PASSWORD_RESET_TIMEOUT``), and never again after that.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import forget_scopes
from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import TimeZone
from sayembara.competitions.models import Organiser


class OrganiserError(Exception):
    """A request about organisers that cannot be carried out; the message says why."""


@transaction.atomic
def create_organiser(*, name: str, actor: Any, timezone_code: str = TimeZone.WIB,
                     region_name: str = "", region_code: str = "") -> Organiser:
    """A new organiser; refused when one with the same name (or short name) exists."""
    name = " ".join(name.split())
    if not name:
        raise OrganiserError(_("Give the organiser's name."))
    if timezone_code not in TimeZone.values:
        raise OrganiserError(_("Choose WIB, WITA or WIT."))
    slug = slugify(name)[:80]
    if not slug:
        raise OrganiserError(_("The name needs at least one letter or digit."))
    if Organiser.objects.filter(name__iexact=name).exists() or \
            Organiser.objects.filter(slug=slug).exists():
        raise OrganiserError(_("An organiser named “%(name)s” already exists.")
                             % {"name": name})
    organiser = Organiser.objects.create(name=name, slug=slug, timezone=timezone_code,
                                         region_name=region_name.strip(),
                                         region_code=region_code.strip())
    record_event(actor=actor, action="organiser.created", obj=organiser,
                 after={"name": name, "timezone": timezone_code,
                        "region": organiser.region_name})
    return organiser


def invitation_path(user: Any) -> str:
    """The address (path) where ``user`` sets a password and takes up the invitation."""
    return reverse("accounts:invitation_accept", kwargs={
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    })


@dataclass
class Invited:
    user: Any
    #: True when the account is new or has never set a password (the e-mail carries a link).
    needs_password: bool


@transaction.atomic
def invite_secretariat(*, organiser: Organiser, email: str, actor: Any,
                       full_name: str = "") -> Invited:
    """Give ``email`` the organiser role of ``organiser`` and e-mail them.

    A new address gets an account without a password and a link to set one; inviting it
    again before then sends the link again. An address that already has an account with a
    password gets the role and an e-mail saying so. Side effects: audit events; the e-mail
    is sent by a background task after commit.
    """
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise OrganiserError(_("“%(email)s” is not an e-mail address.")
                             % {"email": email}) from None
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        if User.objects.filter(username__iexact=email).exists():
            raise OrganiserError(_("An account named %(email)s already exists with another "
                                   "e-mail address.") % {"email": email})
        user = User(username=email[:150], email=email, full_name=full_name.strip())
        user.set_unusable_password()
        user.save()
        record_event(actor=actor, action="user.created", obj=user,
                     after={"email": email, "via": "secretariat invitation"})
    elif not user.is_active:
        raise OrganiserError(_("The account of %(email)s is switched off; it cannot be "
                               "invited.") % {"email": email})
    elif full_name.strip() and not user.full_name:
        user.full_name = full_name.strip()
        user.save(update_fields=["full_name"])
    needs_password = not user.has_usable_password()
    membership, created = Membership.objects.get_or_create(
        user=user, role=Role.ORGANISER, organiser=organiser, edition=None, institution=None)
    if not created and not needs_password:
        raise OrganiserError(_("%(email)s is already in the secretariat of %(organiser)s.")
                             % {"email": email, "organiser": organiser.name})
    forget_scopes(user)
    record_event(actor=actor, action="organiser.member_invited" if created
                 else "organiser.invitation_resent", obj=organiser,
                 after={"email": email, "role": Role.ORGANISER.value})
    from sayembara.accounts.tasks import send_secretariat_invitation

    transaction.on_commit(lambda: send_secretariat_invitation.enqueue(user.pk, organiser.pk))
    return Invited(user=user, needs_password=needs_password)


def secretariat_of(organiser: Organiser) -> list[Any]:
    """The organiser's secretariat accounts, oldest first."""
    return [m.user for m in Membership.objects.filter(organiser=organiser, role=Role.ORGANISER)
            .select_related("user").order_by("created_at", "pk")]
