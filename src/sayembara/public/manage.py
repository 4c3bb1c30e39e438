"""Organiser pages of the public side (permission competitions.manage_edition)."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sayembara.common.permissions import requires
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.services.status import EditionStatusError, step_problems
from sayembara.documents.models import CertificateBatch
from sayembara.documents.services import chart_pages, papers
from sayembara.documents.services.certificates import (
    DesignError,
    awards_of,
    check_design,
    design_for,
    preview_pdf,
    start_generation,
)
from sayembara.documents.services.publication import (
    newly_public,
    publication_of,
    update_publication,
)
from sayembara.public.forms import BallotForm, CertificateDesignForm, PublicationForm
from sayembara.public.loaders import (
    managed_batch_edition,
    managed_comment_edition,
    managed_edition,
    managed_stage_edition,
)
from sayembara.voting.enums import CommentStatus
from sayembara.voting.errors import Refused
from sayembara.voting.models import Ballot, Comment
from sayembara.voting.selectors.votes import anomaly_report, vote_counts
from sayembara.voting.services.ballots import create_ballot, is_frozen, update_ballot
from sayembara.voting.services.comments import moderate_comment
from sayembara.voting.services.votes import record_tally, void_votes

MANAGE = "competitions.manage_edition"


def _pdf(data: bytes, name: str, *, inline: bool = True) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    return response


@requires(MANAGE, loader=managed_edition)
def hub(request, slug):
    edition = request.checked_object
    publication = publication_of(edition)
    if request.method == "POST":
        form = PublicationForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            made_public = newly_public(edition, publication, data)
            if made_public and request.POST.get("confirmed") != "1":
                problems = (step_problems(edition, EditionStatus.PUBLISHED)
                            if data["publish_results"] else [])
                if problems:
                    form.add_error("publish_results", _(
                        "%(edition)s cannot move to “%(target)s” yet.") % {
                            "edition": edition.title, "target": EditionStatus.PUBLISHED.label}
                        + " " + " ".join(problems))
                else:
                    return render(request, "public/manage/publication_confirm.html", {
                        "edition": edition, "form": form, "made_public": made_public})
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_publication(edition=edition, actor=request.user,
                                   breakdown=data["breakdown"],
                                   show_rank_intervals=data["show_rank_intervals"],
                                   publish_finalists=data["publish_finalists"],
                                   publish_results=data["publish_results"])
            except EditionStatusError as error:
                form.add_error("publish_results", str(error))
            else:
                messages.success(request, _("The publication settings are saved."))
                return redirect("public:manage", slug=slug)
    else:
        form = PublicationForm(initial={
            "breakdown": publication.breakdown,
            "show_rank_intervals": publication.show_rank_intervals,
            "publish_finalists": publication.finalists_published_at is not None,
            "publish_results": publication.results_published_at is not None,
        })
    return render(request, "public/manage/hub.html", {
        "edition": edition, "form": form, "publication": publication,
        "stages": edition.stages.order_by("order"),
        "ballot": Ballot.objects.filter(edition=edition).first(),
        "pending_comments": Comment.objects.filter(entry__edition=edition,
                                                   status=CommentStatus.PENDING).count(),
    })


@requires(MANAGE, loader=managed_edition)
def ballot_settings(request, slug):
    edition = request.checked_object
    ballot = Ballot.objects.filter(edition=edition).first()
    error = None
    if request.method == "POST" and request.POST.get("action") == "tally" and ballot:
        record_tally(ballot=ballot, actor=request.user)
        messages.success(request, _("The votes are counted and the count is logged."))
        return redirect("public:manage_ballot", slug=slug)
    if request.method == "POST" and request.POST.get("action") == "create" and ballot is None:
        try:
            create_ballot(edition=edition, actor=request.user)
            messages.success(request, _("The favourite vote is set up from the template."))
            return redirect("public:manage_ballot", slug=slug)
        except Refused as refused:
            error = refused.message
    form = None
    if ballot is not None:
        initial = {name: getattr(ballot, name) for name in BallotForm.base_fields}
        form = BallotForm(request.POST if request.POST.get("action") == "update" else None,
                          initial=initial)
        # The organiser types the opening and closing times in the edition's own zone, as
        # the page shows them.
        with timezone.override(edition.zoneinfo):
            valid = form.is_bound and form.is_valid()
        if valid:
            try:
                update_ballot(ballot=ballot, actor=request.user, **form.cleaned_data)
                messages.success(request, _("The favourite vote is updated."))
                return redirect("public:manage_ballot", slug=slug)
            except Refused as refused:
                error = refused.message
    counts = vote_counts(ballot) if ballot else {}
    candidates = list(ballot.candidates.select_related("entry", "entry__category")) \
        if ballot else []
    return render(request, "public/manage/ballot.html", {
        "edition": edition, "ballot": ballot, "form": form, "error": error,
        "frozen": bool(ballot and is_frozen(ballot)),
        "rows": [{"entry": c.entry, "votes": counts.get(c.entry_id, 0)} for c in candidates],
        "tally": ballot.tallies.order_by("-counted_at").first() if ballot else None,
    })


@requires(MANAGE, loader=managed_edition)
def anomalies(request, slug):
    edition = request.checked_object
    ballot = get_object_or_404(Ballot, edition=edition)
    error = None
    if request.method == "POST":
        try:
            count = void_votes(ballot=ballot, actor=request.user,
                               network=request.POST.get("network", ""),
                               reason=request.POST.get("reason", ""))
            messages.success(request, ngettext("%(count)s vote is voided.",
                                               "%(count)s votes are voided.", count)
                             % {"count": count})
            return redirect("public:anomalies", slug=slug)
        except Refused as refused:
            error = refused.message
    return render(request, "public/manage/anomalies.html", {
        "edition": edition, "ballot": ballot, "report": anomaly_report(ballot), "error": error,
    })


@requires(MANAGE, loader=managed_edition)
def moderation(request, slug):
    edition = request.checked_object
    status = request.GET.get("status", CommentStatus.PENDING)
    if status not in CommentStatus.values:
        status = CommentStatus.PENDING
    comments = (Comment.objects.filter(entry__edition=edition, status=status)
                .select_related("entry", "voter").order_by("created_at")[:200])
    return render(request, "public/manage/moderation.html", {
        "edition": edition, "comments": comments, "status": status,
        "statuses": CommentStatus.choices,
    })


@requires(MANAGE, loader=managed_comment_edition)
@require_POST
def moderate(request, slug, pk):
    edition = request.checked_object
    comment = get_object_or_404(Comment.objects.select_related("entry"), pk=pk,
                                entry__edition=edition)
    try:
        moderate_comment(comment=comment, actor=request.user,
                         publish=request.POST.get("decision") == "publish",
                         reason=request.POST.get("reason", ""))
        messages.success(request, _("The comment is moderated."))
    except Refused as refused:
        messages.error(request, refused.message)
    return redirect("public:moderation", slug=slug)


@requires(MANAGE, loader=managed_edition)
def certificates(request, slug):
    edition = request.checked_object
    design = design_for(edition)
    problems: list[str] = []
    if request.method == "POST" and request.POST.get("action") == "generate":
        try:
            start_generation(edition=edition, actor=request.user)
            messages.success(request, _("Generation has started."))
            return redirect("public:certificates", slug=slug)
        except DesignError as error:
            problems = error.problems
        form = CertificateDesignForm(instance=design)
    elif request.method == "POST":
        form = CertificateDesignForm(request.POST, request.FILES, instance=design)
        if form.is_valid():
            form.save()
            from sayembara.common.services.audit import record_event

            record_event(actor=request.user, action="certificates.design_changed", obj=design,
                         edition_id=edition.pk, after={"fields": form.changed_data})
            messages.success(request, _("The design is saved."))
            return redirect("public:certificates", slug=slug)
    else:
        form = CertificateDesignForm(instance=design)
    if not problems:
        problems = check_design(design)[0]
    batch = CertificateBatch.objects.filter(edition=edition).first()
    return render(request, "public/manage/certificates.html", {
        "edition": edition, "form": form, "problems": problems, "batch": batch,
        "awards": len(awards_of(edition)),
        "issued": edition.certificates.filter(revoked_at__isnull=True).order_by(
            "category_name", "rank")[:500],
    })


@requires(MANAGE, loader=managed_edition)
def certificate_preview(request, slug):
    try:
        return _pdf(preview_pdf(request.checked_object), "contoh-piagam.pdf")
    except DesignError as error:
        return render(request, "public/manage/design_problems.html",
                      {"edition": request.checked_object, "problems": error.problems},
                      status=400)


@requires(MANAGE, loader=managed_batch_edition)
def batch_progress(request, slug, pk):
    batch = get_object_or_404(CertificateBatch, pk=pk, edition=request.checked_object)
    return render(request, "public/manage/batch_progress.html",
                  {"edition": request.checked_object, "batch": batch})


@requires(MANAGE, loader=managed_batch_edition)
def batch_download(request, slug, pk):
    batch = get_object_or_404(CertificateBatch, pk=pk, edition=request.checked_object)
    try:
        handle = batch.archive.open("rb") if batch.archive else None
    except FileNotFoundError:
        handle = None
    if handle is None:
        # A stale link: say what happened instead of a bare error.
        return render(request, "public/manage/batch_progress_page.html",
                      {"edition": request.checked_object, "batch": batch,
                       "missing": bool(batch.archive)})
    return FileResponse(handle, as_attachment=True, filename=f"piagam-{slug}.zip",
                        content_type="application/zip")


@requires(MANAGE, loader=managed_stage_edition)
def berita_acara(request, slug, stage):
    edition = request.checked_object
    stage_row = edition.stages.get(key=stage)
    stage_row.edition = edition
    return _pdf(papers.berita_acara_pdf(stage=stage_row, actor=request.user),
                f"berita-acara-{slug}-{stage}.pdf")


@requires(MANAGE, loader=managed_edition)
def sk_draft(request, slug):
    return _pdf(papers.sk_draft_pdf(edition=request.checked_object,
                                     actor=request.user), f"draf-sk-{slug}.pdf")


@requires(MANAGE, loader=managed_edition)
def rekap(request, slug):
    data = papers.rekap_xlsx(edition=request.checked_object)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    stamp = timezone.localtime().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="rekap-nilai-{slug}-{stamp}.xlsx"'
    return response


@requires(MANAGE, loader=managed_edition)
def charts_page(request, slug):
    edition = request.checked_object
    return render(request, "public/manage/charts.html", {
        "edition": edition, "stages": chart_pages.edition_charts(edition),
        "participation": chart_pages.participation_chart(edition.competition),
    })




@requires(MANAGE, loader=managed_edition)
def audit_integrity(request, slug):
    """The audit log's anchors: the newest signed checkpoint and the chain heads printed on
    this edition's papers and bundles, each checked against the log as it is now."""
    from sayembara.common.selectors.integrity import edition_integrity
    from sayembara.competitions.selectors.audit_trail import edition_decisions

    edition = request.checked_object
    return render(request, "public/manage/integrity.html", {
        "edition": edition, "integrity": edition_integrity(edition.pk),
        "decisions": edition_decisions(edition.pk),
    })
