"""The organiser's API tokens: create one (shown once), see them, revoke one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sayembara.accounts.models import ApiToken
from sayembara.accounts.selectors.roles import scopes_of
from sayembara.accounts.services.api_tokens import create_token, revoke_token, tokens_of
from sayembara.common.permissions import requires
from sayembara.competitions.models import Organiser
from sayembara.web.forms import ApiTokenForm


def _token(request, pk: int, **_kwargs) -> ApiToken:
    return get_object_or_404(ApiToken.objects.select_related("organiser"), pk=pk)


@requires("competitions.manage_api_tokens")
def api_tokens(request):
    organisers = Organiser.objects.filter(pk__in=scopes_of(request.user).organiser_ids)
    form = ApiTokenForm(request.POST or None, organisers=organisers)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = create_token(user=request.user, organiser=data["organiser"],
                                   name=data["name"], scopes=data["scopes"], days=data["days"])
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        else:
            form = ApiTokenForm(organisers=organisers)
    status = 400 if request.method == "POST" and created is None else 200
    return render(request, "web/api_tokens.html", {
        "form": form, "created": created, "tokens": tokens_of(request.user),
        "several_organisers": organisers.count() > 1,
    }, status=status)


@requires("competitions.revoke_api_token", loader=_token)
@require_POST
def api_token_revoke(request, pk):
    token = revoke_token(user=request.user, token=request.checked_object)
    messages.success(request, _("The token “%(name)s” was revoked; it no longer opens the "
                                "API.") % {"name": token.name})
    return redirect("web:api_tokens")
