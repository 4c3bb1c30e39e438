"""The participant's pages: start, write, autosave, upload, submit, withdraw, follow an entry."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.permissions import AUTHENTICATED, requires
from sayembara.common.services.security import record_refused_upload
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.downloads import private_file_response
from sayembara.entries.enums import EDITABLE_STATES, WITHDRAWABLE_STATES, EntryState
from sayembara.entries.models import Entry, Institution, Referral
from sayembara.entries.selectors.deadlines import (
    edition_deadline,
    effective_deadline,
    is_past,
)
from sayembara.entries.selectors.entries import (
    admin_lokal_entries,
    open_editions_for_entering,
    operator_entries,
)
from sayembara.entries.selectors.requirements import claim_levels
from sayembara.entries.services.carrying import carry_warnings, mentoring_log
from sayembara.entries.services.drafts import (
    add_document,
    dismiss_copy,
    remove_document,
    save_draft,
    use_copy,
)
from sayembara.entries.services.eligibility import SubmissionRefused, check_submission
from sayembara.entries.services.entries import EntryStateError, create_entry
from sayembara.entries.services.process import reopen_entry, submit_entry, withdraw_entry
from sayembara.judging.selectors.reading import served_file
from sayembara.participation.forms import EntryForm, EntryStartForm
from sayembara.participation.loaders import (
    copy_from_pk,
    document_from_pk,
    edition_from_slug,
    entry_from_pk,
)


@requires(AUTHENTICATED)
def home(request):
    """What the signed-in user does on the participant side."""
    user = request.user
    scopes = scopes_of(user)
    entries = list(operator_entries(user))
    editions = []
    if scopes.operator_institution_ids:
        for edition in open_editions_for_entering(user):
            deadline = edition_deadline(edition)
            if not is_past(deadline):
                opens = edition.submission_opens_at
                editions.append((edition, opens if opens and not is_past(opens) else None,
                                 deadline))
    awaiting = []
    if scopes.admin_lokal_institution_ids:
        awaiting = list(admin_lokal_entries(user, state=EntryState.SUBMITTED)[:50])
    organised = []
    if scopes.organiser_ids:
        organised = list(
            Edition.objects.filter(organiser_id__in=scopes.organiser_ids)
            .select_related("organiser", "competition").order_by("-year", "title")[:30]
        )
    from sayembara.competitions.models import Organiser

    registries = list(Organiser.objects.filter(pk__in=scopes.organiser_ids).order_by("name"))
    return render(request, "participation/home.html", {
        "entries": entries, "open_editions": editions, "awaiting": awaiting,
        "organised": organised, "registries": registries,
        "is_admin_lokal": bool(scopes.admin_lokal_institution_ids),
    })


@requires("entries.enter_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def entry_start(request, slug):
    edition = request.checked_object
    institutions = list(Institution.objects.filter(
        pk__in=scopes_of(request.user).operator_institution_ids,
        organiser_id=edition.organiser_id,
    ).order_by("name"))
    form = EntryStartForm(request.POST or None, edition=edition,
                          institutions=Institution.objects.filter(
                              pk__in=[i.pk for i in institutions]))
    deadline = edition_deadline(edition)
    if request.method == "POST" and form.is_valid():
        if is_past(deadline):
            form.add_error(None, _("The deadline of this edition has passed; new entries "
                                   "cannot be started."))
        else:
            data = form.cleaned_data
            entry = create_entry(edition=edition, institution=data["institution"],
                                 category=data["category"], group=data.get("group"),
                                 title=data["title"], actor=request.user)
            messages.success(request, _("Entry %(code)s was created. Fill in the form; it is "
                                        "saved as you type.") % {"code": entry.code})
            return redirect("participation:entry_edit", pk=entry.pk)
    return render(request, "participation/entry_start.html",
                  {"edition": edition, "form": form, "deadline": deadline})


def _documents_by_slot(entry: Entry) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for document in entry.documents.all():
        grouped[f"{document.kind}:{document.slot}"].append(document)
    return grouped


@requires("entries.view_entry", loader=entry_from_pk)
def entry_detail(request, pk):
    from sayembara.judging.selectors.schedule import slots_of_entry

    entry = request.checked_object
    template = template_of(entry.edition)
    user = request.user
    deadline = effective_deadline(entry)
    can_change = user.has_perm("entries.change_entry", entry)
    refusals = []
    deadline_passed = is_past(deadline)
    if can_change and entry.state in EDITABLE_STATES and not deadline_passed:
        refusals = check_submission(entry)
    opens = entry.edition.submission_opens_at
    submission_opens = opens if opens is not None and not is_past(opens) else None
    from sayembara.participation.forms import (
        AdminCheckForm,
        ExtensionForm,
        ForwardForm,
        MentoringForm,
        ReturnForm,
    )

    sections = [(section, (entry.proposal or {}).get(section.id, ""))
                for section in template.entry_form.sections]
    claims = {claim.item: claim for claim in entry.claims.all()}
    items = [(item, claims.get(item.id), claim_levels(template, item))
             for item in template.entry_form.self_assessment]
    from sayembara.entries.selectors.requirements import upload_slots

    documents = _documents_by_slot(entry)
    slots = [(slot, documents.get(slot.key, [])) for slot in upload_slots(entry.edition,
                                                                         template).values()]
    carried = [doc for key, docs in documents.items() if key.startswith("carried:")
               for doc in docs]
    can_review = user.has_perm("entries.review_entry", entry)
    redaction = None
    if user.has_perm("judging.manage_jury", entry.edition):
        from sayembara.judging.models import RedactedDocument
        from sayembara.judging.services.redaction import has_blind_stage

        if has_blind_stage(entry.edition):
            redaction = {copy.document_id: copy for copy in RedactedDocument.objects.filter(
                document__entry=entry)}
            for group in documents.values():
                for document in group:
                    document.redacted_copy = redaction.get(document.pk)
    record = None
    if can_review:
        from sayembara.judging.selectors.results import entry_record

        record = entry_record(entry)
    context = {
        "entry": entry, "edition": entry.edition, "template": template, "deadline": deadline,
        "deadline_passed": deadline_passed,
        "submission_opens": submission_opens,
        "history": entry.state_changes.select_related("actor", "stage"),
        "checks": entry.admin_checks.select_related("checked_by"),
        "sections": sections, "items": items, "slots": slots, "carried": carried,
        "affirmed": set(entry.affirmations.values_list("statement", flat=True)),
        "copies": entry.copies.filter(resolved_at__isnull=True).select_related("saved_by")
        if can_change else [],
        "mentoring": mentoring_log(entry),
        "carry_warnings": carry_warnings(entry, template=template)
        if entry.state in EDITABLE_STATES else [],
        "schedule": slots_of_entry(entry),
        "extensions": entry.deadline_extensions.all(),
        "refusals": refusals,
        "can_change": can_change,
        "can_edit": can_change and entry.state in EDITABLE_STATES and not deadline_passed,
        # Offered only when it can succeed: open for submissions and nothing missing.
        "can_submit": can_change and entry.state in EDITABLE_STATES and not deadline_passed
        and submission_opens is None and not refusals,
        "late_draft": can_change and entry.state in EDITABLE_STATES and deadline_passed,
        "can_withdraw": can_change and entry.state in WITHDRAWABLE_STATES
        and not is_past(deadline),
        "can_reopen": can_change and entry.state == EntryState.WITHDRAWN
        and not is_past(deadline),
        "can_forward": user.has_perm("entries.forward_entry", entry)
        and entry.state == EntryState.SUBMITTED,
        "can_return": user.has_perm("entries.return_entry", entry)
        and entry.state in (EntryState.SUBMITTED, EntryState.FORWARDED),
        "can_review": can_review,
        "redaction": redaction,
        "record": record,
        "can_mentor": user.has_perm("entries.mentor_entry", entry),
        "check_form": AdminCheckForm(), "extension_form": ExtensionForm(),
        "forward_form": ForwardForm(), "return_form": ReturnForm(),
        "mentoring_form": MentoringForm(initial={"held_on": timezone.localdate()}),
        "carried_to": entry.carried_to.filter(edition__organiser_id=entry.edition.organiser_id)
        .select_related("edition"),
        "came_by_referral": Referral.objects.filter(accepted_entry=entry).select_related(
            "entry__edition__organiser").first() if entry.carried_from_id else None,
        **_outcome(entry),
    }
    return render(request, "participation/entry_detail.html", context)


def _outcome(entry: Entry) -> dict:
    """The entry's line in the published results and its certificates (nothing before the
    organiser publishes the results)."""
    from sayembara.documents.selectors.public import published_standing
    from sayembara.documents.services.publication import publication_of

    if publication_of(entry.edition).results_published_at is None:
        return {"outcome": None, "certificates": []}
    standing = published_standing(entry)
    return {"outcome": {"category": standing[0], "row": standing[1]} if standing else None,
            "certificates": list(entry.certificates.filter(revoked_at__isnull=True)
                                 .order_by("rank", "award_label"))}


@requires("entries.view_entry", loader=entry_from_pk)
def entry_certificate(request, pk, code):
    """The PDF of one of the entry's certificates, once the results are published."""
    from django.http import Http404, HttpResponse

    from sayembara.documents.services.certificates import DesignError, certificate_pdf

    entry = request.checked_object
    certificate = next((c for c in _outcome(entry)["certificates"] if c.code == code), None)
    if certificate is None:
        raise Http404
    certificate.edition = entry.edition
    try:
        name, pdf = certificate_pdf(certificate)
    except DesignError:
        messages.error(request, _("The certificate cannot be drawn at the moment: the "
                                  "secretariat is changing its design. Try again later or ask "
                                  "the secretariat."))
        return redirect("participation:entry_detail", pk=entry.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _edit_context(entry: Entry, form: EntryForm, **extra):
    template = form.template
    documents = _documents_by_slot(entry)
    uploads = [(form[name], documents.get(form.fields[name].slot.key, []))
               for name in form.upload_fields]
    return {
        "entry": entry, "edition": entry.edition, "form": form, "template": template,
        "deadline": effective_deadline(entry), "uploads": uploads,
        "copies": entry.copies.filter(resolved_at__isnull=True).select_related("saved_by"),
        "sections": [form[name] for name in form.section_fields],
        "statements": [form[name] for name in form.statement_fields],
        "claims": [(form[level], form[note]) for level, note, _item in form.claim_fields],
        **extra,
    }


@requires("entries.change_entry", loader=entry_from_pk)
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    entry = request.checked_object
    if entry.state not in EDITABLE_STATES:
        messages.warning(request, _("Entry %(code)s is “%(state)s” and can no longer be "
                                    "changed.") % {"code": entry.code,
                                                   "state": entry.get_state_display()})
        return redirect("participation:entry_detail", pk=entry.pk)
    template = template_of(entry.edition)
    if request.method != "POST":
        form = EntryForm(initial=EntryForm.initial_for(entry), entry=entry, template=template)
        return render(request, "participation/entry_edit.html", _edit_context(entry, form))

    form = EntryForm(request.POST, request.FILES, entry=entry, template=template)
    if not form.is_valid():
        for upload, purpose, error in form.refused_uploads:
            record_refused_upload(actor=request.user, obj=entry, upload=upload,
                                  purpose=purpose, error=error)
        return render(request, "participation/entry_edit.html",
                      _edit_context(entry, form), status=422)
    try:
        result = save_draft(entry=entry, data=form.to_data(),
                            base_version=form.cleaned_data["version"], actor=request.user)
        if result.copy is None:
            with transaction.atomic():
                for slot, upload in form.uploads():
                    add_document(entry=entry, kind=slot.kind, slot=slot.id, upload=upload,
                                 actor=request.user)
    except (ValidationError, EntryStateError) as error:
        form.add_error(None, error.messages if isinstance(error, ValidationError)
                       else str(error))
        return render(request, "participation/entry_edit.html",
                      _edit_context(entry, form), status=422)
    if result.copy is not None:
        entry.refresh_from_db()
        form = EntryForm(initial=EntryForm.initial_for(entry), entry=entry, template=template)
        messages.warning(request, _(
            "Not saved: this draft was changed in another tab or by another operator while "
            "you were writing. Nothing was overwritten. The form now shows the newer saved "
            "text and your text is kept as a copy beside it; compare the two and choose which "
            "to keep. Files you chose were not stored: choose them again after deciding."))
        return render(request, "participation/entry_edit.html",
                      _edit_context(entry, form, conflict=True), status=409)
    entry.refresh_from_db()
    if request.POST.get("action") == "submit":
        return _submit(request, entry)
    messages.success(request, _("Saved."))
    return redirect("participation:entry_edit", pk=entry.pk)


@requires("entries.change_entry", loader=entry_from_pk)
@require_POST
def entry_autosave(request, pk):
    """htmx: save the draft as the participant types; answers a status line and the new
    version (out of band)."""
    entry = request.checked_object
    context = {"entry": entry}
    if entry.state not in EDITABLE_STATES:
        context["problem"] = _("This entry can no longer be changed.")
        return render(request, "participation/_autosave.html", context)
    form = EntryForm(request.POST, entry=entry, template=template_of(entry.edition))
    # Files are saved with the Save button, not while typing.
    for name in form.upload_fields:
        del form.fields[name]
    form.upload_fields = []
    if not form.is_valid():
        context["errors"] = [f"{form.fields[name].label}: {error}" if name in form.fields
                             else str(error)
                             for name, errors in form.errors.items() for error in errors]
        return render(request, "participation/_autosave.html", context)
    try:
        result = save_draft(entry=entry, data=form.to_data(),
                            base_version=form.cleaned_data["version"], actor=request.user)
    except EntryStateError as error:
        context["problem"] = str(error)
        return render(request, "participation/_autosave.html", context)
    context.update(result=result, entry=result.entry, saved_at=timezone.now())
    return render(request, "participation/_autosave.html", context)


def _submit(request, entry: Entry):
    try:
        submit_entry(entry=entry, actor=request.user)
    except SubmissionRefused:
        # The entry page lists the points under "Before this entry can be submitted".
        messages.error(request, _("Entry %(code)s was not submitted. Your draft is saved; "
                                  "complete the points listed below, then submit again.")
                       % {"code": entry.code})
        return redirect("participation:entry_detail", pk=entry.pk)
    except EntryStateError as error:
        messages.error(request, str(error))
        return redirect("participation:entry_detail", pk=entry.pk)
    messages.success(request, _("Entry %(code)s was submitted.") % {"code": entry.code})
    return redirect("participation:entry_detail", pk=entry.pk)


@requires("entries.change_entry", loader=entry_from_pk)
@require_POST
def entry_submit(request, pk):
    return _submit(request, request.checked_object)


@requires("entries.change_entry", loader=entry_from_pk)
@require_POST
def entry_withdraw(request, pk):
    """Withdraw a submitted entry; the first POST (from the entry page) asks to confirm."""
    entry = request.checked_object
    if request.POST.get("confirmed") != "1":
        return render(request, "participation/entry_withdraw_confirm.html", {
            "entry": entry, "edition": entry.edition, "deadline": effective_deadline(entry),
        })
    try:
        withdraw_entry(entry=entry, actor=request.user, reason=request.POST.get("reason", ""))
    except EntryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Entry %(code)s was withdrawn. You can reopen it as a draft "
                                    "until the deadline.") % {"code": entry.code})
    return redirect("participation:entry_detail", pk=entry.pk)


@requires("entries.change_entry", loader=entry_from_pk)
@require_POST
def entry_reopen(request, pk):
    entry = request.checked_object
    try:
        reopen_entry(entry=entry, actor=request.user)
    except EntryStateError as error:
        messages.error(request, str(error))
        return redirect("participation:entry_detail", pk=entry.pk)
    return redirect("participation:entry_edit", pk=entry.pk)


@requires("entries.view_document", loader=document_from_pk)
def document_download(request, pk):
    """Serve an uploaded file to someone allowed to see its entry (never from the web root)."""
    served = served_file(user=request.user, document=request.checked_object)
    return private_file_response(served.file, file_type=served.file_type, filename=served.name,
                                 download=request.GET.get("unduh") is not None)


@requires("entries.change_entry", loader=document_from_pk)
@require_POST
def document_delete(request, pk):
    document = request.checked_object
    entry_pk = document.entry_id
    try:
        remove_document(document=document, actor=request.user)
    except EntryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The file “%(name)s” was removed.")
                         % {"name": document.original_name})
    return redirect("participation:entry_edit", pk=entry_pk)


@requires("entries.change_entry", loader=copy_from_pk)
@require_POST
def copy_use(request, pk):
    copy = request.checked_object
    try:
        use_copy(copy=copy, actor=request.user)
    except EntryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The copy is now the text of the draft; the text it "
                                    "replaced is kept in the history of copies."))
    return redirect("participation:entry_edit", pk=copy.entry_id)


@requires("entries.change_entry", loader=copy_from_pk)
@require_POST
def copy_dismiss(request, pk):
    copy = request.checked_object
    dismiss_copy(copy=copy, actor=request.user)
    messages.success(request, _("The copy was set aside."))
    return redirect("participation:entry_edit", pk=copy.entry_id)
