import pytest
from django.core.exceptions import ValidationError

from sayembara.common.models import AuditEvent
from sayembara.entries.enums import DocumentKind, EntryState
from sayembara.entries.models import DraftCopy, EntryDocument
from sayembara.entries.services.drafts import (
    add_document,
    draft_data,
    remove_document,
    save_draft,
    use_copy,
)
from sayembara.entries.services.entries import EntryStateError, set_entry_state
from tests.factories_entries import (
    exe_upload,
    make_edition,
    make_entry,
    pdf_upload,
    png_upload,
)

pytestmark = pytest.mark.django_db


def _with(entry, **changes):
    data = draft_data(entry)
    data.update(changes)
    return data


def test_save_draft_stores_text_and_bumps_version():
    entry = make_entry(edition=make_edition())
    result = save_draft(entry=entry, data=_with(entry, proposal={"ringkasan": "Teks baru"}),
                        base_version=1, actor="test")
    entry.refresh_from_db()
    assert result.saved is True
    assert entry.version == 2
    assert entry.proposal == {"ringkasan": "Teks baru"}
    assert AuditEvent.objects.filter(action="entry.draft_saved").count() == 1


def test_save_draft_unchanged_saves_nothing():
    entry = make_entry(edition=make_edition())
    result = save_draft(entry=entry, data=draft_data(entry), base_version=1, actor="test")
    entry.refresh_from_db()
    assert (result.saved, result.copy, entry.version) == (False, None, 1)


def test_save_draft_from_a_stale_tab_keeps_both_texts():
    entry = make_entry(edition=make_edition())
    first_tab = _with(entry, proposal={"ringkasan": "Teks dari tab pertama"})
    second_tab = _with(entry, proposal={"ringkasan": "Teks dari tab kedua"})
    save_draft(entry=entry, data=first_tab, base_version=1, actor="test")
    result = save_draft(entry=entry, data=second_tab, base_version=1, actor="test")
    entry.refresh_from_db()
    assert result.saved is False
    assert entry.proposal == {"ringkasan": "Teks dari tab pertama"}
    assert entry.version == 2
    copy = DraftCopy.objects.get(entry=entry)
    assert copy.data["proposal"] == {"ringkasan": "Teks dari tab kedua"}
    assert (copy.based_on_version, copy.saved_over_version) == (1, 2)


def test_use_copy_swaps_texts_and_keeps_the_other_as_copy():
    entry = make_entry(edition=make_edition())
    save_draft(entry=entry, data=_with(entry, proposal={"ringkasan": "A"}), base_version=1,
               actor="test")
    result = save_draft(entry=entry, data=_with(entry, proposal={"ringkasan": "B"}),
                        base_version=1, actor="test")
    use_copy(copy=result.copy, actor="test")
    entry.refresh_from_db()
    assert entry.proposal == {"ringkasan": "B"}
    assert entry.version == 3
    kept = DraftCopy.objects.filter(entry=entry).exclude(pk=result.copy.pk).get()
    assert kept.data["proposal"] == {"ringkasan": "A"}


def test_save_draft_stores_claims_with_level_label_and_score():
    entry = make_entry(edition=make_edition())
    save_draft(entry=entry, data=_with(entry, claims={"regulasi": {"level": 1, "note": "SK"}},
                                       affirmations=["kesediaan-replikasi", "sk-inovasi"]),
               base_version=1, actor="test")
    claim = entry.claims.get()
    assert (claim.item, claim.level, claim.label, str(claim.score)) == (
        "regulasi", 1, "SK Kepala Perangkat Daerah", "50.000")
    # sk-inovasi needs a signed document, so a tick does not count for it.
    assert list(entry.affirmations.values_list("statement", flat=True)) == [
        "kesediaan-replikasi"]


def test_save_draft_refused_once_submitted():
    entry = make_entry(edition=make_edition())
    set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor="test")
    with pytest.raises(EntryStateError) as error:
        save_draft(entry=entry, data=_with(entry, title="Lain"), base_version=1, actor="test")
    assert "can no longer be changed" in str(error.value)


def test_add_document_stores_file_outside_web_root_with_hash(settings):
    entry = make_entry(edition=make_edition())
    document = add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                            upload=pdf_upload("Laporan 2023.pdf"), actor="test")
    assert document.file_type == "pdf"
    assert document.original_name == "Laporan 2023.pdf"
    assert document.file.path.startswith(str(settings.MEDIA_ROOT))
    assert document.file.name.endswith(".pdf")
    assert "Laporan" not in document.file.name
    assert len(document.sha256) == 64


def test_add_document_refuses_executable_posing_as_pdf_and_writes_nothing(settings):
    entry = make_entry(edition=make_edition())
    with pytest.raises(ValidationError) as error:
        add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                     upload=exe_upload("laporan.pdf"), actor="test")
    assert "a Windows program" in error.value.messages[0]
    assert EntryDocument.objects.count() == 0


def test_add_document_refuses_file_over_the_templates_limit():
    entry = make_entry(edition=make_edition())
    with pytest.raises(ValidationError) as error:
        add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                     upload=pdf_upload(size=1_200_000), actor="test")
    assert "the largest file allowed for “Laporan kinerja tahun sebelumnya” is 1 MB" in (
        error.value.messages[0])


def test_add_document_replaces_single_file_slot_and_keeps_multiple_ones(
        django_capture_on_commit_callbacks):
    entry = make_entry(edition=make_edition())
    with django_capture_on_commit_callbacks(execute=True):
        first = add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                             upload=pdf_upload("v1.pdf"), actor="test")
        add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                     upload=pdf_upload("v2.pdf"), actor="test")
    add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="foto", upload=png_upload("a.png"),
                 actor="test")
    add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="foto", upload=png_upload("b.png"),
                 actor="test")
    names = sorted(entry.documents.values_list("original_name", flat=True))
    assert names == ["a.png", "b.png", "v2.pdf"]
    assert not first.file.storage.exists(first.file.name)


def test_remove_document_deletes_row_and_file(django_capture_on_commit_callbacks):
    entry = make_entry(edition=make_edition())
    document = add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="laporan",
                            upload=pdf_upload(), actor="test")
    path = document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        remove_document(document=document, actor="test")
    assert entry.documents.count() == 0
    assert not document.file.storage.exists(path)


def test_add_document_refuses_slot_the_form_does_not_have():
    entry = make_entry(edition=make_edition())
    with pytest.raises(EntryStateError):
        add_document(entry=entry, kind=DocumentKind.DOCUMENT, slot="tidak-ada",
                     upload=pdf_upload(), actor="test")
