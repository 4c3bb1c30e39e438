"""Sayembara's scoring engine: every published number comes from here.

A pure library (standard library and numpy only; it never imports Django or another
Sayembara package) so that the web application, the ``sayembara rank`` command and any
auditor compute results the same way. Start with :func:`compute`::

    from sayembara.scoring import compute, Competition, Inputs, Options
    results = compute(competition, inputs, Options(seed=2024))

The rules are documented where they are implemented: :mod:`.sheets` (a judge's sheet),
:mod:`.aggregate` (a stage score across judges), :mod:`.engine` (the phases in order),
:mod:`.stage` (how stages chain, lowering stages), :mod:`.advancement` and :mod:`.advance`
(quotas, passing grades, ties at the cut, decisions), :mod:`.final` (the final ranking),
:mod:`.awards`, :mod:`.ties` (the tie-break chain), :mod:`.calibration`,
:mod:`.bootstrap` and :mod:`.reliability`; :mod:`.exact` explains how results stay exact.
"""

#: Version of the rules implemented here; written into every results file and bundle.
ENGINE_VERSION = "1.0.0"

from .engine import Evaluation, check_inputs, compute, evaluate  # noqa: E402
from .errors import CalibrationRefused, InputError, ScoringError, SpecError  # noqa: E402
from .inputs import (  # noqa: E402
    FINAL,
    Action,
    Decision,
    Entry,
    Inputs,
    Judge,
    Options,
    Recusal,
    ScoreRow,
    ScoreTable,
)
from .reasons import TEXTS as REASON_TEXTS  # noqa: E402
from .reasons import Reason  # noqa: E402
from .results import EntryStage, FinalEntry, Results, SpecialTie, StageResult  # noqa: E402
from .spec import (  # noqa: E402
    Advancement,
    Aggregation,
    AwardTier,
    Band,
    Calibration,
    CalibrationModel,
    Comparison,
    Competition,
    Condition,
    Criterion,
    CriterionKind,
    Disagreement,
    Favourite,
    Item,
    Level,
    Measure,
    Method,
    MissingPolicy,
    Normalisation,
    Official,
    Quota,
    Rubric,
    Scope,
    Source,
    SpecialAward,
    Stage,
    StageKind,
    TieBreak,
    TiePolicy,
)

__all__ = [
    "ENGINE_VERSION",
    "FINAL",
    "REASON_TEXTS",
    "Action",
    "Advancement",
    "Aggregation",
    "AwardTier",
    "Band",
    "Calibration",
    "CalibrationModel",
    "CalibrationRefused",
    "Comparison",
    "Competition",
    "Condition",
    "Criterion",
    "CriterionKind",
    "Decision",
    "Disagreement",
    "Entry",
    "EntryStage",
    "Evaluation",
    "Favourite",
    "FinalEntry",
    "InputError",
    "Inputs",
    "Item",
    "Judge",
    "Level",
    "Measure",
    "Method",
    "MissingPolicy",
    "Normalisation",
    "Official",
    "Options",
    "Quota",
    "Recusal",
    "Reason",
    "Results",
    "Rubric",
    "ScoreRow",
    "ScoreTable",
    "ScoringError",
    "Scope",
    "Source",
    "SpecialAward",
    "SpecialTie",
    "SpecError",
    "Stage",
    "StageKind",
    "StageResult",
    "TieBreak",
    "TiePolicy",
    "check_inputs",
    "compute",
    "evaluate",
]
