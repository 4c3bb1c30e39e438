"""What the engine returns: plain frozen dataclasses, exact values as :class:`Fraction`.

Exact values are rationals. A stage score such as the mean of three sheet totals may have
no finite decimal expansion (``242/3``); it is compared exactly and only rounded when
written for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from .reasons import Reason
from .reliability import Reliability


@dataclass(frozen=True)
class EntryStage:
    """One entry at one stage.

    ``status``: ``scored``; ``not_scored`` (fewer counted sheets than the stage needs);
    ``disqualified``; ``skipped`` (the stage does not apply to the entry's category);
    ``awaiting`` (the stage has no scores yet).
    ``score`` is the official stage score (``raw`` or ``calibrated``), ``selection`` the
    score the stage ranks and cuts by (the running total of the weighted stages at a
    weighted stage, the stage score at a filter stage, after any lowering), ``lowered_by``
    how far a can-only-lower stage lowered the carried average (on 0..100). ``rank`` is
    within the category, ``pool_rank`` within the pool competing for places when that
    differs. ``tie_break`` names the step
    that placed the entry among exactly equal scores.
    """

    entry: str
    category: str
    status: str
    score: Fraction | None
    raw: Fraction | None
    calibrated: Fraction | None
    selection: Fraction | None
    lowered_by: Fraction | None
    judges: int
    sheets: int
    spread: Fraction | None
    sd: float | None
    disagreement: bool
    needs_extra_judge: bool
    trimmed: bool
    rank: int | None
    pool: str | None
    pool_rank: int | None
    rank_interval: tuple[int, int] | None
    p_top_n: float | None
    close_to_cut: bool
    advanced: bool
    reason: Reason | None
    tie_break: str | None


@dataclass(frozen=True)
class PoolResult:
    name: str
    seats: int | None
    competing: int
    advanced: int


@dataclass(frozen=True)
class JudgeCalibration:
    judge: str
    sheets: int
    offset: float
    scale: float


@dataclass(frozen=True)
class CalibrationUnit:
    """Calibration of one unit (a category, or the whole stage when places are shared).

    A refused unit has a ``code`` (``no_sheets`` or ``disconnected``) and, when the judges
    fall into separate groups, ``groups``: the judge keys of each group, largest first.
    ``message`` is the same refusal as an English sentence, for logs and the command line;
    pages build their own sentence from ``code`` and ``groups``.
    """

    unit: str
    status: str  #: "fitted" or "refused"
    code: str | None
    message: str | None
    judges: tuple[JudgeCalibration, ...]
    groups: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class CalibrationReport:
    model: str
    requested: str  #: the official score the rules ask for
    official: str  #: the official score actually used ("raw" when calibration was refused)
    units: tuple[CalibrationUnit, ...]


@dataclass(frozen=True)
class UnitReliability:
    unit: str
    figures: Reliability


@dataclass(frozen=True)
class StageResult:
    """One stage: ``status`` is ``complete``, ``incomplete`` (entries not scored, a judge
    still needed or a tie at the cut awaiting a decision) or ``pending`` (no scores yet)."""

    key: str
    kind: str
    weight: Decimal
    can_only_lower: bool
    status: str
    entries: tuple[EntryStage, ...]
    pools: tuple[PoolResult, ...]
    calibration: CalibrationReport | None
    reliability: tuple[UnitReliability, ...]
    open_ties: tuple[tuple[str, ...], ...]
    bootstrap: int


@dataclass(frozen=True)
class FinalEntry:
    """An entry in the final ranking of its award unit.

    Entries are ordered by how far they went (the last stage they were scored in, then
    whether they advanced from it), then by ``total``: the score their last stage ranked
    them by. ``weighted_total`` is the sum of weight x stage score / 100 over the weighted
    stages taken. Awards are given only when the results are complete.
    """

    entry: str
    category: str
    unit: str
    status: str  #: "ranked", "disqualified" or "awaiting"
    rank: int | None
    total: Fraction | None
    weighted_total: Fraction | None
    reached: str | None
    tier: str | None
    award: str | None
    trophy: bool
    certificate: bool
    prize: Decimal
    grade: str | None
    predicate: str | None
    favourite: bool
    votes: int | None
    tie_break: str | None
    #: names of the special awards the entry receives, in the declared order
    special_awards: tuple[str, ...] = ()


@dataclass(frozen=True)
class SpecialTie:
    """Entries the tie-break chain could not separate at the last place of a special award
    in one category: ``places`` of the award are left for these ``entries`` (fewer than
    them), and the jury's order (a ``tiebreak`` decision under the award's id) decides."""

    award: str
    category: str
    places: int
    entries: tuple[str, ...]


@dataclass(frozen=True)
class Results:
    engine_version: str
    competition: str
    seed: int
    complete: bool
    stages: tuple[StageResult, ...]
    final: tuple[FinalEntry, ...]
    favourite: str | None
    final_open_ties: tuple[tuple[str, ...], ...]
    #: ties at the last place of a special award, awaiting the jury's order
    special_open_ties: tuple[SpecialTie, ...] = ()

    def stage(self, key: str) -> StageResult:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)

    def final_of(self, entry: str) -> FinalEntry:
        for item in self.final:
            if item.entry == entry:
                return item
        raise KeyError(entry)
