"""The organiser's dashboard and the edition lists: real data, a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.competitions.services.editions import create_edition
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.entries.services.entries import create_entry, set_entry_state
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Assignment, Judge, ScoreSheet, StageResult
from sayembara.template_format import load_template
from tests.factories import InstitutionFactory, OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user():
    return UserFactory(username="kepala-brida")


@pytest.fixture
def edition(organiser_user):
    organiser = OrganiserFactory(name="BRIDA Kabupaten Badung", slug="brida-badung")
    grant(organiser_user, Role.ORGANISER, organiser=organiser)
    return create_edition(template=load_template("mangupura-2024"), year=2024,
                          organiser=organiser, actor=organiser_user)


def _fill(edition, actor, count: int, start: int = 0) -> list[Entry]:
    """``count`` entries in every category, each scored at stage 1 by two judges."""
    stage = edition.stages.get(key="verifikasi-dokumen")
    judges = [Judge.objects.get_or_create(edition=edition, name=f"Juri {n}")[0] for n in (1, 2)]
    kinds = {"perangkat-daerah": "perangkat_daerah", "kelurahan": "kelurahan", "desa": "desa"}
    entries = []
    for category in edition.categories.all():
        for n in range(start, start + count):
            institution = InstitutionFactory(organiser=edition.organiser,
                                             name=f"{category.name} {n}", kind=kinds[category.key])
            entry = create_entry(edition=edition, institution=institution, category=category,
                                 title=f"Inovasi {category.key} {n}", actor=actor)
            set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor=actor)
            set_entry_state(entry=entry, to_state=EntryState.PASSED_ADMIN, actor=actor,
                            stage=stage)
            for judge in judges:
                Assignment.objects.create(stage=stage, judge=judge, entry=entry)
                ScoreSheet.objects.create(stage=stage, judge=judge, entry=entry,
                                          status=SheetStatus.SUBMITTED)
            StageResult.objects.create(stage=stage, entry=entry, score=Decimal(70 + n),
                                       rank=count - n, judges_count=2)
            entries.append(entry)
    return entries


def _queries(client, url) -> int:
    client.get(url)  # the first request of a session also marks it as two-factor checked
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_dashboard_shows_stages_progress_and_scores(edition, organiser_user):
    _fill(edition, organiser_user, 2)
    client = Client(headers={"accept-language": "en"})
    client.force_login(organiser_user)

    page = client.get(reverse("web:edition_dashboard", kwargs={"slug": edition.slug}))

    text = page.content.decode()
    assert "12 of 12 score sheets submitted · 6 entries" in text
    assert "0 of 0 score sheets submitted · 0 entries" in text
    assert "1 August 2024 – 16 August 2024" in text
    assert "Kategori Kelurahan 1" in text
    assert ">71.000<" in text


def test_dashboard_queries_do_not_grow_with_entries(edition, organiser_user):
    client = Client()
    client.force_login(organiser_user)
    url = reverse("web:edition_dashboard", kwargs={"slug": edition.slug})
    _fill(edition, organiser_user, 1)
    small = _queries(client, url)
    _fill(edition, organiser_user, 5, start=1)

    assert _queries(client, url) == small


@pytest.mark.parametrize("url_name", ["web:editions", "web:home"])
def test_edition_lists_queries_do_not_grow(organiser_user, url_name):
    client = Client()
    client.force_login(organiser_user)
    organiser = OrganiserFactory(name="BRIDA", slug="brida")
    grant(organiser_user, Role.ORGANISER, organiser=organiser)
    template = load_template("kipp-pemalang-2020")
    create_edition(template=template, year=2020, organiser=organiser, actor=organiser_user)
    small = _queries(client, reverse(url_name))
    for year in (2021, 2022, 2023, 2024):
        create_edition(template=template, year=year, organiser=organiser, actor=organiser_user)

    assert _queries(client, reverse(url_name)) == small
