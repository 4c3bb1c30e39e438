"""Conflicts of interest between judges and entries.

A judge is conflicted with an entry when the entry's institution is the judge's own
institution, its parent or one of its children (automatic), or when a conflict was declared
by the judge or set by the organiser (a ``Conflict`` row). A conflicted judge can neither see
nor score the entry, and no assignment ever gives it to them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.entries.models import Entry, Institution
from sayembara.judging.enums import ConflictKind
from sayembara.judging.models import Assignment, Conflict, Judge
from sayembara.judging.services.errors import JudgingError


def related_institution_ids(institution_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each institution: itself, its parent and its children (two queries)."""
    ids = {i for i in institution_ids if i}
    if not ids:
        return {}
    related: dict[int, set[int]] = {i: {i} for i in ids}
    for pk, parent_id in Institution.objects.filter(pk__in=ids).values_list("pk", "parent_id"):
        if parent_id:
            related[pk].add(parent_id)
    for pk, parent_id in Institution.objects.filter(parent_id__in=ids).values_list(
        "pk", "parent_id"
    ):
        related[parent_id].add(pk)
    return related


def conflict_pairs(
    *, judges: Iterable[Judge], entries: Iterable[Entry]
) -> dict[tuple[int, int], str]:
    """Every conflicted (judge id, entry id) pair among the given ones, with its kind.

    A fixed number of queries whatever the sizes.
    """
    judges = list(judges)
    entries = list(entries)
    pairs: dict[tuple[int, int], str] = {}
    related = related_institution_ids(j.institution_id for j in judges)
    by_institution: dict[int, list[int]] = {}
    for entry in entries:
        by_institution.setdefault(entry.institution_id, []).append(entry.pk)
    for judge in judges:
        for institution_id in related.get(judge.institution_id, ()):
            for entry_id in by_institution.get(institution_id, ()):
                pairs[(judge.pk, entry_id)] = ConflictKind.AUTOMATIC
    if judges and entries:
        rows = Conflict.objects.filter(
            judge_id__in=[j.pk for j in judges], entry_id__in=[e.pk for e in entries]
        ).values_list("judge_id", "entry_id", "kind")
        for judge_id, entry_id, kind in rows:
            pairs[(judge_id, entry_id)] = kind
    return pairs


def conflict_of(*, judge: Judge, entry: Entry) -> str | None:
    """The kind of conflict between one judge and one entry, or None."""
    return conflict_pairs(judges=[judge], entries=[entry]).get((judge.pk, entry.pk))


def conflict_message(*, judge: Judge, entry: Entry, kind: str) -> str:
    if kind == ConflictKind.AUTOMATIC:
        return _(
            "%(judge)s has a conflict of interest with entry %(entry)s: the entry comes from "
            "the judge's own institution, its parent or one of its units. Give the entry to "
            "another judge."
        ) % {"judge": judge.name, "entry": entry.code}
    return _(
        "%(judge)s has a declared conflict of interest with entry %(entry)s. Give the entry "
        "to another judge."
    ) % {"judge": judge.name, "entry": entry.code}


@transaction.atomic
def declare_conflict(
    *, judge: Judge, entry: Entry, reason: str, actor: Any, by_organiser: bool = False
) -> Conflict:
    """Record a conflict of interest and withdraw the judge's assignments of the entry.

    What happens to each assignment withdrawn follows the stage's assignment mode:

    - where the whole panel scores every entry (``Stage.whole_panel``) the judge recuses:
      the other members score the entry, its required number of judges drops by one for it
      (``judging.selectors.recusals``), nobody is e-mailed and closing is not held up;
    - where each entry has its own judges, the entry is given at once to another free judge
      of the stage (the least loaded, never a conflicted one), ordinary and extra reviewers
      alike, or the organisers are told by e-mail that none is free.

    Declared by the judge (``by_organiser`` False) or set by the organiser; a reason is
    required. Sheets already started stay in the database (they are no longer counted, and
    the judge can no longer open them).
    """
    if not reason.strip():
        raise JudgingError(
            _("Say briefly why there is a conflict of interest (for example: “I advised this "
              "team in 2023”)."),
            problems={"reason": _("This field is required.")},
        )
    if entry.edition_id != judge.edition_id:
        raise JudgingError(_("The entry and the judge belong to different editions."))
    kind = ConflictKind.SET_BY_ORGANISER if by_organiser else ConflictKind.DECLARED
    conflict, created = Conflict.objects.get_or_create(
        judge=judge, entry=entry, defaults={"kind": kind, "reason": reason.strip()}
    )
    assignments = list(Assignment.objects.filter(judge=judge, entry=entry)
                       .select_related("stage"))
    withdrawn = [a.stage_id for a in assignments]
    recused = [a.stage_id for a in assignments
               if a.stage.whole_panel and not a.is_extra_reviewer]
    Assignment.objects.filter(judge=judge, entry=entry).delete()
    if created or withdrawn:
        record_event(
            actor=actor, action="judge.conflict_declared", obj=conflict,
            object_type="judging.conflict", edition_id=judge.edition_id,
            after={"judge": judge.pk, "entry": entry.pk, "kind": conflict.kind,
                   "withdrawn_from_stages": withdrawn,
                   **({"recused_at_stages": recused} if recused else {})},
            reason=reason.strip(),
        )
    from sayembara.judging.services.assignments import replace_reviewer

    for assignment in assignments:
        if assignment.stage_id in recused:
            continue
        replace_reviewer(stage=assignment.stage, entry=entry, judge=judge,
                         extra_reviewer=assignment.is_extra_reviewer, actor=actor)
    return conflict


@transaction.atomic
def record_automatic_conflicts(*, edition: Any, actor: Any) -> int:
    """Store the automatic conflicts of an edition as rows (for the secretariat's list).

    Returns how many new rows were stored. Automatic conflicts are enforced whether or not
    they are stored; storing them makes them visible and auditable.
    """
    judges = list(Judge.objects.filter(edition=edition, institution__isnull=False))
    entries = list(Entry.objects.filter(edition=edition).only("pk", "institution_id", "code"))
    pairs = conflict_pairs(judges=judges, entries=entries)
    existing = set(
        Conflict.objects.filter(judge__edition=edition).values_list("judge_id", "entry_id")
    )
    new = [
        Conflict(judge_id=j, entry_id=e, kind=ConflictKind.AUTOMATIC)
        for (j, e), kind in pairs.items()
        if kind == ConflictKind.AUTOMATIC and (j, e) not in existing
    ]
    Conflict.objects.bulk_create(new)
    if new:
        record_event(actor=actor, action="judge.conflicts_detected", obj=edition,
                     after={"pairs": [[c.judge_id, c.entry_id] for c in new]})
    return len(new)
