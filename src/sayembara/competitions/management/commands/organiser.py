"""``sayembara organiser create NAME --invite EMAIL`` and ``sayembara organiser list``."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.addresses import public_address
from sayembara.common.management.actions import ActionCommand
from sayembara.competitions.enums import TimeZone
from sayembara.competitions.models import Organiser
from sayembara.competitions.services.organisers import (
    OrganiserError,
    create_organiser,
    invitation_path,
    invite_secretariat,
    secretariat_of,
)


class Command(ActionCommand):
    help = "Create an organiser and invite its first secretariat account, or list organisers."

    def actions(self):
        return [
            ("create", _("Create an organiser and invite its secretariat by e-mail."),
             _("Create an organiser (the body that runs competitions) and invite its first "
               "secretariat account: the e-mail carries a link to choose a password. The link "
               "is printed too.")),
            ("list", _("List the organisers and their secretariat."), ""),
        ]

    def add_create_arguments(self, create):
        create.add_argument("name", metavar="NAME", help=_("The organiser's name."))
        create.add_argument("--invite", metavar="EMAIL",
                            help=_("E-mail address of the first secretariat member."))
        create.add_argument("--invitee-name", dest="invitee_name", default="",
                            metavar="NAME", help=_("That person's name."))
        create.add_argument("--region", default="", help=_("The region, e.g. Kabupaten "
                                                           "Badung."))
        self.add_time_zone(create, default=TimeZone.WIB)

    def do_create(self, options):
        actor = self.actor()
        try:
            with transaction.atomic():
                existing = Organiser.objects.filter(name__iexact=options["name"].strip()).first()
                if existing is not None and options.get("invite"):
                    organiser, created = existing, False
                else:
                    organiser = create_organiser(name=options["name"], actor=actor,
                                                 timezone_code=options["time_zone"],
                                                 region_name=options["region"])
                    created = True
                invited = None
                if options.get("invite"):
                    invited = invite_secretariat(organiser=organiser, email=options["invite"],
                                                 full_name=options["invitee_name"],
                                                 actor=actor)
        except OrganiserError as error:
            raise CommandError(str(error)) from None
        if created:
            self.stdout.write(_("Created the organiser %(name)s (%(slug)s).")
                              % {"name": organiser.name, "slug": organiser.slug})
        if invited is None:
            self.stdout.write(_("Invite its secretariat with: sayembara organiser create "
                                "\"%(name)s\" --invite EMAIL") % {"name": organiser.name})
            return
        if invited.needs_password:
            link = public_address(invitation_path(invited.user))
            self.stdout.write(_("Invited %(email)s to the secretariat of %(name)s. The e-mail "
                                "is sent by the worker (sayembara worker); the link to choose "
                                "a password is also:\n%(link)s")
                              % {"email": invited.user.email, "name": organiser.name,
                                 "link": link})
        else:
            self.stdout.write(_("%(email)s already had an account and is now in the "
                                "secretariat of %(name)s.")
                              % {"email": invited.user.email, "name": organiser.name})

    def do_list(self, options):
        organisers = list(Organiser.objects.order_by("name"))
        if not organisers:
            self.stdout.write(_("No organisers yet. Create one with: sayembara organiser create "
                                "NAME --invite EMAIL"))
            return
        for organiser in organisers:
            members = ", ".join(user.email or user.username for user in secretariat_of(organiser))
            self.stdout.write(f"{organiser.slug}  {organiser.name}  "
                              f"[{members or _('no secretariat yet')}]")
