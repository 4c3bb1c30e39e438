"""The public-test (uji publik) page: the window, the finalists on trial and the rulings.

The window, the finalists and the objections belong to the judging app
(``judging.services.public``); this selector only shapes them for the public page and
leaves out who sent what (names and addresses are for the organiser).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from sayembara.competitions.models import Edition
from sayembara.judging.enums import FeedbackKind, RulingOutcome
from sayembara.judging.models import Objection
from sayembara.judging.services.public import finalists_on_trial, uji_publik_window


@dataclass
class UjiPublik:
    configured: bool
    stage_name: str = ""
    opens_at: dt.datetime | None = None
    closes_at: dt.datetime | None = None
    state: str = "none"  # none, upcoming, open, closed
    finalists: list = field(default_factory=list)
    rulings: list = field(default_factory=list)
    received: int = 0
    pending: int = 0


def uji_publik_of(edition: Edition, *, now: dt.datetime | None = None) -> UjiPublik:
    window = uji_publik_window(edition)
    if window is None:
        return UjiPublik(configured=False)
    now = now or timezone.now()
    view = UjiPublik(configured=True, stage_name=window.stage.name, opens_at=window.opens_at,
                     closes_at=window.closes_at)
    if window.opens_at is None or now < window.opens_at:
        view.state = "upcoming"
    elif window.is_open(now):
        view.state = "open"
    else:
        view.state = "closed"
    view.finalists = finalists_on_trial(edition)
    feedback = Objection.objects.filter(entry__edition=edition)
    view.received = feedback.count()
    view.pending = feedback.filter(kind=FeedbackKind.OBJECTION,
                                   outcome=RulingOutcome.PENDING).count()
    view.rulings = list(
        feedback.exclude(outcome=RulingOutcome.PENDING).select_related("entry")
        .only("entry__code", "entry__title", "kind", "text", "outcome", "ruling", "ruled_at")
        .order_by("entry__code", "ruled_at")
    )
    return view
