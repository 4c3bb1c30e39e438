"""The platform administration: organisers, their secretariat and the administrators."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.accounts.enums import Role
from sayembara.accounts.services.platform_admins import (
    PlatformAdminError,
    find_account,
    grant_platform_admin,
    platform_admins,
    revoke_platform_admin,
)
from sayembara.common.permissions import requires
from sayembara.competitions.models import Organiser
from sayembara.competitions.services.organisers import (
    OrganiserError,
    create_organiser,
    invite_secretariat,
    secretariat_of,
)
from sayembara.web.forms import OrganiserForm, SecretariatInviteForm

ADMINISTER = "accounts.administer_platform"


def _invited_message(request, invited, organiser) -> None:
    if invited.needs_password:
        messages.success(request, _("An invitation was sent to %(email)s: the link in it lets "
                                    "them choose a password and start as the secretariat of "
                                    "%(organiser)s.")
                         % {"email": invited.user.email, "organiser": organiser.name})
    else:
        messages.success(request, _("%(email)s already had an account and is now in the "
                                    "secretariat of %(organiser)s; an e-mail tells them.")
                         % {"email": invited.user.email, "organiser": organiser.name})


@requires(ADMINISTER)
@require_http_methods(["GET", "POST"])
def organisers(request):
    """Every organiser with its secretariat and editions, and the form for a new one."""
    form = OrganiserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            organiser = create_organiser(name=data["name"], region_name=data["region_name"],
                                         timezone_code=data["timezone"], actor=request.user)
            invited = None
            if data["invite_email"]:
                invited = invite_secretariat(organiser=organiser, email=data["invite_email"],
                                             full_name=data["invite_name"], actor=request.user)
        except OrganiserError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The organiser %(name)s was created.")
                             % {"name": organiser.name})
            if invited is not None:
                _invited_message(request, invited, organiser)
            return redirect("web:organiser_detail", pk=organiser.pk)
    rows = Organiser.objects.annotate(
        edition_count=Count("editions", distinct=True),
        member_count=Count("memberships", filter=Q(memberships__role=Role.ORGANISER),
                           distinct=True),
    ).order_by("name")
    return render(request, "web/platform/organisers.html", {"organisers": rows, "form": form})


def _organiser(request, pk: int, **_kwargs) -> Organiser:
    return get_object_or_404(Organiser, pk=pk)


@requires(ADMINISTER, loader=_organiser)
@require_http_methods(["GET", "POST"])
def organiser_detail(request, pk):
    """One organiser: its secretariat accounts and the invitation of another one."""
    organiser = request.checked_object
    form = SecretariatInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = invite_secretariat(organiser=organiser, email=form.cleaned_data["email"],
                                         full_name=form.cleaned_data["full_name"],
                                         actor=request.user)
        except OrganiserError as error:
            form.add_error("email", str(error))
        else:
            _invited_message(request, invited, organiser)
            return redirect("web:organiser_detail", pk=organiser.pk)
    return render(request, "web/platform/organiser_detail.html", {
        "organiser": organiser, "members": secretariat_of(organiser), "form": form,
        "editions": organiser.editions.select_related("competition").order_by("-year", "title"),
    })


@requires(ADMINISTER)
@require_http_methods(["GET", "POST"])
def administrators(request):
    """Who administers the platform, and making another existing account one (asked first)."""
    error, account = "", request.POST.get("account", "").strip()
    if request.method == "POST":
        try:
            user = find_account(account)
            if request.POST.get("confirmed") != "1":
                if user.pk in set(platform_admins().values_list("pk", flat=True)):
                    raise PlatformAdminError(_("%(name)s already administers the platform.")
                                             % {"name": user.display_name})
                return render(request, "web/platform/administrator_confirm.html", {
                    "person": user, "granting": True,
                    "action": reverse("web:administrators"), "account": account})
            grant_platform_admin(user=user, actor=request.user)
        except PlatformAdminError as refused:
            error = str(refused)
        else:
            messages.success(request, _("%(name)s now administers the platform: they create "
                                        "organisers and invite their secretariat.")
                             % {"name": user.display_name})
            return redirect("web:administrators")
    admins = list(platform_admins())
    return render(request, "web/platform/administrators.html", {
        "admins": admins, "error": error, "account": account, "last": len(admins) == 1})


def _account(request, pk: int, **_kwargs):
    return get_object_or_404(get_user_model(), pk=pk)


@requires(ADMINISTER, loader=_account)
@require_POST
def administrator_revoke(request, pk):
    """Take the role from an administrator (asked first; never the last one)."""
    user = request.checked_object
    if user.pk not in set(platform_admins().values_list("pk", flat=True)):
        messages.error(request, _("%(name)s does not administer the platform.")
                       % {"name": user.display_name})
        return redirect("web:administrators")
    if request.POST.get("confirmed") != "1":
        return render(request, "web/platform/administrator_confirm.html", {
            "person": user, "granting": False, "self": user.pk == request.user.pk,
            "action": reverse("web:administrator_revoke", args=[user.pk])})
    try:
        revoke_platform_admin(user=user, actor=request.user)
    except PlatformAdminError as refused:
        messages.error(request, str(refused))
        return redirect("web:administrators")
    messages.success(request, _("%(name)s no longer administers the platform.")
                     % {"name": user.display_name})
    if user.pk == request.user.pk:
        return redirect("web:home")
    return redirect("web:administrators")
