from .documents import RedactedDocument
from .jury import Assignment, Conflict, Judge, Panel, PanelMember, ReviewerWithdrawal
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
    "ReviewerWithdrawal",
    "Objection",
    "Score",
    "ScoreCorrection",
    "TieOrder",
    "ScoreSheet",
    "StageClosing",
    "StageDecision",
    "StageResult",
]
