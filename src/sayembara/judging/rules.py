"""Permission predicates for judges, sheets and stage results."""

from __future__ import annotations

from typing import Any

import rules

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.competitions.rules import (
    is_auditor_of_edition,
    is_judge_of_edition,
    is_organiser_of,
    is_verifier_of_edition,
)


@rules.predicate
def is_any_judge(user: Any) -> bool:
    scopes = scopes_of(user)
    return bool(scopes.judge_edition_ids or scopes.verifier_edition_ids)


@rules.predicate
def is_judge_of_sheet(user: Any, sheet: Any) -> bool:
    """The sheet (or the scoring seat of a judge at a stage) belongs to the user."""
    return sheet is not None and sheet.judge.user_id == getattr(user, "pk", None)


@rules.predicate
def is_chair_seeing_results(user: Any, stage: Any) -> bool:
    """The user chairs the jury of the stage's edition (or the stage's panel) and may see
    the scores side by side: once the stage is closed, or before when the stage lets judges
    see each other's scores."""
    from sayembara.judging.enums import JuryRole
    from sayembara.judging.models import Judge, PanelMember

    if stage is None or not getattr(user, "is_authenticated", False):
        return False
    if stage.edition_id not in scopes_of(user).judge_edition_ids:
        return False
    if not (stage.status == "closed" or stage.judges_see_others):
        return False
    chair = Judge.objects.filter(edition_id=stage.edition_id, user=user, role=JuryRole.KETUA)
    panel_chair = PanelMember.objects.filter(panel__stage=stage, judge__user=user,
                                             role=JuryRole.KETUA)
    return chair.exists() or panel_chair.exists()


rules.add_perm("judging.view_own_assignments", is_any_judge)
rules.add_perm("judging.view_sheet", is_judge_of_sheet | is_organiser_of)
rules.add_perm("judging.score_entry", is_judge_of_sheet)
rules.add_perm("judging.take_pledge", is_judge_of_edition | is_verifier_of_edition)
rules.add_perm("judging.manage_jury", is_organiser_of)
rules.add_perm("judging.view_stage_results", is_organiser_of | is_auditor_of_edition)
rules.add_perm("judging.view_consolidation", is_organiser_of | is_chair_seeing_results)
