"""Sign-in lockout keyed by account and by address separately, counted in the shared store,
and the client's address read behind trusted proxies only."""

from __future__ import annotations

import os
import threading

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.db import connection
from django.test import Client, RequestFactory
from django.urls import reverse

from sayembara.accounts.services.lockout import account_failures, address_failures
from sayembara.common.clientip import client_ip
from sayembara.common.models import AuditEvent
from sayembara.common.services import counters
from tests.factories import UserFactory
from tests.factories_public import solved

PASSWORD = "rahasia-123"


def _client(ip="198.51.100.7", **headers):
    return Client(headers={"accept-language": "en", **headers}, REMOTE_ADDR=ip)


def _sign_in(client, username, password=PASSWORD):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_locked_account_is_refused_from_every_address_and_the_lock_is_audited(settings):
    settings.AXES_FAILURE_LIMIT = 5
    user = UserFactory(username="juri-kunci")
    for number in range(5):
        _sign_in(_client(f"203.0.113.{number + 1}"), "Juri-Kunci", "salah")

    refused = _sign_in(_client("192.0.2.99"), user.username)

    page = refused.content.decode()
    assert refused.status_code == 429
    assert "Too many failed attempts. Sign-in for this account is paused for 15 minutes" in page
    assert account_failures(user.username) == 6
    event = AuditEvent.objects.get(action="security.login_locked")
    assert event.object_id == str(user.pk)
    assert event.after == {"username": "Juri-Kunci", "ip": "203.0.113.5", "failures": 5,
                           "minutes": 15}


@pytest.mark.django_db
def test_many_failures_from_one_address_do_not_lock_out_other_accounts(settings):
    """One person behind the office's address guesses at twenty accounts; a colleague
    behind the same address still signs in with the right password."""
    settings.AXES_FAILURE_LIMIT = 5
    office = "198.51.100.20"
    for number in range(20):
        _sign_in(_client(office), f"tebakan-{number}", "salah")
    colleague = UserFactory(username="operator-kantor")
    client = _client(office)

    page = client.get(reverse("accounts:login")).content.decode()
    without_check = _sign_in(client, colleague.username)
    signed_in = client.post(reverse("accounts:login"), {
        "username": colleague.username, "password": PASSWORD, **solved("login")})

    assert address_failures(office) == 20
    assert "<altcha-widget" in page and 'data-pow="login"' in page
    assert "The anti-robot check is missing" in without_check.content.decode()
    assert signed_in.status_code == 302
    # Elsewhere the sign-in page asks for no check at all.
    assert "<altcha-widget" not in _client().get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_a_successful_sign_in_clears_the_accounts_count(settings):
    settings.AXES_FAILURE_LIMIT = 3
    user = UserFactory(username="sekretariat-bersih")
    client = _client()
    _sign_in(client, user.username, "salah")
    _sign_in(client, user.username, "salah")
    assert _sign_in(client, user.username).status_code == 302
    client.post(reverse("accounts:logout"))
    _sign_in(client, user.username, "salah")
    _sign_in(client, user.username, "salah")

    assert _sign_in(client, user.username).status_code == 302


@pytest.mark.django_db
def test_counters_count_and_expire_in_the_database():
    assert counters.backend_name() == "database"
    assert [counters.incr("uji:a", ttl=60) for _ in range(3)] == [1, 2, 3]
    assert counters.get("uji:a") == 3
    assert counters.add_once("uji:sekali", ttl=60) is True
    assert counters.add_once("uji:sekali", ttl=60) is False
    counters.incr("uji:lama", ttl=-1)  # already expired: the next increment starts afresh
    assert counters.get("uji:lama") == 0
    assert counters.incr("uji:lama", ttl=60) == 1
    counters.reset("uji:a")
    assert counters.get("uji:a") == 0


def _redis_url() -> str | None:
    try:
        import redis

        url = os.environ.get("SAYEMBARA_TEST_REDIS_URL", "redis://127.0.0.1:6379/3")
        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
        return url
    except Exception:
        return None


def test_counters_count_in_redis_when_it_is_configured(settings):
    url = _redis_url()
    if url is None:
        pytest.skip("No Redis server on this machine.")
    settings.SAYEMBARA_COUNTERS_REDIS_URL = url
    key = f"uji:redis:{os.getpid()}"
    counters.reset(key)
    assert counters.backend_name() == "redis"
    assert [counters.incr(key, ttl=60) for _ in range(3)] == [1, 2, 3]
    assert 0 < counters.seconds_left(key) <= 60
    assert counters.add_once(key + ":sekali", ttl=60) is True
    assert counters.add_once(key + ":sekali", ttl=60) is False
    counters.reset(key)
    counters.reset(key + ":sekali")
    assert counters.get(key) == 0


# -- the client's address -------------------------------------------------------------------

def _request(remote, forwarded=None):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.SAYEMBARA_TRUSTED_PROXIES = ""
    assert client_ip(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"


def test_one_trusted_proxy_gives_the_address_it_received_from(settings):
    settings.SAYEMBARA_TRUSTED_PROXIES = "1"
    # The client wrote a false address first; the proxy appended the real one.
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2", "203.0.113.9")) == "203.0.113.9"
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"


def test_trusted_proxy_networks_are_skipped_from_the_right(settings):
    settings.SAYEMBARA_TRUSTED_PROXIES = "10.0.0.0/8, 192.168.1.5"
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 203.0.113.9, 192.168.1.5")) == \
        "203.0.113.9"
    # A connection from outside the proxies' networks: its header is not believed.
    assert client_ip(_request("198.51.100.1", "1.2.3.4")) == "198.51.100.1"
    assert client_ip(_request("10.0.0.2", "bukan-alamat")) == "10.0.0.2"


@pytest.mark.django_db
def test_the_lockout_counts_the_forwarded_address_behind_a_trusted_proxy(settings):
    settings.SAYEMBARA_TRUSTED_PROXIES = "1"
    for _ in range(3):
        _sign_in(_client("10.0.0.2", x_forwarded_for="203.0.113.77"), "siapa", "salah")
    assert address_failures("203.0.113.77") == 3
    assert address_failures("10.0.0.2") == 0


# -- real concurrency (PostgreSQL) ------------------------------------------------------------

class CountingHasher(MD5PasswordHasher):
    """Counts how many passwords were actually checked (a hasher, as Django allows)."""

    algorithm = "counting_md5"
    checked = 0
    lock = threading.Lock()

    def verify(self, password, encoded):
        with CountingHasher.lock:
            CountingHasher.checked += 1
        return super().verify(password, encoded)


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="real concurrency needs PostgreSQL (DATABASE_URL=postgres://...)")
@pytest.mark.django_db(transaction=True)
def test_twelve_simultaneous_wrong_passwords_count_twelve_and_five_are_checked(settings):
    settings.PASSWORD_HASHERS = ["tests.security.test_lockout.CountingHasher"]
    settings.AXES_FAILURE_LIMIT = 5
    user = UserFactory(username="juri-serentak", password=PASSWORD)
    CountingHasher.checked = 0
    start = threading.Barrier(12)
    answers: list[int] = []

    def attempt(number):
        try:
            client = _client(f"203.0.113.{number + 10}")
            start.wait()
            answers.append(_sign_in(client, user.username, f"salah-{number}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert account_failures(user.username) == 12
    assert CountingHasher.checked == 5
    assert sorted(answers) == [200] * 5 + [429] * 7
    assert AuditEvent.objects.filter(action="security.login_locked").count() == 1
    assert _sign_in(_client(), user.username).status_code == 429
