"""What an operator reads on the invitation, a refused upload, withdrawing and the home page."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from sayembara.entries.enums import EntryState
from tests.factories import InstitutionFactory
from tests.factories_entries import (
    complete_entry,
    exe_upload,
    make_edition,
    make_entry,
    make_operator,
)
from tests.participation.test_entry_pages import _form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"


@pytest.fixture
def operator_entry(client, indonesian):
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser, name="Dinas Kependudukan")
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)
    client.force_login(operator)
    return entry, operator


def _text(page: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))


def test_invitation_says_the_account_signs_in_with_its_email(client, indonesian):
    from sayembara.entries.services.accounts import invitation_token, invite_member

    invitation = invite_member(institution=InstitutionFactory(), email="operator@dinkes.go.id",
                               role="operator", actor="test")
    page = client.get(reverse("participation:accept_invitation",
                              args=[invitation_token(invitation)])).content.decode()
    assert ("Akun Anda masuk dengan alamat surel ini, operator@dinkes.go.id, dan kata sandi "
            "yang Anda pilih di sini.") in _text(page)
    assert _text(page).count("operator@dinkes.go.id") == 1


def test_refused_upload_asks_to_choose_the_file_again_and_keeps_the_text(
        client, operator_entry):
    entry, _ = operator_entry
    data = _form_data(entry, **{"upload__document__laporan": exe_upload("laporan.pdf"),
                                "innovators": "Tim Inovasi Dukcapil"})
    response = client.post(reverse("participation:entry_edit", args=[entry.pk]), data)
    page = response.content.decode()
    field = page[page.index('name="upload__document__laporan"'):]
    field = field[:field.index("</ul>")]
    assert "Berkas ini tidak disimpan: pilih berkasnya lagi (peramban mengosongkan kolom ini " \
           "setelah berkas ditolak)." in field
    assert "Tim Inovasi Dukcapil" in page
    assert "Dokumen diantar ke rumah warga." in page
    assert entry.documents.count() == 0


def test_withdraw_asks_first_and_names_what_happens(client, operator_entry):
    entry, operator = operator_entry
    complete_entry(entry, actor=operator)
    client.post(reverse("participation:entry_submit", args=[entry.pk]))
    url = reverse("participation:entry_withdraw", args=[entry.pk])

    page = _text(client.post(url).content.decode())
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    assert "Tarik entri ini?" in page
    assert "Entri yang ditarik tidak lagi diperiksa maupun dinilai." in page
    assert "Anda dapat membukanya kembali sebagai draf dan mengajukannya lagi sampai" in page
    assert "Ya, tarik entri ini" in page

    response = client.post(url, {"confirmed": "1"}, follow=True)
    entry.refresh_from_db()
    assert entry.state == EntryState.WITHDRAWN
    assert f"Entri {entry.code} telah ditarik." in _text(response.content.decode())


def test_home_shows_when_submissions_open_and_close(client, indonesian):
    zone = ZoneInfo("Asia/Makassar")
    opens = timezone.now().astimezone(zone).replace(hour=8, minute=0, second=0,
                                                    microsecond=0) + dt.timedelta(days=30)
    closes = opens + dt.timedelta(days=60, hours=8)
    edition = make_edition(opens=opens, deadline=closes)
    edition.timezone = "WITA"
    edition.save(update_fields=["timezone"])
    client.force_login(make_operator(InstitutionFactory(organiser=edition.organiser)))
    page = _text(client.get(reverse("participation:home")).content.decode())
    months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
              "September", "Oktober", "November", "Desember"]

    def day(moment):
        return f"{moment.day} {months[moment.month - 1]} {moment.year}"

    assert (f"Draf sudah dapat ditulis; pengajuan dibuka pada {day(opens)} pukul 08.00 WITA "
            f"dan ditutup pada {day(closes)} pukul 16.00 WITA.") in page
