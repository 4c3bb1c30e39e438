"""Final results per category with awards and prizes, and the rulings of the uji publik."""

from __future__ import annotations

from dataclasses import dataclass, field

from sayembara.competitions.models import Category, Edition
from sayembara.judging.enums import FeedbackKind
from sayembara.judging.models import FinalResult, Objection


@dataclass
class CategoryResults:
    category: Category
    rows: list[FinalResult] = field(default_factory=list)


def final_results(edition: Edition) -> list[CategoryResults]:
    """Final ranks, totals, award tiers and prizes per category (three queries).

    Ready for certificates and minutes: each row has ``rank``, ``total``, ``award_label``,
    ``award_tier`` (trophy / certificate flags), ``prize`` and ``details`` (grade,
    predicate, favourite, tie-break).
    """
    categories = list(edition.categories.all())
    groups = {c.pk: CategoryResults(c) for c in categories}
    for row in (FinalResult.objects.filter(edition=edition)
                .select_related("entry", "entry__institution", "award_tier")
                .order_by("category__order", "rank", "entry__code")):
        if row.category_id in groups:
            groups[row.category_id].rows.append(row)
    return [groups[c.pk] for c in categories]


def objections_of(edition: Edition):
    """Every support and objection of the edition's uji publik, newest first."""
    return (Objection.objects.filter(entry__edition=edition)
            .select_related("entry", "entry__institution", "ruled_by")
            .order_by("-created_at"))


def rulings_for_results(edition: Edition):
    """Ruled objections, for display beside the final results."""
    return (Objection.objects.filter(entry__edition=edition, kind=FeedbackKind.OBJECTION,
                                     ruled_at__isnull=False)
            .select_related("entry").order_by("entry__code", "created_at"))
