"""A printed certificate's QR code opens the page that confirms its award, at the site's
public address, and the certificate names the award, place, date and signatories."""

from __future__ import annotations

import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from django.core.checks import run_checks

from sayembara.documents.models import Certificate
from sayembara.documents.services.certificates import (
    check_design,
    design_for,
    issue_certificates,
    render_certificates,
)
from tests import factories_public as f

pytestmark = pytest.mark.django_db
PUBLIC_URL = "https://sayembara.badungkab.go.id"


def pdf_to_png(pdf: bytes, tmp_path) -> bytes:
    (tmp_path / "piagam.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "150", "-singlefile", str(tmp_path / "piagam.pdf"),
                    str(tmp_path / "piagam")], check=True)
    return (tmp_path / "piagam.png").read_bytes()


def pdf_text(pdf: bytes, tmp_path) -> str:
    (tmp_path / "text.pdf").write_bytes(pdf)
    done = subprocess.run(["pdftotext", str(tmp_path / "text.pdf"), "-"],
                          check=True, capture_output=True, text=True)
    # The address wraps after a slash under the QR code: join its lines again.
    return " ".join(done.stdout.replace("\u200b", "").split()).replace("/ ", "/")


def decode_qr(png: bytes) -> list[str]:
    import io

    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return [found.text for found in zxingcpp.read_barcodes(image)
            if found.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture
def certificate(settings):
    if not (shutil.which("pdftoppm") and shutil.which("pdftotext")):
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils).")
    settings.SAYEMBARA_PUBLIC_URL = PUBLIC_URL
    edition = f.public_edition()
    kelurahan = edition.categories.get(key="kelurahan")
    winner = f.entry(edition, category=kelurahan, state="winner",
                     title="Sistem Antrean Kelurahan Daring")
    f.final_result(winner, rank=1, total="91.5", tier_key="peringkat-1-3")
    design = design_for(edition)
    design.place_and_date = "Mangupura, {date}"
    design.signatories = [
        {"name": "Dr. I Gede Wijaya", "title": "Kepala BRIDA", "id_number": "NIP. 19750412"},
        {"name": "I Nyoman Pramana", "title": "Bupati Badung", "id_number": ""},
    ]
    design.save()
    [issued] = issue_certificates(edition=edition, actor=None)
    _problems, files = check_design(design)
    [(_name, pdf)] = render_certificates([issued], design, files)
    return issued, pdf


def test_certificate_qr_code_opens_the_page_confirming_the_award(certificate, client, tmp_path):
    issued, pdf = certificate
    [url] = decode_qr(pdf_to_png(pdf, tmp_path))
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == PUBLIC_URL
    page = client.get(parts.path)
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-result="valid"' in text
    assert (f"{issued.recipient} received Juara 1, Kategori Kelurahan in "
            f"{issued.edition.title}.") in text


def test_certificate_prints_award_address_place_date_and_signatories(certificate, tmp_path):
    issued, pdf = certificate
    text = pdf_text(pdf, tmp_path)
    assert "Juara 1, Kategori Kelurahan" in text
    assert "Peringkat 1 sampai 3" not in text and "Juara 1 sampai 3" not in text
    assert f"sayembara.badungkab.go.id/publik/piagam/{issued.code}/" in text
    issued_on = Certificate.objects.get(pk=issued.pk).issued_at
    from sayembara.common.timefmt import format_date

    assert f"Mangupura, {format_date(issued_on, issued.edition)}" in text
    for name in ("Dr. I Gede Wijaya", "Kepala BRIDA", "I Nyoman Pramana", "Bupati Badung"):
        assert name in text


def _our_checks(deploy: bool) -> list[str]:
    return [message.id for message in run_checks(include_deployment_checks=deploy)
            if message.id.startswith("sayembara.")]


def test_deploy_check_fails_without_a_public_address(settings):
    settings.SAYEMBARA_PUBLIC_URL = ""
    assert "sayembara.E002" in _our_checks(deploy=True)
    assert _our_checks(deploy=False) == []
    settings.SAYEMBARA_PUBLIC_URL = PUBLIC_URL
    # (the test database and mail are not a deployment's: their own checks still speak)
    assert "sayembara.E002" not in _our_checks(deploy=True)


@pytest.mark.parametrize("value", ["sayembara.badungkab.go.id", "https://x.go.id/publik/"])
def test_public_address_must_be_scheme_and_host(settings, value):
    settings.SAYEMBARA_PUBLIC_URL = value
    assert _our_checks(deploy=False) == ["sayembara.E001"]
