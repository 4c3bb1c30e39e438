"""A tie across the last place of a special award waits for the jury's order: the final
results and the closing page name it, the order page records it with its reason, and the
engine then gives the award by it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sayembara.competitions.models import Edition
from sayembara.judging.models import FinalResult, TieOrder
from tests.factories_judging import make_organiser_user
from tests.jury.test_final_tie import _text, tied  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

AWARD = {"id": "manfaat-terbaik", "name": "Manfaat Terbaik", "stage": "wawancara",
         "criterion": "manfaat", "winners": 1, "categories": ["desa"]}


@pytest.fixture
def special(tied):  # noqa: F811
    edition, desa = tied
    rules = edition.rules
    rules.setdefault("awards", {})["special"] = [AWARD]
    Edition.objects.filter(pk=edition.pk).update(rules=rules)
    edition.refresh_from_db()
    from sayembara.judging.services.closing import last_computed_stage, recompute_stage

    recompute_stage(stage=last_computed_stage(edition), actor="s")
    return edition, desa


def test_the_jury_orders_a_tie_at_the_last_place_of_a_special_award(client, special):
    edition, (first, second) = special
    client.force_login(make_organiser_user(edition))
    url = reverse("jury:final_tie", args=[edition.slug])
    # the final ranking's own tie comes first: special awards follow the final ranking
    assert "Manfaat Terbaik" not in _text(client.get(url))
    client.post(url, {"ranking": "final", "entry": [first.pk, second.pk],
                      f"order-{first.pk}": "1", f"order-{second.pk}": "2",
                      "reason": "Rapat juri 14 Juni"})
    results = _text(client.get(reverse("jury:final_results", args=[edition.slug])))
    assert "Manfaat Terbaik" in results and first.code in results and second.code in results
    assert "1 penghargaan khusus memiliki entri bernilai sama di tempat terakhirnya" in results
    close = _text(client.get(reverse("jury:stage_close", args=[edition.slug, "wawancara"])))
    assert "Manfaat Terbaik" in close and "1 tempat tersisa untuk" in close
    assert "Manfaat Terbaik, Kategori Desa: 1 tempat tersisa" in _text(client.get(url))
    # a place written as text: refused with a sentence, what was typed is kept
    bad = client.post(url, {"ranking": AWARD["id"], "entry": [first.pk, second.pk],
                            f"order-{first.pk}": "satu", f"order-{second.pk}": "2",
                            "reason": "Rapat juri 14 Juni"})
    assert bad.status_code == 400
    assert "Rapat juri 14 Juni" in bad.content.decode()
    done = client.post(url, {"ranking": AWARD["id"], "entry": [first.pk, second.pk],
                             f"order-{first.pk}": "2", f"order-{second.pk}": "1",
                             "reason": "Rapat juri 14 Juni"})
    assert done.status_code == 302
    assert list(TieOrder.objects.filter(ranking=AWARD["id"]).order_by("order")
                .values_list("entry_id", flat=True)) == [second.pk, first.pk]
    assert not any((f.details or {}).get("special_ties")
                   for f in FinalResult.objects.filter(edition=edition))
    # the award goes by the jury's order, whatever the final ranking's order
    finals = {f.entry_id: f for f in FinalResult.objects.filter(entry__in=[first, second])}
    assert finals[second.pk].details["special_awards"] == ["Manfaat Terbaik"]
    assert not finals[first.pk].details.get("special_awards")
    assert "Manfaat Terbaik: 1." in _text(client.get(url))


def test_an_order_for_an_award_without_a_tie_is_refused(client, special):
    edition, (first, second) = special
    client.force_login(make_organiser_user(edition))
    response = client.post(reverse("jury:final_tie", args=[edition.slug]),
                           {"ranking": "tidak-ada", "entry": [first.pk, second.pk],
                            f"order-{first.pk}": "1", f"order-{second.pk}": "2",
                            "reason": "x"})
    assert response.status_code == 400
    assert not TieOrder.objects.filter(ranking="tidak-ada").exists()
