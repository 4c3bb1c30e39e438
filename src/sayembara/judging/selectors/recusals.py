"""Recusals: at a stage where the whole panel scores every entry, a judge with a conflict of
interest steps aside for that entry and the other members score it. Nobody replaces the
judge, so the entry simply has one judge fewer; that is expected, not a shortfall.

At stages where each entry has its own judges a conflict is not a recusal: the judge is
replaced (``judging.services.assignments.replace_reviewer``)."""

from __future__ import annotations

from collections import defaultdict

from sayembara.competitions.models import Stage
from sayembara.judging.models import Assignment, StageResult


def recused_judges(stage: Stage) -> dict[int, list[int]]:
    """entry id -> ids of the stage's judges who recused from it (a conflict of interest,
    declared, set by the organiser or automatic); empty unless the whole panel scores every
    entry. Entries of the stage now, those assigned at it and those it has results for
    (after the list is confirmed the entries have moved on). A fixed number of queries."""
    if not stage.whole_panel:
        return {}
    from sayembara.entries.models import Entry
    from sayembara.judging.selectors.jury import judge_scores_at, stage_entries, stage_judges
    from sayembara.judging.services.conflicts import conflict_pairs

    judges = [j for j in stage_judges(stage) if judge_scores_at(stage, j)]
    if not judges:
        return {}
    ids = set(stage_entries(stage).values_list("pk", flat=True))
    ids |= set(Assignment.objects.filter(stage=stage).values_list("entry_id", flat=True))
    ids |= set(StageResult.objects.filter(stage=stage).values_list("entry_id", flat=True))
    entries = list(Entry.objects.filter(pk__in=ids).only("pk", "institution_id"))
    out: dict[int, list[int]] = defaultdict(list)
    for judge_id, entry_id in sorted(conflict_pairs(judges=judges, entries=entries)):
        out[entry_id].append(judge_id)
    return dict(out)
