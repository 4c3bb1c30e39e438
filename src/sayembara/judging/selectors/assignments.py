"""What a judge has to do: assignments with the state of each sheet."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.judging.enums import JuryRole, SheetStatus
from sayembara.judging.models import Assignment, Conflict, Judge, Panel, PanelMember, ScoreSheet

DONE = (SheetStatus.SUBMITTED, SheetStatus.LOCKED)


@dataclass
class StageWork:
    """A judge's entries at one stage; ``shown`` holds the rows of the page, sheets still to
    do first (each row: entry, status, sheet id, whether an extra reviewer)."""

    stage: Stage
    judge: Judge
    total: int = 0
    submitted: int = 0
    shown: list[dict[str, Any]] = field(default_factory=list)
    chair: bool = False

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.total) if self.total else 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.shown)


def work_of_user(user: Any, *, stage_id: int | None = None, count: int | None = 50,
                 offset: int = 0) -> list[StageWork]:
    """The user's assignments grouped by stage (only ``stage_id`` when given), with the
    rows ``offset .. offset + count`` of each group, plus the stages the user chairs
    without scoring there (see :func:`chaired_stages`). Open stages come first, closed ones
    last. A dozen queries at any size."""
    pairs = Assignment.objects.filter(judge__user=user)
    if stage_id is not None:
        pairs = pairs.filter(stage_id=stage_id)
    rows = list(pairs.values_list("stage_id", "judge_id", "entry_id", "is_extra_reviewer",
                                  "entry__code"))
    judge_ids = {row[1] for row in rows}
    conflicted = set(Conflict.objects.filter(judge_id__in=judge_ids)
                     .values_list("judge_id", "entry_id"))
    status = {(s, j, e): (pk, state) for pk, s, j, e, state in ScoreSheet.objects.filter(
        judge_id__in=judge_ids).values_list("pk", "stage_id", "judge_id", "entry_id", "status")}
    grouped: dict[tuple[int, int], list[tuple]] = {}
    for stage, judge, entry, extra, code in rows:
        if (judge, entry) in conflicted:
            continue
        sheet_id, state = status.get((stage, judge, entry), (None, None))
        grouped.setdefault((stage, judge), []).append((state in DONE, code, entry, state,
                                                       sheet_id, extra))
    stages = {s.pk: s for s in Stage.objects.filter(pk__in={k[0] for k in grouped})
              .select_related("edition")}
    judges = {j.pk: j for j in Judge.objects.filter(pk__in=judge_ids)}
    groups = []
    wanted: set[int] = set()
    for (stage, judge), items in grouped.items():
        items.sort()
        page = items[offset:offset + count] if count is not None else items
        wanted.update(item[2] for item in page)
        groups.append((StageWork(stages[stage], judges[judge], total=len(items),
                                 submitted=sum(1 for item in items if item[0])), page))
    entries = {e.pk: e for e in Entry.objects.filter(pk__in=wanted)
               .select_related("category", "institution")} if wanted else {}
    for group, page in groups:
        group.shown = [{"entry": entries[item[2]], "status": item[3], "sheet_id": item[4],
                        "extra": item[5]} for item in page]
    ordered = [g for g, _page in groups]
    chaired = chaired_stages(user)
    if stage_id is None:
        seats = {j.edition_id: j for j in judges.values()}
        missing = {stage.edition_id for stage in chaired} - set(seats)
        seats.update({j.edition_id: j for j in Judge.objects.filter(user=user,
                                                                   edition_id__in=missing)})
        ordered += [StageWork(stage, seats[stage.edition_id]) for stage in chaired
                    if stage.pk not in stages]
    chaired_ids = {stage.pk for stage in chaired}
    for group in ordered:
        group.chair = group.stage.pk in chaired_ids
    ordered.sort(key=lambda g: (STATUS_ORDER.get(g.stage.status, 9), -g.stage.edition.year,
                                g.stage.edition_id, g.stage.order))
    return ordered


#: Open stages first (there is work to do), then those not yet open, closed ones last.
STATUS_ORDER = {StageStatus.OPEN: 0, StageStatus.PENDING: 1, StageStatus.CLOSED: 2}


def chaired_stages(user: Any) -> list[Stage]:
    """The stages whose jury or panel the user chairs (ketua): on a stage with panels, the
    chair of one of its panels; on a stage without, a judge whose role in the edition is
    ketua (the rule of ``selectors.jury.stage_roles``). Stages not opened yet are included:
    the chair's page for them says when they open. Four queries."""
    if not getattr(user, "is_authenticated", False):
        return []
    seats = list(Judge.objects.filter(user=user).values_list("pk", "edition_id", "role"))
    if not seats:
        return []
    editions = {edition for _pk, edition, _role in seats}
    edition_chairs = {edition for _pk, edition, role in seats if role == JuryRole.KETUA}
    with_panels = set(Panel.objects.filter(stage__edition_id__in=editions)
                      .values_list("stage_id", flat=True))
    panel_chairs = set(PanelMember.objects.filter(
        judge_id__in=[pk for pk, _edition, _role in seats], role=JuryRole.KETUA,
    ).values_list("panel__stage_id", flat=True))
    stages = Stage.objects.filter(edition_id__in=editions).select_related(
        "edition").order_by("edition_id", "order")
    return [stage for stage in stages
            if (stage.pk in panel_chairs if stage.pk in with_panels
                else stage.edition_id in edition_chairs)]
