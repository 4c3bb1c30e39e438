"""Input checks: data that do not fit the rules are refused before anything is computed."""

from __future__ import annotations

from collections import Counter

from .errors import InputError
from .inputs import FINAL, Action, Inputs
from .spec import Competition


def check_inputs(competition: Competition, inputs: Inputs) -> None:
    """Refuse data that do not fit the rules (unknown keys, duplicates, bad decisions)."""
    _check_recusals(competition, inputs)
    keys = [e.key for e in inputs.entries]
    seen = set(keys)
    if len(seen) != len(keys):
        dup = next(k for k, c in Counter(keys).items() if c > 1)
        raise InputError("duplicate_entry", f"The entry {dup} is listed twice.", entry=dup)
    cats = set(competition.categories)
    groups = set(competition.groups)
    if not {e.category for e in inputs.entries} <= cats:
        e = next(e for e in inputs.entries if e.category not in cats)
        raise InputError(
            "unknown_category",
            f"The entry {e.key} is in an unknown category {e.category}.",
            entry=e.key,
            category=e.category,
        )
    if groups and not {e.group for e in inputs.entries if e.group is not None} <= groups:
        e = next(e for e in inputs.entries if e.group is not None and e.group not in groups)
        raise InputError(
            "unknown_group",
            f"The entry {e.key} is in an unknown group {e.group}.",
            entry=e.key,
            group=e.group,
        )
    judges: set[str] = set()
    for j in inputs.judges:
        if j.key in judges:
            raise InputError("duplicate_judge", f"The judge {j.key} is listed twice.", judge=j.key)
        judges.add(j.key)
    for key, count in inputs.votes.items():
        if key not in seen:
            raise InputError(
                "unknown_entry", f"Votes were given for an unknown entry {key}.", entry=key
            )
        if count < 0:
            raise InputError(
                "negative_votes", f"The entry {key} has a negative vote count.", entry=key
            )
    stage_keys = {s.key for s in competition.stages}
    award_keys = {a.key for a in competition.special_awards}
    taken: dict[tuple[str, str], Action] = {}
    for d in inputs.decisions:
        if d.entry not in seen:
            raise InputError(
                "unknown_entry", f"A decision names an unknown entry {d.entry}.", entry=d.entry
            )
        ordering = d.action is Action.TIEBREAK and (d.stage == FINAL or d.stage in award_keys)
        if d.stage not in stage_keys and not ordering:
            raise InputError(
                "unknown_stage", f"A decision names an unknown stage {d.stage}.", stage=d.stage
            )
        if d.action is Action.TIEBREAK and (d.order is None or d.order < 1):
            raise InputError(
                "tiebreak_order",
                f"The tie-break decision for {d.entry} needs an order of 1 or more.",
                entry=d.entry,
                stage=d.stage,
            )
        slot = (d.stage + ("#t" if d.action is Action.TIEBREAK else ""), d.entry)
        if slot in taken:
            raise InputError(
                "conflicting_decisions",
                f"There are two decisions for entry {d.entry} at stage {d.stage}.",
                entry=d.entry,
                stage=d.stage,
            )
        taken[slot] = d.action
        if not d.reason.strip():
            raise InputError(
                "decision_reason",
                f"The decision for entry {d.entry} at stage {d.stage} has no reason.",
                entry=d.entry,
                stage=d.stage,
            )


def _check_recusals(competition: Competition, inputs: Inputs) -> None:
    entries = {e.key for e in inputs.entries}
    judges = {j.key for j in inputs.judges}
    stages = {s.key for s in competition.stages}
    seen: set[tuple[str, str, str]] = set()
    for r in inputs.recusals:
        if r.stage not in stages:
            raise InputError(
                "unknown_stage", f"A recusal names an unknown stage {r.stage}.", stage=r.stage
            )
        if r.entry not in entries:
            raise InputError(
                "unknown_entry", f"A recusal names an unknown entry {r.entry}.", entry=r.entry
            )
        if r.judge not in judges:
            raise InputError(
                "unknown_judge", f"A recusal names an unknown judge {r.judge}.", judge=r.judge
            )
        if (r.stage, r.entry, r.judge) in seen:
            raise InputError(
                "duplicate_recusal",
                f"The judge {r.judge} recuses from entry {r.entry} at stage {r.stage} twice.",
                stage=r.stage,
                entry=r.entry,
                judge=r.judge,
            )
        seen.add((r.stage, r.entry, r.judge))
