"""An edition being prepared is the organiser's alone: operators neither see it nor start
entries in it, so nothing they do freezes the organiser's rules during the set-up."""

import pytest
from django.urls import reverse

from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.competitions.services.status import set_edition_status
from sayembara.entries.models import Entry
from tests.factories import InstitutionFactory
from tests.factories_entries import make_edition, make_entry, make_operator

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(client):
    edition = make_edition(status=EditionStatus.DRAFT)
    institution = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kuta")
    client.force_login(make_operator(institution))
    return edition, institution


def test_operator_does_not_see_an_edition_being_prepared(client, draft):
    edition, _institution = draft
    page = client.get(reverse("participation:home")).content.decode()
    assert edition.title not in page
    assert reverse("participation:entry_start", args=[edition.slug]) not in page


def test_operator_cannot_start_an_entry_in_an_edition_being_prepared(client, draft):
    edition, institution = draft
    url = reverse("participation:entry_start", args=[edition.slug])
    assert client.get(url).status_code in (403, 404)
    response = client.post(url, {"institution": institution.pk,
                                 "category": edition.categories.first().pk, "title": "Dini"})
    assert response.status_code in (403, 404)
    assert not Entry.objects.exists()
    edition.refresh_from_db()
    assert edition.rules_frozen_at is None  # the organiser goes on setting up


def test_once_registration_opens_the_operator_sees_it_and_starts_an_entry(client, draft):
    edition, institution = draft
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor="test")
    page = client.get(reverse("participation:home")).content.decode()
    assert edition.title in page
    url = reverse("participation:entry_start", args=[edition.slug])
    response = client.post(url, {"institution": institution.pk,
                                 "category": edition.categories.get(key="tata-kelola").pk,
                                 "group": "", "title": "Sistem Antrean Daring"})
    assert response.status_code == 302
    assert Entry.objects.filter(edition=edition, title="Sistem Antrean Daring").exists()


def test_an_edition_no_longer_open_is_not_offered_for_new_entries(client, draft):
    edition, _institution = draft
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.JUDGING)
    page = client.get(reverse("participation:home")).content.decode()
    assert reverse("participation:entry_start", args=[edition.slug]) not in page


def test_an_edition_being_prepared_is_not_a_carry_target_for_operators(client, draft):
    edition, institution = draft
    earlier = make_edition(year=edition.year - 1, organiser=edition.organiser)
    entry = make_entry(edition=earlier, institution=institution)
    page = client.get(reverse("participation:entry_carry", args=[entry.pk])).content.decode()
    assert edition.title not in page
