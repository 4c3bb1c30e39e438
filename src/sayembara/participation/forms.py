"""Forms of the participant side. They validate; the services in ``sayembara.entries`` act."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.common import choices
from sayembara.competitions.models import Category, Edition, Group
from sayembara.entries.enums import CheckOutcome, CheckReason, InvitationRole
from sayembara.entries.models import Entry, Institution
from sayembara.entries.selectors.requirements import UploadSlot, claim_levels, upload_slots
from sayembara.entries.selectors.wording import entry_words
from sayembara.entries.validators import (
    check_upload,
    check_video_length,
    check_video_url,
    check_word_limit,
    duration_range,
    format_duration,
    kinds_label,
    video_is_reachable,
)
from sayembara.template_format.model import Template

_DURATION_RE = re.compile(r"^\s*(?:(\d{1,3})\s*[:.]\s*)?(\d{1,4})\s*$")


def parse_duration(text: str) -> int:
    """Seconds from ``90``, ``1:30`` or ``1.30``."""
    match = _DURATION_RE.match(text or "")
    if not match:
        raise ValidationError(
            _("Write the length as minutes:seconds, e.g. 1:30, or as seconds, e.g. 90.")
        )
    minutes, seconds = match.groups()
    if minutes is not None and int(seconds) >= 60:
        raise ValidationError(_("The seconds after the colon must be below 60, e.g. 1:30."))
    return int(minutes or 0) * 60 + int(seconds)


def upload_field_name(slot: UploadSlot) -> str:
    return f"upload__{slot.kind}__{slot.id}"


class EntryStartForm(forms.Form):
    institution = choices.ModelChoiceField(label=gettext_lazy("Institution"),
                                         queryset=Institution.objects.none())
    category = choices.ModelChoiceField(label=gettext_lazy("Category"),
                                      queryset=Category.objects.none())
    group = choices.ModelChoiceField(label=gettext_lazy("Group"), queryset=Group.objects.none(),
                                   required=False)
    title = forms.CharField(label=gettext_lazy("Title of the innovation"), max_length=300)

    def __init__(self, *args: Any, edition: Edition, institutions, **kwargs: Any):
        super().__init__(*args, **kwargs)
        from sayembara.competitions.services.editions import template_of

        self.words = entry_words(template_of(edition))
        self.fields["title"].label = self.words.title_label
        self.fields["institution"].queryset = institutions
        if len(institutions) == 1:
            self.fields["institution"].initial = institutions[0]
        self.edition = edition
        self.fields["category"].queryset = edition.categories.all()
        if len(institutions) == 1:
            # The one category open to the institution's type, chosen already.
            kind = institutions[0].kind
            fitting = [c for c in edition.categories.all() if kind in (c.institution_types or [])]
            if len(fitting) == 1:
                self.fields["category"].initial = fitting[0]
        self.fields["group"].queryset = edition.groups.all()
        if not edition.groups.exists():
            del self.fields["group"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        institution, category = cleaned.get("institution"), cleaned.get("category")
        if institution is not None and category is not None:
            check_placement_into(self, edition=self.edition, institution=institution,
                                 category=category, group=cleaned.get("group"))
        return cleaned


def check_placement_into(form: forms.Form, *, edition: Edition, institution: Institution,
                         category: Category, group: Group | None) -> None:
    """Add to ``form`` every reason the institution may not enter the category and group
    (institution types, a group reserved for past winners), on the field at fault."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.services.eligibility import Applicant, check_placement

    for refusal in check_placement(
        template=template_of(edition), edition=edition, category_key=category.key,
        group_key=group.key if group is not None else None,
        applicant=Applicant(name=institution.name, kind=institution.kind, pk=institution.pk),
    ):
        field = refusal.field if refusal.field in form.fields else None
        form.add_error(field, refusal.message)


class EntryForm(forms.Form):
    """The whole entry form of one edition, built from its template.

    Validation covers word limits, the video link and length, and every uploaded file (by
    content and size), so a bad value refuses the whole save and everything typed stays in
    the form.
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=gettext_lazy("Title of the innovation"), max_length=300)
    category = choices.ModelChoiceField(label=gettext_lazy("Category"),
                                      queryset=Category.objects.none())
    group = choices.ModelChoiceField(label=gettext_lazy("Group"), queryset=Group.objects.none(),
                                   required=False)
    innovators = forms.CharField(
        label=gettext_lazy("Innovators"), required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Names of the people behind the innovation, one per line."),
    )
    innovation_started_on = forms.DateField(
        label=gettext_lazy("In use since"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("The date the innovation started serving people."),
    )
    summary = forms.CharField(
        label=gettext_lazy("Short description for the catalogue"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, entry: Entry, template: Template, **kwargs: Any):
        super().__init__(*args, **kwargs)
        #: (file, slot title, refusal) for every file the upload checks refused.
        self.refused_uploads: list[tuple[Any, str, ValidationError]] = []
        self.entry = entry
        self.template = template
        self.words = entry_words(template)
        self.fields["title"].label = self.words.title_label
        edition = entry.edition
        self.fields["category"].queryset = edition.categories.all()
        self.fields["group"].queryset = edition.groups.all()
        if not template.groups:
            del self.fields["group"]
        form = template.entry_form
        self.section_fields = []
        for section in form.sections:
            name = f"section__{section.id}"
            attrs = {"rows": 8 if (section.max_words or 0) > 200 else 5}
            if section.max_words:
                attrs["data-max-words"] = str(section.max_words)
            self.fields[name] = forms.CharField(
                label=section.title, required=False, widget=forms.Textarea(attrs=attrs),
                help_text=section.guidance,
            )
            self.fields[name].max_words = section.max_words
            self.fields[name].section_required = section.required
            self.section_fields.append(name)
        self.statement_fields = []
        for statement in form.statements:
            if statement.document:
                continue
            name = f"affirm__{statement.id}"
            self.fields[name] = forms.BooleanField(label=statement.title, required=False)
            self.statement_fields.append(name)
        self.claim_fields = []
        for item in form.self_assessment:
            levels = claim_levels(template, item)
            choices = [("", _("— not answered —"))] + [
                (str(index), f"{level.label}" + (f" — {level.evidence}" if level.evidence
                                                 else ""))
                for index, level in enumerate(levels)
            ]
            self.fields[f"claim__{item.id}"] = forms.TypedChoiceField(
                label=item.question, choices=choices, required=False, coerce=int,
                empty_value=None,
            )
            self.fields[f"claimnote__{item.id}"] = forms.CharField(
                label=_("Explanation"), required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.claim_fields.append((f"claim__{item.id}", f"claimnote__{item.id}", item))
        self.video = form.video
        if self.video is not None:
            hosts = ", ".join(self.video.hosts) or _("YouTube, Google Drive or any https address")
            self.fields["video_url"] = forms.CharField(
                label=_("Video link"), required=False, max_length=500,
                widget=forms.URLInput(attrs={"placeholder": "https://"}),
                help_text=_("A public https link (%(hosts)s). %(guidance)s")
                % {"hosts": hosts, "guidance": self.video.guidance},
            )
            self.fields["video_length"] = forms.CharField(
                label=_("Video length (minutes:seconds)"), required=False, max_length=10,
                help_text=_("Accepted: %(range)s.")
                % {"range": duration_range(self.video.min_seconds, self.video.max_seconds)},
            )
        self.slots = upload_slots(edition, template)
        self.upload_fields = []
        for slot in self.slots.values():
            name = upload_field_name(slot)
            help_text = _("%(kinds)s, at most %(size)s MB.") % {
                "kinds": kinds_label(slot.kinds), "size": slot.max_size_mb}
            if slot.year:
                help_text = _("Covering %(year)s. ") % {"year": slot.year} + help_text
            self.fields[name] = forms.FileField(label=slot.title, required=False,
                                                help_text=help_text)
            self.fields[name].slot = slot
            self.upload_fields.append(name)

    @classmethod
    def initial_for(cls, entry: Entry) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": entry.version, "title": entry.title, "category": entry.category_id,
            "group": entry.group_id, "innovators": entry.innovators,
            "innovation_started_on": entry.innovation_started_on, "summary": entry.summary,
            "video_url": entry.video_url,
            "video_length": format_duration(entry.video_seconds) if entry.video_seconds else "",
        }
        for key, text in (entry.proposal or {}).items():
            initial[f"section__{key}"] = text
        for statement in entry.affirmations.all():
            initial[f"affirm__{statement.statement}"] = True
        for claim in entry.claims.all():
            initial[f"claim__{claim.item}"] = str(claim.level)
            initial[f"claimnote__{claim.item}"] = claim.note
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        category, group = cleaned.get("category"), cleaned.get("group")
        if category is not None and (category.pk, getattr(group, "pk", None)) != (
                self.entry.category_id, self.entry.group_id):
            check_placement_into(self, edition=self.entry.edition,
                                 institution=self.entry.institution, category=category,
                                 group=group)
        for name in self.section_fields:
            field = self.fields[name]
            try:
                check_word_limit(cleaned.get(name) or "", limit=field.max_words,
                                 title=str(field.label))
            except ValidationError as error:
                self.add_error(name, error)
        group = cleaned.get("group")
        category = cleaned.get("category")
        if group is not None and category is not None:
            spec = next((g for g in self.template.groups if g.id == group.key), None)
            if spec is not None and spec.categories and category.key not in spec.categories:
                self.add_error("group", _("The group %(group)s is not part of the category "
                                          "%(category)s.") % {"group": group.name,
                                                              "category": category.name})
        if self.video is not None:
            self._clean_video(cleaned)
        for name in self.upload_fields:
            upload = cleaned.get(name)
            if not upload:
                continue
            slot = self.fields[name].slot
            try:
                cleaned[f"{name}__type"] = check_upload(
                    upload, kinds=slot.kinds, max_size_mb=slot.max_size_mb, purpose=slot.title)
            except ValidationError as error:
                self.add_error(name, error)
                # Browsers empty a file input when the page comes back, so the person must
                # know to choose the file again; the typed values stay in the form.
                self.add_error(name, _("The file was not stored: choose it again (the "
                                       "browser empties this field after a refusal)."))
                self.refused_uploads.append((upload, slot.title, error))
        if self.errors and any(self.cleaned_data.get(name) for name in self.upload_fields):
            self.add_error(None, _("Nothing was saved. Correct the marked fields; choose the "
                                   "files again, because browsers do not keep them after a "
                                   "refusal."))
        return cleaned

    def _clean_video(self, cleaned: dict[str, Any]) -> None:
        url = (cleaned.get("video_url") or "").strip()
        if url:
            try:
                cleaned["video_url"] = check_video_url(url, hosts=self.video.hosts)
            except ValidationError as error:
                self.add_error("video_url", error)
            else:
                if getattr(settings, "SAYEMBARA_CHECK_VIDEO_LINKS", False) and not (
                    video_is_reachable(url)
                ):
                    self.add_error("video_url", _(
                        "The video link “%(url)s” cannot be opened: the host did not answer "
                        "or says the video does not exist. Check that the video is public "
                        "(anyone with the link can view).") % {"url": url})
        length = (cleaned.get("video_length") or "").strip()
        cleaned["video_seconds"] = None
        if length:
            try:
                seconds = parse_duration(length)
                check_video_length(seconds, min_seconds=self.video.min_seconds,
                                   max_seconds=self.video.max_seconds)
                cleaned["video_seconds"] = seconds
            except ValidationError as error:
                self.add_error("video_length", error)

    def to_data(self) -> dict[str, Any]:
        """The cleaned form as the draft data ``save_draft`` takes."""
        data = self.cleaned_data
        started = data.get("innovation_started_on")
        category = data.get("category")
        group = data.get("group")
        return {
            "title": data.get("title", ""),
            "innovators": data.get("innovators", ""),
            "summary": data.get("summary", ""),
            "category": category.pk if category else self.entry.category_id,
            "group": group.pk if group else None,
            "innovation_started_on": started.isoformat() if isinstance(started, dt.date)
            else None,
            "proposal": {name.split("__", 1)[1]: data.get(name) or ""
                         for name in self.section_fields},
            "video_url": data.get("video_url", "") if self.video is not None else "",
            "video_seconds": data.get("video_seconds") if self.video is not None else None,
            "claims": {
                item.id: {"level": data.get(level_name), "note": data.get(note_name) or ""}
                for level_name, note_name, item in self.claim_fields
            },
            "affirmations": [name.split("__", 1)[1] for name in self.statement_fields
                             if data.get(name)],
        }

    def uploads(self) -> list[tuple[UploadSlot, Any]]:
        return [(self.fields[name].slot, self.cleaned_data[name])
                for name in self.upload_fields if self.cleaned_data.get(name)]


class AcceptInvitationForm(forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    password1 = forms.CharField(label=gettext_lazy("Password"), widget=forms.PasswordInput,
                                strip=False)
    password2 = forms.CharField(label=gettext_lazy("Password again"),
                                widget=forms.PasswordInput, strip=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords differ. Type the same password "
                                          "twice."))
        return cleaned


class ReturnForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("What must be corrected"),
                              widget=forms.Textarea(attrs={"rows": 3}))


class ForwardForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("Note to the organiser (optional)"),
                              required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdminCheckForm(forms.Form):
    outcome = forms.ChoiceField(label=gettext_lazy("Decision"), choices=CheckOutcome.choices,
                                widget=forms.RadioSelect)
    reasons = forms.MultipleChoiceField(
        label=gettext_lazy("Reasons"), choices=CheckReason.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("Required when the entry does not pass."),
    )
    note = forms.CharField(label=gettext_lazy("Note to the participant"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class BulkCheckForm(AdminCheckForm):
    entries = choices.ModelMultipleChoiceField(queryset=Entry.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, edition: Edition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = Entry.objects.filter(edition=edition)
        self.fields["entries"].error_messages["required"] = _("Tick at least one entry.")


class ExtensionForm(forms.Form):
    until = forms.DateTimeField(
        label=gettext_lazy("New deadline (the edition's time zone)"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    reason = forms.CharField(label=gettext_lazy("Reason (logged)"),
                             widget=forms.Textarea(attrs={"rows": 2}))


class MentoringForm(forms.Form):
    held_on = forms.DateField(label=gettext_lazy("Date"),
                              widget=forms.DateInput(attrs={"type": "date"}))
    mentor = forms.CharField(label=gettext_lazy("Mentor"), max_length=200)
    notes = forms.CharField(label=gettext_lazy("Notes"), widget=forms.Textarea(attrs={"rows": 3}))
    next_step = forms.CharField(label=gettext_lazy("Next step"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))


class CarryForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("Into edition and category"))
    institution = choices.ModelChoiceField(label=gettext_lazy("As institution"),
                                         queryset=Institution.objects.none())

    def __init__(self, *args: Any, targets: list[tuple[str, str]], institutions, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = [("", _("— choose —")), *targets]
        self.fields["institution"].queryset = institutions


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        help_text=gettext_lazy("First row: name, type, parent, region code, e-mail. Add "
                               "title and category columns to import one entry per row."),
    )
    edition = choices.ModelChoiceField(
        label=gettext_lazy("Edition for the entries (only with title and category columns)"),
        queryset=Edition.objects.none(), required=False,
    )

    def __init__(self, *args: Any, editions, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["edition"].queryset = editions


class PastWinnersForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
                           help_text=gettext_lazy("Columns: institution, year, rank, award."))


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail"))
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=InvitationRole.choices)

    def __init__(self, *args: Any, may_invite_admin: bool, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if not may_invite_admin:
            self.fields["role"].choices = [
                (InvitationRole.OPERATOR.value, InvitationRole.OPERATOR.label)]


class UnitForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the unit"), max_length=300)
    kind = forms.ChoiceField(label=gettext_lazy("Type"),
                             help_text=gettext_lazy("The types the competitions' rules name."))
    region_code = forms.CharField(label=gettext_lazy("Kemendagri region code"), max_length=20,
                                  required=False)
    email = forms.EmailField(label=gettext_lazy("Contact e-mail"), required=False)

    def __init__(self, *args, organiser, **kwargs):
        from sayembara.entries.selectors.types import type_choices

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", gettext_lazy("— choose —")),
                                       *type_choices(organiser)]


class PutForwardForm(forms.Form):
    """The sending organiser puts entries forward to another organiser's edition."""

    entries = choices.ModelMultipleChoiceField(
        label=gettext_lazy("Entries"), queryset=Entry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Tick at least one entry.")})
    to_edition = choices.ModelChoiceField(
        label=gettext_lazy("Competition of the next level"), queryset=Edition.objects.none(),
        empty_label=gettext_lazy("— choose —"))
    note = forms.CharField(
        label=gettext_lazy("Note for the receiving organiser"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example the award the entry won and who to contact."))

    def __init__(self, *args: Any, entries, editions, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["entries"].queryset = entries
        self.fields["to_edition"].queryset = editions
        self.fields["to_edition"].label_from_instance = (
            lambda edition: f"{edition.title} · {edition.organiser.name}")


class ForwardingSettingsForm(forms.Form):
    accepts = forms.BooleanField(
        label=gettext_lazy("Other organisers may put entries forward to this edition"),
        required=False)
    note = forms.CharField(
        label=gettext_lazy("What senders should know"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("For example which entries you take and until when."))


class ReferralDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=gettext_lazy("Decision"), widget=forms.RadioSelect,
        choices=[("accept", gettext_lazy("Accept into this edition")),
                 ("decline", gettext_lazy("Decline"))])
    category = choices.ModelChoiceField(label=gettext_lazy("Category"), required=False,
                                      queryset=Category.objects.none(),
                                      empty_label=gettext_lazy("— choose —"))
    group = choices.ModelChoiceField(label=gettext_lazy("Group"), required=False,
                                   queryset=Group.objects.none(),
                                   empty_label=gettext_lazy("— none —"))
    institution = choices.ModelChoiceField(
        label=gettext_lazy("Institution in your registry"), required=False,
        queryset=Institution.objects.none(),
        empty_label=gettext_lazy("— add it to the registry as sent —"))
    reason = forms.CharField(
        label=gettext_lazy("Reason or note for the sender"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Required when you decline."))

    def __init__(self, *args: Any, edition, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = edition.categories.order_by("order")
        self.fields["group"].queryset = edition.groups.order_by("order")
        self.fields["institution"].queryset = Institution.objects.filter(
            organiser_id=edition.organiser_id).order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("category"):
            self.add_error("category", _("Choose the category the entry goes into."))
        if data.get("decision") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the entry is declined; the sender reads it."))
        return data
