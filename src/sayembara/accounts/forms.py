from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from sayembara.accounts.services.lockout import minutes_left


class LoginForm(AuthenticationForm):
    """Django's sign-in form; django-axes refuses a locked account before its password is
    checked (accounts.services.lockout), and the form then says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        # Django's own sentence names the field twice in Indonesian ("nama pengguna nama
        # pengguna"); this one also says that the account may be named by its e-mail address.
        "invalid_login": _(
            "The user name (or e-mail address) or the password is not right. Check both, then "
            "try again; capital and small letters count in the password."
        ),
        "locked": ngettext_lazy(
            "Too many failed attempts. Sign-in for this account is paused for %(minutes)s "
            "minute; try again later or ask the secretariat to reset your password.",
            "Too many failed attempts. Sign-in for this account is paused for %(minutes)s "
            "minutes; try again later or ask the secretariat to reset your password.",
            "minutes",
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        from sayembara.accounts.services.lockout import address_is_suspect
        from sayembara.common.clientip import client_ip

        # Many failures from this address: its sign-ins must pass the anti-robot check.
        self.needs_check = bool(request) and address_is_suspect(client_ip(request))

    def clean(self):
        if self.needs_check and self.data:
            from sayembara.voting.errors import Refused
            from sayembara.voting.services import pow

            try:
                pow.check_solution(payload=self.data.get(pow.FIELD, ""), purpose="login")
            except Refused as refused:
                raise forms.ValidationError(refused.message, code="robot_check") from None
        try:
            return super().clean()
        except forms.ValidationError:
            if getattr(self.request, "axes_locked_out", False):
                username = self.cleaned_data.get("username") or ""
                raise forms.ValidationError(
                    self.error_messages["locked"], code="locked",
                    params={"minutes": minutes_left(username) or _cooloff_minutes()},
                ) from None
            raise


def _cooloff_minutes() -> int:
    from django.conf import settings

    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


class TOTPCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}),
    )


class SecondStepForm(forms.Form):
    """The code asked for after the password: the app's code or a recovery code."""

    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True,
                                      "autocapitalize": "off", "spellcheck": "false"}),
    )


class DisableTwoStepForm(forms.Form):
    password = forms.CharField(label=_("Your password"), strip=False,
                               widget=forms.PasswordInput(
                                   attrs={"autocomplete": "current-password"}))
    code = forms.CharField(
        label=_("Code from your authenticator app, or a recovery code"), max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code",
                                      "autocapitalize": "off"}),
    )


class ResetTwoStepForm(forms.Form):
    how_checked = forms.CharField(
        label=_("How you checked who is asking"), max_length=2000,
        help_text=_("For example: a video call in which they showed their ID card, or a call "
                    "to the phone number the secretariat has on file. It is kept in the "
                    "audit log."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form, with the e-mail sent by the background worker and a limit per
    address, so the form cannot be used to flood someone's inbox."""

    def __init__(self, *args, client_ip: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client_ip = client_ip

    def clean_email(self):
        from sayembara.common.services import counters

        email = self.cleaned_data["email"]
        per_address = counters.incr(f"password-reset-ip:{self.client_ip}", ttl=3600)
        per_email = counters.incr(f"password-reset-email:{email.casefold()}", ttl=3600)
        if per_address > 10 or per_email > 3:
            raise forms.ValidationError(
                _("Too many requests for a new password. Wait an hour and try again."),
                code="throttled")
        return email

    def save(self, **kwargs):
        from django.utils.translation import get_language

        from sayembara.accounts.tasks import send_password_reset

        language = get_language() or "id"
        for user in self.get_users(self.cleaned_data["email"]):
            send_password_reset.enqueue(user.pk, language)
