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
from sayembara.entries.rules import can_view_entry, receives_referral_of_entry


@rules.predicate
def is_any_judge(user: Any) -> bool:
    scopes = scopes_of(user)
    return bool(scopes.judge_edition_ids or scopes.verifier_edition_ids)


@rules.predicate
def is_judge_of_sheet(user: Any, sheet: Any) -> bool:
    """The sheet (or the scoring seat of a judge at a stage) belongs to the user."""
    return sheet is not None and sheet.judge.user_id == getattr(user, "pk", None)


@rules.predicate
def chairs_stage(user: Any, stage: Any) -> bool:
    """The user chairs the jury of the stage (its panel's ketua, or the edition's ketua on a
    stage without panels). What the chair then sees depends on the stage: when it opens
    while it is still pending, the progress of the sheets while it is open, every score
    side by side once it is closed (or before, when the stage lets judges see each other's
    scores)."""
    from sayembara.judging.selectors.assignments import chaired_stages

    if stage is None or not getattr(user, "is_authenticated", False):
        return False
    if stage.edition_id not in scopes_of(user).judge_edition_ids:
        return False
    return any(chaired.pk == stage.pk for chaired in chaired_stages(user))


@rules.predicate
def reads_entry_as_judge(user: Any, obj: Any) -> bool:
    """The user judges the entry of ``obj`` (an entry or one of its documents) at a stage
    that has opened, with no conflict of interest (see ``selectors/reading.py``)."""
    from sayembara.judging.selectors.reading import judge_reading

    entry = obj if obj is None or obj.__class__.__name__ == "Entry" else getattr(obj, "entry",
                                                                                  None)
    return judge_reading(user, entry) is not None


rules.add_perm("judging.view_own_assignments", is_any_judge)
rules.add_perm("judging.view_sheet", is_judge_of_sheet | is_organiser_of)
rules.add_perm("judging.score_entry", is_judge_of_sheet)
rules.add_perm("judging.take_pledge", is_judge_of_edition | is_verifier_of_edition)
rules.add_perm("judging.manage_jury", is_organiser_of)
rules.add_perm("judging.view_stage_results", is_organiser_of | is_auditor_of_edition)
rules.add_perm("judging.view_consolidation", is_organiser_of | chairs_stage)
rules.add_perm("judging.view_field_evidence", is_organiser_of | reads_entry_as_judge)
rules.add_perm("entries.view_document",
               can_view_entry | reads_entry_as_judge | receives_referral_of_entry)
