"""Indonesian error pages in the site's layout, never Django's English debug pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults
from django.views.csrf import csrf_failure

pytestmark = pytest.mark.django_db


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"
    settings.DEBUG = False
    with translation.override("id"):
        yield


def test_unknown_address_gets_the_indonesian_404_page(client, indonesian):
    page = client.get("/publik/tidak-ada-halaman-ini/")
    assert page.status_code == 404
    text = page.content.decode()
    assert "<h1>Halaman tidak ditemukan</h1>" in text
    assert 'href="/publik/piagam/"' in text and "Periksa piagam" in text
    assert 'class="topbar"' in text  # the site's own layout


def test_refusal_gets_the_indonesian_403_page(rf: RequestFactory, indonesian):
    request = rf.get("/")
    page = defaults.permission_denied(request, PermissionDenied())
    assert page.status_code == 403
    assert "<h1>Akses ditolak</h1>" in page.content.decode()


def test_expired_form_gets_a_page_saying_to_reload(rf: RequestFactory, indonesian):
    page = csrf_failure(rf.post("/"), reason="CSRF token missing.")
    assert page.status_code == 403
    text = page.content.decode()
    assert "<h1>Formulir sudah kedaluwarsa</h1>" in text and "muat ulang" in text


def test_server_error_page_renders_without_a_request(indonesian):
    text = loader.get_template("500.html").render()
    assert "<h1>Terjadi kesalahan di sisi kami</h1>" in text
    assert 'href="/publik/"' in text
    page = defaults.server_error(RequestFactory().get("/"))
    assert page.status_code == 500 and "Terjadi kesalahan di sisi kami" in page.content.decode()
