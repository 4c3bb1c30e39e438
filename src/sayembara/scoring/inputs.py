"""The data the engine ranks: entries, judges, score rows, public votes and decisions.

Score rows are held column-wise in a :class:`ScoreTable` (numpy arrays of indexes and exact
integer numerators over one shared denominator) because a national edition has millions of
them; :meth:`ScoreTable.from_rows` builds one from ordinary Python values for small inputs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from .errors import InputError
from .exact import SAFE, lcm
from .spec import Competition, Source

#: Stage key used by recorded tie-break decisions that apply to the final ranking.
FINAL = "final"


@dataclass(frozen=True)
class Entry:
    """An entry: its ``key``, ``category``, optional ``group`` and other attributes."""

    key: str
    category: str
    group: str | None = None
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Judge:
    """A judge; the sheets of an ``honorary`` judge count only if the stage says so."""

    key: str
    honorary: bool = False


class Action(StrEnum):
    ADVANCE = "advance"  #: goes on whatever the rule says (the cut may be exceeded)
    ELIMINATE = "eliminate"  #: is ranked but does not go on; the next entry takes the place
    DISQUALIFY = "disqualify"  #: leaves the competition at this stage: no rank, no award
    TIEBREAK = "tiebreak"  #: a recorded decision settling a tie: ``order`` 1 is placed first


@dataclass(frozen=True)
class Decision:
    """A decision of the organisers (penetapan) about one entry at one stage.

    ``stage`` is a stage key, or :data:`FINAL` for a tie-break of the final ranking.
    """

    stage: str
    entry: str
    action: Action
    reason: str
    order: int | None = None


@dataclass(frozen=True)
class ScoreRow:
    """One judge x entry x criterion score, for :meth:`ScoreTable.from_rows`."""

    stage: str
    judge: str
    entry: str
    criterion: str
    value: Decimal | Fraction | int


@dataclass(frozen=True)
class Recusal:
    """A judge who stepped aside from an entry at a stage for a conflict of interest, at a
    stage where the whole panel scores every entry: nobody takes the judge's place, so the
    entry needs one judge fewer there (see :mod:`.aggregate`)."""

    stage: str
    entry: str
    judge: str


IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class ScoreTable:
    """Score rows as columns. Row ``i`` says: at stage ``stage[i]`` (index into
    ``Competition.stages``) judge ``judge[i]`` (index into ``Inputs.judges``) gave entry
    ``entry[i]`` (index into ``Inputs.entries``) the score ``value[i] / denominator`` on the
    criterion at position ``criterion[i]`` of the rubric that stage uses for the entry's
    category."""

    stage: npt.NDArray[np.int32]
    judge: npt.NDArray[np.int32]
    entry: npt.NDArray[np.int32]
    criterion: npt.NDArray[np.int32]
    value: IntArray
    denominator: int

    def __post_init__(self) -> None:
        n = self.value.shape[0]
        for name in ("stage", "judge", "entry", "criterion"):
            if getattr(self, name).shape != (n,):
                raise ValueError(f"The column {name} does not have {n} rows.")
        if self.denominator <= 0:
            raise ValueError("The denominator must be positive.")

    def __len__(self) -> int:
        return int(self.value.shape[0])

    @functools.cached_property
    def _stage_sorted(self) -> bool:
        return self.stage.shape[0] < 2 or bool(np.all(self.stage[1:] >= self.stage[:-1]))

    def stage_rows(self, stage: int) -> slice | npt.NDArray[np.int64]:
        """The rows of one stage: a slice when the table is ordered by stage (the usual
        case, no copy), else an index array."""
        if self._stage_sorted:
            lo = int(np.searchsorted(self.stage, stage, side="left"))
            hi = int(np.searchsorted(self.stage, stage, side="right"))
            return slice(lo, hi)
        return np.flatnonzero(self.stage == stage).astype(np.int64)

    @classmethod
    def empty(cls) -> ScoreTable:
        z = np.zeros(0, dtype=np.int32)
        return cls(z, z, z, z, np.zeros(0, dtype=np.int64), 1)

    @classmethod
    def from_arrays(
        cls,
        *,
        stage: Sequence[int] | npt.NDArray[Any],
        judge: Sequence[int] | npt.NDArray[Any],
        entry: Sequence[int] | npt.NDArray[Any],
        criterion: Sequence[int] | npt.NDArray[Any],
        value: Sequence[int] | npt.NDArray[Any],
        denominator: int,
    ) -> ScoreTable:
        return cls(
            np.asarray(stage, dtype=np.int32),
            np.asarray(judge, dtype=np.int32),
            np.asarray(entry, dtype=np.int32),
            np.asarray(criterion, dtype=np.int32),
            np.asarray(value, dtype=np.int64),
            int(denominator),
        )

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[ScoreRow],
        *,
        competition: Competition,
        entries: Sequence[Entry],
        judges: Sequence[Judge],
    ) -> ScoreTable:
        """Build a table from keyed rows; unknown keys raise :class:`InputError` with the row."""
        stage_ix = {s.key: i for i, s in enumerate(competition.stages)}
        entry_ix = {e.key: i for i, e in enumerate(entries)}
        judge_ix = {j.key: i for i, j in enumerate(judges)}
        cols: list[list[int]] = [[], [], [], []]
        values: list[Fraction] = []
        for n, row in enumerate(rows):
            if row.stage not in stage_ix:
                raise InputError(
                    "unknown_stage", f"Unknown stage {row.stage}.", row=n, stage=row.stage
                )
            if row.entry not in entry_ix:
                raise InputError(
                    "unknown_entry", f"Unknown entry {row.entry}.", row=n, entry=row.entry
                )
            if row.judge not in judge_ix:
                raise InputError(
                    "unknown_judge", f"Unknown judge {row.judge}.", row=n, judge=row.judge
                )
            stage = competition.stages[stage_ix[row.stage]]
            entry = entries[entry_ix[row.entry]]
            if stage.source is not Source.JUDGES:
                raise InputError(
                    "stage_not_judged",
                    f"The stage {row.stage} is not scored by judges.",
                    row=n,
                    stage=row.stage,
                )
            rubric_key = stage.rubric_for(entry.category)
            if rubric_key is None or not stage.takes(entry.category):
                raise InputError(
                    "stage_not_for_category",
                    f"The stage {row.stage} does not score category {entry.category}.",
                    row=n,
                    stage=row.stage,
                    category=entry.category,
                )
            try:
                crit = competition.rubric(rubric_key).index(row.criterion)
            except KeyError:
                raise InputError(
                    "unknown_criterion",
                    f"The rubric {rubric_key} has no criterion {row.criterion}.",
                    row=n,
                    rubric=rubric_key,
                    criterion=row.criterion,
                ) from None
            cols[0].append(stage_ix[row.stage])
            cols[1].append(judge_ix[row.judge])
            cols[2].append(entry_ix[row.entry])
            cols[3].append(crit)
            values.append(Fraction(row.value))
        den = lcm(v.denominator for v in values)
        nums = [v.numerator * (den // v.denominator) for v in values]
        if any(abs(x) >= SAFE for x in nums):
            raise InputError("score_precision", "The scores have too many decimal places.")
        return cls.from_arrays(
            stage=cols[0],
            judge=cols[1],
            entry=cols[2],
            criterion=cols[3],
            value=nums,
            denominator=den,
        )


@dataclass(frozen=True)
class Inputs:
    """Everything the engine ranks besides the rules."""

    entries: tuple[Entry, ...]
    judges: tuple[Judge, ...]
    scores: ScoreTable
    votes: Mapping[str, int] = field(default_factory=dict)
    decisions: tuple[Decision, ...] = ()
    recusals: tuple[Recusal, ...] = ()


@dataclass(frozen=True)
class Options:
    """Computation options.

    ``seed`` feeds the bootstrap and any lot drawn by the tie-break chain; ``bootstrap``
    replicates (0 switches uncertainty off); ``confidence`` is the rank interval's coverage.
    """

    seed: int = 0
    bootstrap: int = 1000
    confidence: Decimal = Decimal("0.90")
    calibrate: bool = True
    reliability: bool = True
