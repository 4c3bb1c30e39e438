"""The mandatory-participant tracker: who must take part and who has not submitted yet."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Max, Q

from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import ACTIVE_STATES, EntryState
from sayembara.entries.models import Entry, Institution, Reminder


@dataclass
class TrackerRow:
    institution: Institution
    entries: list[Entry] = field(default_factory=list)
    last_reminded: dt.datetime | None = None

    @property
    def submitted(self) -> bool:
        return any(entry.state in ACTIVE_STATES for entry in self.entries)

    @property
    def has_draft(self) -> bool:
        return any(entry.state == EntryState.DRAFT for entry in self.entries)


@dataclass
class Tracker:
    rows: list[TrackerRow]
    #: Institutions the template names that the registry does not hold.
    unknown_names: list[str]
    rule_types: tuple[str, ...] = ()

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def submitted_count(self) -> int:
        return sum(1 for row in self.rows if row.submitted)

    @property
    def missing(self) -> list[TrackerRow]:
        return [row for row in self.rows if not row.submitted]


def mandatory_tracker(edition: Edition) -> Tracker:
    """Every mandatory participant of the edition with its entries (four queries)."""
    rule = template_of(edition).eligibility.mandatory
    if rule is None or not (rule.institution_types or rule.institutions):
        return Tracker(rows=[], unknown_names=[])
    named = {name.casefold(): name for name in rule.institutions}
    condition = Q(kind__in=rule.institution_types)
    if named:
        condition |= Q(name__in=list(rule.institutions))
    institutions = list(
        Institution.objects.filter(condition, organiser_id=edition.organiser_id, is_active=True)
        .select_related("parent").order_by("kind", "name")
    )
    found = {institution.name.casefold() for institution in institutions}
    # Names differing only in case are matched too.
    unmatched = {key: name for key, name in named.items() if key not in found}
    if unmatched:
        for institution in Institution.objects.filter(organiser_id=edition.organiser_id,
                                                      is_active=True):
            if institution.name.casefold() in unmatched:
                institutions.append(institution)
                unmatched.pop(institution.name.casefold())
    rows = {institution.pk: TrackerRow(institution=institution) for institution in institutions}
    for entry in Entry.objects.filter(edition=edition, institution_id__in=rows).only(
        "pk", "code", "title", "state", "institution_id", "submitted_at"
    ).order_by("code"):
        rows[entry.institution_id].entries.append(entry)
    for institution_id, last in Reminder.objects.filter(
        edition=edition, institution_id__in=rows
    ).values("institution_id").annotate(last=Max("created_at")).values_list(
        "institution_id", "last"
    ):
        rows[institution_id].last_reminded = last
    return Tracker(rows=list(rows.values()), unknown_names=sorted(unmatched.values()),
                   rule_types=rule.institution_types)
