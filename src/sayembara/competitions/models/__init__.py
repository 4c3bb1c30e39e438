from .edition import Competition, Edition, Organiser, RulesReopening, TimelinePhase
from .rules import AwardTier, Category, Criterion, CriterionLevel, Group, Rubric, Stage, StageRubric

__all__ = [
    "AwardTier",
    "Category",
    "Competition",
    "Criterion",
    "CriterionLevel",
    "Edition",
    "Group",
    "Organiser",
    "Rubric",
    "RulesReopening",
    "Stage",
    "StageRubric",
    "TimelinePhase",
]
