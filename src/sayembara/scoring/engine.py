"""The engine: from rules and data to stage results, the final ranking and awards.

:func:`compute` validates the rules (:meth:`~.spec.Competition.validate`) and the data
(:func:`~.checks.check_inputs`), then runs the phases, each in its own module:

* **a stage** (:mod:`.stage`): who takes part, the stage score, the calibrated score, the
  running total and selection score, can-only-lower stages, uncertainty and reliability;
* **advancement** (:mod:`.advancement`): the stage's ranking, who advances within its pools
  (:mod:`.advance`) and the decisions;
* **the final ranking** (:mod:`.final`): one order per award unit;
* **awards** (:mod:`.awards`): tiers, bands, the favourite prize and special awards (a tie
  across a special award's last place keeps the results incomplete).

Stages run in order; a stage with no scores at all is *pending* and the computation stops
there. What one stage hands to the next is a :class:`~.state.Carry`. The computed state (an
:class:`Evaluation`) becomes the published records in :mod:`.records`.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from .advancement import rank_and_advance
from .awards import open_special_ties
from .checks import check_inputs
from .exact import lcm, to_decimal
from .final import final_ranking
from .inputs import Inputs, Options
from .results import Results
from .spec import Competition
from .stage import (
    CALIBRATED_PLACES,
    calibrate_stage,
    carry_stage,
    measure_stage,
    open_stage,
    score_stage,
)
from .state import Carry, Context, Evaluation, StageState


def compute(competition: Competition, inputs: Inputs, options: Options | None = None) -> Results:
    """Validate the rules and inputs, compute every stage, the final ranking and awards."""
    return evaluate(competition, inputs, options or Options()).results()


def evaluate(competition: Competition, inputs: Inputs, options: Options) -> Evaluation:
    competition.validate()
    check_inputs(competition, inputs)
    ctx = Context.of(competition, inputs, options)
    carry = Carry.start(ctx.n)
    states: list[StageState] = []
    complete = True
    pending = False
    for k, stage in enumerate(competition.stages):
        state = open_stage(ctx, k, stage, carry, pending)
        states.append(state)
        if pending:
            continue
        if not score_stage(ctx, state):
            pending = True
            complete = False
            continue
        calibrate_stage(ctx, state)
        carry_stage(ctx, state, carry)
        rank_and_advance(ctx, state)
        if state.status == "incomplete":
            complete = False
        measure_stage(ctx, state)
        carry.after(state)

    ranking, units, unit_of, final_open = final_ranking(ctx, states, carry)
    if final_open:
        complete = False
    ev = Evaluation(
        competition=competition,
        inputs=inputs,
        options=options,
        stages=states,
        reached=carry.reached,
        advanced_last=carry.advanced_last,
        final_selection=carry.final_selection,
        running=carry.running,
        final_ranking=ranking,
        final_units=units,
        final_unit_of=unit_of,
        final_open=final_open,
        complete=complete,
    )
    ev.special_open = open_special_ties(ev)
    if ev.special_open:
        # a tie across a special award's last place keeps every award back, like a tie
        # across a rank tier
        ev.complete = False
        ev.given = None
    return ev


def display(value: Fraction, places: int = 2) -> Decimal:
    """Round a value for display (half to even)."""
    return to_decimal(value, places)


__all__ = [
    "CALIBRATED_PLACES",
    "compute",
    "evaluate",
    "check_inputs",
    "display",
    "Evaluation",
    "lcm",
]
