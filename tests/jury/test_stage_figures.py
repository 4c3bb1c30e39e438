"""The stage closing page and the chair's view speak Indonesian about the engine's figures:
which score is official, why calibration was refused (naming the judges), how reliable the
judging was, each judge's tendency, and the quotas by display name."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from sayembara.judging.selectors.stage_figures import (
    pool_sentences,
    reliability_sentence,
    tendency,
)
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.closing import close_stage
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import (
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    make_organiser_user,
    open_stage,
    small_template,
)

pytestmark = pytest.mark.django_db

NAMES = ["Ani Wulandari", "Budi Santoso", "Citra Dewi", "Dewa Ayu Sri Utami"]


def _two_separate_panels():
    """Kategori Desa scored by two pairs of judges that never share an entry."""
    edition = make_edition(template=small_template(top_n=2))
    stage = open_stage(edition.stages.get(key="proposal"))
    judges = [make_judge(edition, name=name) for name in NAMES]
    entries = [make_entry(edition, category_key="desa",
                          institution=make_institution(edition, kind="desa"))
               for _ in range(4)]
    for index, entry in enumerate(entries):
        pair = judges[:2] if index < 2 else judges[2:]
        for j, judge in enumerate(pair):
            assign(stage=stage, judge=judge, entry=entry, actor="test")
            save_sheet(stage=stage, judge=judge, entry=entry,
                       values={"manfaat": Decimal(60 + 7 * index + 3 * j)}, actor=judge.user)
            submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    close_stage(stage=stage, actor="sekretariat", bootstrap=100)
    return edition, stage


def _text(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def indonesian(settings):
    settings.LANGUAGE_CODE = "id"


@pytest.mark.parametrize("view", ["jury:stage_close", "jury:stage_results"])
def test_refused_calibration_names_the_groups_of_judges_in_indonesian(client, indonesian, view):
    edition, stage = _two_separate_panels()
    client.force_login(make_organiser_user(edition))
    response = client.get(reverse(view, args=[edition.slug, stage.key]) + "?kategori=desa")
    text = _text(response)
    assert ("Nilai resmi tahap ini adalah nilai mentah; nilai terkalibrasi ditampilkan di "
            "sampingnya sebagai pembanding.") in text
    assert ("Kategori Desa: Kalibrasi tidak dapat dilakukan: para juri terbagi menjadi 2 "
            "kelompok yang tidak pernah menilai entri yang sama (kelompok 1: Ani Wulandari, "
            "Budi Santoso; kelompok 2: Citra Dewi, Dewa Ayu Sri Utami)") in text
    assert "Agar kalibrasi dapat dilakukan" in text
    assert "Keandalan penilaian antarjuri untuk Kategori Desa" in text
    assert "Peluang masuk 2 besar" in text
    assert "Rentang peringkat (keyakinan 90%)" in text
    # No engine words, codes or judge keys reach the page.
    for word in ("raw", "overall", "offset", "icc_", "per_judge", "{j", "desa:",
                 "Calibration", "P(top", "within its"):
        assert word not in text


def test_closing_page_states_each_quota_by_its_category_name(client, indonesian):
    edition, stage = _two_separate_panels()
    client.force_login(make_organiser_user(edition))
    text = _text(client.get(reverse("jury:stage_close", args=[edition.slug, stage.key])
                            + "?kategori=desa"))
    assert "Kategori Desa: 2 dari 4 entri lolos ke tahap berikutnya (kuota 2)." in text
    assert "Peringkat 1 dalam Kategori Desa" in text


def test_reliability_sentence_uses_indonesian_numbers_and_a_plain_level():
    figures = {"icc_average": 0.8712, "k": 3.0, "entries": 1250, "judges": 3}
    with translation.override("id"):
        assert reliability_sentence(figures, "Kategori Kelurahan") == (
            "Keandalan penilaian antarjuri untuk Kategori Kelurahan baik (ICC 0,87 untuk "
            "rata-rata nilai 3 juri; 1.250 entri, 3 juri).")
        assert "rendah (ICC 0,42 untuk rata-rata nilai 2,4 juri;" in reliability_sentence(
            {"icc_average": 0.42, "k": 2.37, "entries": 40, "judges": 9}, "semua entri")
        assert reliability_sentence({"icc_average": None}, "Kategori Desa") == (
            "Keandalan penilaian antarjuri untuk Kategori Desa tidak dapat diukur: diperlukan "
            "sedikitnya dua entri yang masing-masing dinilai oleh dua juri atau lebih.")


@pytest.mark.parametrize(("severity", "text"), [
    (-3.25, "lebih ketat 3,3 poin"),
    (1.5, "lebih longgar 1,5 poin"),
    (0.01, "setara dengan juri lain"),
    (None, "tidak dapat diukur (tidak ada entri yang juga dinilai juri lain)"),
])
def test_judge_tendency_reads_as_the_glossary_says(severity, text):
    with translation.override("id"):
        assert tendency(severity) == text


def test_pool_without_a_cut_and_a_quota_read_as_sentences():
    pools = [{"name": "ip-umum", "seats": 30, "competing": 1222, "advanced": 30},
             {"name": "overall", "seats": None, "competing": 12, "advanced": 12}]
    with translation.override("id"):
        assert pool_sentences(pools, {"ip-umum": "Instansi Pemerintah Umum",
                                      "overall": "semua entri tahap ini"}) == [
            "Instansi Pemerintah Umum: 30 dari 1.222 entri lolos ke tahap berikutnya "
            "(kuota 30).",
            "Semua entri tahap ini: 12 dari 12 entri lolos ke tahap berikutnya.",
        ]


def test_the_stage_results_state_the_declared_disagreement_rule(client, indonesian):
    from sayembara.template_format import parse_template
    from tests.factories_judging import SMALL_TEMPLATE

    text = SMALL_TEMPLATE.format(n=901, top_n=2).replace(
        "    advance: {scope: category, top_n: 2}",
        "    disagreement:\n      when:\n        all:\n"
        "          - {measure: spread, at_least: 20}\n          - {measure: lowest, below: 60.5}\n"
        "    advance: {scope: category, top_n: 2}")
    edition = make_edition(template=parse_template(text, source="uji.yaml"))
    stage = open_stage(edition.stages.get(key="proposal"))
    judges = [make_judge(edition, name=name) for name in NAMES[:2]]
    entry = make_entry(edition, category_key="desa",
                       institution=make_institution(edition, kind="desa"))
    for judge, value in zip(judges, (50, 70), strict=True):
        assign(stage=stage, judge=judge, entry=entry, actor="test")
        save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": Decimal(value)},
                   actor=judge.user)
        submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    close_stage(stage=stage, actor="sekretariat", bootstrap=0)
    client.force_login(make_organiser_user(edition))
    page = _text(client.get(reverse("jury:stage_results", args=[edition.slug, stage.key])
                            + "?kategori=desa"))
    assert ("Penilaian juri atas suatu entri dianggap berbeda jauh apabila selisih nilai total "
            "juri tertinggi dan terendah paling sedikit 20 dan nilai total juri terendah kurang "
            "dari 60,5.") in page
