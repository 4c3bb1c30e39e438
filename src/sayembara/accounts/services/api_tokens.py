"""API tokens: created and revoked by an organiser's people, checked on every API request.

A token reads ``sym_<prefix>_<secret>``; only the SHA-256 of the whole token is stored. Its
use is audited (``api.token_used``, one event per request, with the method, the address
asked for and the answer's status), and so are its creation and revocation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role, TokenScope
from sayembara.accounts.models import ApiToken, Membership
from sayembara.common.services.audit import record_event

TOKEN_PREFIX = "sym_"
#: How long a token may live, in days (the form offers shorter terms).
MAX_DAYS = 366
TOKEN_CREATED = "api.token_created"
TOKEN_REVOKED = "api.token_revoked"
TOKEN_USED = "api.token_used"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the whole token, shown once


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def is_organiser_member(user: Any, organiser_id: int) -> bool:
    return Membership.objects.filter(user=user, role=Role.ORGANISER,
                                     organiser_id=organiser_id).exists()


def create_token(*, user: Any, organiser: Any, name: str, scopes: list[str],
                 days: int) -> NewToken:
    """A new token of ``organiser``; raises ValidationError for a wrong name, scope or term."""
    name = " ".join((name or "").split())
    problems: dict[str, list[str]] = {}
    if not name:
        problems.setdefault("name", []).append(_("Give the token a name, for example the "
                                                 "system that will use it."))
    elif len(name) > 100:
        problems.setdefault("name", []).append(_("The name may have at most 100 characters."))
    wanted = sorted(set(scopes or []))
    if not wanted:
        problems.setdefault("scopes", []).append(_("Choose at least one permission."))
    elif any(scope not in TokenScope.values for scope in wanted):
        problems.setdefault("scopes", []).append(_("Choose permissions from the list."))
    if not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        problems.setdefault("days", []).append(
            _("A token lives from 1 to %(days)s days.") % {"days": MAX_DAYS})
    if not is_organiser_member(user, organiser.pk):
        raise PermissionError("not one of the organiser's people")
    if problems:
        raise ValidationError(problems)
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            organiser=organiser, created_by=user, name=name, prefix=prefix,
            digest=digest_of(secret), scopes=wanted,
            expires_at=timezone.now() + dt.timedelta(days=days))
        record_event(actor=user, action=TOKEN_CREATED, obj=token,
                     object_type="accounts.apitoken", object_id=token.pk,
                     after={"organiser": organiser.pk, "name": name, "prefix": prefix,
                            "scopes": wanted, "expires_at": token.expires_at})
    return NewToken(token=token, secret=secret)


def revoke_token(*, user: Any, token: ApiToken) -> ApiToken:
    """Revoke at once (a revoked token answers 401 from its next request on)."""
    if not is_organiser_member(user, token.organiser_id):
        raise PermissionError("not one of the organiser's people")
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            record_event(actor=user, action=TOKEN_REVOKED, obj=token,
                         object_type="accounts.apitoken", object_id=token.pk,
                         before={"revoked_at": None},
                         after={"revoked_at": token.revoked_at, "prefix": token.prefix})
    return token


def token_from_secret(secret: str) -> ApiToken | None:
    """The active token for ``secret`` (its creator still one of the organiser's people)."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (ApiToken.objects.select_related("organiser", "created_by")
             .filter(digest=digest_of(secret), revoked_at__isnull=True,
                     expires_at__gt=timezone.now()).first())
    if token is None or not token.created_by.is_active:
        return None
    if not is_organiser_member(token.created_by, token.organiser_id):
        return None
    return token


def record_use(*, token: ApiToken, method: str, path: str, status: int,
               edition_id: int | None = None, ip: str | None = None) -> None:
    """Audit one request made with ``token``."""
    now = timezone.now()
    with transaction.atomic():
        record_event(actor=token.created_by, action=TOKEN_USED, obj=token,
                     object_type="accounts.apitoken", object_id=token.pk,
                     edition_id=edition_id,
                     after={"prefix": token.prefix, "method": method, "path": path[:300],
                            "status": status, **({"ip": ip} if ip else {})})
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)


def tokens_of(user: Any):
    """Tokens of every organiser the user works for, newest first."""
    organiser_ids = Membership.objects.filter(user=user, role=Role.ORGANISER).values(
        "organiser_id")
    return (ApiToken.objects.filter(organiser_id__in=organiser_ids)
            .select_related("organiser", "created_by").order_by("-created_at"))


def rate_limit() -> tuple[int, int]:
    """(requests, seconds) one token may make."""
    return (getattr(settings, "SAYEMBARA_API_RATE", 120), 60)
