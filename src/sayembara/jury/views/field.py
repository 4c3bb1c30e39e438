"""Field verification pages: the visit record of one entry and the data for the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sayembara.common.permissions import requires
from sayembara.judging.enums import FieldFinding
from sayembara.judging.models import FieldVisit, Judge
from sayembara.judging.selectors.field import minutes_data
from sayembara.judging.selectors.sheets import is_field_stage
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.field import (
    add_field_evidence,
    complete_field_visit,
    save_field_check,
    save_field_visit,
    visit_for,
)
from sayembara.jury.forms import EvidenceForm, FieldVisitForm
from sayembara.jury.loaders import field_evidence_by_pk, scoring_seat, stage_by_key


def _field_seat(request):
    seat = request.checked_object
    if not is_field_stage(seat.stage):
        raise Http404
    return seat


def _criteria(seat):
    rubric = seat.stage.rubric_for(seat.entry.category_id)
    return list(rubric.criteria.order_by("order", "key")) if rubric else []


@requires("judging.score_entry", loader=scoring_seat)
def field_visit(request, stage_id, entry_id):
    seat = _field_seat(request)
    visit = (FieldVisit.objects.filter(stage=seat.stage, entry=seat.entry)
             .prefetch_related("visitors", "checks", "evidence").first())
    judges = Judge.objects.filter(edition_id=seat.stage.edition_id,
                                  assignments__stage=seat.stage,
                                  assignments__entry=seat.entry).distinct()
    initial = {}
    if visit is not None:
        initial = {"visited_on": visit.visited_on, "place": visit.place,
                   "received_by": visit.received_by, "findings": visit.findings,
                   "visitors": list(visit.visitors.all())}
    form = FieldVisitForm(request.POST or None, initial=initial, judges=judges)
    criteria = _criteria(seat)
    checks = {c.criterion_id: c for c in visit.checks.all()} if visit else {}
    problems: dict[str, str] = {}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = save_field_visit(
                stage=seat.stage, entry=seat.entry, actor=request.user,
                visited_on=data["visited_on"], place=data["place"],
                received_by=data["received_by"], findings=data["findings"],
                visitors=list(data["visitors"]),
            )
            for criterion in criteria:
                finding = request.POST.get(f"finding-{criterion.key}", "")
                if not finding:
                    continue
                try:
                    save_field_check(visit=visit, criterion_key=criterion.key, finding=finding,
                                     note=request.POST.get(f"note-{criterion.key}", ""),
                                     actor=request.user)
                except JudgingError as error:
                    problems[criterion.key] = error.message
            if request.POST.get("complete") and not problems:
                complete_field_visit(visit=visit, actor=request.user)
        except JudgingError as error:
            messages.error(request, error.message)
        else:
            if not problems:
                messages.success(request, _("The visit record is saved."))
                return redirect(request.path)
    rows = [{"criterion": c, "check": checks.get(c.pk), "problem": problems.get(c.key, ""),
             "posted_finding": request.POST.get(f"finding-{c.key}"),
             "posted_note": request.POST.get(f"note-{c.key}")} for c in criteria]
    return render(request, "jury/field_visit.html", {
        "seat": seat, "visit": visit, "form": form, "rows": rows,
        "findings": FieldFinding.choices,
        "evidence_form": EvidenceForm(criteria=[(c.key, c.name) for c in criteria]),
    })


@requires("judging.score_entry", loader=scoring_seat)
@require_POST
def field_evidence(request, stage_id, entry_id):
    seat = _field_seat(request)
    criteria = _criteria(seat)
    form = EvidenceForm(request.POST, request.FILES,
                        criteria=[(c.key, c.name) for c in criteria])
    if not form.is_valid():
        messages.error(request, _("Choose the photo or document to upload."))
        return redirect("jury:field_visit", stage_id=stage_id, entry_id=entry_id)
    try:
        add_field_evidence(visit=visit_for(stage=seat.stage, entry=seat.entry),
                           upload=form.cleaned_data["file"], actor=request.user,
                           caption=form.cleaned_data["caption"],
                           criterion_key=form.cleaned_data["criterion"])
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The evidence is kept with the visit record."))
    return redirect("jury:field_visit", stage_id=stage_id, entry_id=entry_id)


@requires("judging.view_field_evidence", loader=field_evidence_by_pk)
def field_evidence_file(request, pk):
    """A photo or document of a field visit, for the entry's judges and the secretariat
    (never from the web root): shown when its content is a PDF or an image, else
    downloaded."""
    from sayembara.entries.downloads import private_file_response
    from sayembara.entries.validators import INLINE_TYPES, sniff_file

    evidence = request.checked_object
    try:
        with evidence.file.open("rb") as handle:
            file_type = sniff_file(handle).file_type
    except (FileNotFoundError, ValueError) as error:
        raise Http404 from error
    file_type = file_type if file_type in INLINE_TYPES else None
    name = f"lapangan-{evidence.entry.code}-{evidence.pk}.{file_type or 'bin'}".lower()
    return private_file_response(evidence.file, file_type=file_type, filename=name,
                                 download=request.GET.get("unduh") is not None)


@requires("judging.manage_jury", loader=stage_by_key)
def field_minutes(request, slug, stage_key):
    """The data of the signed minutes (berita acara) of the stage's field visits."""
    stage = request.checked_object
    return render(request, "jury/field_minutes.html", {"stage": stage,
                                                       "visits": minutes_data(stage)})
