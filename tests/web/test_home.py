"""The home page every role lands on: each listed entry opens its page, an operator learns
of an edition open for entries, and an entry's status reads as a sentence."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from tests.factories import InstitutionFactory
from tests.factories_entries import make_edition, make_entry, make_operator
from tests.factories_judging import make_edition as make_judged_edition
from tests.factories_judging import make_entry as make_judged_entry
from tests.factories_judging import make_judge, open_stage

pytestmark = pytest.mark.django_db


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("web:home")).content.decode()


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_home_links_the_operators_entries_and_tells_of_an_open_edition():
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)

    html = _home(operator)

    detail = reverse("participation:entry_detail", args=[entry.pk])
    assert f'<a href="{detail}">{entry.code} · {entry.title}</a>' in html
    start = reverse("participation:entry_start", args=[edition.slug])
    assert f'<a href="{start}">Start an entry</a>' in html
    assert f"{edition.title} ({edition.organiser.name} · deadline" in _text(html)


def test_home_says_where_an_entry_stopped_as_a_sentence():
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser)
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)
    stage = edition.stages.order_by("order").first()
    Entry.objects.filter(pk=entry.pk).update(state=EntryState.ELIMINATED, current_stage=stage)

    text = _text(_home(operator))

    assert f"Did not go on from the stage {stage.name}" in text
    assert f"Did not go on {stage.name}" not in text


def test_home_links_a_judges_assignment_to_the_sheet_and_the_edition_to_the_sheets():
    from sayembara.judging.services.assignments import assign

    edition = make_judged_edition()
    stage = open_stage(edition.stages.get(key="proposal"))
    entry = make_judged_entry(edition)
    judge = make_judge(edition)
    assign(stage=stage, judge=judge, entry=entry, actor="test")

    html = _home(judge.user)

    sheet = reverse("jury:sheet", args=[stage.pk, entry.pk])
    assert re.search(rf'<a href="{re.escape(sheet)}">{re.escape(entry.code)}', html)
    assert f'<a href="{reverse("jury:home")}">Open my score sheets</a>' in html


def test_favicon_ico_leads_to_the_static_icon(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (302, "/static/sayembara/favicon.ico")


@pytest.mark.parametrize(("template_name", "link"), [
    ("mangupura-2024", "Dokumen kinerja"),
    ("kipp-pemalang-2020", "Innovation"),
])
def test_public_edition_pages_name_the_entries_as_the_template_does(client, template_name, link):
    from sayembara.competitions.services.editions import create_edition
    from sayembara.template_format import load_template
    from tests.factories import OrganiserFactory

    edition = create_edition(template=load_template(template_name), year=2027,
                             organiser=OrganiserFactory(), actor="test")
    edition.status = "open"
    edition.save(update_fields=["status"])

    html = client.get(reverse("public:edition", args=[edition.slug])).content.decode()

    catalogue = reverse("public:catalogue")
    assert f'<a href="{catalogue}?tahun=2027">{link}</a>' in html
