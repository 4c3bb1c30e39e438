"""The single command-line entry point: ``sayembara <command> ...``.

Commands that need no database (``template``, ``rank``, ``bundle``) are dispatched to
their own modules; everything else is a Django management command (``serve``, ``demo``,
``worker``, ``edition``, ``audit``, ``migrate``, ...).
"""

from __future__ import annotations

import importlib
import os
import sys

# command -> "module:function"; each function takes argv (without the command) and
# returns an exit status.
STANDALONE_COMMANDS: dict[str, str] = {
    "template": "sayembara.template_format.cli:main",
    "rank": "sayembara.ranking.cli:rank_main",
    "bundle": "sayembara.ranking.cli:bundle_main",
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    import django

    django.setup()


def _setup_files_only() -> None:
    """The project's settings without its applications, for the commands that work on files
    only: they need the language and its catalogue, and setting every application up (models,
    permissions, the API) would take longer than ranking a small competition."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    from django.conf import settings

    if not settings.configured:
        full = importlib.import_module(os.environ["DJANGO_SETTINGS_MODULE"])
        values = {name: getattr(full, name) for name in dir(full) if name.isupper()}
        settings.configure(**{**values, "INSTALLED_APPS": []})
    import django

    django.setup(set_prefix=False)  # no URL is reversed: django.urls is not even imported


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in STANDALONE_COMMANDS:
        module_name, func_name = STANDALONE_COMMANDS[argv[0]].split(":")
        os.environ.setdefault("SAYEMBARA_NO_DATA_DIR", "1")
        _setup_files_only()  # translations and settings only; these commands use no database
        func = getattr(importlib.import_module(module_name), func_name)
        return int(func(argv[1:]) or 0)
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sayembara", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
