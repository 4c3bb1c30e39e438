from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sayembara.common import choices
from sayembara.competitions.enums import TimeZone
from sayembara.competitions.models import Organiser


class EditionCreateForm(forms.Form):
    START_CHOICES = [
        ("blank", _("A blank template: one category, one stage, one criterion, to fill in "
                    "the forms")),
        ("copy", _("A copy of a built-in template")),
        ("upload", _("A template file (YAML)")),
    ]

    organiser = choices.ModelChoiceField(label=_("Organiser"), queryset=Organiser.objects.none())
    competition = forms.CharField(
        label=_("Name of the competition"), max_length=150,
        help_text=_("Without the year, e.g. Lomba Inovasi Desa. The competition gets its own "
                    "address; an edition of a later year keeps the same name."))
    start = forms.ChoiceField(label=_("Start from"), choices=START_CHOICES, initial="blank",
                              widget=forms.RadioSelect)
    template = forms.ChoiceField(label=_("Built-in template to copy"), required=False)
    template_file = forms.FileField(
        label=_("Template file (YAML)"), required=False,
        help_text=_("A file in the format described in the documentation, at most 1 MB."),
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title (optional)"), max_length=200, required=False,
                            help_text=_("Empty: the competition's name and the year."))
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
        start = cleaned.get("start")
        upload = cleaned.get("template_file")
        if start == "copy" and not cleaned.get("template"):
            self.add_error("template", _("Choose the built-in template to copy."))
        if start == "upload" and not upload:
            self.add_error("template_file", _("Choose the template file to upload."))
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


class OrganiserForm(forms.Form):
    name = forms.CharField(label=_("Name of the organiser"), max_length=200,
                           help_text=_("The body that runs the competitions, e.g. BRIDA "
                                       "Kabupaten Badung."))
    region_name = forms.CharField(label=_("Region"), max_length=200, required=False,
                                  help_text=_("e.g. Kabupaten Badung, Provinsi Bali."))
    timezone = forms.ChoiceField(label=_("Time zone"), choices=TimeZone.choices,
                                 initial=TimeZone.WIB)
    invite_email = forms.EmailField(
        label=_("E-mail of the first secretariat member (optional)"), required=False,
        help_text=_("They receive a link to choose a password and can then create the "
                    "organiser's competitions."))
    invite_name = forms.CharField(label=_("Their name (optional)"), max_length=200,
                                  required=False)


class SecretariatInviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    full_name = forms.CharField(label=_("Name (optional)"), max_length=200, required=False)
