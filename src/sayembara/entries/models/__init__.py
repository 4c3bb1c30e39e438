from .entry import Entry, EntryStateChange
from .forms import DraftCopy, EntryDocument, SelfAssessmentClaim, StatementAffirmation
from .institution import Institution
from .process import (
    AdministrativeCheck,
    DeadlineExtension,
    Invitation,
    MentoringNote,
    PastWinner,
    Reminder,
)
from .referral import Referral

__all__ = [
    "AdministrativeCheck",
    "DeadlineExtension",
    "DraftCopy",
    "Entry",
    "EntryDocument",
    "EntryStateChange",
    "Institution",
    "Invitation",
    "MentoringNote",
    "PastWinner",
    "Referral",
    "Reminder",
    "SelfAssessmentClaim",
    "StatementAffirmation",
]
