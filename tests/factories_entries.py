"""Factories and a test competition template for the participant journey (tests only)."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from sayembara.competitions.services.editions import create_edition
from sayembara.entries.models import Entry
from sayembara.entries.services.entries import create_entry
from sayembara.template_format import parse_template
from tests.factories import InstitutionFactory, OrganiserFactory, Role, UserFactory, grant

#: A KIPP-like competition using every part of the entry form and every eligibility rule.
TEMPLATE_YAML = """
name: kipp-uji
competition: Kompetisi Inovasi Uji
title: Kompetisi Inovasi Uji 2024
organiser: BRIDA Kabupaten Uji
year: 2024
time_zone: WITA
institution_types:
  - {id: perangkat_daerah, name: Perangkat Daerah}
  - {id: kelurahan, name: Kelurahan}
  - {id: desa, name: Pemerintah Desa}
  - {id: bumd, name: BUMD}
categories:
  - {id: tata-kelola, name: Tata Kelola Pemerintahan, institution_types: [perangkat_daerah, bumd]}
  - {id: pelayanan-publik, name: Pelayanan Publik}
  - {id: desa, name: Inovasi Desa, institution_types: [desa]}
groups:
  - {id: umum, name: Umum, kind: umum}
  - id: outstanding
    name: Outstanding Achievement
    kind: outstanding
    categories: [tata-kelola, pelayanan-publik]
    past_winners: {years: [2018, 2019]}
timeline:
  submission_deadline: 2024-05-31 16:00
  phases:
    - {id: pengumpulan, name: Pengumpulan proposal, start: 2024-05-01, end: 2024-05-31}
eligibility:
  min_innovation_age_months: 12
  max_entries_per_institution: 2
  refuse_duplicate_titles: true
  mandatory:
    institution_types: [perangkat_daerah]
    institutions: [RSUD Maria Walanda Maramis]
entry_form:
  sections:
    - {id: ringkasan, title: Ringkasan, max_words: 20}
    - {id: latar-belakang, title: Latar belakang dan tujuan, max_words: 30}
    - {id: keberlanjutan, title: Strategi keberlanjutan, max_words: 50, required: false}
  statements:
    - {id: sk-inovasi, title: SK Kepala Daerah tentang inovasi}
    - {id: kesediaan-replikasi, title: Kesediaan direplikasi, document: false}
  documents:
    - id: laporan
      title: Laporan kinerja tahun sebelumnya
      kinds: [pdf]
      max_size_mb: 1
      year_offset: -1
    - {id: foto, title: Foto kegiatan, kinds: [jpg, png], max_size_mb: 1, required: false,
       multiple: true}
  self_assessment:
    - id: regulasi
      question: Apakah inovasi memiliki dasar hukum?
      rubric: substansi
      criterion: regulasi
  video:
    min_seconds: 60
    max_seconds: 120
rubrics:
  - id: substansi
    name: Substansi
    criteria:
      - id: regulasi
        name: Dasar hukum
        weight: 40
        kind: ordinal
        levels:
          - {score: 0, label: Tidak ada, evidence: Tidak ada dokumen}
          - {score: 50, label: SK Kepala Perangkat Daerah, evidence: SK Kepala Perangkat Daerah}
          - {score: 100, label: Peraturan Kepala Daerah, evidence: Perbup atau Perwali}
      - {id: kebaruan, name: Kebaruan, weight: 60}
stages:
  - {id: penilaian, name: Penilaian proposal, kind: weighted, weight: 100, rubric: substansi}
"""


def kipp_template():
    return parse_template(TEMPLATE_YAML, source="kipp-uji.yaml")


def make_edition(*, organiser=None, year: int | None = None, actor=None,
                 deadline: dt.datetime | None = None, opens: dt.datetime | None = None,
                 status: str = "open"):
    """An edition of the test template, open for entries unless ``status`` says otherwise;
    the deadline defaults to ten days from now."""
    organiser = organiser or OrganiserFactory()
    year = year or timezone.now().year
    edition = create_edition(template=kipp_template(), year=year, organiser=organiser,
                             actor=actor or "test")
    edition.submission_deadline = deadline or timezone.now() + dt.timedelta(days=10)
    edition.submission_opens_at = opens
    edition.status = status
    edition.save(update_fields=["submission_deadline", "submission_opens_at", "status"])
    return edition


def make_operator(institution, **kwargs):
    user = UserFactory(**kwargs)
    grant(user, Role.OPERATOR, institution=institution)
    return user


def make_organiser_user(organiser, **kwargs):
    user = UserFactory(**kwargs)
    grant(user, Role.ORGANISER, organiser=organiser)
    return user


def make_entry(*, edition, institution=None, category_key: str = "tata-kelola",
               title: str = "Layanan Antar Dokumen Kependudukan", actor="test", **fields):
    institution = institution or InstitutionFactory(organiser=edition.organiser)
    entry = create_entry(edition=edition, institution=institution,
                         category=edition.categories.get(key=category_key), title=title,
                         actor=actor)
    if fields:
        Entry.objects.filter(pk=entry.pk).update(**fields)
        entry.refresh_from_db()
    return entry


# -- files -----------------------------------------------------------------------------------

def pdf_bytes(size: int = 0) -> bytes:
    body = (b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
            b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n")
    return body + b"%" + b"0" * max(0, size - len(body) - 8) + b"\n%%EOF\n"


def pdf_upload(name: str = "laporan.pdf", size: int = 0) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(size), content_type="application/pdf")


def exe_upload(name: str = "laporan.pdf") -> SimpleUploadedFile:
    """A Windows program renamed to look like a PDF."""
    return SimpleUploadedFile(name, b"MZ\x90\x00\x03" + b"\x00" * 200 + b"This program cannot "
                              b"be run in DOS mode.", content_type="application/pdf")


PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06"
             b"\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01"
             b"\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def png_upload(name: str = "foto.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PNG_BYTES, content_type="image/png")


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


class EntryFactory(factory.django.DjangoModelFactory):
    """A bare entry row (for list pages); use make_entry for the service path."""

    class Meta:
        model = Entry

    institution = factory.LazyAttribute(
        lambda o: InstitutionFactory(organiser=o.edition.organiser))
    category = factory.LazyAttribute(lambda o: o.edition.categories.order_by("order").first())
    code = factory.Sequence(lambda n: f"E-{n:04d}")
    title = factory.Sequence(lambda n: f"Inovasi nomor {n}")


def complete_entry(entry, *, actor, started_on: dt.date | None = None):
    """Fill every part of the test template's form so the entry can be submitted."""
    from sayembara.entries.enums import DocumentKind
    from sayembara.entries.services.drafts import add_document, draft_data, save_draft

    data = draft_data(entry)
    data.update(
        proposal={"ringkasan": "Warga menerima dokumen kependudukan di rumah.",
                  "latar-belakang": "Antrean panjang di kantor dinas setiap pagi."},
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        video_seconds=90,
        innovation_started_on=(started_on or dt.date(entry.edition.year - 2, 1, 15)).isoformat(),
        claims={"regulasi": {"level": 2, "note": "Perbup Nomor 12"}},
        affirmations=["kesediaan-replikasi"],
    )
    save_draft(entry=entry, data=data, base_version=entry.version, actor=actor)
    entry.refresh_from_db()
    add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                 upload=pdf_upload(), actor=actor)
    add_document(entry=entry, kind=DocumentKind.STATEMENT, slot="sk-inovasi",
                 upload=pdf_upload("sk.pdf"), actor=actor)
    add_document(entry=entry, kind=DocumentKind.EVIDENCE, slot="regulasi",
                 upload=pdf_upload("perbup.pdf"), actor=actor)
    entry.refresh_from_db()
    return entry
