"""The platform administration: organisers and their secretariat accounts."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sayembara.accounts.enums import Role
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
