"""An edition's institution types are checked against the organiser's registry when the
edition is created and when the registry changes, with a mapping step; a unit's type is
chosen from a list."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.competitions.models import Edition
from sayembara.entries.models import Institution
from tests.factories import InstitutionFactory, OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


@pytest.fixture
def organiser():
    organiser = OrganiserFactory(name="BRIDA Kabupaten Sigi", slug="brida-sigi")
    region = InstitutionFactory(organiser=organiser, name="Pemerintah Kabupaten Sigi",
                                kind="pemda")
    for name in ("Pemerintah Desa Bora", "Pemerintah Desa Sidera"):
        InstitutionFactory(organiser=organiser, name=name, kind="pemdes", parent=region)
    return organiser


@pytest.fixture
def client(organiser):
    user = UserFactory(username="sekretariat-sigi")
    grant(user, Role.ORGANISER, organiser=organiser)
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _blank_edition(client, organiser) -> tuple[Edition, str]:
    response = client.post(reverse("web:edition_create"), {
        "organiser": organiser.pk, "start": "blank", "competition": "Lomba Inovasi Desa",
        "year": 2027}, follow=True)
    return Edition.objects.get(), _text(response)


def test_a_type_no_institution_has_is_reported_and_mapped(client, organiser):
    edition, page = _blank_edition(client, organiser)
    assert ("no institution of the registry has the type “Perangkat Daerah” of its rules"
            in page)
    url = reverse("web:rules_types", kwargs={"slug": edition.slug})
    check = _text(client.get(url))
    assert "“Perangkat Daerah” of the rules is, in the registry:" in check
    assert "Pemdes · 2 institutions" in check

    refused = client.post(url, {"map-perangkat_daerah": "kabupaten"})
    assert "Choose one of the listed registry types." in _text(refused)

    response = client.post(url, {"map-perangkat_daerah": "pemdes"}, follow=True)
    assert "The institution types of the rules now match the registry." in _text(response)
    edition.refresh_from_db()
    assert [kind["id"] for kind in edition.rules["institution_types"]] == ["pemdes"]


def test_category_references_follow_the_mapping(client, organiser):
    from sayembara.competitions.services.editions import update_rules
    from sayembara.competitions.services.institution_types import map_institution_types

    edition, _page = _blank_edition(client, organiser)
    rules = dict(edition.rules)
    rules["institution_types"] = [{"id": "desa", "name": "Pemerintah Desa"}]
    rules["categories"] = [{"id": "umum", "name": "Desa", "institution_types": ["desa"]}]
    update_rules(edition=edition, data=rules, actor="test")
    edition.refresh_from_db()
    map_institution_types(edition=edition, mapping={"desa": "pemdes"}, actor="test")
    edition.refresh_from_db()
    assert edition.rules["institution_types"] == [{"id": "pemdes", "name": "Pemerintah Desa"}]
    assert edition.rules["categories"][0]["institution_types"] == ["pemdes"]
    assert edition.categories.get().institution_types == ["pemdes"]


def test_a_unit_type_is_chosen_from_a_list_and_a_registry_change_is_checked(client,
                                                                              organiser):
    edition, _page = _blank_edition(client, organiser)
    region = Institution.objects.get(name="Pemerintah Kabupaten Sigi")
    page = client.get(reverse("participation:institution", kwargs={"pk": region.pk}))
    body = page.content.decode()
    assert '<select name="kind"' in body
    assert '<option value="pemdes">Pemdes</option>' in body
    assert '<option value="perangkat_daerah">Perangkat Daerah</option>' in body

    url = reverse("participation:institution_add_unit", kwargs={"pk": region.pk})
    typed = client.post(url, {"name": "Desa Baru", "kind": "desa_typo"}, follow=True)
    assert "Select a valid choice" in _text(typed)
    assert not Institution.objects.filter(name="Desa Baru").exists()

    added = client.post(url, {"name": "Pemerintah Desa Baru", "kind": "pemdes"}, follow=True)
    text = _text(added)
    assert "Pemerintah Desa Baru was added below Pemerintah Kabupaten Sigi." in text
    assert "Lomba Inovasi Desa 2027: no institution of the registry has the type" in text
