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
    def verifies_claims(self) -> bool:
        """The sheet verifies the participant's self-assessment claims."""
        return any(row.claim is not None for row in self.rows)


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
