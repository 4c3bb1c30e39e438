"""Creating an edition in the browser from a built-in or an uploaded template."""

from __future__ import annotations

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.competitions.models import Edition
from sayembara.template_format.loader import BUILTIN_DIR
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser():
    return OrganiserFactory(name="Setda Kabupaten Pemalang", slug="setda-pemalang")


@pytest.fixture
def client(organiser):
    user = UserFactory(username="bagian-organisasi")
    grant(user, Role.ORGANISER, organiser=organiser)
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


URL = reverse("web:edition_create")


def test_edition_create_from_builtin_template(client, organiser):
    response = client.post(URL, {"organiser": organiser.pk, "template": "kipp-pemalang-2020",
                                 "year": 2027, "time_zone": "WITA"})

    edition = Edition.objects.get()
    assert response["Location"] == reverse("web:edition_rules", kwargs={"slug": edition.slug})
    assert (edition.year, edition.timezone, edition.organiser) == (2027, "WITA", organiser)
    assert edition.title.endswith("2027")


def test_edition_create_uploaded_template_problems_listed_with_lines(client, organiser):
    text = (BUILTIN_DIR / "kipp-pemalang-2020.yaml").read_text(encoding="utf-8").replace(
        "    weight: 40\n", "    weight: 50\n")
    upload = SimpleUploadedFile("lomba.yaml", text.encode(), content_type="application/yaml")

    response = client.post(URL, {"organiser": organiser.pk, "template_file": upload,
                                 "year": 2027})

    page = html.unescape(response.content.decode())
    stages_line = text.splitlines().index("stages:") + 1
    assert f"Line {stages_line}: The weights of the weighted stages" in page
    assert "add up to 110, not 100" in page
    assert not Edition.objects.exists()


def test_edition_create_same_year_twice_refused(client, organiser):
    data = {"organiser": organiser.pk, "template": "kipp-pemalang-2020", "year": 2027}
    client.post(URL, data)
    first = Edition.objects.get()

    response = client.post(URL, {**data, "title": "Kedua"})

    assert "already has an edition for 2027" in html.unescape(response.content.decode())
    assert [(e.pk, e.title, e.rules) for e in Edition.objects.all()] == [
        (first.pk, first.title, first.rules)]


def test_edition_create_other_organiser_not_offered(client):
    other = OrganiserFactory(name="BRIDA Lain", slug="brida-lain")

    response = client.post(URL, {"organiser": other.pk, "template": "kipp-pemalang-2020",
                                 "year": 2027})

    assert "Select a valid choice" in response.content.decode()
    assert not Edition.objects.exists()
