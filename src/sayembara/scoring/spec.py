"""The engine's input specification: the rules of one competition as frozen dataclasses.

These classes describe *rules*; the data (entries, judges, scores, votes, decisions) live in
:mod:`sayembara.scoring.inputs`. Weights, bounds, grades and money are :class:`Decimal` and
are used exactly. :meth:`Competition.validate` refuses inconsistent rules (weights that do not
add up, a rubric missing for a category, a quota for an unknown unit...) with a
:class:`~sayembara.scoring.errors.SpecError`; :func:`sayembara.scoring.engine.compute` calls it
before anything else.

The vocabulary follows the competition templates (``sayembara.template_format``), but the
engine does not depend on them: the ranking layer translates a template into a
:class:`Competition`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from .errors import SpecError
from .exact import lcm

HUNDRED = Decimal(100)


class CriterionKind(StrEnum):
    NUMERIC = "numeric"  #: a number in scale_min..scale_max (a multiple of step when set)
    ORDINAL = "ordinal"  #: the score of the highest evidence level proven
    CHECKLIST = "checklist"  #: scale_min + (scale_max - scale_min) x checked points / all points


class Normalisation(StrEnum):
    """How a criterion score maps onto 0..100 before weighting."""

    FRACTION_OF_MAX = "fraction_of_max"  #: 100 x score / scale_max (6.0 on a 6-10 scale is 60)
    MIN_MAX = "min_max"  #: 100 x (score - scale_min) / (scale_max - scale_min)


class MissingPolicy(StrEnum):
    """What a criterion left unscored on a judge's sheet means."""

    BLOCK = "block"  #: the sheet is incomplete: the engine refuses the input
    ZERO = "zero"  #: the criterion counts as its lowest score (scale_min)
    REWEIGHT = "reweight"  #: the other criteria's weights are scaled up to 100


class Method(StrEnum):
    """How the counted judges' sheet totals for one entry become its stage score."""

    MEAN = "mean"
    MEDIAN = "median"  #: the middle total; the mean of the two middle totals for an even count
    TRIMMED_MEAN = "trimmed_mean"  #: drop `trim` highest and lowest when enough judges scored


class StageKind(StrEnum):
    FILTER = "filter"  #: decides who goes on; carries no weight in the final score
    WEIGHTED = "weighted"  #: contributes weight % of its stage score to the final score


class Source(StrEnum):
    JUDGES = "judges"  #: judges (or evaluators verifying a self-assessment) fill rubric sheets
    VOTES = "votes"  #: the stage score is 100 x votes / most votes in the entry's category


class Scope(StrEnum):
    """The unit in which entries compete for places (and, for awards, are ranked)."""

    CATEGORY = "category"
    GROUP = "group"
    OVERALL = "overall"


class TiePolicy(StrEnum):
    ADMIT_ALL = "admit_all"  #: every entry with the same score as the last place goes on
    BREAK = "break"  #: the tie-break chain decides who takes the last places


class TieBreak(StrEnum):
    """Steps of the tie-break chain (see :mod:`sayembara.scoring.ties` for each rule)."""

    HEAVIEST_STAGE = "heaviest_stage"
    HEAVIEST_CRITERION = "heaviest_criterion"
    HEAD_TO_HEAD = "head_to_head"
    UNTRIMMED_MEAN = "untrimmed_mean"
    MEDIAN = "median"
    RECORDED_DECISION = "recorded_decision"
    LOT = "lot"


class Official(StrEnum):
    RAW = "raw"
    CALIBRATED = "calibrated"


class CalibrationModel(StrEnum):
    OFFSET = "offset"  #: score = quality + judge offset + noise
    OFFSET_SCALE = "offset_scale"  #: score = judge offset + judge scale x quality + noise


@dataclass(frozen=True)
class Level:
    """An evidence level of an ordinal criterion (``key`` is its label)."""

    key: str
    score: Decimal


@dataclass(frozen=True)
class Item:
    """A checklist item and its points."""

    key: str
    points: Decimal = Decimal(1)


@dataclass(frozen=True)
class Criterion:
    """A weighted criterion. ``weight`` is a percentage of the rubric score."""

    key: str
    weight: Decimal
    kind: CriterionKind = CriterionKind.NUMERIC
    scale_min: Decimal = Decimal(0)
    scale_max: Decimal = HUNDRED
    step: Decimal | None = None
    levels: tuple[Level, ...] = ()
    items: tuple[Item, ...] = ()

    def coefficient(self, normalisation: Normalisation) -> Fraction:
        """Factor turning (score - offset) into this criterion's share of the 0..100 total.

        The criterion contributes ``weight x normalised / 100`` with ``normalised`` on 0..100,
        i.e. ``weight x score / scale_max`` (fraction of max) or
        ``weight x (score - scale_min) / (scale_max - scale_min)`` (min-max).
        """
        if normalisation is Normalisation.FRACTION_OF_MAX:
            return Fraction(self.weight) / Fraction(self.scale_max)
        return Fraction(self.weight) / (Fraction(self.scale_max) - Fraction(self.scale_min))

    def offset(self, normalisation: Normalisation) -> Fraction:
        if normalisation is Normalisation.FRACTION_OF_MAX:
            return Fraction(0)
        return Fraction(self.scale_min)

    def score_of_levels(self, proven: tuple[str, ...]) -> Fraction:
        """Score of an ordinal criterion: the score of the highest level proven.

        With no level proven the score is ``scale_min``.
        """
        best = Fraction(self.scale_min)
        known = {level.key: Fraction(level.score) for level in self.levels}
        for key in proven:
            if key not in known:
                raise SpecError(
                    "unknown_level",
                    f"The criterion {self.key} has no evidence level {key}.",
                    criterion=self.key,
                    level=key,
                )
            best = max(best, known[key])
        return best

    def score_of_items(self, checked: tuple[str, ...]) -> Fraction:
        """Score of a checklist criterion:
        ``scale_min + (scale_max - scale_min) x checked points / all points``."""
        points = {item.key: Fraction(item.points) for item in self.items}
        for key in checked:
            if key not in points:
                raise SpecError(
                    "unknown_item",
                    f"The criterion {self.key} has no checklist item {key}.",
                    criterion=self.key,
                    item=key,
                )
        total = sum(points.values(), Fraction(0))
        got = sum((points[key] for key in set(checked)), Fraction(0))
        low, high = Fraction(self.scale_min), Fraction(self.scale_max)
        return low + (high - low) * got / total

    def value_denominator(self) -> int:
        """A denominator that turns every score this criterion can produce from its levels
        or items into an integer numerator (1 for numeric criteria, whose scores are decimals).

        A checklist score is ``scale_min + k x span x unit / total`` for an integer k, where
        ``unit`` is the finest fraction of a point; its denominator divides the returned one.
        """
        if self.kind is not CriterionKind.CHECKLIST or not self.items:
            return 1
        points = [Fraction(i.points) for i in self.items]
        total = sum(points, Fraction(0))
        span = Fraction(self.scale_max) - Fraction(self.scale_min)
        unit = Fraction(1, lcm(p.denominator for p in points))
        return (span * unit / total).denominator


@dataclass(frozen=True)
class Rubric:
    """Weighted criteria; the sheet total is on 0..``scale`` (see
    :mod:`sayembara.scoring.sheets`). The criteria weights add up to ``scale``: 100 for a
    score on 0..100, or the rubric's own points (700 for a total in points)."""

    key: str
    criteria: tuple[Criterion, ...]
    normalisation: Normalisation = Normalisation.FRACTION_OF_MAX
    missing: MissingPolicy = MissingPolicy.BLOCK
    scale: Decimal = HUNDRED

    def index(self, criterion_key: str) -> int:
        for i, criterion in enumerate(self.criteria):
            if criterion.key == criterion_key:
                return i
        raise KeyError(criterion_key)


class Measure(StrEnum):
    """A figure of an entry's counted sheet totals at one stage."""

    SPREAD = "spread"  #: highest minus lowest
    LOWEST = "lowest"
    HIGHEST = "highest"
    MEAN = "mean"


class Comparison(StrEnum):
    MORE_THAN = "more_than"  #: strictly greater
    AT_LEAST = "at_least"  #: greater or equal
    BELOW = "below"  #: strictly less
    AT_MOST = "at_most"  #: less or equal


@dataclass(frozen=True)
class Condition:
    """A declarative condition on an entry's counted sheet totals.

    Either a comparison (``measure comparison value``, e.g. spread at_least 20) or a
    combination: ``all`` holds when every condition in it holds (and), ``any`` when at least
    one does (or). Combinations nest. Values are on the stage's score scale and compared
    exactly.
    """

    measure: Measure | None = None
    comparison: Comparison | None = None
    value: Decimal | None = None
    all: tuple[Condition, ...] = ()
    any: tuple[Condition, ...] = ()

    def problem(self) -> str | None:
        """Why the condition is malformed, or None."""
        parts = sum((self.measure is not None, bool(self.all), bool(self.any)))
        if parts != 1:
            return "a condition is one comparison, or one of all / any"
        if self.measure is not None and (self.comparison is None or self.value is None):
            return f"the condition on {self.measure.value} needs a comparison and a value"
        for inner in (*self.all, *self.any):
            found = inner.problem()
            if found:
                return found
        return None


@dataclass(frozen=True)
class Disagreement:
    """When judges disagree on an entry: the range (highest - lowest) of the counted sheet
    totals exceeds ``threshold``, or, with ``when``, the declared condition holds (e.g. the
    spread is at least 20 and the lowest total is below 60). Thresholds are on the stage's
    score scale. Only entries with at least two counted sheets can disagree.

    With ``third_reviewer`` an entry is first scored by ``reviewers`` judges; when they
    disagree the entry is marked as needing one more judge, and once that judge's sheet is in
    the stage score is computed from all counted sheets by the stage's method.
    """

    threshold: Decimal | None = None
    third_reviewer: bool = False
    reviewers: int = 2
    when: Condition | None = None

    @property
    def condition(self) -> Condition:
        """The rule as a condition (``threshold`` is ``spread more_than threshold``)."""
        if self.when is not None:
            return self.when
        assert self.threshold is not None
        return Condition(Measure.SPREAD, Comparison.MORE_THAN, self.threshold)


@dataclass(frozen=True)
class Aggregation:
    """How the counted judges' sheet totals become the stage score.

    ``trimmed_mean`` drops the ``trim`` highest and ``trim`` lowest totals when at least
    ``trim_from`` judges were counted for the entry, and is the plain mean otherwise.
    Sheets of honorary judges count only when ``count_honorary`` is set; uncounted sheets are
    still reported. An entry with fewer than ``min_judges`` counted sheets has no stage score.
    """

    method: Method = Method.MEAN
    trim: int = 1
    trim_from: int = 4
    count_honorary: bool = False
    min_judges: int = 1
    disagreement: Disagreement | None = None


@dataclass(frozen=True)
class Quota:
    """``seats`` places for the entries of one group or category (``unit``); 0 gives none."""

    unit: str
    seats: int


@dataclass(frozen=True)
class Advancement:
    """Who goes on after a stage (at the last stage: who is selected as a winner).

    Applied per unit of ``scope`` in this order (see :mod:`sayembara.scoring.advance`):
    disqualified entries and entries eliminated by decision leave the race; entries below
    ``passing_grade`` cannot advance; then the best ``top_n x multiplier`` per scope unit, or
    ``seats x multiplier`` per quota unit, advance; with neither, everyone at or above the
    passing grade advances. ``ties`` decides what happens to a tie across the last place.
    Finally entries advanced by decision are added.
    """

    scope: Scope = Scope.CATEGORY
    top_n: int | None = None
    quotas: tuple[Quota, ...] = ()
    passing_grade: Decimal | None = None
    multiplier: int = 1
    ties: TiePolicy = TiePolicy.BREAK

    @property
    def has_cut(self) -> bool:
        return self.top_n is not None or bool(self.quotas)


@dataclass(frozen=True)
class Stage:
    """One stage of the funnel. ``rubrics`` maps category -> rubric key (judged stages).

    ``categories`` lists the categories taking part (empty: all); entries of other
    categories pass the stage untouched. ``can_only_lower`` makes the stage unable to raise
    an entry's carried score (see :mod:`sayembara.scoring.stage` for the exact rule).
    """

    key: str
    kind: StageKind
    weight: Decimal = Decimal(0)
    source: Source = Source.JUDGES
    rubrics: tuple[tuple[str, str], ...] = ()
    categories: tuple[str, ...] = ()
    aggregation: Aggregation = field(default_factory=Aggregation)
    can_only_lower: bool = False
    official: Official = Official.RAW
    advancement: Advancement | None = None

    def rubric_for(self, category: str) -> str | None:
        for cat, rubric in self.rubrics:
            if cat == category:
                return rubric
        return None

    def takes(self, category: str) -> bool:
        return not self.categories or category in self.categories


@dataclass(frozen=True)
class AwardTier:
    """Ranks ``rank_from..rank_to`` of each award ranking unit receive this tier.

    ``rank_name`` names the award of each rank of the tier: ``{rank}`` is replaced by the
    rank and ``{place}`` by the place within the tier (1 for ``rank_from``), so a tier of
    ranks 4 to 6 named "Juara Harapan {place}" gives Juara Harapan 1, 2 and 3. Without it
    every rank of the tier receives ``name``.
    """

    key: str
    name: str
    rank_from: int
    rank_to: int
    trophy: bool = False
    certificate: bool = True
    prize: Decimal = Decimal(0)
    categories: tuple[str, ...] = ()
    rank_name: str = ""

    def award_for(self, rank: int) -> str:
        """The award an entry of this rank receives, e.g. "Juara 1"."""
        if not self.rank_name:
            return self.name
        place = rank - self.rank_from + 1
        return self.rank_name.replace("{rank}", str(rank)).replace("{place}", str(place))


@dataclass(frozen=True)
class Band:
    """A band of the final score (grade A/B/C or predicate). Bounds inclusive unless
    marked exclusive; ``None`` is open."""

    name: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None
    minimum_exclusive: bool = False
    maximum_exclusive: bool = False
    prize: Decimal = Decimal(0)
    certificate: bool = False

    def contains(self, value: Fraction) -> bool:
        if self.minimum is not None:
            low = Fraction(self.minimum)
            if value < low or (self.minimum_exclusive and value == low):
                return False
        if self.maximum is not None:
            high = Fraction(self.maximum)
            if value > high or (self.maximum_exclusive and value == high):
                return False
        return True


@dataclass(frozen=True)
class Favourite:
    """A favourite prize from public votes: the ``winners`` most-voted entries per scope
    unit; with ``exclude_jury_winners`` an entry holding an award tier is skipped."""

    name: str
    winners: int = 1
    scope: Scope = Scope.OVERALL
    exclude_jury_winners: bool = False
    prize: Decimal = Decimal(0)
    certificate: bool = True
    trophy: bool = False


@dataclass(frozen=True)
class SpecialAward:
    """The ``winners`` best entries of each category on one criterion of one stage.

    Awards are given in the order declared. The entries considered are those scored at
    ``stage`` in ``categories`` (empty: every category that stage judges), ranked by the
    mean of the counted judges' scores on ``criterion``; ties go through the tie-break
    chain. ``exclude`` names earlier special awards whose winners cannot receive this one,
    and ``tiers`` for the entries holding a rank tier.
    """

    key: str
    name: str
    stage: str
    criterion: str
    winners: int = 1
    categories: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    prize: Decimal = Decimal(0)
    certificate: bool = True
    trophy: bool = False


#: What ``SpecialAward.exclude`` writes for the holders of a rank tier.
TIERS = "tiers"


@dataclass(frozen=True)
class Calibration:
    """Judge calibration (see :mod:`sayembara.scoring.calibration`)."""

    model: CalibrationModel = CalibrationModel.OFFSET
    regularisation: Decimal = Decimal(1)


@dataclass(frozen=True)
class Competition:
    """The complete rules of one competition."""

    key: str
    categories: tuple[str, ...]
    rubrics: tuple[Rubric, ...]
    stages: tuple[Stage, ...]
    groups: tuple[str, ...] = ()
    tie_breaks: tuple[TieBreak, ...] = (TieBreak.HEAVIEST_STAGE, TieBreak.LOT)
    award_scope: Scope = Scope.CATEGORY
    tiers: tuple[AwardTier, ...] = ()
    grades: tuple[Band, ...] = ()
    predicates: tuple[Band, ...] = ()
    favourite: Favourite | None = None
    calibration: Calibration = field(default_factory=Calibration)
    special_awards: tuple[SpecialAward, ...] = ()

    def rubric(self, key: str) -> Rubric:
        for rubric in self.rubrics:
            if rubric.key == key:
                return rubric
        raise KeyError(key)

    def stage_index(self, key: str) -> int:
        for i, stage in enumerate(self.stages):
            if stage.key == key:
                return i
        raise KeyError(key)

    @property
    def weighted(self) -> tuple[Stage, ...]:
        return tuple(s for s in self.stages if s.kind is StageKind.WEIGHTED)

    def stage_scale(self, stage: Stage) -> Decimal:
        """The scale of a stage's scores: its rubrics' scale (one per stage), or the
        competition's for a public-vote stage."""
        if stage.source is Source.VOTES:
            return self.scale
        scales = {self.rubric(r).scale for _, r in stage.rubrics if self._has_rubric(r)}
        return scales.pop() if len(scales) == 1 else HUNDRED

    def _has_rubric(self, key: str) -> bool:
        return any(r.key == key for r in self.rubrics)

    @property
    def scale(self) -> Decimal:
        """The scale of the final score: that of the weighted stages (they share one), or of
        the last judged stage without any weighted stage; 100 by default."""
        judged = [s for s in self.stages if s.source is Source.JUDGES]
        stages = [s for s in self.weighted if s.source is Source.JUDGES] or judged[-1:]
        for stage in stages:
            scales = {self.rubric(r).scale for _, r in stage.rubrics if self._has_rubric(r)}
            if len(scales) == 1:
                return scales.pop()
        return HUNDRED

    def validate(self) -> None:
        """Refuse inconsistent rules with a :class:`SpecError` naming the first problem."""
        _validate(self)


def _err(code: str, message: str, **params: object) -> SpecError:
    return SpecError(code, message, **params)


def _unique(kind: str, keys: list[str]) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise _err("duplicate_key", f"The {kind} {key} is declared twice.", kind=kind, key=key)
        seen.add(key)


def _validate_rubric(rubric: Rubric) -> None:
    if not rubric.criteria:
        raise _err("empty_rubric", f"The rubric {rubric.key} has no criteria.", rubric=rubric.key)
    _unique("criterion", [c.key for c in rubric.criteria])
    if rubric.scale <= 0:
        raise _err("scale", f"The rubric {rubric.key} needs a scale above 0.", rubric=rubric.key)
    total = sum((c.weight for c in rubric.criteria), Decimal(0))
    if total != rubric.scale:
        raise _err(
            "rubric_weights",
            f"The criteria weights of rubric {rubric.key} add up to {total}, not {rubric.scale}.",
            rubric=rubric.key,
            total=str(total),
        )
    for c in rubric.criteria:
        if c.weight < 0:
            raise _err(
                "negative_weight", f"The criterion {c.key} has a negative weight.", criterion=c.key
            )
        if c.scale_min >= c.scale_max:
            raise _err(
                "scale",
                f"The criterion {c.key} of rubric {rubric.key} has scale_min >= scale_max.",
                rubric=rubric.key,
                criterion=c.key,
            )
        if rubric.normalisation is Normalisation.FRACTION_OF_MAX and c.scale_max <= 0:
            raise _err(
                "scale",
                f"The criterion {c.key} needs a positive scale_max.",
                rubric=rubric.key,
                criterion=c.key,
            )
        if c.step is not None and c.step <= 0:
            raise _err(
                "step",
                f"The criterion {c.key} has a step that is not positive.",
                rubric=rubric.key,
                criterion=c.key,
            )
        if c.kind is CriterionKind.ORDINAL:
            if not c.levels:
                raise _err(
                    "levels",
                    f"The ordinal criterion {c.key} has no levels.",
                    rubric=rubric.key,
                    criterion=c.key,
                )
            scores = [lv.score for lv in c.levels]
            if any(b <= a for a, b in zip(scores, scores[1:], strict=False)):
                raise _err(
                    "levels",
                    f"The levels of criterion {c.key} must increase.",
                    rubric=rubric.key,
                    criterion=c.key,
                )
            if scores[0] < c.scale_min or scores[-1] > c.scale_max:
                raise _err(
                    "levels",
                    f"A level of criterion {c.key} lies outside its scale.",
                    rubric=rubric.key,
                    criterion=c.key,
                )
        if c.kind is CriterionKind.CHECKLIST:
            if not c.items or sum((i.points for i in c.items), Decimal(0)) <= 0:
                raise _err(
                    "items",
                    f"The checklist criterion {c.key} has no points.",
                    rubric=rubric.key,
                    criterion=c.key,
                )


def _validate(comp: Competition) -> None:
    _unique("category", list(comp.categories))
    _unique("group", list(comp.groups))
    _unique("rubric", [r.key for r in comp.rubrics])
    _unique("stage", [s.key for s in comp.stages])
    if not comp.stages:
        raise _err("no_stages", "The competition has no stages.")
    for rubric in comp.rubrics:
        _validate_rubric(rubric)
    rubric_keys = {r.key for r in comp.rubrics}
    weighted = comp.weighted
    if weighted:
        total = sum((s.weight for s in weighted), Decimal(0))
        if total != HUNDRED:
            raise _err(
                "stage_weights",
                f"The weights of the weighted stages add up to {total}, not 100.",
                total=str(total),
            )
    for stage in comp.stages:
        if stage.kind is StageKind.FILTER and stage.weight != 0:
            raise _err(
                "filter_weight",
                f"The filter stage {stage.key} cannot carry a weight.",
                stage=stage.key,
            )
        if stage.kind is StageKind.WEIGHTED and stage.weight <= 0:
            raise _err(
                "stage_weight",
                f"The weighted stage {stage.key} needs a weight above 0.",
                stage=stage.key,
            )
        for cat in stage.categories:
            if cat not in comp.categories:
                raise _err(
                    "unknown_category",
                    f"The stage {stage.key} names an unknown category {cat}.",
                    stage=stage.key,
                    category=cat,
                )
        if stage.source is Source.JUDGES:
            for cat in comp.categories:
                if not stage.takes(cat):
                    continue
                rubric_key = stage.rubric_for(cat)
                if rubric_key is None:
                    raise _err(
                        "missing_rubric",
                        f"The stage {stage.key} has no rubric for category {cat}.",
                        stage=stage.key,
                        category=cat,
                    )
                if rubric_key not in rubric_keys:
                    raise _err(
                        "unknown_rubric",
                        f"The stage {stage.key} names an unknown rubric {rubric_key}.",
                        stage=stage.key,
                        rubric=rubric_key,
                    )
        agg = stage.aggregation
        if agg.trim < 1 or agg.trim_from < 2 * agg.trim + 1:
            raise _err(
                "trim",
                f"The stage {stage.key} trims {agg.trim} at each end but starts trimming at "
                f"{agg.trim_from} judges; at least {2 * agg.trim + 1} are needed.",
                stage=stage.key,
            )
        dis = agg.disagreement
        if dis is not None:
            if (dis.threshold is None) == (dis.when is None):
                raise _err(
                    "disagreement",
                    f"The disagreement rule of stage {stage.key} needs a threshold or a "
                    "condition (one of them).",
                    stage=stage.key,
                )
            found = dis.when.problem() if dis.when is not None else None
            if found:
                raise _err(
                    "disagreement",
                    f"The disagreement rule of stage {stage.key} is malformed: {found}.",
                    stage=stage.key,
                )
        if agg.min_judges < 1:
            raise _err(
                "min_judges",
                f"The stage {stage.key} needs min_judges of at least 1.",
                stage=stage.key,
            )
        adv = stage.advancement
        if adv is None:
            continue
        if adv.top_n is not None and adv.quotas:
            raise _err(
                "cut",
                f"The stage {stage.key} sets both top_n and quotas; keep one.",
                stage=stage.key,
            )
        if adv.multiplier < 1 or (adv.top_n is not None and adv.top_n < 1):
            raise _err("cut", f"The cut of stage {stage.key} must be at least 1.", stage=stage.key)
        units = set(comp.categories) | set(comp.groups)
        for quota in adv.quotas:
            if quota.seats < 0:
                raise _err(
                    "quota",
                    f"The quota {quota.unit} of stage {stage.key} cannot be negative.",
                    stage=stage.key,
                    unit=quota.unit,
                )
            allowed = {
                Scope.CATEGORY: set(comp.categories),
                Scope.GROUP: set(comp.groups),
                Scope.OVERALL: units,
            }[adv.scope]
            if quota.unit not in allowed:
                raise _err(
                    "quota_unit",
                    f"The stage {stage.key} has a quota for {quota.unit}, which is not a "
                    f"{adv.scope.value} unit.",
                    stage=stage.key,
                    unit=quota.unit,
                )
    _validate_scales(comp)
    _validate_special_awards(comp)
    for tier in comp.tiers:
        if tier.rank_from < 1 or tier.rank_to < tier.rank_from:
            raise _err("tier", f"The award tier {tier.key} has an empty rank range.", tier=tier.key)
    if comp.calibration.regularisation < 0:
        raise _err("regularisation", "The calibration regularisation cannot be negative.")


def _validate_scales(comp: Competition) -> None:
    """One scale per stage; the weighted and can-only-lower stages share the final scale."""
    rubric_keys = {r.key for r in comp.rubrics}
    final = comp.scale
    for stage in comp.stages:
        scales = {comp.rubric(r).scale for _, r in stage.rubrics if r in rubric_keys}
        if len(scales) > 1:
            raise _err(
                "stage_scale",
                f"The rubrics of stage {stage.key} have different scales "
                f"({', '.join(str(x) for x in sorted(scales))}); a stage has one scale.",
                stage=stage.key,
            )
        shared = stage.kind is StageKind.WEIGHTED or stage.can_only_lower
        if shared and scales and scales.pop() != final:
            raise _err(
                "stage_scale",
                f"The stage {stage.key} scores on another scale than the final score "
                f"({final}); weighted and can-only-lower stages share one scale.",
                stage=stage.key,
            )


def _validate_special_awards(comp: Competition) -> None:
    _unique("special award", [a.key for a in comp.special_awards])
    earlier: set[str] = set()
    for award in comp.special_awards:
        try:
            stage = comp.stages[comp.stage_index(award.stage)]
        except KeyError:
            raise _err(
                "special_award",
                f"The special award {award.key} names an unknown stage {award.stage}.",
                award=award.key,
            ) from None
        if stage.source is not Source.JUDGES:
            raise _err(
                "special_award",
                f"The special award {award.key} needs a judged stage; {stage.key} is not.",
                award=award.key,
            )
        if award.winners < 1:
            raise _err(
                "special_award",
                f"The special award {award.key} needs at least one winner.",
                award=award.key,
            )
        for cat in award.categories or comp.categories:
            if not stage.takes(cat):
                if award.categories:
                    raise _err(
                        "special_award",
                        f"The special award {award.key} names category {cat}, which stage "
                        f"{stage.key} does not judge.",
                        award=award.key,
                    )
                continue
            rubric = comp.rubric(stage.rubric_for(cat) or "")
            if all(c.key != award.criterion for c in rubric.criteria):
                raise _err(
                    "special_award",
                    f"The special award {award.key} names criterion {award.criterion}, which "
                    f"rubric {rubric.key} of stage {stage.key} does not have.",
                    award=award.key,
                )
        for key in award.exclude:
            if key != TIERS and key not in earlier:
                raise _err(
                    "special_award",
                    f"The special award {award.key} excludes {key}, which is not a special "
                    "award declared before it.",
                    award=award.key,
                )
        earlier.add(award.key)
