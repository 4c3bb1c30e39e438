"""Public, read-only: competitions, editions and their rules, results, the catalogue,
certificate verification. No token; the same data the public pages show."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import translation
from ninja import Path, Query, Router

from sayembara.api import schemas as s
from sayembara.api.pages import MAX_PAGE, page_of
from sayembara.competitions.models import Competition
from sayembara.documents.selectors.public import (
    CatalogueFilters,
    catalogue,
    catalogue_choices,
    plain_rules_of,
    public_editions,
    results_of,
)
from sayembara.documents.services.certificates import find_certificate, normalise_code
from sayembara.entries.selectors.types import institution_type_names, type_label

router = Router(tags=["public"])

ERRORS = {400: s.Problem, 404: s.Problem, 422: s.ValidationProblem}
PAGE = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")


def decimal_text(value: Any) -> str | None:
    return None if value is None else str(value)


def edition_brief(edition) -> dict[str, Any]:
    return {
        "slug": edition.slug, "title": edition.title, "year": edition.year,
        "status": edition.status, "competition": edition.competition.name,
        "competition_slug": edition.competition.slug, "organiser": edition.organiser.name,
        "timezone": edition.timezone, "submission_deadline": edition.submission_deadline,
    }


def public_edition(slug: str):
    return get_object_or_404(public_editions(), slug=slug)


@router.get("/competitions", response={200: s.CompetitionPage, **ERRORS},
            url_name="competitions", summary="Competitions with public editions")
def competitions(request, page: int = PAGE):
    editions = public_editions()
    found = (Competition.objects.filter(editions__in=editions).distinct()
             .select_related("organiser").order_by("organiser__name", "name", "pk"))
    meta, items = page_of(found, page, 50)
    slugs: dict[int, list[str]] = {}
    for competition_id, slug in editions.filter(
            competition__in=[c.pk for c in items]).values_list("competition_id", "slug"):
        slugs.setdefault(competition_id, []).append(slug)
    return {**meta, "items": [
        {"slug": c.slug, "name": c.name, "organiser": c.organiser.name,
         "organiser_slug": c.organiser.slug, "editions": slugs.get(c.pk, [])}
        for c in items]}


@router.get("/editions", response={200: s.EditionPage, **ERRORS}, url_name="editions",
            summary="Public editions, newest first")
def editions(request, page: int = PAGE,
             year: int | None = Query(None, ge=1900, le=2200, description="Only this year.")):
    found = public_editions()
    if year is not None:
        found = found.filter(year=year)
    meta, items = page_of(found, page, 50)
    return {**meta, "items": [edition_brief(e) for e in items]}


@router.get("/editions/{slug}", response={200: s.EditionOut, **ERRORS}, url_name="edition",
            summary="One edition: categories, stages, awards and rules in plain data")
def edition(request, slug: str = Path(..., pattern=s.SLUG)):
    found = public_edition(slug)
    rules = plain_rules_of(found)
    return {
        **edition_brief(found),
        "rules_version": found.rules_version,
        "submission_opens": found.submission_opens_at,
        "timeline": [{"key": p.key, "name": p.label, "starts": p.starts_on, "ends": p.ends_on}
                     for p in found.timeline.order_by("order", "pk")],
        "categories": [{"key": c.key, "name": c.name, "description": c.description,
                        "institution_types": list(c.institution_types or [])}
                       for c in found.categories.order_by("order", "pk")],
        "stages": [{"key": st.key, "name": st.name, "order": st.order, "kind": st.kind,
                    "weight": str(st.weight), "scored_by": st.source, "blind": st.blind,
                    "can_only_lower": st.can_only_lower, "status": st.status,
                    "opens": st.starts_at, "closes": st.ends_at}
                   for st in found.stages.order_by("order", "pk")],
        "awards": [{"key": a.key, "name": a.name,
                    "category": a.category.key if a.category else None,
                    "rank_from": a.rank_from, "rank_to": a.rank_to, "trophy": a.trophy,
                    "certificate": a.certificate, "prize": str(a.prize)}
                   for a in found.award_tiers.select_related("category").order_by("order", "pk")],
        "rules": [{"section": section, "sentences": _sentences(items)}
                  for section, items in rules.items()],
    }


def _sentences(items: list) -> list[str]:
    """A section's sentences; a stage's section lists its name before its sentences."""
    out: list[str] = []
    for item in items:
        if isinstance(item, dict):
            out.append(str(item.get("name", "")))
            out.extend(str(sentence) for sentence in item.get("sentences", []))
        else:
            out.append(str(item))
    return out


@router.get("/editions/{slug}/results", response={200: s.ResultsOut, **ERRORS},
            url_name="results", summary="Published results, with the published breakdown")
def results(request, slug: str = Path(..., pattern=s.SLUG)):
    found = public_edition(slug)
    with translation.override("en"):  # numbers with a decimal point, for other systems
        data = results_of(found)
    if not data.get("published"):
        return {"edition": found.slug, "published": False,
                     "breakdown": data["breakdown"], "stages": [], "categories": []}
    return {
        "edition": found.slug, "published": True, "breakdown": data["breakdown"],
        "stages": [{"name": stage["name"]} for stage in data["stages"]],
        "categories": [{"name": group.name, "rows": [
            {"rank": row.rank, "code": row.code, "institution": row.institution,
             "title": row.title, "award": row.award, "prize": decimal_text(row.prize),
             "total": _shown(row.total),
             "stage_scores": [_shown(score) for score in row.stage_scores],
             "stopped_at": row.stopped_at} for row in group.rows]}
            for group in data["categories"]],
    }


def _shown(text: Any) -> str | None:
    """A published score as the results page rounds it (None where nothing is shown)."""
    text = "" if text is None else str(text).strip()
    return None if text in ("", "—", "-") else text


@router.get("/catalogue", response={200: s.CataloguePage, **ERRORS}, url_name="catalogue",
            summary="The innovation catalogue, with the filters of its page")
def catalogue_list(
    request, page: int = PAGE,
    q: str = Query("", max_length=100, pattern=s.TEXT, description="Words of the title, "
                   "summary, institution or innovators."),
    category: str = Query("", max_length=200, pattern=s.TEXT),
    region: str = Query("", max_length=300, pattern=s.TEXT),
    year: int | None = Query(None, ge=1900, le=2200),
    kind: str = Query("", max_length=500, pattern=s.TEXT,
                      description="Institution type ids, comma separated."),
    award: str = Query("", max_length=200, pattern=s.TEXT,
                       description="`any`, or an award's name."),
):
    filters = CatalogueFilters(q=q.strip(), category=category, region=region, year=year,
                               kind=kind, award=award)
    meta, items = page_of(catalogue(filters), page, 24)
    editions = {entry.edition_id: entry.edition for entry in items}
    names = institution_type_names(sorted(editions.values(), key=lambda e: -e.year))
    return {**meta, "items": [_catalogue_row(entry, names) for entry in items]}


def _catalogue_row(entry, names: dict[str, str]) -> dict[str, Any]:
    publication = getattr(entry.edition, "publication", None)
    try:
        final = entry.final
    except Exception:  # no final result (RelatedObjectDoesNotExist)
        final = None
    published = publication is not None and publication.results_published_at is not None
    return {
        "id": entry.pk, "code": entry.code, "title": entry.title, "summary": entry.summary,
        "institution": entry.institution.name,
        "institution_type": type_label(entry.institution.kind, names),
        "region": entry.institution.region_name, "category": entry.category.name,
        "edition": entry.edition.slug, "year": entry.edition.year,
        "award": (final.award_label if final is not None and published else "") or "",
    }


@router.get("/catalogue/filters", response={200: s.CatalogueFiltersOut, **ERRORS},
            url_name="catalogue_filters", summary="The values each catalogue filter offers")
def catalogue_filters(request):
    data = catalogue_choices()
    return {
        "categories": data["categories"], "years": data["years"], "awards": data["awards"],
        "regions": [{"value": c.value, "label": c.label} for c in data["regions"]],
        "kinds": [{"value": c.value, "label": c.label} for c in data["kinds"]],
    }


@router.get("/certificates/{code}", response={200: s.CertificateOut, **ERRORS},
            url_name="certificate", summary="Check a certificate by its code")
def certificate(request, code: str = Path(..., max_length=40, pattern=r"^[-A-Za-z0-9 ]+$")):
    found = find_certificate(code)
    if found is None:
        raise Http404(code if normalise_code(code) else "")
    return {
        "code": found.code, "valid": True, "recipient": found.recipient,
        "innovation": found.innovation_title, "award": found.award_label,
        "category": found.category_name, "rank": found.rank, "edition": found.edition.slug,
        "edition_title": found.edition.title, "organiser": found.edition.organiser.name,
        "issued": found.issued_at,
    }
