"""Step 6 of a stage: the ranking, who advances, and the decisions.

Within each category entries are ranked by the selection score, ties by the chain
(:mod:`.ties`). Advancement then works within the stage's pools (:mod:`.advance`: quotas,
passing grades, ties at the cut). Decisions come last: eliminated entries stop,
advanced-by-decision entries go on, disqualified entries leave. A stage with entries left
unscored, a tie at the cut awaiting a decision or an entry awaiting a further judge is
*incomplete*.
"""

from __future__ import annotations

from .advance import pools_for, select
from .inputs import Action
from .reasons import Reason
from .spec import Scope
from .state import Context, StageState
from .ties import TieContext, rank


def rank_and_advance(ctx: Context, state: StageState) -> None:
    competition, stage, k = ctx.competition, state.stage, state.index
    units, category = ctx.units, ctx.category
    selection, scored = state.selection, state.scored
    disq, elim, present = state.disqualified, state.eliminated, state.present
    assert selection is not None and state.forced is not None
    tctx = TieContext(
        competition=competition,
        entry_keys=ctx.entry_keys,
        label=stage.key,
        seed=ctx.options.seed,
        table=ctx.inputs.scores,
        stage_scores=ctx.stage_scores,
        sheets=ctx.sheets,
        aggregates=ctx.aggregates,
        ranking_stage=k,
        orders=ctx.orders.get(stage.key, {}),
    )
    ranked = scored & ~disq
    state.ranking = rank(category, selection, ranked, tctx)
    rule = stage.advancement
    scope = rule.scope if rule is not None else Scope.CATEGORY
    pool_of, names, seats = pools_for(rule, units, scope)
    competing = ranked & ~elim & (pool_of >= 0)
    same_pools = (
        scope is Scope.CATEGORY and not (rule is not None and rule.quotas) and not elim.any()
    )
    if same_pools:
        cut_ranking = state.ranking
        pool_of = category.copy()
        names = list(competition.categories)
        seats = [
            None if rule is None or rule.top_n is None else rule.top_n * rule.multiplier
            for _ in names
        ]
    else:
        cut_ranking = rank(pool_of, selection, competing, tctx)
    state.cut_ranking = cut_ranking
    state.pool_of, state.pool_names, state.seats = pool_of, names, seats
    state.ranked, state.competing = ranked, competing
    adv = select(
        ranking=cut_ranking,
        names=names,
        seats=seats,
        pool_of=pool_of,
        selection=selection,
        rule=rule,
        competing=competing,
        units=units,
        racing=ranked & ~elim,
    )
    state.advance = adv
    advanced = adv.advanced.copy()
    for e, (action, text) in ctx.decisions.get(stage.key, {}).items():
        if action is Action.ELIMINATE:
            advanced[e] = False
            state.decision_reason[e] = Reason.of("decision_eliminate", reason=text)
        elif action is Action.ADVANCE:
            advanced[e] = True
            state.decision_reason[e] = Reason.of("decision_advance", reason=text)
        else:
            advanced[e] = False
            state.decision_reason[e] = Reason.of("decision_disqualify", reason=text)
    advanced &= (present & ~disq) & (scored | state.forced)
    state.advanced = advanced
    state.open_ties = adv.open_at_cut

    unscored = present & ~disq & ~scored
    needs_extra = (state.agg.needs_extra & present) if state.agg is not None else None
    if unscored.any() or adv.open_at_cut or (needs_extra is not None and bool(needs_extra.any())):
        state.status = "incomplete"
