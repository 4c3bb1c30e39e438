"""A participant sees its own presentation or interview slot on its entry, in the edition's
time zone, and not anybody else's."""

import datetime as dt

import pytest
from django.urls import reverse

from sayembara.judging.services.schedule import set_slot
from tests.factories import InstitutionFactory
from tests.factories_entries import make_edition, make_entry, make_operator

pytestmark = pytest.mark.django_db


def test_entry_page_shows_the_participants_own_slot(client):
    edition = make_edition()
    stage = edition.stages.order_by("order").last()
    mine = make_entry(edition=edition)
    other = make_entry(edition=edition, title="Aplikasi Antrean Puskesmas",
                       institution=InstitutionFactory(organiser=edition.organiser))
    start = dt.datetime(2026, 6, 3, 9, 0, tzinfo=edition.zoneinfo)
    set_slot(stage=stage, entry=mine, starts_at=start, actor="test", minutes=20,
             room="Ruang Rapat BRIDA",
             note="Bawa laptop sendiri.")
    set_slot(stage=stage, entry=other, starts_at=start + dt.timedelta(hours=1), actor="test",
             minutes=20,
             room="Ruang Rapat BRIDA")
    client.force_login(make_operator(mine.institution))

    page = client.get(reverse("participation:entry_detail", args=[mine.pk])).content.decode()

    assert "Your presentation and interview schedule" in page
    assert "Ruang Rapat BRIDA" in page and "Bawa laptop sendiri." in page
    schedule = page.split('id="schedule"')[1].split("</section>")[0]
    assert "Wednesday, 3 June 2026 at 09:00–09:20 WITA" in schedule
    assert page.count('id="schedule"') == 1
    assert "10:00" not in schedule  # the other participant's slot
