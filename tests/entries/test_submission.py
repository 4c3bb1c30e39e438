import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from sayembara.common.models import AuditEvent
from sayembara.entries.enums import EntryState
from sayembara.entries.models import EntryStateChange, PastWinner
from sayembara.entries.services.eligibility import SubmissionRefused, months_before
from sayembara.entries.services.entries import EntryStateError, set_entry_state
from sayembara.entries.services.process import (
    grant_extension,
    reopen_entry,
    submit_entry,
    withdraw_entry,
)
from tests.factories import InstitutionFactory
from tests.factories_entries import complete_entry, make_edition, make_entry

pytestmark = pytest.mark.django_db


def _rules(error):
    return [refusal.rule for refusal in error.value.refusals]


def test_submit_entry_when_complete_and_eligible():
    entry = complete_entry(make_entry(edition=make_edition()), actor="test")
    submit_entry(entry=entry, actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    assert entry.submitted_at is not None
    assert list(entry.state_changes.values_list("from_state", "to_state")) == [
        ("draft", "submitted")]


def test_submit_entry_lists_everything_missing():
    entry = make_entry(edition=make_edition())
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=entry, actor="test")
    assert sorted(_rules(error)) == sorted([
        "Required proposal section", "Required proposal section",
        "Required statement", "Required statement", "Required document",
        "Self-assessment", "Video", "Minimum age of the innovation",
    ])
    messages = [refusal.message for refusal in error.value.refusals]
    assert "The section “Ringkasan” is empty. Write it before submitting." in messages
    assert "The document “Laporan kinerja tahun sebelumnya” is not uploaded." in messages
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT


def test_submit_after_deadline_refused_with_deadline_in_editions_zone():
    deadline = dt.datetime(2026, 5, 31, 16, 0, tzinfo=ZoneInfo("Asia/Makassar"))
    edition = make_edition(year=2026, deadline=deadline)
    entry = complete_entry(make_entry(edition=edition), actor="test")
    with pytest.raises(EntryStateError) as error:
        submit_entry(entry=entry, actor="test",
                     now=deadline + dt.timedelta(minutes=1))
    assert str(error.value) == (
        "The deadline for submitting entries was 31 May 2026 at 16:00 WITA; entry "
        f"{entry.code} can no longer be submitted. Ask the organiser for an extension if you "
        "have a reason."
    )
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT


def test_submit_at_the_deadline_minute_is_accepted():
    deadline = timezone.now() + dt.timedelta(hours=1)
    edition = make_edition(deadline=deadline)
    entry = complete_entry(make_entry(edition=edition), actor="test")
    submit_entry(entry=entry, actor="test", now=deadline)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED


def test_submit_before_submissions_open_is_refused():
    edition = make_edition(opens=timezone.now() + dt.timedelta(days=1))
    entry = complete_entry(make_entry(edition=edition), actor="test")
    with pytest.raises(EntryStateError) as error:
        submit_entry(entry=entry, actor="test")
    assert "Submissions open on" in str(error.value)


def test_extension_for_one_entry_lets_only_that_entry_submit_late():
    deadline = timezone.now() - dt.timedelta(hours=2)
    edition = make_edition(deadline=deadline)
    late = complete_entry(make_entry(edition=edition, title="Satu"), actor="test")
    other = complete_entry(make_entry(edition=edition, title="Dua"), actor="test")
    grant_extension(edition=edition, entry=late, until=timezone.now() + dt.timedelta(days=1),
                    reason="Server down on the last day", actor="test")
    submit_entry(entry=late, actor="test")
    with pytest.raises(EntryStateError):
        submit_entry(entry=other, actor="test")
    event = AuditEvent.objects.get(action="entry.deadline_extended")
    assert event.reason == "Server down on the last day"
    assert event.after["scope"] == late.code


def test_extension_for_everyone_opens_every_entry_again():
    edition = make_edition(deadline=timezone.now() - dt.timedelta(hours=2))
    entry = complete_entry(make_entry(edition=edition), actor="test")
    grant_extension(edition=edition, until=timezone.now() + dt.timedelta(days=2),
                    reason="Flood in the district", actor="test")
    submit_entry(entry=entry, actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED


def test_extension_must_be_later_and_give_a_reason():
    edition = make_edition()
    with pytest.raises(EntryStateError) as error:
        grant_extension(edition=edition, until=edition.submission_deadline, reason="x",
                        actor="test")
    assert "must be later than the current one" in str(error.value)
    with pytest.raises(EntryStateError):
        grant_extension(edition=edition, until=timezone.now() + dt.timedelta(days=30),
                        reason="  ", actor="test")


def test_withdraw_and_reopen_before_deadline():
    entry = complete_entry(make_entry(edition=make_edition()), actor="test")
    submit_entry(entry=entry, actor="test")
    withdraw_entry(entry=entry, actor="test", reason="Salah kategori")
    reopen_entry(entry=entry, actor="test")
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    assert list(entry.state_changes.values_list("to_state", flat=True)) == [
        "submitted", "withdrawn", "draft"]


def test_withdraw_after_deadline_is_refused():
    edition = make_edition()
    entry = complete_entry(make_entry(edition=edition), actor="test")
    submit_entry(entry=entry, actor="test")
    with pytest.raises(EntryStateError) as error:
        withdraw_entry(entry=entry, actor="test",
                       now=edition.submission_deadline + dt.timedelta(seconds=1))
    assert "can no longer be withdrawn" in str(error.value)


def test_months_before_clamps_to_month_end():
    assert months_before(dt.date(2024, 5, 31), 12) == dt.date(2023, 5, 31)
    assert months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert months_before(dt.date(2024, 1, 15), 13) == dt.date(2022, 12, 15)


def test_minimum_innovation_age_counted_back_from_closing_date():
    edition = make_edition(year=2026)  # closing date 31 May 2026, 12 months
    old_enough = complete_entry(make_entry(edition=edition, title="A"), actor="test",
                                started_on=dt.date(2025, 5, 31))
    too_young = complete_entry(make_entry(edition=edition, title="B"), actor="test",
                               started_on=dt.date(2025, 6, 1))
    submit_entry(entry=old_enough, actor="test")
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=too_young, actor="test")
    assert _rules(error) == ["Minimum age of the innovation"]
    assert error.value.refusals[0].message == (
        "The innovation has been in use since 1 June 2025; the rules ask for at least 12 "
        "months before the closing date 31 May 2026, so it must have started on or before "
        "31 May 2025.")


def test_max_entries_per_institution_counts_active_entries_only():
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser)
    entries = [complete_entry(make_entry(edition=edition, institution=institution,
                                         title=f"Inovasi {n}"), actor="test")
               for n in range(3)]
    submit_entry(entry=entries[0], actor="test")
    submit_entry(entry=entries[1], actor="test")
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=entries[2], actor="test")
    assert _rules(error) == ["Entries per institution"]
    assert "at most 2" in error.value.refusals[0].message
    withdraw_entry(entry=entries[1], actor="test")
    submit_entry(entry=entries[2], actor="test")


def test_duplicate_title_refused_whatever_case_and_spacing():
    edition = make_edition()
    first = complete_entry(make_entry(edition=edition, title="Mal Pelayanan  Publik"),
                           actor="test")
    second = complete_entry(make_entry(edition=edition, title="mal pelayanan publik"),
                            actor="test")
    submit_entry(entry=first, actor="test")
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=second, actor="test")
    assert _rules(error) == ["Duplicate title"]
    assert first.code in error.value.refusals[0].message


def test_institution_type_not_allowed_in_category():
    edition = make_edition()
    desa = InstitutionFactory(organiser=edition.organiser, kind="desa", name="Desa Dalung")
    entry = complete_entry(make_entry(edition=edition, institution=desa,
                                      category_key="tata-kelola"), actor="test")
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=entry, actor="test")
    assert _rules(error) == ["Institution types of the category"]
    assert error.value.refusals[0].message.startswith(
        "The category Tata Kelola Pemerintahan is open to Perangkat Daerah, BUMD; Desa Dalung "
        "is registered as Pemerintah Desa.")


def _outstanding_entry(edition, institution):
    entry = make_entry(edition=edition, institution=institution,
                       group=edition.groups.get(key="outstanding"))
    return complete_entry(entry, actor="test")


def test_group_reserved_for_past_winners_refuses_others():
    edition = make_edition(year=2026)  # past-winner years shift to 2020 and 2021
    institution = InstitutionFactory(organiser=edition.organiser, name="Kota Bandung")
    entry = _outstanding_entry(edition, institution)
    with pytest.raises(SubmissionRefused) as error:
        submit_entry(entry=entry, actor="test")
    assert _rules(error) == ["Group reserved for past winners"]
    assert "in 2020, 2021" in error.value.refusals[0].message


def test_group_reserved_for_past_winners_accepts_imported_winner():
    edition = make_edition(year=2026)
    institution = InstitutionFactory(organiser=edition.organiser, name="Kota Bandung")
    PastWinner.objects.create(competition=edition.competition, year=2021,
                              institution=institution, rank=1, award="Juara 1")
    entry = _outstanding_entry(edition, institution)
    submit_entry(entry=entry, actor="test")


def test_group_reserved_for_past_winners_reads_earlier_final_results():
    from sayembara.judging.models import FinalResult

    organiser_edition = make_edition(year=2026)
    earlier = make_edition(organiser=organiser_edition.organiser, year=2020)
    institution = InstitutionFactory(organiser=organiser_edition.organiser)
    won = make_entry(edition=earlier, institution=institution, title="LAPOR")
    set_entry_state(entry=won, to_state=EntryState.SUBMITTED, actor="test")
    FinalResult.objects.create(edition=earlier, entry=won, category=won.category, rank=2,
                               award_label="Juara 2")
    entry = _outstanding_entry(organiser_edition, institution)
    submit_entry(entry=entry, actor="test")


def test_every_submission_records_history_and_audit():
    entry = complete_entry(make_entry(edition=make_edition()), actor="test")
    submit_entry(entry=entry, actor="test")
    assert EntryStateChange.objects.filter(entry=entry).count() == 1
    assert AuditEvent.objects.filter(action="entry.state_changed",
                                     object_id=str(entry.pk)).count() == 1


def test_eligibility_dates_are_written_with_the_full_month_in_indonesian():
    from django.utils import translation

    from sayembara.entries.services.eligibility import _date

    with translation.override("id"):
        assert [_date(dt.date(2027, 12, 7)), _date(dt.date(2027, 6, 7))] == [
            "7 Desember 2027", "7 Juni 2027"]
