"""Compact builders for engine tests: rules and score sheets written as small literals."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sayembara.scoring import (
    Advancement,
    Aggregation,
    Competition,
    Criterion,
    Decision,
    Entry,
    Inputs,
    Judge,
    Rubric,
    ScoreRow,
    ScoreTable,
    Stage,
    StageKind,
    TieBreak,
)

D = Decimal


def rubric(key: str = "r", weights: Sequence[int | str] = (50, 50), **kw: Any) -> Rubric:
    """A rubric with criteria c1, c2... of the given weights on 0..100."""
    criteria = tuple(Criterion(key=f"c{i + 1}", weight=D(str(w))) for i, w in enumerate(weights))
    return Rubric(key=key, criteria=criteria, **kw)


def stage(key: str = "s1", kind: str = "weighted", weight: int | str = 100, *,
          rubric_key: str = "r", categories: Sequence[str] = ("x",),
          advancement: Advancement | None = None, only: Sequence[str] = (),
          **kw: Any) -> Stage:
    """A judged stage scoring ``categories`` on one rubric; ``only`` restricts the stage to
    some categories (the others pass it untouched)."""
    return Stage(key=key, kind=StageKind(kind), weight=D(str(weight)) if kind == "weighted"
                 else D(0), rubrics=tuple((c, rubric_key) for c in categories),
                 categories=tuple(only), advancement=advancement, **kw)


def competition(stages: Sequence[Stage], *, rubrics: Sequence[Rubric] | None = None,
                categories: Sequence[str] = ("x",),
                tie_breaks: Sequence[TieBreak] = (TieBreak.HEAVIEST_STAGE, TieBreak.LOT),
                **kw: Any) -> Competition:
    return Competition(key="test", categories=tuple(categories),
                       rubrics=tuple(rubrics or (rubric(),)), stages=tuple(stages),
                       tie_breaks=tuple(tie_breaks), **kw)


def inputs(comp: Competition, *, entries: Mapping[str, str] | Sequence[Entry],
           sheets: Mapping[tuple[str, str, str], Sequence[int | str | Decimal]],
           judges: Sequence[Judge] | None = None, votes: Mapping[str, int] | None = None,
           decisions: Sequence[Decision] = ()) -> Inputs:
    """``sheets`` maps (stage, judge, entry) to the criterion scores in rubric order."""
    entry_list = (list(entries) if not isinstance(entries, Mapping)
                  else [Entry(key=k, category=c) for k, c in entries.items()])
    judge_keys = sorted({j for (_, j, _) in sheets})
    judge_list = list(judges) if judges is not None else [Judge(key=k) for k in judge_keys]
    category = {e.key: e.category for e in entry_list}
    rows = []
    for (st, j, e), values in sheets.items():
        spec = comp.stages[comp.stage_index(st)]
        rb = comp.rubric(spec.rubric_for(category[e]) or "")
        for crit, value in zip(rb.criteria, values, strict=False):
            if value is None:
                continue
            rows.append(ScoreRow(stage=st, judge=j, entry=e, criterion=crit.key,
                                 value=D(str(value))))
    table = ScoreTable.from_rows(rows, competition=comp, entries=entry_list, judges=judge_list)
    return Inputs(entries=tuple(entry_list), judges=tuple(judge_list), scores=table,
                  votes=dict(votes or {}), decisions=tuple(decisions))


def with_aggregation(st: Stage, **kw: Any) -> Stage:
    return replace(st, aggregation=Aggregation(**kw))
