from django.contrib import messages
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.permissions import AUTHENTICATED, PUBLIC, requires
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Competition, Organiser
from sayembara.competitions.selectors.dashboard import (
    category_boards,
    editions_for,
    stage_progress,
)
from sayembara.competitions.services.editions import EditionError, create_edition, template_of
from sayembara.entries.models import Entry
from sayembara.entries.selectors.types import warn_type_mismatches
from sayembara.judging.models import Assignment
from sayembara.judging.selectors.score_columns import score_headings
from sayembara.template_format import TemplateError, list_builtin, load_template, parse_template
from sayembara.template_format.blank import blank_template
from sayembara.web.forms import EditionCreateForm
from sayembara.web.loaders import edition_from_slug


@requires(PUBLIC)
@require_safe
def favicon(request):
    """``/favicon.ico``, which browsers and feed readers ask for whatever the page links:
    the static icon (whitenoise serves it, with its hashed name in production)."""
    return redirect(static("sayembara/favicon.ico"))


@requires(PUBLIC)
def home(request):
    context = {}
    if request.user.is_authenticated:
        scopes = scopes_of(request.user)
        context["editions"] = editions_for(request.user)[:20]
        context["my_entries"] = (
            Entry.objects.filter(institution_id__in=scopes.operator_institution_ids)
            .select_related("edition", "category", "institution", "current_stage")
            .order_by("-edition__year", "code")[:50]
        )
        context["my_assignments"] = (
            Assignment.objects.filter(judge__user=request.user)
            .select_related("stage", "entry", "entry__category", "stage__edition")
            .order_by("stage__edition", "stage__order", "entry__code")[:100]
        )
        open_editions = []
        if scopes.operator_institution_ids:
            from sayembara.entries.selectors.deadlines import edition_deadline, is_past
            from sayembara.entries.selectors.entries import open_editions_for_entering

            for edition in open_editions_for_entering(request.user):
                deadline = edition_deadline(edition)
                if not is_past(deadline):
                    open_editions.append((edition, deadline))
        context["open_editions"] = open_editions
        context["roles"] = scopes.roles
        context["managed_organiser_ids"] = scopes.organiser_ids
        context["jury_edition_ids"] = scopes.judge_edition_ids | scopes.verifier_edition_ids
        context["platform_admin"] = scopes.platform_admin
        if scopes.platform_admin:
            context["organiser_count"] = Organiser.objects.count()
        if scopes.organiser_ids:
            context["my_organisers"] = Organiser.objects.filter(pk__in=scopes.organiser_ids)
        context["nothing_assigned"] = not scopes.roles
    return render(request, "web/home.html", context)


@requires(AUTHENTICATED)
def editions(request):
    return render(request, "web/editions.html", {
        "editions": editions_for(request.user),
        "managed_organiser_ids": scopes_of(request.user).organiser_ids,
    })


@requires("competitions.manage_edition", loader=edition_from_slug)
def edition_dashboard(request, slug):
    edition = request.checked_object
    template = template_of(edition)
    boards = category_boards(edition)
    # the column of the running total, when some entry's stage ranks by it
    running_total = any(row["ranked_by"] for board in boards for row in board.rows)
    return render(
        request,
        "web/edition_dashboard.html",
        {
            "edition": edition,
            "template": template,
            "stages": stage_progress(edition),
            "boards": boards,
            "running_total": running_total,
            "headings": score_headings(running_total=running_total),
            "timeline": edition.timeline.all(),
            "award_tiers": edition.award_tiers.select_related("category"),
            **_life_cycle(edition),
        },
    )


def _life_cycle(edition) -> dict:
    """The steps of the edition's life cycle for its dashboard: where it stands, the next
    step with what must be true first, and the statuses it can go back to."""
    from sayembara.competitions.services.status import STEP_NAMES, next_status, step_problems

    order = list(EditionStatus)
    here = order.index(EditionStatus(edition.status))
    upcoming = next_status(edition.status)
    return {
        "steps": [{"label": status.label, "done": index < here, "current": index == here}
                  for index, status in enumerate(order)],
        "next_status": upcoming,
        "next_step": STEP_NAMES[upcoming] if upcoming else None,
        "next_problems": step_problems(edition, upcoming) if upcoming else [],
        "earlier": [(status.value, status.label) for status in order[:here]],
    }


def _builtin_choices(items) -> list[tuple[str, str]]:
    """The built-in templates by display name; a name two templates share is numbered so
    that no two choices read the same."""
    seen: dict[str, int] = {}
    choices = []
    for item in items:
        seen[item.title] = seen.get(item.title, 0) + 1
        label = item.title if seen[item.title] == 1 else f"{item.title} ({seen[item.title]})"
        choices.append((item.name, label))
    return choices


@requires("competitions.create_edition")
def edition_create(request):
    organisers = Organiser.objects.filter(pk__in=scopes_of(request.user).organiser_ids)
    builtin = _builtin_choices(list_builtin())
    form = EditionCreateForm(request.POST or None, request.FILES or None,
                             organisers=organisers, builtin_choices=builtin)
    problems = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["start"] == "upload":
                upload = data["template_file"]
                text = upload.read().decode("utf-8", errors="replace")
                template = parse_template(text, source=upload.name)
            elif data["start"] == "copy":
                template = load_template(data["template"])
            else:
                template = blank_template(competition=data["competition"],
                                          organiser=data["organiser"].name, year=data["year"],
                                          time_zone=data.get("time_zone") or
                                          data["organiser"].timezone)
            edition = create_edition(
                template=template, year=data["year"], organiser=data["organiser"],
                actor=request.user, title=data.get("title") or None,
                time_zone=data.get("time_zone") or None, competition_name=data["competition"],
            )
        except TemplateError as error:
            problems = error.problems
            form.add_error(None, _("The template has problems; nothing was created. Fix "
                                   "them and upload it again."))
        except EditionError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The edition %(title)s was created. Check its rules "
                                        "before it opens.") % {"title": edition.title})
            warn_type_mismatches(request, edition.organiser, [edition])
            return redirect("web:edition_rules", slug=edition.slug)
    form.fields["competition"].widget.attrs["list"] = "own-competitions"
    competitions = sorted(set(Competition.objects.filter(organiser__in=organisers)
                              .values_list("name", flat=True)))
    return render(request, "web/edition_create.html", {"form": form, "problems": problems,
                                                       "competitions": competitions})


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_POST
def edition_status(request, slug):
    """Move the edition along its life cycle. The step is named and asked about first; a
    step whose conditions do not hold is refused with what is missing."""
    from sayembara.competitions.services.status import (
        STEP_EFFECTS,
        STEP_NAMES,
        EditionStatusError,
        is_forward,
        set_edition_status,
        step_problems,
    )

    edition = request.checked_object
    status = request.POST.get("status", "")
    reason = request.POST.get("reason", "").strip()
    if status not in EditionStatus.values:
        messages.error(request, gettext("Choose one of the listed statuses."))
        return redirect("web:edition_dashboard", slug=edition.slug)
    target = EditionStatus(status)
    if target == edition.status:
        return redirect("web:edition_dashboard", slug=edition.slug)
    forward = is_forward(edition.status, target)
    problems = step_problems(edition, target) if forward else []
    if not forward and not reason:
        problems = [gettext("Going back to “%(target)s” needs a written reason.")
                    % {"target": target.label}]
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("web:edition_dashboard", slug=edition.slug)
    if request.POST.get("confirmed") != "1":
        step = (STEP_NAMES[target] if forward
                else gettext("Go back to “%(target)s”") % {"target": target.label})
        return render(request, "web/edition_status_confirm.html", {
            "edition": edition, "target": target, "step": step, "forward": forward,
            "effect": STEP_EFFECTS[target] if forward else "", "reason": reason})
    try:
        set_edition_status(edition=edition, status=target, actor=request.user, reason=reason)
    except EditionStatusError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, gettext("The edition is now “%(status)s”.")
                         % {"status": target.label})
    return redirect("web:edition_dashboard", slug=edition.slug)
