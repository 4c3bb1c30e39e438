"""What a load balancer and an operator rely on: /healthz, /readyz, request ids, JSON logs,
slow requests, the answer while the database is down, and the deployment checks."""

import io
import json
import logging

import pytest
from django.core.checks import run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db.utils import OperationalError
from django.test import RequestFactory

from sayembara.common import health
from sayembara.common.logs import JsonFormatter, RequestIdFilter

pytestmark = pytest.mark.django_db


def test_healthz_and_readyz_answer_for_the_load_balancer(client, settings):
    settings.SAYEMBARA_COUNTERS_REDIS_URL = ""
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"database": "ok", "migrations": "ok",
                                      "redis": "not configured"}


def test_health_checks_answer_over_plain_http_where_pages_go_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # as in production without a proxy saying https
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    page = client.get("/publik/")
    assert page.status_code == 301
    assert page["Location"].startswith("https://")


def test_readyz_says_when_redis_is_down_and_the_database_counts(client, settings):
    settings.SAYEMBARA_COUNTERS_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"]["redis"] == "unreachable"
    assert ready.json()["fallback"] == "database"
    from sayembara.common.services import counters

    assert counters.incr("drill:redis-down", ttl=60) == 1  # counted in the database
    assert counters.incr("drill:redis-down", ttl=60) == 2


def test_every_answer_carries_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="a1b2c3d4e5f60718")
    assert response["X-Request-ID"] == "a1b2c3d4e5f60718"
    fresh = client.get("/healthz", HTTP_X_REQUEST_ID="not a valid id!")
    assert len(fresh["X-Request-ID"]) == 32


def test_a_slow_request_is_logged_as_json_with_duration_and_queries(client, settings):
    settings.SAYEMBARA_SLOW_REQUEST_MS = 0
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("sayembara.request")
    logger.addHandler(handler)
    try:
        response = client.get("/publik/", HTTP_X_REQUEST_ID="feedc0ffee123456")
    finally:
        logger.removeHandler(handler)
    line = json.loads(stream.getvalue().splitlines()[-1])
    assert line["request_id"] == "feedc0ffee123456" == response["X-Request-ID"]
    assert line["level"] == "WARNING" and line["path"] == "/publik/"
    assert line["duration_ms"] >= 0 and line["queries"] >= 1 and line["status"] == 200


def test_a_lost_database_answers_503_with_retry_after_not_a_500_page():
    request = RequestFactory().post("/publik/pilkada/suara/pilih/")
    try:
        raise OperationalError("connection to server at 127.0.0.1 failed")
    except OperationalError:
        response = health.server_error(request)
    assert response.status_code == 503 and response["Retry-After"] == "5"
    try:
        raise ValueError("a bug")
    except ValueError:
        assert health.server_error(request).status_code == 500


def test_deploy_checks_name_every_missing_setting(settings):
    settings.SAYEMBARA_COUNTERS_REDIS_URL = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    settings.SAYEMBARA_TRUSTED_PROXIES = ""
    ids = {message.id for message in run_checks(include_deployment_checks=True)}
    assert {"sayembara.E021", "sayembara.E022", "sayembara.E023"} <= ids
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        assert "sayembara.E020" in ids


def test_serve_refuses_a_production_start_without_them(settings):
    settings.PRODUCTION = True
    settings.SAYEMBARA_COUNTERS_REDIS_URL = ""
    with pytest.raises(SystemCheckError, match="REDIS_URL"):
        call_command("serve", "--port", "8199", "--no-migrate")
