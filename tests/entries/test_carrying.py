"""Carrying an entry into another edition: year-bound documents, the institution's one entry,
warnings on titles and limits, and the mentoring log that stays with the innovation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sayembara.competitions.services.editions import create_edition
from sayembara.entries.enums import DocumentKind, EntryState
from sayembara.entries.services.carrying import copy_entry_into, mentoring_log
from sayembara.entries.services.drafts import add_document
from sayembara.entries.services.eligibility import check_submission
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.followup import add_mentoring_note
from sayembara.template_format import parse_template
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    TEMPLATE_YAML,
    complete_entry,
    make_edition,
    make_entry,
    make_organiser_user,
    png_upload,
)

pytestmark = pytest.mark.django_db


def _edition(*, organiser, year: int, changes: dict[str, str] | None = None):
    """An edition of the test template with some of its text replaced."""
    text = TEMPLATE_YAML
    for old, new in (changes or {}).items():
        assert old in text
        text = text.replace(old, new)
    edition = create_edition(template=parse_template(text, source="uji.yaml"), year=year,
                             organiser=organiser, actor="test")
    edition.submission_deadline = timezone.now() + dt.timedelta(days=10)
    edition.save(update_fields=["submission_deadline"])
    return edition


@pytest.fixture
def last_year():
    """A complete 2025 entry: its report covers 2024; it also has a photo (no year)."""
    edition = make_edition(year=2025)
    unit = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan",
                              kind="perangkat_daerah")
    entry = complete_entry(make_entry(edition=edition, institution=unit,
                                      title="Layanan Antar Obat 2025"), actor="test")
    add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="foto", upload=png_upload(),
                 actor="test")
    return entry


def _carry(entry, edition, **kwargs):
    institution = kwargs.pop("institution", None) or entry.institution
    return copy_entry_into(entry=entry, edition=edition, institution=institution,
                           category=edition.categories.get(key="tata-kelola"), actor="test",
                           **kwargs)


def test_a_document_of_last_year_is_not_put_into_the_slot_of_another_year(last_year):
    report = last_year.documents.get(slot="laporan")
    assert report.covers_year == 2024
    next_year = _edition(organiser=last_year.edition.organiser, year=2026)
    carried = _carry(last_year, next_year)
    new = carried.entry
    placed = sorted(new.documents.values_list("kind", "slot", "covers_year"))
    assert placed == [(DocumentKind.CARRIED, "document:laporan", 2024),
                      (DocumentKind.DOCUMENT, "foto", None),
                      (DocumentKind.EVIDENCE, "regulasi", None)]
    assert carried.uploads_needed == [
        "“Laporan kinerja tahun sebelumnya” covers 2025 in Kompetisi Inovasi Uji 2026: "
        "upload the document for 2025."]
    assert ("laporan.pdf covers 2024, so it was not put into a slot of this edition; it "
            "stays here for reference.") in carried.warnings
    refusals = [refusal.message for refusal in check_submission(new)]
    assert "The document “Laporan kinerja tahun sebelumnya” is not uploaded." in refusals
    assert new.state == EntryState.DRAFT and new.carried_from == last_year


def test_a_document_goes_into_the_slot_that_covers_the_same_year(last_year):
    # The later edition asks for the report of two years before: 2024 again.
    later = _edition(organiser=last_year.edition.organiser, year=2026,
                     changes={"year_offset: -1": "year_offset: -2"})
    carried = _carry(last_year, later)
    report = carried.entry.documents.get(kind=DocumentKind.DOCUMENT, slot="laporan")
    assert (report.covers_year, report.sha256) == (
        2024, last_year.documents.get(slot="laporan").sha256)
    assert carried.uploads_needed == []


def test_a_document_goes_into_a_slot_of_another_id_for_the_same_year_and_document(last_year):
    later = _edition(organiser=last_year.edition.organiser, year=2026, changes={
        "    - id: laporan\n": "    - id: laporan-dua-tahun\n",
        "year_offset: -1": "year_offset: -2"})
    carried = _carry(last_year, later)
    assert carried.entry.documents.get(slot="laporan-dua-tahun").covers_year == 2024


def test_carry_warns_on_a_title_naming_the_old_year_and_on_word_limits(last_year):
    stricter = _edition(organiser=last_year.edition.organiser, year=2026,
                        changes={"{id: ringkasan, title: Ringkasan, max_words: 20}":
                                 "{id: ringkasan, title: Ringkasan, max_words: 3}"})
    carried = _carry(last_year, stricter)
    assert ("The title “Layanan Antar Obat 2025” names 2025; check that it still fits "
            "Kompetisi Inovasi Uji 2026.") in carried.warnings
    assert ("“Ringkasan” has 6 words; the limit is 3. Shorten it by 3 words."
            in carried.warnings)


def test_carry_is_refused_where_the_institution_already_has_its_entry(last_year):
    one_each = _edition(organiser=last_year.edition.organiser, year=2026,
                        changes={"max_entries_per_institution: 2":
                                 "max_entries_per_institution: 1"})
    existing = make_entry(edition=one_each, institution=last_year.institution,
                          title="Inovasi lain")
    with pytest.raises(EntryStateError) as error:
        _carry(last_year, one_each)
    assert str(error.value) == (
        f"Dinas Kesehatan already has its entry in Kompetisi Inovasi Uji 2026 "
        f"({existing.code}); the rules allow 1 per institution. Withdraw that entry first, "
        f"or carry this one for another institution.")
    assert one_each.entries.count() == 1


def test_the_mentoring_log_stays_with_the_innovation(last_year, client):
    add_mentoring_note(entry=last_year, held_on=dt.date(2025, 9, 1), mentor="Balitbang",
                       notes="Lengkapi data kepuasan warga.", actor="test")
    next_year = _edition(organiser=last_year.edition.organiser, year=2026)
    new = _carry(last_year, next_year).entry
    add_mentoring_note(entry=new, held_on=dt.date(2026, 2, 1), mentor="Universitas Tidar",
                       notes="Siapkan replikasi di kecamatan lain.", actor="test")
    assert [n.mentor for n in mentoring_log(new)] == ["Universitas Tidar", "Balitbang"]
    assert [n.mentor for n in mentoring_log(last_year)] == ["Universitas Tidar", "Balitbang"]
    client.force_login(make_organiser_user(next_year.organiser))
    page = client.get(f"/peserta/entri/{new.pk}/").content.decode()
    assert "Lengkapi data kepuasan warga." in page and "Siapkan replikasi" in page
    assert "Check before submitting: this entry was carried over" in page
    assert "names 2025" in page


def test_the_mentoring_log_of_another_organiser_does_not_follow(last_year):
    add_mentoring_note(entry=last_year, held_on=dt.date(2025, 9, 1), mentor="Balitbang",
                       notes="Catatan internal.", actor="test")
    elsewhere = make_edition(year=2026)
    unit = InstitutionFactory(organiser=elsewhere.organiser, name="Dinas Kesehatan",
                              kind="perangkat_daerah")
    new = _carry(last_year, elsewhere, institution=unit).entry
    assert mentoring_log(new) == []
