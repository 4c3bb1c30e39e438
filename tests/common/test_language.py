"""Pages are Indonesian unless the visitor switches language."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _indonesian_default(settings):
    settings.LANGUAGE_CODE = "id"


def test_pages_are_indonesian_even_for_an_english_browser():
    response = Client().get("/akun/masuk/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.headers["Content-Language"] == "id"
    assert '<html lang="id">' in response.content.decode()


def test_language_switch_turns_pages_english():
    client = Client()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/akun/masuk/"})
    assert response.status_code == 302
    response = client.get("/akun/masuk/")
    assert response.headers["Content-Language"] == "en"
    assert '<html lang="en">' in response.content.decode()
