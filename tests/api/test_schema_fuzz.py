"""Schemathesis against the whole OpenAPI schema: anonymously and with an organiser token.

Every generated request (valid and invalid) must be answered without a server error, with a
documented status, content type and body shape. The cases are counted: at least 1,000 over
both runs (the last test of this file checks it; run the file whole).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

from tests.api.helpers import organiser_with_token
from tests.factories_public import entry, final_result, public_edition, publish

pytestmark = pytest.mark.django_db

EXAMPLES = 25
CASES = {"anonymous": 0, "token": 0}


@pytest.fixture
def api_world(db, settings):
    """A published edition with a winner and results, and a token of its organiser."""
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_API_RATE = 1_000_000  # the cases test the answers, not the limit
    organiser, _user, new = organiser_with_token()
    edition = public_edition(organiser=organiser)
    winner = entry(edition, state="winner", region="Kecamatan Kuta, Kabupaten Badung")
    final_result(winner, rank=1, total="88.25", tier_key=edition.award_tiers.first().key)
    entry(edition, state="finalist")
    publish(edition, breakdown="stages")
    public_edition(organiser=organiser, status="open", year=2031)
    # The application runs inside the test's transaction: keep its connection open between
    # requests, as Django's test client does.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield {"token": new.secret, "edition": edition}
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _fuzz(api_world, *, token: str | None) -> int:
    """Every operation of the schema, with valid and with invalid data; the cases run."""
    from schemathesis.generation import GenerationMode
    from schemathesis.specs.openapi.checks import positive_data_acceptance

    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    count = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        # An import is checked against the registry and the edition's rules (types,
        # categories, e-mail addresses) as the spreadsheet import is: rows the schema allows
        # may still be refused with their problems (422, documented).
        excluded = [positive_data_acceptance] if operation.method.lower() == "post" else []
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            fixed = {"Authorization": f"Bearer {token}"} if token else None

            @given(case=operation.as_strategy(generation_mode=mode, headers=fixed))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case):
                nonlocal count
                count += 1
                headers = dict(case.headers or {})
                case.call_and_validate(headers=headers, excluded_checks=excluded)  # noqa: B023

            try:
                check()
            except Unsatisfiable:
                # Nothing in this operation can be made invalid (it takes no parameters).
                assert mode is GenerationMode.NEGATIVE
    return count


def test_api_anonymously(api_world):
    CASES["anonymous"] = _fuzz(api_world, token=None)


def test_api_with_an_organiser_token(api_world):
    CASES["token"] = _fuzz(api_world, token=api_world["token"])


def test_enough_cases_were_generated():
    if not all(CASES.values()):
        pytest.skip("run the whole file to count its cases")
    print(f"Schemathesis cases: {CASES} ({sum(CASES.values())} in all)")
    assert sum(CASES.values()) >= 1000, CASES
