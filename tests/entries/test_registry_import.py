import datetime as dt
import io

import pytest
from openpyxl import Workbook

from sayembara.common.models import AuditEvent
from sayembara.entries.models import Entry, Institution
from sayembara.entries.services.registry import RegistryImportError, import_registry
from tests.factories import InstitutionFactory, OrganiserFactory
from tests.factories_entries import make_edition

pytestmark = pytest.mark.django_db

HEADER = ["name", "type", "parent", "region code", "e-mail"]


def _csv(rows, header=HEADER, delimiter=","):
    lines = [delimiter.join(header)] + [delimiter.join(row) for row in rows]
    return io.BytesIO(("\n".join(lines) + "\n").encode("utf-8"))


def _xlsx(rows, header=HEADER):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _import(stream, filename="registry.csv", organiser=None, **kwargs):
    organiser = organiser or OrganiserFactory()
    return organiser, import_registry(stream=stream, filename=filename, organiser=organiser,
                                      actor="test", **kwargs)


def _messages(error):
    return [str(problem) for problem in error.value.problems]


BADUNG = [
    ["Kecamatan Kuta Utara", "kecamatan", "", "51.03.05", ""],
    ["Kelurahan Kerobokan", "kelurahan", "Kecamatan Kuta Utara", "51.03.05.1001",
     "kerobokan@badungkab.go.id"],
    ["Desa Dalung", "desa", "Kecamatan Kuta Utara", "51.03.05.2003", ""],
]


def test_import_csv_creates_institutions_with_parents():
    organiser, summary = _import(_csv(BADUNG))
    assert (summary.rows, summary.institutions_created, summary.institutions_updated) == (3, 3, 0)
    kerobokan = Institution.objects.get(organiser=organiser, name="Kelurahan Kerobokan")
    assert (kerobokan.kind, kerobokan.parent.name, kerobokan.region_code, kerobokan.email) == (
        "kelurahan", "Kecamatan Kuta Utara", "51.03.05.1001", "kerobokan@badungkab.go.id")
    event = AuditEvent.objects.get(action="registry.imported")
    assert event.after["institutions_created"] == 3
    assert len(event.after["sha256"]) == 64


def test_import_xlsx_with_indonesian_headings_and_semicolon_csv_give_the_same_registry():
    rows = [[cell for cell in row] for row in BADUNG]
    organiser_a, _ = _import(_xlsx(rows, header=["Nama", "Jenis", "Induk", "Kode Wilayah",
                                                 "Surel"]), filename="registry.xlsx")
    organiser_b, _ = _import(_csv(BADUNG, delimiter=";"))

    def snapshot(organiser):
        return sorted(Institution.objects.filter(organiser=organiser).values_list(
            "name", "kind", "parent__name", "region_code", "email"))
    assert snapshot(organiser_a) == snapshot(organiser_b)


def test_import_updates_existing_institution_instead_of_duplicating():
    organiser = OrganiserFactory()
    InstitutionFactory(organiser=organiser, name="Desa Dalung", kind="lainnya")
    _, summary = _import(_csv(BADUNG), organiser=organiser)
    assert (summary.institutions_created, summary.institutions_updated) == (2, 1)
    assert Institution.objects.get(organiser=organiser, name="Desa Dalung").kind == "desa"
    _, again = _import(_csv(BADUNG), organiser=organiser)
    assert (again.institutions_created, again.institutions_updated,
            again.institutions_unchanged) == (0, 0, 3)


def test_import_refuses_missing_column_naming_it():
    with pytest.raises(RegistryImportError) as error:
        _import(_csv([["Desa Dalung", "desa", "", ""]], header=["name", "type", "parent",
                                                                 "e-mail"]))
    assert _messages(error) == [
        "registry.csv, line 1: The column “region code” is missing. The first row must name "
        "the columns: name, type, parent, region code, e-mail (empty cells are allowed for "
        "parent, region code and e-mail)."
    ]


def test_import_refuses_duplicate_row_and_writes_nothing():
    rows = [*BADUNG, ["Desa Dalung", "desa", "Kecamatan Kuta Utara", "51.03.05.2003", ""]]
    organiser = OrganiserFactory()
    with pytest.raises(RegistryImportError) as error:
        _import(_csv(rows), organiser=organiser)
    assert _messages(error) == [
        "registry.csv, line 5, column “name”: This row repeats the institution of line 4. "
        "Remove one of them."
    ]
    assert Institution.objects.filter(organiser=organiser).count() == 0


def test_import_lists_every_bad_value_with_line_column_and_value():
    rows = [
        ["Dinas Kesehatan", "Dinas/Teknis", "", "5103", "dinkes@"],
        ["", "desa", "", "", ""],
        ["Desa Mengwi", "desa", "Kecamatan Tidak Ada", "51.03.01.2001", ""],
    ]
    with pytest.raises(RegistryImportError) as error:
        _import(_xlsx(rows), filename="data.xlsx")
    assert _messages(error) == [
        "data.xlsx, line 2, column “type”: “Dinas/Teknis” is not a type; use lower-case words "
        "joined by underscores, e.g. perangkat_daerah, kelurahan, desa, bumd.",
        "data.xlsx, line 2, column “region code”: “5103” is not a Kemendagri region code; write "
        "it as 51, 51.03, 51.03.01 or 51.03.01.2001 (format the column as text so Excel keeps "
        "the dots and leading zeros).",
        "data.xlsx, line 2, column “e-mail”: “dinkes@” is not an e-mail address.",
        "data.xlsx, line 3, column “name”: The name is empty; every row needs the "
        "institution's name.",
        "data.xlsx, line 4, column “parent”: No institution named “Kecamatan Tidak Ada” is in "
        "this file or in the registry. Add it as a row, or correct the name.",
    ]


def test_import_refuses_parents_in_a_circle():
    rows = [["A", "desa", "B", "", ""], ["B", "desa", "A", "", ""]]
    with pytest.raises(RegistryImportError) as error:
        _import(_csv(rows))
    assert "go round in a circle" in _messages(error)[0]


def test_import_refuses_a_file_that_is_not_a_spreadsheet():
    with pytest.raises(RegistryImportError) as error:
        _import(io.BytesIO(b"%PDF-1.4"), filename="registry.pdf")
    assert "not an Excel (.xlsx) or CSV file" in _messages(error)[0]


ENTRY_HEADER = [*HEADER, "title", "category", "group", "innovators", "in use since"]


def test_import_with_entries_creates_drafts_for_repeated_institutions():
    edition = make_edition()
    rows = [
        ["Dinas Kesehatan", "perangkat_daerah", "", "51.03", "", "Posyandu Digital",
         "tata-kelola", "umum", "Tim A", dt.datetime(2022, 3, 1)],
        ["Dinas Kesehatan", "perangkat_daerah", "", "51.03", "", "Ambulans Desa",
         "Pelayanan Publik", "", "", "2021-07-01"],
        ["Desa Dalung", "desa", "", "", "", "Bank Sampah", "desa", "", "", ""],
    ]
    _, summary = _import(_xlsx(rows, header=ENTRY_HEADER), filename="inovasi.xlsx",
                         organiser=edition.organiser, edition=edition)
    assert (summary.institutions_created, summary.entries_created) == (2, 3)
    entries = list(Entry.objects.filter(edition=edition).order_by("code").values_list(
        "code", "title", "institution__name", "category__key", "group__key",
        "innovation_started_on"))
    assert entries == [
        ("DES-001", "Bank Sampah", "Desa Dalung", "desa", None, None),
        ("PP-001", "Ambulans Desa", "Dinas Kesehatan", "pelayanan-publik", None,
         dt.date(2021, 7, 1)),
        ("TK-001", "Posyandu Digital", "Dinas Kesehatan", "tata-kelola", "umum",
         dt.date(2022, 3, 1)),
    ]
    edition.refresh_from_db()
    assert edition.rules_frozen


def test_import_with_entries_refuses_conflicting_institution_details_and_duplicates():
    edition = make_edition()
    rows = [
        ["Dinas Kesehatan", "perangkat_daerah", "", "51.03", "", "Posyandu", "tata-kelola",
         "", "", ""],
        ["Dinas Kesehatan", "bumd", "", "51.03", "", "Ambulans", "tata-kelola", "", "", ""],
        ["Dinas Kesehatan", "perangkat_daerah", "", "51.03", "", "posyandu", "tata-kelola",
         "", "", ""],
        ["Desa Dalung", "desa", "", "", "", "Bank Sampah", "lomba-lain", "", "", "31-02-2020"],
    ]
    with pytest.raises(RegistryImportError) as error:
        _import(_csv([[str(c) for c in row] for row in rows], header=ENTRY_HEADER),
                organiser=edition.organiser, edition=edition)
    messages = _messages(error)
    assert messages[0] == (
        "registry.csv, line 3, column “type”: Dinas Kesehatan has “perangkat_daerah” here on "
        "line 2; one institution must have the same details on every row.")
    assert messages[1] == (
        "registry.csv, line 4, column “title”: This row repeats line 2 (same institution and "
        "title). Remove one of them.")
    assert messages[2].startswith(
        "registry.csv, line 5, column “category”: “lomba-lain” is not a category of")
    assert messages[3] == ("registry.csv, line 5, column “in use since”: “31-02-2020” is not "
                           "a date; write it as 2023-07-31 or 31/07/2023.")
    assert Entry.objects.count() == 0
    assert Institution.objects.filter(organiser=edition.organiser).count() == 0


def test_import_dry_run_checks_and_writes_nothing():
    organiser, summary = _import(_csv(BADUNG), commit=False)
    assert (summary.institutions_created, summary.committed) == (3, False)
    assert Institution.objects.filter(organiser=organiser).count() == 0


def test_import_into_an_edition_that_already_has_entries_adds_the_new_rows():
    edition = make_edition()
    dinas = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    from tests.factories_entries import make_entry

    make_entry(edition=edition, institution=dinas, title="Kanal Pengaduan Satu Pintu")
    rows = [["Dinas Kesehatan", "perangkat_daerah", "", "", "", "Posyandu Digital",
             "Tata Kelola Pemerintahan", "", "", ""],
            ["Desa Dalung", "Pemerintah Desa", "", "", "", "Bank Sampah", "desa", "", "", ""]]
    _, summary = _import(_xlsx(rows, header=ENTRY_HEADER), filename="inovasi.xlsx",
                         organiser=edition.organiser, edition=edition)
    assert summary.entries_created == 2
    assert sorted(Entry.objects.filter(edition=edition).values_list("code", "title")) == [
        ("DES-001", "Bank Sampah"), ("TK-001", "Kanal Pengaduan Satu Pintu"),
        ("TK-002", "Posyandu Digital")]
    # A type written as the template's name is stored as the template's type.
    assert Institution.objects.get(name="Desa Dalung").kind == "desa"


def test_import_names_the_row_that_repeats_an_entry_already_in_the_edition():
    edition = make_edition()
    dinas = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    from tests.factories_entries import make_entry

    existing = make_entry(edition=edition, institution=dinas,
                          title="Kanal pengaduan satu pintu")
    rows = [["Dinas Kesehatan", "perangkat_daerah", "", "", "", "Posyandu Digital",
             "tata-kelola", "", "", ""],
            ["Dinas Kesehatan", "perangkat_daerah", "", "", "", "KANAL PENGADUAN SATU PINTU",
             "tata-kelola", "", "", ""]]
    with pytest.raises(RegistryImportError) as error:
        _import(_xlsx(rows, header=ENTRY_HEADER), filename="inovasi.xlsx",
                organiser=edition.organiser, edition=edition)
    assert _messages(error) == [
        f"inovasi.xlsx, line 3, column “title”: Dinas Kesehatan already has the entry "
        f"{existing.code} with this title in {edition}."]
    assert list(Entry.objects.filter(edition=edition)) == [existing]


def test_import_checks_the_type_column_against_the_edition_types():
    edition = make_edition()
    rows = [["Pemerintah Desa Belik", "pemdes", "", "", "", "Bank Sampah", "desa", "", "",
             ""]]
    with pytest.raises(RegistryImportError) as error:
        _import(_xlsx(rows, header=ENTRY_HEADER), filename="inovasi.xlsx",
                organiser=edition.organiser, edition=edition)
    assert _messages(error) == [
        f"inovasi.xlsx, line 2, column “type”: “pemdes” is not an institution type of "
        f"{edition}; write one of: Perangkat Daerah, Kelurahan, Pemerintah Desa, BUMD."]
    assert error.value.problems[0].value == "pemdes"
    assert Institution.objects.filter(organiser=edition.organiser).count() == 0


def test_import_refuses_a_group_reserved_for_past_winners_row_by_row():
    from sayembara.entries.models import PastWinner

    edition = make_edition(year=2026)  # past-winner years shift to 2020 and 2021
    winner = InstitutionFactory(organiser=edition.organiser, name="Kota Bandung")
    PastWinner.objects.create(competition=edition.competition, year=2021, institution=winner,
                              rank=1, award="Juara 1")
    rows = [
        ["Kota Bandung", "perangkat_daerah", "", "", "", "Lapor Bandung", "tata-kelola",
         "Outstanding Achievement", "", ""],
        ["Kota Bogor", "perangkat_daerah", "", "", "", "Sapa Warga", "tata-kelola",
         "outstanding", "", ""],
        ["Desa Dalung", "desa", "", "", "", "Bank Sampah", "tata-kelola", "", "", ""],
    ]
    with pytest.raises(RegistryImportError) as error:
        _import(_xlsx(rows, header=ENTRY_HEADER), filename="inovasi.xlsx",
                organiser=edition.organiser, edition=edition)
    assert _messages(error) == [
        "inovasi.xlsx, line 3, column “group”: The group Outstanding Achievement is reserved "
        "for winners of Kompetisi Inovasi Uji in 2020, 2021; Kota Bogor is not among them.",
        "inovasi.xlsx, line 4, column “category”: The category Tata Kelola Pemerintahan is "
        "open to Perangkat Daerah, BUMD; Desa Dalung is registered as Pemerintah Desa.",
    ]
    assert [problem.value for problem in error.value.problems] == ["outstanding",
                                                                   "tata-kelola"]
    assert Entry.objects.count() == 0
    assert Institution.objects.filter(organiser=edition.organiser).count() == 1
