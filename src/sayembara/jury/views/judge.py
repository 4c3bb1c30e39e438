"""The judge's pages: assignments, integrity pledge, scoring, conflicts, field visits."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sayembara.common.params import int_param, shown
from sayembara.common.permissions import PUBLIC, requires
from sayembara.common.redirects import safe_next
from sayembara.competitions.enums import StageStatus
from sayembara.judging.models import Judge
from sayembara.judging.selectors.assignments import work_of_user
from sayembara.judging.selectors.rubrics import CriterionSpec, criterion_specs
from sayembara.judging.selectors.sheets import saved_total, sheet_page
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.invitations import accept_invitation, invitation_from_token
from sayembara.judging.services.judges import accept_pledge
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from sayembara.jury.forms import ConflictForm, PledgeForm
from sayembara.jury.loaders import edition_by_slug, scoring_seat, sheet_by_pk

#: Rows of each stage listed on the assignments page; the rest is one click away.
HOME_ROWS = 50
STAGE_ROWS = 100


@requires("judging.view_own_assignments")
def home(request):
    """The judge's entries, stage by stage: open stages first, sheets still to do first;
    closed stages folded away."""
    focus = int_param(request.GET, "tahap", what=_("stage number"))
    page = max(1, int_param(request.GET, "halaman", what=_("page number"), digits=6,
                            default=1))
    if focus is not None:
        work = work_of_user(request.user, stage_id=focus, count=STAGE_ROWS,
                            offset=(page - 1) * STAGE_ROWS)
    else:
        work = work_of_user(request.user, count=HOME_ROWS)
    pledges = list(Judge.objects.filter(user=request.user, pledge_accepted_at__isnull=True)
                   .select_related("edition"))
    closed = [group for group in work if group.stage.status == StageStatus.CLOSED]
    current = [group for group in work if group.stage.status != StageStatus.CLOSED]
    return render(request, "jury/home.html", {"current": current, "closed": closed,
                                              # the chair's comparisons of the closed
                                              # stages, reachable without unfolding them
                                              "chaired_closed": [g for g in closed if g.chair],
                                              "pledges": pledges, "now": timezone.now(),
                                              "focus": focus is not None, "page": page,
                                              "stage_rows": STAGE_ROWS})


@requires("judging.take_pledge", loader=edition_by_slug)
def pledge(request, slug):
    edition = request.checked_object
    judge = Judge.objects.filter(edition=edition, user=request.user).first()
    if judge is None:
        from django.http import Http404

        raise Http404
    form = PledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        accept_pledge(judge=judge, actor=request.user)
        messages.success(request, _("Thank you. The integrity pledge is recorded; you can now "
                                    "score your entries."))
        return redirect(safe_next(request, reverse("jury:home")))
    return render(request, "jury/pledge.html", {"edition": edition, "judge": judge,
                                                "form": form})


# -- the score sheet ---------------------------------------------------------------------------


def values_from_post(post: Any, specs: list[CriterionSpec], *, only_present: bool
                     ) -> tuple[dict[str, Any], dict[str, str]]:
    """Scores and comments by criterion key from a posted sheet form.

    Numbers come as ``score-<key>``, ticked checklist items as ``check-<key>`` (with a
    ``checklist-<key>`` marker, since unticked boxes are not posted), comments as
    ``comment-<key>``. With ``only_present`` only fields in the request are returned
    (autosave of one field); otherwise every criterion is.
    """
    values: dict[str, Any] = {}
    comments: dict[str, str] = {}
    for spec in specs:
        key = spec.key
        if spec.kind == "checklist":
            if f"checklist-{key}" in post or not only_present:
                values[key] = post.getlist(f"check-{key}") if f"checklist-{key}" in post \
                    else None
        elif f"score-{key}" in post or not only_present:
            values[key] = post.get(f"score-{key}", "")
        if f"comment-{key}" in post:
            comments[key] = post.get(f"comment-{key}", "")
    return values, comments


def _version(post: Any) -> int | None:
    """The sheet version the form was loaded with (None when the form sends none)."""
    if not post.get("version", ""):
        return None
    return int_param(post, "version", what=_("sheet version (reload the page)"))


def _editor(post: Any) -> str:
    """The token of the page that sent a save (see ``ScoreSheet.last_editor``)."""
    raw = str(post.get("editor", ""))
    return raw if raw.isalnum() and len(raw) <= 32 else ""


def back_to_list(stage, entry) -> str:
    """The judge's list, scrolled to the entry's row in its stage (where the judge was: the
    rows still to do are just above it)."""
    return f"{reverse('jury:home')}#entri-{stage.pk}-{entry.pk}"


def _specs(seat) -> list[CriterionSpec]:
    rubric = seat.stage.rubric_for(seat.entry.category_id)
    return criterion_specs(stage=seat.stage, rubric=rubric) if rubric else []


def _render_sheet(request, seat, *, posted=None, problems=None, error="", status=200):
    page = sheet_page(stage=seat.stage, judge=seat.judge, entry=seat.entry)
    posted = posted or {}
    for row in page.rows:
        value = posted.get(row.spec.key)
        # What was typed comes back, but never a million digits of it.
        row.posted = shown(value) if isinstance(value, str) else value
        row.problem = (problems or {}).get(row.spec.key, "")
    return render(request, "jury/sheet.html", {"page": page, "error": error,
                                               "problems": problems or {},
                                               "editor": secrets.token_hex(8),
                                               "back_url": back_to_list(seat.stage, seat.entry)},
                  status=status)


def _save_posted(request, seat, *, only_present: bool):
    """Save what the form posted as a draft; returns (sheet, values posted)."""
    values, comments = values_from_post(request.POST, _specs(seat), only_present=only_present)
    sheet = save_sheet(stage=seat.stage, judge=seat.judge, entry=seat.entry, values=values,
                       comments=comments, actor=request.user,
                       expected_version=_version(request.POST),
                       overall_comment=request.POST.get("overall_comment"),
                       editor=_editor(request.POST))
    return sheet, values


@requires("judging.score_entry", loader=scoring_seat)
def sheet(request, stage_id, entry_id):
    """The scoring page. POST saves the whole form as a draft (without JavaScript)."""
    seat = request.checked_object
    if request.method != "POST":
        return _render_sheet(request, seat)
    try:
        _save_posted(request, seat, only_present=False)
    except JudgingError as error:
        values, _comments = values_from_post(request.POST, _specs(seat), only_present=False)
        return _render_sheet(request, seat, posted=values, problems=error.problems,
                             error=error.message, status=422)
    messages.success(request, _("The draft is saved. Submit it when every score is final."))
    return redirect(request.path)


@requires("judging.score_entry", loader=scoring_seat)
@require_POST
def sheet_autosave(request, stage_id, entry_id):
    """Save the fields posted (htmx); answers a small status with the new version."""
    seat = request.checked_object
    values, comments = values_from_post(request.POST, _specs(seat), only_present=True)
    keys = list(dict.fromkeys([*values, *comments]))
    context = {"keys": keys, "problems": {}, "error": "", "sheet": None,
               "edition": seat.stage.edition}
    try:
        context["sheet"], _values = _save_posted(request, seat, only_present=True)
    except JudgingError as error:
        context.update(error=error.message, problems=error.problems)
        context["version"] = _version(request.POST)
        return render(request, "jury/_save_status.html", context, status=200)
    context["version"] = context["sheet"].version
    context["total"] = saved_total(context["sheet"])
    return render(request, "jury/_save_status.html", context)


@requires("judging.score_entry", loader=scoring_seat)
@require_POST
def sheet_submit(request, stage_id, entry_id):
    """Save what the form holds, then ask for confirmation (a page naming the entry and the
    stage, when the page's dialog did not ask already) and submit the sheet, which locks it.

    A save that changes nothing is not refused for an older version (see ``save_sheet``),
    so submitting right after typing, while the last autosave is still on its way, works.
    """
    seat = request.checked_object
    try:
        sheet_obj, values = _save_posted(request, seat, only_present=True)
        if request.POST.get("confirmed") != "1":
            return render(request, "jury/sheet_confirm.html",
                          {"seat": seat, "version": sheet_obj.version,
                           "page": sheet_page(stage=seat.stage, judge=seat.judge,
                                              entry=seat.entry),
                           "editor": _editor(request.POST),
                           "back_url": back_to_list(seat.stage, seat.entry)})
        submit_sheet(stage=seat.stage, judge=seat.judge, entry=seat.entry, actor=request.user,
                     expected_version=sheet_obj.version, editor=_editor(request.POST))
    except JudgingError as error:
        values, _comments = values_from_post(request.POST, _specs(seat), only_present=True)
        return _render_sheet(request, seat, posted=values, problems=error.problems,
                             error=error.message, status=422)
    messages.success(request, _("Your scores for %(entry)s at %(stage)s are submitted and "
                                "locked.") % {"entry": seat.entry.code, "stage": seat.stage.name})
    return redirect(back_to_list(seat.stage, seat.entry))


@requires("judging.score_entry", loader=scoring_seat)
def conflict_declare(request, stage_id, entry_id):
    seat = request.checked_object
    form = ConflictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declare_conflict(judge=seat.judge, entry=seat.entry,
                             reason=form.cleaned_data["reason"], actor=request.user)
        except JudgingError as error:
            form.add_error("reason", error.message)
        else:
            if seat.stage.whole_panel:
                messages.success(request, _(
                    "The conflict of interest is recorded and you recuse from %(entry)s at "
                    "%(stage)s: the other panel members score it.")
                    % {"entry": seat.entry.code, "stage": seat.stage.name})
            else:
                messages.success(request, _(
                    "The conflict of interest is recorded and the entry is withdrawn from "
                    "your list. The secretariat will give it to another judge."))
            return redirect("jury:home")
    return render(request, "jury/conflict.html", {"seat": seat, "form": form})


@requires("judging.view_sheet", loader=sheet_by_pk)
def sheet_detail(request, pk):
    """A sheet read-only, for its judge and the secretariat (404 for anyone else)."""
    sheet_obj = request.checked_object
    page = sheet_page(stage=sheet_obj.stage, judge=sheet_obj.judge, entry=sheet_obj.entry)
    corrections = list(
        sheet_obj.scores.filter(corrections__isnull=False)
        .values("criterion__name", "corrections__old_value", "corrections__new_value",
                "corrections__reason", "corrections__created_at")
        .order_by("corrections__created_at")
    )
    return render(request, "jury/sheet_detail.html",
                  {"page": page, "sheet": sheet_obj, "corrections": corrections,
                   "manager": request.user.has_perm("judging.manage_jury", sheet_obj)})


# -- invitations -------------------------------------------------------------------------------


@requires(PUBLIC)
def invitation(request, token):
    """The link in the invitation e-mail: accept, and choose a password if there is none."""
    from django.contrib.auth.forms import SetPasswordForm

    invite = invitation_from_token(token)
    if invite is None:
        return render(request, "jury/invitation.html", {"invalid": True}, status=404)
    user = invite.judge.user
    needs_password = not user.has_usable_password()
    form = SetPasswordForm(user, request.POST or None) if needs_password else None
    if request.method == "POST" and (form is None or form.is_valid()):
        accept_invitation(invitation=invite, actor=user,
                          password=form.cleaned_data["new_password1"] if form else "")
        if needs_password:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("jury:pledge", slug=invite.judge.edition.slug)
        messages.success(request, _("The invitation is accepted. Sign in to see your entries."))
        return redirect("accounts:login")
    return render(request, "jury/invitation.html", {"invite": invite, "form": form})


