"""The five built-in templates validate and keep the structure of their seed articles."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from sayembara.template_format import (
    list_builtin,
    load_template,
    parse_template,
    validate_data,
)
from sayembara.template_format.loader import BUILTIN_DIR

NAMES = [
    "kipp-minut-2024",
    "kipp-pemalang-2020",
    "krenova-magelang-2017",
    "mangupura-2024",
    "pengaduan-2020",
]


def test_list_builtin_names_the_five_seed_templates():
    assert [(item.name, item.title) for item in list_builtin()] == [
        ("kipp-minut-2024", "KIPP Kabupaten Minahasa Utara 2024"),
        ("kipp-pemalang-2020", "Kompetisi Inovasi Pelayanan Publik Kabupaten Pemalang 2020"),
        ("krenova-magelang-2017", "Krenova OPD dan BUMD Kota Magelang 2017"),
        ("mangupura-2024", "Mangupura Award 2024"),
        ("pengaduan-2020", "Kompetisi Pengelolaan Pengaduan Pelayanan Publik 2020"),
    ]


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_loads_by_name_and_by_path_alike(name):
    by_name = load_template(name)
    by_path = load_template(BUILTIN_DIR / f"{name}.yaml")
    assert by_name == by_path
    assert by_name.name == name


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_records_its_assumptions(name):
    template = load_template(name)
    assert len(template.assumptions) >= 3
    assert all(sentence.rstrip().endswith(".") for sentence in template.assumptions)


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_round_trips_through_to_data(name):
    template = load_template(name)
    assert validate_data(template.to_data()) == template


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_round_trips_through_yaml_text(name):
    template = load_template(name)
    text = yaml.safe_dump(template.to_data(), allow_unicode=True, sort_keys=False)
    assert parse_template(text) == template


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_round_trips_through_json_storage(name):
    """An edition stores the data as JSON: dates become text, numbers stay numbers."""
    template = load_template(name)
    stored = json.loads(json.dumps(template.to_data(), default=str))
    assert validate_data(stored) == template


@pytest.mark.parametrize("name", NAMES)
def test_builtin_template_shifted_to_next_year_still_validates(name):
    template = load_template(name)
    shifted = template.shifted_to_year(template.year + 1)
    assert shifted.year == template.year + 1
    assert shifted.timeline.submission_deadline == template.timeline.submission_deadline.replace(
        year=template.year + 1
    )
    assert validate_data(shifted.to_data()) == shifted


def test_mangupura_has_three_categories_with_badung_sizes():
    template = load_template("mangupura-2024")
    assert [(c.id, c.capacity) for c in template.categories] == [
        ("perangkat-daerah", 39),
        ("kelurahan", 16),
        ("desa", 46),
    ]
    assert template.time_zone == "WITA"
    assert template.tz_name == "Asia/Makassar"
    assert template.submission_deadline.utcoffset() == dt.timedelta(hours=8)


def test_mangupura_stages_weigh_20_55_25_and_cut_top_10_per_category_after_stage_1():
    template = load_template("mangupura-2024")
    assert [(s.id, s.kind, s.weight) for s in template.stages] == [
        ("verifikasi-dokumen", "weighted", Decimal(20)),
        ("presentasi", "weighted", Decimal(55)),
        ("verifikasi-lapangan", "weighted", Decimal(25)),
    ]
    first = template.stages[0].advance
    assert (first.scope, first.top_n) == ("category", 10)
    assert [stage.advance for stage in template.stages[1:]] == [None, None]


def test_mangupura_aspect_5_differs_by_category():
    template = load_template("mangupura-2024")
    stage = template.stages[0]
    opd = template.rubric(stage.rubric_for("perangkat-daerah"))
    kelurahan = template.rubric(stage.rubric_for("kelurahan"))
    desa = template.rubric(stage.rubric_for("desa"))
    assert kelurahan == desa
    assert len(opd.criteria) == len(kelurahan.criteria) == 7
    differing = [
        index
        for index, (a, b) in enumerate(zip(opd.criteria, kelurahan.criteria, strict=True))
        if a != b
    ]
    assert differing == [4]
    assert kelurahan.criteria[4].name == (
        "Tata Kelola Pelayanan Publik dan Program Pengelolaan Persampahan"
    )


def test_mangupura_awards_trophies_to_ranks_1_to_3_and_certificates_to_4_to_10():
    tiers = load_template("mangupura-2024").awards.tiers
    assert [(t.rank_from, t.rank_to, t.trophy, t.certificate) for t in tiers] == [
        (1, 3, True, True),
        (4, 10, False, True),
    ]


def test_mangupura_jury_draws_on_eleven_bodies():
    panel = {p.id: p for p in load_template("mangupura-2024").panels}["dewan-juri"]
    assert len(panel.unsur) == 11
    assert panel.stages == ("presentasi", "verifikasi-lapangan")


def test_krenova_cuts_top_15_then_top_5_and_pays_5_3_2_million():
    template = load_template("krenova-magelang-2017")
    assert [c.basis for c in template.categories] == ["innovation_theme"] * 4
    assert len(template.stages) == 6
    cuts = [(s.id, s.advance.top_n) for s in template.stages if s.advance and s.advance.top_n]
    assert cuts == [("penilaian-4", 15), ("penilaian-6", 5)]
    assert [(t.rank_from, t.prize) for t in template.awards.tiers] == [
        (1, Decimal(5_000_000)),
        (2, Decimal(3_000_000)),
        (3, Decimal(2_000_000)),
    ]
    assert sum(s.weight for s in template.weighted_stages) == 100


def test_pengaduan_selects_top_46_by_group_quotas_6_30_10():
    template = load_template("pengaduan-2020")
    first = template.stages[0]
    assert first.score_source == "self_assessment"
    assert first.advance.scope == "group"
    assert [(q.unit, q.count) for q in first.advance.quotas] == [
        ("outstanding", 6),
        ("ip-umum", 30),
        ("upp", 10),
    ]
    assert sum(q.count for q in first.advance.quotas) == 46
    assert sum(q.count for q in template.stages[1].advance.quotas) == 15


def test_pengaduan_reserves_outstanding_for_2018_and_2019_winners():
    template = load_template("pengaduan-2020")
    outstanding = template.group("outstanding")
    assert outstanding.kind == "outstanding"
    assert outstanding.past_winners.years == (2018, 2019)
    assert template.shifted_to_year(2021).group("outstanding").past_winners.years == (2019, 2020)


def test_pengaduan_self_assessment_claims_every_ordinal_criterion():
    template = load_template("pengaduan-2020")
    rubric = template.rubric("penilaian-mandiri")
    assert {c.kind for c in rubric.criteria} == {"ordinal"}
    claimed = {(item.rubric, item.criterion) for item in template.entry_form.self_assessment}
    assert claimed == {(rubric.id, c.id) for c in rubric.criteria}


def test_kipp_minut_runs_six_days_with_mandatory_participants_and_a_favourite():
    template = load_template("kipp-minut-2024")
    phases = template.timeline.phases
    assert (phases[0].start, phases[-1].end) == (dt.date(2024, 5, 30), dt.date(2024, 6, 5))
    assert template.eligibility.mandatory.institutions == (
        "RSUD Maria Walanda Maramis",
        "PDAM Minahasa Utara",
        "PUD Klabat",
    )
    video = template.entry_form.video
    assert (video.min_seconds, video.max_seconds) == (60, 120)
    assert template.awards.favourite is not None
    assert template.public.favourite_vote.counts == ("likes", "comments")
    roles = [seat.role for seat in template.panels[0].seats]
    assert roles == ["ketua", "sekretaris", "anggota", "anggota", "juri_kehormatan"]


def test_kipp_pemalang_judges_proposal_presentation_interview_on_three_criteria():
    template = load_template("kipp-pemalang-2020")
    assert [s.id for s in template.stages] == ["proposal", "presentasi", "wawancara"]
    assert [c.id for c in template.rubrics[0].criteria] == [
        "inovasi",
        "kemanfaatan",
        "replikasi-keberlanjutan",
    ]
    assert template.panels[0].unsur == ("Akademisi", "NGO", "Birokrasi")


def test_shifted_to_year_moves_dates_title_and_29_february():
    template = load_template("mangupura-2024")
    data = template.to_data()
    data["timeline"]["phases"][0]["start"] = "2024-02-29"
    leap = validate_data(data)
    shifted = leap.shifted_to_year(2025)
    assert shifted.title == "Mangupura Award 2025"
    assert shifted.timeline.phases[0].start == dt.date(2025, 2, 28)
    assert shifted.stages[0].start == dt.date(2025, 8, 1)
    assert shifted.submission_deadline == dt.datetime(2025, 7, 31, 16, 0, tzinfo=template.tzinfo)
    assert leap.shifted_to_year(2024) is leap


def test_to_data_leaves_out_defaults():
    data = load_template("kipp-pemalang-2020").to_data()
    assert "groups" not in data
    assert data["stages"][0] == {
        "id": "proposal",
        "name": "Penilaian proposal",
        "kind": "weighted",
        "weight": 30,
        "start": dt.date(2020, 12, 8),
        "end": dt.date(2020, 12, 16),
        "rubric": "kriteria-inovasi",
    }


def test_builtin_directory_holds_only_the_five_templates():
    assert sorted(path.stem for path in Path(BUILTIN_DIR).glob("*.yaml")) == NAMES
