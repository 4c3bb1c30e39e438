"""Each rank of an award tier is named on its own, from the tier's data."""

import pytest

from sayembara.scoring import AwardTier


@pytest.mark.parametrize(("rank_name", "expected"), [
    ("", ["Juara Harapan", "Juara Harapan", "Juara Harapan"]),
    ("Juara Harapan {place}", ["Juara Harapan 1", "Juara Harapan 2", "Juara Harapan 3"]),
    ("Peringkat {rank}", ["Peringkat 4", "Peringkat 5", "Peringkat 6"]),
])
def test_award_of_each_rank_follows_the_tiers_rank_name(rank_name, expected):
    tier = AwardTier(key="harapan", name="Juara Harapan", rank_from=4, rank_to=6,
                     rank_name=rank_name)
    assert [tier.award_for(rank) for rank in (4, 5, 6)] == expected
