import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from sayembara.accounts.forms import (
    DisableTwoStepForm,
    LoginForm,
    PasswordResetRequestForm,
    SecondStepForm,
    TOTPCodeForm,
)
from sayembara.accounts.models import TOTPDevice
from sayembara.accounts.services.passwords import (
    record_password_changed,
    record_password_reset,
)
from sayembara.accounts.services.security import (
    SESSION_NEW_CODES_KEY,
    SESSION_VERIFIED_KEY,
    TwoStepError,
    confirm_totp,
    disable_totp,
    provisioning_uri,
    recovery_codes_left,
    regenerate_recovery_codes,
    start_totp_enrolment,
    two_step_required,
    verify_second_step,
)
from sayembara.common.clientip import client_ip
from sayembara.common.permissions import AUTHENTICATED, PUBLIC, requires
from sayembara.common.redirects import safe_next
from sayembara.common.services.audit import record_event

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


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """An invited person chooses a password from the e-mailed link and is signed in.

    Django's password-reset confirmation: the token is moved into the session before the
    form is shown (so it never leaks in a Referer), and stops working once a password is
    set or ``PASSWORD_RESET_TIMEOUT`` has passed.
    """

    template_name = "accounts/invitation_accept.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = reverse_lazy("web:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_event(actor=form.user, action="account.invitation_accepted", obj=form.user,
                     after={"email": form.user.email})
        messages.success(self.request, _("Your password is set and you are signed in. Next "
                                         "time, sign in with %(email)s and this password.")
                         % {"email": form.user.email or form.user.username})
        return response


invitation_accept = requires(PUBLIC)(InvitationAcceptView.as_view())


def _safe_next(request, default: str = "/") -> str:
    return safe_next(request, default)


# -- passwords ------------------------------------------------------------------------------

class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def get_form_kwargs(self):
        return super().get_form_kwargs() | {"client_ip": client_ip(self.request)}


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        record_password_reset(user=form.user)
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:totp_setup")

    def form_valid(self, form):
        response = super().form_valid(form)
        update_session_auth_hash(self.request, form.user)
        record_password_changed(user=form.user)
        messages.success(self.request, _("Your password is changed."))
        return response


password_reset = requires(PUBLIC)(PasswordResetView.as_view())
password_reset_done = requires(PUBLIC)(auth_views.PasswordResetDoneView.as_view(
    template_name="accounts/password_reset_done.html"))
password_reset_confirm = requires(PUBLIC)(PasswordResetConfirmView.as_view())
password_reset_complete = requires(PUBLIC)(auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"))
password_change = requires(AUTHENTICATED)(PasswordChangeView.as_view())


# -- two-step verification ------------------------------------------------------------------

@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def totp_verify(request):
    form = SecondStepForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            how = verify_second_step(user=request.user, code=form.cleaned_data["code"])
        except TwoStepError as refused:
            form.add_error("code", refused.message)
        else:
            request.session.cycle_key()
            request.session[SESSION_VERIFIED_KEY] = True
            if how == "recovery":
                messages.warning(request, _(
                    "You signed in with a recovery code; %(left)s are left. Each works once: "
                    "make new ones on the Security page.") % {
                    "left": recovery_codes_left(request.user)})
            return redirect(_safe_next(request))
    return render(request, "accounts/totp_verify.html", {"form": form,
                                                         "next": _safe_next(request)})


@requires(AUTHENTICATED)
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    user = request.user
    device = TOTPDevice.objects.filter(user=user).first()
    form = TOTPCodeForm()
    disable_form = DisableTwoStepForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start":
                device = start_totp_enrolment(user=user)
            elif action == "confirm" and device is not None and not device.confirmed:
                form = TOTPCodeForm(request.POST)
                if form.is_valid():
                    codes = confirm_totp(user=user, code=form.cleaned_data["code"])
                    request.session[SESSION_VERIFIED_KEY] = True
                    request.session[SESSION_NEW_CODES_KEY] = codes
                    messages.success(request, _("Two-step verification is on. You will be "
                                                "asked for a code each time you sign in."))
                    return redirect("accounts:totp_setup")
            elif action == "disable" and device is not None and device.confirmed:
                disable_form = DisableTwoStepForm(request.POST)
                if disable_form.is_valid():
                    disable_totp(user=user, password=disable_form.cleaned_data["password"],
                                 code=disable_form.cleaned_data["code"])
                    messages.success(request, _("Two-step verification is turned off."))
                    return redirect("accounts:totp_setup")
            elif action == "recovery" and device is not None and device.confirmed:
                form = TOTPCodeForm(request.POST)
                if form.is_valid():
                    codes = regenerate_recovery_codes(user=user,
                                                      code=form.cleaned_data["code"])
                    request.session[SESSION_NEW_CODES_KEY] = codes
                    messages.success(request, _("New recovery codes are made; the earlier "
                                                "ones no longer work."))
                    return redirect("accounts:totp_setup")
        except TwoStepError as refused:
            target = disable_form if action == "disable" else form
            target.add_error(refused.field if refused.field in target.fields else None,
                             refused.message)
    qr_svg = None
    if device is not None and not device.confirmed:
        qr_svg = segno.make(provisioning_uri(device)).svg_inline(scale=4)
    new_codes = request.session.pop(SESSION_NEW_CODES_KEY, None) if request.method == "GET" \
        else None
    return render(request, "accounts/totp_setup.html", {
        "device": device, "form": form, "disable_form": disable_form, "qr_svg": qr_svg,
        "new_codes": new_codes,
        "codes_left": recovery_codes_left(user) if device and device.confirmed else None,
        "required": two_step_required(user),
    }, status=200 if not (form.errors or disable_form.errors) else 400)
