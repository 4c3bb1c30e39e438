"""What a judge reads before locking a sheet (every score and the total) and the entry's
summary shown once beside the rubric."""

import re
from fractions import Fraction

import pytest
from django.urls import reverse

from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import ScoreSheet
from sayembara.scoring import Criterion, MissingPolicy, Normalisation, Rubric
from sayembara.scoring.sheets import sheet_total
from tests.factories_judging import scored_stage, small_template

pytestmark = pytest.mark.django_db

SECTIONS = """
entry_form:
  sections:
    - {id: ringkasan, title: Ringkasan, max_words: 200}
    - {id: dampak, title: Dampak}
"""


@pytest.fixture
def setting(monkeypatch):
    import tests.factories_judging as factories

    template = small_template(extra=SECTIONS)
    monkeypatch.setattr(factories, "small_template", lambda **_kw: template)
    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    return stage, entries[0], judges[0]


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_confirmation_lists_every_score_and_the_total_before_locking(client, setting):
    stage, entry, judge = setting
    client.force_login(judge.user)
    url = reverse("jury:sheet_submit", args=[stage.pk, entry.pk])
    asked = client.post(url, {"version": 1, "score-kebaruan": "8,5", "score-bukti": "70"})
    text = _text(asked)
    assert f"You are about to submit and lock your scores for {entry.code}" in text
    assert "The scores you are locking" in text
    assert "Kebaruan 8.5" in text
    assert "Bukti dukung Peraturan Kepala Daerah (70)" in text
    # 60 x 8.5 / 10 + 40 x 70 / 100 = 51 + 28
    assert "Total 79.000 of 100" in text
    assert ScoreSheet.objects.get(entry=entry, judge=judge).status == SheetStatus.DRAFT


def test_the_autosave_keeps_the_dialogs_total_up_to_date(client, setting):
    stage, entry, judge = setting
    client.force_login(judge.user)
    saved = client.post(reverse("jury:sheet_autosave", args=[stage.pk, entry.pk]),
                        {"version": 1, "score-kebaruan": "10"}).content.decode()
    assert 'id="sheet-total" hx-swap-oob="true">—<' in saved  # Bukti dukung is not scored
    saved = client.post(reverse("jury:sheet_autosave", args=[stage.pk, entry.pk]),
                        {"version": 2, "score-bukti": "100"}).content.decode()
    assert 'id="sheet-total" hx-swap-oob="true">100.000<' in saved
    page = _text(client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])))
    assert "Total 100.000 of 100" in page


def test_one_sheet_total_follows_the_missing_policy_and_normalisation():
    criteria = (Criterion(key="a", weight=60, scale_min=1, scale_max=10),
                Criterion(key="b", weight=40, scale_min=0, scale_max=100))
    rubric = Rubric(key="r", criteria=criteria)
    assert sheet_total(rubric, {"a": Fraction(17, 2), "b": Fraction(70)}) == 79
    assert sheet_total(rubric, {"a": Fraction(5)}) is None  # block: not complete
    zero = Rubric(key="r", criteria=criteria, missing=MissingPolicy.ZERO)
    assert sheet_total(zero, {"a": Fraction(5)}) == 30
    reweight = Rubric(key="r", criteria=criteria, missing=MissingPolicy.REWEIGHT)
    assert sheet_total(reweight, {"a": Fraction(5)}) == 50
    min_max = Rubric(key="r", criteria=criteria, normalisation=Normalisation.MIN_MAX)
    assert sheet_total(min_max, {"a": Fraction(10), "b": Fraction(0)}) == 60


def test_a_summary_the_proposal_repeats_is_shown_once(client, setting):
    stage, entry, judge = setting
    Entry.objects.filter(pk=entry.pk).update(
        summary="Antrean puskesmas panjang. Kini pasien mendaftar dari rumah.",
        proposal={"ringkasan": "Daftar Sehat. Antrean puskesmas panjang. Warga kini memakai "
                               "aplikasi. Kini pasien mendaftar dari rumah.",
                  "dampak": "Waktu tunggu turun."})
    client.force_login(judge.user)
    page = _text(client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])))
    assert page.count("Antrean puskesmas panjang.") == 1
    assert page.count("Ringkasan") == 1
    assert "Short description for the catalogue" not in page

    Entry.objects.filter(pk=entry.pk).update(summary="Aplikasi pendaftaran puskesmas.")
    page = _text(client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])))
    assert "Short description for the catalogue Aplikasi pendaftaran puskesmas." in page
    assert page.count("Ringkasan") == 1
