"""Permission predicates for organisers, competitions and editions."""

from __future__ import annotations

from typing import Any

import rules

from sayembara.accounts.selectors.roles import scopes_of


def _edition_of(obj: Any) -> Any:
    if obj is None:
        return None
    if obj.__class__.__name__ == "Edition":
        return obj
    edition = getattr(obj, "edition", None)
    return edition


@rules.predicate
def is_any_organiser(user: Any) -> bool:
    return bool(scopes_of(user).organiser_ids)


@rules.predicate
def is_organiser_of(user: Any, obj: Any) -> bool:
    """The user organises the organiser that owns ``obj`` (an edition or anything in one)."""
    if obj is None:
        return False
    organiser_id = getattr(obj, "organiser_id", None)
    if organiser_id is None:
        edition = _edition_of(obj)
        organiser_id = getattr(edition, "organiser_id", None)
    return organiser_id in scopes_of(user).organiser_ids


@rules.predicate
def is_judge_of_edition(user: Any, obj: Any) -> bool:
    edition = _edition_of(obj)
    return edition is not None and edition.pk in scopes_of(user).judge_edition_ids


@rules.predicate
def is_verifier_of_edition(user: Any, obj: Any) -> bool:
    edition = _edition_of(obj)
    return edition is not None and edition.pk in scopes_of(user).verifier_edition_ids


@rules.predicate
def is_auditor_of_edition(user: Any, obj: Any) -> bool:
    edition = _edition_of(obj)
    return edition is not None and edition.pk in scopes_of(user).auditor_edition_ids


rules.add_perm("competitions.create_edition", is_any_organiser)
@rules.predicate
def is_organiser_of_person(user: Any, person: Any) -> bool:
    """``person`` works in one of the user's organisers (and is not the user)."""
    if person is None or not scopes_of(user).organiser_ids:
        return False
    from sayembara.competitions.selectors.security import people_in_scope

    return people_in_scope(user).filter(pk=person.pk).exists()


rules.add_perm("competitions.view_security_events", is_any_organiser)
rules.add_perm("competitions.reset_two_step", is_organiser_of_person)
rules.add_perm("competitions.unlock_sign_in", is_organiser_of_person)
rules.add_perm("competitions.manage_edition", is_organiser_of)
rules.add_perm(
    "competitions.view_edition",
    is_organiser_of | is_judge_of_edition | is_verifier_of_edition | is_auditor_of_edition,
)
rules.add_perm("competitions.audit_edition", is_organiser_of | is_auditor_of_edition)

# API tokens belong to an organiser: any of its people may create and revoke them.
rules.add_perm("competitions.manage_api_tokens", is_any_organiser)
rules.add_perm("competitions.revoke_api_token", is_organiser_of)
