"""The stage table of a weighted stage says what each number is: the stage's own score,
its weighted part (weight x that score) and the running total the stage ranks by, and the
rank column says it counts within the category. The edition's dashboard and the entry's
page name the same numbers with the same words."""

from __future__ import annotations

import html as html_module
import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories_public as f
from tests.factories_judging import make_organiser_user

pytestmark = pytest.mark.django_db

CELLS = re.compile(r"<t([hd])[^>]*>(.*?)</t\1>", re.S)


def _table(page: str) -> tuple[list[str], list[str]]:
    """The heading texts and the first row's cell texts of the results table."""
    table = page[page.index('<table class="stack"', page.index("side-by-side")):]
    head, body = table.split("</thead>", 1)

    def text(markup):
        return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()

    row = body.split("</tr>", 1)[0]
    return ([text(c) for _k, c in CELLS.findall(head)], [text(c) for _k, c in CELLS.findall(row)])


@pytest.fixture
def weighted_board():
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    assert stage.kind == "weighted" and stage.weight == 20
    category = edition.categories.order_by("order").first()
    entry = f.entry(edition, category=category, title="Inovasi pasar")
    # the engine's record: own score 65, weighted part 20 % x 65 = 13, running total 13;
    # ranked 1 in its category, 4 among all entries of the stage (places shared)
    f.stage_result(stage, entry, score="65", rank=1, details={
        "exact": {"score": "65", "selection": "13"}, "selection": "13", "pool": "overall",
        "pool_rank": 4})
    return edition, stage


def test_weighted_stage_columns_say_what_each_number_is(client, weighted_board):
    edition, stage = weighted_board
    client.force_login(make_organiser_user(edition))
    page = client.get(reverse("jury:stage_results", args=[edition.slug, stage.key])
                      ).content.decode()
    heads, cells = _table(page)
    assert heads[0] == "Rank in the category" and cells[0] == "1"
    columns = dict(zip(heads, cells, strict=False))
    assert columns["This stage's own score"] == "65.000"
    assert columns["Weighted part (20% of this stage's score)"] == "13.000"
    assert columns["Running total of the weighted parts so far (ranked by)"] == "13.000"
    assert "Stage score" not in heads


def test_the_same_table_in_indonesian(client, weighted_board):
    edition, stage = weighted_board
    client.force_login(make_organiser_user(edition))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("jury:stage_results", args=[edition.slug, stage.key])
                      ).content.decode()
    heads, cells = _table(page)
    columns = dict(zip(heads, cells, strict=False))
    assert columns["Peringkat dalam kategori"] == "1"
    assert columns["Nilai tahap ini (sebelum dibobot)"] == "65,000"
    assert columns["Nilai tertimbang (bobot 20% × nilai tahap ini)"] == "13,000"
    assert columns["Nilai kumulatif: jumlah nilai tertimbang sampai tahap ini "
                   "(dasar peringkat)"] == "13,000"
    assert "Kolom peringkat dihitung di dalam kategori" in page


def _two_weighted_stages(edition, entry):
    """The entry scored at the first two stages of Mangupura (weights 20 and 55): 65 then
    80, weighted parts 13 and 44, running totals 13 and 57; it is now at the second."""
    first, second = edition.stages.order_by("order")[:2]
    f.stage_result(second, entry, score="80", rank=2, details={
        "exact": {"score": "80", "selection": "57"}, "selection": "57"})
    entry.current_stage = second
    entry.save(update_fields=["current_stage"])
    return first, second


def _rows(page: str, start: str) -> list[list[str]]:
    """The heading and body rows' cell texts of the first table after ``start``."""
    table = page[page.index(start):]
    table = table[table.index("<table"):table.index("</table>")]

    def text(markup):
        return re.sub(r"\s+", " ", html_module.unescape(re.sub(r"<[^>]+>", " ", markup))).strip()

    return [[text(c) for _k, c in CELLS.findall(row)] for row in table.split("</tr>")[:-1]]


def test_the_dashboard_names_the_numbers_as_the_stage_table_does(client, weighted_board):
    edition, stage = weighted_board
    entry = edition.entries.get()
    _two_weighted_stages(edition, entry)
    client.force_login(make_organiser_user(edition))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("web:edition_dashboard", args=[edition.slug])).content.decode()
    heads, row = _rows(page, f"<h2>{entry.category.name}")[:2]
    columns = dict(zip(heads, row, strict=True))
    assert columns["Nilai tahap ini (sebelum dibobot)"] == "80,000"
    assert columns["Nilai kumulatif: jumlah nilai tertimbang sampai tahap ini "
                   "(dasar peringkat)"] == "57,000"
    assert columns["Peringkat dalam kategori"] == "2"
    assert "Nilai tahap" not in heads and "Peringkat" not in heads


def test_the_entry_page_names_each_stage_s_numbers(client, weighted_board):
    edition, stage = weighted_board
    entry = edition.entries.get()
    first, second = _two_weighted_stages(edition, entry)
    client.force_login(make_organiser_user(edition))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    heads, *rows = _rows(page, 'id="judging"')
    assert heads[:5] == ["Tahap", "Nilai tahap ini (sebelum dibobot)",
                         "Nilai tertimbang (bobot × nilai tahap ini)",
                         "Nilai kumulatif: jumlah nilai tertimbang sampai tahap ini "
                         "(dasar peringkat)", "Peringkat dalam kategori"]
    assert [row[:5] for row in rows] == [
        [first.name, "65,000", "13,000 (bobot 20%)", "13,000", "1"],
        [second.name, "80,000", "44,000 (bobot 55%)", "57,000", "2"]]
