"""The provincial Krenova of Jawa Tengah in the demo: another organiser's edition that takes
the entries Kota Magelang puts forward."""

from __future__ import annotations

import pytest

from sayembara.demo import krenova, provinsi
from sayembara.entries.enums import ReferralStatus
from sayembara.entries.models import Referral
from sayembara.judging.models import StageResult


def _both(*, summary, log):
    krenova.seed(summary=summary, log=log)
    return provinsi.seed(summary=summary, log=log)


SEED = _both
pytestmark = pytest.mark.django_db


def test_the_province_takes_entries_and_magelang_has_put_its_best_forward(seeded):
    edition = seeded.edition
    assert (edition.title, edition.organiser.name) == (
        "Lomba Krenova Provinsi Jawa Tengah 2017", "BRIDA Provinsi Jawa Tengah")
    assert edition.accepts_forwarded_entries is True
    referral = Referral.objects.get(to_edition=edition)
    assert referral.status == ReferralStatus.PENDING
    assert referral.entry.edition.organiser.name == "Balitbang Kota Magelang"
    best = StageResult.objects.get(entry=referral.entry, stage__order=3)
    assert best.rank == 1
    assert "penyelenggara-jateng" in dict(seeded.summary.accounts)
