"""The participant's entry page once the results are published: its rank, score and award,
and its certificate to download."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sayembara.documents.models import Certificate
from sayembara.documents.services.certificates import design_for, make_code
from tests import factories_public as f
from tests.factories_entries import make_operator

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def winner(client, settings):
    """Rank 2 of its category, with its certificate issued; the operator is signed in, and
    reads the pages in Indonesian."""
    settings.LANGUAGE_CODE = "id"
    f.reset_public_state(settings)
    edition = f.public_edition()
    category = edition.categories.order_by("order").first()
    entry = f.entry(edition, category=category, state="winner")
    f.final_result(f.entry(edition, category=category, state="winner"), rank=1, total=91,
                   tier_key="peringkat-1-3")
    f.final_result(entry, rank=2, total=88.5, tier_key="peringkat-1-3")
    design = design_for(edition)
    design.signatories = [{"name": "Dr. I Gede Wijaya", "title": "Kepala BRIDA",
                           "id_number": ""}]
    design.save()
    certificate = Certificate.objects.create(
        edition=edition, entry=entry, award_label="Juara 2", recipient=entry.institution.name,
        innovation_title=entry.title, category_name=category.name, award_unit=category.name,
        rank=2, code=make_code())
    client.force_login(make_operator(entry.institution))
    return entry, certificate


def test_the_operator_reads_its_published_rank_score_and_award(client, winner):
    entry, certificate = winner
    f.publish(entry.edition)
    text = _text(client.get(reverse("participation:entry_detail", args=[entry.pk])))
    category = entry.category.name
    assert (f"Hasil yang diumumkan Peringkat 2 dalam {category} Nilai akhir 88,500 "
            f"Penghargaan Juara 2") in text
    assert (f"Piagam penghargaan Juara 2, {category} Unduh piagam (PDF) "
            f"Kode verifikasi {certificate.code} · Periksa keabsahannya") in text


def test_the_operator_downloads_the_certificate_it_won(client, winner):
    entry, certificate = winner
    f.publish(entry.edition)
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    link = reverse("participation:entry_certificate", args=[entry.pk, certificate.code])
    assert f'href="{link}"' in page
    assert f'href="{reverse("public:certificate", args=[certificate.code])}"' in page
    response = client.get(link)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'-{certificate.code}.pdf"')
    assert b"".join(response).startswith(b"%PDF")


def test_nothing_is_shown_before_the_results_are_published(client, winner):
    entry, certificate = winner
    f.publish(entry.edition, results=False)
    text = _text(client.get(reverse("participation:entry_detail", args=[entry.pk])))
    assert "Hasil yang diumumkan" not in text
    assert "Unduh piagam" not in text
    link = reverse("participation:entry_certificate", args=[entry.pk, certificate.code])
    assert client.get(link).status_code == 404


def test_a_revoked_certificate_is_neither_offered_nor_served(client, winner):
    entry, certificate = winner
    f.publish(entry.edition)
    certificate.revoked_at = timezone.now()
    certificate.save(update_fields=["revoked_at"])
    text = _text(client.get(reverse("participation:entry_detail", args=[entry.pk])))
    assert ("Piagam penghargaan belum diterbitkan; piagam akan muncul di sini setelah "
            "sekretariat menerbitkannya.") in text
    link = reverse("participation:entry_certificate", args=[entry.pk, certificate.code])
    assert client.get(link).status_code == 404


def test_another_entrys_code_does_not_open_a_certificate(client, winner):
    entry, _certificate = winner
    f.publish(entry.edition)
    other = Certificate.objects.create(
        edition=entry.edition, entry=f.entry(entry.edition, state="winner"),
        award_label="Juara 1", recipient="Dinas Lain", rank=1, code=make_code())
    link = reverse("participation:entry_certificate", args=[entry.pk, other.code])
    assert client.get(link).status_code == 404
