import io
import re
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sayembara.documents.enums import BatchStatus
from sayembara.documents.models import Certificate, CertificateBatch
from sayembara.documents.services.certificates import (
    DesignError,
    check_design,
    design_for,
    find_certificate,
    make_code,
    name_size,
    normalise_code,
    preview_pdf,
    start_generation,
)
from tests import factories_public as f

pytestmark = pytest.mark.django_db

def png(color=(11, 92, 173)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), color).save(buffer, format="PNG")
    return buffer.getvalue()


PNG = png()


@pytest.fixture
def winners():
    edition = f.public_edition()
    category = edition.categories.order_by("order").first()
    rows = []
    for rank in range(1, 5):
        e = f.entry(edition, category=category, state="winner")
        tier = "peringkat-1-3" if rank <= 3 else "peringkat-4-10"
        rows.append(f.final_result(e, rank=rank, total=90 - rank, tier_key=tier,
                                   favourite="Inovasi Terfavorit" if rank == 2 else ""))
    loser = f.entry(edition, category=category, state="eliminated")
    f.final_result(loser, rank=11, total=40)
    design = design_for(edition)
    design.signatories = SIGNATORIES
    design.save()
    return edition, rows


SIGNATORIES = [
    {"name": "Dr. I Gede Wijaya", "title": "Kepala BRIDA", "id_number": "NIP. 19750412"},
    {"name": "I Nyoman Pramana", "title": "Bupati Badung", "id_number": ""},
]


def test_codes_detect_typing_errors_and_tampering():
    code = make_code()
    assert normalise_code(code) == code
    assert normalise_code(code.lower().replace("-", " ")) == code
    body = code.replace("-", "")
    altered = ("1" if body[3] != "1" else "2").join([body[:3], body[4:]])
    assert normalise_code(altered) is None
    assert normalise_code("HELLO") is None


def test_generation_makes_one_certificate_per_award_and_a_zip(
        winners, django_capture_on_commit_callbacks):
    edition, _rows = winners
    with django_capture_on_commit_callbacks(execute=True):
        batch = start_generation(edition=edition, actor=None)
    batch.refresh_from_db()
    assert (batch.status, batch.done, batch.total) == (BatchStatus.DONE, 5, 5)
    labels = sorted(Certificate.objects.values_list("rank", "award_label"))
    assert labels == [(1, "Juara 1"), (2, "Inovasi Terfavorit"), (2, "Juara 2"),
                      (3, "Juara 3"), (4, "Peringkat 4")]
    titles = sorted(c.award_title for c in Certificate.objects.all())
    assert titles == ["Inovasi Terfavorit, Kategori Perangkat Daerah",
                      "Juara 1, Kategori Perangkat Daerah", "Juara 2, Kategori Perangkat Daerah",
                      "Juara 3, Kategori Perangkat Daerah",
                      "Peringkat 4, Kategori Perangkat Daerah"]
    with batch.archive.open("rb") as handle:
        archive = zipfile.ZipFile(io.BytesIO(handle.read()))
    names = archive.namelist()
    assert len(names) == 5
    for name in names:
        assert archive.read(name).startswith(b"%PDF-")
    codes = set(Certificate.objects.values_list("code", flat=True))
    assert {re.search(r"([0-9A-Z]{5}-[0-9A-Z]{5}-[0-9A-Z]{2})\.pdf$", n).group(1)
            for n in names} == codes


def test_generation_twice_keeps_the_same_codes(winners, django_capture_on_commit_callbacks):
    edition, _rows = winners
    with django_capture_on_commit_callbacks(execute=True):
        start_generation(edition=edition, actor=None)
    first = set(Certificate.objects.values_list("code", flat=True))
    with django_capture_on_commit_callbacks(execute=True):
        start_generation(edition=edition, actor=None)
    assert set(Certificate.objects.values_list("code", flat=True)) == first
    assert CertificateBatch.objects.filter(status=BatchStatus.DONE).count() == 2


def test_verification_page_confirms_a_valid_code_and_refuses_others(client, winners,
                                                                   django_capture_on_commit_callbacks):
    edition, rows = winners
    with django_capture_on_commit_callbacks(execute=True):
        start_generation(edition=edition, actor=None)
    certificate = Certificate.objects.get(rank=1)
    page = client.get(reverse("public:certificate", kwargs={"code": certificate.code}))
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-result="valid"' in text
    assert certificate.recipient in text
    assert (f"{certificate.recipient} received Juara 1, Kategori Perangkat Daerah in "
            f"{edition.title}.") in text
    body = certificate.code.replace("-", "")
    tampered = body[:-1] + ("0" if body[-1] != "0" else "1")
    for code in (tampered, make_code(), "bukan-kode"):
        page = client.get(reverse("public:certificate", kwargs={"code": code}))
        assert page.status_code == 404
        assert 'data-result="invalid"' in page.content.decode()
    typed = client.get(reverse("public:certificate_lookup"),
                       {"kode": " " + body.lower().replace("0", "o") + " "})
    assert typed.status_code == 302
    assert typed["Location"] == reverse("public:certificate", kwargs={"code": certificate.code})
    for typo in ("/", "ab/cd", body[:-1] + "/"):
        page = client.get(reverse("public:certificate_lookup"), {"kode": typo})
        assert page.status_code == 404
        assert "has a typing error" in page.content.decode()
    certificate.revoked_at = certificate.issued_at
    certificate.save()
    assert find_certificate(certificate.code) is None


def test_design_with_a_missing_image_is_refused_before_generation(winners):
    edition, _rows = winners
    design = design_for(edition)
    design.logo.save("logo.png", ContentFile(PNG))
    design.logo.storage.delete(design.logo.name)
    with pytest.raises(DesignError) as error:
        start_generation(edition=edition, actor=None)
    assert error.value.problems == [
        "The logo logo.png is missing from the server. Upload it again or remove it from "
        "the design."]
    assert CertificateBatch.objects.count() == 0


def test_design_with_an_unknown_placeholder_names_it(winners):
    edition, _rows = winners
    design = design_for(edition)
    design.wording = "Diberikan kepada {nama} atas {award}."
    design.save()
    problems, _files = check_design(design)
    assert len(problems) == 1 and "{nama}" in problems[0] and "{recipient}" in problems[0]


def test_design_with_images_and_a_very_long_name_still_renders(winners):
    edition, rows = winners
    design = design_for(edition)
    design.logo.save("logo.png", ContentFile(PNG))
    design.background.save("latar.png", ContentFile(PNG))
    design.signatories = [{"name": "I Made Contoh", "title": "Kepala BRIDA", "id_number": "1"}]
    design.save()
    assert preview_pdf(edition).startswith(b"%PDF-")
    assert name_size("x" * 20) == "26pt"
    assert name_size("x" * 300) == "11.0pt"
    entry = rows[0].entry
    entry.institution.name = ("Dinas " + "Pemberdayaan Masyarakat dan Desa " * 9)[:300]
    entry.institution.save()
    from sayembara.documents.services.certificates import issue_certificates, render_certificates

    certificates = issue_certificates(edition=edition, actor=None)
    long_one = next(c for c in certificates if c.entry_id == entry.pk)
    _problems, files = check_design(design)
    [(name, pdf)] = render_certificates([long_one], design, files)
    assert pdf.startswith(b"%PDF-") and long_one.code in name


def test_design_without_signatory_or_place_is_refused(winners):
    edition, _rows = winners
    design = design_for(edition)
    design.signatories = []
    design.place_and_date = " "
    design.save()
    with pytest.raises(DesignError) as error:
        start_generation(edition=edition, actor=None)
    assert error.value.problems == [
        "The place and date are empty. Write where the certificate is signed and {date} for "
        "its date, for example: Mangupura, {date}.",
        "The design names no signatory. Add who signs the certificate, one per line: "
        "name | title | NIP."]


def test_new_design_starts_with_the_organisers_place_and_the_date(winners):
    edition, _rows = winners
    edition.certificate_design.delete()
    edition.organiser.region_name = "Kabupaten Badung, Bali"
    assert design_for(edition).place_and_date == "Kabupaten Badung, {date}"


def test_a_valid_certificate_leads_on_to_the_innovation_and_the_results(
        client, winners, django_capture_on_commit_callbacks, settings):
    settings.LANGUAGE_CODE = "id"
    edition, rows = winners
    with django_capture_on_commit_callbacks(execute=True):
        start_generation(edition=edition, actor=None)
    certificate = Certificate.objects.get(rank=1, award_label="Juara 1")
    page = client.get(reverse("public:certificate", kwargs={"code": certificate.code}))
    text = page.content.decode()
    entry_link = reverse("public:entry", args=[certificate.entry_id])
    assert f'<a href="{entry_link}">{certificate.innovation_title}</a>' in text
    assert (f'<a href="{reverse("public:edition", args=[edition.slug])}">{edition.title}</a>'
            in text)
    results = reverse("public:results", args=[edition.slug])
    assert f'href="{results}">Lihat hasil yang diumumkan</a>' in text
    assert client.get(entry_link).status_code == 200
