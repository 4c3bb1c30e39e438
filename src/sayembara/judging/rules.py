"""Permission predicates for judges, sheets and stage results."""

from __future__ import annotations

from typing import Any

import rules

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.competitions.rules import is_auditor_of_edition, is_organiser_of


@rules.predicate
def is_any_judge(user: Any) -> bool:
    scopes = scopes_of(user)
    return bool(scopes.judge_edition_ids or scopes.verifier_edition_ids)


@rules.predicate
def is_judge_of_sheet(user: Any, sheet: Any) -> bool:
    """The sheet belongs to the user's own seat on the jury."""
    return sheet is not None and sheet.judge.user_id == getattr(user, "pk", None)


rules.add_perm("judging.view_own_assignments", is_any_judge)
rules.add_perm("judging.view_sheet", is_judge_of_sheet | is_organiser_of)
rules.add_perm("judging.view_stage_results", is_organiser_of | is_auditor_of_edition)
