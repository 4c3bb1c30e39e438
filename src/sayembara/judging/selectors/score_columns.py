"""What the score columns of a stage's numbers are called, and the weighted part they show.

One wording for every table that shows a stage's scores: the stage table (rekap), the
edition's dashboard and the entry's page. At a weighted stage each number is named for what
it is (docs/scoring.md, "Stages"): the stage's own score before weighting, its weighted part
(weight x that score / 100) and the running total of the weighted parts the stage ranks by;
the rank counts within the entry's category.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext as _

from sayembara.common.formats import number, score
from sayembara.competitions.enums import StageKind
from sayembara.competitions.models import Stage
from sayembara.judging.models import StageResult


@dataclass(frozen=True)
class ScoreHeadings:
    """Column headings, translated; ``part`` and ``running`` are empty when the table has
    no such column."""

    rank: str
    own: str
    part: str = ""
    running: str = ""


def score_headings(*, running_total: bool, weight: str | None = None,
                   weighted: bool = False, in_category: bool = True) -> ScoreHeadings:
    """The headings of a table's score columns.

    ``running_total``: the table shows the running total beside the stage's own score.
    ``weight``: the one weight of the table's weighted parts as people read it ("40"), or
    ``weighted``: it shows weighted parts of stages of different weights.
    ``in_category``: the rank counts within the entry's category.
    """
    if weight:
        part = _("Weighted part (%(weight)s%% of this stage's score)") % {"weight": weight}
    elif weighted:
        part = _("Weighted part (weight × this stage's score)")
    else:
        part = ""
    return ScoreHeadings(
        rank=_("Rank in the category") if in_category else _("Rank"),
        own=_("This stage's own score") if running_total else _("Stage score"),
        part=part,
        running=_("Running total of the weighted parts so far (ranked by)")
        if running_total else "")


def shows_weighted_part(stage: Stage) -> bool:
    """Whether the stage's scores add a weighted part to the running total (a weighted
    stage that is not a can-only-lower check)."""
    return stage.kind == StageKind.WEIGHTED and not stage.can_only_lower


def weight_text(weight: Decimal) -> str:
    """A stage's weight in percent with the decimals it has ("40", "12,5")."""
    exponent = int(weight.normalize().as_tuple().exponent)
    return number(weight, max(0, -exponent))


def weighted_part(stage: Stage, result: StageResult) -> str:
    """What the stage's own score adds to the running total: weight x score / 100, from
    the exact score (docs/scoring.md, "Stages")."""
    exact = ((result.details or {}).get("exact") or {}).get("score")
    if exact:
        return score(None, str(Fraction(exact) * Fraction(stage.weight) / 100))
    if result.score is None:
        return score(None)
    return score(Decimal(result.score) * stage.weight / 100)
