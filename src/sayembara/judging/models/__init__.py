from .jury import Assignment, Conflict, Judge, Panel, PanelMember
from .scores import FinalResult, Score, ScoreCorrection, ScoreSheet, StageResult

__all__ = [
    "Assignment",
    "Conflict",
    "FinalResult",
    "Judge",
    "Panel",
    "PanelMember",
    "Score",
    "ScoreCorrection",
    "ScoreSheet",
    "StageResult",
]
