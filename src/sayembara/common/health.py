"""What a load balancer asks (``/healthz``, ``/readyz``) and the answer when the database is
out of reach (503 with ``Retry-After``, never a 500 page)."""

from __future__ import annotations

import sys

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.utils import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

from sayembara.common.permissions import PUBLIC, requires

#: Seconds a client is told to wait while the database cannot be reached.
RETRY_AFTER = 5
_migrated = False


@requires(PUBLIC)
def healthz(request):
    """The process is alive and answers (no database, no Redis)."""
    return JsonResponse({"status": "ok"})


def _database() -> str:
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except (OperationalError, InterfaceError):
        connections[DEFAULT_DB_ALIAS].close_if_unusable_or_obsolete()
        return "unreachable"
    return "ok"


def _migrations() -> str:
    """``ok`` when every migration is applied (remembered once true: a running process's
    code does not change)."""
    global _migrated
    if _migrated:
        return "ok"
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    _migrated = not pending
    return "ok" if _migrated else "pending"


def _redis() -> str:
    url = getattr(settings, "SAYEMBARA_COUNTERS_REDIS_URL", "")
    if not url:
        return "not configured"
    from sayembara.common.services import counters

    return "ok" if counters.redis_reachable() else "unreachable"


@requires(PUBLIC)
def readyz(request):
    """Ready for traffic: the database answers and every migration is applied (503
    otherwise). Redis is reported too; while it is unreachable the site still serves, with
    its counters and cache in the database (``"fallback": "database"``)."""
    checks = {"database": _database()}
    if checks["database"] == "ok":
        checks["migrations"] = _migrations()
    checks["redis"] = _redis()
    ready = checks["database"] == "ok" and checks.get("migrations") == "ok"
    body = {"status": "ready" if ready else "not ready", "checks": checks}
    if checks["redis"] == "unreachable":
        body["fallback"] = "database"
    response = JsonResponse(body, status=200 if ready else 503)
    if not ready:
        response["Retry-After"] = str(RETRY_AFTER)
    return response


def is_database_unavailable(error: BaseException | None) -> bool:
    while error is not None:
        if isinstance(error, OperationalError | InterfaceError):
            return True
        error = error.__cause__ or error.__context__
    return False


def server_error(request, template_name: str = "500.html"):
    """The 500 handler: a 503 with ``Retry-After`` when the database is out of reach (the
    request may be sent again in a moment), else the site's 500 page."""
    if is_database_unavailable(sys.exc_info()[1]):
        for connection in connections.all():
            connection.close_if_unusable_or_obsolete()
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": _("The data cannot be reached at the moment; "
                                                 "try again in a few seconds.")}, status=503)
        else:
            template = loader.get_template("503.html")
            response = HttpResponse(template.render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        return response
    template = loader.get_template(template_name)
    return HttpResponse(template.render(), status=500)
