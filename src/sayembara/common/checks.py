"""System checks of Sayembara's own settings (``sayembara check``, ``check --deploy``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


def _public_url_problem(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return (f"SAYEMBARA_PUBLIC_URL={value!r} is not an address such as "
                "https://sayembara.example.go.id (scheme and host).")
    if parts.path not in {"", "/"} or parts.query or parts.fragment:
        return (f"SAYEMBARA_PUBLIC_URL={value!r} has a path; give only the scheme and host, "
                "for example https://sayembara.example.go.id.")
    return None


@register(Tags.compatibility)
def public_url_is_an_address(app_configs, **kwargs):
    """A set SAYEMBARA_PUBLIC_URL must be a usable address: every QR code is made from it."""
    value = getattr(settings, "SAYEMBARA_PUBLIC_URL", "")
    problem = _public_url_problem(value) if value else None
    if problem:
        return [Error(problem, id="sayembara.E001",
                      hint="Certificates' QR codes open the verification page at this address.")]
    return []


@register(Tags.security, deploy=True)
def public_url_is_set_for_deployment(app_configs, **kwargs):
    """In production the QR code on every certificate must open the real site over HTTPS."""
    value = getattr(settings, "SAYEMBARA_PUBLIC_URL", "")
    if not value:
        return [Error(
            "SAYEMBARA_PUBLIC_URL is not set: certificates' QR codes would lead nowhere.",
            hint="Set it to the address people open the site at, for example "
                 "SAYEMBARA_PUBLIC_URL=https://sayembara.example.go.id.",
            id="sayembara.E002",
        )]
    if _public_url_problem(value) is None and urlsplit(value).scheme != "https":
        return [Warning(
            f"SAYEMBARA_PUBLIC_URL={value!r} is not an https address.",
            hint="Certificates are checked on phones from anywhere; serve the site over HTTPS.",
            id="sayembara.W001",
        )]
    return []


@register(Tags.security)
def trusted_proxies_are_readable(app_configs, **kwargs):
    """SAYEMBARA_TRUSTED_PROXIES is a number of proxies or a list of networks."""
    from sayembara.common.clientip import parse_trusted_proxies

    try:
        parse_trusted_proxies(getattr(settings, "SAYEMBARA_TRUSTED_PROXIES", ""))
    except ValueError as problem:
        return [Error(str(problem), id="sayembara.E010",
                      hint="Give the number of proxies in front of the server (1 for one "
                           "nginx) or their networks, comma separated.")]
    return []


#: E-mail backends that never deliver a message.
_UNDELIVERED_MAIL = {
    "django.core.mail.backends.console.EmailBackend",
    "django.core.mail.backends.locmem.EmailBackend",
    "django.core.mail.backends.dummy.EmailBackend",
    "django.core.mail.backends.filebased.EmailBackend",
}


@register(Tags.security, deploy=True)
def production_settings_are_complete(app_configs, **kwargs):
    """What a deployment with several server processes needs (docs/deploy.md): PostgreSQL,
    Redis, a mail server and the proxies it trusts. ``sayembara serve`` refuses to start in
    production while one of these is missing."""
    problems = []
    engine = settings.DATABASES["default"]["ENGINE"]
    if not engine.endswith("postgresql"):
        problems.append(Error(
            "DATABASE_URL does not name a PostgreSQL database.",
            hint="Set DATABASE_URL=postgres://user:password@host:5432/name; SQLite serves one "
                 "process on one machine only.", id="sayembara.E020"))
    if not getattr(settings, "SAYEMBARA_COUNTERS_REDIS_URL", ""):
        problems.append(Error(
            "REDIS_URL is not set.",
            hint="Set REDIS_URL=redis://host:6379/0: the cache and the counters of rate limits "
                 "and lockouts are shared there by every server process.",
            id="sayembara.E021"))
    if settings.EMAIL_BACKEND in _UNDELIVERED_MAIL:
        problems.append(Error(
            f"EMAIL_BACKEND={settings.EMAIL_BACKEND} delivers no mail.",
            hint="Set EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and EMAIL_HOST "
                 "(sign-in codes, invitations and voters' codes are sent by mail).",
            id="sayembara.E022"))
    if not getattr(settings, "SAYEMBARA_TRUSTED_PROXIES", ""):
        problems.append(Error(
            "SAYEMBARA_TRUSTED_PROXIES is not set.",
            hint="Behind nginx set it to 1 (or the proxies' networks), so rate limits and "
                 "lockouts count each client and not the proxy; set it to 0 when clients "
                 "reach the server directly.",
            id="sayembara.E023"))
    return problems
