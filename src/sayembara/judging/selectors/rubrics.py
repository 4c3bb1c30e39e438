"""The rubric an entry is scored on at a stage, with what the template adds to the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sayembara.competitions.models import Criterion, Rubric, Stage
from sayembara.competitions.services.editions import template_of


@dataclass(frozen=True)
class ChecklistItemSpec:
    key: str
    text: str
    points: Decimal


@dataclass
class CriterionSpec:
    """A criterion row plus its step, evidence levels and checklist items."""

    criterion: Criterion
    step: Decimal | None = None
    level_values: tuple[Decimal, ...] = ()
    items: tuple[ChecklistItemSpec, ...] = ()
    levels: list[Any] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.criterion.key

    @property
    def kind(self) -> str:
        return self.criterion.kind

    def allowed_values(self) -> tuple[Decimal, ...] | None:
        """The only scores an ordinal criterion accepts (None: any score in range)."""
        if self.kind != "ordinal" or not self.level_values:
            return None
        values = set(self.level_values)
        values.add(self.criterion.min_score)
        return tuple(sorted(values))

    @property
    def lowest_is_a_level(self) -> bool:
        """The criterion's lowest score is one of its levels (else "no level proven")."""
        return self.criterion.min_score in self.level_values

    def level_label(self, value: Decimal | None) -> str:
        """The name of the level scored ``value`` (empty for other criteria or values)."""
        if value is None:
            return ""
        return next((level.label for level in self.levels if level.value == value), "")


def template_extras(stage: Stage, rubric: Rubric) -> dict[str, tuple[Decimal | None, tuple]]:
    """Step and checklist items of a rubric's criteria, from the template."""
    try:
        template_rubric = template_of(stage.edition).rubric(rubric.key)
    except KeyError:
        return {}
    return {
        c.id: (c.step, tuple(ChecklistItemSpec(i.id, i.text, i.points) for i in c.items))
        for c in template_rubric.criteria
    }


def rubric_for_entry(*, stage: Stage, entry: Any) -> Rubric | None:
    return stage.rubric_for(entry.category_id)


def criterion_specs(*, stage: Stage, rubric: Rubric) -> list[CriterionSpec]:
    """The rubric's criteria in order with their levels (two queries plus the template)."""
    extras = template_extras(stage, rubric)
    specs = []
    for criterion in rubric.criteria.prefetch_related("levels").order_by("order", "key"):
        levels = list(criterion.levels.all())
        step, items = extras.get(criterion.key, (None, ()))
        specs.append(CriterionSpec(
            criterion=criterion,
            step=step,
            level_values=tuple(level.value for level in levels) if criterion.kind == "ordinal"
            else (),
            items=items,
            levels=levels,
        ))
    return specs
