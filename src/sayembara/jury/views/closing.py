"""Stage results: the leaderboard and the chair's consolidation, closing a stage with the
proposed list, overrides with a reason (penetapan), confirmation; the final results and the
uji publik rulings."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sayembara.common.params import is_plain_int
from sayembara.common.permissions import requires
from sayembara.common.redirects import safe_next
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.services.editions import template_of
from sayembara.entries.downloads import private_file_response
from sayembara.entries.models import Entry
from sayembara.judging.enums import FeedbackKind, RulingOutcome
from sayembara.judging.selectors.board import decisions_of, stage_board
from sayembara.judging.selectors.progress import (
    progress_by_entry,
    progress_by_judge,
)
from sayembara.judging.selectors.results import (
    final_results,
    final_ties,
    objections_of,
    special_ties,
    tie_orders_of,
)
from sayembara.judging.selectors.sheets import others_visible
from sayembara.judging.services.assignments import stage_waiting
from sayembara.judging.services.closing import (
    close_stage,
    confirm_stage,
    decide_entry,
    open_stage,
    recompute_stage,
    record_tie_order,
    unsubmitted_sheets,
)
from sayembara.judging.services.compute import compute_stage_results
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.public import (
    attachment_type,
    rule_on_feedback,
    set_uji_publik_dates,
    uji_publik_window,
)
from sayembara.jury.forms import RulingForm, UjiPublikDatesForm
from sayembara.jury.loaders import edition_by_slug, feedback_by_pk, stage_by_key


def _board_context(request, stage):
    board = stage_board(stage=stage, category_key=request.GET.get("kategori"),
                        page_number=request.GET.get("halaman", 1))
    return {"stage": stage, "edition": stage.edition, "board": board}


@requires("judging.view_consolidation", loader=stage_by_key)
def stage_results(request, slug, stage_key):
    """Every score side by side with the engine's figures, close-to-cut entries marked."""
    stage = request.checked_object
    manager = request.user.has_perm("judging.manage_jury", stage)
    if not manager and stage.status == StageStatus.PENDING:
        # The chair of a stage not opened yet: when it opens, and what will be here then.
        return render(request, "jury/stage_results.html", {
            "stage": stage, "edition": stage.edition, "manager": False, "not_open": True})
    if not manager and not others_visible(stage):
        # The chair of a stage still open: the progress of the sheets, not yet the scores.
        return render(request, "jury/stage_results.html", {
            "stage": stage, "edition": stage.edition, "manager": False, "progress_only": True,
            "by_judge": progress_by_judge(stage), "by_entry": progress_by_entry(stage)})
    context = _board_context(request, stage)
    context["manager"] = manager
    return render(request, "jury/stage_results.html", context)


@requires("judging.manage_jury", loader=stage_by_key)
@require_POST
def stage_compute(request, slug, stage_key):
    """Run the engine now (a preview while the stage is open; after closing, a recount)."""
    stage = request.checked_object
    try:
        if stage.status == StageStatus.CLOSED:
            recompute_stage(stage=stage, actor=request.user)
        else:
            compute_stage_results(stage=stage, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The results are computed."))
    return redirect("jury:stage_results", slug=slug, stage_key=stage.key)


@requires("judging.manage_jury", loader=stage_by_key)
@require_POST
def stage_open(request, slug, stage_key):
    stage = request.checked_object
    try:
        open_stage(stage=stage, actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(stage)s is open for scoring.") % {"stage": stage.name})
    return redirect("jury:manage", slug=slug)


@requires("judging.manage_jury", loader=stage_by_key)
def stage_close(request, slug, stage_key):
    """Close the stage (GET shows what closing means), then the proposed list with an
    override per entry and the confirmation."""
    stage = request.checked_object
    posted = {}
    if request.method == "POST" and stage.status != StageStatus.CLOSED:
        posted = {"allow_incomplete": bool(request.POST.get("allow_incomplete")),
                  "fewer_judges": bool(request.POST.get("fewer_judges")),
                  "fewer_judges_reason": request.POST.get("fewer_judges_reason", "")}
        try:
            close_stage(stage=stage, actor=request.user,
                        allow_incomplete=posted["allow_incomplete"],
                        fewer_judges_reason=posted["fewer_judges_reason"]
                        if posted["fewer_judges"] else None)
        except JudgingError as error:
            # Shown again with what was ticked and written, and the refusal above it.
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(stage)s is closed. Check the proposed list, decide "
                                        "where the rules are not enough, then confirm.")
                             % {"stage": stage.name})
            return redirect("jury:stage_close", slug=slug, stage_key=stage.key)
    context = _board_context(request, stage)
    still_open = stage.status != StageStatus.CLOSED
    waiting = stage_waiting(stage) if still_open else []
    by_entry = progress_by_entry(stage)
    context.update({
        "unsubmitted": unsubmitted_sheets(stage) if still_open else 0,
        "waiting": waiting, "needs_extra": any(w.extra_judge for w in waiting),
        "short": [row for row in by_entry if row.short] if still_open else [],
        "recusals": [row for row in by_entry if row.recused],
        "decisions": decisions_of(stage), "manager": True, "posted": posted,
        "specials": special_ties(stage.edition)
        if (context["board"].closing and
            (context["board"].closing.summary or {}).get("special_open_ties")) else [],
    })
    return render(request, "jury/stage_close.html", context)


@requires("judging.manage_jury", loader=stage_by_key)
@require_POST
def stage_decide(request, slug, stage_key):
    stage = request.checked_object
    entry = Entry.objects.filter(pk=request.POST.get("entry") or 0,
                                 edition_id=stage.edition_id).first()
    if entry is None:
        raise Http404
    try:
        decide_entry(stage=stage, entry=entry, decision=request.POST.get("decision", ""),
                     reason=request.POST.get("reason", ""), actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The decision on %(entry)s is recorded and the list is "
                                    "recomputed.") % {"entry": entry.code})
    return redirect(safe_next(request, reverse("jury:stage_close",
                                               kwargs={"slug": slug, "stage_key": stage.key})))


@requires("judging.manage_jury", loader=stage_by_key)
@require_POST
def stage_confirm(request, slug, stage_key):
    stage = request.checked_object
    try:
        confirm_stage(stage=stage, actor=request.user, notes=request.POST.get("notes", ""))
    except JudgingError as error:
        messages.error(request, error.message)
        return redirect("jury:stage_close", slug=slug, stage_key=stage.key)
    messages.success(request, _("The list of %(stage)s is confirmed; participants are being "
                                "told by e-mail.") % {"stage": stage.name})
    return redirect("jury:manage", slug=slug)


@requires("judging.view_stage_results", loader=edition_by_slug)
def results(request, slug):
    edition = request.checked_object
    from sayembara.judging.selectors.results import rulings_for_results

    groups = final_results(edition)
    return render(request, "jury/final_results.html", {
        "edition": edition, "groups": groups, "computed": any(g.rows for g in groups),
        "stages": edition.stages.order_by("order"),
        "rulings": rulings_for_results(edition),
        "ties": final_ties(edition), "specials": special_ties(edition),
        "can_order": request.user.has_perm("judging.manage_jury", edition)})


@requires("judging.manage_jury", loader=edition_by_slug)
def final_tie(request, slug):
    """The jury's order for entries the tie-break chain left tied in the final ranking or
    across the last place of a special award: a place for each and the reason; the engine
    then places them by it."""
    edition = request.checked_object
    ties = final_ties(edition)
    specials = special_ties(edition)
    typed: dict[str, str] = {}
    reason = ""
    error = None
    ranking = "final"
    if request.method == "POST":
        ranking = request.POST.get("ranking", "final")
        if ranking == "final":
            members = {str(r.entry_id) for tie in ties for r in tie}
        else:
            members = {str(r.entry_id) for tie in specials if tie.award == ranking
                       for r in tie.rows}
        chosen = [x for x in request.POST.getlist("entry") if x in members]
        typed = {x: request.POST.get(f"order-{x}", "").strip() for x in chosen}
        reason = request.POST.get("reason", "")
        orders = {int(x): int(text) for x, text in typed.items() if is_plain_int(text, digits=4)}
        try:
            if not members:
                raise JudgingError(_("No tie of this ranking waits for the jury's order."))
            if len(orders) != len(typed):
                raise JudgingError(_("Write each place as a whole number: 1, 2, 3..."))
            record_tie_order(edition=edition, orders=orders, reason=reason, actor=request.user,
                             ranking=ranking)
        except JudgingError as exc:
            error = exc.message
        else:
            messages.success(request, _("The jury's order is recorded and the final ranking "
                                        "is recomputed."))
            return redirect("jury:final_results", slug=slug)
    names = {award.id: award.name for award in template_of(edition).awards.special}
    return render(request, "jury/final_tie.html", {
        "edition": edition, "ties": ties, "specials": specials, "typed": typed,
        "reason": reason, "error": error, "ranking": ranking,
        "orders": [(names.get(o.ranking, o.ranking) if o.ranking != "final" else
                    _("Final ranking"), o)
                   for o in tie_orders_of(edition)]}, status=400 if error else 200)


@requires("judging.manage_jury", loader=edition_by_slug)
def objections(request, slug):
    """What the public sent during the uji publik, and the window's days (set here)."""
    edition = request.checked_object
    form = UjiPublikDatesForm(request.POST or None, initial={
        "opens_on": edition.uji_publik_opens_on, "closes_on": edition.uji_publik_closes_on})
    if request.method == "POST" and form.is_valid():
        try:
            set_uji_publik_dates(edition=edition, opens_on=form.cleaned_data["opens_on"],
                                 closes_on=form.cleaned_data["closes_on"], actor=request.user)
        except JudgingError as error:
            for field, problem in (error.problems or {}).items():
                form.add_error(field, problem)
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The days of the uji publik are saved."))
            return redirect("jury:objections", slug=slug)
    return render(request, "jury/objections.html", {
        "edition": edition, "window": uji_publik_window(edition), "form": form,
        "objections": objections_of(edition)})


@requires("judging.manage_jury", loader=feedback_by_pk)
def objection_attachment(request, pk):
    """The file sent with support or an objection, for the organiser only (never from the
    web root; shown when it is a PDF or an image, otherwise downloaded)."""
    feedback = request.checked_object
    if not feedback.attachment:
        raise Http404
    file_type = attachment_type(feedback)
    filename = f"uji-publik-{feedback.entry.code}-{feedback.pk}.{file_type or 'bin'}"
    return private_file_response(feedback.attachment, file_type=file_type, filename=filename,
                                 download=request.GET.get("unduh") is not None)


@requires("judging.manage_jury", loader=feedback_by_pk)
def ruling(request, pk):
    feedback = request.checked_object
    if feedback.kind == FeedbackKind.OBJECTION:
        outcomes = [(RulingOutcome.UPHELD, RulingOutcome.UPHELD.label),
                    (RulingOutcome.DISMISSED, RulingOutcome.DISMISSED.label)]
    else:
        outcomes = [(RulingOutcome.NOTED, RulingOutcome.NOTED.label)]
    form = RulingForm(request.POST or None, outcomes=outcomes,
                      initial={"outcome": feedback.outcome, "ruling": feedback.ruling})
    if request.method == "POST" and form.is_valid():
        try:
            rule_on_feedback(feedback=feedback, outcome=form.cleaned_data["outcome"],
                             ruling=form.cleaned_data["ruling"], actor=request.user)
        except JudgingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The ruling is recorded."))
            return redirect("jury:objections", slug=feedback.edition.slug)
    return render(request, "jury/ruling.html", {"feedback": feedback, "form": form})
