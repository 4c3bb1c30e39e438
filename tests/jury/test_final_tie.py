"""A tie in the final ranking that the chain cannot separate waits for the jury's order:
the final results say so, a page records the order with its reason, and the engine then
places the entries by it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.entries.models import Entry
from sayembara.judging.models import FinalResult, TieOrder
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.closing import close_stage, confirm_stage, open_stage
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import make_organiser_user, scored_stage

pytestmark = pytest.mark.django_db


def _values(judge_index: int, entry_index: int, category_key: str) -> dict[str, Decimal]:
    if category_key == "opd":
        return {"kebaruan": Decimal(10 - entry_index), "bukti": Decimal(100)}
    return {"manfaat": Decimal(80 if entry_index < 2 else 50)}  # desa 1 and 2 tie


def _score(stage, entries, judges):
    for judge in judges:
        for entry in entries:
            same = [x for x in entries if x.category_id == entry.category_id]
            save_sheet(stage=stage, judge=judge, entry=entry,
                       values=_values(0, same.index(entry), entry.category.key),
                       actor=judge.user)
            submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)


def _text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def tied(settings):
    settings.LANGUAGE_CODE = "id"
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=2, top_n=2)
    _score(stage, entries, judges)
    close_stage(stage=stage, actor="s", bootstrap=0)
    confirm_stage(stage=stage, actor="s")
    final_stage = edition.stages.get(key="wawancara")
    open_stage(stage=final_stage, actor="s")
    finalists = list(Entry.objects.filter(edition=edition, current_stage=final_stage)
                     .order_by("code"))
    for judge in judges:
        for entry in finalists:
            assign(stage=final_stage, judge=judge, entry=entry, actor="s")
    _score(final_stage, finalists, judges)
    close_stage(stage=final_stage, actor="s", bootstrap=0)
    desa = [e for e in finalists if e.category.key == "desa"]
    return edition, desa


def test_the_jury_orders_a_final_tie_and_the_awards_follow(client, tied):
    edition, (first, second) = tied
    assert {f.rank for f in FinalResult.objects.filter(entry__in=[first, second])} == {1}
    client.force_login(make_organiser_user(edition))
    results = _text(client.get(reverse("jury:final_results", args=[edition.slug])))
    assert ("1 nilai sama dalam peringkat akhir tidak dapat dipisahkan oleh urutan penentuan "
            "saat nilai sama") in results
    url = reverse("jury:final_tie", args=[edition.slug])
    page = _text(client.get(url))
    assert first.code in page and second.code in page
    # the same place twice: refused, what was typed is kept
    bad = client.post(url, {"entry": [first.pk, second.pk], f"order-{first.pk}": "1",
                            f"order-{second.pk}": "1", "reason": "Rapat juri 12 Juni"})
    assert bad.status_code == 400
    assert "Berikan tempat 1 sampai 2 kepada 2 entri yang bernilai sama" in _text(bad)
    assert "Rapat juri 12 Juni" in bad.content.decode()
    done = client.post(url, {"entry": [first.pk, second.pk], f"order-{first.pk}": "2",
                             f"order-{second.pk}": "1", "reason": "Rapat juri 12 Juni"})
    assert done.status_code == 302
    assert list(TieOrder.objects.order_by("order").values_list("entry_id", flat=True)) == [
        second.pk, first.pk]
    finals = {f.entry_id: f for f in FinalResult.objects.filter(entry__in=[first, second])}
    assert (finals[second.pk].rank, finals[first.pk].rank) == (1, 2)
    assert finals[second.pk].award_tier.key == "juara-1"
    assert not (finals[second.pk].details or {}).get("open_tie")
    event = AuditEvent.objects.get(action="ranking.tie_order_recorded")
    assert event.after == {"ranking": "final", "order": [second.code, first.code]}
    assert event.reason == "Rapat juri 12 Juni"
    assert "Rapat juri 12 Juni" in _text(client.get(url))
