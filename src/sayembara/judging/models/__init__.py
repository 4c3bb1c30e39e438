from .documents import RedactedDocument
from .jury import Assignment, Conflict, Judge, Panel, PanelMember
from .process import (
    FieldCheck,
    FieldEvidence,
    FieldVisit,
    InterviewSlot,
    Invitation,
    Objection,
    StageClosing,
    StageDecision,
    TieOrder,
)
from .scores import FinalResult, Score, ScoreCorrection, ScoreSheet, StageResult

__all__ = [
    "Assignment",
    "Conflict",
    "FieldCheck",
    "FieldEvidence",
    "FieldVisit",
    "FinalResult",
    "InterviewSlot",
    "Invitation",
    "Judge",
    "Panel",
    "PanelMember",
    "RedactedDocument",
    "Objection",
    "Score",
    "ScoreCorrection",
    "TieOrder",
    "ScoreSheet",
    "StageClosing",
    "StageDecision",
    "StageResult",
]
