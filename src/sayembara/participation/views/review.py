"""The Admin Lokal's and the organiser's pages about entries: forwarding, return for
correction, the administrative check, extensions, reminders, mentoring and carrying on."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.params import is_plain_int
from sayembara.common.permissions import requires
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Category, Edition, Group
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import AWAITING_CHECK_STATES, EntryState
from sayembara.entries.models import Institution
from sayembara.entries.selectors.deadlines import edition_deadline
from sayembara.entries.selectors.entries import (
    admin_lokal_entries,
    admin_lokal_scope,
    check_queue,
    institutions_with_admin_lokal,
    state_counts,
)
from sayembara.entries.selectors.tracker import mandatory_tracker
from sayembara.entries.selectors.types import institution_type_names
from sayembara.entries.services.carrying import copy_entry_into
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.followup import (
    add_mentoring_note,
    import_past_winners,
    send_reminders,
)
from sayembara.entries.services.process import (
    forward_entry,
    grant_extension,
    record_admin_check,
    record_admin_checks,
    return_entry,
)
from sayembara.entries.services.registry import RegistryImportError
from sayembara.participation.forms import (
    AdminCheckForm,
    BulkCheckForm,
    CarryForm,
    ExtensionForm,
    ForwardForm,
    MentoringForm,
    PastWinnersForm,
    ReturnForm,
)
from sayembara.participation.loaders import edition_from_slug, entry_from_pk

PAGE_SIZE = 100


def _back(entry):
    return redirect("participation:entry_detail", pk=entry.pk)


def _form_errors(request, form) -> None:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


def _act_on_entry(request, entry, form, act, done: str, *, valid: bool | None = None):
    """Validate ``form``, run ``act(cleaned_data)`` and report: the shape of every small
    action taken from an entry's page."""
    if not (form.is_valid() if valid is None else valid):
        _form_errors(request, form)
        return _back(entry)
    try:
        act(form.cleaned_data)
    except EntryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return _back(entry)


@requires("entries.forward_entry", loader=entry_from_pk)
@require_POST
def entry_forward(request, pk):
    entry = request.checked_object
    return _act_on_entry(
        request, entry, ForwardForm(request.POST),
        lambda data: forward_entry(entry=entry, actor=request.user, comment=data["comment"]),
        _("Entry %(code)s was forwarded to the organiser.") % {"code": entry.code},
    )


@requires("entries.return_entry", loader=entry_from_pk)
@require_POST
def entry_return(request, pk):
    entry = request.checked_object
    return _act_on_entry(
        request, entry, ReturnForm(request.POST),
        lambda data: return_entry(entry=entry, actor=request.user, comment=data["comment"]),
        _("Entry %(code)s was returned to %(institution)s for correction.")
        % {"code": entry.code, "institution": entry.institution.name},
    )


@requires("entries.review_entry", loader=entry_from_pk)
@require_POST
def entry_check(request, pk):
    entry = request.checked_object
    return _act_on_entry(
        request, entry, AdminCheckForm(request.POST),
        lambda data: record_admin_check(
            entry=entry, outcome=data["outcome"], reasons=data["reasons"], note=data["note"],
            actor=request.user),
        _("The decision on %(code)s was recorded and the participant will be told by "
          "e-mail.") % {"code": entry.code},
    )


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def check_list(request, slug):
    """The administrative check of an edition: filters, one page of entries, bulk decision."""
    edition = request.checked_object
    bulk = BulkCheckForm(request.POST or None, edition=edition)
    if request.method == "POST":
        if bulk.is_valid():
            data = bulk.cleaned_data
            try:
                result = record_admin_checks(
                    entries=list(data["entries"]), outcome=data["outcome"],
                    reasons=data["reasons"], note=data["note"], actor=request.user,
                )
            except EntryStateError as error:
                bulk.add_error(None, str(error))
            else:
                if result.done:
                    messages.success(request, ngettext("Recorded for %(count)s entry: %(codes)s.",
                                                       "Recorded for %(count)s entries: %(codes)s.",
                                                       len(result.done))
                                     % {"count": len(result.done),
                                        "codes": ", ".join(e.code for e in result.done)})
                for entry, why in result.skipped:
                    messages.warning(request, _("%(code)s skipped: %(why)s")
                                     % {"code": entry.code, "why": why})
                return redirect(request.get_full_path())
    state = request.GET.get("status", "")
    category = request.GET.get("kategori", "")
    search = request.GET.get("q", "").strip()
    queryset = check_queue(edition, state=state if state in EntryState.values else "",
                           category_id=int(category) if is_plain_int(category) else None,
                           search=search)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("hal"))
    with_admin = institutions_with_admin_lokal(edition.organiser_id)
    rows = [(entry, entry.institution_id in with_admin and entry.state == EntryState.SUBMITTED)
            for entry in page.object_list]
    return render(request, "participation/check_list.html", {
        "edition": edition, "page": page, "rows": rows, "bulk": bulk,
        "counts": state_counts(edition), "state": state, "category": category,
        "search": search, "categories": edition.categories.all(),
        "states": [(value, label) for value, label in EntryState.choices
                   if value in {"submitted", "forwarded", "returned", "passed_admin",
                                "failed_admin"}],
        "awaiting_states": AWAITING_CHECK_STATES,
    })


@requires("competitions.manage_edition", loader=edition_from_slug)
def tracker(request, slug):
    """The mandatory participants and who has not submitted yet (refreshes itself)."""
    edition = request.checked_object
    data = mandatory_tracker(edition)
    only_missing = request.GET.get("belum") == "1"
    rows = data.missing if only_missing else data.rows
    template_name = ("participation/_tracker_table.html" if request.htmx
                     else "participation/tracker.html")
    return render(request, template_name, {
        "edition": edition, "tracker": data, "rows": rows, "only_missing": only_missing,
        "deadline": edition_deadline(edition), "now": timezone.now(),
        "type_names": institution_type_names([edition]),
    })


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_POST
def tracker_remind(request, slug):
    edition = request.checked_object
    ids = [int(value) for value in request.POST.getlist("institution") if is_plain_int(value)]
    reminders, skipped = send_reminders(edition=edition, actor=request.user,
                                        institution_ids=ids or None)
    messages.success(request, ngettext("A reminder is being sent to %(count)s institution.",
                                       "Reminders are being sent to %(count)s institutions.",
                                       len(reminders)) % {"count": len(reminders)})
    if skipped:
        messages.warning(request, _("No e-mail address is known for: %(names)s. Invite an "
                                    "operator or add the contact e-mail in the registry.")
                         % {"names": ", ".join(i.name for i in skipped)})
    return redirect("participation:tracker", slug=edition.slug)


def _valid_in_zone(form, edition: Edition) -> bool:
    """Validate a form whose date-times are typed in the edition's time zone (WIB/WITA/WIT)."""
    with timezone.override(edition.zoneinfo):
        return form.is_valid()


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def edition_extension(request, slug):
    """Extend the deadline for every entry of the edition."""
    edition = request.checked_object
    form = ExtensionForm(request.POST or None)
    if request.method == "POST" and _valid_in_zone(form, edition):
        try:
            grant_extension(edition=edition, until=form.cleaned_data["until"],
                            reason=form.cleaned_data["reason"], actor=request.user)
        except EntryStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The deadline was extended for every entry."))
            return redirect("participation:edition_extension", slug=edition.slug)
    return render(request, "participation/edition_extension.html", {
        "edition": edition, "form": form, "deadline": edition_deadline(edition),
        "extensions": edition.deadline_extensions.select_related("entry", "granted_by"),
    })


@requires("entries.review_entry", loader=entry_from_pk)
@require_POST
def entry_extension(request, pk):
    entry = request.checked_object
    form = ExtensionForm(request.POST)
    return _act_on_entry(
        request, entry, form,
        lambda data: grant_extension(edition=entry.edition, entry=entry, until=data["until"],
                                     reason=data["reason"], actor=request.user),
        _("The deadline of %(code)s was extended.") % {"code": entry.code},
        valid=_valid_in_zone(form, entry.edition),
    )


@requires("entries.mentor_entry", loader=entry_from_pk)
@require_POST
def entry_mentoring(request, pk):
    entry = request.checked_object
    return _act_on_entry(
        request, entry, MentoringForm(request.POST),
        lambda data: add_mentoring_note(entry=entry, actor=request.user, **data),
        _("The mentoring note was added."),
    )


def _carry_choices(user, entry):
    """Editions (and categories) the user may carry the entry into, and the institutions."""
    scopes = scopes_of(user)
    own = scopes.operator_institution_ids | admin_lokal_scope(user)
    institutions = Institution.objects.filter(
        pk__in=own) | Institution.objects.filter(organiser_id__in=scopes.organiser_ids)
    organiser_ids = set(institutions.values_list("organiser_id", flat=True))
    # An edition still being prepared takes entries only from its own organiser.
    categories = (
        Category.objects.filter(edition__organiser_id__in=organiser_ids)
        .filter(Q(edition__status=EditionStatus.OPEN)
                | Q(edition__organiser_id__in=scopes.organiser_ids))
        .exclude(edition=entry.edition_id).select_related("edition")
        .order_by("-edition__year", "edition__title", "order")
    )
    targets = [(f"{c.edition_id}:{c.pk}", f"{c.edition.title} · {c.name}") for c in categories
               if c.edition.submission_deadline is None
               or c.edition.submission_deadline > timezone.now()]
    return targets, institutions.order_by("name").distinct()


@requires("entries.view_entry", loader=entry_from_pk)
@require_http_methods(["GET", "POST"])
def entry_carry(request, pk):
    """Copy the entry, with its documents, into another competition's edition."""
    entry = request.checked_object
    targets, institutions = _carry_choices(request.user, entry)
    same_name = institutions.filter(name__iexact=entry.institution.name).first()
    form = CarryForm(request.POST or None, targets=targets, institutions=institutions,
                     initial={"institution": same_name})
    if request.method == "POST" and form.is_valid():
        edition_id, category_id = (int(v) for v in form.cleaned_data["target"].split(":"))
        category = Category.objects.select_related("edition").get(pk=category_id,
                                                                  edition_id=edition_id)
        group_key = request.POST.get("group", "")
        group = Group.objects.filter(edition_id=edition_id, key=group_key).first()
        try:
            carried = copy_entry_into(entry=entry, edition=category.edition,
                                      institution=form.cleaned_data["institution"],
                                      category=category, group=group, actor=request.user)
        except EntryStateError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The entry was carried into %(edition)s as draft "
                                        "%(code)s.") % {"edition": category.edition.title,
                                                        "code": carried.entry.code})
            for text in carried.uploads_needed + carried.warnings:
                messages.warning(request, text)
            return redirect("participation:entry_detail", pk=carried.entry.pk)
    return render(request, "participation/entry_carry.html",
                  {"entry": entry, "form": form, "has_targets": bool(targets)})


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def past_winners(request, slug):
    """The list of past winners used by groups reserved for them (years not run here)."""
    edition = request.checked_object
    form = PastWinnersForm(request.POST or None, request.FILES or None)
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            count = import_past_winners(competition=edition.competition, stream=upload,
                                        filename=upload.name, actor=request.user)
        except RegistryImportError as error:
            problems = error.problems
            form.add_error(None, _("Nothing was imported; correct the file and upload it "
                                   "again."))
        else:
            messages.success(request, ngettext("%(count)s past winner was imported.",
                                                        "%(count)s past winners were imported.",
                                                        count) % {"count": count})
            return redirect("participation:past_winners", slug=edition.slug)
    winners = edition.competition.past_winners.select_related("institution")
    template = template_of(edition)
    reserved = [group for group in template.groups if group.past_winners]
    return render(request, "participation/past_winners.html", {
        "edition": edition, "form": form, "problems": problems, "winners": winners,
        "reserved": reserved,
    })


@requires("entries.admin_lokal")
def admin_lokal_home(request):
    """The Admin Lokal's units and the entries waiting to be forwarded."""
    state = request.GET.get("status", EntryState.SUBMITTED)
    entries = admin_lokal_entries(request.user,
                                  state=state if state in EntryState.values else "")
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("hal"))
    roots = Institution.objects.filter(
        pk__in=scopes_of(request.user).admin_lokal_institution_ids
    ).select_related("organiser").order_by("name")
    units = Institution.objects.filter(parent__in=roots).select_related("parent").order_by(
        "parent__name", "name")
    return render(request, "participation/admin_lokal_home.html", {
        "page": page, "roots": roots, "units": units, "state": state,
        "states": [(value, label) for value, label in EntryState.choices
                   if value != EntryState.DRAFT],
    })
