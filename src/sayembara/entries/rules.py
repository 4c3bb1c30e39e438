"""Permission predicates for institutions and entries."""

from __future__ import annotations

from typing import Any

import rules

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.competitions.rules import is_organiser_of


def _ancestor_ids(institution: Any) -> set[int]:
    """The institution and every parent above it."""
    from sayembara.entries.models import Institution

    found: set[int] = set()
    current_id = institution.pk if institution is not None else None
    parent_id = getattr(institution, "parent_id", None)
    if current_id:
        found.add(current_id)
    while parent_id and parent_id not in found:
        found.add(parent_id)
        parent_id = (
            Institution.objects.filter(pk=parent_id).values_list("parent_id", flat=True).first()
        )
    return found


def _institution_of(obj: Any) -> Any:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Institution":
        return obj
    return getattr(obj, "institution", None)


@rules.predicate
def is_any_operator(user: Any) -> bool:
    return bool(scopes_of(user).operator_institution_ids)


@rules.predicate
def is_any_admin_lokal(user: Any) -> bool:
    return bool(scopes_of(user).admin_lokal_institution_ids)


@rules.predicate
def is_operator_of(user: Any, obj: Any) -> bool:
    """The user operates the institution that owns ``obj`` (an entry or the institution)."""
    institution = _institution_of(obj)
    return institution is not None and institution.pk in scopes_of(user).operator_institution_ids


@rules.predicate
def is_admin_lokal_of(user: Any, obj: Any) -> bool:
    """The user is Admin Lokal of the institution that owns ``obj`` or of one above it."""
    admin_ids = scopes_of(user).admin_lokal_institution_ids
    if not admin_ids:
        return False
    institution = _institution_of(obj)
    return institution is not None and bool(_ancestor_ids(institution) & admin_ids)


rules.add_perm("entries.create_entry", is_any_operator)
rules.add_perm("entries.view_entry", is_operator_of | is_admin_lokal_of | is_organiser_of)
rules.add_perm("entries.change_entry", is_operator_of)
rules.add_perm("entries.forward_entry", is_admin_lokal_of)
rules.add_perm("entries.review_entry", is_organiser_of)
rules.add_perm("entries.manage_institution", is_admin_lokal_of | is_organiser_of)
