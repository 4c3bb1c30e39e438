"""A stage's disagreement rule edited in the browser: conditions nested in and/or groups."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client
from django.urls import reverse

from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of, update_rules
from sayembara.entries.services.entries import create_entry
from tests.factories import InstitutionFactory
from tests.web.html_forms import read_form

pytestmark = pytest.mark.django_db

#: "(spread >= 20 and lowest < 40) or spread >= 30" on the 0-100 scale of Mangupura
NESTED = {"any": [{"all": [{"measure": "spread", "at_least": 20},
                           {"measure": "lowest", "below": 40}]},
                  {"measure": "spread", "at_least": 30}]}


@pytest.fixture
def client(organiser_user, settings):
    settings.LANGUAGE_CODE = "id"
    client = Client()
    client.force_login(organiser_user)
    return client


def _url(edition, stage="presentasi"):
    return reverse("web:rules_disagreement", kwargs={"slug": edition.slug, "stage": stage})


def _rule(edition):
    stage = template_of(Edition.objects.get(pk=edition.pk)).stage("presentasi")
    return stage.disagreement.to_data() if stage.disagreement else None


def _set_rule(edition, actor, rule):
    rules = template_of(edition).to_data()
    rules["stages"][1]["disagreement"] = rule
    update_rules(edition=edition, data=rules, actor=actor)


def _text(response) -> str:
    """The page as a person reads it: tags removed, spaces folded."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _press(client, url, data, change):
    """Press one of the add / remove buttons: the form is sent with the button's value."""
    response = client.post(url, {**data, "change": change})
    assert response.status_code == 200
    return response, read_form(response.content.decode(), "rules_version")


def _node_html(page: str, key: str) -> str:
    """The HTML of one condition (a comparison), to check a message sits beside it."""
    match = re.search(rf'<div class="cond-compare" id="{key}">(.*?)</p>\s*</div>', page, re.S)
    assert match, f"condition {key} not on the page"
    return html.unescape(match.group(1))


@pytest.mark.parametrize("when", [
    NESTED,
    {"measure": "spread", "more_than": 15},
    {"all": [{"measure": "mean", "at_most": 55.5}]},
    {"all": [{"any": [{"measure": "highest", "at_least": 90},
                      {"all": [{"measure": "lowest", "below": 40},
                               {"measure": "spread", "more_than": 25}]}]},
             {"measure": "mean", "below": 80}]},
])
def test_rule_written_in_yaml_opens_in_the_form_and_saves_back_unchanged(client, edition,
                                                                         organiser_user,
                                                                         when):
    _set_rule(edition, organiser_user, {"when": when, "third_reviewer": True, "reviewers": 3})
    before = template_of(Edition.objects.get(pk=edition.pk)).to_data()
    data = read_form(client.get(_url(edition)).content.decode(), "rules_version")

    response = client.post(_url(edition), data)

    assert response.status_code == 302, _text(response)
    after = template_of(Edition.objects.get(pk=edition.pk)).to_data()
    assert after == before


def test_nested_rule_opens_as_groups_read_in_indonesian(client, edition, organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED, "third_reviewer": True})

    response = client.get(_url(edition))

    text = _text(response)
    assert ("Aturan tersimpan: Penilaian juri atas suatu entri dianggap berbeda jauh apabila "
            "(selisih nilai total juri tertinggi dan terendah paling sedikit 20 dan nilai total "
            "juri terendah kurang dari 40) atau selisih nilai total juri tertinggi dan terendah "
            "paling sedikit 30; entri tersebut kemudian dinilai oleh satu juri tambahan.") in text
    data = read_form(response.content.decode(), "rules_version")
    assert (data["c-type"], data["c-combine"]) == ("group", "any")
    assert (data["c-0-type"], data["c-0-combine"]) == ("group", "all")
    assert (data["c-0-1-measure"], data["c-0-1-comparison"], data["c-0-1-value"]) == (
        "lowest", "below", "40")
    assert (data["c-1-measure"], data["c-1-value"]) == ("spread", "30")
    assert "spread" not in text and "at_least" not in text and "presentasi" not in text


def test_nested_rule_built_with_the_add_buttons_and_saved(client, edition):
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")
    assert "Belum ada syarat." in _text(client.get(url))

    response, data = _press(client, url, data, "add-group:c")
    assert "Belum disimpan" in _text(response)
    data.update({"c-0-0-measure": "spread", "c-0-0-comparison": "at_least", "c-0-0-value": "20"})
    response, data = _press(client, url, data, "add-compare:c-0")
    data.update({"c-0-1-measure": "lowest", "c-0-1-comparison": "below", "c-0-1-value": "40"})
    response, data = _press(client, url, data, "add-compare:c")
    # what was typed before each press is still there
    assert (data["c-0-0-value"], data["c-0-1-measure"], data["c-0-1-value"]) == (
        "20", "lowest", "40")
    data.update({"c-combine": "any", "c-1-measure": "spread", "c-1-comparison": "at_least",
                 "c-1-value": "30", "head-third_reviewer": "on"})
    assert _rule(edition) is None  # nothing saved by the buttons

    response = client.post(url, data)

    assert response.status_code == 302, _text(response)
    assert _rule(edition) == {"when": NESTED, "third_reviewer": True}


def test_removing_the_last_condition_of_a_group_removes_the_group(client, edition,
                                                                  organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")

    response, data = _press(client, url, data, "remove:c-0-0")
    response, data = _press(client, url, data, "remove:c-0-0")

    assert not any(name.startswith("c-1") for name in data)
    assert (data["c-0-measure"], data["c-0-value"]) == ("spread", "30")
    assert client.post(url, data).status_code == 302
    assert _rule(edition) == {"when": {"any": [{"measure": "spread", "at_least": 30}]}}


def test_removing_every_condition_and_the_further_reviewer_removes_the_rule(client, edition,
                                                                            organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED, "third_reviewer": True})
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")
    response, data = _press(client, url, data, "remove:c")
    data.pop("head-third_reviewer")

    assert client.post(url, data).status_code == 302

    assert _rule(edition) is None


def test_value_beyond_the_scale_refused_beside_its_condition_in_plain_indonesian(client,
                                                                                 edition,
                                                                                 organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")
    data["c-0-1-value"] = "400"

    response = client.post(url, data)

    assert response.status_code == 200
    condition = _node_html(response.content.decode(), "c-0-1")
    message = re.search(r'errorlist"><li>([^<]*)', condition).group(1)
    assert message == ('Nilai 400 berada di luar skala tahap "Presentasi dokumen kinerja di '
                       'hadapan juri", yaitu 0 sampai 100; tuliskan nilai antara 0 dan 100.')
    assert 'value="400"' in condition
    assert _rule(edition) == {"when": NESTED}


def test_value_that_is_not_a_number_refused_and_kept(client, edition, organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")
    data.update({"c-1-value": "tiga puluh", "c-0-0-value": "22,5"})

    response = client.post(url, data)

    condition = _node_html(response.content.decode(), "c-1")
    assert "Tuliskan angka, misalnya 200 atau 57,5." in condition
    assert 'value="tiga puluh"' in condition
    assert 'value="22,5"' in _node_html(response.content.decode(), "c-0-0")
    assert _rule(edition) == {"when": NESTED}
    # a decimal comma is read as Indonesians write it
    data["c-1-value"] = "30"
    assert client.post(url, data).status_code == 302
    assert _rule(edition)["when"]["any"][0]["all"][0] == {"measure": "spread", "at_least": 22.5}


def test_threshold_and_conditions_together_refused_saying_which_to_keep(client, edition,
                                                                        organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    url = _url(edition)
    data = read_form(client.get(url).content.decode(), "rules_version")
    data["head-threshold"] = "25"

    response = client.post(url, data)

    text = _text(response)
    assert ('Aturan ketidaksepakatan tahap "Presentasi dokumen kinerja di hadapan juri" memakai '
            "selisih sederhana sekaligus syarat-syarat; kosongkan selisih sederhana atau hapus "
            "syarat-syaratnya.") in text
    assert "stages[" not in text and "threshold" not in text
    assert 'value="25"' in response.content.decode()


def test_frozen_rule_is_shown_without_the_buttons(client, edition, organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    institution = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kuta",
                                     kind="kelurahan")
    create_entry(edition=edition, institution=institution,
                 category=edition.categories.get(key="kelurahan"), title="Kuta Bersih",
                 actor=organiser_user)

    page = client.get(_url(edition)).content.decode()

    assert re.search(r'<select name="c-combine"[^>]*disabled', page)
    assert 'name="change"' not in page
    response = client.post(_url(edition), {"change": "remove:c", "rules_version": "1"})
    assert "aturan dibekukan" in _text(response)
    assert _rule(edition) == {"when": NESTED}


def test_nested_value_beyond_the_scale_on_the_yaml_page_names_its_line(client, edition,
                                                                       organiser_user):
    _set_rule(edition, organiser_user, {"when": NESTED})
    url = reverse("web:rules_yaml", kwargs={"slug": edition.slug})
    text = read_form(client.get(url).content.decode(), "text")["text"]
    lines = text.splitlines()
    index = next(i for i, line in enumerate(lines) if line.strip() == "below: 40")
    lines[index] = lines[index].replace("40", "400")

    response = client.post(url, {"text": "\n".join(lines)})

    listed = re.search(r'<ul class="errorlist">(.*?)</ul>', response.content.decode(), re.S)
    problems = re.findall(r"<li>([^<]*)</li>", listed.group(1))
    assert [html.unescape(p) for p in problems] == [
        f'baris {index + 1}: Nilai 400 berada di luar skala tahap "Presentasi dokumen kinerja di '
        'hadapan juri", yaitu 0 sampai 100; tuliskan nilai antara 0 dan 100.']
    assert _rule(edition) == {"when": NESTED}
