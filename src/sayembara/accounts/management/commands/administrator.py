"""``sayembara administrator grant|revoke ACCOUNT`` and ``sayembara administrator list``."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from sayembara.accounts.services.platform_admins import (
    PlatformAdminError,
    find_account,
    grant_platform_admin,
    platform_admins,
    revoke_platform_admin,
)
from sayembara.common.management.actions import ActionCommand


class Command(ActionCommand):
    help = "Give or take the platform administrator role, or list who holds it."

    def actions(self):
        return [
            ("grant", _("Make an existing account a platform administrator."),
             _("Make an existing account (named by user name or e-mail address) a platform "
               "administrator: they create organisers and invite their secretariat.")),
            ("revoke", _("Take the platform administrator role from an account."),
             _("Take the role from an account; the last platform administrator keeps it.")),
            ("list", _("List the platform administrators."), ""),
        ]

    def add_grant_arguments(self, parser):
        parser.add_argument("account", metavar="ACCOUNT",
                            help=_("User name or e-mail address."))

    add_revoke_arguments = add_grant_arguments

    def do_grant(self, options):
        try:
            user = grant_platform_admin(user=find_account(options["account"]),
                                        actor=self.actor())
        except PlatformAdminError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("%(name)s now administers the platform: they create organisers "
                            "and invite their secretariat.") % {"name": user.display_name})

    def do_revoke(self, options):
        try:
            user = revoke_platform_admin(user=find_account(options["account"]),
                                         actor=self.actor())
        except PlatformAdminError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(_("%(name)s no longer administers the platform.")
                          % {"name": user.display_name})

    def do_list(self, options):
        for user in platform_admins():
            email = f"  <{user.email}>" if user.email else ""
            self.stdout.write(f"{user.get_username()}  {user.display_name}{email}")
