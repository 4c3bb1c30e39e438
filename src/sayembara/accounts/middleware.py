from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from sayembara.accounts.services.security import SESSION_VERIFIED_KEY


class TwoFactorMiddleware:
    """A user with an authenticator app must give a code before using any page; where
    two-step verification is required (``SAYEMBARA_REQUIRE_TWO_STEP``), an organiser or judge
    without one must set it up first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(
            SESSION_VERIFIED_KEY
        ):
            from sayembara.accounts.models import TOTPDevice
            from sayembara.accounts.services.security import two_step_required

            verify = reverse("accounts:totp_verify")
            setup = reverse("accounts:totp_setup")
            free = {verify, reverse("accounts:logout"), reverse("set_language")}
            path = request.path
            if path not in free and not path.startswith("/static/"):
                if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                    return redirect(f"{verify}?next={path}")
                if two_step_required(user):
                    if path != setup:
                        messages.info(request, _(
                            "This site asks organisers and judges for two-step verification. "
                            "Set it up to continue."))
                        return redirect(setup)
                else:
                    request.session[SESSION_VERIFIED_KEY] = True
        return self.get_response(request)
