"""Who scores what: assignments of judges to entries at a stage."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import AssignmentMode, StageStatus
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry
from sayembara.judging.models import Assignment, Judge, ReviewerWithdrawal, ScoreSheet
from sayembara.judging.services.conflicts import conflict_message, conflict_of, conflict_pairs
from sayembara.judging.services.errors import JudgingError


def check_same_edition(*, stage: Stage, judge: Judge, entry: Entry) -> None:
    if not (stage.edition_id == judge.edition_id == entry.edition_id):
        raise JudgingError(
            _("The stage, the judge and the entry must belong to the same edition.")
        )


@transaction.atomic
def assign(
    *, stage: Stage, judge: Judge, entry: Entry, actor: Any, extra_reviewer: bool = False
) -> Assignment:
    """Give ``entry`` to ``judge`` at ``stage`` (idempotent).

    Refuses a conflicted pair, a pair from different editions and a closed stage.
    """
    check_same_edition(stage=stage, judge=judge, entry=entry)
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; assignments can no longer change.") % {"stage": stage.name}
        )
    kind = conflict_of(judge=judge, entry=entry)
    if kind:
        raise JudgingError(conflict_message(judge=judge, entry=entry, kind=kind))
    assignment, created = Assignment.objects.get_or_create(
        stage=stage, judge=judge, entry=entry, defaults={"is_extra_reviewer": extra_reviewer}
    )
    if created:
        record_event(
            actor=actor, action="assignment.created", obj=assignment,
            object_type="judging.assignment", edition_id=stage.edition_id,
            after={"stage": stage.key, "judge": judge.pk, "entry": entry.code,
                   "extra_reviewer": extra_reviewer},
        )
    return assignment


@transaction.atomic
def unassign(*, stage: Stage, judge: Judge, entry: Entry, actor: Any, reason: str = "") -> None:
    """Take an entry away from a judge. Refused once the judge submitted the sheet."""
    assignment = Assignment.objects.filter(stage=stage, judge=judge, entry=entry).first()
    if assignment is None:
        return
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; assignments can no longer change.") % {"stage": stage.name}
        )
    sheet = ScoreSheet.objects.filter(stage=stage, judge=judge, entry=entry).first()
    if sheet is not None and sheet.status != "draft":
        raise JudgingError(
            _("%(judge)s already submitted scores for %(entry)s; the assignment stays. Correct "
              "the scores with a reason instead.") % {"judge": judge.name, "entry": entry.code}
        )
    assignment.delete()
    record_event(
        actor=actor, action="assignment.removed", object_type="judging.assignment",
        object_id=f"{stage.pk}:{judge.pk}:{entry.pk}", edition_id=stage.edition_id,
        before={"stage": stage.key, "judge": judge.pk, "entry": entry.code}, reason=reason,
    )


# --------------------------------------------------------------------------------------------
# Assigning a whole stage
# --------------------------------------------------------------------------------------------


@dataclass
class AssignmentReport:
    """What an automatic assignment did, for the secretariat's page and the audit log."""

    created: int = 0
    per_entry: int = 0
    skipped_conflicts: int = 0
    short_entries: list[str] = field(default_factory=list)  # codes with fewer than k judges
    bridges: int = 0  # assignments added only to connect the judge-entry graph
    components: int = 1
    loads: dict[int, int] = field(default_factory=dict)  # judge id -> entries at the stage

    @property
    def connected(self) -> bool:
        return self.components <= 1


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, x: Any) -> Any:
        self.parent.setdefault(x, x)
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[ra] = rb


def count_components(pairs: Iterable[tuple[int, int]], entry_ids: Iterable[int]) -> int:
    """Connected components of the judge-entry graph over the given entries (an entry
    without judges is a component of its own)."""
    uf = _UnionFind()
    entries = list(entry_ids)
    for entry_id in entries:
        uf.find(("e", entry_id))
    for judge_id, entry_id in pairs:
        uf.union(("j", judge_id), ("e", entry_id))
    return len({uf.find(("e", entry_id)) for entry_id in entries})


def _stage_pool(stage: Stage, judges: list[Judge] | None, entries: list[Entry] | None):
    from sayembara.judging.selectors.jury import judge_scores_at, stage_entries, stage_judges

    if judges is None:
        judges = [j for j in stage_judges(stage) if judge_scores_at(stage, j)]
    if entries is None:
        entries = list(stage_entries(stage).only("pk", "code", "institution_id", "category_id")
                       .order_by("category_id", "code"))
    if not judges:
        raise JudgingError(
            _("%(stage)s has no judges yet. Add judges to the edition (and to the stage's "
              "panel), then assign.") % {"stage": stage.name}
        )
    return judges, entries


def _store(stage: Stage, pairs: list[tuple[int, int]], actor: Any, action: str,
           extra: dict[str, Any], extra_reviewer: bool = False) -> None:
    Assignment.objects.bulk_create(
        [Assignment(stage=stage, judge_id=j, entry_id=e, is_extra_reviewer=extra_reviewer)
         for j, e in pairs],
        batch_size=2000,
    )
    record_event(actor=actor, action=action, obj=stage, object_type="competitions.stage",
                 edition_id=stage.edition_id,
                 after={"stage": stage.key, "pairs": sorted(pairs), **extra})


@transaction.atomic
def assign_everyone(*, stage: Stage, actor: Any, judges: list[Judge] | None = None,
                    entries: list[Entry] | None = None) -> AssignmentReport:
    """Every judge of the stage scores every entry of the stage, except conflicted pairs.

    For small contests and panels (a presentation, an interview). Existing assignments are
    kept. The stage remembers the mode: from then on a judge with a conflict of interest
    recuses (the other members score the entry) rather than being replaced. Refused once
    the stage is closed.
    """
    _refuse_closed(stage)
    judges, entries = _stage_pool(stage, judges, entries)
    _set_mode(stage, AssignmentMode.EVERYONE)
    conflicts = conflict_pairs(judges=judges, entries=entries)
    existing = set(Assignment.objects.filter(stage=stage).values_list("judge_id", "entry_id"))
    report = AssignmentReport(per_entry=len(judges))
    new = []
    for entry in entries:
        for judge in judges:
            if (judge.pk, entry.pk) in conflicts:
                report.skipped_conflicts += 1
            elif (judge.pk, entry.pk) not in existing:
                new.append((judge.pk, entry.pk))
    _store(stage, new, actor, "assignments.everyone", {"skipped_conflicts":
                                                         report.skipped_conflicts})
    report.created = len(new)
    _finish_report(report, stage, entries, len(judges))
    return report


def _set_mode(stage: Stage, mode: str) -> None:
    Stage.objects.filter(pk=stage.pk).update(assignment_mode=mode)
    stage.assignment_mode = mode


def _refuse_closed(stage: Stage) -> None:
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s is closed; assignments can no longer change.") % {"stage": stage.name}
        )


def _finish_report(report: AssignmentReport, stage: Stage, entries: list[Entry],
                   per_entry: int) -> None:
    wanted = {e.pk for e in entries}
    pairs = [(j, e) for j, e in Assignment.objects.filter(stage=stage)
             .values_list("judge_id", "entry_id") if e in wanted]
    counts: dict[int, int] = defaultdict(int)
    loads: dict[int, int] = defaultdict(int)
    for judge_id, entry_id in pairs:
        counts[entry_id] += 1
        loads[judge_id] += 1
    report.loads = dict(loads)
    report.short_entries = [e.code for e in entries if counts[e.pk] < per_entry]
    report.components = count_components(pairs, [e.pk for e in entries])


@transaction.atomic
def assign_balanced(
    *,
    stage: Stage,
    per_entry: int,
    actor: Any,
    judges: list[Judge] | None = None,
    entries: list[Entry] | None = None,
    seed: int = 0,
) -> AssignmentReport:
    """Give every entry ``per_entry`` judges, balancing the judges' load, never giving a
    judge a conflicted entry, and keeping the judge-entry graph connected.

    The design is cyclic: in a seeded order of judges, the n-th entry (entries sorted by
    category and code) goes to the judges at positions n, n+1, ... n+k-1, skipping judges
    who are conflicted or already at the load cap (ceil(entries x k / judges)). Consecutive
    entries then share k-1 judges, so each category's panels overlap and the calibration of
    judge offsets is possible. When conflicts still split the graph (k >= 2), one extra
    assignment per missing link joins the parts (reported as ``bridges``); with k = 1 the
    graph cannot be connected and the report says so. Existing assignments count towards k
    and towards the loads; nothing is removed. The stage remembers the mode: a judge with a
    conflict of interest is then replaced by a free judge.
    """
    _refuse_closed(stage)
    if per_entry < 1:
        raise JudgingError(_("Give each entry at least one judge."))
    judges, entries = _stage_pool(stage, judges, entries)
    if per_entry > len(judges):
        raise JudgingError(
            ngettext("%(stage)s has %(judges)s judge, so no entry can get %(k)s. Choose "
                     "%(judges)s judge per entry or add judges.",
                     "%(stage)s has %(judges)s judges, so no entry can get %(k)s. Choose at "
                     "most %(judges)s judges per entry or add judges.", len(judges))
            % {"stage": stage.name, "judges": len(judges), "k": per_entry}
        )
    _set_mode(stage, AssignmentMode.ASSIGNED)
    order = list(judges)
    random.Random(seed).shuffle(order)
    n = len(order)
    conflicts = conflict_pairs(judges=order, entries=entries)
    existing: dict[int, set[int]] = defaultdict(set)
    load: dict[int, int] = defaultdict(int)
    for judge_id, entry_id in Assignment.objects.filter(stage=stage).values_list(
        "judge_id", "entry_id"
    ):
        existing[entry_id].add(judge_id)
        load[judge_id] += 1
    cap = -(-(len(entries) * per_entry + sum(load.values())) // n)
    report = AssignmentReport(per_entry=per_entry)
    new: list[tuple[int, int]] = []
    for position, entry in enumerate(entries):
        have = existing[entry.pk]
        need = per_entry - len(have)
        if need <= 0:
            continue
        rotation = [order[(position + i) % n] for i in range(n)]
        candidates = []
        for judge in rotation:
            if judge.pk in have:
                continue
            if (judge.pk, entry.pk) in conflicts:
                report.skipped_conflicts += 1
                continue
            candidates.append(judge)
        under = [j for j in candidates if load[j.pk] < cap]
        over = sorted((j for j in candidates if load[j.pk] >= cap), key=lambda j: load[j.pk])
        for judge in (under + over)[:need]:
            have.add(judge.pk)
            load[judge.pk] += 1
            new.append((judge.pk, entry.pk))
    # With one judge per entry the graph cannot be connected without doubling entries up;
    # that design is reported as it is rather than silently changed.
    bridges = _bridges(entries, existing, order, conflicts, load) if per_entry > 1 else []
    new += bridges
    report.bridges = len(bridges)
    _store(stage, new, actor, "assignments.balanced",
           {"per_entry": per_entry, "seed": seed, "skipped_conflicts": report.skipped_conflicts})
    report.created = len(new)
    _finish_report(report, stage, entries, per_entry)
    return report


def _bridges(entries: list[Entry], existing: dict[int, set[int]], order: list[Judge],
             conflicts: dict[tuple[int, int], str], load: dict[int, int]
             ) -> list[tuple[int, int]]:
    """Extra assignments that join every part of the judge-entry graph to the largest one.

    ``existing`` (entry id -> judge ids) already holds the new assignments and is updated.
    """
    uf = _UnionFind()
    for entry in entries:
        uf.find(("e", entry.pk))
        for judge_id in existing[entry.pk]:
            uf.union(("j", judge_id), ("e", entry.pk))
    parts: dict[Any, list[Entry]] = defaultdict(list)
    for entry in entries:
        parts[uf.find(("e", entry.pk))].append(entry)
    if len(parts) <= 1:
        return []
    main_root = max(parts, key=lambda root: len(parts[root]))
    added: list[tuple[int, int]] = []
    for root, members in parts.items():
        if root == main_root:
            continue
        main_judges = sorted((j for j in order if uf.find(("j", j.pk)) == uf.find(main_root)),
                             key=lambda j: load[j.pk])
        done = False
        for entry in members:
            for judge in main_judges:
                if (judge.pk, entry.pk) in conflicts or judge.pk in existing[entry.pk]:
                    continue
                existing[entry.pk].add(judge.pk)
                load[judge.pk] += 1
                added.append((judge.pk, entry.pk))
                uf.union(("j", judge.pk), ("e", entry.pk))
                done = True
                break
            if done:
                break
    return added


def free_judges(stage: Stage, entry: Entry) -> list[Judge]:
    """The judges of the stage who could take ``entry``: scoring at the stage, not assigned
    to it and without a conflict of interest with it, the least loaded first."""
    from sayembara.judging.selectors.jury import judge_scores_at, stage_judges

    judges = [j for j in stage_judges(stage) if judge_scores_at(stage, j)]
    taken = set(Assignment.objects.filter(stage=stage, entry=entry)
                .values_list("judge_id", flat=True))
    conflicts = conflict_pairs(judges=judges, entries=[entry])
    load: dict[int, int] = defaultdict(int)
    for judge_id in Assignment.objects.filter(stage=stage).values_list("judge_id", flat=True):
        load[judge_id] += 1
    return sorted((j for j in judges if j.pk not in taken and (j.pk, entry.pk) not in conflicts),
                  key=lambda j: (load[j.pk], j.pk))


@transaction.atomic
def add_extra_reviewer(*, stage: Stage, entry: Entry, actor: Any) -> Assignment | None:
    """Assign one more judge to an entry whose first reviewers disagree beyond the
    template's threshold (the "third reviewer" rule). The least loaded judge of the stage
    who is neither assigned to the entry nor conflicted gets it. When nobody can, the
    organisers are told at once by e-mail and None is returned."""
    if Assignment.objects.filter(stage=stage, entry=entry, is_extra_reviewer=True).exists():
        return None
    candidates = free_judges(stage, entry)
    if not candidates:
        record_event(actor=actor, action="assignment.extra_reviewer_unavailable", obj=entry,
                     after={"stage": stage.key, "entry": entry.code})
        from sayembara.judging.tasks import send_extra_judge_alert

        transaction.on_commit(
            lambda: send_extra_judge_alert.enqueue(stage.pk, entry.pk))
        return None
    return assign(stage=stage, judge=candidates[0], entry=entry, actor=actor,
                  extra_reviewer=True)


@transaction.atomic
def replace_reviewer(*, stage: Stage, entry: Entry, judge: Judge, extra_reviewer: bool,
                     actor: Any) -> Assignment | None:
    """``judge`` left ``entry`` at ``stage`` (a conflict of interest): the least loaded free
    judge of the stage takes the entry over, in the same place (an ordinary or an extra
    reviewer), so the entry keeps the number of judges the stage gives it. When nobody is
    free, the organisers are told at once by e-mail. Nothing changes at a closed stage, nor
    for an extra reviewer the disagreement rule no longer asks for (the stage not open).
    The withdrawal and its replacement are kept for the progress page."""
    if stage.status == StageStatus.CLOSED:
        return None
    if extra_reviewer:
        if stage.status != StageStatus.OPEN or third_reviewer_rule(stage) is None:
            return None
        assignment = add_extra_reviewer(stage=stage, entry=entry, actor=actor)
    else:
        candidates = free_judges(stage, entry)
        assignment = (assign(stage=stage, judge=candidates[0], entry=entry, actor=actor)
                      if candidates else None)
    withdrawal = ReviewerWithdrawal.objects.create(
        stage=stage, entry=entry, judge=judge, extra_reviewer=extra_reviewer,
        replacement=assignment.judge if assignment is not None else None)
    record_event(actor=actor, action="assignment.reviewer_replaced" if assignment is not None
                 else "assignment.replacement_unavailable", obj=withdrawal,
                 object_type="judging.reviewerwithdrawal", edition_id=stage.edition_id,
                 after={"stage": stage.key, "entry": entry.code, "judge": judge.pk,
                        "replacement": withdrawal.replacement_id,
                        "extra_reviewer": extra_reviewer})
    if assignment is None and not extra_reviewer:
        from sayembara.judging.tasks import send_replacement_alert

        transaction.on_commit(lambda: send_replacement_alert.enqueue(withdrawal.pk))
    return assignment


def third_reviewer_rule(stage: Stage) -> dict[str, Any] | None:
    rule = (stage.settings or {}).get("disagreement") or None
    return rule if rule and rule.get("third_reviewer") else None


@dataclass
class Waiting:
    """An entry of a stage still waiting: for the sheets of ``judges`` (names), and, with
    ``extra_judge``, for the extra judge the engine asks for (``judges`` empty: nobody is
    assigned yet)."""

    entry: Entry
    judges: list[str] = field(default_factory=list)
    extra_judge: bool = False


def sheet_in(stage: Stage) -> QuerySet[ScoreSheet]:
    """The submitted (or locked) sheet of an assignment of ``stage`` (for ``Exists``)."""
    from sayembara.judging.enums import SheetStatus

    return ScoreSheet.objects.filter(
        stage=stage, judge_id=OuterRef("judge_id"), entry_id=OuterRef("entry_id"),
        status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED])


def stage_waiting(stage: Stage) -> list[Waiting]:
    """What the stage still waits for, by entry code: unsubmitted sheets of assigned judges,
    and entries whose first judges disagree beyond the threshold with no extra judge's
    sheet yet (the engine's word, from the submitted sheets). Conflicted pairs never
    count: a conflict withdraws the assignment."""
    names = dict(Judge.objects.filter(edition_id=stage.edition_id).values_list("pk", "name"))
    pending: dict[int, list[str]] = defaultdict(list)
    assigned = Assignment.objects.filter(stage=stage)
    for judge_id, entry_id in assigned.filter(~Exists(sheet_in(stage))).values_list(
        "judge_id", "entry_id"
    ).order_by("judge__name"):
        pending[entry_id].append(names.get(judge_id, "?"))
    extra: set[int] = set()
    rule = third_reviewer_rule(stage)
    if rule is not None:
        from sayembara.judging.services.compute import check_disagreements

        reviewers = int(rule.get("reviewers", 2))
        candidates = set(assigned.filter(Exists(sheet_in(stage))).values("entry_id")
                         .annotate(sheets=Count("pk")).filter(sheets__gte=reviewers)
                         .values_list("entry_id", flat=True))
        if candidates:
            items = check_disagreements(stage=stage, entry_ids=candidates)
            codes = dict(Entry.objects.filter(pk__in=candidates).values_list("pk", "code"))
            extra = {pk for pk in candidates
                     if getattr(items.get(codes[pk]), "needs_extra_judge", False)}
    entries = Entry.objects.filter(pk__in=set(pending) | extra).order_by("code")
    return [Waiting(entry=entry, judges=pending.get(entry.pk, []),
                    extra_judge=entry.pk in extra) for entry in entries]
