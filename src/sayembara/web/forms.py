from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sayembara.common import choices
from sayembara.competitions.enums import TimeZone
from sayembara.competitions.models import Organiser


class EditionCreateForm(forms.Form):
    organiser = choices.ModelChoiceField(label=_("Organiser"), queryset=Organiser.objects.none())
    template = forms.ChoiceField(label=_("Built-in template"), required=False)
    template_file = forms.FileField(
        label=_("…or upload a template file (YAML)"), required=False,
        help_text=_("A file in the format described in the documentation, at most 1 MB."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False)
    time_zone = forms.ChoiceField(
        label=_("Time zone"), required=False,
        choices=[("", _("as in the template")), *TimeZone.choices],
    )

    def __init__(self, *args, organisers, builtin_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        if organisers.count() == 1:
            self.fields["organiser"].initial = organisers.first()
        self.fields["template"].choices = [("", _("— choose —")), *builtin_choices]
        self.fields["year"].initial = timezone.localdate().year

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("template_file")
        if not cleaned.get("template") and not upload:
            raise forms.ValidationError(
                _("Choose a built-in template or upload a template file.")
            )
        if upload is not None and upload.size > 1024 * 1024:
            self.add_error("template_file", _("The template file is larger than 1 MB."))
        return cleaned


class ApiTokenForm(forms.Form):
    """A new API token: its name, organiser, permissions and term."""

    TERMS = [(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))]

    name = forms.CharField(label=_("Name"), max_length=100,
                           help_text=_("Which system will use it, for example “SIPD "
                                       "integration”."))
    organiser = choices.ModelChoiceField(label=_("Organiser"), queryset=Organiser.objects.none())
    scopes = forms.MultipleChoiceField(label=_("Permissions"),
                                       widget=forms.CheckboxSelectMultiple, choices=[])
    days = forms.TypedChoiceField(label=_("Valid for"), coerce=int, choices=TERMS, initial=90)

    def __init__(self, *args, organisers, **kwargs):
        from sayembara.accounts.enums import TokenScope

        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = organisers
        if organisers.count() == 1:
            self.fields["organiser"].initial = organisers.first()
            self.fields["organiser"].widget = forms.HiddenInput()
        self.fields["scopes"].choices = TokenScope.choices
        self.fields["scopes"].initial = [TokenScope.READ]
