"""Field visit data for the signed minutes (berita acara)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from sayembara.competitions.models import Stage
from sayembara.judging.models import FieldCheck, FieldVisit


def minutes_data(stage: Stage) -> QuerySet[FieldVisit]:
    """Every visit of the stage with who visited, when, findings per aspect and evidence
    (five queries whatever the number of visits)."""
    return (
        FieldVisit.objects.filter(stage=stage)
        .select_related("entry", "entry__institution", "entry__category")
        .prefetch_related(
            "visitors",
            Prefetch("checks", queryset=FieldCheck.objects.select_related("criterion")
                     .order_by("criterion__order")),
            "evidence",
        )
        .order_by("entry__category__order", "entry__code")
    )
