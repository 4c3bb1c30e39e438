"""What the public sees: editions, results per category, the innovation catalogue."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Q
from django.utils import translation

from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.documents.enums import Breakdown
from sayembara.documents.selectors.awards import listed_award, ranking_units
from sayembara.documents.services.publication import publication_of
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.entries.selectors.types import institution_type_names, type_label
from sayembara.judging.models import FinalResult

PUBLIC_EDITION_STATES = (EditionStatus.OPEN, EditionStatus.JUDGING, EditionStatus.FINISHED,
                         EditionStatus.PUBLISHED)
CATALOGUE_ENTRY_STATES = (EntryState.PASSED_ADMIN, EntryState.IN_STAGE, EntryState.ELIMINATED,
                          EntryState.FINALIST, EntryState.WINNER)
RESULTS_SECONDS = 60


def public_editions():
    return (Edition.objects.filter(status__in=PUBLIC_EDITION_STATES)
            .select_related("competition", "organiser").order_by("-year", "title"))


def public_entries():
    """Entries anyone may read: past the administrative check in a public edition."""
    return Entry.objects.filter(edition__status__in=PUBLIC_EDITION_STATES,
                                state__in=CATALOGUE_ENTRY_STATES)


@dataclass
class ResultRow:
    rank: int | None
    code: str
    entry_id: int
    institution: str
    title: str
    award: str
    prize: Any
    #: The final score as shown (one rounding rule), empty for an entry that stopped early
    #: or when the organiser publishes ranks only.
    total: str
    stage_scores: list = field(default_factory=list)
    # The name of the stage where the entry stopped, when it did not reach the last one
    # (its total then only sums the stages it took: the page shows its score at that stage
    # instead, and it ranks below those who went on).
    stopped_at: str = ""
    stopped_score: str = ""


@dataclass
class CategoryResults:
    name: str
    rows: list[ResultRow]


def results_of(edition: Edition) -> dict:
    """The published results per category at the organiser's chosen breakdown (cached)."""
    from sayembara.judging.selectors.results import stage_scores_by_entry, standing_of

    publication = publication_of(edition)
    if publication.results_published_at is None:
        return {"published": False, "breakdown": publication.breakdown}
    key = f"public-results:{edition.pk}:{translation.get_language()}"
    cached = cache.get(key)
    if cached is not None and cached["version"] == publication.version:
        return cached
    breakdown = publication.breakdown
    all_stages = list(edition.stages.order_by("order"))
    stages = ([{"id": s.pk, "name": s.name, "scale": s.scale_label} for s in all_stages]
              if breakdown == Breakdown.STAGES else [])
    stage_results = stage_scores_by_entry(edition) if breakdown != Breakdown.RANKS else {}
    units = ranking_units(edition)
    categories: dict[int, CategoryResults] = {}
    results = (FinalResult.objects.filter(edition=edition)
               .select_related("entry", "entry__institution", "category")
               .order_by("category__order", "rank", "entry__code"))
    for r in results:
        group = categories.setdefault(r.category_id, CategoryResults(r.category.name, []))
        standing = standing_of(r, all_stages, stage_results)
        group.rows.append(ResultRow(
            rank=r.rank, code=r.entry.code, entry_id=r.entry_id,
            institution=r.entry.institution.name, title=r.entry.title,
            award=listed_award(r, units, r.category.name),
            prize=r.prize, total=standing.total_text if breakdown != Breakdown.RANKS else "",
            stage_scores=standing.stage_scores if stages else [],
            stopped_at=standing.stopped_at.name if standing.stopped_at else "",
            stopped_score=standing.stopped_score if breakdown != Breakdown.RANKS else "",
        ))
    data = {"published": True, "breakdown": breakdown, "version": publication.version,
            "stages": stages, "categories": list(categories.values())}
    cache.set(key, data, RESULTS_SECONDS)
    return data


def published_standing(entry: Entry) -> tuple[str, ResultRow] | None:
    """The entry's line in its edition's published results (the category's name and the row
    the public results page shows), or None while the results are not published."""
    data = results_of(entry.edition)
    if not data["published"]:
        return None
    for group in data["categories"]:
        for row in group.rows:
            if row.entry_id == entry.pk:
                return group.name, row
    return None


def plain_rules_of(edition: Edition) -> dict:
    """The edition's rules in plain words, cached per rules version and language."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.documents.services.plain_rules import rules_in_plain_words

    key = f"public-rules:{edition.pk}:{edition.rules_version}:{translation.get_language()}"
    rules = cache.get(key)
    if rules is None:
        rules = rules_in_plain_words(template_of(edition))
        cache.set(key, rules, 3600)
    return rules


def finalists_of(edition: Edition) -> list:
    if publication_of(edition).finalists_published_at is None:
        return []
    return list(public_entries().filter(edition=edition, state__in=[EntryState.FINALIST,
                                                                    EntryState.WINNER])
                .select_related("institution", "category").order_by("category__order", "code"))


@dataclass
class CatalogueFilters:
    q: str = ""
    category: str = ""
    region: str = ""
    year: int | None = None
    kind: str = ""
    award: str = ""  # "", "any" (won an award) or an award label


def catalogue(filters: CatalogueFilters):
    """Entries across editions matching the filters, newest edition first."""
    entries = public_entries().select_related(
        "edition", "edition__publication", "institution", "category", "final"
    )
    if filters.q:
        for word in filters.q.split()[:6]:
            entries = entries.filter(Q(title__icontains=word) | Q(summary__icontains=word)
                                     | Q(institution__name__icontains=word)
                                     | Q(innovators__icontains=word))
    if filters.category:
        # One name across editions, however each template capitalised it.
        entries = entries.filter(category__name__iexact=filters.category)
    if filters.region:
        entries = entries.filter(in_region(filters.region))
    if filters.year:
        entries = entries.filter(edition__year=filters.year)
    if filters.kind:
        entries = entries.filter(institution__kind__in=filters.kind.split(",")[:20])
    if filters.award == "any":
        entries = entries.filter(final__award_label__gt="",
                                 edition__publication__results_published_at__isnull=False)
    elif filters.award:
        entries = entries.filter(final__award_label__iexact=filters.award,
                                 edition__publication__results_published_at__isnull=False)
    return entries.order_by("-edition__year", "edition__title", "code")


def in_region(region: str) -> Q:
    """Entries of institutions in ``region`` or any region inside it.

    Region names run from the smallest area to the largest ("Kecamatan Airmadidi, Kabupaten
    Minahasa Utara, Sulawesi Utara"), so a kecamatan lies in the kabupaten its name ends
    with. An institution without a region of its own is in its organiser's region.
    """
    inside = ", " + region
    return (Q(institution__region_name=region) | Q(institution__region_name__endswith=inside)
            | Q(Q(edition__organiser__region_name=region)
                | Q(edition__organiser__region_name__endswith=inside),
                institution__region_name=""))


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    depth: int = 0

    @property
    def indented(self) -> str:
        """The label moved right by its depth (a select's options cannot be styled)."""
        return "\u00a0" * 4 * self.depth + self.label


def region_choices(names: set[str]) -> list[Choice]:
    """Regions with the ones inside another listed region right below it, indented."""
    def outward(name: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in reversed(name.split(",")))

    out = []
    for name in sorted(names, key=outward):
        parts = [part.strip() for part in name.split(",")]
        depth = sum(1 for i in range(1, len(parts)) if ", ".join(parts[i:]) in names)
        out.append(Choice(name, parts[0] if depth else name, depth))
    return out


def _one_per_name(names) -> list[str]:
    """Names as written, each once however it is capitalised (the first spelling seen)."""
    seen: dict[str, str] = {}
    for name in sorted(names):
        seen.setdefault(" ".join(name.split()).casefold(), name)
    return sorted(seen.values(), key=_natural)


def _natural(name: str) -> list:
    """Sorts numbers inside names by value: Peringkat 4 before Peringkat 10."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)",
                                                                        name.casefold())]


def kind_choices(kinds: set[str], type_names: dict[str, str]) -> list[Choice]:
    """One choice per name: two templates may call different type ids the same (the value
    lists every id of the name, comma separated)."""
    by_name: dict[str, list[str]] = {}
    for kind in sorted(kinds):
        name = type_label(kind, type_names)
        by_name.setdefault(name, []).append(kind)
    return [Choice(",".join(ids), name)
            for name, ids in sorted(by_name.items(), key=lambda item: item[0].casefold())]


def catalogue_choices() -> dict[str, list]:
    """Values offered by the catalogue's filters (cached for a few minutes)."""
    key = f"public-catalogue-choices:{translation.get_language()}"
    data = cache.get(key)
    if data is not None:
        return data
    entries = public_entries()
    kinds = set(entries.values_list("institution__kind", flat=True))
    type_names = institution_type_names(
        Edition.objects.filter(pk__in=entries.values("edition_id")).order_by("-year"))
    data = {
        "categories": _one_per_name(set(entries.values_list("category__name", flat=True))),
        "regions": region_choices(
            set(entries.exclude(institution__region_name="")
                .values_list("institution__region_name", flat=True))
            | set(entries.filter(institution__region_name="")
                  .exclude(edition__organiser__region_name="")
                  .values_list("edition__organiser__region_name", flat=True))),
        "years": sorted(set(entries.values_list("edition__year", flat=True)), reverse=True),
        "kinds": kind_choices(kinds, type_names),
        "awards": _one_per_name(set(
            entries.filter(final__award_label__gt="",
                           edition__publication__results_published_at__isnull=False)
            .values_list("final__award_label", flat=True))),
    }
    cache.set(key, data, 300)
    return data
