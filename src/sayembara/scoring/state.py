"""What the engine carries from one phase to the next.

:class:`Context` holds what every phase reads (the rules, the data, the entries' units and
the decisions by stage); :class:`Carry` the per-entry totals one stage hands to the next;
:class:`StageState` everything computed for one stage; :class:`Evaluation` the whole
computed state, which :meth:`Evaluation.results` turns into :class:`~.results.Results`.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from .advance import Advance, Units
from .aggregate import Aggregate
from .bootstrap import Uncertainty
from .exact import Exact, where
from .inputs import Action, Inputs, Options
from .reasons import Reason
from .results import CalibrationReport, Results, SpecialTie, UnitReliability
from .sheets import Sheets

if TYPE_CHECKING:
    from .awards import Awards
    from .columns import FinalColumns, StageColumns
from .spec import Competition, Stage
from .ties import Ranking

Bools = npt.NDArray[np.bool_]
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass
class Context:
    """What every phase reads, and the scores of the stages computed so far."""

    competition: Competition
    inputs: Inputs
    options: Options
    units: Units
    entry_keys: list[str]
    judge_keys: list[str]
    #: decisions by stage key: entry index -> (action, reason)
    decisions: dict[str, dict[int, tuple[Action, str]]]
    #: recorded tie-break orders by stage key (or ``FINAL``): entry key -> order
    orders: dict[str, dict[str, int]]
    stage_scores: dict[int, Exact] = field(default_factory=dict)
    sheets: dict[int, Sheets] = field(default_factory=dict)
    aggregates: dict[int, Aggregate] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.inputs.entries)

    @property
    def category(self) -> Ints:
        return self.units.category

    @classmethod
    def of(cls, competition: Competition, inputs: Inputs, options: Options) -> Context:
        entry_keys = [e.key for e in inputs.entries]
        decisions: dict[str, dict[int, tuple[Action, str]]] = {}
        orders: dict[str, dict[str, int]] = {}
        index_of = {k: i for i, k in enumerate(entry_keys)} if inputs.decisions else {}
        for d in inputs.decisions:
            if d.action is Action.TIEBREAK:
                assert d.order is not None
                orders.setdefault(d.stage, {})[d.entry] = d.order
            else:
                decisions.setdefault(d.stage, {})[index_of[d.entry]] = (d.action, d.reason)
        return cls(
            competition=competition,
            inputs=inputs,
            options=options,
            units=Units.of_entries(inputs.entries, competition.categories),
            entry_keys=entry_keys,
            judge_keys=[j.key for j in inputs.judges],
            decisions=decisions,
            orders=orders,
        )


@dataclass
class Carry:
    """Per-entry state handed from one stage to the next."""

    alive: Bools
    reached: Ints
    advanced_last: Bools
    running: Exact
    wtaken: Exact
    final_selection: Exact
    previous_selection: Exact

    @classmethod
    def start(cls, n: int) -> Carry:
        return cls(
            alive=np.ones(n, dtype=np.bool_),
            reached=np.full(n, -1, dtype=np.int64),
            advanced_last=np.zeros(n, dtype=np.bool_),
            running=Exact.zeros(n),
            wtaken=Exact.zeros(n),
            final_selection=Exact.zeros(n),
            previous_selection=Exact.zeros(n),
        )

    def after(self, state: StageState) -> None:
        """Move on past a computed stage."""
        assert state.selection is not None and state.advanced is not None
        scored, k = state.scored, state.index
        self.reached = np.where(scored, k, self.reached)
        self.advanced_last = np.where(scored, state.advanced, self.advanced_last)
        self.final_selection = where(scored, state.selection, self.final_selection)
        self.previous_selection = where(scored, state.selection, self.previous_selection)
        assert state.disqualify_decided is not None
        alive = (state.advanced & state.present) | state.skipped
        self.alive = alive & ~state.disqualify_decided


@dataclass
class StageState:
    """Everything computed for one stage (arrays over all entries)."""

    index: int
    stage: Stage
    status: str
    present: Bools
    skipped: Bools
    disqualified: Bools
    eliminated: Bools
    scored: Bools
    #: entries advanced by decision (they go on even without a score)
    forced: Bools | None = None
    #: entries a decision at this stage disqualifies (also when the stage skips them)
    disqualify_decided: Bools | None = None
    sheets: Sheets | None = None
    agg: Aggregate | None = None
    raw: Exact | None = None
    calibrated: Exact | None = None
    calibrated_mask: Bools | None = None
    official: Exact | None = None
    selection: Exact | None = None
    lowered_by: Exact | None = None
    #: running total, weights taken and previous selection score before this stage
    before: tuple[Exact, Exact, Exact] | None = None
    ranking: Ranking | None = None
    cut_ranking: Ranking | None = None
    ranked: Bools | None = None
    competing: Bools | None = None
    pool_of: Ints | None = None
    pool_names: list[str] = field(default_factory=list)
    seats: list[int | None] = field(default_factory=list)
    advance: Advance | None = None
    advanced: Bools | None = None
    decision_reason: dict[int, Reason] = field(default_factory=dict)
    uncertainty: Uncertainty | None = None
    reliability: list[UnitReliability] = field(default_factory=list)
    calibration: CalibrationReport | None = None
    open_ties: list[list[int]] = field(default_factory=list)


@dataclass
class Evaluation:
    """The computed state; :meth:`results` turns it into :class:`Results`."""

    competition: Competition
    inputs: Inputs
    options: Options
    stages: list[StageState]
    reached: Ints
    advanced_last: Bools
    final_selection: Exact
    running: Exact
    final_ranking: Ranking | None
    final_units: list[str]
    final_unit_of: Ints
    final_open: list[list[int]]
    complete: bool
    #: ties across the last place of a special award, awaiting the jury's order
    special_open: list[SpecialTie] = field(default_factory=list)
    #: the awards once given (:func:`~.awards.give_awards` computes them once)
    given: Awards | None = None

    def results(self, *, entries: bool = True) -> Results:
        """The results as records. With ``entries=False`` neither the stages nor the final
        ranking carry per-entry records: writers read them from :meth:`stage_columns` and
        :meth:`final_columns` instead."""
        from .records import materialise

        # Building one record per entry and stage creates many small objects and no
        # reference cycles; pausing the cyclic garbage collector meanwhile halves the time.
        paused = gc.isenabled()
        gc.disable()
        try:
            return materialise(self, entries=entries)
        finally:
            if paused:
                gc.enable()

    def stage_columns(self) -> list[StageColumns]:
        """Every stage's per-entry results as columns (rows as in ``StageResult.entries``)."""
        from .columns import stage_columns

        return [stage_columns(self, st) for st in self.stages]

    def final_columns(self) -> FinalColumns:
        """Every entry of the final ranking, with its awards, as columns (rows as in
        ``Results.final``)."""
        from .columns import final_columns

        return final_columns(self)
