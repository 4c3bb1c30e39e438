"""The typed model of a competition template.

A template describes one competition of the family (its categories, stages, rubrics,
advancement rules, awards, judging panels and timeline for a reference year) so that a new
edition needs no code. These frozen dataclasses are the validated form of a template: build
them with :func:`sayembara.template_format.load_template`, :func:`parse_template` or
:func:`validate_data`, never by hand in production code, because the validator is what
guarantees the cross-field invariants listed in each class's docstring.

Conventions used throughout:

* Weights, scores and money are :class:`~decimal.Decimal`; money is in Rupiah.
* Ids are slugs (lower-case letters, digits, ``-`` and ``_``, starting with a letter) and are
  unique within their list. Other parts of a template refer to things by id.
* Dates are :class:`datetime.date` for the template's reference ``year``; datetimes are naive
  wall-clock times in the template's time zone (use :meth:`Template.localize` to get an
  aware datetime).
* Sequences are tuples, so every object is immutable and hashable.
* A field's YAML key is the field's name; ``to_data()`` writes only fields whose value differs
  from the default, and the result validates back to an equal object.

Field metadata keys read by the loader (``sayembara.template_format.schema``):
``doc`` (one-line description, also used by the documentation), ``slug`` (value must be a
slug), ``min`` / ``max`` (inclusive bounds for numbers), ``mapping`` (a tuple of two-field
dataclasses written in YAML as a mapping from the first field to the second),
``nonempty`` (a tuple that must hold at least one item).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal, TypeVar, cast
from zoneinfo import ZoneInfo

# --------------------------------------------------------------------------------------------
# Vocabularies. Each Literal has a matching tuple of its values for forms and documentation.
# --------------------------------------------------------------------------------------------

TimeZoneCode = Literal["WIB", "WITA", "WIT"]
#: Indonesian time zone code -> IANA time zone name.
TIME_ZONES: dict[str, str] = {
    "WIB": "Asia/Jakarta",
    "WITA": "Asia/Makassar",
    "WIT": "Asia/Jayapura",
}

CategoryBasis = Literal["participant_type", "innovation_theme", "both"]
GroupKind = Literal["umum", "replikasi", "khusus", "outstanding"]
StageKind = Literal["filter", "weighted"]
ScoreSource = Literal["judges", "self_assessment", "public_votes"]
AggregationMethod = Literal["mean", "median", "trimmed_mean"]
OfficialScore = Literal["raw", "calibrated"]
CriterionKind = Literal["numeric", "ordinal", "checklist"]
MissingCriterionPolicy = Literal["block", "zero", "reweight"]
Normalisation = Literal["fraction_of_max", "min_max"]
AdvancementScope = Literal["category", "group", "overall"]
TiePolicy = Literal["admit_all", "break"]
DisagreementMeasure = Literal["spread", "lowest", "highest", "mean"]
CalibrationModel = Literal["offset", "offset_scale"]
#: The comparisons a condition may make, in the order messages list them.
COMPARISONS: tuple[str, ...] = ("more_than", "at_least", "below", "at_most")
TieBreakMethod = Literal[
    "heaviest_stage",
    "heaviest_criterion",
    "head_to_head",
    "untrimmed_mean",
    "median",
    "recorded_decision",
    "lot",
]
PanelRole = Literal["ketua", "sekretaris", "anggota", "juri_kehormatan"]
FavouriteScope = Literal["category", "overall"]
VoteSignal = Literal["likes", "comments", "votes"]

#: Tie-break methods that always settle a tie; a chain must end with one of them.
DECISIVE_TIE_BREAKS: tuple[str, ...] = ("recorded_decision", "lot")

SLUG_RE = re.compile(r"^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$")


def _doc(text: str, **extra: Any) -> dict[str, Any]:
    return {"doc": text, **extra}


def _f(doc: str, default: Any = dataclasses.MISSING, **extra: Any) -> Any:
    """A dataclass field with loader metadata; tuples default to ``()``."""
    if isinstance(default, tuple):
        return field(default_factory=functools.partial(tuple, default), metadata=_doc(doc, **extra))
    return field(default=default, metadata=_doc(doc, **extra))


class _Data:
    """Mixin: ``to_data()`` for every model class."""

    def to_data(self) -> dict[str, Any]:
        """Plain YAML-able data (dicts, lists, str, int, float, bool, date, datetime).

        Fields equal to their default are left out. Decimals become ``int`` when whole,
        otherwise ``float`` when that float prints back as the same decimal, otherwise ``str``;
        the loader turns each back into the same Decimal.
        """
        return _object_to_data(self)


# --------------------------------------------------------------------------------------------
# Participants: institution types, categories, groups
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InstitutionType(_Data):
    """A kind of participating institution (perangkat daerah, kelurahan, desa, BUMD, UPP...)."""

    id: str = _f("Slug naming the type, e.g. perangkat_daerah.", slug=True)
    name: str = _f("Display name, e.g. Perangkat Daerah.")


@dataclass(frozen=True, kw_only=True)
class Category(_Data):
    """A category entries compete in; rankings, cuts and awards are usually per category.

    ``basis`` says whether the category is a kind of participant (Mangupura's Perangkat
    Daerah / Kelurahan / Pemerintah Desa), an innovation theme (Krenova's four themes) or both.
    ``institution_types`` restricts who may enter (empty: any declared type).
    A category may declare how many participants it can hold: ``size`` (e.g. all 16
    kelurahan of Badung) or an explicit ``participants`` list of institution names; the
    validator refuses a top-N, quota or award rank larger than that capacity.
    """

    id: str = _f("Slug naming the category.", slug=True)
    name: str = _f("Display name.")
    basis: CategoryBasis = _f(
        "participant_type, innovation_theme or both.", default="participant_type"
    )
    description: str = _f("What belongs in this category.", default="")
    institution_types: tuple[str, ...] = _f(
        "Ids of the institution types allowed to enter; empty means any.", default=()
    )
    size: int | None = _f(
        "Fixed number of participants the category holds, when known.", default=None, min=1
    )
    participants: tuple[str, ...] = _f(
        "Names of the institutions that make up the category, when fixed.", default=()
    )

    @property
    def capacity(self) -> int | None:
        """How many entries the category can hold, or None when open-ended."""
        if self.size is not None:
            return self.size
        return len(self.participants) or None


@dataclass(frozen=True, kw_only=True)
class PastWinners(_Data):
    """Restricts a group to institutions that won this competition in given years.

    ``max_rank`` limits it to winners ranked at most this (e.g. 3 for the top three);
    None accepts any award-winning rank. The years shift with :meth:`Template.shifted_to_year`.
    """

    years: tuple[int, ...] = _f("Edition years whose winners qualify.", nonempty=True)
    max_rank: int | None = _f(
        "Only winners ranked this or better qualify; empty for any winner.", default=None, min=1
    )


@dataclass(frozen=True, kw_only=True)
class Group(_Data):
    """A group within categories: umum, replikasi, khusus or outstanding.

    Groups cut across or sit inside categories (``categories`` lists those the group belongs
    to; empty means all). ``past_winners`` reserves the group for past winners (khusus,
    outstanding). ``size`` is an optional fixed capacity, checked like a category's.
    """

    id: str = _f("Slug naming the group.", slug=True)
    name: str = _f("Display name.")
    kind: GroupKind = _f("umum, replikasi, khusus or outstanding.")
    description: str = _f("Who belongs in this group.", default="")
    categories: tuple[str, ...] = _f(
        "Ids of the categories this group belongs to; empty means all.", default=()
    )
    institution_types: tuple[str, ...] = _f(
        "Ids of the institution types allowed in the group; empty means any.", default=()
    )
    past_winners: PastWinners | None = _f(
        "Reserve the group for past winners of given years/ranks.", default=None
    )
    size: int | None = _f("Fixed number of entries the group holds.", default=None, min=1)

    @property
    def capacity(self) -> int | None:
        return self.size


# --------------------------------------------------------------------------------------------
# Timeline and eligibility
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Phase(_Data):
    """A named period of the public timeline (announcement, submission, interviews, awards)."""

    id: str = _f("Slug naming the phase.", slug=True)
    name: str = _f("Display name.")
    start: dt.date = _f("First day (reference year).")
    end: dt.date = _f("Last day (reference year); equal to start for a one-day phase.")


@dataclass(frozen=True, kw_only=True)
class Timeline(_Data):
    """The edition's dates for the reference year.

    ``submission_deadline`` (and ``registration_deadline`` when registration closes
    separately) are naive wall-clock datetimes in the template's time zone; the closing date
    for the minimum innovation age is the date of ``submission_deadline``.
    """

    submission_deadline: dt.datetime = _f(
        "Last moment an entry can be submitted, local time (YYYY-MM-DD HH:MM)."
    )
    registration_deadline: dt.datetime | None = _f(
        "Last moment to register, local time, when it differs from submission.", default=None
    )
    phases: tuple[Phase, ...] = _f("Named phases in date order.", default=())


@dataclass(frozen=True, kw_only=True)
class MandatoryParticipants(_Data):
    """Institutions that must take part (organiser tracks who has not submitted yet)."""

    institution_types: tuple[str, ...] = _f(
        "Every institution of these types must enter.", default=()
    )
    institutions: tuple[str, ...] = _f("Named institutions that must enter.", default=())


@dataclass(frozen=True, kw_only=True)
class Eligibility(_Data):
    """Who and what may enter. Every rule is optional; None / False means no such rule."""

    min_innovation_age_months: int | None = _f(
        "The innovation must have run at least this many months before the closing date.",
        default=None,
        min=1,
    )
    min_system_running_months: int | None = _f(
        "The entered system must have been running at least this many months.",
        default=None,
        min=1,
    )
    max_entries_per_institution: int | None = _f(
        "At most this many entries per institution.", default=None, min=1
    )
    refuse_duplicate_titles: bool = _f(
        "Refuse an entry whose title repeats another entry's title.", default=False
    )
    mandatory: MandatoryParticipants | None = _f(
        "Institutions whose participation is mandatory.", default=None
    )


# --------------------------------------------------------------------------------------------
# Rubrics
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LevelDescriptor(_Data):
    """What a score range of a numeric criterion means (shown to judges)."""

    min: Decimal = _f("Lowest score of the band.")
    max: Decimal = _f("Highest score of the band.")
    text: str = _f("What a score in this band means.")


@dataclass(frozen=True, kw_only=True)
class EvidenceLevel(_Data):
    """One level of an ordinal criterion: its score and the evidence that proves it.

    The criterion's score is the score of the highest level whose evidence is proven.
    """

    score: Decimal = _f("Score given when this is the highest level proven.")
    label: str = _f("Short name of the level.")
    evidence: str = _f("The document or fact that proves this level.", default="")


@dataclass(frozen=True, kw_only=True)
class ChecklistItem(_Data):
    """One item of a checklist criterion."""

    id: str = _f("Slug naming the item.", slug=True)
    text: str = _f("What is checked.")
    points: Decimal = _f("Relative points of the item.", default=Decimal(1))


@dataclass(frozen=True, kw_only=True)
class Criterion(_Data):
    """A weighted criterion (aspect, indicator) of a rubric.

    Kinds:

    * ``numeric``: a judge gives a number in ``scale_min..scale_max`` (a multiple of
      ``step`` when set); ``descriptors`` describe score bands.
    * ``ordinal``: the score is the ``score`` of the highest evidence level proven; levels are
      listed from lowest to highest with strictly increasing scores inside the scale.
    * ``checklist``: ``scale_min + (scale_max - scale_min) * checked points / all points``.

    ``weight`` is a percentage: the weights of a rubric's criteria add up to 100.
    """

    id: str = _f("Slug naming the criterion.", slug=True)
    name: str = _f("Display name (the aspect or indicator).")
    weight: Decimal = _f("Percentage of the rubric score.", min=0)
    kind: CriterionKind = _f("numeric, ordinal or checklist.", default="numeric")
    description: str = _f("Guidance for judges.", default="")
    scale_min: Decimal = _f("Lowest allowed score.", default=Decimal(0))
    scale_max: Decimal = _f("Highest allowed score.", default=Decimal(100))
    step: Decimal | None = _f("Scores must be multiples of this, when set.", default=None)
    descriptors: tuple[LevelDescriptor, ...] = _f("Score bands (numeric).", default=())
    levels: tuple[EvidenceLevel, ...] = _f("Evidence levels, lowest first (ordinal).", default=())
    items: tuple[ChecklistItem, ...] = _f("Checklist items (checklist).", default=())


@dataclass(frozen=True, kw_only=True)
class Rubric(_Data):
    """A set of weighted criteria used by one or more stages.

    The rubric score is on 0..``scale`` (100 unless the rubric declares its own points):
    ``sum(weight * normalised score) / 100`` where the weights add up to ``scale`` and a
    criterion's normalised score is ``100 * score / scale_max`` (``fraction_of_max``, the
    usual reading of a 6.0-10 range: 6 is 60 %) or
    ``100 * (score - scale_min) / (scale_max - scale_min)`` (``min_max``). With ``scale: 700``
    and each criterion weighted by its own maximum points, the score is the sum of the points.
    ``missing`` says what happens when a judge leaves a criterion unscored: ``block`` (the
    score sheet cannot be submitted), ``zero`` (it counts as the lowest score) or
    ``reweight`` (the other criteria's weights are scaled up to ``scale``).
    """

    id: str = _f("Slug naming the rubric.", slug=True)
    name: str = _f("Display name.")
    description: str = _f("What the rubric assesses.", default="")
    normalisation: Normalisation = _f(
        "fraction_of_max or min_max (how criterion scores map to 0..100).",
        default="fraction_of_max",
    )
    missing: MissingCriterionPolicy = _f(
        "block, zero or reweight when a criterion is left unscored.", default="block"
    )
    scale: Decimal = _f(
        "Highest rubric score; the criteria weights add up to it (100, or the rubric's own "
        "points such as 700). Scores, passing grades, thresholds and bands of its stages are "
        "on this scale.",
        default=Decimal(100),
        min=0,
    )
    criteria: tuple[Criterion, ...] = _f(
        "The criteria; weights add up to the scale, 100 by default.", nonempty=True
    )

    def criterion(self, criterion_id: str) -> Criterion:
        return _by_id(self.criteria, criterion_id)


# --------------------------------------------------------------------------------------------
# Entry form
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ProposalSection(_Data):
    """A fixed section of the proposal, with an optional word limit."""

    id: str = _f("Slug naming the section.", slug=True)
    title: str = _f("Heading shown to participants.")
    max_words: int | None = _f("Word limit, when any.", default=None, min=1)
    required: bool = _f("The entry cannot be submitted without it.", default=True)
    guidance: str = _f("What to write.", default="")


@dataclass(frozen=True, kw_only=True)
class RequiredStatement(_Data):
    """A statement the participant must upload or affirm (SK, replication willingness)."""

    id: str = _f("Slug naming the statement.", slug=True)
    title: str = _f("What is stated.")
    document: bool = _f("A signed document must be uploaded (not only a tick).", default=True)
    required: bool = _f("The entry cannot be submitted without it.", default=True)


@dataclass(frozen=True, kw_only=True)
class DocumentSpec(_Data):
    """A document to upload (e.g. the prior year's performance documents).

    ``year_offset`` says which year the document covers relative to the edition's year
    (-1 for the previous year), so the requirement follows the edition when shifted.
    """

    id: str = _f("Slug naming the document.", slug=True)
    title: str = _f("What the document is.")
    kinds: tuple[str, ...] = _f(
        "Allowed file extensions without the dot, e.g. pdf, xlsx.", nonempty=True
    )
    max_size_mb: Decimal = _f("Largest allowed file, in megabytes.", min=0)
    required: bool = _f("The entry cannot be submitted without it.", default=True)
    multiple: bool = _f("Several files may be uploaded.", default=False)
    year_offset: int | None = _f(
        "Year covered, relative to the edition year (-1 = previous year).", default=None
    )


@dataclass(frozen=True, kw_only=True)
class SelfAssessmentItem(_Data):
    """A self-assessment question answered by the participant with evidence.

    It is tied to an ``ordinal`` criterion of a rubric: the participant claims a level of that
    criterion and uploads the evidence; evaluators verify the claim in the stage whose
    ``score_source`` is ``self_assessment``.
    """

    id: str = _f("Slug naming the item.", slug=True)
    question: str = _f("The question the participant answers.")
    rubric: str = _f("Id of the rubric holding the criterion.", slug=True)
    criterion: str = _f("Id of the ordinal criterion the answer claims a level of.", slug=True)
    evidence_required: bool = _f("Evidence must be uploaded for the claim.", default=True)


@dataclass(frozen=True, kw_only=True)
class VideoSpec(_Data):
    """A video link each entry provides, with its allowed length."""

    required: bool = _f("The entry cannot be submitted without it.", default=True)
    min_seconds: int | None = _f("Shortest allowed video, in seconds.", default=None, min=1)
    max_seconds: int | None = _f("Longest allowed video, in seconds.", default=None, min=1)
    hosts: tuple[str, ...] = _f(
        "Allowed link hosts, e.g. drive.google.com; empty allows any.", default=()
    )
    guidance: str = _f("What the video must show.", default="")


@dataclass(frozen=True, kw_only=True)
class EntryForm(_Data):
    """What a participant fills in and uploads.

    ``entry_noun`` names what one entry is where the pages would otherwise say "inovasi"
    for it (a column of titles, the form's heading); ``title_label`` labels its title field.
    """

    entry_noun: str = _f(
        "What one entry is, in lower case as written inside a sentence, e.g. dokumen kinerja; "
        "empty: inovasi.",
        default="",
    )
    title_label: str = _f(
        "Label of the entry's title field, e.g. Nama dokumen kinerja; empty: Judul followed by "
        "the entry noun.",
        default="",
    )
    sections: tuple[ProposalSection, ...] = _f("Proposal sections in order.", default=())
    statements: tuple[RequiredStatement, ...] = _f("Required statements.", default=())
    documents: tuple[DocumentSpec, ...] = _f("Documents to upload.", default=())
    self_assessment: tuple[SelfAssessmentItem, ...] = _f("Self-assessment items.", default=())
    video: VideoSpec | None = _f("The video link, when one is asked for.", default=None)


# --------------------------------------------------------------------------------------------
# Stages
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CategoryRubric(_Data):
    """A rubric used for one category at one stage (written as ``category: rubric``)."""

    category: str = _f("Category id.", slug=True)
    rubric: str = _f("Rubric id.", slug=True)


@dataclass(frozen=True, kw_only=True)
class Quota(_Data):
    """How many entries of one group or category advance (written as ``id: count``).

    0 gives the unit no places at the stage; a unit of the scope left out of ``quotas`` has
    no places either. Its entries are still ranked, each with the reason that its unit has
    no places.
    """

    unit: str = _f("Group or category id.", slug=True)
    count: int = _f("How many advance; 0 for none.", min=0)


@dataclass(frozen=True, kw_only=True)
class Aggregation(_Data):
    """How several judges' scores for one entry become one stage score.

    ``trimmed_mean`` drops the ``trim`` highest and ``trim`` lowest judges' scores when at
    least ``trim_from_judges`` judges scored the entry, and takes the plain mean otherwise.
    """

    method: AggregationMethod = _f("mean, median or trimmed_mean.", default="mean")
    trim: int = _f("Scores dropped at each end (trimmed_mean).", default=1, min=1)
    trim_from_judges: int = _f(
        "Trim only when at least this many judges scored the entry.", default=4, min=3
    )
    min_judges: int = _f(
        "An entry needs at least this many counted judges' sheets to be scored.",
        default=1,
        min=1,
    )


@dataclass(frozen=True, kw_only=True)
class Condition(_Data):
    """A condition on the judges' totals for one entry at one stage.

    Either one comparison: a ``measure`` (``spread``: highest minus lowest, ``lowest``,
    ``highest`` or ``mean`` of the counted judges' totals) with exactly one of ``more_than``,
    ``at_least``, ``below`` or ``at_most``; or a combination: ``all`` holds when every
    condition listed holds (and), ``any`` when at least one does (or). Combinations nest.
    Values are on the stage's score scale and compared exactly.
    """

    measure: DisagreementMeasure | None = _f(
        "spread, lowest, highest or mean of the judges' totals.", default=None
    )
    more_than: Decimal | None = _f("Holds when the measure is greater than this.", default=None)
    at_least: Decimal | None = _f("Holds when the measure is this or more.", default=None)
    below: Decimal | None = _f("Holds when the measure is less than this.", default=None)
    at_most: Decimal | None = _f("Holds when the measure is this or less.", default=None)
    all: tuple[Condition, ...] = _f("Holds when every condition listed holds (and).", default=())
    any: tuple[Condition, ...] = _f(
        "Holds when at least one condition listed holds (or).", default=()
    )

    @property
    def comparisons(self) -> list[tuple[str, Decimal]]:
        """The comparisons written, as (name, value)."""
        out = []
        for name in COMPARISONS:
            value = getattr(self, name)
            if value is not None:
                out.append((name, value))
        return out


@dataclass(frozen=True, kw_only=True)
class Disagreement(_Data):
    """When judges disagree on an entry, flag it (and, with ``third_reviewer``, ask for a
    further reviewer).

    Write ``threshold`` (judges disagree when their totals differ by more than it) or
    ``when``, a condition such as "the spread is at least 20 and the lowest total is below
    60". With ``third_reviewer`` each entry is first scored by ``reviewers`` judges and one
    more judge is assigned when they disagree.
    """

    threshold: Decimal | None = _f(
        "Largest accepted difference between judges' totals, on the stage's scale.",
        default=None,
        min=0,
    )
    when: Condition | None = _f(
        "The condition under which judges disagree, instead of threshold.", default=None
    )
    third_reviewer: bool = _f("Assign a further reviewer when they disagree.", default=False)
    reviewers: int = _f("Judges per entry before any further reviewer.", default=2, min=1)


@dataclass(frozen=True, kw_only=True)
class Slot(_Data):
    """Length of a presentation or interview slot, e.g. 7 minutes + 13 minutes of questions."""

    presentation_minutes: int = _f("Minutes for the participant to present.", min=0)
    questions_minutes: int = _f("Minutes of questions and answers.", default=0, min=0)
    changeover_minutes: int = _f("Minutes between slots.", default=0, min=0)


@dataclass(frozen=True, kw_only=True)
class Advancement(_Data):
    """Who goes on to the next stage (or, at the last stage, who is ranked for awards).

    Rules combine: entries below ``passing_grade`` never advance; then ``top_n`` per
    ``scope`` unit (category, group or overall) or ``quotas`` (fixed counts per group or
    category, by ``scope``) are taken; ``multiplier`` k admits k x the target ("nominate
    twice the target"). With no top_n and no quotas, everyone at or above the passing grade
    advances. ``ties`` says whether entries tied at the cut are all admitted or the
    tie-break chain decides.
    """

    scope: AdvancementScope = _f("category, group or overall.", default="category")
    top_n: int | None = _f("How many advance per scope unit.", default=None, min=1)
    quotas: tuple[Quota, ...] = _f(
        "Fixed counts per group or category (mapping id: count).", default=(), mapping=True
    )
    passing_grade: Decimal | None = _f(
        "Lowest score that may advance, on the stage's scale.", default=None, min=0
    )
    multiplier: int = _f("Admit k x the target (top_n or quotas).", default=1, min=1)
    ties: TiePolicy = _f("admit_all or break at the cut.", default="break")

    def quota(self, unit: str) -> int | None:
        for quota in self.quotas:
            if quota.unit == unit:
                return quota.count
        return None


@dataclass(frozen=True, kw_only=True)
class Stage(_Data):
    """One stage of the funnel, in order.

    ``kind`` ``weighted`` stages contribute ``weight`` percent to the final score (the
    weights of all weighted stages add up to 100); ``filter`` stages only decide who
    advances and carry no weight. A cut at a weighted stage ranks by the running total of the
    weighted stages so far. ``can_only_lower`` (field validation that lowers unproven
    claims): an entry's score in this stage is capped at its score in the stage before,
    ``min(own score, previous stage score)``, so the stage can lower but never raise it.

    The rubric for a category is ``rubric_by_category[category]`` when given, else
    ``rubric``. Judged stages (``score_source`` judges or self_assessment) need a rubric for
    every category; ``public_votes`` stages count votes and use no rubric.
    """

    id: str = _f("Slug naming the stage.", slug=True)
    name: str = _f("Display name, e.g. Presentasi.")
    kind: StageKind = _f("filter or weighted.")
    weight: Decimal = _f("Percentage of the final score (weighted stages).", default=Decimal(0))
    description: str = _f("What happens in this stage.", default="")
    start: dt.date | None = _f("First day of the stage window.", default=None)
    end: dt.date | None = _f("Last day of the stage window.", default=None)
    score_source: ScoreSource = _f(
        "judges, self_assessment (verified by evaluators) or public_votes.", default="judges"
    )
    rubric: str | None = _f("Rubric for every category.", default=None, slug=True)
    rubric_by_category: tuple[CategoryRubric, ...] = _f(
        "Rubric per category (mapping category: rubric), overriding rubric.",
        default=(),
        mapping=True,
    )
    categories: tuple[str, ...] = _f(
        "Categories taking part in this stage; empty means all.", default=()
    )
    aggregation: Aggregation = _f("How judges' scores combine.", default=Aggregation())
    honorary_scores_count: bool = _f(
        "Scores of juri kehormatan count in the aggregate.", default=False
    )
    disagreement: Disagreement | None = _f("Disagreement rule.", default=None)
    can_only_lower: bool = _f("The stage can only lower an entry's score.", default=False)
    field_visit: bool = _f(
        "The stage is a field visit: verifiers check each aspect on site with photos and "
        "documents, and sign the minutes (berita acara).",
        default=False,
    )
    blind: bool = _f("Judges do not see who the participant is.", default=False)
    judges_see_others: bool = _f(
        "Judges see other judges' scores before the stage closes.", default=False
    )
    official_score: OfficialScore = _f("raw or calibrated score is official.", default="raw")
    slot: Slot | None = _f("Presentation or interview slot length.", default=None)
    advance: Advancement | None = _f(
        "Who advances; omitted means every entry advances.", default=None
    )

    def rubric_for(self, category_id: str) -> str | None:
        """The rubric id this stage uses for a category (None when the stage has no rubric)."""
        for item in self.rubric_by_category:
            if item.category == category_id:
                return item.rubric
        return self.rubric

    @property
    def is_judged(self) -> bool:
        return self.score_source != "public_votes"


# --------------------------------------------------------------------------------------------
# Awards, public participation, panels
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class AwardTier(_Data):
    """Ranks ``rank_from..rank_to`` of each ranking unit (see ``Awards.ranking``) receive this.

    ``prize`` is per winner, in Rupiah. ``categories`` restricts the tier to some categories
    (empty: all). ``rank_name`` names the award of each rank: ``{rank}`` is the rank,
    ``{place}`` the place within the tier (1 for ``rank_from``).
    """

    id: str = _f("Slug naming the tier.", slug=True)
    name: str = _f("Display name, e.g. Juara 1.")
    rank_from: int = _f("Best rank of the tier.", min=1)
    rank_to: int = _f("Worst rank of the tier.", min=1)
    trophy: bool = _f("A trophy is given.", default=False)
    certificate: bool = _f("A certificate (piagam) is given.", default=True)
    prize: Decimal = _f("Prize money per winner, in Rupiah.", default=Decimal(0), min=0)
    categories: tuple[str, ...] = _f("Category ids; empty means every category.", default=())
    rank_name: str = _f(
        "Award of each rank, with {rank} (the rank) or {place} (the place within the tier), "
        "e.g. Juara {rank} or Juara Harapan {place}; empty: every rank receives the name.",
        default="",
    )


@dataclass(frozen=True, kw_only=True)
class ScoreBand(_Data):
    """A band of the final score (on its scale, 0..100 by default): a grade or a predicate.

    Bounds are inclusive unless marked exclusive; an omitted bound is open.
    """

    name: str = _f("Grade or predicate, e.g. A or Sangat Inovatif.")
    min: Decimal | None = _f("Lower bound.", default=None, min=0)
    max: Decimal | None = _f("Upper bound.", default=None, min=0)
    min_exclusive: bool = _f("The lower bound itself is outside the band.", default=False)
    max_exclusive: bool = _f("The upper bound itself is outside the band.", default=False)
    prize: Decimal = _f("Prize money per entry in the band, in Rupiah.", default=Decimal(0), min=0)
    certificate: bool = _f("A certificate is given.", default=False)

    def contains(self, score: Decimal) -> bool:
        if self.min is not None and (
            score < self.min or (self.min_exclusive and score == self.min)
        ):
            return False
        if self.max is not None and (
            score > self.max or (self.max_exclusive and score == self.max)
        ):
            return False
        return True


@dataclass(frozen=True, kw_only=True)
class FavouriteAward(_Data):
    """A favourite (terfavorit) prize decided by public votes."""

    name: str = _f("Display name, e.g. Inovasi Terfavorit.")
    winners: int = _f("Number of winners per scope unit.", default=1, min=1)
    scope: FavouriteScope = _f("category or overall.", default="overall")
    exclude_jury_winners: bool = _f(
        "An entry that won a jury award cannot also take this prize.", default=False
    )
    prize: Decimal = _f("Prize money per winner, in Rupiah.", default=Decimal(0), min=0)
    certificate: bool = _f("A certificate is given.", default=True)
    trophy: bool = _f("A trophy is given.", default=False)


@dataclass(frozen=True, kw_only=True)
class SpecialAward(_Data):
    """An award for the best entries of each category on one criterion of one stage
    ("5 best on change management"), beside or instead of the rank tiers.

    Special awards are given in the order listed. In each category (or each of
    ``categories``) the ``winners`` entries scored at ``stage`` with the highest mean of the
    judges' scores on ``criterion`` receive it; ties go through the tie-break chain.
    ``exclude`` lists earlier special awards whose winners are passed over (the next entry
    takes the place), and ``tiers`` for the entries holding a rank tier.
    """

    id: str = _f("Slug naming the award.", slug=True)
    name: str = _f("Display name, e.g. Terbaik Manajemen Perubahan.")
    stage: str = _f("Id of the stage whose scores decide it.", slug=True)
    criterion: str = _f("Id of the criterion it rewards, in that stage's rubrics.", slug=True)
    winners: int = _f("How many entries of each category receive it.", default=1, min=1)
    categories: tuple[str, ...] = _f("Category ids; empty means every category.", default=())
    exclude: tuple[str, ...] = _f(
        "Ids of earlier special awards (or tiers) whose holders cannot receive it.", default=()
    )
    prize: Decimal = _f("Prize money per winner, in Rupiah.", default=Decimal(0), min=0)
    certificate: bool = _f("A certificate is given.", default=True)
    trophy: bool = _f("A trophy is given.", default=False)


@dataclass(frozen=True, kw_only=True)
class Awards(_Data):
    """Awards after the last stage: rank tiers, grade bands, predicate bands, favourite.

    ``ranking`` is the unit final ranks are counted in (per category, per group or overall).
    """

    ranking: AdvancementScope = _f("category, group or overall.", default="category")
    tiers: tuple[AwardTier, ...] = _f("Rank tiers, best first.", default=())
    grades: tuple[ScoreBand, ...] = _f("Grade bands with a prize per grade.", default=())
    predicates: tuple[ScoreBand, ...] = _f("Predicate bands.", default=())
    favourite: FavouriteAward | None = _f("Favourite prize from public votes.", default=None)
    special: tuple[SpecialAward, ...] = _f(
        "Awards for the best entries on one criterion, in the order given.", default=()
    )
    follow_up: str = _f(
        "What follows the award: mentoring, entry into a national competition.", default=""
    )


@dataclass(frozen=True, kw_only=True)
class UjiPublik(_Data):
    """Public-test window: anyone may support or object to finalists for ``days`` days
    starting the day after the results of ``after_stage`` are announced."""

    after_stage: str = _f("Stage whose finalists are put to the public.", slug=True)
    days: int = _f("Length of the window in days.", min=1)


@dataclass(frozen=True, kw_only=True)
class FavouriteVote(_Data):
    """When and where the public votes for the favourite prize."""

    start: dt.date = _f("First day of voting.")
    end: dt.date = _f("Last day of voting.")
    channel: str = _f("Where votes are cast, e.g. a Facebook group.", default="")
    counts: tuple[VoteSignal, ...] = _f(
        "What is counted: likes, comments, votes.", default=("votes",)
    )


@dataclass(frozen=True, kw_only=True)
class PublicParticipation(_Data):
    """Public participation: the uji publik window and the favourite vote."""

    uji_publik: UjiPublik | None = _f("Public-test window.", default=None)
    favourite_vote: FavouriteVote | None = _f("Favourite vote window.", default=None)


@dataclass(frozen=True, kw_only=True)
class PanelSeat(_Data):
    """A seat on a panel: role, the body (unsur) it is drawn from, optionally the office."""

    role: PanelRole = _f("ketua, sekretaris, anggota or juri_kehormatan.")
    unsur: str = _f("The body the judge comes from, e.g. akademisi.")
    office: str = _f("Office or description, e.g. Sekretaris Daerah.", default="")
    count: int = _f("Number of such seats.", default=1, min=1)


@dataclass(frozen=True, kw_only=True)
class Panel(_Data):
    """A jury, evaluation team or verification team that scores one or more stages."""

    id: str = _f("Slug naming the panel.", slug=True)
    name: str = _f("Display name, e.g. Dewan Juri.")
    stages: tuple[str, ...] = _f("Ids of the stages the panel scores.", nonempty=True)
    unsur: tuple[str, ...] = _f("Bodies the panel's judges are drawn from.", default=())
    seats: tuple[PanelSeat, ...] = _f("Seats by role.", default=())


# --------------------------------------------------------------------------------------------
# The template
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Calibration(_Data):
    """How the calibrated score (shown beside the raw one, official when a stage says so)
    is fitted: ``offset`` (each judge marks higher or lower by a constant) or
    ``offset_scale`` (also spreads marks more or less widely), with a ridge
    ``regularisation`` that pulls each judge's offset towards zero (1: as if the judge had
    scored one more sheet exactly at the consensus; 0: none)."""

    model: CalibrationModel = _f("offset or offset_scale.", default="offset")
    regularisation: Decimal = _f(
        "Ridge penalty on the judges' offsets; 0 for none.", default=Decimal(1), min=0
    )


@dataclass(frozen=True, kw_only=True)
class Template(_Data):
    """A validated competition template (see ``docs/templates.md``).

    Invariants guaranteed by the validator: ids are unique slugs; every reference (category,
    group, rubric, stage, institution type, criterion) resolves; the criteria weights of each
    rubric add up to 100; the weights of the weighted stages add up to 100; ranges have
    min <= max; cuts never exceed a declared capacity and never widen from stage to stage;
    every judged stage has a rubric for each of its categories; the tie-break chain ends
    with a decisive method.
    """

    name: str = _f("Slug naming the template, e.g. mangupura-2024.", slug=True)
    competition: str = _f(
        "Name of the recurring competition, without the year, e.g. Mangupura Award."
    )
    title: str = _f("Title of the reference edition, e.g. Mangupura Award 2024.")
    organiser: str = _f("Organising body, e.g. BRIDA Kabupaten Badung.")
    year: int = _f("Reference year of the dates.", min=2000, max=2100)
    time_zone: TimeZoneCode = _f("WIB, WITA or WIT.")
    description: str = _f("What the competition is for.", default="")
    assumptions: tuple[str, ...] = _f(
        "Sentences marking values chosen where the source was silent.", default=()
    )
    institution_types: tuple[InstitutionType, ...] = _f(
        "Kinds of participating institutions.", nonempty=True
    )
    categories: tuple[Category, ...] = _f("Categories.", nonempty=True)
    groups: tuple[Group, ...] = _f("Groups (umum, replikasi, khusus, outstanding).", default=())
    timeline: Timeline = _f("Dates for the reference year.")
    eligibility: Eligibility = _f("Eligibility rules.", default=Eligibility())
    entry_form: EntryForm = _f("What participants submit.", default=EntryForm())
    rubrics: tuple[Rubric, ...] = _f("Rubrics.", default=())
    stages: tuple[Stage, ...] = _f("Stages in order.", nonempty=True)
    tie_break: tuple[TieBreakMethod, ...] = _f(
        "Tie-break chain, first applied first.",
        default=("heaviest_stage", "heaviest_criterion", "recorded_decision"),
    )
    calibration: Calibration = _f(
        "How the calibrated score is fitted.", default=Calibration()
    )
    awards: Awards = _f("Awards.", default=Awards())
    public: PublicParticipation = _f("Public participation.", default=PublicParticipation())
    panels: tuple[Panel, ...] = _f("Judging panels.", default=())

    # -- lookups -------------------------------------------------------------------------------

    @property
    def tz_name(self) -> str:
        """IANA time zone name, e.g. Asia/Makassar for WITA."""
        return TIME_ZONES[self.time_zone]

    @property
    def tzinfo(self) -> ZoneInfo:
        return ZoneInfo(self.tz_name)

    def localize(self, value: dt.datetime) -> dt.datetime:
        """An aware datetime for a naive wall-clock time of this template."""
        return value.replace(tzinfo=self.tzinfo)

    @property
    def submission_deadline(self) -> dt.datetime:
        """The submission deadline as an aware datetime in the template's time zone."""
        return self.localize(self.timeline.submission_deadline)

    @property
    def closing_date(self) -> dt.date:
        """The date from which the minimum innovation age is counted back."""
        return self.timeline.submission_deadline.date()

    @property
    def weighted_stages(self) -> tuple[Stage, ...]:
        return tuple(stage for stage in self.stages if stage.kind == "weighted")

    def category(self, category_id: str) -> Category:
        return _by_id(self.categories, category_id)

    def group(self, group_id: str) -> Group:
        return _by_id(self.groups, group_id)

    def rubric(self, rubric_id: str) -> Rubric:
        return _by_id(self.rubrics, rubric_id)

    def stage(self, stage_id: str) -> Stage:
        return _by_id(self.stages, stage_id)

    def stage_categories(self, stage: Stage) -> tuple[str, ...]:
        """Ids of the categories taking part in a stage."""
        return stage.categories or tuple(category.id for category in self.categories)

    # -- editions ------------------------------------------------------------------------------

    def shifted_to_year(self, year: int) -> Template:
        """This template with every date moved by whole years to ``year``.

        Dates and datetimes move by ``year - self.year`` years (29 February becomes 28
        February in a non-leap year), past-winner years move by the same amount, and the
        reference year in the title (as a whole word) is replaced. Everything else is kept.
        """
        delta = year - self.year
        if delta == 0:
            return self
        shifted = cast(Template, _shift(self, delta))
        title = re.sub(rf"\b{self.year}\b", str(year), self.title)
        return dataclasses.replace(shifted, year=year, title=title)


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


_Item = TypeVar("_Item")


def _by_id(items: tuple[_Item, ...], item_id: str) -> _Item:
    for item in items:
        if getattr(item, "id") == item_id:  # noqa: B009 - every item type here has an id
            return item
    raise KeyError(item_id)


def _shift_date(value: dt.date, delta: int) -> dt.date:
    try:
        return value.replace(year=value.year + delta)
    except ValueError:  # 29 February into a non-leap year
        return value.replace(year=value.year + delta, day=28)


def _shift(value: Any, delta: int) -> Any:
    if isinstance(value, dt.date):  # also datetime
        return _shift_date(value, delta)
    if isinstance(value, PastWinners):
        return dataclasses.replace(value, years=tuple(y + delta for y in value.years))
    if isinstance(value, tuple):
        return tuple(_shift(item, delta) for item in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _shift(getattr(value, f.name), delta) for f in dataclasses.fields(value)}
        return dataclasses.replace(cast(Any, value), **changes)
    return value


def decimal_to_data(value: Decimal) -> int | float | str:
    """An int, float or str that the loader reads back as the same Decimal."""
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) == value:
        return as_float
    return str(value)


def _value_to_data(value: Any, f: dataclasses.Field[Any] | None = None) -> Any:
    if isinstance(value, Decimal):
        return decimal_to_data(value)
    if isinstance(value, tuple):
        if f is not None and f.metadata.get("mapping"):
            out = {}
            for item in value:
                key_field, value_field = dataclasses.fields(item)
                out[getattr(item, key_field.name)] = _value_to_data(getattr(item, value_field.name))
            return out
        return [_value_to_data(item) for item in value]
    if dataclasses.is_dataclass(value):
        return _object_to_data(value)
    return value


def _default_of(f: dataclasses.Field[Any]) -> Any:
    if f.default is not dataclasses.MISSING:
        return f.default
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return dataclasses.MISSING


def _object_to_data(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if value == _default_of(f):
            continue
        out[f.name] = _value_to_data(value, f)
    return out
