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
    """The institution that owns ``obj``: an institution, an entry, an invitation, a
    membership, or something hanging off an entry (a document, a note)."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Institution":
        return obj
    if hasattr(obj, "institution"):
        return obj.institution
    entry = getattr(obj, "entry", None)
    return getattr(entry, "institution", None)


def _entry_of(obj: Any) -> Any:
    if obj is None or obj.__class__.__name__ == "Entry":
        return obj
    return getattr(obj, "entry", None)


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


@rules.predicate
def is_organiser_of_institution(user: Any, obj: Any) -> bool:
    """The user organises the registry holding the institution that owns ``obj``."""
    institution = _institution_of(obj)
    return institution is not None and (
        institution.organiser_id in scopes_of(user).organiser_ids
    )


@rules.predicate
def is_organiser_of_registry(user: Any, organiser: Any) -> bool:
    return organiser is not None and organiser.pk in scopes_of(user).organiser_ids


@rules.predicate
def organises_edition_of_entry(user: Any, obj: Any) -> bool:
    entry = _entry_of(obj)
    return entry is not None and is_organiser_of(user, entry)


@rules.predicate
def can_enter_edition(user: Any, edition: Any) -> bool:
    """The user operates an institution of the registry of the edition's organiser, and the
    edition is open for entries (an edition being prepared is the organiser's alone)."""
    from sayembara.competitions.enums import EditionStatus
    from sayembara.entries.models import Institution

    ids = scopes_of(user).operator_institution_ids
    return bool(ids) and edition is not None and edition.status == EditionStatus.OPEN \
        and Institution.objects.filter(
        pk__in=ids, organiser_id=edition.organiser_id
    ).exists()


@rules.predicate
def is_operator_role(user: Any, obj: Any) -> bool:
    """The membership or invitation ``obj`` is for an operator (not an Admin Lokal)."""
    return getattr(obj, "role", None) == "operator"


@rules.predicate
def sends_referral(user: Any, referral: Any) -> bool:
    """The user organises the edition of the entry that was put forward."""
    return referral is not None and (
        referral.entry.edition.organiser_id in scopes_of(user).organiser_ids)


@rules.predicate
def receives_referral(user: Any, referral: Any) -> bool:
    """The user organises the edition the entry was put forward to."""
    return referral is not None and (
        referral.to_edition.organiser_id in scopes_of(user).organiser_ids)


@rules.predicate
def receives_referral_of_entry(user: Any, obj: Any) -> bool:
    """The entry was put forward to an edition of the user's organiser (and not withdrawn):
    the receiving organiser reads its documents."""
    from sayembara.entries.enums import ReferralStatus
    from sayembara.entries.models import Referral

    entry = _entry_of(obj)
    ids = scopes_of(user).organiser_ids
    return entry is not None and bool(ids) and Referral.objects.filter(
        entry_id=entry.pk, to_edition__organiser_id__in=ids,
    ).exclude(status=ReferralStatus.WITHDRAWN).exists()


can_view_entry = is_operator_of | is_admin_lokal_of | organises_edition_of_entry

rules.add_perm("entries.create_entry", is_any_operator)
rules.add_perm("entries.enter_edition", can_enter_edition)
rules.add_perm("entries.view_entry", can_view_entry)
rules.add_perm("entries.change_entry", is_operator_of)
rules.add_perm("entries.forward_entry", is_admin_lokal_of)
rules.add_perm("entries.review_entry", organises_edition_of_entry)
rules.add_perm("entries.return_entry", organises_edition_of_entry | is_admin_lokal_of)
rules.add_perm("entries.mentor_entry", organises_edition_of_entry | is_admin_lokal_of)
# entries.view_document (participants, organisers, the entry's judges and an organiser the
# entry was put forward to) is declared in judging/rules.py, which knows who judges an entry.
rules.add_perm("entries.put_forward", organises_edition_of_entry)
rules.add_perm("entries.view_referral", sends_referral | receives_referral)
rules.add_perm("entries.decide_referral", receives_referral)
rules.add_perm("entries.withdraw_referral", sends_referral)
rules.add_perm("entries.change_document", is_operator_of)
rules.add_perm("entries.admin_lokal", is_any_admin_lokal)
rules.add_perm("entries.manage_institution", is_admin_lokal_of | is_organiser_of_institution)
rules.add_perm("entries.manage_registry", is_organiser_of_registry)
rules.add_perm(
    "entries.manage_membership",
    is_organiser_of_institution | (is_admin_lokal_of & is_operator_role),
)
