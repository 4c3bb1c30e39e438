"""Each malformed input of the probe gives a 400 or 404 with a sentence (or the template
validator's problem list), never a server error, and a huge value is never echoed back."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories_judging import make_edition, make_organiser_user, scored_stage

pytestmark = pytest.mark.django_db

DEEP_FLOW = "x: " + "[" * 1000 + "1" + "]" * 1000 + "\n"
DEEP_BLOCK = "".join("  " * level + f"k{level}:\n" for level in range(300)) + "  " * 300 + "v\n"


def test_catalogue_with_a_superscript_year_is_a_400_with_a_sentence(client):
    response = client.get("/publik/katalog/?tahun=%C2%B2")
    assert response.status_code == 400
    assert "“²” is not a valid year." in response.content.decode()


@pytest.fixture
def judge_seat(client):
    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    client.force_login(judges[0].user)
    return edition, stage, entries[0], judges[0]


@pytest.mark.parametrize(("query", "status", "words"), [
    ("?tahap=%C2%B2", 400, "“²” is not a valid stage number."),
    ("?tahap=99999999999999999999999", 400, "is not a valid stage number"),
    ("?halaman=%D9%A3", 400, "is not a valid page number"),
])
def test_judge_home_with_a_malformed_stage_is_refused_with_a_sentence(client, judge_seat, query,
                                                                     status, words):
    response = client.get(reverse("jury:home") + query)
    assert response.status_code == status
    assert words in response.content.decode()


def test_an_id_too_long_for_the_database_matches_no_page(client, judge_seat):
    response = client.get("/juri/tahap/99999999999999999999999/entri/1/")
    assert response.status_code == 404


def test_no_url_pattern_takes_an_unbounded_integer():
    from tests.access.matrix import url_entries

    assert [e.route for e in url_entries() if "<int:" in e.route] == []


@pytest.mark.parametrize("score", ["1e1000000", "1e999999", "9" * 5000, "NaN", "²"])
def test_a_score_that_is_no_number_is_refused_briefly(client, judge_seat, score):
    _edition, stage, entry, _judge = judge_seat
    for name in ("sheet_autosave", "sheet_submit"):
        response = client.post(reverse(f"jury:{name}", args=[stage.pk, entry.pk]),
                               {"score-kebaruan": score, "version": "1"})
        text = response.content.decode()
        assert response.status_code in (200, 400, 409, 422), (name, response.status_code)
        assert "is not a number. Give Kebaruan a score from 1 to 10" in text
        assert score not in text or len(score) <= 24
        assert len(text) < 200_000


def test_autosave_with_a_superscript_version_is_refused_with_a_sentence(client, judge_seat):
    _edition, stage, entry, _judge = judge_seat
    response = client.post(reverse("jury:sheet_autosave", args=[stage.pk, entry.pk]),
                           {"score-kebaruan": "7", "version": "²"})
    assert response.status_code == 400
    assert "“²” is not a valid sheet version (reload the page)." in (
        response.content.decode())


@pytest.mark.parametrize("text", [DEEP_FLOW, DEEP_BLOCK])
def test_deeply_nested_yaml_gets_the_problem_list_on_the_rules_page(client, text):
    edition = make_edition()
    client.force_login(make_organiser_user(edition))
    response = client.post(reverse("web:rules_yaml", args=[edition.slug]), {"text": text})
    assert response.status_code < 500
    assert "nests lists or mappings more than 32 levels deep here" in (
        response.content.decode())


@pytest.mark.parametrize(("text", "line"), [(DEEP_FLOW, 1), (DEEP_BLOCK, 33)])
def test_template_validate_lists_the_problem_without_a_traceback(tmp_path, text, line):
    path = tmp_path / "deep.yaml"
    path.write_text(text)
    done = subprocess.run([sys.executable, "-m", "sayembara", "template", "validate", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={"SAYEMBARA_NO_DATA_DIR": "1", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "Traceback" not in done.stderr + done.stdout
    # The command speaks Indonesian, as the organiser's terminal does.
    assert f"deep.yaml:{line}: YAML di sini bersarang lebih dari 32 tingkat" in done.stdout


def test_a_nul_character_in_a_form_is_refused_before_any_view(client):
    response = client.get(reverse("public:catalogue"), {"q": "a\x00b"})
    assert response.status_code == 400
    assert "holds a control character (NUL)" in response.content.decode()


@pytest.mark.parametrize("value", ["9" * 30, "-1", "²", "1.5", "12 "])
def test_a_choice_by_id_refuses_a_value_that_is_no_plain_id(value):
    from sayembara.common.choices import ModelChoiceField, ModelMultipleChoiceField
    from sayembara.competitions.models import Organiser

    single = ModelChoiceField(queryset=Organiser.objects.all())
    several = ModelMultipleChoiceField(queryset=Organiser.objects.all())
    for field, data in ((single, value), (several, [value])):
        with pytest.raises(ValidationError):
            field.clean(data)


def test_no_form_chooses_rows_with_djangos_unchecked_choice_fields():
    import pathlib
    import re

    root = pathlib.Path(__file__).resolve().parents[2] / "src" / "sayembara"
    pattern = re.compile(r"forms\.Model(Multiple)?ChoiceField\(")
    found = [str(path.relative_to(root)) for path in root.rglob("*.py")
             if path.name != "choices.py" and pattern.search(path.read_text(encoding="utf-8"))]
    assert found == []

