"""Operations logging: request ids, one JSON object per line, slow requests.

``SAYEMBARA_LOG_FORMAT=json`` writes every log record as one JSON object per line (time,
level, logger, message, the request id, and the record's ``extra`` fields), for a log
collector; otherwise records are plain text. :class:`RequestLogMiddleware` gives each
request an id (the ``X-Request-ID`` a trusted proxy sent, such as nginx's ``$request_id``,
or a new one), returns it in the answer's ``X-Request-ID``, puts it on every record logged
while the request runs, and logs a request slower than ``SAYEMBARA_SLOW_REQUEST_MS`` with
its duration and number of database queries.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

from django.conf import settings
from django.db import connections

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("sayembara_request_id",
                                                                  default="")
#: A request id a proxy may hand us: letters, digits and dashes, at most 64.
_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")
#: Attributes every LogRecord has; anything else on a record came from ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message",
                                                                          "asctime"}

request_log = logging.getLogger("sayembara.request")


def current_request_id() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the running request's id on every record (``record.request_id``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line."""

    def format(self, record: logging.LogRecord) -> str:
        data = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", "")
        if request_id:
            data["request_id"] = request_id
        for key, value in vars(record).items():
            if key not in _STANDARD and key not in data and key != "request_id":
                data[key] = value if isinstance(value, int | float | bool | None) else str(value)
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False)


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestLogMiddleware:
    """Request ids, and a log line for every slow request (duration and queries)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = offered if _ID.match(offered or "") else uuid.uuid4().hex
        token = _request_id.set(request_id)
        request.request_id = request_id
        counter = _QueryCounter()
        started = time.perf_counter()
        try:
            with connections["default"].execute_wrapper(counter):
                response = self.get_response(request)
            elapsed_ms = (time.perf_counter() - started) * 1000
            response["X-Request-ID"] = request_id
            details = {"method": request.method, "path": request.path[:300],
                       "status": response.status_code, "duration_ms": round(elapsed_ms, 1),
                       "queries": counter.count}
            if elapsed_ms >= settings.SAYEMBARA_SLOW_REQUEST_MS:
                request_log.warning("slow request %s %s: %.0f ms, %s queries",
                                    request.method, request.path[:300], elapsed_ms,
                                    counter.count, extra={"slow": True, **details})
            elif settings.SAYEMBARA_LOG_REQUESTS:
                request_log.info("%s %s %s", request.method, request.path[:300],
                                 response.status_code, extra=details)
            return response
        finally:
            _request_id.reset(token)
