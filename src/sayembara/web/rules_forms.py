"""Forms that edit parts of an edition's rules (the validated template data).

Each editable list of the rules (timeline phases, categories, stages, a rubric's criteria,
award tiers) is a :class:`Section`: a formset of row forms whose fields map to keys of the
list's items, plus an optional header form for single values next to the list. The forms
only convert between typed values and template data; every rule (weights adding up to 100,
quotas within a category, windows in order...) is checked by
``sayembara.template_format.validate_data`` through ``update_rules``, and the problems it
reports are put back next to the field they name (:func:`attach_problems`).

Keys that a form does not show (a stage's rubric per category, a criterion's level
descriptors...) are kept from the item the row was loaded from, so editing in the browser
never loses what a template file said.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, get_args

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from sayembara.template_format import model as tm
from sayembara.template_format.errors import Problem
from sayembara.template_format.schema import example_slug

DataPath = tuple[str | int, ...]
EMPTY = (None, "", [], (), {})


# --------------------------------------------------------------------------------------------
# Fields
# --------------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class WallClockField(forms.CharField):
    """A local date and time without a time zone (the edition's zone applies)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})

    def to_python(self, value: Any) -> dt.datetime | None:
        text = super().to_python(value)
        if not text:
            return None
        try:
            moment = dt.datetime.fromisoformat(text.strip().replace(" ", "T"))
        except ValueError:
            raise forms.ValidationError(
                _("Enter a date and time such as 2024-07-31 16:00.")
            ) from None
        return moment.replace(tzinfo=None)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%dT%H:%M")
        if isinstance(value, str) and value:
            try:
                return dt.datetime.fromisoformat(value).strftime("%Y-%m-%dT%H:%M")
            except ValueError:
                return value
        return value


def _choices(literal: Any, labels: dict[str, Any] | None = None, *, blank: bool = False):
    values = get_args(literal)
    out = [(value, (labels or {}).get(value, value)) for value in values]
    return [("", "—"), *out] if blank else out


STAGE_KINDS = {"filter": _("Filter (decides who goes on)"),
               "weighted": _("Weighted (adds to the total)")}
SCORE_SOURCES = {"judges": _("Judges"), "self_assessment": _("Self-assessment, verified"),
                 "public_votes": _("Public votes")}
SCOPES = {"category": _("per category"), "group": _("per group"), "overall": _("overall")}
TIES = {"break": _("break ties at the cut"), "admit_all": _("admit everyone tied at the cut")}
CRITERION_KINDS = {"numeric": _("Numeric score"), "ordinal": _("Evidence levels"),
                   "checklist": _("Checklist")}
BASES = {"participant_type": _("Participant type"), "innovation_theme": _("Innovation theme"),
         "both": _("Both")}
NORMALISATIONS = {"fraction_of_max": _("Fraction of the highest score"),
                  "min_max": _("Between lowest and highest score")}
MISSING = {"block": _("Sheet cannot be submitted"), "zero": _("Counts as the lowest score"),
           "reweight": _("Other criteria reweighted")}
OFFICIAL = {"raw": _("Raw score"), "calibrated": _("Calibrated score")}
CALIBRATION_MODELS = {"offset": _("Offset (each judge marks higher or lower by a constant)"),
                      "offset_scale": _("Offset and spread (also marks more or less widely)")}
MEASURES = {"spread": _("the difference between the highest and lowest total"),
            "lowest": _("the lowest judge's total"), "highest": _("the highest judge's total"),
            "mean": _("the mean of the judges' totals")}
COMPARISON_LABELS = {"more_than": _("is more than"), "at_least": _("is at least"),
                     "below": _("is below"), "at_most": _("is at most")}
QUOTA_HELP = {
    "group": _("Places per group at this cut when advancement is counted per group. All "
               "empty: no quotas. With quotas, 0 or empty gives a group no places."),
    "category": _("Places per category at this cut when advancement is counted per "
                  "category. All empty: no quotas. With quotas, 0 or empty gives a category "
                  "no places."),
}
COMBINE = {"all": _("every condition holds (and)"),
           "any": _("at least one condition holds (or)")}


# --------------------------------------------------------------------------------------------
# Reading and writing nested data
# --------------------------------------------------------------------------------------------


def get_at(data: Any, path: DataPath, default: Any = None) -> Any:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return default
    return data


def set_at(data: dict[str, Any], path: DataPath, value: Any) -> None:
    """Set ``value`` at ``path``; an empty value removes the key so the default applies."""
    *parents, last = path
    target = data
    for part in parents:
        target = target.setdefault(part, {})
    if value in EMPTY and not isinstance(value, bool):
        target.pop(last, None)
    else:
        target[last] = list(value) if isinstance(value, tuple) else value


def model_default(cls: type, path: DataPath) -> Any:
    """The template model's default for the field at ``path`` (None when it has none).

    Rules data leaves out values equal to their default, so forms show these instead.
    """
    import dataclasses
    import typing

    current: Any = cls
    for position, part in enumerate(path):
        if not dataclasses.is_dataclass(current):
            return None
        fields = {f.name: f for f in dataclasses.fields(current)}
        if part not in fields:
            return None
        if position == len(path) - 1:
            f = fields[part]
            if f.default is not dataclasses.MISSING:
                value = f.default
            elif f.default_factory is not dataclasses.MISSING:
                value = f.default_factory()
            else:
                return None
            return list(value) if isinstance(value, tuple) else value
        hint = typing.get_type_hints(current)[part]
        nested = [arg for arg in (get_args(hint) or (hint,)) if dataclasses.is_dataclass(arg)]
        current = nested[0] if nested else None
    return None


def parse_path(text: str) -> DataPath:
    """``stages[1].advance.top_n`` -> ``("stages", 1, "advance", "top_n")``."""
    parts: list[str | int] = []
    for token in re.findall(r"\[\d+\]|[^.\[\]]+", text or ""):
        parts.append(int(token[1:-1]) if token.startswith("[") else token)
    return tuple(parts)


# --------------------------------------------------------------------------------------------
# Forms
# --------------------------------------------------------------------------------------------


class RulesForm(forms.Form):
    """A form whose fields map to data paths (``PATHS``); ``options`` gives choices."""

    PATHS: dict[str, DataPath] = {}
    #: The template model class the paths are relative to (for default values).
    MODEL: type = tm.Template

    def __init__(self, *args: Any, options: dict[str, Any] | None = None,
                 frozen: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options = options or {}
        self.setup_choices()
        if frozen:
            for field in self.fields.values():
                field.disabled = True

    def setup_choices(self) -> None:
        """Fill choices that depend on the rules (rubric ids, category ids...)."""

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        initial = {}
        for name, path in cls.PATHS.items():
            value = get_at(item, path)
            if value is None:
                value = model_default(cls.MODEL, path)
            if value is not None:
                initial[name] = value
        return initial

    def write(self, item: dict[str, Any]) -> dict[str, Any]:
        """``item`` with the form's values written in (other keys kept)."""
        out = copy.deepcopy(item)
        for name, path in self.PATHS.items():
            if name in self.cleaned_data:
                set_at(out, path, self.cleaned_data[name])
        return out

    def field_for(self, path: DataPath) -> str | None:
        """The field whose data path is the longest prefix of ``path``."""
        best, best_len = None, -1
        for name, field_path in self.PATHS.items():
            size = len(field_path)
            if path[:size] == field_path and size > best_len:
                best, best_len = name, size
        return best


class RowForm(RulesForm):
    """One item of a list; ``original`` remembers which item it was loaded from.

    Other parts of the rules refer to an item by its id, a short name that people never need
    to read: an existing item keeps its id out of sight, a new one gets it from its name
    (Kategori BUMD -> kategori-bumd), unless ``ASK_ID`` says the organiser chooses it (an
    institution type's id is the registry's code for it)."""

    ASK_ID = False
    original = forms.CharField(widget=forms.HiddenInput, required=False)
    id = forms.CharField(
        label=_("Short name"), max_length=60, required=False,
        validators=[RegexValidator(tm.SLUG_RE, _(
            "Write the short name in lower-case letters and digits, joined by -, starting "
            "with a letter, such as pemdes."))],
        help_text=_("Used by the registry and in references (lower-case letters, digits, -)."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.derived_id = False
        if self.initial.get("original") or not self.ASK_ID:
            # existing ids stay as they are; new ones come from the name
            self.fields["id"].widget = forms.HiddenInput()
            self.fields["id"].disabled = bool(self.initial.get("original"))
        else:
            self.fields["id"].required = True

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        return {**super().initial_from(item), "original": item.get("id", "")}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.initial.get("original"):
            cleaned["id"] = self.initial["original"]
        elif not cleaned.get("id") and cleaned.get("name"):
            cleaned["id"] = example_slug(str(cleaned["name"]))[:50].strip("-")
            self.derived_id = True
        return cleaned


class PhaseForm(RowForm):
    MODEL = tm.Phase
    PATHS = {"id": ("id",), "name": ("name",), "start": ("start",), "end": ("end",)}
    name = forms.CharField(label=_("Phase"), max_length=200)
    start = forms.DateField(label=_("First day"), widget=DateInput)
    end = forms.DateField(label=_("Last day"), widget=DateInput)


class TimelineHeaderForm(RulesForm):
    PATHS = {
        "time_zone": ("time_zone",),
        "submission_deadline": ("timeline", "submission_deadline"),
        "registration_deadline": ("timeline", "registration_deadline"),
    }
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_choices(tm.TimeZoneCode))
    submission_deadline = WallClockField(
        label=_("Submission deadline"), help_text=_("Local time in the edition's time zone."))
    registration_deadline = WallClockField(
        label=_("Registration deadline"), required=False,
        help_text=_("Only when registration closes before submission."))


class InstitutionTypeForm(RowForm):
    ASK_ID = True
    MODEL = tm.InstitutionType
    PATHS = {"id": ("id",), "name": ("name",)}
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("As participants read it, e.g. Pemerintah Desa."))

class CategoryForm(RowForm):
    MODEL = tm.Category
    PATHS = {"id": ("id",), "name": ("name",), "basis": ("basis",),
             "description": ("description",), "institution_types": ("institution_types",),
             "size": ("size",)}
    name = forms.CharField(label=_("Name"), max_length=200)
    basis = forms.ChoiceField(label=_("Basis"), choices=_choices(tm.CategoryBasis, BASES))
    description = forms.CharField(label=_("Description"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    institution_types = forms.MultipleChoiceField(
        label=_("Who may enter"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every kind of institution."))
    size = forms.IntegerField(label=_("Number of participants, when fixed"), min_value=1,
                              required=False)

    def setup_choices(self) -> None:
        self.fields["institution_types"].choices = self.options.get("institution_types", [])


class StageForm(RowForm):
    MODEL = tm.Stage
    PATHS = {
        "id": ("id",), "name": ("name",), "kind": ("kind",), "weight": ("weight",),
        "score_source": ("score_source",), "rubric": ("rubric",),
        "start": ("start",), "end": ("end",),
        "can_only_lower": ("can_only_lower",), "blind": ("blind",),
        "judges_see_others": ("judges_see_others",),
        "advance_scope": ("advance", "scope"), "advance_top_n": ("advance", "top_n"),
        "advance_passing_grade": ("advance", "passing_grade"),
        "advance_multiplier": ("advance", "multiplier"), "advance_ties": ("advance", "ties"),
        "min_judges": ("aggregation", "min_judges"), "official_score": ("official_score",),
    }
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind"),
                             choices=_choices(tm.StageKind, STAGE_KINDS, blank=True))
    weight = forms.DecimalField(label=_("Weight (%)"), required=False, min_value=0,
                                max_digits=7, decimal_places=3,
                                help_text=_("Weighted stages add up to 100."))
    score_source = forms.ChoiceField(label=_("Scored by"),
                                     choices=_choices(tm.ScoreSource, SCORE_SOURCES))
    rubric = forms.ChoiceField(label=_("Rubric"), required=False)
    start = forms.DateField(label=_("Opens"), widget=DateInput, required=False)
    end = forms.DateField(label=_("Closes"), widget=DateInput, required=False)
    can_only_lower = forms.BooleanField(label=_("Can only lower the score"), required=False)
    blind = forms.BooleanField(label=_("Judges do not see who the participant is"),
                               required=False)
    judges_see_others = forms.BooleanField(
        label=_("Judges see other judges' scores before closing"), required=False)
    advance_scope = forms.ChoiceField(label=_("Advancement counted"),
                                      choices=_choices(tm.AdvancementScope, SCOPES),
                                      required=False)
    advance_top_n = forms.IntegerField(label=_("Top N advance"), min_value=1, required=False)
    advance_passing_grade = forms.DecimalField(
        label=_("Passing grade (on the stage's scale, 0–100 unless its rubric says otherwise)"),
        min_value=0, required=False)
    advance_multiplier = forms.IntegerField(label=_("Nominate k × the target"), min_value=1,
                                            required=False)
    advance_ties = forms.ChoiceField(label=_("Ties at the cut"), choices=_choices(tm.TiePolicy,
                                     TIES), required=False)
    min_judges = forms.IntegerField(
        label=_("Minimum number of judges"), min_value=1, required=False,
        help_text=_("An entry needs at least this many judges' sheets to be scored."))
    official_score = forms.ChoiceField(label=_("Official score"),
                                       choices=_choices(tm.OfficialScore, OFFICIAL))

    def setup_choices(self) -> None:
        self.fields["rubric"].choices = [("", "—"), *self.options.get("rubrics", [])]
        self.setup_quotas()

    def setup_quotas(self) -> None:
        """One number per group and per category of the edition: the places at this cut
        when advancement is counted per group or per category."""
        quotas = self.initial.get("advance_quotas")
        quotas = quotas if isinstance(quotas, dict) else {}
        scope = self.initial.get("advance_scope")
        #: field name -> (scope, unit id)
        self.quota_fields: dict[str, tuple[str, str]] = {}
        words = {"group": _("group"), "category": _("category")}
        labels = {"group": _("Quota of group %(name)s"),
                  "category": _("Quota of category %(name)s")}
        for kind, option in (("group", "group_names"), ("category", "category_names")):
            for position, (unit, name) in enumerate(self.options.get(option, [])):
                field_name = f"quota_{kind}_{unit}"
                # a unit named "Kategori Kelurahan" is not called "kategori Kategori ..."
                said = name.lower().startswith(str(words[kind]).lower())
                label = (gettext("Quota of %(name)s") if said else labels[kind]) % {"name": name}
                self.fields[field_name] = forms.IntegerField(
                    label=label, min_value=0, required=False,
                    help_text=QUOTA_HELP[kind] if position == 0 else "")
                self.quota_fields[field_name] = (kind, unit)
                if kind == scope and quotas.get(unit) is not None:
                    self.initial[field_name] = quotas[unit]

    @classmethod
    def initial_from(cls, item: dict[str, Any]) -> dict[str, Any]:
        initial = super().initial_from(item)
        quotas = get_at(item, ("advance", "quotas"))
        if quotas:
            initial["advance_quotas"] = quotas
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        scope = cleaned.get("advance_scope") or "category"
        for field_name, (kind, _unit) in self.quota_fields.items():
            if kind != scope and cleaned.get(field_name) is not None:
                self.add_error(field_name, gettext(
                    "This quota counts only when advancement is counted %(scope)s; choose "
                    "that, or leave it empty.") % {"scope": SCOPES[kind]})
        return cleaned

    def quotas(self) -> dict[str, int]:
        """The quotas typed for the chosen scope, in the order of the edition's units."""
        scope = self.cleaned_data.get("advance_scope") or "category"
        return {unit: self.cleaned_data[field_name]
                for field_name, (kind, unit) in self.quota_fields.items()
                if kind == scope and self.cleaned_data.get(field_name) is not None}

    def field_for(self, path: DataPath) -> str | None:
        if path[:2] == ("advance", "quotas") and len(path) > 2:
            scope = self.cleaned_data.get("advance_scope") or "category"
            name = f"quota_{scope}_{path[2]}"
            if name in self.fields:
                return name
        return super().field_for(path)

    def write(self, item: dict[str, Any]) -> dict[str, Any]:
        out = super().write(item)
        set_at(out, ("advance", "quotas"), self.quotas())
        advance = out.get("advance")
        if isinstance(advance, dict) and not any(
            advance.get(key) not in EMPTY for key in ("top_n", "quotas", "passing_grade")
        ):
            # Without a cut every entry advances: the same as no advancement rule.
            out.pop("advance")
        return out


class CriterionForm(RowForm):
    MODEL = tm.Criterion
    PATHS = {"id": ("id",), "name": ("name",), "weight": ("weight",), "kind": ("kind",),
             "scale_min": ("scale_min",), "scale_max": ("scale_max",), "step": ("step",),
             "description": ("description",)}
    name = forms.CharField(label=_("Criterion"), max_length=300)
    weight = forms.DecimalField(label=_("Weight (percent or the rubric's points)"), min_value=0,
                                max_digits=9, decimal_places=3)
    kind = forms.ChoiceField(label=_("Kind"), choices=_choices(tm.CriterionKind,
                                                               CRITERION_KINDS))
    scale_min = forms.DecimalField(label=_("Lowest score"), required=False)
    scale_max = forms.DecimalField(label=_("Highest score"), required=False)
    step = forms.DecimalField(label=_("Step"), required=False, min_value=0)
    description = forms.CharField(label=_("Guidance for judges"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))


class RubricHeaderForm(RulesForm):
    """Paths are relative to the rubric (the view prefixes them)."""

    MODEL = tm.Rubric
    PATHS = {"name": ("name",), "scale": ("scale",), "normalisation": ("normalisation",),
             "missing": ("missing",)}
    name = forms.CharField(label=_("Rubric name"), max_length=200)
    scale = forms.DecimalField(
        label=_("Points of the rubric"), min_value=0, max_digits=9, decimal_places=3,
        help_text=_("Highest rubric score: 100, or the rubric's own points such as 700 when "
                    "reviewers give 0–700. The criteria weights add up to it, and the stage's "
                    "passing grade and disagreement values are on it."))
    normalisation = forms.ChoiceField(label=_("Scores map to 0–100 as"),
                                      choices=_choices(tm.Normalisation, NORMALISATIONS))
    missing = forms.ChoiceField(label=_("When a criterion is left unscored"),
                                choices=_choices(tm.MissingCriterionPolicy, MISSING))


class AwardTierForm(RowForm):
    MODEL = tm.AwardTier
    PATHS = {"id": ("id",), "name": ("name",), "rank_from": ("rank_from",),
             "rank_to": ("rank_to",), "trophy": ("trophy",), "certificate": ("certificate",),
             "prize": ("prize",), "categories": ("categories",), "rank_name": ("rank_name",)}
    name = forms.CharField(label=_("Name"), max_length=200)
    rank_from = forms.IntegerField(label=_("From rank"), min_value=1)
    rank_to = forms.IntegerField(label=_("To rank"), min_value=1)
    rank_name = forms.CharField(
        label=_("Award of each rank"), max_length=200, required=False,
        help_text=_("For a tier of several ranks: {rank} is the rank, {place} the place within "
                    "the tier, e.g. Juara {rank} or Juara Harapan {place}. Empty: every rank "
                    "receives the tier's name."))
    trophy = forms.BooleanField(label=_("Trophy"), required=False)
    certificate = forms.BooleanField(label=_("Certificate"), required=False)
    prize = forms.DecimalField(label=_("Prize per winner (Rp)"), min_value=0, required=False,
                               max_digits=14, decimal_places=2)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."))

    def setup_choices(self) -> None:
        self.fields["categories"].choices = self.options.get("categories", [])


class AwardsHeaderForm(RulesForm):
    PATHS = {"ranking": ("awards", "ranking")}
    ranking = forms.ChoiceField(label=_("Final ranks counted"),
                                choices=_choices(tm.AdvancementScope, SCOPES))


class CalibrationHeaderForm(RulesForm):
    """The calibration choice, beside the stages (a stage says whether it is official)."""

    PATHS = {"calibration_model": ("calibration", "model"),
             "calibration_regularisation": ("calibration", "regularisation")}
    calibration_model = forms.ChoiceField(
        label=_("Calibration model"), choices=_choices(tm.CalibrationModel, CALIBRATION_MODELS))
    calibration_regularisation = forms.DecimalField(
        label=_("Calibration regularisation"), min_value=0, max_digits=7, decimal_places=3,
        help_text=_("Pulls each judge's offset towards zero: 1 as if the judge had scored one "
                    "more sheet exactly at the consensus; 0 for none."))


class SpecialAwardForm(RowForm):
    MODEL = tm.SpecialAward
    PATHS = {"id": ("id",), "name": ("name",), "stage": ("stage",),
             "criterion": ("criterion",), "winners": ("winners",),
             "categories": ("categories",), "exclude": ("exclude",), "prize": ("prize",),
             "certificate": ("certificate",), "trophy": ("trophy",)}
    name = forms.CharField(label=_("Name"), max_length=200,
                           help_text=_("e.g. Terbaik Manajemen Perubahan."))
    stage = forms.ChoiceField(label=_("Stage whose scores decide it"))
    criterion = forms.ChoiceField(label=_("Criterion it rewards"))
    winners = forms.IntegerField(label=_("Winners per category (N)"), min_value=1)
    categories = forms.MultipleChoiceField(
        label=_("Categories"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every category."))
    exclude = forms.MultipleChoiceField(
        label=_("Not for holders of"), required=False, widget=forms.CheckboxSelectMultiple,
        help_text=_("Earlier awards whose holders are passed over; the next entry takes "
                    "the place."))
    prize = forms.DecimalField(label=_("Prize per winner (Rp)"), min_value=0, required=False,
                               max_digits=14, decimal_places=2)
    certificate = forms.BooleanField(label=_("Certificate"), required=False)
    trophy = forms.BooleanField(label=_("Trophy"), required=False)

    def setup_choices(self) -> None:
        self.fields["stage"].choices = [("", "—"), *self.options.get("stages", [])]
        self.fields["criterion"].choices = [("", "—"), *self.options.get("criteria", [])]
        self.fields["categories"].choices = self.options.get("categories", [])
        own = self.initial.get("original") or (self.data.get(self.add_prefix("id")) or "")
        self.fields["exclude"].choices = [
            ("tiers", gettext("Rank tiers")),
            *[(key, label) for key, label in self.options.get("special_awards", [])
              if key != own]]


class DisagreementHeaderForm(RulesForm):
    """Paths are relative to the stage's disagreement rule."""

    MODEL = tm.Disagreement
    PATHS = {"threshold": ("threshold",), "third_reviewer": ("third_reviewer",),
             "reviewers": ("reviewers",)}
    threshold = forms.DecimalField(
        label=_("Or simply: their totals differ by more than"), min_value=0, required=False,
        max_digits=9, decimal_places=3,
        help_text=_("Instead of the conditions above; leave empty when they are used."))
    third_reviewer = forms.BooleanField(label=_("Assign a further reviewer when they disagree"),
                                        required=False)
    reviewers = forms.IntegerField(label=_("Judges per entry before a further reviewer"),
                                   min_value=1)


# --------------------------------------------------------------------------------------------
# Sections
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """An editable list of the rules with its row form and optional header form."""

    slug: str
    title: Any
    list_path: DataPath
    row_form: type[RulesForm]
    add_label: Any
    header_form: type[RulesForm] | None = None
    header_base: DataPath = ()
    intro: Any = ""
    #: rows carry a position field and are saved in its order
    ordered: bool = False
    #: tidies the rules after the forms are written in (e.g. removes an emptied rule)
    finish: Any = None
    #: the rules cannot be edited in this form (only through YAML), with why
    read_only: Any = ""
    #: the rows' items when they are not simply the list at ``list_path``
    load: Any = None


SECTIONS: dict[str, Section] = {
    section.slug: section
    for section in (
        Section("jadwal", _("Timeline"), ("timeline", "phases"), PhaseForm, _("Add a phase"),
                header_form=TimelineHeaderForm,
                intro=_("Dates of this edition; they are shown to participants and judges.")),
        Section("jenis-lembaga", _("Institution types"), ("institution_types",),
                InstitutionTypeForm, _("Add an institution type"),
                intro=_("The kinds of institutions that take part. Categories and groups say "
                        "which of them may enter; each institution of the registry has one "
                        "of these types.")),
        Section("kategori", _("Categories"), ("categories",), CategoryForm,
                _("Add a category"),
                intro=_("Rankings, cuts and awards are counted per category.")),
        Section("tahap", _("Stages"), ("stages",), StageForm, _("Add a stage"),
                header_form=CalibrationHeaderForm,
                intro=_("Stages in order. Weighted stages add up to 100; a filter stage only "
                        "decides who goes on.")),
        Section("penghargaan", _("Award tiers"), ("awards", "tiers"), AwardTierForm,
                _("Add an award tier"), header_form=AwardsHeaderForm,
                intro=_("Ranks that receive each award, best first.")),
        Section("penghargaan-khusus", _("Special awards"), ("awards", "special"),
                SpecialAwardForm, _("Add a special award"), ordered=True,
                intro=_("The best N entries of each category on one criterion of one stage, "
                        "beside or instead of the rank tiers. Awards are given in the order "
                        "of their position; ties go through the tie-break chain.")),
    )
}


def rubric_section(rules: dict[str, Any], key: str) -> Section | None:
    """The section editing the criteria of rubric ``key`` (None when there is none).

    The rubrics of one stage (one per category) share one scale. When this rubric's points
    change, the rubrics it shares a stage with take the same points and their criteria
    weights are multiplied by the same ratio (100 to 700: each weight times 7), so every
    rubric of the stage can be put in points from this page.
    """
    for index, rubric in enumerate(rules.get("rubrics") or []):
        if rubric.get("id") != key:
            continue
        siblings = sibling_rubrics(rules, key)
        names = ", ".join(rules["rubrics"][i].get("name") or rules["rubrics"][i].get("id")
                          for i in siblings)
        intro = _("The criteria weights add up to the rubric's points: 100, or its own "
                  "points such as 700.")
        if siblings:
            intro = gettext(
                "%(intro)s The rubrics of one stage have the same points; this rubric shares "
                "a stage with %(rubrics)s. Changing the points here changes theirs too, and "
                "multiplies their criteria weights by the same ratio (from 100 to 700: each "
                "weight times 7). Passing grades and disagreement values stay as written: "
                "check them on the stages pages.") % {"intro": intro, "rubrics": names}

        def finish(new: dict[str, Any], editor: Editor, index: int = index,
                   siblings: tuple[int, ...] = siblings) -> None:
            old_scale = Decimal(str(get_at(rules, ("rubrics", index, "scale"), 100)))
            new_scale = Decimal(str(get_at(new, ("rubrics", index, "scale"), 100)))
            if new_scale == old_scale or new_scale <= 0:
                return
            for other in siblings:
                target = new["rubrics"][other]
                if Decimal(str(target.get("scale", 100))) != old_scale:
                    continue  # not on the shared scale: the validator says so
                weights = []
                for criterion in target.get("criteria") or []:
                    weight = Decimal(str(criterion.get("weight", 0)))
                    scaled = weight * new_scale / old_scale
                    exponent = scaled.normalize().as_tuple().exponent
                    if scaled * old_scale != weight * new_scale or (
                            isinstance(exponent, int) and exponent < -3):
                        editor.other_problems.append(Problem(line=None, path="", message=gettext(
                            'The points of rubric "%(rubric)s", which shares a stage with '
                            "this one, cannot follow from %(old)s to %(new)s: its weight "
                            "%(weight)s would not be a whole number of thousandths. Change "
                            "that rubric's weights so that they divide evenly, or choose "
                            "other points.") % {
                                "rubric": target.get("name") or target.get("id"),
                                "old": _plain(old_scale), "new": _plain(new_scale),
                                "weight": _plain(weight)}))
                        return
                    weights.append(scaled)
                for criterion, scaled in zip(target.get("criteria") or [], weights,
                                             strict=True):
                    criterion["weight"] = scaled
                if new_scale == 100:
                    target.pop("scale", None)
                else:
                    target["scale"] = new_scale

        return Section(
            f"rubrik/{key}", rubric.get("name") or key, ("rubrics", index, "criteria"),
            CriterionForm, _("Add a criterion"), header_form=RubricHeaderForm,
            header_base=("rubrics", index), intro=intro, finish=finish,
        )
    return None


def _plain(value: Decimal) -> str:
    return format(value.normalize(), "f")


def sibling_rubrics(rules: dict[str, Any], key: str) -> tuple[int, ...]:
    """Positions of the other rubrics that share a stage with rubric ``key``, directly or
    through another rubric (they must all have the same scale)."""
    ids = [r.get("id") for r in rules.get("rubrics") or [] if isinstance(r, dict)]
    groups = []
    for stage in rules.get("stages") or []:
        if not isinstance(stage, dict):
            continue
        used = {stage.get("rubric")} | set((stage.get("rubric_by_category") or {}).values())
        used.discard(None)
        if len(used) > 1:
            groups.append(used)
    linked, grew = {key}, True
    while grew:
        grew = False
        for used in groups:
            if used & linked and not used <= linked:
                linked |= used
                grew = True
    return tuple(i for i, rubric_id in enumerate(ids) if rubric_id in linked and rubric_id != key)


def options_for(rules: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """Choices that come from the rules themselves."""

    def names(items: Any) -> list[tuple[str, str]]:
        return unique_labels([(item["id"], item.get("name") or item["id"])
                              for item in items or [] if isinstance(item, dict) and "id" in item])

    # a criterion is named with its rubric when only one rubric has it
    found: dict[str, tuple[str, list[str]]] = {}
    for rubric in rules.get("rubrics") or []:
        for criterion in (rubric.get("criteria") or []) if isinstance(rubric, dict) else []:
            if isinstance(criterion, dict) and "id" in criterion:
                name, rubrics = found.setdefault(
                    criterion["id"], (criterion.get("name") or criterion["id"], []))
                rubrics.append(rubric.get("name") or rubric.get("id"))
    criteria = [(key, name if len(rubrics) > 1 else gettext("%(criterion)s — %(rubric)s") % {
        "criterion": name, "rubric": rubrics[0]}) for key, (name, rubrics) in found.items()]
    return {
        "institution_types": names(rules.get("institution_types")),
        "categories": names(rules.get("categories")),
        "category_names": names(rules.get("categories")),
        "group_names": names(rules.get("groups")),
        "rubrics": names(rules.get("rubrics")),
        "stages": names(rules.get("stages")),
        "criteria": unique_labels(criteria),
        "special_awards": names((rules.get("awards") or {}).get("special")),
    }


def unique_labels(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Choices labelled by display name only; a name given twice is told apart by number
    (Kelurahan, Kelurahan (2)) rather than by its id."""
    counts: dict[str, int] = {}
    out = []
    for value, label in choices:
        counts[label] = counts.get(label, 0) + 1
        out.append((value, label if counts[label] == 1 else gettext(
            "%(name)s (%(number)s)") % {"name": label, "number": counts[label]}))
    return out


class RowFormSet(forms.BaseFormSet):
    """Rows added to the list start from the model's defaults."""

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        kwargs = super().get_form_kwargs(index)
        if index is not None and index >= self.initial_form_count():
            kwargs["initial"] = self.form.initial_from({})
        return kwargs


def make_formset(section: Section, extra: int = 0):
    return forms.formset_factory(section.row_form, formset=RowFormSet, extra=extra,
                                 can_delete=True, can_order=section.ordered)


@dataclass
class Editor:
    """The bound or unbound forms of one section for one edition's rules."""

    section: Section
    rules: dict[str, Any]
    formset: Any
    header: RulesForm | None
    other_problems: list[Any]
    list_errors: list[str]

    def is_valid(self) -> bool:
        header_ok = self.header.is_valid() if self.header is not None else True
        return self.formset.is_valid() and header_ok


def build_editor(section: Section, rules: dict[str, Any], *, data: Any = None,
                 frozen: bool = False, extra_rows: int = 0) -> Editor:
    options = options_for(rules)
    if data is not None and section.row_form is SpecialAwardForm:
        # an award may exclude another one added in the same save
        known = {key for key, _label in options["special_awards"]}
        for name in sorted(data):
            value = str(data.get(name) or "").strip()
            match = re.fullmatch(r"(rows-\d+)-(id|original)", name)
            if match and value and value not in known:
                known.add(value)
                label = str(data.get(f"{match.group(1)}-name") or "").strip() or value
                options["special_awards"].append((value, label))
        options["special_awards"] = unique_labels(options["special_awards"])
    items = (section.load(rules) if section.load is not None
             else get_at(rules, section.list_path, []) or [])
    formset_class = make_formset(section, extra=extra_rows)
    initial = [section.row_form.initial_from(item) for item in items]
    if section.ordered:
        for position, row in enumerate(initial, start=1):
            row["ORDER"] = position
    frozen = frozen or bool(section.read_only)
    formset = formset_class(data=data, initial=initial, prefix="rows",
                            form_kwargs={"options": options, "frozen": frozen})
    if frozen:
        for form in formset.forms:
            for name in ("DELETE", "ORDER"):
                if name in form.fields:
                    form.fields[name].disabled = True
    header = None
    if section.header_form is not None:
        base = (get_at(rules, section.header_base, {}) or {}) if section.header_base else rules
        initial_head = section.header_form.initial_from(base)
        header = section.header_form(data=data, initial=initial_head,
                                     options=options, frozen=frozen, prefix="head")
    return Editor(section=section, rules=rules, formset=formset, header=header,
                  other_problems=[], list_errors=[])


def empty_row(section: Section, rules: dict[str, Any], index: int) -> RowForm:
    """An empty row form at ``index`` of the formset (for adding a row with htmx)."""
    return section.row_form(prefix=f"rows-{index}", options=options_for(rules),
                            initial=section.row_form.initial_from({}),
                            empty_permitted=True, use_required_attribute=False)


def new_rules(editor: Editor) -> tuple[dict[str, Any], list[Any]]:
    """The rules with this section's forms written in, and the row forms by new index."""
    rules = copy.deepcopy(editor.rules)
    old_items = {item.get("id"): item for item in get_at(rules, editor.section.list_path, [])
                 or [] if isinstance(item, dict)}
    items, row_forms = [], []
    forms_in_order = editor.formset.forms
    if editor.section.ordered:
        # rows without a position keep their place after those with one
        forms_in_order = sorted(editor.formset.forms, key=lambda f: (
            f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))
    for form in forms_in_order:
        if form.cleaned_data.get("DELETE"):
            continue
        if not form.has_changed() and not form.initial.get("original"):
            continue  # an empty row that was added and left blank
        base = old_items.get(form.initial.get("original") or "", {})
        item = form.write(base)
        if getattr(form, "derived_id", False):
            # an id made from the name is told apart from the others by a number
            taken = {other.get("id") for other in items} | set(old_items)
            stem, number = item["id"], 2
            while item["id"] in taken:
                item["id"], number = f"{stem}-{number}", number + 1
        items.append(item)
        row_forms.append(form)
    _set_list(rules, editor.section.list_path, items)
    if editor.header is not None:
        if editor.section.header_base:
            target = get_at(rules, editor.section.header_base)
            target.update(editor.header.write(target))
            for name, path in editor.header.PATHS.items():
                if name in editor.header.cleaned_data:
                    set_at(target, path, editor.header.cleaned_data[name])
        else:
            rules = editor.header.write(rules)
    if editor.section.finish is not None:
        editor.section.finish(rules, editor)
    return rules, row_forms


def _set_list(rules: dict[str, Any], path: DataPath, items: list[Any]) -> None:
    *parents, last = path
    target: Any = rules
    for part in parents:
        target = target[part] if isinstance(part, int) else target.setdefault(part, {})
    target[last] = items


def attach_problems(editor: Editor, problems: list[Any], row_forms: list[Any]) -> None:
    """Put each problem next to the field it names; the others go to ``other_problems``.

    A problem about the whole list (e.g. weights that do not add up to 100) becomes an
    error of the formset; one about a row without a field of its own, an error of the row.
    """
    section = editor.section
    size = len(section.list_path)
    for problem in problems:
        path = parse_path(problem.path)
        if path[:size] == section.list_path:
            rest = path[size:]
            if not rest:
                editor.list_errors.append(problem.message)
                continue
            if isinstance(rest[0], int) and rest[0] < len(row_forms):
                form = row_forms[rest[0]]
                name = form.field_for(rest[1:])
                if name is not None and name != "original":
                    form.add_error(name, problem.message)
                else:
                    form.add_error(None, problem.message)
                continue
        header = editor.header
        if header is not None:
            base = section.header_base
            relative = path[len(base):] if path[:len(base)] == base else None
            name = header.field_for(relative) if relative else None
            if name is not None:
                header.add_error(name, problem.message)
                continue
        editor.other_problems.append(problem)


class RulesYamlForm(forms.Form):
    text = forms.CharField(
        label=_("Rules as YAML"), widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false",
                                                               "class": "code"}),
        help_text=_("The format of template files (see docs/templates.md)."),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Why the rules must change"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    affects = forms.CharField(
        label=_("What the change affects"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Entries already submitted, scores already given, results announced..."))


def problem_text(problem: Any) -> str:
    """``line 12: message`` on the YAML page; on the form pages the sentence alone, which
    names the stage, rubric or category by its display name (never a data path)."""
    if problem.line:
        return gettext("line %(line)s: %(message)s") % {"line": problem.line,
                                                         "message": problem.message}
    return problem.message

