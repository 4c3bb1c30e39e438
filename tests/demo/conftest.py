"""Each module of this folder builds one seed competition of the demo once.

The seed runs in committed transactions, as in ``sayembara demo`` (the favourite vote of
KIPP Minahasa Utara needs its one-time codes delivered when their request commits); the
database is flushed when the module is done, as after any transactional test.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from sayembara.competitions.models import Edition
from sayembara.demo.seed import Summary


@dataclass
class Seeded:
    edition: Edition
    summary: Summary
    log: list[str]


def row_counts() -> dict[str, int]:
    """The number of rows of every model."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture(scope="module")
def seeded(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The edition built by the test module's ``SEED`` (a ``seed(summary=, log=)``)."""
    with django_db_blocker.unblock(), override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("uploads"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Background tasks wait in a queue, as for the demo until its worker starts.
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LANGUAGE_CODE="en",  # as in every test (tests/conftest.py)
    ):
        summary, log = Summary(), []
        try:
            edition = request.module.SEED(summary=summary, log=log.append)
            yield Seeded(edition=edition, summary=summary, log=log)
        finally:
            call_command("flush", interactive=False, verbosity=0)


@dataclass
class Rerun:
    before: dict[str, int]
    after: dict[str, int]
    edition: Edition
    summary: Summary


def run_again(seed) -> Rerun:
    """Run a seed once more, counting every model's rows before and after."""
    before = row_counts()
    summary = Summary()
    edition = seed(summary=summary, log=lambda text: None)
    return Rerun(before=before, after=row_counts(), edition=edition, summary=summary)
