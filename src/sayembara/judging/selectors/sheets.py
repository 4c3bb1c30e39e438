"""What the scoring page shows: the rubric with the judge's scores, the entry, the slot."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Rubric, Stage
from sayembara.competitions.services.editions import template_of
from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import InterviewSlot, Judge, Score, ScoreSheet
from sayembara.judging.selectors.entry_view import ClaimView, EntryView, entry_view
from sayembara.judging.selectors.rubrics import (
    CriterionSpec,
    criterion_specs,
)


def is_field_stage(stage: Stage) -> bool:
    """A field-verification stage, as the template says (``field_visit: true``)."""
    return bool(stage.settings.get("field_visit"))


def others_visible(stage: Stage) -> bool:
    """Judges see the other judges' scores once the stage is closed, or before when the
    stage allows it."""
    return stage.status == StageStatus.CLOSED or stage.judges_see_others


@dataclass
class CriterionRow:
    spec: CriterionSpec
    score: Score | None
    others: list[tuple[str, Any]] = field(default_factory=list)
    claim: ClaimView | None = None

    @property
    def value(self) -> Any:
        return self.score.value if self.score else None

    @property
    def value_text(self) -> str:
        if self.score is None or self.score.value is None:
            return ""
        return format(self.score.value.normalize(), "f")

    @property
    def comment(self) -> str:
        return self.score.comment if self.score else ""

    @property
    def checked(self) -> set[str]:
        return set(self.score.checked) if self.score else set()

    @property
    def level_label(self) -> str:
        """The name of the level given (ordinal criteria), or an empty string."""
        return self.spec.level_label(self.value)

    @property
    def claimed_label(self) -> str:
        return self.claim.claim.label if self.claim and self.claim.claim else ""

    @property
    def difference(self) -> Any:
        """Verified minus claimed score (negative: the evidence proved less)."""
        if self.claim is None or self.claim.claimed_score is None or self.value is None:
            return None
        return self.value - self.claim.claimed_score


@dataclass
class SheetPage:
    stage: Stage
    entry: Entry
    judge: Judge
    rubric: Rubric | None
    rows: list[CriterionRow]
    sheet: ScoreSheet | None
    view: EntryView
    slot: InterviewSlot | None
    show_others: bool
    other_judges: list[str]
    field_stage: bool

    @property
    def version(self) -> int:
        """The version a save must name: a sheet not created yet starts at 1."""
        return self.sheet.version if self.sheet else 1

    @property
    def status(self) -> str:
        return self.sheet.status if self.sheet else SheetStatus.DRAFT

    @property
    def editable(self) -> bool:
        return (self.stage.status == StageStatus.OPEN and self.status == SheetStatus.DRAFT
                and self.judge.pledge_accepted_at is not None)

    @property
    def blind(self) -> bool:
        return self.stage.blind

    @property
    def pending(self) -> bool:
        return self.stage.status == StageStatus.PENDING

    @property
    def readable(self) -> bool:
        """The entry's text and files are shown: the stage has opened (documents follow the
        same rule, see ``selectors/reading.py``)."""
        return not self.pending

    @property
    def needs_every_score(self) -> bool:
        """The rubric refuses a sheet with a criterion left unscored (``missing: block``)."""
        return self.rubric is not None and (self.rubric.missing_policy or "block") == "block"

    @property
    def total_text(self) -> str:
        """The total of the scores saved so far (shown when the judge submits)."""
        return sheet_total(stage=self.stage, rubric=self.rubric, scores=[
            (row.spec.key, row.value, row.checked) for row in self.rows if row.score])

    @property
    def scale_text(self) -> str:
        """The most a sheet can total (100, or the rubric's own points such as 700)."""
        from sayembara.common.formats import number

        try:
            scale = template_of(self.stage.edition).rubric(self.rubric.key).scale
        except (AttributeError, KeyError):
            scale = 100
        return number(scale)

    @property
    def verifies_claims(self) -> bool:
        """The sheet verifies the participant's self-assessment claims."""
        return any(row.claim is not None for row in self.rows)


def sheet_total(*, stage: Stage, rubric: Rubric | None,
                scores: list[tuple[str, Any, Any]]) -> str:
    """The total of a judge's sheet as the engine counts it, written as every score is
    (``79,000``); a dash while a criterion the rubric needs is not scored. ``scores`` holds
    (criterion key, value, items ticked) of each score saved."""
    from fractions import Fraction

    from sayembara.common.formats import score as score_text
    from sayembara.ranking.bridge import engine_rubric
    from sayembara.scoring.sheets import sheet_total as engine_total

    if rubric is None:
        return score_text(None)
    try:
        engine = engine_rubric(template_of(stage.edition).rubric(rubric.key))
    except KeyError:
        return score_text(None)
    criteria = {criterion.key: criterion for criterion in engine.criteria}
    values: dict[str, Fraction] = {}
    for key, value, checked in scores:
        if key not in criteria or value is None:
            continue
        criterion = criteria[key]
        values[key] = (criterion.score_of_items(tuple(checked or ())) if criterion.items
                       else Fraction(value))
    return score_text(engine_total(engine, values))


def saved_total(sheet: ScoreSheet) -> str:
    """The total of the scores saved on ``sheet`` (one query for them)."""
    rubric = sheet.stage.rubric_for(sheet.entry.category_id)
    rows = [(s.criterion.key, s.value, s.checked)
            for s in sheet.scores.select_related("criterion")]
    return sheet_total(stage=sheet.stage, rubric=rubric, scores=rows)


def sheet_page(*, stage: Stage, judge: Judge, entry: Entry) -> SheetPage:
    """Everything the judge's scoring page shows, in a fixed number of queries."""
    rubric = stage.rubric_for(entry.category_id)
    specs = criterion_specs(stage=stage, rubric=rubric) if rubric else []
    own = list(Score.objects.filter(sheet__stage=stage, sheet__judge=judge, sheet__entry=entry)
               .select_related("sheet"))
    sheet = own[0].sheet if own else ScoreSheet.objects.filter(
        stage=stage, judge=judge, entry=entry).first()
    scores = {s.criterion_id: s for s in own}
    rows = [CriterionRow(spec, scores.get(spec.criterion.pk)) for spec in specs]
    show_others = others_visible(stage)
    other_judges: list[str] = []
    if show_others:
        others = list(
            Score.objects.filter(sheet__stage=stage, sheet__entry=entry,
                                 sheet__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED])
            .exclude(sheet__judge=judge)
            .select_related("sheet__judge").order_by("sheet__judge__name")
        )
        by_criterion: dict[int, list[tuple[str, Any]]] = {}
        for score in others:
            by_criterion.setdefault(score.criterion_id, []).append(
                (score.sheet.judge.name, score.value))
            if score.sheet.judge.name not in other_judges:
                other_judges.append(score.sheet.judge.name)
        for row in rows:
            row.others = by_criterion.get(row.spec.criterion.pk, [])
    template = template_of(stage.edition)
    view = entry_view(entry=entry, template=template, blind=stage.blind)
    if rubric is not None:
        for row in rows:
            row.claim = view.claims.get((rubric.key, row.spec.key))
    slot = InterviewSlot.objects.filter(stage=stage, entry=entry).first()
    return SheetPage(stage=stage, entry=entry, judge=judge, rubric=rubric, rows=rows,
                     sheet=sheet, view=view, slot=slot,
                     show_others=show_others, other_judges=other_judges,
                     field_stage=is_field_stage(stage))
