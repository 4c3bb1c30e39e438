"""The rubric an entry is scored on at a stage, with what the template adds to the rows."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sayembara.competitions.models import Criterion, Rubric, Stage


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


@lru_cache(maxsize=256)
def _template_extras(edition_id: int, rules_version: int, rubric_key: str,
                     rules_json: str) -> dict[str, tuple[Decimal | None, tuple]]:
    """Step and checklist items of a rubric's criteria, from the template (cached)."""
    import json

    from sayembara.template_format import validate_data

    template = validate_data(json.loads(rules_json))
    rubric = template.rubric(rubric_key)
    return {
        c.id: (c.step, tuple(ChecklistItemSpec(i.id, i.text, i.points) for i in c.items))
        for c in rubric.criteria
    }


def template_extras(stage: Stage, rubric: Rubric) -> dict[str, tuple[Decimal | None, tuple]]:
    import json

    edition = stage.edition
    try:
        return _template_extras(edition.pk, edition.rules_version, rubric.key,
                                json.dumps(edition.rules, sort_keys=True, default=str))
    except KeyError:
        return {}


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
