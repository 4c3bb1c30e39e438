"""What a judge has to do: assignments with the state of each sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sayembara.competitions.models import Stage
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Assignment, Conflict, Judge, ScoreSheet


@dataclass
class StageWork:
    stage: Stage
    judge: Judge
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def submitted(self) -> int:
        return sum(1 for r in self.rows if r["status"] in (SheetStatus.SUBMITTED,
                                                           SheetStatus.LOCKED))

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / len(self.rows)) if self.rows else 0


def work_of_user(user: Any) -> list[StageWork]:
    """The user's assignments at every stage of every edition, grouped by stage
    (four queries whatever the number of assignments)."""
    assignments = list(
        Assignment.objects.filter(judge__user=user)
        .select_related("stage", "stage__edition", "judge", "entry", "entry__category",
                        "entry__institution")
        .order_by("stage__edition__year", "stage__edition_id", "stage__order", "entry__code")
    )
    judge_ids = {a.judge_id for a in assignments}
    conflicted = set(Conflict.objects.filter(judge_id__in=judge_ids)
                     .values_list("judge_id", "entry_id"))
    sheets = {(s.stage_id, s.judge_id, s.entry_id): s for s in ScoreSheet.objects.filter(
        judge_id__in=judge_ids).only("pk", "stage_id", "judge_id", "entry_id", "status",
                                     "updated_at")}
    groups: dict[tuple[int, int], StageWork] = {}
    for a in assignments:
        if (a.judge_id, a.entry_id) in conflicted:
            continue
        group = groups.setdefault((a.stage_id, a.judge_id), StageWork(a.stage, a.judge))
        sheet = sheets.get((a.stage_id, a.judge_id, a.entry_id))
        group.rows.append({
            "entry": a.entry,
            "sheet": sheet,
            "status": sheet.status if sheet else None,
            "extra": a.is_extra_reviewer,
        })
    return list(groups.values())
