from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from sayembara.accounts.services.lockout import minutes_left


class LoginForm(AuthenticationForm):
    """Django's sign-in form; django-axes refuses a locked account before its password is
    checked (accounts.services.lockout), and the form then says so."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _(
            "Too many failed attempts. Sign-in for this account is paused for %(minutes)s "
            "minutes; try again later or ask the secretariat to reset your password."
        ),
    }

    def clean(self):
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
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                      "autofocus": True}),
    )
