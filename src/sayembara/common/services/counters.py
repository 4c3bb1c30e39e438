"""Shared counters for rate limits, sign-in lockouts and spent challenges.

Every server process must see the same count, so counters never live in a process's memory:
they are kept in Redis when ``REDIS_URL`` is set, and otherwise in the database table
``common_counter`` (UNLOGGED on PostgreSQL). Each increment is one atomic operation (Redis
``INCRBY`` in a transaction; one ``INSERT ... ON CONFLICT DO UPDATE ... RETURNING`` in the
database), so twelve simultaneous failures count exactly twelve whichever process serves
them.

A counter lives ``ttl`` seconds from its first increment (a fixed window); ``extend`` moves
its end, as a lockout does when it starts.

While Redis cannot be reached, counting goes on in the database (Redis is tried again after
``RETRY_REDIS_SECONDS``), so a stopped Redis slows nothing down and refuses no one; counts
started in one store do not carry over to the other.
"""

from __future__ import annotations

import datetime as dt
import logging
import random
import threading
import time
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

logger = logging.getLogger(__name__)
KEY_PREFIX = "sayembara:n:"
#: One increment in this many also deletes the database's expired counters.
PURGE_ONE_IN = 500

#: After a failed Redis call, the database counts for this long before Redis is tried again.
RETRY_REDIS_SECONDS = 5.0

_redis_lock = threading.Lock()
_redis_clients: dict[str, Any] = {}
_redis_down_until = 0.0


def _client(url: str):
    client = _redis_clients.get(url)
    if client is None:
        import redis

        with _redis_lock:
            client = _redis_clients.get(url)
            if client is None:
                client = redis.Redis.from_url(url, socket_connect_timeout=0.5,
                                              socket_timeout=1.0)
                _redis_clients[url] = client
    return client


def _redis():
    """The Redis client for ``REDIS_URL``, or None when counters live in the database (no
    Redis configured, or Redis failed a moment ago)."""
    url = getattr(settings, "SAYEMBARA_COUNTERS_REDIS_URL", None)
    if not url or time.monotonic() < _redis_down_until:
        return None
    return _client(url)


def _redis_failed() -> None:
    global _redis_down_until
    _redis_down_until = time.monotonic() + RETRY_REDIS_SECONDS
    logger.warning("Redis cannot be reached: counting in the database for %s s",
                   RETRY_REDIS_SECONDS)


def redis_reachable() -> bool:
    """Redis answers a PING now (for ``/readyz``)."""
    import redis

    url = getattr(settings, "SAYEMBARA_COUNTERS_REDIS_URL", None)
    if not url:
        return False
    try:
        return bool(_client(url).ping())
    except redis.RedisError:
        return False


def _redis_errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError,)


def backend_name() -> str:
    return "redis" if _redis() is not None else "database"


def _key(key: str) -> str:
    return key[:200]


# -- the database store -----------------------------------------------------------------

_upsert_sql: dict[str, str] = {}


def _table() -> str:
    from sayembara.common.models import Counter

    return connection.ops.quote_name(Counter._meta.db_table)


def _db_incr(key: str, amount: int, ttl: int) -> int:
    sql = _upsert_sql.get(connection.vendor)
    if sql is None:
        table, q = _table(), connection.ops.quote_name
        k, v, e = q("key"), q("value"), q("expires_at")
        sql = (
            f"INSERT INTO {table} ({k}, {v}, {e}) VALUES (%s, %s, %s) "
            f"ON CONFLICT ({k}) DO UPDATE SET "
            f"{v} = CASE WHEN {table}.{e} <= %s THEN excluded.{v} "
            f"ELSE {table}.{v} + excluded.{v} END, "
            f"{e} = CASE WHEN {table}.{e} <= %s THEN excluded.{e} ELSE {table}.{e} END "
            f"RETURNING {v}"
        )
        _upsert_sql[connection.vendor] = sql
    now = timezone.now()
    adapt = connection.ops.adapt_datetimefield_value
    expires = adapt(now + dt.timedelta(seconds=ttl))
    with connection.cursor() as cursor:
        cursor.execute(sql, [key, amount, expires, adapt(now), adapt(now)])
        value = cursor.fetchone()[0]
    if random.randrange(PURGE_ONE_IN) == 0:
        purge_expired()
    return int(value)


def purge_expired() -> int:
    """Delete the database's expired counters (they are ignored anyway)."""
    from sayembara.common.models import Counter

    deleted, _ = Counter.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


# -- the operations ---------------------------------------------------------------------

def incr(key: str, *, ttl: int, amount: int = 1) -> int:
    """Add ``amount`` to the counter ``key`` and return its new value, atomically.

    A new (or expired) counter starts from zero and lives ``ttl`` seconds."""
    key = _key(key)
    client = _redis()
    if client is not None:
        full = KEY_PREFIX + key
        try:
            pipe = client.pipeline(transaction=True)
            pipe.set(full, 0, ex=max(1, ttl), nx=True)
            pipe.incrby(full, amount)
            return int(pipe.execute()[1])
        except _redis_errors():
            _redis_failed()
    return _db_incr(key, amount, ttl)


def get(key: str) -> int:
    """The counter's current value (0 when it does not exist or has expired)."""
    key = _key(key)
    client = _redis()
    if client is not None:
        try:
            value = client.get(KEY_PREFIX + key)
            return int(value) if value is not None else 0
        except _redis_errors():
            _redis_failed()
    from sayembara.common.models import Counter

    row = Counter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list(
        "value", flat=True).first()
    return int(row or 0)


def get_many(keys: list[str]) -> dict[str, int]:
    return {key: get(key) for key in keys}


def seconds_left(key: str) -> int:
    """How long the counter still lives (0 when it does not exist)."""
    key = _key(key)
    client = _redis()
    if client is not None:
        try:
            return max(0, int(client.ttl(KEY_PREFIX + key)))
        except _redis_errors():
            _redis_failed()
    from sayembara.common.models import Counter

    expires = Counter.objects.filter(key=key, expires_at__gt=timezone.now()).values_list(
        "expires_at", flat=True).first()
    if expires is None:
        return 0
    return max(0, int((expires - timezone.now()).total_seconds()))


def extend(key: str, *, ttl: int) -> None:
    """Let an existing counter live ``ttl`` seconds from now (a lockout that starts now)."""
    key = _key(key)
    client = _redis()
    if client is not None:
        try:
            client.expire(KEY_PREFIX + key, max(1, ttl))
            return
        except _redis_errors():
            _redis_failed()
    from sayembara.common.models import Counter

    Counter.objects.filter(key=key).update(
        expires_at=timezone.now() + dt.timedelta(seconds=ttl))


def reset(key: str) -> None:
    key = _key(key)
    client = _redis()
    if client is not None:
        try:
            client.delete(KEY_PREFIX + key)
            return
        except _redis_errors():
            _redis_failed()
    from sayembara.common.models import Counter

    Counter.objects.filter(key=key).delete()


def add_once(key: str, *, ttl: int) -> bool:
    """True the first time ``key`` is added within ``ttl`` seconds, False after (a challenge
    that may be spent once, by any process)."""
    return incr(key, ttl=ttl) == 1
