"""Settings, read from the environment. One module for every mode: the demo, tests and production.

Environment variables:

- ``DATABASE_URL``: ``sqlite:///path/to/file.sqlite3`` (default: ``DATA_DIR/sayembara.sqlite3``)
  or ``postgres://user:password@host:port/name``.
- ``SAYEMBARA_DATA_DIR``: where the SQLite database, uploaded files and the generated secret
  key live (default ``./data``).
- ``SAYEMBARA_PRODUCTION``: ``1`` turns off debug and requires ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
- ``SECRET_KEY``, ``ALLOWED_HOSTS`` (comma separated), ``CSRF_TRUSTED_ORIGINS``.
- ``SAYEMBARA_PUBLIC_URL``: the address people open the site at, scheme and host without a
  path (``https://sayembara.badungkab.go.id``). Each certificate's QR code opens the
  verification page at this address, and the address is printed under the code; every link
  in an e-mail is built from it (``common.addresses``). Required in
  production (``check --deploy`` fails without it); ``sayembara demo`` sets it to the address
  it serves on; elsewhere it defaults to ``http://127.0.0.1:8000``.
- ``EMAIL_BACKEND`` (default console), ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``,
  ``EMAIL_HOST_PASSWORD``, ``EMAIL_USE_TLS``, ``DEFAULT_FROM_EMAIL``.
- ``REDIS_URL``: when set, the cache and the shared counters (rate limits, sign-in lockouts,
  spent anti-robot challenges) live in Redis; otherwise the counters live in the database.
- ``SAYEMBARA_TRUSTED_PROXIES``: the reverse proxies in front of the server, as a count
  (``1``) or networks (``10.0.0.0/8,192.0.2.7``), so the client's address is read from
  ``X-Forwarded-For`` (default: none, the connection's own address).
- ``SAYEMBARA_REQUIRE_TWO_STEP``: organiser and judge accounts must set up two-step
  verification before anything else (default: on when ``SAYEMBARA_PRODUCTION=1``).
- ``LOGIN_FAILURE_LIMIT`` (5), ``LOGIN_LOCKOUT_MINUTES`` (15), ``LOGIN_ADDRESS_FAILURE_LIMIT``
  (20): the sign-in lockout.
- ``TASKS_BACKEND``: ``database`` (default, run ``sayembara worker``) or ``immediate``.
- ``SECRET_KEY_FALLBACKS`` (comma separated): earlier secret keys, still accepted for sessions
  and for the seals of audit events written under them (see docs/security.md).
- ``SAYEMBARA_AUDIT_KEY_FILE``: the Ed25519 private key that signs audit checkpoints (default
  ``DATA_DIR/audit/signing-key.pem``; create it with ``sayembara audit keygen``). Keep it
  outside the database and readable only by the account that runs ``audit checkpoint``.
- ``SAYEMBARA_AUDIT_PUBLIC_KEY_FILE``: its public key, used to verify checkpoints (default: the
  key file's name with ``.pub`` before the suffix, written by ``audit keygen``).
- ``SAYEMBARA_AUDIT_CHECKPOINT_DIR``: where ``audit checkpoint`` writes the signed checkpoints
  (default ``DATA_DIR/audit/checkpoints``).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parent


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def parse_database_url(url: str) -> dict:
    """Turn a ``DATABASE_URL`` into a Django ``DATABASES`` entry."""
    parts = urlsplit(url)
    scheme = parts.scheme.split("+")[0]
    options = dict(parse_qsl(parts.query))
    if scheme == "sqlite":
        # sqlite:///relative.sqlite3 and sqlite:////absolute/path.sqlite3
        path = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": path or ":memory:",
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; IMMEDIATE takes the write
                # lock at the start of a transaction so two writers queue instead of failing.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "CONN_MAX_AGE": int(options.pop("conn_max_age", "60")),
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL must start with sqlite:// or postgres://, not {parts.scheme!r}."
    )


PRODUCTION = _env_bool("SAYEMBARA_PRODUCTION")
DEBUG = _env_bool("DEBUG", default=not PRODUCTION)

DATA_DIR = Path(os.environ.get("SAYEMBARA_DATA_DIR", Path.cwd() / "data")).resolve()


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when SAYEMBARA_PRODUCTION=1 "
            "(for example: export SECRET_KEY=$(python -c 'import secrets; "
            "print(secrets.token_urlsafe(50))'))."
        )
    # The demo and a laptop install keep a generated key beside their data.
    key_file = DATA_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        if _env_bool("SAYEMBARA_NO_DATA_DIR"):
            # Commands that work on files only (template, rank, bundle) leave no trace.
            return secrets.token_urlsafe(50)
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
SECRET_KEY_FALLBACKS = _env_list("SECRET_KEY_FALLBACKS")

# The audit chain's anchor outside the database (docs/security.md).
SAYEMBARA_AUDIT_KEY_FILE = Path(
    os.environ.get("SAYEMBARA_AUDIT_KEY_FILE") or DATA_DIR / "audit" / "signing-key.pem")
SAYEMBARA_AUDIT_PUBLIC_KEY_FILE = Path(
    os.environ.get("SAYEMBARA_AUDIT_PUBLIC_KEY_FILE")
    or SAYEMBARA_AUDIT_KEY_FILE.with_name(SAYEMBARA_AUDIT_KEY_FILE.stem + ".pub.pem"))
SAYEMBARA_AUDIT_CHECKPOINT_DIR = Path(
    os.environ.get("SAYEMBARA_AUDIT_CHECKPOINT_DIR") or DATA_DIR / "audit" / "checkpoints")

ALLOWED_HOSTS = _env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,[::1]")
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when SAYEMBARA_PRODUCTION=1.")
CSRF_TRUSTED_ORIGINS = _env_list("CSRF_TRUSTED_ORIGINS")
# Where certificates' QR codes point (checked by sayembara.common.checks).
SAYEMBARA_PUBLIC_URL = os.environ.get(
    "SAYEMBARA_PUBLIC_URL", "" if PRODUCTION else "http://127.0.0.1:8000"
).strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "sayembara.common",
    "sayembara.accounts",
    "sayembara.competitions",
    "sayembara.entries",
    "sayembara.judging",
    "sayembara.voting",
    "sayembara.documents",
    "sayembara.web",
    "sayembara.participation",
    "sayembara.jury",
    "sayembara.public",
    "sayembara.api",
    "ninja",
]

MIDDLEWARE = [
    "sayembara.common.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "sayembara.common.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sayembara.accounts.middleware.TwoFactorMiddleware",
    "sayembara.api.auth.TokenUseAuditMiddleware",
    "sayembara.common.middleware.PrivateNoStoreMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "sayembara.common.params.InvalidInputMiddleware",
    # Turns a sign-in refused by the lockout into the lockout answer (last, per its docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "sayembara.urls"
WSGI_APPLICATION = "sayembara.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "sayembara.web.context_processors.navigation",
                "csp.context_processors.nonce",
            ],
            # Dates and times are written one way everywhere (sayembara.common.timefmt).
            "builtins": ["sayembara.common.templatetags.timefmt"],
        },
    }
]

DATABASES = {
    "default": parse_database_url(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'sayembara.sqlite3'}"
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked account before any password is checked (accounts.services.lockout).
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Requests one API token may make per minute (counted in the shared counters).
SAYEMBARA_API_RATE = int(os.environ.get("SAYEMBARA_API_RATE", "120"))
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
# Sign-in lockout (django-axes on the shared counters, see accounts.services.lockout): an
# account is locked after LOGIN_FAILURE_LIMIT wrong passwords for LOGIN_LOCKOUT_MINUTES; an
# address with LOGIN_ADDRESS_FAILURE_LIMIT failures locks nobody out but must pass the
# anti-robot check to sign in.
AXES_ENABLED = True
AXES_HANDLER = "sayembara.accounts.services.lockout.SharedCounterHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_CLIENT_IP_CALLABLE = "sayembara.common.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "sayembara.accounts.views.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Two-step verification (accounts.services.security): wrong codes allowed before a pause;
# SAYEMBARA_REQUIRE_TWO_STEP makes organisers and judges set it up (on in production).
TWO_STEP_ATTEMPT_LIMIT = int(os.environ.get("TWO_STEP_ATTEMPT_LIMIT", "5"))
TWO_STEP_LOCKOUT_MINUTES = int(os.environ.get("TWO_STEP_LOCKOUT_MINUTES", "15"))
SAYEMBARA_REQUIRE_TWO_STEP = _env_bool("SAYEMBARA_REQUIRE_TWO_STEP", default=PRODUCTION)
# A link to set a new password works for a day.
PASSWORD_RESET_TIMEOUT = 24 * 3600
LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT", "20"))

# The reverse proxies allowed to name the client's address in X-Forwarded-For: their number
# ("1") or their networks ("10.0.0.0/8,192.0.2.7"); empty trusts no header (common.clientip).
SAYEMBARA_TRUSTED_PROXIES = os.environ.get("SAYEMBARA_TRUSTED_PROXIES", "").strip()
# Rate limits, lockouts and spent challenges are counted in Redis when REDIS_URL is set,
# otherwise in the database (common.services.counters).
SAYEMBARA_COUNTERS_REDIS_URL = os.environ.get("REDIS_URL", "")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
# Stored times are UTC; every deadline is shown in its edition's own zone (WIB, WITA, WIT).
TIME_ZONE = "Asia/Jakarta"

STATIC_URL = "/static/"
# Collected static files exist only in production (``serve`` runs collectstatic there);
# elsewhere whitenoise serves them straight from the apps.
STATIC_ROOT = DATA_DIR / "static" if PRODUCTION else None
# Uploaded evidence stays outside the web root and is served only through permission checks.
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/_private/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Sayembara <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if os.environ.get("TASKS_BACKEND") == "immediate"
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

if os.environ.get("REDIS_URL"):
    # django-redis, so that a Redis that stops answering is a cache miss rather than an error:
    # the site keeps serving from the database (the counters fall back there too).
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5,
                        "SOCKET_TIMEOUT": 1.0},
        }
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # One process's memory: rate-limit counters and vote tallies need room for many keys.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    }

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_SSL_REDIRECT = PRODUCTION and not _env_bool("SAYEMBARA_BEHIND_PLAIN_HTTP")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# A load balancer or a container's health check asks the process itself, over plain HTTP:
# these two answer there instead of redirecting to an https address nobody listens on.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
REFERRER_POLICY = "same-origin"

# Content-Security-Policy (django-csp). Scripts come only from our own static files: no inline
# <script>, no onclick= handlers, no eval. A page that truly needs an inline script gives it
# the request's nonce (<script nonce="{{ CSP_NONCE }}">); the nonce is sent only when a page
# uses it. Style attributes stay allowed (progress bars set their width from data), <style>
# elements do not. Everything else is our own origin; nothing may frame the site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Logs go to standard error: plain text, or one JSON object per line with
# SAYEMBARA_LOG_FORMAT=json (common.logs), each with the request's id. A request slower than
# SAYEMBARA_SLOW_REQUEST_MS is logged with its duration and number of queries;
# SAYEMBARA_LOG_REQUESTS=1 logs every request the same way.
SAYEMBARA_LOG_FORMAT = os.environ.get("SAYEMBARA_LOG_FORMAT", "text").strip().lower()
SAYEMBARA_SLOW_REQUEST_MS = int(os.environ.get("SAYEMBARA_SLOW_REQUEST_MS", "1000"))
SAYEMBARA_LOG_REQUESTS = _env_bool("SAYEMBARA_LOG_REQUESTS")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "sayembara.common.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "sayembara.common.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {"console": {
        "class": "logging.StreamHandler", "filters": ["request_id"],
        "formatter": "json" if SAYEMBARA_LOG_FORMAT == "json" else "text",
    }},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# SQLite cannot enforce UNIQUE ... NULLS NOT DISTINCT; those constraints (memberships, award
# tiers, stage rubrics) are enforced by PostgreSQL, and on SQLite by the services that write
# those rows with get_or_create / update_or_create inside a transaction.
SILENCED_SYSTEM_CHECKS = [
    "models.W047",
    # axes.W006 asks for the address among the lockout keys. Our handler counts addresses on
    # their own key on purpose: failures from one address make it pass the anti-robot check
    # instead of locking out everybody behind it (accounts.services.lockout).
    "axes.W006",
]
