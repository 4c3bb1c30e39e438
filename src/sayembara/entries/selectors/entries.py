"""Reads for the participant, Admin Lokal and organiser pages (fixed query counts)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import scopes_of
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.entries.enums import EntryState
from sayembara.entries.models import AdministrativeCheck, Entry, Institution


def descendant_ids(root_ids: set[int]) -> set[int]:
    """The institutions and every unit below them (one query per level of the tree)."""
    found = set(root_ids)
    frontier = set(root_ids)
    while frontier:
        frontier = set(
            Institution.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        ) - found
        found |= frontier
    return found


def admin_lokal_scope(user: Any) -> set[int]:
    """Ids of the institutions an Admin Lokal looks after (its own and every unit below)."""
    roots = scopes_of(user).admin_lokal_institution_ids
    return descendant_ids(roots) if roots else set()


def _list_related(queryset: QuerySet) -> QuerySet:
    return queryset.select_related(
        "edition", "edition__competition", "institution", "category", "group"
    )


def operator_entries(user: Any) -> QuerySet:
    """The entries of the institutions the user operates, newest edition first."""
    ids = scopes_of(user).operator_institution_ids
    return _list_related(Entry.objects.filter(institution_id__in=ids)).order_by(
        "-edition__year", "edition__title", "code"
    )


def admin_lokal_entries(user: Any, *, state: str = "") -> QuerySet:
    """Entries of the units below the user's Admin Lokal institutions (drafts left out)."""
    scope = admin_lokal_scope(user)
    queryset = Entry.objects.filter(institution_id__in=scope).exclude(state=EntryState.DRAFT)
    if state:
        queryset = queryset.filter(state=state)
    return _list_related(queryset).order_by("-edition__year", "edition__title", "code")


def institutions_with_admin_lokal(organiser_id: int) -> set[int]:
    """Ids of the institutions of a registry that have an Admin Lokal at or above them."""
    roots = set(
        Membership.objects.filter(
            role=Role.ADMIN_LOKAL, institution__organiser_id=organiser_id
        ).values_list("institution_id", flat=True)
    )
    return descendant_ids(roots) if roots else set()


def check_queue(
    edition: Edition, *, state: str = "", category_id: int | None = None, search: str = ""
) -> QuerySet:
    """Entries of an edition for the administrative check, with their latest decision."""
    shown = [EntryState.SUBMITTED, EntryState.FORWARDED, EntryState.RETURNED,
             EntryState.PASSED_ADMIN, EntryState.FAILED_ADMIN]
    queryset = Entry.objects.filter(edition=edition, state__in=shown)
    if state:
        queryset = queryset.filter(state=state)
    if category_id:
        queryset = queryset.filter(category_id=category_id)
    if search:
        queryset = queryset.filter(
            Q(title__icontains=search) | Q(code__icontains=search)
            | Q(institution__name__icontains=search)
        )
    return (
        queryset.select_related("institution", "category", "group")
        .prefetch_related(
            Prefetch("admin_checks",
                     queryset=AdministrativeCheck.objects.order_by("-created_at", "-pk"),
                     to_attr="checks")
        )
        .annotate(document_count=Count("documents", distinct=True))
        .order_by("category__order", "code")
    )


def state_counts(edition: Edition) -> dict[str, int]:
    return dict(
        Entry.objects.filter(edition=edition).values("state").annotate(n=Count("pk"))
        .values_list("state", "n")
    )


def registry_page(organiser_id: int, *, search: str = "", kind: str = "") -> QuerySet:
    queryset = Institution.objects.filter(organiser_id=organiser_id)
    if search:
        queryset = queryset.filter(Q(name__icontains=search) | Q(region_code__startswith=search))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("parent").annotate(
        operator_count=Count("memberships", filter=Q(memberships__role=Role.OPERATOR),
                             distinct=True),
    ).order_by("name")


def members_of(institution_ids: list[int]) -> dict[int, list[Membership]]:
    """Operators and Admin Lokal of institutions, by institution id (one query)."""
    found: dict[int, list[Membership]] = {pk: [] for pk in institution_ids}
    for membership in Membership.objects.filter(
        institution_id__in=institution_ids, role__in=[Role.OPERATOR, Role.ADMIN_LOKAL]
    ).select_related("user").order_by("role", "user__email"):
        found[membership.institution_id].append(membership)
    return found


def open_editions_for_entering(user: Any) -> QuerySet:
    """Editions open for entries whose organiser's registry holds an institution the user
    operates (an edition still being prepared is not shown)."""
    ids = scopes_of(user).operator_institution_ids
    organiser_ids = Institution.objects.filter(pk__in=ids).values("organiser_id")
    return Edition.objects.filter(organiser_id__in=organiser_ids,
                                  status=EditionStatus.OPEN).select_related(
        "competition", "organiser"
    ).order_by("-year", "title")
