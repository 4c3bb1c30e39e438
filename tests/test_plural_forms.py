"""English says "1 entry" and "2 entries": every sentence built around a number has plural forms.

Indonesian has a single form, so only English shows the mistake. Each sentence named in the
issue is rendered with 1 and with 2; a scan of the source then keeps new count sentences from
being written with gettext alone.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from sayembara.common.services.audit import record_event
from sayembara.template_format import TemplateError, parse_template
from tests.api.helpers import bearer, organiser_with_token
from tests.factories import OrganiserFactory
from tests.template_format.test_errors import replaced

SOURCE = Path(__file__).resolve().parent.parent / "src" / "sayembara"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _registry_file(tmp_path, rows: int) -> Path:
    path = tmp_path / f"badung-{rows}.csv"
    lines = [f"Desa Dalung {n},desa,,51.03.05.200{n}," for n in range(1, rows + 1)]
    path.write_text("nama,jenis,induk,kode wilayah,surel\n" + "\n".join(lines) + "\n")
    return path


@pytest.mark.django_db
@pytest.mark.parametrize(("rows", "expected"), [
    (1, "Imported 1 row: 1 institution added, 0 updated, 0 unchanged; 0 entries created."),
    (2, "Imported 2 rows: 2 institutions added, 0 updated, 0 unchanged; 0 entries created."),
])
def test_the_import_summary_counts_rows_and_institutions_in_english(tmp_path, capsys, rows,
                                                                     expected):
    OrganiserFactory(slug="brida-badung")
    call_command("registry", "import", str(_registry_file(tmp_path, rows)),
                 "--organiser", "brida-badung", "--commit")
    assert expected in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(("events", "expected"), [
    (1, "Audit chain intact: 1 event checked."),
    (2, "Audit chain intact: 2 events checked."),
])
def test_audit_verify_counts_the_events_it_checked(capsys, events, expected):
    for number in range(events):
        record_event(actor="cli:test", action="thing.changed", object_type="demo.thing",
                     object_id=str(number), after={"value": number})
    call_command("audit", "verify")
    assert expected in capsys.readouterr().out


@pytest.mark.django_db
@pytest.mark.parametrize(("bad_rows", "expected"), [
    (1, "Nothing was imported: 1 problem. Correct the row and send it again."),
    (2, "Nothing was imported: 2 problems. Correct the rows and send them again."),
])
def test_the_api_counts_the_problems_of_a_refused_import(client, bad_rows, expected):
    _organiser, _user, new = organiser_with_token(scopes=["import"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rows = [{"name": f"Puskesmas {n}", "type": "perangkat_daerah", "email": "bukan-surel"}
            for n in range(bad_rows)]
    response = client.post("/api/v1/organiser/registry/import", {"commit": True, "rows": rows},
                           content_type="application/json",
                           **bearer(new.secret))
    assert response.status_code == 422
    assert response.json()["detail"] == expected


def _messages(text: str) -> list[str]:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="uji.yaml")
    return [problem.message for problem in caught.value.problems]


@pytest.mark.parametrize(("participants", "expected"), [
    ("[Dinas Kesehatan]",
     'Category "Perangkat Daerah" has 12 participants when fixed but lists 1 participant;'),
    ("[Dinas Kesehatan, Dinas Sosial]",
     'Category "Perangkat Daerah" has 12 participants when fixed but lists 2 participants;'),
])
def test_template_validation_counts_listed_participants(participants, expected):
    text = replaced("    size: 12\n", f"    size: 12\n    participants: {participants}\n")
    assert any(message.startswith(expected) for message in _messages(text))


def test_template_validation_counts_trimmed_scores_and_judges():
    # The schema asks for at least three judges, so this check only meets two or more scores.
    text = replaced(
        "    rubric: utama\n    advance: {scope: category, top_n: 10}",
        "    rubric: utama\n    aggregation: {method: trimmed_mean, trim: 2, "
        "trim_from_judges: 4}\n    advance: {scope: category, top_n: 10}")
    assert any("drops 2 scores at each end from 4 judges, which leaves nothing" in message
               for message in _messages(text))


#: Count sentences whose number is never below two, so the plural is always right.
ALWAYS_PLURAL = {
    ("documents/services/plain_rules.py", "%(count)s judges"),  # only said when above 1
    ("entries/validators.py", "%(count)s files"),  # an archive far beyond any document
    ("judging/services/closing.py", "%(count)s tied entries"),  # a tie is two or more
    ("judging/services/sheets.py", "%(count)s scores"),  # one refusal is said on its own
    ("jury/views/manage.py", "%(n)s separate groups"),  # said only when not connected
    ("ranking/messages.py", "%(count)s groups"),  # said only for two groups or more
    ("template_format/checks.py", "%(count)s ketua seats"),  # said only above one
    ("voting/services/comments.py", "%(count)s characters"),  # said only above the limit
}
COUNT_THEN_PLURAL = re.compile(r"%\((?:count|n|counter|total)\)[sd] (?:[a-z-]+ ){0,2}?[a-z]+s\b")


def test_no_count_sentence_is_written_without_plural_forms():
    found = set()
    for path in SOURCE.rglob("*.py"):
        relative = path.relative_to(SOURCE).as_posix()
        if "/migrations/" in relative or relative.startswith("scoring/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name not in ("_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy"):
                continue
            for argument in node.args:
                if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                    match = COUNT_THEN_PLURAL.search(argument.value)
                    if match:
                        found.add((relative, match.group(0)))
    assert found - ALWAYS_PLURAL == set()
