"""Following participants up: reminders to mandatory participants, mentoring notes, and the
imported list of past winners. Carrying an entry on is in ``services.carrying``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import IO, Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.common.params import is_plain_int
from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Competition, Edition
from sayembara.entries.models import (
    Entry,
    Institution,
    MentoringNote,
    PastWinner,
    Reminder,
)
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.spreadsheet_import import (
    ImportProblem,
    RegistryImportError,
    heading,
    read_rows,
)

# --------------------------------------------------------------------------------------------
# Reminders
# --------------------------------------------------------------------------------------------


def addresses_by_institution(institution_ids: list[int]) -> dict[int, list[str]]:
    """Operators' and contact addresses of many institutions, in two queries."""
    found: dict[int, list[str]] = defaultdict(list)
    for institution_id, email in Membership.objects.filter(
        institution_id__in=institution_ids, role=Role.OPERATOR, user__is_active=True
    ).exclude(user__email="").values_list("institution_id", "user__email"):
        found[institution_id].append(email)
    for institution_id, email in Institution.objects.filter(pk__in=institution_ids).exclude(
        email=""
    ).values_list("pk", "email"):
        found[institution_id].append(email)
    result = {}
    for institution_id, emails in found.items():
        unique: list[str] = []
        for email in emails:
            if email.lower() not in {known.lower() for known in unique}:
                unique.append(email)
        result[institution_id] = unique
    return result


@transaction.atomic
def send_reminders(
    *, edition: Edition, actor: Any, institution_ids: list[int] | None = None
) -> tuple[list[Reminder], list[Institution]]:
    """Remind every mandatory participant that has not submitted yet (or the given ones).

    Returns the reminders queued and the institutions skipped because no address is known.
    The e-mails are sent by background tasks after commit.
    """
    from sayembara.entries.selectors.tracker import mandatory_tracker
    from sayembara.entries.tasks import send_reminder

    tracker = mandatory_tracker(edition)
    targets = [row.institution for row in tracker.rows if not row.submitted]
    if institution_ids is not None:
        wanted = set(institution_ids)
        targets = [institution for institution in targets if institution.pk in wanted]
    addresses = addresses_by_institution([institution.pk for institution in targets])
    user = actor if getattr(actor, "pk", None) else None
    reminders = [
        Reminder(edition=edition, institution=institution,
                 recipients=addresses[institution.pk], sent_by=user)
        for institution in targets if addresses.get(institution.pk)
    ]
    skipped = [institution for institution in targets if not addresses.get(institution.pk)]
    Reminder.objects.bulk_create(reminders)
    record_event(actor=actor, action="entries.reminders_sent", obj=edition,
                 after={"reminded": [r.institution.name for r in reminders],
                        "without_address": [i.name for i in skipped]})
    ids = [reminder.pk for reminder in reminders]
    transaction.on_commit(lambda: [send_reminder.enqueue(pk) for pk in ids])
    return reminders, skipped


# --------------------------------------------------------------------------------------------
# Mentoring
# --------------------------------------------------------------------------------------------


@transaction.atomic
def add_mentoring_note(*, entry: Entry, held_on: dt.date, mentor: str, notes: str,
                       actor: Any, next_step: str = "") -> MentoringNote:
    if not mentor.strip() or not notes.strip():
        raise EntryStateError(_("Give the mentor's name and what was discussed."))
    note = MentoringNote.objects.create(
        entry=entry, held_on=held_on, mentor=mentor.strip(), notes=notes.strip(),
        next_step=next_step.strip(), recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    record_event(actor=actor, action="entry.mentoring_noted", obj=entry,
                 after={"held_on": held_on, "mentor": note.mentor, "next_step": note.next_step})
    return note


# --------------------------------------------------------------------------------------------
# Past winners
# --------------------------------------------------------------------------------------------

PAST_WINNER_COLUMNS = {
    "institution": ("institution", "instansi", "name", "nama", "nama instansi"),
    "year": ("year", "tahun"),
    "rank": ("rank", "peringkat", "juara"),
    "award": ("award", "penghargaan", "predikat"),
}


@transaction.atomic
def import_past_winners(*, competition: Competition, stream: IO[bytes], filename: str,
                        actor: Any) -> int:
    """Import winners of years not run in Sayembara (columns institution, year, rank, award;
    rank and award may be empty). All or nothing, every problem named by line and value."""
    rows = read_rows(stream, filename)
    problems: list[ImportProblem] = []
    header = None
    for number, cells in rows:
        if any(str(cell).strip() for cell in cells):
            header = [heading(cell) for cell in cells]
            header_line = number
            break
    if header is None:
        raise RegistryImportError([ImportProblem(filename, None, None, None,
                                                 _("The file is empty."))])
    columns = {}
    for column, names in PAST_WINNER_COLUMNS.items():
        for index, title in enumerate(header):
            if title in names:
                columns[column] = index
                break
    for column in ("institution", "year"):
        if column not in columns:
            problems.append(ImportProblem(filename, header_line, None, None, _(
                "The column “%(column)s” is missing; the first row must name the columns "
                "institution, year, rank, award.") % {"column": column}))
    if problems:
        raise RegistryImportError(problems)
    registry = {
        name.casefold(): pk for pk, name in Institution.objects.filter(
            organiser_id=competition.organiser_id).values_list("pk", "name")
    }
    found: dict[tuple[int, int], tuple[int | None, str]] = {}
    lines: dict[tuple[int, int], int] = {}

    def cell(cells: list[Any], column: str) -> str:
        index = columns.get(column)
        return str(cells[index]).strip() if index is not None and index < len(cells) else ""

    for number, cells in rows:
        if not any(str(value).strip() for value in cells):
            continue
        name, year, rank = cell(cells, "institution"), cell(cells, "year"), cell(cells, "rank")
        institution_id = registry.get(name.casefold())
        if institution_id is None:
            problems.append(ImportProblem(filename, number, "institution", name, _(
                "“%(value)s” is not in the institution registry. Import the registry first or "
                "correct the name.") % {"value": name}))
            continue
        if not is_plain_int(year) or not 1990 <= int(year) <= 2100:
            problems.append(ImportProblem(filename, number, "year", year, _(
                "“%(value)s” is not a year.") % {"value": year}))
            continue
        if rank and not is_plain_int(rank):
            problems.append(ImportProblem(filename, number, "rank", rank, _(
                "“%(value)s” is not a rank; write a whole number such as 1, or leave it "
                "empty.") % {"value": rank}))
            continue
        key = (institution_id, int(year))
        if key in found:
            problems.append(ImportProblem(filename, number, "institution", name, _(
                "This row repeats line %(line)s (same institution and year).")
                % {"line": lines[key]}))
            continue
        found[key] = (int(rank) if rank else None, cell(cells, "award"))
        lines[key] = number
    if problems:
        raise RegistryImportError(problems)
    user = actor if getattr(actor, "pk", None) else None
    for (institution_id, year), (rank, award) in found.items():
        PastWinner.objects.update_or_create(
            competition=competition, year=year, institution_id=institution_id,
            defaults={"rank": rank, "award": award, "imported_by": user},
        )
    record_event(actor=actor, action="entries.past_winners_imported", obj=competition,
                 after={"file": filename, "rows": len(found)})
    return len(found)
