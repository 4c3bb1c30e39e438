"""Why an entry advanced or stopped, as a stable code with parameters.

The engine cannot translate (it never imports Django); it records a :class:`Reason` and this
module's English sentences. The ranking layer shows the same sentences through gettext.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: code -> English sentence with named placeholders.
TEXTS: dict[str, str] = {
    "within_places": "Ranked %(rank)s in %(pool)s, within its %(places)s places.",
    "outside_places": "Ranked %(rank)s in %(pool)s, outside its %(places)s places.",
    "won_tie": ("Tied with the last place in %(pool)s and placed ahead by the tie-break %(step)s."),
    "lost_tie": (
        "Tied with the last place in %(pool)s and placed behind by the tie-break %(step)s."
    ),
    "tie_admitted": (
        "Tied with the last of the %(places)s places in %(pool)s; tied entries are all admitted."
    ),
    "tie_open_admitted": (
        "Tied with the last place in %(pool)s and the tie-break chain could not separate "
        "them; admitted together until a decision is recorded."
    ),
    "below_passing_grade": "The score %(score)s is below the passing grade %(grade)s.",
    "passing_grade_met": "The score %(score)s reaches the passing grade %(grade)s.",
    "no_cut": "Every scored entry goes on from this stage.",
    "no_quota": "There are no places for %(unit)s at this stage.",
    "no_group": "Places at this stage are given per group, and it belongs to no group.",
    "decision_advance": "Advanced by decision: %(reason)s",
    "decision_eliminate": "Stopped by decision: %(reason)s",
    "decision_disqualify": "Disqualified by decision: %(reason)s",
    "not_scored": ("Not scored: %(counted)s counted judges' sheets, at least %(required)s needed."),
    "not_scored_recused": (
        "Not scored: %(counted)s counted judges' sheets, at least %(required)s needed (the "
        "panel members who recused for a conflict of interest, %(recused)s, are not "
        "needed)."
    ),
    "awaiting_scores": "Waiting for the scores of this stage.",
    "stage_not_for_category": "This stage does not apply to its category; it goes on unchanged.",
}


@dataclass(frozen=True)
class Reason:
    """A reason code and its parameters (all rendered as text)."""

    code: str
    params: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, code: str, **params: Any) -> Reason:
        if code not in TEXTS:
            raise KeyError(code)
        return cls(code, tuple(sorted((k, str(v)) for k, v in params.items())))

    @property
    def mapping(self) -> dict[str, str]:
        return dict(self.params)

    def english(self) -> str:
        return TEXTS[self.code] % self.mapping
