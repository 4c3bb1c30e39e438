"""Progress of a stage per judge and per entry (a fixed number of queries at any size)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Assignment, Judge, ReviewerWithdrawal, ScoreSheet
from sayembara.judging.selectors.recusals import recused_judges

DONE = (SheetStatus.SUBMITTED, SheetStatus.LOCKED)


@dataclass
class JudgeProgress:
    judge: Judge
    assigned: int = 0
    draft: int = 0
    submitted: int = 0

    @property
    def left(self) -> int:
        return self.assigned - self.submitted

    @property
    def percent(self) -> int:
        return round(100 * self.submitted / self.assigned) if self.assigned else 0


@dataclass
class EntryProgress:
    entry_id: int
    code: str = ""
    title: str = ""
    category: str = ""
    assigned: int = 0
    submitted: int = 0
    extra: int = 0
    judges: list[str] = field(default_factory=list)
    sheets: list[tuple[str, int | None, str | None]] = field(default_factory=list)
    #: Judges who left the entry (a conflict of interest): (who left, who took over or "").
    withdrawals: list[tuple[str, str]] = field(default_factory=list)
    #: A judge left and nobody has taken the entry over since.
    short: bool = False
    #: Panel members who recused for a conflict of interest (the whole panel scores every
    #: entry at this stage): the entry is scored by the others, as expected.
    recused: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.assigned > 0 and self.submitted >= self.assigned and not self.short


def _status_map(stage: Stage) -> dict[tuple[int, int], str]:
    return {(j, e): s for j, e, s in ScoreSheet.objects.filter(stage=stage)
            .values_list("judge_id", "entry_id", "status")}


def _sheet_ids(stage: Stage) -> dict[tuple[int, int], int]:
    return {(j, e): pk for pk, j, e in ScoreSheet.objects.filter(stage=stage)
            .values_list("pk", "judge_id", "entry_id")}


def open_work_by_judge(stage: Stage) -> dict[int, int]:
    """judge id -> assigned sheets not yet submitted."""
    status = _status_map(stage)
    left: dict[int, int] = defaultdict(int)
    for judge_id, entry_id in Assignment.objects.filter(stage=stage).values_list(
        "judge_id", "entry_id"
    ):
        if status.get((judge_id, entry_id)) not in DONE:
            left[judge_id] += 1
        else:
            left.setdefault(judge_id, 0)
    return dict(left)


def progress_by_judge(stage: Stage) -> list[JudgeProgress]:
    status = _status_map(stage)
    judges = {j.pk: JudgeProgress(j) for j in Judge.objects.filter(edition_id=stage.edition_id)
              .select_related("user")}
    for judge_id, entry_id in Assignment.objects.filter(stage=stage).values_list(
        "judge_id", "entry_id"
    ):
        row = judges.get(judge_id)
        if row is None:
            continue
        row.assigned += 1
        state = status.get((judge_id, entry_id))
        if state in DONE:
            row.submitted += 1
        elif state == SheetStatus.DRAFT:
            row.draft += 1
    return sorted((r for r in judges.values() if r.assigned),
                  key=lambda r: (-r.left, r.judge.name))


def progress_by_entry(stage: Stage) -> list[EntryProgress]:
    """Per entry: how many assigned sheets are in, and each judge's sheet (name, sheet id
    or None when not started, status) for the secretariat to open or correct."""
    status = _status_map(stage)
    sheet_ids = _sheet_ids(stage)
    rows: dict[int, EntryProgress] = {}
    names = dict(Judge.objects.filter(edition_id=stage.edition_id).values_list("pk", "name"))
    for judge_id, entry_id, code, title, category, extra in (
        Assignment.objects.filter(stage=stage)
        .values_list("judge_id", "entry_id", "entry__code", "entry__title",
                     "entry__category__name", "is_extra_reviewer")
        .order_by("entry__code")
    ):
        row = rows.setdefault(entry_id, EntryProgress(entry_id, code, title, category))
        row.assigned += 1
        row.extra += int(extra)
        if status.get((judge_id, entry_id)) in DONE:
            row.submitted += 1
        row.judges.append(names.get(judge_id, "?"))
        row.sheets.append((names.get(judge_id, "?"), sheet_ids.get((judge_id, entry_id)),
                           status.get((judge_id, entry_id))))
    latest = {e: when for e, when in Assignment.objects.filter(stage=stage)
              .values_list("entry_id", "created_at").order_by("entry_id", "created_at")}
    for entry_id, code, title, category, judge_id, replacement_id, when in (
        ReviewerWithdrawal.objects.filter(stage=stage)
        .values_list("entry_id", "entry__code", "entry__title", "entry__category__name",
                     "judge_id", "replacement_id", "created_at").order_by("created_at")
    ):
        row = rows.setdefault(entry_id, EntryProgress(entry_id, code, title, category))
        row.withdrawals.append((names.get(judge_id, "?"),
                                names.get(replacement_id, "") if replacement_id else ""))
        # Nobody was free; the entry is short until the organiser gives it to someone
        # (never where the whole panel scores every entry: there the judge recused).
        if replacement_id is None and not stage.whole_panel and not (
                entry_id in latest and latest[entry_id] > when):
            row.short = True
    recused = recused_judges(stage)
    missing = [pk for pk in recused if pk not in rows]
    for entry_id, code, title, category in Entry.objects.filter(pk__in=missing).values_list(
            "pk", "code", "title", "category__name"):
        rows[entry_id] = EntryProgress(entry_id, code, title, category)
    for entry_id, judge_ids in recused.items():
        if entry_id in rows:
            rows[entry_id].recused = sorted(names.get(pk, "?") for pk in judge_ids)
    return sorted(rows.values(), key=lambda row: row.code)


def short_of_a_judge(stage: Stage) -> list[EntryProgress]:
    """Entries a judge left (a conflict of interest) that nobody has taken over since."""
    if not ReviewerWithdrawal.objects.filter(stage=stage, replacement__isnull=True).exists():
        return []  # every judge who left was replaced at once
    return [row for row in progress_by_entry(stage) if row.short]
