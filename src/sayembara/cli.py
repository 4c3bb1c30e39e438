"""The single command-line entry point: ``sayembara <command> ...``.

Commands that need no database (``template``, ``rank``, ``bundle``) are dispatched to
their own modules; everything else is a Django management command (``serve``, ``demo``,
``worker``, ``edition``, ``audit``, ``migrate``, ...).
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from typing import NoReturn

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
    # What django.setup() does, less what these commands never use and would take a third
    # of their start-up to import: the URL prefix (django.urls brings the HTTP and database
    # layers) and Django's default logging (its e-mail handler brings the views and
    # templates). The project's own logging is set up as usual.
    import logging.config

    from django.apps import apps

    logging.config.dictConfig(settings.LOGGING)
    apps.populate(settings.INSTALLED_APPS)


def _leave(status: int) -> NoReturn:
    """End the process now: everything is written; the operating system takes back its
    memory at once, where the interpreter would free a large run's millions of objects one
    by one (a tenth of a second and more after ``sayembara rank`` has finished)."""
    logging.shutdown()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # as the interpreter's own exit does when its output cannot be flushed
        status = status or 120
    os._exit(status)


def main(argv: list[str] | None = None) -> int:
    whole_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in STANDALONE_COMMANDS:
        module_name, func_name = STANDALONE_COMMANDS[argv[0]].split(":")
        os.environ.setdefault("SAYEMBARA_NO_DATA_DIR", "1")
        _setup_files_only()  # translations and settings only; these commands use no database
        func = getattr(importlib.import_module(module_name), func_name)
        status = int(func(argv[1:]) or 0)
        if whole_process:
            _leave(status)
        return status
    _setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["sayembara", *argv])
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
