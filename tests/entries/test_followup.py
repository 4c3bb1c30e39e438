"""Mandatory participants and reminders, carrying an entry on, mentoring, past winners."""

import datetime as dt
import io

import pytest
from django.core import mail

from sayembara.entries.models import PastWinner, Reminder
from sayembara.entries.selectors.tracker import mandatory_tracker
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.followup import (
    add_mentoring_note,
    import_past_winners,
    send_reminders,
)
from sayembara.entries.services.process import submit_entry
from sayembara.entries.services.registry import RegistryImportError
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    complete_entry,
    make_edition,
    make_entry,
    make_operator,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mandatory_world():
    edition = make_edition()
    organiser = edition.organiser
    done = InstitutionFactory(organiser=organiser, name="Bappeda", kind="perangkat_daerah")
    drafting = InstitutionFactory(organiser=organiser, name="Dinas Kominfo",
                                  kind="perangkat_daerah", email="kominfo@minut.go.id")
    silent = InstitutionFactory(organiser=organiser, name="Dinas Sosial",
                                kind="perangkat_daerah")
    InstitutionFactory(organiser=organiser, name="rsud maria walanda maramis", kind="rsud",
                       email="rsud@minut.go.id")
    InstitutionFactory(organiser=organiser, name="Desa Likupang", kind="desa")
    make_operator(silent, email="operator@dinsos.go.id")
    submit_entry(entry=complete_entry(make_entry(edition=edition, institution=done,
                                                 title="Satu Data"), actor="test"),
                 actor="test")
    make_entry(edition=edition, institution=drafting, title="Aplikasi Lapor")
    return edition


def test_tracker_lists_mandatory_types_and_named_institutions(mandatory_world):
    tracker = mandatory_tracker(mandatory_world)
    status = {row.institution.name: (row.submitted, row.has_draft) for row in tracker.rows}
    assert status == {
        "Bappeda": (True, False),
        "Dinas Kominfo": (False, True),
        "Dinas Sosial": (False, False),
        "rsud maria walanda maramis": (False, False),
    }
    assert (tracker.total, tracker.submitted_count) == (4, 1)
    assert tracker.unknown_names == []


def test_send_reminders_mails_only_those_not_submitted(mandatory_world,
                                                       django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reminders, skipped = send_reminders(edition=mandatory_world, actor="test")
    assert sorted(r.institution.name for r in reminders) == [
        "Dinas Kominfo", "Dinas Sosial", "rsud maria walanda maramis"]
    assert skipped == []
    assert sorted(tuple(message.to) for message in mail.outbox) == [
        ("kominfo@minut.go.id",), ("operator@dinsos.go.id",), ("rsud@minut.go.id",)]
    assert "has not submitted its entry" in mail.outbox[0].subject
    assert Reminder.objects.filter(delivered_at__isnull=False).count() == 3
    tracker = mandatory_tracker(mandatory_world)
    assert sum(1 for row in tracker.rows if row.last_reminded) == 3


def test_send_reminders_reports_institutions_without_address(mandatory_world):
    silent = mandatory_world.organiser.institutions.get(name="Dinas Sosial")
    silent.memberships.all().delete()
    reminders, skipped = send_reminders(edition=mandatory_world, actor="test")
    assert [institution.name for institution in skipped] == ["Dinas Sosial"]
    assert len(reminders) == 2


def test_mentoring_note_is_logged_per_entry():
    entry = make_entry(edition=make_edition())
    add_mentoring_note(entry=entry, held_on=dt.date(2026, 3, 2), mentor="Balitbang",
                       notes="Perbaiki data manfaat.", next_step="Survei kepuasan", actor="test")
    note = entry.mentoring_notes.get()
    assert (note.mentor, note.next_step) == ("Balitbang", "Survei kepuasan")
    with pytest.raises(EntryStateError):
        add_mentoring_note(entry=entry, held_on=dt.date(2026, 3, 2), mentor="", notes="x",
                           actor="test")


def test_import_past_winners_upserts_and_refuses_unknown_names():
    edition = make_edition()
    InstitutionFactory(organiser=edition.organiser, name="Kota Bandung")
    csv = io.BytesIO(b"institution,year,rank,award\nKota Bandung,2019,1,Juara 1\n")
    assert import_past_winners(competition=edition.competition, stream=csv,
                               filename="winners.csv", actor="test") == 1
    winner = PastWinner.objects.get()
    assert (winner.year, winner.rank, winner.award) == (2019, 1, "Juara 1")
    bad = io.BytesIO(b"instansi,tahun\nKota Bandung,2019\nKota Bandung,2019\n"
                     b"Kota Antah,2018\nKota Bandung,dua ribu\n")
    with pytest.raises(RegistryImportError) as error:
        import_past_winners(competition=edition.competition, stream=bad,
                            filename="winners.csv", actor="test")
    assert [str(problem) for problem in error.value.problems] == [
        "winners.csv, line 3, column “institution”: This row repeats line 2 (same "
        "institution and year).",
        "winners.csv, line 4, column “institution”: “Kota Antah” is not in the institution "
        "registry. Import the registry first or correct the name.",
        "winners.csv, line 5, column “year”: “dua ribu” is not a year.",
    ]
