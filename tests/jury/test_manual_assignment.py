"""Panel dan penugasan → "Change one assignment": one judge, one entry, assigned or taken
away, with a sentence either way."""

import html

import pytest
from django.urls import reverse

from sayembara.judging.models import Assignment
from sayembara.judging.services.conflicts import declare_conflict
from tests.factories_judging import (
    make_entry,
    make_institution,
    make_judge,
    make_organiser_user,
    scored_stage,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(client):
    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    client.force_login(make_organiser_user(edition))
    newcomer = make_judge(edition, name="Juri Pengganti")
    url = reverse("jury:stage_panel", args=[edition.slug, stage.key])
    return client, url, stage, entries, judges, newcomer


def _post(client, url, judge, entry, change, reason=""):
    return client.post(url, {"action": "manual", "one-judge": judge.pk, "one-entry": entry.pk,
                             "one-change": change, "one-reason": reason}, follow=True)


def test_the_change_field_is_labelled_and_distinct_from_the_forms_action(setting):
    client, url, *_rest = setting
    page = client.get(url).content.decode()
    assert page.count('name="action"') == page.count('type="hidden" name="action"')
    assert '<label for="id_one-change">Change</label>' in page
    assert page.count('id="id_judge"') == 1  # the panel's form; this one has its own ids
    assert "Assign the entry to the judge" in page


def test_assigning_one_entry_to_one_judge(setting):
    client, url, stage, entries, _judges, newcomer = setting
    response = _post(client, url, newcomer, entries[0], "add")
    assert (f"Juri Pengganti now scores {entries[0].code} at {stage.name}."
            in response.content.decode())
    assert Assignment.objects.filter(stage=stage, judge=newcomer, entry=entries[0]).exists()
    again = _post(client, url, newcomer, entries[0], "add")
    assert (f"Juri Pengganti already scores {entries[0].code} at {stage.name}."
            in again.content.decode())


def test_taking_an_entry_away_with_a_reason(setting):
    client, url, stage, entries, judges, _newcomer = setting
    response = _post(client, url, judges[0], entries[1], "remove", reason="Beban terlalu berat")
    assert (f"{entries[1].code} is taken away from {judges[0].name} at {stage.name}."
            in response.content.decode())
    assert not Assignment.objects.filter(stage=stage, judge=judges[0],
                                         entry=entries[1]).exists()
    again = _post(client, url, judges[0], entries[1], "remove")
    assert "there is nothing to take away" in again.content.decode()


def test_a_conflicted_pair_is_refused_and_the_choice_kept(setting):
    client, url, stage, entries, _judges, newcomer = setting
    declare_conflict(judge=newcomer, entry=entries[0], reason="Pernah mendampingi",
                     actor="test")
    response = _post(client, url, newcomer, entries[0], "add")
    page = response.content.decode()
    assert "Juri Pengganti has a declared conflict of interest" in page
    assert f'<option value="{newcomer.pk}" selected>' in page
    assert f'<option value="{entries[0].pk}" selected>' in page
    assert not Assignment.objects.filter(stage=stage, judge=newcomer, entry=entries[0]).exists()


def test_an_entry_of_another_edition_is_not_offered(setting):
    client, url, stage, _entries, _judges, newcomer = setting
    other = scored_stage(entries_per_category=1, judges=1)[2][0]
    response = _post(client, url, newcomer, other, "add")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Assignment.objects.filter(judge=newcomer).exists()


def test_an_entry_from_the_judges_own_institution_is_refused(setting):
    client, url, stage, entries, _judges, _newcomer = setting
    edition = stage.edition
    own = make_institution(edition)
    judge = make_judge(edition, institution=own, name="Juri Setempat")
    entry = make_entry(edition, category_key="opd", institution=own)
    response = _post(client, url, judge, entry, "add")
    assert ("the entry comes from the judge's own institution"
            in html.unescape(response.content.decode()))
