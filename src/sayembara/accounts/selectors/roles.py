"""What a user may act on, read once per request and kept on the user object."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sayembara.accounts.enums import Role


@dataclass
class Scopes:
    organiser_ids: set[int] = field(default_factory=set)
    operator_institution_ids: set[int] = field(default_factory=set)
    admin_lokal_institution_ids: set[int] = field(default_factory=set)
    judge_edition_ids: set[int] = field(default_factory=set)
    verifier_edition_ids: set[int] = field(default_factory=set)
    auditor_edition_ids: set[int] = field(default_factory=set)
    # The platform administrator role (a membership without scope, or a superuser account
    # made with ``sayembara createsuperuser``).
    platform_admin: bool = False

    @property
    def roles(self) -> set[str]:
        found = set()
        if self.platform_admin:
            found.add(Role.PLATFORM_ADMIN)
        if self.organiser_ids:
            found.add(Role.ORGANISER)
        if self.operator_institution_ids:
            found.add(Role.OPERATOR)
        if self.admin_lokal_institution_ids:
            found.add(Role.ADMIN_LOKAL)
        if self.judge_edition_ids:
            found.add(Role.JUDGE)
        if self.verifier_edition_ids:
            found.add(Role.FIELD_VERIFIER)
        if self.auditor_edition_ids:
            found.add(Role.AUDITOR)
        return found


_TARGETS = {
    Role.ORGANISER: ("organiser_ids", "organiser_id"),
    Role.OPERATOR: ("operator_institution_ids", "institution_id"),
    Role.ADMIN_LOKAL: ("admin_lokal_institution_ids", "institution_id"),
    Role.JUDGE: ("judge_edition_ids", "edition_id"),
    Role.FIELD_VERIFIER: ("verifier_edition_ids", "edition_id"),
    Role.AUDITOR: ("auditor_edition_ids", "edition_id"),
}


def scopes_of(user: Any) -> Scopes:
    """The user's memberships as sets of ids (one query, cached on the user object)."""
    if user is None or not user.is_authenticated:
        return Scopes()
    cached = getattr(user, "_sayembara_scopes", None)
    if cached is not None:
        return cached
    from sayembara.accounts.models import Membership

    scopes = Scopes(platform_admin=bool(getattr(user, "is_superuser", False)))
    rows = Membership.objects.filter(user=user).values_list(
        "role", "organiser_id", "edition_id", "institution_id"
    )
    for role, organiser_id, edition_id, institution_id in rows:
        if role == Role.PLATFORM_ADMIN:
            scopes.platform_admin = True
            continue
        attr, column = _TARGETS[Role(role)]
        value = {"organiser_id": organiser_id, "edition_id": edition_id,
                 "institution_id": institution_id}[column]
        if value is not None:
            getattr(scopes, attr).add(value)
    user._sayembara_scopes = scopes
    return scopes


def forget_scopes(user: Any) -> None:
    """Drop the cached scopes after memberships change."""
    if hasattr(user, "_sayembara_scopes"):
        del user._sayembara_scopes
