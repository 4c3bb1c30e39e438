"""The operator's pages: start, edit with word limits, uploads, autosave, conflicts, submit."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from sayembara.entries.enums import EntryState
from sayembara.entries.models import DraftCopy, Entry
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    complete_entry,
    exe_upload,
    make_edition,
    make_entry,
    make_operator,
    pdf_upload,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator_entry(client):
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser, name="Dinas Kependudukan")
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)
    client.force_login(operator)
    return entry, operator


def _form_data(entry, **changes):
    data = {
        "version": entry.version, "title": entry.title, "category": entry.category_id,
        "group": "", "innovators": "Budi\nSari", "innovation_started_on": "2023-01-10",
        "summary": "", "section__ringkasan": "Dokumen diantar ke rumah warga.",
        "section__latar-belakang": "Antrean panjang.", "section__keberlanjutan": "",
        "claim__regulasi": "1", "claimnote__regulasi": "SK Kadis",
        "video_url": "https://youtu.be/dQw4w9WgXcQ", "video_length": "1:30",
        "affirm__kesediaan-replikasi": "on",
    }
    data.update(changes)
    return data


def test_entry_start_creates_draft_and_opens_form(client):
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser)
    client.force_login(make_operator(institution))
    response = client.post(reverse("participation:entry_start", args=[edition.slug]), {
        "institution": institution.pk, "category": edition.categories.get(key="tata-kelola").pk,
        "group": "", "title": "Sistem Antrean Daring",
    })
    entry = Entry.objects.get()
    assert response["Location"] == reverse("participation:entry_edit", args=[entry.pk])
    assert (entry.title, entry.state, entry.institution) == (
        "Sistem Antrean Daring", EntryState.DRAFT, institution)


def test_entry_start_refuses_a_group_reserved_for_past_winners_before_any_draft(client):
    edition = make_edition(year=2026)  # past-winner years shift to 2020 and 2021
    institution = InstitutionFactory(organiser=edition.organiser, name="Kota Bogor")
    client.force_login(make_operator(institution))
    data = {"institution": institution.pk,
            "category": edition.categories.get(key="tata-kelola").pk,
            "group": edition.groups.get(key="outstanding").pk, "title": "Sapa Warga"}
    response = client.post(reverse("participation:entry_start", args=[edition.slug]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["group"] == [
        "The group Outstanding Achievement is reserved for winners of Kompetisi Inovasi Uji "
        "in 2020, 2021; Kota Bogor is not among them."]
    assert 'value="Sapa Warga"' in response.content.decode()
    assert Entry.objects.count() == 0


def test_edit_refuses_moving_a_draft_into_a_group_reserved_for_past_winners(
        client, operator_entry):
    entry, _operator = operator_entry
    group = entry.edition.groups.get(key="outstanding")
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form_data(entry, group=group.pk))
    assert response.status_code == 422
    assert "is reserved for winners of Kompetisi Inovasi Uji" in response.content.decode()
    entry.refresh_from_db()
    assert entry.group_id is None


def test_entry_start_refuses_institution_of_someone_else(client):
    edition = make_edition()
    mine = InstitutionFactory(organiser=edition.organiser)
    theirs = InstitutionFactory(organiser=edition.organiser)
    client.force_login(make_operator(mine))
    response = client.post(reverse("participation:entry_start", args=[edition.slug]), {
        "institution": theirs.pk, "category": edition.categories.first().pk, "title": "X",
    })
    assert response.status_code == 200
    assert response.context["form"].errors["institution"]
    assert Entry.objects.count() == 0


def test_edit_page_shows_word_limits_and_live_counters(client, operator_entry):
    entry, _ = operator_entry
    page = client.get(reverse("participation:entry_edit", args=[entry.pk])).content.decode()
    assert 'data-max-words="20"' in page
    assert "<small data-word-count" in page
    assert "Laporan kinerja tahun sebelumnya" in page
    assert f"Covering {entry.edition.year - 1}." in page


def test_edit_refuses_section_over_limit_and_keeps_everything_typed(client, operator_entry):
    entry, _ = operator_entry
    too_long = " ".join(["kata"] * 25)
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form_data(entry, **{"section__ringkasan": too_long,
                                                "innovators": "Tim Inovasi Dukcapil"}))
    page = response.content.decode()
    assert response.status_code == 422
    assert "“Ringkasan” has 25 words; the limit is 20. Shorten it by 5 words." in page
    assert too_long in page
    assert "Tim Inovasi Dukcapil" in page
    assert "Antrean panjang." in page
    entry.refresh_from_db()
    assert (entry.version, entry.proposal) == (1, {})


@pytest.mark.parametrize(
    ("url", "words"),
    [("http://youtu.be/dQw4w9WgXcQ", "does not start with https://"),
     ("https://10.0.0.5/video.mp4", "bare IP address")],
)
def test_edit_refuses_bad_video_link_and_keeps_the_rest(client, operator_entry, url, words):
    entry, _ = operator_entry
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form_data(entry, video_url=url))
    page = response.content.decode()
    assert response.status_code == 422
    assert words in page
    assert "Dokumen diantar ke rumah warga." in page


def test_edit_refuses_video_length_outside_the_limits(client, operator_entry):
    entry, _ = operator_entry
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form_data(entry, video_length="2:30"))
    assert "The video is 2:30 long; this competition accepts videos of 1:00 to 2:00" in (
        response.content.decode())


def test_edit_refuses_renamed_executable_and_saves_nothing(client, operator_entry):
    entry, _ = operator_entry
    data = _form_data(entry, **{"upload__document__laporan": exe_upload("laporan.pdf")})
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]), data)
    page = response.content.decode()
    assert response.status_code == 422
    assert "The file “laporan.pdf” is a Windows program" in page
    assert "Dokumen diantar ke rumah warga." in page
    entry.refresh_from_db()
    assert entry.version == 1
    assert entry.documents.count() == 0


def test_edit_refuses_file_over_the_limit(client, operator_entry):
    entry, _ = operator_entry
    data = _form_data(entry, **{"upload__document__laporan": pdf_upload(size=1_100_000)})
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]), data)
    assert "the largest file allowed for “Laporan kinerja tahun sebelumnya” is 1 MB" in (
        response.content.decode())


def test_edit_saves_text_claims_statements_and_files(client, operator_entry):
    entry, _ = operator_entry
    data = _form_data(entry, **{"upload__document__laporan": pdf_upload("kinerja.pdf"),
                                "upload__document__foto": SimpleUploadedFile(
                                    "foto.jpg", b"\xff\xd8\xff\xe0 JFIF data")})
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]), data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.version == 2
    assert entry.proposal == {"ringkasan": "Dokumen diantar ke rumah warga.",
                              "latar-belakang": "Antrean panjang."}
    assert (entry.video_seconds, entry.innovation_started_on) == (90, dt.date(2023, 1, 10))
    assert entry.claims.get().label == "SK Kepala Perangkat Daerah"
    assert sorted(entry.documents.values_list("slot", "file_type")) == [
        ("foto", "jpg"), ("laporan", "pdf")]


def test_autosave_saves_and_returns_new_version_out_of_band(client, operator_entry):
    entry, _ = operator_entry
    response = client.post(reverse("participation:entry_autosave", args=[entry.pk]),
                           _form_data(entry), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "Saved automatically" in page
    assert 'id="id_version" hx-swap-oob="true"' in page
    assert 'value="2"' in page
    entry.refresh_from_db()
    assert entry.proposal["ringkasan"] == "Dokumen diantar ke rumah warga."


def test_autosave_reports_word_limit_without_saving(client, operator_entry):
    entry, _ = operator_entry
    response = client.post(reverse("participation:entry_autosave", args=[entry.pk]),
                           _form_data(entry, **{"section__ringkasan": "kata " * 30}),
                           HTTP_HX_REQUEST="true")
    assert "Not saved automatically" in response.content.decode()
    assert "has 30 words; the limit is 20" in response.content.decode()
    entry.refresh_from_db()
    assert entry.version == 1


def test_two_tabs_do_not_overwrite_each_other(client, operator_entry):
    entry, _ = operator_entry
    url = reverse("participation:entry_autosave", args=[entry.pk])
    client.post(url, _form_data(entry, **{"section__ringkasan": "Teks tab satu."}))
    # The second tab still holds version 1.
    response = client.post(url, _form_data(entry, **{"section__ringkasan": "Teks tab dua."}))
    assert "Not saved: this draft was changed in another tab" in response.content.decode()
    entry.refresh_from_db()
    assert entry.proposal["ringkasan"] == "Teks tab satu."
    assert DraftCopy.objects.get(entry=entry).data["proposal"]["ringkasan"] == "Teks tab dua."
    # Saving again from the stale tab refreshes its copy rather than piling up more.
    client.post(url, _form_data(entry, version=1, **{"section__ringkasan": "Teks tab dua, lagi."}))
    assert DraftCopy.objects.filter(entry=entry).count() == 1
    page = client.get(reverse("participation:entry_edit", args=[entry.pk])).content.decode()
    assert "Teks tab satu." in page
    assert "Teks tab dua, lagi." in page
    assert "Use this text instead" in page


def test_full_save_from_stale_tab_shows_both_texts(client, operator_entry):
    entry, _ = operator_entry
    url = reverse("participation:entry_edit", args=[entry.pk])
    client.post(url, _form_data(entry, **{"section__ringkasan": "Versi rekan kerja."}))
    response = client.post(url, _form_data(entry, **{"section__ringkasan": "Versi saya."}))
    page = response.content.decode()
    assert response.status_code == 409
    assert "Nothing was overwritten" in page
    assert "Versi rekan kerja." in page
    assert "Versi saya." in page


def test_use_copy_makes_the_copy_the_draft(client, operator_entry):
    entry, _ = operator_entry
    url = reverse("participation:entry_autosave", args=[entry.pk])
    client.post(url, _form_data(entry, **{"section__ringkasan": "Satu."}))
    client.post(url, _form_data(entry, **{"section__ringkasan": "Dua."}))
    copy = DraftCopy.objects.get(entry=entry)
    client.post(reverse("participation:copy_use", args=[copy.pk]))
    entry.refresh_from_db()
    assert entry.proposal["ringkasan"] == "Dua."


def _text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def _text(response) -> str:
    return _text_of(response.content.decode())


def test_save_and_submit_refuses_naming_each_rule_once(client, operator_entry):
    entry, _ = operator_entry
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]),
                           _form_data(entry, action="submit"), follow=True)
    text = _text(response)
    assert (f"Entry {entry.code} was not submitted. Your draft is saved; complete the points "
            "listed below, then submit again.") in text
    missing = ("Required document: The document “Laporan kinerja tahun sebelumnya” is not "
               "uploaded.")
    assert text.count(missing) == 1
    assert reverse("participation:entry_submit", args=[entry.pk]) not in response.content.decode()
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT


def test_submit_is_offered_once_submissions_open(client, operator_entry):
    entry, operator = operator_entry
    complete_entry(entry, actor=operator)
    edition = entry.edition
    edition.submission_opens_at = timezone.now() + dt.timedelta(days=3)
    edition.save(update_fields=["submission_opens_at"])
    submit = reverse("participation:entry_submit", args=[entry.pk])
    response = client.get(reverse("participation:entry_detail", args=[entry.pk]))
    assert "The entry is complete. Submissions open on" in _text(response)
    assert submit not in response.content.decode()
    edition.submission_opens_at = timezone.now() - dt.timedelta(minutes=1)
    edition.save(update_fields=["submission_opens_at"])
    response = client.get(reverse("participation:entry_detail", args=[entry.pk]))
    assert f'action="{submit}"' in response.content.decode()


def test_a_draft_past_its_deadline_says_whom_to_ask(client, operator_entry, settings):
    settings.LANGUAGE_CODE = "id"
    entry, _ = operator_entry
    edition = entry.edition
    edition.submission_deadline = timezone.now() - dt.timedelta(minutes=5)
    edition.save(update_fields=["submission_deadline"])
    response = client.get(reverse("participation:entry_detail", args=[entry.pk]))
    text = _text(response)
    assert ("Batas waktu sudah lewat Entri ini tidak diajukan sebelum batas waktu dan tidak "
            "dapat lagi diubah atau diajukan. Apabila instansi Anda memerlukan waktu tambahan, "
            f"mintalah sekretariat {edition.organiser.name} memperpanjang batas waktu untuk "
            "entri ini") in text
    assert "Sebelum entri ini dapat diajukan" not in text
    page = response.content.decode()
    assert reverse("participation:entry_edit", args=[entry.pk]) not in page
    assert reverse("participation:entry_submit", args=[entry.pk]) not in page


def test_submit_then_late_submission_is_refused_with_the_deadline(client, operator_entry):
    entry, operator = operator_entry
    complete_entry(entry, actor=operator)
    response = client.post(reverse("participation:entry_submit", args=[entry.pk]), follow=True)
    assert f"Entry {entry.code} was submitted." in response.content.decode()
    client.post(reverse("participation:entry_withdraw", args=[entry.pk]), {"confirmed": "1"})
    client.post(reverse("participation:entry_reopen", args=[entry.pk]))
    edition = entry.edition
    edition.submission_deadline = timezone.now() - dt.timedelta(minutes=5)
    edition.save(update_fields=["submission_deadline"])
    response = client.post(reverse("participation:entry_submit", args=[entry.pk]), follow=True)
    page = response.content.decode()
    assert "The deadline for submitting entries was" in page
    assert "WITA" in page
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT


def test_detail_shows_history_and_missing_points(client, operator_entry):
    entry, _ = operator_entry
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    assert "Before this entry can be submitted" in page
    assert "Minimum age of the innovation" in page
    assert "Status history" in page


def test_document_served_only_to_those_who_may_see_the_entry(client, operator_entry):
    entry, operator = operator_entry
    complete_entry(entry, actor=operator)
    document = entry.documents.get(slot="laporan")
    response = client.get(reverse("participation:document", args=[document.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    stranger = make_operator(InstitutionFactory(organiser=entry.edition.organiser))
    client.force_login(stranger)
    assert client.get(reverse("participation:document", args=[document.pk])).status_code == 404


def test_uploads_are_not_reachable_under_media_url(client, operator_entry):
    entry, operator = operator_entry
    complete_entry(entry, actor=operator)
    document = entry.documents.first()
    assert client.get(f"/_private/{document.file.name}").status_code == 404


def test_word_counters_name_their_unit(client, operator_entry, settings):
    settings.LANGUAGE_CODE = "id"
    entry, _ = operator_entry
    text = _text(client.get(reverse("participation:entry_edit", args=[entry.pk])))
    assert "Ringkasan: 0 / 20 kata" in text


def test_a_competition_asking_for_no_documents_shows_no_documents_card(client, settings):
    from sayembara.competitions.services.editions import create_edition
    from sayembara.template_format import load_template

    settings.LANGUAGE_CODE = "id"
    template = load_template("kipp-minut-2024")
    edition = create_edition(template=template, year=timezone.now().year,
                             organiser=InstitutionFactory().organiser, actor="test")
    institution = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    operator = make_operator(institution)
    category = edition.categories.order_by("order").first()
    entry = make_entry(edition=edition, institution=institution, category_key=category.key,
                       actor=operator)
    client.force_login(operator)
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    assert "Riwayat status</h2>" in page
    assert "Dokumen</h2>" not in page


def test_a_competition_asking_for_documents_lists_them(client, operator_entry, settings):
    settings.LANGUAGE_CODE = "id"
    entry, _ = operator_entry
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    assert "Dokumen</h2>" in page
    assert "Laporan kinerja tahun sebelumnya" in _text_of(page)
