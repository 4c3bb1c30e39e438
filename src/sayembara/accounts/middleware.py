from django.shortcuts import redirect
from django.urls import reverse

from sayembara.accounts.services.security import SESSION_VERIFIED_KEY


class TwoFactorMiddleware:
    """A user with an authenticator app must give a code before using any page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.session.get(
            SESSION_VERIFIED_KEY
        ):
            from sayembara.accounts.models import TOTPDevice

            exempt = {reverse("accounts:totp_verify"), reverse("accounts:logout")}
            if request.path not in exempt and not request.path.startswith("/static/"):
                if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                    return redirect(f"{reverse('accounts:totp_verify')}?next={request.path}")
                request.session[SESSION_VERIFIED_KEY] = True
        return self.get_response(request)
