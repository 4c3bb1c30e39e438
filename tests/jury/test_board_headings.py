"""The stage table of a weighted stage says what each number is: the stage's own score,
its weighted part (weight x that score) and the running total the stage ranks by, and the
rank column says it counts within the category."""

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
    table = page[page.index('<table class="stack">', page.index("side-by-side")):]
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
