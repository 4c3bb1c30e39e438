"""Who administers the platform: granting and revoking the role for existing accounts.

A platform administrator creates organisers and invites their secretariat; they hold no key
to any organiser's editions. The role comes from a ``platform_admin`` membership, or from an
account made with ``sayembara createsuperuser``. There is always at least one: the last
active administrator cannot lose the role.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import forget_scopes
from sayembara.common.services.audit import record_event

GRANTED = "account.platform_admin_granted"
REVOKED = "account.platform_admin_revoked"


class PlatformAdminError(Exception):
    """A grant or revocation that cannot be carried out; the message says why."""


def platform_admins() -> QuerySet:
    """Every active account that administers the platform, by name."""
    return (get_user_model().objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(memberships__role=Role.PLATFORM_ADMIN))
            .distinct().order_by("full_name", "username"))


def is_platform_admin(user: Any) -> bool:
    return platform_admins().filter(pk=user.pk).exists()


def find_account(text: str) -> Any:
    """The account whose user name or e-mail address is ``text``; refused when none or
    several match."""
    text = text.strip()
    if not text:
        raise PlatformAdminError(_("Give the account's user name or e-mail address."))
    users = get_user_model().objects
    exact = users.filter(username__iexact=text)
    found = list(exact) if exact.exists() else list(users.filter(email__iexact=text)[:2])
    if not found:
        raise PlatformAdminError(
            _("No account has the user name or e-mail address “%(text)s”. The person needs "
              "an account first: invite them as a member of an organiser, or make one with "
              "sayembara createsuperuser.") % {"text": text})
    if len(found) > 1:
        raise PlatformAdminError(
            _("More than one account has the e-mail address “%(text)s”; give the user name "
              "instead.") % {"text": text})
    return found[0]


@transaction.atomic
def grant_platform_admin(*, user: Any, actor: Any) -> Any:
    """Make an existing, active account a platform administrator (audited)."""
    if not user.is_active:
        raise PlatformAdminError(_("The account %(account)s is switched off; it cannot "
                                   "administer the platform.")
                                 % {"account": user.get_username()})
    if is_platform_admin(user):
        raise PlatformAdminError(_("%(name)s already administers the platform.")
                                 % {"name": user.display_name})
    Membership.objects.create(user=user, role=Role.PLATFORM_ADMIN)
    forget_scopes(user)
    record_event(actor=actor, action=GRANTED, obj=user,
                 after={"username": user.get_username(), "role": Role.PLATFORM_ADMIN.value})
    return user


@transaction.atomic
def revoke_platform_admin(*, user: Any, actor: Any) -> Any:
    """Take the role away (its membership, and the superuser mark of an account made with
    ``createsuperuser``); refused for the last active platform administrator."""
    # Two administrators revoking each other at once must not leave nobody: lock them all,
    # then count again.
    candidates = list(platform_admins().values_list("pk", flat=True))
    list(get_user_model().objects.select_for_update().filter(pk__in=candidates)
         .values_list("pk", flat=True))
    admins = set(platform_admins().values_list("pk", flat=True))
    if user.pk not in admins:
        raise PlatformAdminError(_("%(name)s does not administer the platform.")
                                 % {"name": user.display_name})
    if len(admins) == 1:
        raise PlatformAdminError(
            _("%(name)s is the last platform administrator; make another account an "
              "administrator first, so that someone can still create organisers.")
            % {"name": user.display_name})
    was_superuser = user.is_superuser
    Membership.objects.filter(user=user, role=Role.PLATFORM_ADMIN).delete()
    if was_superuser:
        type(user).objects.filter(pk=user.pk).update(is_superuser=False)
        user.is_superuser = False
    forget_scopes(user)
    record_event(actor=actor, action=REVOKED, obj=user,
                 before={"username": user.get_username(), "role": Role.PLATFORM_ADMIN.value,
                         "superuser": was_superuser})
    return user

