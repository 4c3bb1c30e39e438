"""English sentences with a count read as English does for one and for several ("1 entry",
"Rank 1"), and the Indonesian catalogue has the same sentences."""

from __future__ import annotations

import dataclasses

import pytest
from django.utils import translation

from sayembara.documents.services.plain_rules import rules_in_plain_words
from sayembara.judging.selectors.stage_figures import pool_sentences
from sayembara.template_format.blank import blank_template

pytestmark = pytest.mark.django_db


def _award_lines(template) -> list[str]:
    return [str(line) for line in rules_in_plain_words(template)["awards"]]


def test_a_tier_of_one_rank_says_rank_not_ranks():
    template = blank_template(competition="Lomba Inovasi Desa", organiser="BRIDA", year=2027)
    tier = template.awards.tiers[0]
    single = dataclasses.replace(template, awards=dataclasses.replace(
        template.awards, tiers=(dataclasses.replace(tier, rank_from=1, rank_to=1,
                                                    name="Juara Umum"),)))
    with translation.override("en"):
        assert any(line.startswith("Rank 1: Juara Umum") for line in _award_lines(single))
        assert any(line.startswith("Ranks 1–3:") for line in _award_lines(template))
    with translation.override("id"):
        assert any(line.startswith("Peringkat 1: Juara Umum") for line in _award_lines(single))


def test_pool_sentences_count_one_entry_as_one():
    pools = [{"name": "desa", "advanced": 1, "competing": 1, "seats": None},
             {"name": "kelurahan", "advanced": 2, "competing": 5, "seats": 2}]
    with translation.override("en"):
        one, several = pool_sentences(pools, {"desa": "Desa", "kelurahan": "Kelurahan"})
    assert one == "Desa: 1 of 1 entry goes on."
    assert several == "Kelurahan: 2 of 5 entries go on (2 places)."
