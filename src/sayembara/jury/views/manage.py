"""The secretariat's pages: judges and invitations, conflicts, panels and assignments,
progress and reminders, corrections, the presentation schedule."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from sayembara.accounts.enums import Role
from sayembara.common.params import is_plain_int
from sayembara.common.permissions import requires
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry, Institution
from sayembara.judging.enums import JuryRole
from sayembara.judging.models import (
    Assignment,
    Conflict,
    Invitation,
    Judge,
    Panel,
    PanelMember,
)
from sayembara.judging.selectors.jury import judge_scores_at, stage_entries, stage_judges
from sayembara.judging.selectors.progress import progress_by_entry, progress_by_judge
from sayembara.judging.selectors.schedule import stage_schedule
from sayembara.judging.selectors.sheets import is_field_stage
from sayembara.judging.services.assignments import (
    assign,
    assign_balanced,
    assign_everyone,
    stage_waiting,
    unassign,
)
from sayembara.judging.services.conflicts import declare_conflict, record_automatic_conflicts
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.invitations import invite_judge
from sayembara.judging.services.judges import add_judge
from sayembara.judging.services.panels import (
    add_panel_member,
    create_panel,
    materialise_panels,
    remove_panel_member,
)
from sayembara.judging.services.reminders import remind_judges
from sayembara.judging.services.schedule import schedule_stage, slot_lengths
from sayembara.judging.services.sheets import correct_score
from sayembara.jury.forms import (
    AutoAssignForm,
    CorrectionForm,
    JudgeForm,
    ManualAssignForm,
    PanelMemberForm,
    ScheduleForm,
    SetConflictForm,
)
from sayembara.jury.loaders import edition_by_slug, sheet_by_pk, stage_by_key


@requires("judging.manage_jury", loader=edition_by_slug)
def manage(request, slug):
    """The jury overview of an edition: stages with status and progress, judges."""
    edition = request.checked_object
    from sayembara.competitions.selectors.dashboard import stage_progress

    return render(request, "jury/manage.html", {
        "edition": edition, "stages": stage_progress(edition),
        "judge_count": Judge.objects.filter(edition=edition).count(),
        "conflict_count": Conflict.objects.filter(judge__edition=edition).count(),
    })


@requires("judging.manage_jury", loader=edition_by_slug)
def judges(request, slug):
    edition = request.checked_object
    institutions = Institution.objects.filter(organiser_id=edition.organiser_id).order_by("name")
    form = JudgeForm(request.POST or None, institutions=institutions)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            judge = add_judge(
                edition=edition, name=data["name"], unsur=data["unsur"], role=data["role"],
                affiliation=data["affiliation"], institution=data["institution"],
                actor=request.user,
                membership_role=Role.FIELD_VERIFIER if data["field_verifier"] else Role.JUDGE,
            )
            if data["invite"] and data["email"]:
                invite_judge(judge=judge, email=data["email"], actor=request.user)
        except JudgingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%(name)s is on the jury.") % {"name": judge.name})
            return redirect("jury:judges", slug=slug)
    rows = list(Judge.objects.filter(edition=edition).select_related("user", "institution")
                .order_by("name"))
    latest = {}
    for invitation in Invitation.objects.filter(judge__edition=edition).order_by("created_at"):
        latest[invitation.judge_id] = invitation
    for judge in rows:
        judge.latest_invitation = latest.get(judge.pk)
    return render(request, "jury/judges.html", {"edition": edition, "form": form,
                                                "judges": rows})


@requires("judging.manage_jury", loader=edition_by_slug)
@require_POST
def judge_invite(request, slug, judge_id):
    edition = request.checked_object
    judge = Judge.objects.filter(edition=edition, pk=judge_id).select_related("user").first()
    if judge is None:
        from django.http import Http404

        raise Http404
    try:
        invite_judge(judge=judge, email=request.POST.get("email", ""), actor=request.user)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The invitation to %(name)s is on its way.")
                         % {"name": judge.name})
    return redirect("jury:judges", slug=slug)


@requires("judging.manage_jury", loader=edition_by_slug)
def conflicts(request, slug):
    edition = request.checked_object
    judges_qs = Judge.objects.filter(edition=edition).order_by("name")
    entries_qs = Entry.objects.filter(edition=edition).order_by("code")
    form = SetConflictForm(request.POST or None, judges=judges_qs, entries=entries_qs)
    if request.method == "POST":
        if request.POST.get("action") == "detect":
            count = record_automatic_conflicts(edition=edition, actor=request.user)
            messages.success(request, ngettext("%(count)s new automatic conflict recorded.",
                                               "%(count)s new automatic conflicts recorded.",
                                               count) % {"count": count})
            return redirect("jury:conflicts", slug=slug)
        if form.is_valid():
            try:
                declare_conflict(judge=form.cleaned_data["judge"],
                                 entry=form.cleaned_data["entry"],
                                 reason=form.cleaned_data["reason"], actor=request.user,
                                 by_organiser=True)
            except JudgingError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The conflict of interest is recorded."))
                return redirect("jury:conflicts", slug=slug)
    rows = (Conflict.objects.filter(judge__edition=edition)
            .select_related("judge", "entry", "entry__institution").order_by("judge__name",
                                                                             "entry__code"))
    return render(request, "jury/conflicts.html", {"edition": edition, "form": form,
                                                   "conflicts": rows})


@requires("judging.manage_jury", loader=stage_by_key)
def stage_panel(request, slug, stage_key):
    """Who judges the stage (panel and roles) and who scores what (assignments)."""
    stage = request.checked_object
    edition = stage.edition
    judges_qs = Judge.objects.filter(edition=edition).order_by("name")
    entries_qs = stage_entries(stage).order_by("code")
    member_form = PanelMemberForm(judges=judges_qs)
    auto_form = AutoAssignForm(initial={"mode": AutoAssignForm.MODE_EVERYONE})
    manual_form = ManualAssignForm(judges=judges_qs, entries=entries_qs, prefix="one")
    if request.method == "POST":
        action = request.POST.get("action")
        keep_form = False
        try:
            if action == "template_panels":
                materialise_panels(edition=edition, actor=request.user)
                messages.success(request, _("The panels of the template are created."))
            elif action == "member":
                member_form = PanelMemberForm(request.POST, judges=judges_qs)
                if member_form.is_valid():
                    panel = Panel.objects.filter(stage=stage).first() or create_panel(
                        stage=stage, name=_("Jury of %(stage)s") % {"stage": stage.name},
                        actor=request.user)
                    add_panel_member(panel=panel, judge=member_form.cleaned_data["judge"],
                                     role=member_form.cleaned_data["role"], actor=request.user)
                    messages.success(request, _("The panel is updated."))
            elif action == "remove_member":
                member = PanelMember.objects.filter(pk=request.POST.get("member"),
                                                    panel__stage=stage).first()
                if member is not None:
                    remove_panel_member(panel=member.panel, judge=member.judge,
                                        actor=request.user)
            elif action == "auto":
                auto_form = AutoAssignForm(request.POST)
                if auto_form.is_valid():
                    data = auto_form.cleaned_data
                    if data["mode"] == AutoAssignForm.MODE_EVERYONE:
                        report = assign_everyone(stage=stage, actor=request.user)
                    else:
                        report = assign_balanced(stage=stage, per_entry=data["per_entry"],
                                                 seed=data.get("seed") or 0,
                                                 actor=request.user)
                    _report_message(request, report)
            elif action == "manual":
                manual_form = ManualAssignForm(request.POST, judges=judges_qs,
                                               entries=entries_qs, prefix="one")
                if manual_form.is_valid() and not _change_one(request, stage, manual_form):
                    keep_form = True
        except JudgingError as error:
            messages.error(request, error.message)
        if not (keep_form or member_form.errors or auto_form.errors or manual_form.errors):
            return redirect("jury:stage_panel", slug=slug, stage_key=stage.key)
    members = (PanelMember.objects.filter(panel__stage=stage)
               .select_related("judge", "panel").order_by("panel__name", "judge__name"))
    scoring = [j for j in stage_judges(stage) if judge_scores_at(stage, j)]
    return render(request, "jury/stage_panel.html", {
        "stage": stage, "edition": edition, "members": members, "member_form": member_form,
        "auto_form": auto_form, "manual_form": manual_form, "scoring_judges": scoring,
        "entry_count": entries_qs.count(), "roles": JuryRole.choices,
    })


def _change_one(request, stage, form) -> bool:
    """Assign one entry to one judge, or take it away. A refusal is said at the top of the
    page and the form keeps what was chosen."""
    data = form.cleaned_data
    judge, entry = data["judge"], data["entry"]
    names = {"judge": judge.name, "entry": entry.code, "stage": stage.name}
    held = Assignment.objects.filter(stage=stage, judge=judge, entry=entry).exists()
    try:
        if data["change"] == ManualAssignForm.ADD:
            if held:
                raise JudgingError(_("%(judge)s already scores %(entry)s at %(stage)s.") % names)
            assign(stage=stage, judge=judge, entry=entry, actor=request.user)
            messages.success(request, _("%(judge)s now scores %(entry)s at %(stage)s.") % names)
        else:
            if not held:
                raise JudgingError(_("%(judge)s does not score %(entry)s at %(stage)s; there "
                                     "is nothing to take away.") % names)
            unassign(stage=stage, judge=judge, entry=entry, actor=request.user,
                     reason=data["reason"])
            messages.success(request, _("%(entry)s is taken away from %(judge)s at %(stage)s.")
                             % names)
    except JudgingError as error:
        messages.error(request, error.message)
        return False
    return True


def _report_message(request, report) -> None:
    text = _("%(created)s; %(conflicts)s.") % {
        "created": ngettext("%(count)s assignment made", "%(count)s assignments made",
                            report.created) % {"count": report.created},
        "conflicts": ngettext("%(count)s conflicted pair skipped",
                              "%(count)s conflicted pairs skipped", report.skipped_conflicts)
        % {"count": report.skipped_conflicts}}
    if report.short_entries:
        text += " " + _("Entries with fewer judges than asked: %(codes)s.") % {
            "codes": ", ".join(report.short_entries[:20])}
    if report.bridges:
        text += " " + ngettext("%(n)s extra assignment joins separate groups of judges.",
                               "%(n)s extra assignments join separate groups of judges.",
                               report.bridges) % {"n": report.bridges}
    if not report.connected:
        messages.warning(request, _(
            "The judges and entries form %(n)s separate groups, so judges' severity cannot be "
            "calibrated across them. Assign more judges per entry or remove conflicts.")
            % {"n": report.components})
    messages.success(request, text)


@requires("judging.manage_jury", loader=stage_by_key)
def stage_progress(request, slug, stage_key):
    stage = request.checked_object
    return render(request, "jury/stage_progress.html", {
        "stage": stage, "edition": stage.edition,
        "by_judge": progress_by_judge(stage), "by_entry": progress_by_entry(stage),
        "needs_extra": {w.entry.pk for w in stage_waiting(stage) if w.extra_judge},
    })


@requires("judging.manage_jury", loader=stage_by_key)
@require_POST
def remind(request, slug, stage_key):
    stage = request.checked_object
    ids = [int(x) for x in request.POST.getlist("judge") if is_plain_int(x)] or None
    try:
        reminded = remind_judges(stage=stage, actor=request.user, judge_ids=ids)
    except JudgingError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Reminders are on their way to %(names)s.")
                         % {"names": ", ".join(j.name for j in reminded)})
    return redirect("jury:stage_progress", slug=slug, stage_key=stage.key)


@requires("judging.manage_jury", loader=sheet_by_pk)
def correct(request, pk):
    """Correct one score of a submitted sheet, with a reason."""
    sheet = request.checked_object
    rubric = sheet.stage.rubric_for(sheet.entry.category_id)
    criteria = [(c.key, c.name) for c in rubric.criteria.order_by("order")] if rubric else []
    form = CorrectionForm(request.POST or None, criteria=criteria)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        value = data["value"]
        kind = rubric.criteria.get(key=data["criterion"]).kind
        if kind == "checklist":
            value = request.POST.getlist("checked")
        try:
            correct_score(stage=sheet.stage, judge=sheet.judge, entry=sheet.entry,
                          criterion_key=data["criterion"], value=value,
                          reason=data["reason"], actor=request.user)
        except JudgingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The score is corrected; the old value and the reason "
                                        "are kept."))
            return redirect("jury:sheet_detail", pk=sheet.pk)
    return render(request, "jury/correct.html", {"sheet": sheet, "form": form})


@requires("judging.manage_jury", loader=stage_by_key)
def schedule(request, slug, stage_key):
    stage = request.checked_object
    present, questions, change = slot_lengths(stage)
    form = ScheduleForm(request.POST or None, initial={
        "presentation_minutes": present, "questions_minutes": questions,
        "changeover_minutes": change})
    if request.method == "POST" and form.is_valid():
        from django.utils import timezone as djtz

        data = form.cleaned_data
        start = data["first_start"]
        if djtz.is_naive(start):
            start = start.replace(tzinfo=stage.edition.zoneinfo)
        else:
            start = start.replace(tzinfo=None).replace(tzinfo=stage.edition.zoneinfo)
        rooms = [r for r in (data["rooms"] or "").splitlines() if r.strip()] or [""]
        entries = list(stage_entries(stage).order_by("category__order", "code"))
        try:
            slots = schedule_stage(
                stage=stage, entries=entries, first_start=start, actor=request.user,
                rooms=rooms, link=data["link"], day_end=data["day_end"],
                presentation_minutes=data["presentation_minutes"],
                questions_minutes=data["questions_minutes"],
                changeover_minutes=data["changeover_minutes"])
        except JudgingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, ngettext("%(n)s slot is scheduled.",
                                               "%(n)s slots are scheduled.", len(slots))
                             % {"n": len(slots)})
            return redirect("jury:schedule", slug=slug, stage_key=stage.key)
    return render(request, "jury/schedule.html", {
        "stage": stage, "edition": stage.edition, "form": form,
        "slots": stage_schedule(stage), "field_stage": is_field_stage(stage),
    })


def stages_of(edition) -> list[Stage]:
    return list(edition.stages.order_by("order"))
