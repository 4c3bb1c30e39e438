"""What a person reads when the sign-in form refuses them."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_a_wrong_password_is_refused_in_one_plain_indonesian_sentence(settings):
    settings.LANGUAGE_CODE = "id"
    UserFactory(username="operator-kuta", email="kuta@badungkab.go.id")
    response = Client().post(reverse("accounts:login"),
                             {"username": "operator-kuta", "password": "salah-sandi"})
    text = _text(response)
    assert ("Nama pengguna (atau alamat surel) atau kata sandi tidak benar. Periksa keduanya, "
            "lalu coba lagi; huruf besar dan huruf kecil pada kata sandi dibedakan.") in text
    assert "nama pengguna nama pengguna" not in text.lower()
    assert 'value="operator-kuta"' in response.content.decode()
