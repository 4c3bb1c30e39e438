"""Public pages: no login, Indonesian by default, cached where the data is heavy."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.params import int_param
from sayembara.common.permissions import PUBLIC, requires
from sayembara.competitions.models import Competition
from sayembara.competitions.services.editions import template_of
from sayembara.documents.selectors import charts as chart_data
from sayembara.documents.selectors.public import (
    CatalogueFilters,
    catalogue_choices,
    finalists_of,
    plain_rules_of,
    public_editions,
    results_of,
)
from sayembara.documents.services.certificates import find_certificate, normalise_code
from sayembara.documents.services.chart_pages import finalist_intervals, participation_charts
from sayembara.documents.services.publication import publication_of
from sayembara.entries.selectors.wording import entry_words
from sayembara.public.loaders import public_edition, public_entry
from sayembara.voting.enums import CommentStatus
from sayembara.voting.models import Ballot
from sayembara.voting.selectors.uji_publik import uji_publik_of
from sayembara.voting.selectors.votes import voting_state
from sayembara.voting.services.voters import voter_id_from_token

VOTER_COOKIE = "sayembara_voter"


def current_voter_id(request) -> int | None:
    return voter_id_from_token(request.COOKIES.get(VOTER_COOKIE))


@requires(PUBLIC)
def index(request):
    editions = list(public_editions())
    competitions = Competition.objects.filter(editions__in=editions).distinct()
    drawn = participation_charts(chart_data.participation_by_competition(competitions),
                                 competitions)
    participation = [{"competition": c, "chart": drawn[c.pk]} for c in competitions
                     if c.pk in drawn]
    return render(request, "public/index.html", {"editions": editions,
                                                 "participation": participation})


@requires(PUBLIC, loader=public_edition)
def edition(request, slug):
    edition = request.checked_object
    template = template_of(edition)
    ballot = Ballot.objects.filter(edition=edition).first()
    return render(request, "public/edition.html", {
        "edition": edition,
        "template": template,
        "timeline": edition.timeline.all(),
        "categories": edition.categories.all(),
        "rules": plain_rules_of(edition),
        "award_tiers": edition.award_tiers.select_related("category"),
        "publication": publication_of(edition),
        "ballot": ballot,
        "ballot_state": voting_state(ballot) if ballot else None,
        "uji": uji_publik_of(edition),
    })


@requires(PUBLIC, loader=public_edition)
def results(request, slug):
    edition = request.checked_object
    data = results_of(edition)
    finalists = finalists_of(edition)
    # Before anything is published, the finalists put to the uji publik are public already.
    uji = uji_publik_of(edition) if not (data.get("published") or finalists) else None
    return render(request, "public/results.html", {
        "edition": edition, "data": data, "finalists": finalists,
        "uji": uji if uji is not None and uji.finalists else None,
        "publication": publication_of(edition),
        "intervals": _finalist_intervals(edition) if data.get("published") else [],
        "words": entry_words(template_of(edition)),
    })


@requires(PUBLIC, loader=public_edition)
def results_bundle(request, slug):
    """The published results bundle (zip) for anyone who wants to recompute the ranking."""
    from django.http import Http404, HttpResponse

    from sayembara.documents.services.bundles import published_bundle_zip

    edition = request.checked_object
    data = published_bundle_zip(edition)
    if data is None:
        raise Http404
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-bundle.zip"'
    return response


def _finalist_intervals(edition):
    if not publication_of(edition).show_rank_intervals:
        return []
    return finalist_intervals(edition)


def uji_publik_context(edition) -> dict:
    from sayembara.judging.enums import FeedbackKind

    return {"edition": edition, "uji": uji_publik_of(edition), "kinds": FeedbackKind.choices}


@requires(PUBLIC, loader=public_edition)
def uji_publik(request, slug):
    return render(request, "public/uji_publik.html",
                  uji_publik_context(request.checked_object) | {"form": {}})


@requires(PUBLIC)
def catalogue(request):
    params = request.GET
    filters = CatalogueFilters(
        q=params.get("q", "").strip()[:100], category=params.get("kategori", ""),
        region=params.get("wilayah", ""),
        year=int_param(params, "tahun", what=_("year"), digits=4),
        kind=params.get("jenis", ""), award=params.get("penghargaan", ""),
    )
    from sayembara.documents.selectors.public import catalogue as find

    page = Paginator(find(filters), 24).get_page(params.get("hal"))
    query = params.copy()
    query.pop("hal", None)
    return render(request, "public/catalogue.html", {
        "page": page, "filters": filters, "choices": catalogue_choices(),
        "query": query.urlencode(),
    })


@requires(PUBLIC, loader=public_entry)
def entry_detail(request, pk):
    entry = request.checked_object
    voter_id = current_voter_id(request)
    comments = entry.comments.filter(status=CommentStatus.PUBLISHED).order_by("created_at")
    publication = publication_of(entry.edition)
    final = getattr(entry, "final", None) if publication.results_published_at else None
    return render(request, "public/entry.html", {
        "entry": entry, "comments": comments, "final": final,
        "voter_id": voter_id, "voter_name": _voter_name(voter_id), "went_on": went_on(entry),
        "open_ballot": _open_ballot_of(entry),
    })


def _open_ballot_of(entry):
    """The favourite vote open now in which the entry is a candidate, or None."""
    from sayembara.voting.models import Ballot

    now = timezone.now()
    return Ballot.objects.filter(edition_id=entry.edition_id, candidates__entry=entry,
                                 opens_at__lte=now, closes_at__gt=now).first()


def _voter_name(voter_id: int | None) -> str:
    """The name the voter gave last, to fill in the comment form again."""
    from sayembara.voting.models import Voter

    if voter_id is None:
        return ""
    return Voter.objects.filter(pk=voter_id).values_list("display_name", flat=True).first() or ""


def went_on(entry):
    """The next level's competitions that accepted the entry, where the public sees them."""
    from sayembara.competitions.enums import EditionStatus
    from sayembara.entries.enums import ReferralStatus
    from sayembara.entries.models import Referral

    return list(Referral.objects.filter(entry=entry, status=ReferralStatus.ACCEPTED)
                .exclude(to_edition__status=EditionStatus.DRAFT)
                .select_related("to_edition", "to_edition__organiser")
                .order_by("decided_at"))


@requires(PUBLIC)
def certificate_lookup(request):
    code = request.GET.get("kode", "").strip()
    if code and normalise_code(code) is not None:
        return redirect("public:certificate", code=normalise_code(code))
    if code:
        return certificate(request, code)
    return render(request, "public/certificate_lookup.html", {})


@requires(PUBLIC)
def certificate(request, code):
    from sayembara.documents.selectors.public import public_editions, public_entries

    found = find_certificate(code)
    status = 200 if found else 404
    return render(request, "public/certificate.html", {
        "certificate": found, "code": code[:40],
        # Where the reader goes on from a valid certificate: the innovation's public page and
        # the edition's results, when the public may open them.
        "entry_is_public": found is not None
        and public_entries().filter(pk=found.entry_id).exists(),
        "edition_is_public": found is not None
        and public_editions().filter(pk=found.edition_id).exists(),
        "words": entry_words(template_of(found.edition)) if found else None,
        "well_formed": normalise_code(code) is not None,
    }, status=status)
