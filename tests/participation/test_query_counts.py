"""Every list page runs the same number of queries for a few rows and for many (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.entries.enums import CheckOutcome, EntryState
from sayembara.entries.models import AdministrativeCheck, Entry
from sayembara.entries.services.entries import set_entry_state
from tests.factories import InstitutionFactory, UserFactory, grant
from tests.factories_entries import (
    EntryFactory,
    make_edition,
    make_operator,
    make_organiser_user,
)

pytestmark = pytest.mark.django_db


def _queries(client, url, **params) -> int:
    # The first request of a session also verifies the session (two-factor middleware).
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def _add_entries(edition, count, *, institution=None, state=EntryState.SUBMITTED, parent=None):
    entries = []
    for _ in range(count):
        unit = institution or InstitutionFactory(organiser=edition.organiser, parent=parent,
                                                 kind="perangkat_daerah")
        entry = EntryFactory(edition=edition, institution=unit, state=state)
        AdministrativeCheck.objects.create(entry=entry, outcome=CheckOutcome.PASSED)
        entries.append(entry)
    return entries


def test_check_list_queries_do_not_grow_with_entries(client):
    edition = make_edition()
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:check_list", args=[edition.slug])
    _add_entries(edition, 3)
    few = _queries(client, url)
    _add_entries(edition, 20)
    assert _queries(client, url) == few


def test_operator_home_queries_do_not_grow_with_entries(client):
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser)
    client.force_login(make_operator(institution))
    url = reverse("participation:home")
    _add_entries(edition, 2, institution=institution, state=EntryState.DRAFT)
    few = _queries(client, url)
    _add_entries(edition, 15, institution=institution, state=EntryState.DRAFT)
    assert _queries(client, url) == few


def test_admin_lokal_pages_queries_do_not_grow_with_entries(client):
    edition = make_edition()
    region = InstitutionFactory(organiser=edition.organiser, kind="kota")
    admin = UserFactory()
    grant(admin, Role.ADMIN_LOKAL, institution=region)
    client.force_login(admin)
    _add_entries(edition, 2, parent=region)
    few_home = _queries(client, reverse("participation:home"))
    few_list = _queries(client, reverse("participation:admin_lokal"))
    few_institution = _queries(client, reverse("participation:institution", args=[region.pk]))
    _add_entries(edition, 12, parent=region)
    assert _queries(client, reverse("participation:home")) == few_home
    assert _queries(client, reverse("participation:admin_lokal")) == few_list
    assert _queries(client, reverse("participation:institution", args=[region.pk])) == (
        few_institution)


def test_registry_queries_do_not_grow_with_institutions(client):
    edition = make_edition()
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:registry", args=[edition.organiser.slug])
    parent = InstitutionFactory(organiser=edition.organiser)
    for _ in range(3):
        InstitutionFactory(organiser=edition.organiser, parent=parent)
    few = _queries(client, url)
    for _ in range(25):
        InstitutionFactory(organiser=edition.organiser, parent=parent)
    assert _queries(client, url) == few


def test_tracker_queries_do_not_grow_with_institutions(client):
    edition = make_edition()
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:tracker", args=[edition.slug])
    _add_entries(edition, 3)
    few = _queries(client, url)
    _add_entries(edition, 20)
    InstitutionFactory.create_batch(5, organiser=edition.organiser, kind="perangkat_daerah")
    assert _queries(client, url) == few


def test_entry_detail_queries_do_not_grow_with_history(client):
    edition = make_edition()
    entry = _add_entries(edition, 1, state=EntryState.DRAFT)[0]
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:entry_detail", args=[entry.pk])
    set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor="test")
    few = _queries(client, url)
    for _ in range(4):
        set_entry_state(entry=entry, to_state=EntryState.RETURNED, actor="test", reason="x")
        set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor="test")
    assert Entry.objects.get(pk=entry.pk).state_changes.count() == 9
    assert _queries(client, url) == few
