"""Judges read the documents of the entries assigned to them, through the one
permission-checked download; nobody else does (the same 404 as for a missing file); on a
blind stage they read the secretariat's redacted copy under a neutral name."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sayembara.competitions.enums import StageStatus
from sayembara.entries.enums import DocumentKind
from sayembara.entries.models import EntryDocument
from sayembara.judging.models import RedactedDocument
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.conflicts import declare_conflict
from tests.factories_entries import pdf_bytes
from tests.factories_judging import make_judge, make_organiser_user, scored_stage, small_template
from tests.pages import same_page

pytestmark = pytest.mark.django_db

DOCUMENTS = """
entry_form:
  documents:
    - {id: laporan, title: Laporan kinerja, kinds: [pdf], max_size_mb: 5, year_offset: -1}
  statements:
    - {id: pernyataan, title: Surat pernyataan keaslian, document: true}
"""


def store_document(entry, *, kind=DocumentKind.DOCUMENT, slot="laporan",
                   name="laporan-dinas-kesehatan.pdf", content=None):
    content = content or pdf_bytes()
    document = EntryDocument(entry=entry, kind=kind, slot=slot, original_name=name,
                             file_type="pdf", size=len(content),
                             sha256=hashlib.sha256(content).hexdigest())
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


@pytest.fixture
def setting(monkeypatch):
    import tests.factories_judging as factories

    template = small_template(extra=DOCUMENTS)
    monkeypatch.setattr(factories, "small_template", lambda **_kw: template)
    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=2)
    entry = entries[0]
    document = store_document(entry)
    statement = store_document(entry, kind=DocumentKind.STATEMENT, slot="pernyataan",
                               name="pernyataan-bermaterai.pdf")
    return edition, stage, entry, judges, document, statement


def _download(client, document, **query):
    return client.get(reverse("participation:document", args=[document.pk]), query)


def test_assigned_judge_opens_and_downloads_every_document_from_the_sheet(client, setting):
    _edition, stage, entry, judges, document, statement = setting
    client.force_login(judges[0].user)
    page = client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])).content.decode()
    for doc in (document, statement):
        url = reverse("participation:document", args=[doc.pk])
        assert f'href="{url}"' in page and f'href="{url}?unduh=1"' in page
    assert "Laporan kinerja (2023)" in page and "Surat pernyataan keaslian" in page
    assert "/_private/" not in page
    inline = _download(client, document)
    assert inline.status_code == 200
    assert inline["Content-Disposition"].startswith("inline")
    assert b"".join(inline.streaming_content) == pdf_bytes()
    saved = _download(client, statement, unduh="1")
    assert saved["Content-Disposition"] == 'attachment; filename="pernyataan-bermaterai.pdf"'


def test_conflicted_and_unassigned_judges_get_the_404_of_a_missing_file(client, setting):
    edition, _stage, entry, judges, document, _statement = setting
    missing = reverse("participation:document", args=[document.pk + 1000])
    declare_conflict(judge=judges[1], entry=entry, reason="Mantan pegawai", actor="s")
    outsider = make_judge(edition)  # a judge of the edition, never given this entry
    for judge in (judges[1], outsider):
        client.force_login(judge.user)
        refused = _download(client, document)
        assert refused.status_code == 404
        assert same_page(refused) == same_page(client.get(missing))
    client.force_login(judges[0].user)
    assert _download(client, document).status_code == 200


def test_a_stage_not_yet_open_does_not_open_its_documents(client, setting):
    edition, stage, entry, _judges, document, _statement = setting
    later = edition.stages.get(key="wawancara")
    newcomer = make_judge(edition)
    assign(stage=later, judge=newcomer, entry=entry, actor="s")
    client.force_login(newcomer.user)
    assert later.status == StageStatus.PENDING
    assert _download(client, document).status_code == 404
    later.status = StageStatus.OPEN
    later.save(update_fields=["status"])
    assert _download(client, document).status_code == 200
    later.status = StageStatus.CLOSED
    later.save(update_fields=["status"])
    assert _download(client, document).status_code == 200  # still theirs to read


def test_blind_stage_judges_read_the_redacted_copy_under_a_neutral_name(client, setting):
    edition, stage, entry, judges, document, _statement = setting
    stage.blind = True
    stage.save(update_fields=["blind"])
    client.force_login(judges[0].user)
    page = client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])).content.decode()
    assert "laporan-dinas-kesehatan.pdf" not in page
    assert f"{entry.code.lower()}-laporan.pdf" in page
    plain = _download(client, document, unduh="1")
    assert plain["Content-Disposition"] == (
        f'attachment; filename="{entry.code.lower()}-laporan.pdf"')
    redacted_bytes = pdf_bytes(900)
    copy = RedactedDocument(document=document, file_type="pdf", size=len(redacted_bytes),
                            sha256=hashlib.sha256(redacted_bytes).hexdigest())
    copy.file.save("x.pdf", ContentFile(redacted_bytes), save=False)
    copy.save()
    page = client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])).content.decode()
    assert "copy without the participant's identity" in page
    assert b"".join(_download(client, document).streaming_content) == redacted_bytes
    client.force_login(make_organiser_user(edition))  # the organiser keeps the original
    original = _download(client, document, unduh="1")
    assert b"".join(original.streaming_content) == pdf_bytes()
    assert original["Content-Disposition"] == (
        'attachment; filename="laporan-dinas-kesehatan.pdf"')


def _upload(name="tersamar.pdf", content=None, content_type="application/pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content or pdf_bytes(700), content_type=content_type)


def test_secretariat_uploads_a_redacted_copy_that_blind_judges_read(client, setting):
    """10.3: on a blind stage the secretariat supplies a copy without the participant's
    identity from the entry page; judges of that stage read it, the secretariat keeps the
    original, and the upload and its removal are audited."""
    from sayembara.common.models import AuditEvent

    edition, stage, entry, judges, document, _statement = setting
    organiser = make_organiser_user(edition)
    client.force_login(organiser)
    entry_url = reverse("participation:entry_detail", args=[entry.pk])
    copy_url = reverse("jury:redacted_copy", args=[document.pk])
    assert copy_url not in client.get(entry_url).content.decode()  # no blind stage yet
    refused = client.post(copy_url, {"file": _upload()}, follow=True).content.decode()
    assert "is judged blind, so judges read the original documents" in refused
    stage.blind = True
    stage.save(update_fields=["blind"])
    page = client.get(entry_url).content.decode()
    assert f'action="{copy_url}"' in page and "Judges of blind stages read the original" in page
    wrong = client.post(copy_url, {"file": _upload("tersamar.pdf", b"MZ\x90\x00" * 50,
                                                   "application/pdf")}, follow=True)
    assert "judged by its content rather than its name; “Laporan kinerja” accepts only" \
        in wrong.content.decode()
    assert not RedactedDocument.objects.filter(document=document).exists()
    redacted = pdf_bytes(700)
    response = client.post(copy_url, {"file": _upload(content=redacted)})
    assert response.status_code == 302
    assert response["Location"] == f"{entry_url}#berkas-{document.pk}"
    page = client.get(entry_url).content.decode()
    assert "Redacted copy for blind stages" in page
    assert b"".join(client.get(copy_url).streaming_content) == redacted
    assert AuditEvent.objects.filter(action="document.redacted_copy_added").count() == 1

    client.force_login(judges[0].user)
    assert b"".join(_download(client, document).streaming_content) == redacted
    assert client.get(copy_url).status_code == 404  # the secretariat's page, not theirs

    client.force_login(organiser)
    client.post(copy_url, {"remove": "1"})
    assert not RedactedDocument.objects.filter(document=document).exists()
    assert AuditEvent.objects.filter(action="document.redacted_copy_removed").count() == 1
    client.force_login(judges[0].user)
    assert b"".join(_download(client, document).streaming_content) == pdf_bytes()


def test_field_visit_evidence_opens_through_the_checked_download(client, setting):
    """A field visit's photo or document is served to the entry's judges and the
    secretariat, never from the web root; a conflicted judge gets the 404 of a missing
    file."""
    from sayembara.judging.models import FieldEvidence, FieldVisit

    edition, stage, entry, judges, _document, _statement = setting
    visit = FieldVisit.objects.create(stage=stage, entry=entry)
    evidence = FieldEvidence(visit=visit, caption="Papan alur layanan")
    evidence.file.save("papan.pdf", ContentFile(pdf_bytes()), save=False)
    evidence.save()
    url = reverse("jury:field_evidence_file", args=[evidence.pk])
    client.force_login(judges[0].user)
    shown = client.get(url)
    assert shown.status_code == 200 and shown["Content-Type"] == "application/pdf"
    assert shown["Content-Disposition"] == f'inline; filename="lapangan-{entry.code.lower()}-' \
        f'{evidence.pk}.pdf"'
    assert client.get(url, {"unduh": "1"})["Content-Disposition"].startswith("attachment;")
    declare_conflict(judge=judges[1], entry=entry, reason="Kerabat", actor="test")
    client.force_login(judges[1].user)
    assert client.get(url).status_code == 404
    client.force_login(make_organiser_user(edition))
    assert client.get(url).status_code == 200
