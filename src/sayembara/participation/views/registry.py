"""The institution registry, its import, and the accounts of institutions (invitations,
operators, units) managed by the organiser or the Admin Lokal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.accounts.services.security import SESSION_VERIFIED_KEY
from sayembara.common.params import is_plain_int
from sayembara.common.permissions import PUBLIC, requires
from sayembara.entries.models import Entry, Institution, Invitation
from sayembara.entries.rules import is_organiser_of_institution
from sayembara.entries.selectors.entries import members_of, registry_page
from sayembara.entries.selectors.types import organiser_type_names, warn_type_mismatches
from sayembara.entries.services.accounts import (
    AccountError,
    accept_invitation,
    create_unit,
    invitation_from_token,
    invite_member,
    remove_member,
    revoke_invitation,
)
from sayembara.entries.services.registry import RegistryImportError, import_registry
from sayembara.participation.forms import AcceptInvitationForm, ImportForm, InviteForm, UnitForm
from sayembara.participation.loaders import (
    institution_from_pk,
    invitation_from_pk,
    membership_from_pk,
    organiser_from_slug,
)

PAGE_SIZE = 100


@requires("entries.manage_registry", loader=organiser_from_slug)
def registry(request, slug):
    organiser = request.checked_object
    search = request.GET.get("q", "").strip()
    kind = request.GET.get("jenis", "").strip()
    page = Paginator(registry_page(organiser.pk, search=search, kind=kind),
                     PAGE_SIZE).get_page(request.GET.get("hal"))
    kinds = (Institution.objects.filter(organiser=organiser).values_list("kind", flat=True)
             .distinct().order_by("kind"))
    return render(request, "participation/registry.html", {
        "organiser": organiser, "page": page, "search": search, "kind": kind,
        "kinds": list(kinds), "type_names": organiser_type_names(organiser),
    })


@requires("entries.manage_registry", loader=organiser_from_slug)
@require_http_methods(["GET", "POST"])
def registry_import(request, slug):
    organiser = request.checked_object
    form = ImportForm(request.POST or None, request.FILES or None,
                      editions=organiser.editions.order_by("-year", "title"))
    problems, total, summary = [], 0, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            summary = import_registry(stream=upload, filename=upload.name, organiser=organiser,
                                      edition=form.cleaned_data.get("edition"),
                                      actor=request.user)
        except RegistryImportError as error:
            problems, total = error.problems, error.total
            form.add_error(None, ngettext(
                "Nothing was imported: the file has %(count)s problem. Correct it and upload "
                "the file again.",
                "Nothing was imported: the file has %(count)s problems. Correct them and "
                "upload the file again.", error.total) % {"count": error.total})
        else:
            messages.success(request, summary.sentence())
            warn_type_mismatches(request, organiser)
            return redirect("participation:registry", slug=organiser.slug)
    return render(request, "participation/registry_import.html", {
        "organiser": organiser, "form": form, "problems": problems, "total": total,
    })


@requires("entries.manage_institution", loader=institution_from_pk)
def institution_detail(request, pk):
    institution = request.checked_object
    may_invite_admin = is_organiser_of_institution(request.user, institution)
    units = list(institution.children.order_by("name"))
    members = members_of([institution.pk, *[unit.pk for unit in units]])
    return render(request, "participation/institution.html", {
        "institution": institution, "units": [(unit, members[unit.pk]) for unit in units],
        "type_names": organiser_type_names(institution.organiser),
        "members": members[institution.pk],
        "invitations": Invitation.objects.filter(
            institution__in=[institution, *units], accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).select_related("institution"),
        "invite_form": InviteForm(may_invite_admin=may_invite_admin),
        "unit_form": UnitForm(initial={"region_code": institution.region_code},
                              organiser=institution.organiser),
        "may_invite_admin": may_invite_admin,
        "entries": Entry.objects.filter(
            institution__in=[institution, *units], edition__organiser_id=institution.organiser_id,
        ).select_related("edition", "institution", "category")
        .order_by("-edition__year", "edition__title", "code"),
    })


@requires("entries.manage_institution", loader=institution_from_pk)
@require_POST
def institution_invite(request, pk):
    institution = request.checked_object
    target = institution
    unit_id = request.POST.get("unit", "")
    if is_plain_int(unit_id) and int(unit_id) != institution.pk:
        target = institution.children.filter(pk=int(unit_id)).first() or institution
    form = InviteForm(request.POST,
                      may_invite_admin=is_organiser_of_institution(request.user, institution))
    if form.is_valid():
        try:
            invite_member(institution=target, email=form.cleaned_data["email"],
                          full_name=form.cleaned_data["full_name"],
                          role=form.cleaned_data["role"], actor=request.user)
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("An invitation is on its way to %(email)s.")
                             % {"email": form.cleaned_data["email"]})
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("participation:institution", pk=institution.pk)


@requires("entries.manage_institution", loader=institution_from_pk)
@require_POST
def institution_add_unit(request, pk):
    institution = request.checked_object
    form = UnitForm(request.POST, organiser=institution.organiser)
    if form.is_valid():
        try:
            unit = create_unit(parent=institution, actor=request.user, **form.cleaned_data)
        except AccountError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("%(name)s was added below %(parent)s.")
                             % {"name": unit.name, "parent": institution.name})
            warn_type_mismatches(request, institution.organiser)
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect("participation:institution", pk=institution.pk)


@requires("entries.manage_membership", loader=membership_from_pk)
@require_POST
def membership_remove(request, pk):
    membership = request.checked_object
    institution = membership.institution
    try:
        remove_member(membership=membership, actor=request.user)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(user)s no longer acts for %(institution)s.")
                         % {"user": membership.user.display_name,
                            "institution": institution.name})
    parent = institution.parent_id if not request.user.has_perm(
        "entries.manage_institution", institution) else institution.pk
    return redirect("participation:institution", pk=parent or institution.pk)


@requires("entries.manage_membership", loader=invitation_from_pk)
@require_POST
def invitation_revoke(request, pk):
    invitation = request.checked_object
    try:
        revoke_invitation(invitation=invitation, actor=request.user)
    except AccountError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The invitation to %(email)s was withdrawn.")
                         % {"email": invitation.email})
    return redirect("participation:institution", pk=invitation.institution_id)


@requires(PUBLIC)
@require_http_methods(["GET", "POST"])
def accept_invitation_view(request, token):
    """The one-time link of an invitation: set a password (or use the signed-in account)."""
    try:
        invitation = invitation_from_token(token)
    except AccountError as error:
        return render(request, "participation/invitation_invalid.html",
                      {"problem": str(error)}, status=410)
    signed_in = request.user.is_authenticated
    form = AcceptInvitationForm(request.POST or None,
                                initial={"full_name": invitation.full_name})
    if signed_in:
        form.fields["password1"].required = form.fields["password2"].required = False
        form.fields["full_name"].required = False
    problem = ""
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(
                invitation=invitation, user=request.user if signed_in else None,
                password=form.cleaned_data.get("password1") or "",
                full_name=form.cleaned_data.get("full_name") or "",
            )
        except ValidationError as error:
            form.add_error("password1", error)
        except AccountError as error:
            problem = str(error)
        else:
            if not signed_in:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                request.session[SESSION_VERIFIED_KEY] = True
            messages.success(request, _("Welcome. You now act as %(role)s for %(institution)s.")
                             % {"role": invitation.get_role_display(),
                                "institution": invitation.institution.name})
            return redirect("participation:home")
    return render(request, "participation/invitation_accept.html", {
        "invitation": invitation, "form": form, "signed_in": signed_in, "problem": problem,
    })
