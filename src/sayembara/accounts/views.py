import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sayembara.accounts.forms import LoginForm, TOTPCodeForm
from sayembara.accounts.models import TOTPDevice
from sayembara.accounts.services.security import (
    SESSION_VERIFIED_KEY,
    check_totp_code,
    disable_totp,
    provisioning_uri,
    start_totp_enrolment,
)
from sayembara.common.permissions import AUTHENTICATED, PUBLIC, requires
from sayembara.common.redirects import safe_next

login_view = requires(PUBLIC)(
    auth_views.LoginView.as_view(
        template_name="accounts/login.html", authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)
logout_view = requires(PUBLIC)(auth_views.LogoutView.as_view())


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a refused sign-in: the sign-in page, whose form says how long
    the account is paused, with 429 Too Many Requests."""
    from sayembara.accounts.services.lockout import cooloff_seconds

    response = original_response
    if response is None or response.status_code != 200:
        response = render(request, "accounts/login.html", {
            "form": LoginForm(request, initial={"username": request.POST.get("username", "")}),
            "lockout_message": LoginForm.error_messages["locked"] % {
                "minutes": cooloff_seconds() // 60}})
    response.status_code = 429
    response["Retry-After"] = str(cooloff_seconds())
    return response


def _safe_next(request, default: str = "/") -> str:
    return safe_next(request, default)


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if check_totp_code(user=request.user, code=form.cleaned_data["code"]):
            request.session[SESSION_VERIFIED_KEY] = True
            return redirect(_safe_next(request))
        form.add_error("code", _("That code is not right or was already used. Enter the "
                                 "current code shown by your authenticator app."))
    return render(request, "accounts/totp_verify.html", {"form": form,
                                                         "next": _safe_next(request)})


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    device = TOTPDevice.objects.filter(user=request.user).first()
    form = TOTPCodeForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "start":
            device = start_totp_enrolment(user=request.user)
            form = TOTPCodeForm()
        elif action == "disable":
            disable_totp(user=request.user)
            messages.success(request, _("Two-factor sign-in is turned off."))
            return redirect("accounts:totp_setup")
        elif device is not None and form.is_valid():
            if check_totp_code(user=request.user, code=form.cleaned_data["code"]):
                request.session[SESSION_VERIFIED_KEY] = True
                messages.success(request, _("Two-factor sign-in is on. You will be asked for a "
                                            "code each time you sign in."))
                return redirect("accounts:totp_setup")
            form.add_error("code", _("That code is not right. Check the time on your phone "
                                     "and enter the current code."))
    qr_svg = None
    if device is not None and not device.confirmed:
        qr_svg = segno.make(provisioning_uri(device)).svg_inline(scale=4)
    return render(request, "accounts/totp_setup.html",
                  {"device": device, "form": form, "qr_svg": qr_svg})
