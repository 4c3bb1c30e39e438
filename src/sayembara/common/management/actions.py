"""The shape shared by commands whose first argument says what to do.

``sayembara organiser create|list``, ``sayembara edition create|list`` and
``sayembara administrator grant|revoke|list`` each name an action, then the action's own
arguments. A command lists its actions in ``actions()``, adds each one's arguments in
``add_<action>_arguments(parser)`` and carries it out in ``do_<action>(options)``.
"""

from __future__ import annotations

import getpass
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from sayembara.competitions.enums import TimeZone


class ActionCommand(BaseCommand):
    def actions(self) -> list[tuple[str, str, str]]:
        """``(name, help, description)`` of every action, in the order ``--help`` lists them."""
        raise NotImplementedError

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        for name, help_text, description in self.actions():
            action = actions.add_parser(name, help=help_text, description=description or None)
            add = getattr(self, f"add_{name}_arguments", None)
            if add is not None:
                add(action)

    def handle(self, *args, **options):
        return getattr(self, f"do_{options['action']}")(options)

    @staticmethod
    def actor() -> str:
        """Who the audit log names for a change made from the command line."""
        return f"cli:{getpass.getuser()}"

    @staticmethod
    def add_time_zone(parser: Any, *, default: str | None = None, help_text: str = "") -> None:
        parser.add_argument("--time-zone", choices=TimeZone.values, default=default,
                            dest="time_zone",
                            help=help_text or _("WIB, WITA or WIT (default: WIB)."))
