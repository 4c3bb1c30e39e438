"""The final ranking: one order per award unit over every entry that was scored.

Within each award unit (category, group or overall) entries that went further come first:
ordered by the last stage they were scored in, then by whether they advanced from it (at
the last stage: whether they were selected), then by the score that stage ranked them by,
then the tie-break chain (the chain's stage rules apply to the stage where the tied entries
stopped). Disqualified entries are listed without a rank. A tie left open that would change
an award (:func:`~.awards.open_ties_that_matter`) keeps the results incomplete.
"""

from __future__ import annotations

import numpy as np

from .awards import open_ties_that_matter
from .inputs import FINAL
from .state import Carry, Context, Ints, StageState
from .ties import Ranking, TieContext, rank


def final_ranking(
    ctx: Context, states: list[StageState], carry: Carry
) -> tuple[Ranking | None, list[str], Ints, list[list[int]]]:
    """The final ranking, the award units, each entry's unit and the ties that matter."""
    competition, n = ctx.competition, ctx.n
    unit_of, award_units = ctx.units.by_scope(competition.award_scope)
    disqualified = np.zeros(n, dtype=np.bool_)
    for st in states:
        disqualified |= st.disqualified
    final_ranking = None
    final_open: list[list[int]] = []
    reached = carry.reached
    eligible = (reached >= 0) & ~disqualified
    if n and eligible.any():
        progress = (2 * reached + carry.advanced_last.astype(np.int64)).astype(np.int64)
        tctx = TieContext(
            competition=competition,
            entry_keys=ctx.entry_keys,
            label=FINAL,
            seed=ctx.options.seed,
            table=ctx.inputs.scores,
            stage_scores=ctx.stage_scores,
            sheets=ctx.sheets,
            aggregates=ctx.aggregates,
            ranking_stage=len(competition.stages) - 1,
            orders=ctx.orders.get(FINAL, {}),
            reached=reached,
        )
        final_ranking = rank(unit_of, carry.final_selection, eligible, tctx, secondary=progress)
        final_open = open_ties_that_matter(competition, final_ranking, ctx.inputs)
    return final_ranking, award_units, unit_of, final_open
