from django import forms
from django.utils.translation import gettext_lazy as _

from sayembara.documents.enums import Breakdown
from sayembara.documents.models import CertificateDesign
from sayembara.voting.enums import BallotScope, BallotUse


class PublicationForm(forms.Form):
    breakdown = forms.ChoiceField(label=_("Score breakdown shown to the public"),
                                  choices=Breakdown.choices)
    show_rank_intervals = forms.BooleanField(label=_("Show the finalists' rank intervals"),
                                             required=False)
    publish_finalists = forms.BooleanField(label=_("Finalists are public"), required=False)
    publish_results = forms.BooleanField(label=_("Results are public"), required=False)


class BallotForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    opens_at = forms.DateTimeField(label=_("Voting opens"),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(label=_("Voting closes"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    scope = forms.ChoiceField(label=_("Votes per person"), choices=BallotScope.choices)
    use = forms.ChoiceField(label=_("The counts are used for"), choices=BallotUse.choices)
    show_live_counts = forms.BooleanField(label=_("Show live counts"), required=False)
    votes_per_ip_per_hour = forms.IntegerField(label=_("Votes accepted per IP address per hour"),
                                               min_value=1, max_value=100000)
    votes_per_voter_per_minute = forms.IntegerField(
        label=_("Vote attempts per voter per minute"), min_value=1, max_value=1000)


class SignatoriesField(forms.CharField):
    """One signatory per line: name | title | id number (NIP)."""

    def to_python(self, value):
        text = super().to_python(value) or ""
        people = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split("|")]
            if not parts[0]:
                raise forms.ValidationError(
                    _("Line %(line)s has no name. Write: name | title | NIP."),
                    params={"line": number})
            people.append({"name": parts[0], "title": parts[1] if len(parts) > 1 else "",
                           "id_number": parts[2] if len(parts) > 2 else ""})
        return people

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(" | ".join(filter(None, [p.get("name", ""), p.get("title", ""),
                                                      p.get("id_number", "")])) for p in value)
        return value


class CertificateDesignForm(forms.ModelForm):
    signatories = SignatoriesField(
        label=_("Signatories"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: name | title | NIP. At most four."))

    class Meta:
        model = CertificateDesign
        fields = ["heading", "wording", "place_and_date", "signatories", "logo", "background",
                  "accent_color"]
        widgets = {"wording": forms.Textarea(attrs={"rows": 3}),
                   "accent_color": forms.TextInput(attrs={"type": "color"})}
