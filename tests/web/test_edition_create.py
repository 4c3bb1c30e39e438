"""Creating an edition in the browser from a built-in or an uploaded template."""

from __future__ import annotations

import html
import re

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
    response = client.post(URL, {"organiser": organiser.pk, "start": "copy",
                                 "competition": "KIPP Pemalang",
                                 "template": "kipp-pemalang-2020",
                                 "year": 2027, "time_zone": "WITA"})

    edition = Edition.objects.get()
    assert response["Location"] == reverse("web:edition_rules", kwargs={"slug": edition.slug})
    assert (edition.year, edition.timezone, edition.organiser) == (2027, "WITA", organiser)
    assert edition.title.endswith("2027")


def test_edition_create_uploaded_template_problems_listed_with_lines(client, organiser):
    text = (BUILTIN_DIR / "kipp-pemalang-2020.yaml").read_text(encoding="utf-8").replace(
        "    weight: 40\n", "    weight: 50\n")
    upload = SimpleUploadedFile("lomba.yaml", text.encode(), content_type="application/yaml")

    response = client.post(URL, {"organiser": organiser.pk, "start": "upload",
                                 "competition": "Lomba Inovasi", "template_file": upload,
                                 "year": 2027})

    page = html.unescape(response.content.decode())
    stages_line = text.splitlines().index("stages:") + 1
    assert f"Line {stages_line}: The weights of the weighted stages" in page
    assert "add up to 110, not 100" in page
    assert not Edition.objects.exists()


def test_edition_create_same_year_twice_refused(client, organiser):
    data = {"organiser": organiser.pk, "start": "copy", "competition": "KIPP Pemalang",
                                 "template": "kipp-pemalang-2020", "year": 2027}
    client.post(URL, data)
    first = Edition.objects.get()

    response = client.post(URL, {**data, "title": "Kedua"})

    assert "already has an edition for 2027" in html.unescape(response.content.decode())
    assert [(e.pk, e.title, e.rules) for e in Edition.objects.all()] == [
        (first.pk, first.title, first.rules)]


def test_edition_create_other_organiser_not_offered(client):
    other = OrganiserFactory(name="BRIDA Lain", slug="brida-lain")

    response = client.post(URL, {"organiser": other.pk, "start": "copy", "competition": "Lomba",
                                 "template": "kipp-pemalang-2020",
                                 "year": 2027})

    assert "Select a valid choice" in response.content.decode()
    assert not Edition.objects.exists()


def test_a_copy_of_a_builtin_template_becomes_the_organisers_own_competition(client, organiser):
    response = client.post(URL, {"organiser": organiser.pk, "start": "copy",
                                 "competition": "Lomba Inovasi Desa",
                                 "template": "kipp-pemalang-2020", "year": 2027})

    edition = Edition.objects.get()
    assert response.status_code == 302
    assert edition.slug == "lomba-inovasi-desa-2027"
    assert edition.title == "Lomba Inovasi Desa 2027"
    assert (edition.competition.name, edition.competition.slug) == (
        "Lomba Inovasi Desa", "lomba-inovasi-desa")
    assert edition.rules["competition"] == "Lomba Inovasi Desa"
    assert edition.rules["organiser"] == "Setda Kabupaten Pemalang"
    assert edition.template_name == "kipp-pemalang-2020"
    # The copy keeps the template's rules.
    assert edition.stages.count() > 1


def test_a_blank_template_gives_a_minimal_edition_to_fill_in(client, organiser):
    response = client.post(URL, {"organiser": organiser.pk, "start": "blank",
                                 "competition": "Lomba Inovasi Desa", "year": 2027})

    edition = Edition.objects.get()
    assert response["Location"] == reverse("web:edition_rules", kwargs={"slug": edition.slug})
    assert (edition.slug, edition.timezone) == ("lomba-inovasi-desa-2027", "WITA")
    assert [c.name for c in edition.categories.all()] == ["Umum"]
    assert edition.stages.count() == 1 and edition.rubrics.count() == 1
    rules = html.unescape(client.get(response["Location"]).content.decode())
    assert "started from a blank template" in rules
    assert "Institution types" in rules


def test_the_start_choice_asks_for_what_it_needs_and_keeps_what_was_typed(client, organiser):
    response = client.post(URL, {"organiser": organiser.pk, "start": "copy",
                                 "competition": "Lomba Inovasi Desa", "year": 2027})
    page = html.unescape(response.content.decode())
    assert "Choose the built-in template to copy." in page
    assert 'value="Lomba Inovasi Desa"' in page
    response = client.post(URL, {"organiser": organiser.pk, "start": "blank", "year": 2027})
    assert "This field is required." in response.content.decode()
    assert not Edition.objects.exists()


def test_institution_types_are_edited_in_the_forms(client, organiser):
    client.post(URL, {"organiser": organiser.pk, "start": "blank",
                      "competition": "Lomba Inovasi Desa", "year": 2027})
    edition = Edition.objects.get()
    url = reverse("web:rules_section", kwargs={"slug": edition.slug,
                                               "section": "jenis-lembaga"})
    page = client.get(url)
    assert "Add an institution type" in html.unescape(page.content.decode())
    response = client.post(url, {
        "rules_version": edition.rules_version,
        "rows-TOTAL_FORMS": 2, "rows-INITIAL_FORMS": 1,
        "rows-0-original": "perangkat_daerah", "rows-0-id": "perangkat_daerah",
        "rows-0-name": "Perangkat Daerah",
        "rows-1-original": "", "rows-1-id": "pemdes", "rows-1-name": "Pemerintah Desa",
    })
    assert response.status_code == 302, html.unescape(response.content.decode())
    edition.refresh_from_db()
    assert [t["id"] for t in edition.rules["institution_types"]] == [
        "perangkat_daerah", "pemdes"]
    categories = client.get(reverse("web:rules_section", kwargs={
        "slug": edition.slug, "section": "kategori"}))
    # the categories page offers the new type by its name, without its short name
    page = html.unescape(categories.content.decode())
    assert re.search(r'value="pemdes"[^>]*>\s*Pemerintah Desa</label>', page)
    assert "(pemdes)" not in page


def test_edition_create_offers_builtin_templates_by_name_only(client, organiser):
    import re

    from sayembara.template_format import list_builtin

    html = client.get(URL).content.decode()

    builtin = r'<option value="(?:kipp|krenova|mangupura|pengaduan)[^"]*"[^>]*>([^<]+)<'
    labels = re.findall(builtin, html)
    assert sorted(labels) == sorted(item.title for item in list_builtin())
