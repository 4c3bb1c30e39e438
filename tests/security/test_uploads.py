"""Hostile uploads are refused with a sentence, within bounded memory, and leave a trace."""

from __future__ import annotations

import datetime as dt
import io
import tracemalloc

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sayembara.common.models import AuditEvent
from sayembara.entries.validators import check_upload, sniff_file
from tests import factories_public as f
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    docx_bytes,
    make_edition,
    make_entry,
    make_operator,
    pdf_upload,
)
from tests.security.bombs import MB, crowded_zip, zip_bomb

pytestmark = pytest.mark.django_db


def test_sniffing_a_zip_bomb_reads_a_few_kilobytes_and_refuses_it():
    bomb = zip_bomb(300)
    assert len(bomb) < 400 * 1024
    upload = SimpleUploadedFile("bomb.pdf", bomb)
    tracemalloc.start()
    try:
        with pytest.raises(ValidationError) as refused:
            check_upload(upload, kinds=["pdf", "docx"], max_size_mb=10, purpose="Laporan")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * MB
    assert refused.value.messages == [
        "The file “bomb.pdf” is an archive that would expand to 300.0 MB, far more than any "
        "document needs, and is refused because opening it could stop the server. Save the "
        "document again from its program (or as PDF) and upload that file."]


def test_an_archive_listing_too_many_files_is_refused_before_it_is_listed():
    sniffed = sniff_file(io.BytesIO(crowded_zip(12_000)))
    assert (sniffed.file_type, sniffed.bomb) == (None, True)
    assert sniffed.description == (
        "an archive listing 12000 files, far more than any document holds")


def test_one_member_compressed_a_thousand_times_is_refused_under_the_total_bound():
    sniffed = sniff_file(io.BytesIO(zip_bomb(20, member="word/media/image1.png")))
    assert sniffed.bomb
    assert "would expand to 20.0 MB" in sniffed.description


def test_a_real_word_document_is_still_recognised():
    assert sniff_file(io.BytesIO(docx_bytes())).file_type == "docx"


@pytest.fixture
def operator_entry(client):
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kuta")
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)
    client.force_login(operator)
    return entry, operator


def _form(entry, **changes):
    data = {"version": entry.version, "title": entry.title, "category": entry.category_id,
            "group": "", "innovators": "", "innovation_started_on": "2023-01-10",
            "summary": "", "section__ringkasan": "Antrean daring.", "video_url": "",
            "video_length": ""}
    data.update(changes)
    return data


def test_zip_bomb_named_pdf_is_refused_on_the_entry_form_and_recorded(client, operator_entry):
    entry, operator = operator_entry
    bomb = SimpleUploadedFile("bomb.pdf", zip_bomb(300))
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form(entry, **{"upload__document__laporan": bomb}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "The file “bomb.pdf” is an archive that would expand to 300.0 MB" in page
    assert "Antrean daring." in page  # what was typed is kept
    assert entry.documents.count() == 0
    event = AuditEvent.objects.get(action="security.upload_refused")
    assert (event.actor, event.edition_id, event.object_id) == (
        operator, entry.edition_id, str(entry.pk))
    assert event.after == {"name": "bomb.pdf", "size": len(zip_bomb(300)),
                           "purpose": "Laporan kinerja tahun sebelumnya",
                           "problem": ["archive_too_large"]}


def test_registry_import_refuses_an_excel_bomb_with_a_sentence():
    from sayembara.entries.services.spreadsheet_import import RegistryImportError, read_rows

    with pytest.raises(RegistryImportError) as refused:
        list(read_rows(io.BytesIO(zip_bomb(300, member="xl/worksheets/sheet1.xml")),
                       "registry.xlsx"))
    assert refused.value.problems[0].message == (
        "The Excel file is an archive that would expand to 300.0 MB, far more than any "
        "document needs, and is refused because reading it could stop the server. Open it in "
        "Excel or LibreOffice, save it again as .xlsx and import that file.")


# --- Uji publik attachments (10.12) -----------------------------------------------------


@pytest.fixture
def uji_publik(client, settings):
    f.reset_public_state(settings)
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    finalist = f.entry(edition, title="Finalis Pertama")
    f.stage_result(stage, finalist, score=90, rank=1, advanced=True)
    f.confirm_stage(stage, at=timezone.now() - dt.timedelta(days=1))
    return edition, finalist


def _feedback(finalist, attachment):
    return {"entry": finalist.pk, "kind": "objection", "name": "Ketut",
            "email": "ketut@contoh.id", "text": "Inovasi ini belum berjalan.",
            "attachment": attachment} | f.solved("feedback")


def test_uji_publik_refuses_a_program_named_html_and_keeps_the_message(client, uji_publik):
    from sayembara.judging.models import Objection

    edition, finalist = uji_publik
    elf = SimpleUploadedFile("evilscript.html", b"\x7fELF\x02\x01\x01" + b"\0" * (2 * MB))
    response = client.post(reverse("public:uji_publik_feedback", kwargs={"slug": edition.slug}),
                           _feedback(finalist, elf))
    page = response.content.decode()
    assert response.status_code == 400
    assert ("The file “evilscript.html” is a Linux program, judged by its content rather than "
            "its name") in page
    assert "Inovasi ini belum berjalan." in page
    assert Objection.objects.count() == 0
    event = AuditEvent.objects.get(action="security.upload_refused")
    assert (event.edition_id, event.after["source"], event.after["name"]) == (
        edition.pk, "uji_publik", "evilscript.html")


def test_uji_publik_refuses_an_attachment_over_the_evidence_limit(client, uji_publik):
    edition, finalist = uji_publik
    response = client.post(reverse("public:uji_publik_feedback", kwargs={"slug": edition.slug}),
                           _feedback(finalist, pdf_upload(size=21 * MB)))
    assert response.status_code == 400
    assert "the largest file allowed for “evidence for the public test” is 20 MB" in (
        response.content.decode())


def test_uji_publik_attachment_is_stored_under_its_type_and_served_to_the_organiser_only(
        client, uji_publik):
    from sayembara.judging.models import Objection
    from tests.factories import UserFactory, grant

    edition, finalist = uji_publik
    sent = client.post(reverse("public:uji_publik_feedback", kwargs={"slug": edition.slug}),
                       _feedback(finalist, pdf_upload("bukti <script>.html")))
    assert sent.status_code == 302
    objection = Objection.objects.get()
    assert objection.attachment.name.endswith(".pdf")
    assert "script" not in objection.attachment.name
    url = reverse("jury:objection_attachment", args=[objection.pk])
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    organiser = UserFactory()
    grant(organiser, "organiser", organiser=edition.organiser)
    client.force_login(organiser)
    ruling = client.get(reverse("jury:ruling", args=[objection.pk])).content.decode()
    assert f'href="{url}"' in ruling
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
