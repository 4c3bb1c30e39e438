"""Security events an organiser sees: refusals and account changes from the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.models import AuditEvent
from sayembara.common.services.security import (
    ACCOUNT_SECURITY_ACTIONS,
    LOGIN_LOCKED,
    LOGIN_UNLOCKED,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    RECOVERY_CODE_USED,
    RECOVERY_CODES_CREATED,
    TWO_STEP_DISABLED,
    TWO_STEP_ENABLED,
    TWO_STEP_RESET,
    TWO_STEP_THROTTLED,
    UPLOAD_REFUSED,
)
from sayembara.competitions.models import Edition, Organiser

#: The kinds a person filters by (``?jenis=``), each a set of actions.
KINDS: dict[str, Q] = {
    "masuk": Q(action__in=(LOGIN_LOCKED, LOGIN_UNLOCKED, PASSWORD_CHANGED, PASSWORD_RESET)),
    "dua-langkah": Q(action__in=(*TWO_STEP_ENABLED, *TWO_STEP_DISABLED, TWO_STEP_THROTTLED,
                                 RECOVERY_CODES_CREATED, RECOVERY_CODE_USED, TWO_STEP_RESET)),
    "unggahan": Q(action=UPLOAD_REFUSED),
}


def security_actions() -> Q:
    return Q(action__startswith="security.") | Q(action__in=ACCOUNT_SECURITY_ACTIONS)


@dataclass(frozen=True)
class SecurityScope:
    """What an organiser user may see: its organisers, their editions and their people."""

    organisers: list[Organiser]
    edition_ids: QuerySet
    member_ids: QuerySet
    judge_ids: QuerySet


def security_scope(user: Any) -> SecurityScope:
    from sayembara.accounts.models import Membership
    from sayembara.judging.models import Judge

    organiser_ids = scopes_of(user).organiser_ids
    edition_ids = Edition.objects.filter(organiser_id__in=organiser_ids).values("pk")
    members = Membership.objects.filter(
        Q(organiser_id__in=organiser_ids) | Q(edition__organiser_id__in=organiser_ids)
        | Q(institution__organiser_id__in=organiser_ids)
    ).annotate(key=Cast("user_id", CharField())).values("key")
    judges = (Judge.objects.filter(edition__organiser_id__in=organiser_ids, user__isnull=False)
              .annotate(key=Cast("user_id", CharField())).values("key"))
    return SecurityScope(
        organisers=list(Organiser.objects.filter(pk__in=organiser_ids).order_by("name")),
        edition_ids=edition_ids, member_ids=members, judge_ids=judges,
    )


def security_events(user: Any, *, kind: str = "") -> QuerySet:
    """Newest first: security events of the user's editions (refused uploads) and of the
    accounts that work in them (lockouts, two-step verification switched on or off)."""
    scope = security_scope(user)
    events = AuditEvent.objects.filter(security_actions()).filter(
        Q(edition_id__in=scope.edition_ids)
        | Q(object_type="accounts.user", object_id__in=scope.member_ids)
        | Q(object_type="accounts.user", object_id__in=scope.judge_ids)
    )
    if kind in KINDS:
        events = events.filter(KINDS[kind])
    return events.order_by("-seq")


def people_in_scope(user: Any) -> QuerySet:
    """The accounts that work in the user's organisers: their secretariat, local admins,
    operators, judges, verifiers and auditors (the user excluded), by name."""
    from sayembara.accounts.models import Membership, User
    from sayembara.judging.models import Judge

    organiser_ids = scopes_of(user).organiser_ids
    if not organiser_ids:
        return User.objects.none()
    members = Membership.objects.filter(
        Q(organiser_id__in=organiser_ids) | Q(edition__organiser_id__in=organiser_ids)
        | Q(institution__organiser_id__in=organiser_ids)
    ).values("user_id")
    judges = Judge.objects.filter(edition__organiser_id__in=organiser_ids,
                                  user__isnull=False).values("user_id")
    return (User.objects.filter(Q(pk__in=members) | Q(pk__in=judges), is_active=True)
            .exclude(pk=user.pk).exclude(is_superuser=True)
            .order_by("full_name", "username"))
