"""Forms of the jury pages. They validate input; the judging services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from sayembara.common import choices
from sayembara.judging.enums import Decision, FeedbackKind, FieldFinding, JuryRole, Unsur


class PledgeForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the integrity pledge and accept it."),
        error_messages={"required": _("Tick the box to accept the integrity pledge.")},
    )


class ConflictForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you have a conflict of interest with this entry?"),
        widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        error_messages={"required": _("Say briefly why there is a conflict of interest.")},
    )


class JudgeForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("E-mail (for the invitation)"), required=False)
    unsur = forms.ChoiceField(label=_("Unsur"), choices=Unsur.choices)
    role = forms.ChoiceField(label=_("Role"), choices=JuryRole.choices,
                             initial=JuryRole.ANGGOTA)
    affiliation = forms.CharField(label=_("Affiliation"), max_length=300, required=False)
    institution = choices.ModelChoiceField(
        label=_("Own institution in the registry (for conflicts of interest)"),
        queryset=None, required=False,
    )
    field_verifier = forms.BooleanField(
        label=_("Member of the field verification team"), required=False)
    invite = forms.BooleanField(label=_("Send the invitation now"), required=False,
                                initial=True)

    def __init__(self, *args, institutions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = institutions


class SetConflictForm(forms.Form):
    judge = choices.ModelChoiceField(label=_("Judge"), queryset=None)
    entry = choices.ModelChoiceField(label=_("Entry"), queryset=None)
    reason = forms.CharField(label=_("Reason"), max_length=2000)

    def __init__(self, *args, judges, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges
        self.fields["entry"].queryset = entries


class PanelMemberForm(forms.Form):
    judge = choices.ModelChoiceField(label=_("Judge"), queryset=None)
    role = forms.ChoiceField(label=_("Role on this panel"), choices=JuryRole.choices)

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges


class AutoAssignForm(forms.Form):
    MODE_EVERYONE = "everyone"
    MODE_BALANCED = "balanced"
    mode = forms.ChoiceField(label=_("How"), choices=[
        (MODE_EVERYONE, _("Every judge scores every entry (small contests)")),
        (MODE_BALANCED, _("Balanced: k judges per entry (large contests)")),
    ])
    per_entry = forms.IntegerField(label=_("Judges per entry (k)"), min_value=1, max_value=50,
                                   required=False, initial=3)
    seed = forms.IntegerField(label=_("Seed of the judges' order"), required=False, initial=0,
                              min_value=0)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("mode") == self.MODE_BALANCED and not cleaned.get("per_entry"):
            self.add_error("per_entry", _("Give the number of judges per entry."))
        return cleaned


class ManualAssignForm(forms.Form):
    ADD = "add"
    REMOVE = "remove"
    judge = choices.ModelChoiceField(label=_("Judge"), queryset=None)
    entry = choices.ModelChoiceField(label=_("Entry"), queryset=None)
    # Not named "action": that field of the page's forms says which form was sent.
    change = forms.ChoiceField(label=_("Change"), choices=[
        (ADD, _("Assign the entry to the judge")),
        (REMOVE, _("Take the entry away from the judge")),
    ])
    reason = forms.CharField(label=_("Reason (for a removal)"), max_length=500, required=False)

    def __init__(self, *args, judges, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judges
        self.fields["entry"].queryset = entries


class CorrectionForm(forms.Form):
    criterion = forms.ChoiceField(label=_("Criterion"))
    value = forms.CharField(label=_("Corrected score"), max_length=30, required=False)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000, error_messages={"required": _(
            "Say why the score is corrected; the reason is kept with the old and new value.")},
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = criteria


class DecisionForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", _("— as the rules say —")),
                                                              *Decision.choices],
                                 required=False)
    reason = forms.CharField(label=_("Written reason"), max_length=3000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))


class ScheduleForm(forms.Form):
    first_start = forms.DateTimeField(
        label=_("First slot starts (local time)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    day_end = forms.TimeField(label=_("Day ends at"), required=False,
                              widget=forms.TimeInput(attrs={"type": "time"}))
    rooms = forms.CharField(label=_("Rooms, one per line (slots run in parallel)"),
                            required=False, widget=forms.Textarea(attrs={"rows": 2}))
    link = forms.URLField(label=_("Video call link (online presentations)"), required=False,
                          assume_scheme="https")
    presentation_minutes = forms.IntegerField(label=_("Minutes of presentation"), min_value=0)
    questions_minutes = forms.IntegerField(label=_("Minutes of questions"), min_value=0)
    changeover_minutes = forms.IntegerField(label=_("Minutes between slots"), min_value=0,
                                            initial=0)


class FieldVisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Date of the visit"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    received_by = forms.CharField(label=_("Received by (name and position)"), max_length=300,
                                  required=False)
    visitors = choices.ModelMultipleChoiceField(label=_("Who visited"), queryset=None,
                                              required=False,
                                              widget=forms.CheckboxSelectMultiple)
    findings = forms.CharField(label=_("General findings"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, judges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visitors"].queryset = judges


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"))
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    criterion = forms.ChoiceField(label=_("Aspect"), required=False)

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].choices = [("", _("— general —")), *criteria]


class RulingForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Ruling"))
    ruling = forms.CharField(label=_("Ruling and its reasons"),
                             widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                             error_messages={"required": _(
                                 "Write the ruling and its reasons; they are published with "
                                 "the final results.")})

    def __init__(self, *args, outcomes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome"].choices = outcomes


FINDING_CHOICES = FieldFinding.choices
FEEDBACK_CHOICES = FeedbackKind.choices


class UjiPublikDatesForm(forms.Form):
    opens_on = forms.DateField(label=_("First day"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"},
                                                      format="%Y-%m-%d"))
    closes_on = forms.DateField(label=_("Last day"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"},
                                                       format="%Y-%m-%d"))
