"""The public-test (uji publik) window of an edition, its finalists and the rulings.

The objections themselves belong to the judging app. This selector reads them through
``judging.Objection`` when that model exists (fields used: ``entry``, ``kind``, ``text`` or
``body``, ``ruling``, ``ruled_at``, ``created_at``) and otherwise shows the window and the
finalists only.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.utils import timezone

from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry


@dataclass
class UjiPublik:
    configured: bool
    stage_name: str = ""
    opens_on: dt.date | None = None
    closes_on: dt.date | None = None
    state: str = "none"  # none, upcoming, open, closed
    finalists: list = field(default_factory=list)
    objections: list = field(default_factory=list)
    objections_available: bool = False


def objection_model():
    try:
        return apps.get_model("judging", "Objection")
    except LookupError:
        return None


def uji_publik_of(edition: Edition, *, today: dt.date | None = None) -> UjiPublik:
    template = template_of(edition)
    rules = template.public.uji_publik
    if rules is None:
        return UjiPublik(configured=False)
    view = UjiPublik(configured=True)
    stage = edition.stages.filter(key=rules.after_stage).first()
    view.stage_name = stage.name if stage else rules.after_stage
    today = today or timezone.localtime(timezone.now(), edition.zoneinfo).date()
    if stage is not None and stage.closed_at is not None:
        announced = timezone.localtime(stage.closed_at, edition.zoneinfo).date()
        view.opens_on = announced + dt.timedelta(days=1)
        view.closes_on = announced + dt.timedelta(days=rules.days)
        if today < view.opens_on:
            view.state = "upcoming"
        elif today <= view.closes_on:
            view.state = "open"
        else:
            view.state = "closed"
    else:
        view.state = "upcoming"
    view.finalists = list(
        Entry.objects.filter(edition=edition, state__in=[EntryState.FINALIST, EntryState.WINNER])
        .select_related("institution", "category").order_by("category__order", "code")
    )
    model = objection_model()
    if model is not None:
        view.objections_available = True
        rows = model.objects.filter(entry__edition=edition).select_related("entry")
        view.objections = [
            {
                "entry": row.entry,
                "kind": getattr(row, "get_kind_display", lambda r=row: getattr(r, "kind", ""))(),
                "text": getattr(row, "text", "") or getattr(row, "body", ""),
                "ruling": getattr(row, "ruling", ""),
                "ruled_at": getattr(row, "ruled_at", None),
                "created_at": getattr(row, "created_at", None),
            }
            for row in rows.order_by("entry__code", "pk")
        ]
    return view
