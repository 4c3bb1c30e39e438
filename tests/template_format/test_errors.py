"""Bad templates are refused with every problem, its line and a sentence saying how to fix it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sayembara.template_format import TemplateError, parse_template, validate_data

BASE = """\
name: lomba-uji
competition: Lomba Uji
title: Lomba Uji 2024
organiser: BRIDA Kabupaten Uji
year: 2024
time_zone: WITA
institution_types:
  - {id: opd, name: Perangkat Daerah}
  - {id: desa, name: Desa}
categories:
  - id: opd
    name: Perangkat Daerah
    institution_types: [opd]
    size: 12
  - id: desa
    name: Desa
    institution_types: [desa]
groups:
  - {id: umum, name: Umum, kind: umum}
  - {id: khusus, name: Khusus, kind: khusus, size: 3, past_winners: {years: [2022, 2023]}}
timeline:
  submission_deadline: 2024-05-31 23:59
  phases:
    - {id: daftar, name: Pendaftaran, start: 2024-05-01, end: 2024-05-31}
rubrics:
  - id: utama
    name: Rubrik utama
    criteria:
      - {id: kebaruan, name: Kebaruan, weight: 60}
      - {id: manfaat, name: Manfaat, weight: 40, scale_min: 6.0, scale_max: 10}
stages:
  - id: proposal
    name: Proposal
    kind: weighted
    weight: 40
    rubric: utama
    advance: {scope: category, top_n: 10}
  - id: presentasi
    name: Presentasi
    kind: weighted
    weight: 60
    rubric: utama
    advance: {scope: category, top_n: 3}
awards:
  tiers:
    - {id: juara, name: Juara, rank_from: 1, rank_to: 3, trophy: true, prize: 5000000}
"""


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    """1-based line of the ``occurrence``-th line containing ``fragment``."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if fragment in line]
    return found[occurrence - 1]


def replaced(old: str, new: str, text: str = BASE) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def problems(text: str) -> list[tuple[int | None, str]]:
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="uji.yaml")
    return [(p.line, p.message) for p in caught.value.problems]


def test_base_template_is_valid():
    template = parse_template(BASE)
    assert template.rubric("utama").criterion("manfaat").scale_min == 6


# (old text, new text, fragment on the expected line, expected sentence)
CASES = [
    pytest.param(
        "    rubric: utama\n    advance: {scope: category, top_n: 10}",
        "    rubric: utama\n    blinde: true\n    advance: {scope: category, top_n: 10}",
        "blinde",
        'The key "blinde" is not allowed in stages[0]. Did you mean "blind"?',
        id="unknown-key-with-suggestion",
    ),
    pytest.param(
        "      - {id: kebaruan, name: Kebaruan, weight: 60}",
        "      - {id: kebaruan, name: Kebaruan, weight: 55}",
        "    criteria:",
        'The criteria weights of rubric "Rubrik utama" add up to 95, not 100; change them so that '
        "they add up to 100.",
        id="criteria-weights-not-100",
    ),
    pytest.param(
        "    weight: 60",
        "    weight: 50.5",
        "stages:",
        "The weights of the weighted stages (Proposal, Presentasi) add up to 90.5, not 100; "
        "change them so that they add up to 100.",
        id="stage-weights-not-100",
    ),
    pytest.param(
        "top_n: 10}",
        "top_n: 20}",
        "top_n: 20",
        'Stage "Proposal" lets 20 entries of category "Perangkat Daerah" advance, but it holds '
        "only 12; lower the number to at most 12.",
        id="top-n-larger-than-category",
    ),
    pytest.param(
        "    advance: {scope: category, top_n: 10}",
        "    advance:\n      scope: group\n      quotas: {umum: 8, khusus: 4}",
        "quotas:",
        'Stage "Proposal" lets 4 entries of group "Khusus" advance, but it holds only 3; '
        "lower the number to at most 3.",
        id="quota-larger-than-group",
    ),
    pytest.param(
        "    advance: {scope: category, top_n: 10}",
        "    advance:\n      scope: group\n      quotas:\n        umum: 8\n        khusos: 2",
        "khusos",
        'Stage "Proposal" refers to the group "khusos", which is not defined. '
        'Did you mean "khusus"?',
        id="quota-for-missing-group",
    ),
    pytest.param(
        "    weight: 60\n    rubric: utama",
        "    weight: 60\n    rubric: utamaa",
        "rubric: utamaa",
        'Stage "Presentasi" refers to the rubric "utamaa", which is not defined. '
        'Did you mean "utama"?',
        id="stage-references-missing-rubric",
    ),
    pytest.param(
        "    weight: 40\n    rubric: utama",
        "    weight: 40\n    rubric: utama\n    rubric_by_category: {kota: utama}",
        "rubric_by_category",
        'Stage "Proposal" refers to the category "kota", which is not '
        "defined. The defined ones are desa, opd.",
        id="stage-references-missing-category",
    ),
    pytest.param(
        "end: 2024-05-31}",
        "end: 2024-02-30}",
        "end: 2024-02-30",
        'timeline.phases[0].end is the text "2024-02-30", which is not a valid date; write a '
        "real date as YYYY-MM-DD, for example 2024-05-31.",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        "end: 2024-05-31}",
        "end: 2024-04-30}",
        "end: 2024-04-30",
        'Phase "Pendaftaran" ends on 30 April 2024, before it starts on 1 May 2024; the end must '
        "not be earlier than the start.",
        id="end-before-start",
    ),
    pytest.param(
        "submission_deadline: 2024-05-31 23:59",
        "submission_deadline: 2024-05-31 25:00",
        "submission_deadline",
        'timeline.submission_deadline is the text "2024-05-31 25:00", which is not a valid '
        "date and time; write it as YYYY-MM-DD HH:MM, for example 2024-05-31 23:59.",
        id="bad-datetime",
    ),
    pytest.param(
        "submission_deadline: 2024-05-31 23:59",
        "submission_deadline: 2042-05-31 23:59",
        "submission_deadline",
        "The submission deadline is 31 May 2042 at 23.59 WITA, more than a year away from the "
        "rules' year 2024; check the year.",
        id="date-far-from-year",
    ),
    pytest.param(
        "scale_min: 6.0, scale_max: 10}",
        "scale_min: 11, scale_max: 10}",
        "scale_min: 11",
        'Criterion "Manfaat" of rubric "Rubrik utama" has a scale from 11 to 10; the lowest '
        "score must be lower than the highest.",
        id="scale-min-above-max",
    ),
    pytest.param(
        "    kind: weighted\n    weight: 60",
        "    kind: weigthed\n    weight: 60",
        "kind: weigthed",
        'stages[1].kind is the text "weigthed", which is not one of "filter", "weighted". '
        'Did you mean "weighted"?',
        id="choice-misspelt",
    ),
    pytest.param(
        "name: lomba-uji",
        "name: Lomba Uji",
        "name: Lomba Uji",
        'name is "Lomba Uji", which is not a valid id; use lower-case letters, digits, "-" and '
        '"_", starting with a letter, for example "lomba-uji".',
        id="name-not-a-slug",
    ),
    pytest.param(
        "organiser: BRIDA Kabupaten Uji\n",
        "",
        "name: lomba-uji",
        'The required key "organiser" is missing from the template (Organising body, e.g. '
        "BRIDA Kabupaten Badung). Add it.",
        id="missing-required-key",
    ),
    pytest.param(
        "awards:\n",
        "tie_break: [heaviest_stage, median]\nawards:\n",
        "tie_break",
        'The tie-break chain must end with "recorded_decision" or "lot", so that every tie is '
        "settled; add one at the end.",
        id="tie-break-not-decisive",
    ),
    pytest.param(
        "rank_to: 3,",
        "rank_to: 13,",
        "rank_to: 13",
        'Award tier "Juara" reaches rank 13, but category "Perangkat Daerah" holds only 12.',
        id="award-rank-beyond-category",
    ),
    pytest.param(
        "    weight: 40\n    rubric: utama",
        "    weight: 40\n    can_only_lower: true\n    rubric: utama",
        "can_only_lower",
        'Stage "Proposal" is the first stage, so there is no earlier score it could lower; '
        'untick "Can only lower the score" or move the stage later.',
        id="can-only-lower-first-stage",
    ),
    pytest.param(
        "years: [2022, 2023]",
        "years: [2022, 2024]",
        "years:",
        'Group "Khusus" is reserved for winners of 2024, which is not before the template\'s '
        "year 2024; list earlier years.",
        id="past-winner-year-not-past",
    ),
    pytest.param(
        "prize: 5000000}\n",
        "prize: 5000000}\n  favourite: {name: Terfavorit}\n",
        "favourite",
        "awards.favourite is decided by public votes, but public.favourite_vote is missing; "
        "add the voting window.",
        id="favourite-without-vote",
    ),
    pytest.param(
        "stages:\n",
        "entry_form:\n  video: {min_seconds: 120, max_seconds: 60}\nstages:\n",
        "max_seconds",
        "The video must last at least 120 and at most 60 seconds; min_seconds must not exceed "
        "max_seconds.",
        id="video-min-above-max",
    ),
    pytest.param(
        "      - {id: kebaruan, name: Kebaruan, weight: 60}\n"
        "      - {id: manfaat, name: Manfaat, weight: 40, scale_min: 6.0, scale_max: 10}\n",
        "      []\n",
        "criteria:",
        "rubrics[0].criteria is empty; it needs at least one item (The criteria; weights add "
        "up to the scale, 100 by default).",
        id="empty-rubric",
    ),
    pytest.param(
        "    weight: 40\n",
        "    weight: forty\n",
        "weight: forty",
        'stages[0].weight must be a number, but it is the text "forty".',
        id="not-a-number",
    ),
]


@pytest.mark.parametrize(("old", "new", "fragment", "message"), CASES)
def test_bad_template_is_refused_with_line_and_sentence(old, new, fragment, message):
    text = replaced(old, new)
    assert problems(text) == [(line_of(text, fragment), message)]


def test_filter_stage_with_weight_is_refused_and_the_weights_recounted():
    text = replaced("    kind: weighted\n    weight: 60", "    kind: filter\n    weight: 60")
    assert problems(text) == [
        (
            line_of(text, "stages:"),
            "The weights of the weighted stages (Proposal) add up to 40, not 100; change them "
            "so that they add up to 100.",
        ),
        (
            line_of(text, "    weight: 60"),
            'Stage "Presentasi" is a filter stage, so it carries no weight; remove its weight of '
            "60 or make it a weighted stage.",
        ),
    ]


def test_later_cut_wider_than_earlier_is_refused_for_each_category():
    text = replaced("top_n: 3}", "top_n: 3, multiplier: 4}")
    line = line_of(text, "multiplier: 4")
    assert problems(text) == [
        (
            line,
            f'Stage "Presentasi" lets 12 entries of category "{category}" advance, more than '
            "the 10 admitted by the cut before it; a later cut cannot be wider than an earlier "
            "one.",
        )
        for category in ("Desa", "Perangkat Daerah")
    ]


def test_duplicate_id_names_both_lines():
    text = replaced("  - id: presentasi", "  - id: proposal")
    assert problems(text) == [
        (
            line_of(text, "  - id: proposal", occurrence=2),
            'The short name "proposal" is used twice in this list (first at line '
            f"{line_of(text, '  - id: proposal')}); give each item its own short name.",
        )
    ]


def test_key_written_twice_in_one_mapping_names_both_lines():
    text = replaced("    weight: 40\n", "    weight: 40\n    weight: 45\n")
    assert problems(text) == [
        (
            line_of(text, "weight: 45"),
            'The key "weight" appears twice in the same mapping (first at line '
            f"{line_of(text, '    weight: 40')}); keep only one.",
        )
    ]


def test_unknown_key_without_a_close_match_lists_the_allowed_keys():
    text = replaced("    weight: 40\n", "    weight: 40\n    colour: red\n")
    [(line, message)] = problems(text)
    assert line == line_of(text, "colour")
    assert message.startswith(
        'The key "colour" is not allowed in stages[0]; the allowed keys are id, name, kind, '
        "weight, description, start, end,"
    )


def test_quota_larger_than_category_size_is_refused():
    text = replaced(
        "    advance: {scope: category, top_n: 10}",
        "    advance:\n      scope: category\n      quotas:\n        opd: 13\n        desa: 5",
    )
    assert problems(text) == [
        (
            line_of(text, "opd: 13"),
            'Stage "Proposal" lets 13 entries of category "Perangkat Daerah" advance, but it holds '
            "only 12; lower the number to at most 12.",
        )
    ]


def test_every_problem_is_reported_not_only_the_first():
    text = BASE
    text = replaced("time_zone: WITA", "time_zone: WIT A", text)
    text = replaced(
        "      - {id: kebaruan, name: Kebaruan, weight: 60}",
        "      - {id: kebaruan, name: Kebaruan, weight: 50}",
        text,
    )
    text = replaced("top_n: 10}", "top_n: 20}", text)
    text = replaced(
        "    rubric: utama\n    advance: {scope: category, top_n: 3}",
        "    rubric: utamx\n    advance: {scope: category, top_n: 3}",
        text,
    )
    assert problems(text) == [
        (
            line_of(text, "time_zone"),
            'time_zone is the text "WIT A", which is not one of "WIB", "WITA", "WIT". '
            'Did you mean "WITA"?',
        ),
        (
            line_of(text, "    criteria:"),
            'The criteria weights of rubric "Rubrik utama" add up to 90, not 100; change them so '
            "that they add up to 100.",
        ),
        (
            line_of(text, "top_n: 20"),
            'Stage "Proposal" lets 20 entries of category "Perangkat Daerah" advance, but it holds '
            "only 12; lower the number to at most 12.",
        ),
        (
            line_of(text, "rubric: utamx"),
            'Stage "Presentasi" refers to the rubric "utamx", which is not defined. '
            'Did you mean "utama"?',
        ),
    ]


def test_invalid_yaml_is_refused_with_its_line():
    text = replaced("    name: Desa\n", "    name: Desa\n   institution_types: [desa\n")
    [(line, message)] = problems(text)
    assert line == line_of(text, "   institution_types: [desa")
    assert message.startswith("This is not valid YAML: ")
    assert message.endswith(
        "check the indentation, colons and quotes around that place, and quote text that "
        "contains a colon, a comma or a question mark."
    )


def test_empty_text_is_refused():
    assert problems("# nothing here\n") == [
        (
            1,
            "The template is empty; write its keys (name, title, organiser, year, ...), see "
            "docs/templates.md.",
        )
    ]


def test_error_message_lists_problems_as_file_line_sentence():
    text = replaced("top_n: 10}", "top_n: 20}")
    with pytest.raises(TemplateError) as caught:
        parse_template(text, source="uji.yaml")
    assert str(caught.value) == (
        "The template uji.yaml has 1 problem:\n"
        f"uji.yaml:{line_of(text, 'top_n: 20')}: "
        'Stage "Proposal" lets 20 entries of category "Perangkat Daerah" advance, but it holds '
        "only 12; lower the number to at most 12."
    )


def test_validate_data_names_the_field_path_without_a_line():
    data = parse_template(BASE).to_data()
    data["rubrics"][0]["criteria"][1]["weight"] = "forty"
    data["stages"][1]["advance"]["top_n"] = 0
    with pytest.raises(TemplateError) as caught:
        validate_data(data)
    assert [(p.line, p.path, p.message) for p in caught.value.problems] == [
        (
            None,
            "rubrics[0].criteria[1].weight",
            'rubrics[0].criteria[1].weight must be a number, but it is the text "forty".',
        ),
        (
            None,
            "stages[1].advance.top_n",
            "stages[1].advance.top_n is 0, but it must be at least 1.",
        ),
    ]


def test_validate_data_accepts_numbers_and_dates_as_text():
    data = parse_template(BASE).to_data()
    data["stages"][0]["weight"] = "40"
    data["rubrics"][0]["criteria"][1]["scale_min"] = "6.0"
    data["timeline"]["phases"][0]["start"] = "2024-05-01"
    data["timeline"]["submission_deadline"] = "2024-05-31T23:59"
    assert validate_data(data) == parse_template(BASE)


@pytest.mark.parametrize(
    ("old", "new", "fragment", "message"),
    [
        pytest.param(
            "awards:\n",
            "entry_form:\n  self_assessment:\n"
            "    - {id: q1, question: 'Kebaruan?', rubric: utama, criterion: kebaruan}\nawards:\n",
            "q1",
            'Self-assessment item "q1" claims a level of criterion "Kebaruan", which is '
            "numeric; it must be an ordinal criterion.",
            id="self-assessment-on-numeric-criterion",
        ),
        pytest.param(
            "awards:\n",
            "awards:\n  predicates:\n    - {name: Sangat Inovatif, min: 60}\n"
            "    - {name: Inovatif, min: 35, max: 60}\n",
            "name: Inovatif",
            'Bands "Sangat Inovatif" and "Inovatif" overlap, so a score could fall in both; make '
            "their ranges separate (use min_exclusive or max_exclusive at a shared bound).",
            id="overlapping-bands",
        ),
        pytest.param(
            "      - {id: kebaruan, name: Kebaruan, weight: 60}",
            "      - id: kebaruan\n        name: Kebaruan\n        weight: 60\n"
            "        kind: ordinal\n        levels:\n          - {score: 50, label: Ada}\n"
            "          - {score: 40, label: Terbukti}",
            "score: 40",
            'Evidence level "Terbukti" scores 40, not more than the level before it (50); list '
            "levels from lowest to highest score.",
            id="ordinal-levels-not-increasing",
        ),
        pytest.param(
            "    advance: {scope: category, top_n: 10}",
            "    advance: {scope: category, top_n: 10, quotas: {opd: 3}}",
            "quotas: {opd: 3}",
            'Stage "Proposal" has both a number that advances (top N) and quotas; keep one: '
            "top N for the same number in every category, or quotas for a number of its own in "
            "each group or category.",
            id="top-n-and-quotas",
        ),
        pytest.param(
            "trophy: true, prize: 5000000}",
            "trophy: true, prize: 5000000, rank_name: 'Juara {nomor}'}",
            "rank_name",
            'The rank name of award tier "Juara" uses {nomor}; write {rank} for the rank or '
            "{place} for the place within the tier.",
            id="rank-name-with-unknown-placeholder",
        ),
    ],
)
def test_more_bad_rules_are_refused(old, new, fragment, message):
    text = replaced(old, new)
    assert problems(text) == [(line_of(text, fragment), message)]


def test_well_formed_bands_and_favourite_are_accepted():
    text = replaced(
        "awards:\n",
        "public:\n  favourite_vote: {start: 2024-06-01, end: 2024-06-05, counts: [likes]}\n"
        "awards:\n"
        "  predicates:\n"
        "    - {name: Sangat Inovatif, min: 60, min_exclusive: true}\n"
        "    - {name: Inovatif, min: 35, max: 60}\n"
        "    - {name: Kurang Inovatif, max: 35, max_exclusive: true}\n"
        "  favourite: {name: Terfavorit, winners: 2, exclude_jury_winners: true}\n",
    )
    template = parse_template(text)
    bands = template.awards.predicates
    assert [band.name for band in bands if band.contains(Decimal(60))] == ["Inovatif"]
    assert [band.name for band in bands if band.contains(Decimal(35))] == ["Inovatif"]
    assert [band.name for band in bands if band.contains(Decimal("60.01"))] == ["Sangat Inovatif"]
    assert [band.name for band in bands if band.contains(Decimal("34.99"))] == ["Kurang Inovatif"]
    assert template.awards.favourite.exclude_jury_winners is True


def test_aliases_may_repeat_a_part_of_the_template():
    text = replaced(
        "    weight: 40\n", "    weight: 40\n    slot: &slot {presentation_minutes: 7}\n"
    )
    text = replaced("    weight: 60\n", "    weight: 60\n    slot: *slot\n", text)
    template = parse_template(text)
    assert template.stages[1].slot.presentation_minutes == 7
    assert template.stages[0].slot == template.stages[1].slot


def test_alias_bomb_is_refused_without_expanding_it():
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 6):
        rows.append(f"a{level}: &a{level} [" + ", ".join([f"*a{level - 1}"] * 10) + "]")
    assert problems("\n".join(rows) + "\n") == [
        (
            None,
            "The template expands to more than 50000 values (aliases included), far more than "
            "any competition needs; write it out without repeated aliases.",
        )
    ]


@pytest.mark.parametrize(
    ("text", "fragment", "message"),
    [
        (
            "- name: lomba-uji\n",
            "- name: lomba-uji",
            "The template must be a mapping of keys to values (name: ..., title: ...), but it "
            "is a list.",
        ),
        (
            BASE.replace(
                "timeline:\n  submission_deadline: 2024-05-31 23:59\n  phases:\n"
                "    - {id: daftar, name: Pendaftaran, start: 2024-05-01, end: 2024-05-31}\n",
                "timeline: 2024\n",
            ),
            "timeline: 2024",
            "timeline must be a mapping of keys to values, but it is the number 2024.",
        ),
    ],
    ids=["root-is-a-list", "section-is-a-number"],
)
def test_wrong_shape_is_refused(text, fragment, message):
    assert problems(text) == [(line_of(text, fragment), message)]


def test_a_quota_of_zero_is_accepted_and_a_negative_quota_is_refused_on_its_line():
    zero = replaced(
        "    advance: {scope: category, top_n: 10}",
        "    advance:\n      scope: category\n      quotas:\n        opd: 0\n        desa: 5",
    ).replace("advance: {scope: category, top_n: 3}", "advance: {quotas: {desa: 3}}")
    assert parse_template(zero).stage("proposal").advance.quota("opd") == 0
    negative = zero.replace("opd: 0", "opd: -1")
    assert problems(negative) == [
        (line_of(negative, "opd: -1"), "stages[0].advance.quotas.opd.count is -1, but it must be "
         "at least 0.")
    ]


CONDITION = """\
    disagreement:
      third_reviewer: true
      when:
        all:
          - {measure: spread, at_least: 20}
          - {measure: lowest, below: 60}
"""


def test_a_disagreement_condition_is_read_and_given_to_the_engine():
    from sayembara.ranking.bridge import competition_from_template
    from sayembara.scoring import Comparison, Measure

    text = replaced("    rubric: utama\n    advance: {scope: category, top_n: 10}",
                    "    rubric: utama\n" + CONDITION + "    advance: {scope: category, top_n: 10}")
    template = parse_template(text)
    when = template.stage("proposal").disagreement.when
    assert [c.comparisons for c in when.all] == [[("at_least", 20)], [("below", 60)]]
    rule = competition_from_template(template).stages[0].aggregation.disagreement
    assert rule.threshold is None and rule.third_reviewer is True
    assert [(c.measure, c.comparison, c.value) for c in rule.when.all] == [
        (Measure.SPREAD, Comparison.AT_LEAST, 20), (Measure.LOWEST, Comparison.BELOW, 60)]


@pytest.mark.parametrize(("old", "new", "fragment", "message"), [
    ("at_least: 20}", "at_least: 20, more_than: 10}", "at_least: 20, more_than",
     'A condition of the disagreement rule of stage "Proposal" on the difference between the '
     "highest and lowest total needs exactly one comparison: more_than (is more than), "
     "at_least (is at least), below (is below) or at_most (is at most), and no all or any "
     "beside it."),
    ("{measure: lowest, below: 60}", "{below: 60}", "- {below: 60}",
     'A condition of the disagreement rule of stage "Proposal" compares with a value but does '
     "not say what is compared; add measure: spread (the difference between the highest and "
     "lowest total), lowest, highest or mean."),
    ("below: 60}", "below: 160}", "below: 160",
     'The value 160 is outside the scale of stage "Proposal", 0 to 100; write a value between '
     "0 and 100."),
    ("      third_reviewer: true\n", "      threshold: 15\n", "    disagreement:",
     'The disagreement rule of stage "Proposal" uses a simple difference and conditions at '
     "once; clear the simple difference or remove the conditions."),
    ("measure: lowest", "measure: lowermost", "lowermost",
     'stages[0].disagreement.when.all[1].measure is the text "lowermost", which is not one of '
     '"spread", "lowest", "highest", "mean". Did you mean "lowest"?'),
])
def test_a_bad_disagreement_condition_is_refused_on_its_line(old, new, fragment, message):
    text = replaced("    rubric: utama\n    advance: {scope: category, top_n: 10}",
                    "    rubric: utama\n" + CONDITION + "    advance: {scope: category, top_n: 10}")
    text = replaced(old, new, text)
    assert problems(text) == [(line_of(text, fragment), message)]


POINTS_RUBRIC = """\
  - id: telaah
    name: Telaah
    scale: 700
    criteria:
      - {id: masalah, name: Masalah, weight: 200, scale_max: 200}
      - {id: solusi, name: Solusi, weight: 500, scale_max: 500}
stages:
  - id: telaah
    name: Telaah
    kind: filter
    rubric: telaah
    disagreement: {when: {measure: spread, at_least: 200}, third_reviewer: true}
    advance: {passing_grade: 400}
"""


def _with_points(text: str = BASE) -> str:
    return replaced("stages:\n", POINTS_RUBRIC, text)


def test_a_rubric_in_points_reaches_the_engine_with_its_scale():
    from sayembara.ranking.bridge import competition_from_template

    template = parse_template(_with_points())
    assert template.rubric("telaah").scale == 700
    competition = competition_from_template(template)
    assert competition.rubric("telaah").scale == 700
    assert competition.stage_scale(competition.stages[0]) == 700
    assert competition.scale == 100  # the weighted stages stay on 0..100


@pytest.mark.parametrize(("old", "new", "fragment", "message"), [
    ("weight: 500, scale_max: 500", "weight: 400, scale_max: 500", ("    criteria:", 2),
     'The criteria weights of rubric "Telaah" add up to 600, not its scale 700; change them '
     "so that they add up to 700."),
    ("{passing_grade: 400}", "{passing_grade: 701}", ("passing_grade: 701", 1),
     'Stage "Telaah" has a passing grade of 701, above the highest score 700 it ranks by; '
     "lower it to at most 700."),
    ("at_least: 200}", "at_least: 800}", ("at_least: 800", 1),
     'The value 800 is outside the scale of stage "Telaah", 0 to 700; write a value between 0 '
     "and 700."),
    ("    kind: weighted\n    weight: 40\n    rubric: utama", "    kind: weighted\n    weight: 40\n"
     "    rubric: telaah", ("    rubric: utama", 1),
     'Stage "Presentasi" scores on a scale of 100, but the final score is on 700; weighted '
     "and can-only-lower stages use the final score's scale."),
])
def test_a_bad_rule_in_points_is_refused_on_its_line(old, new, fragment, message):
    text = replaced(old, new, _with_points())
    assert (line_of(text, *fragment), message) in problems(text)


def test_the_template_chooses_calibration_and_the_minimum_number_of_judges():
    from sayembara.ranking.bridge import competition_from_template
    from sayembara.scoring import CalibrationModel

    text = replaced("awards:\n", "calibration: {model: offset_scale, regularisation: 2.5}\n"
                    "awards:\n")
    text = replaced("    rubric: utama\n    advance: {scope: category, top_n: 10}",
                    "    rubric: utama\n    aggregation: {min_judges: 3}\n"
                    "    advance: {scope: category, top_n: 10}", text)
    competition = competition_from_template(parse_template(text))
    assert competition.calibration.model is CalibrationModel.OFFSET_SCALE
    assert competition.calibration.regularisation == Decimal("2.5")
    assert competition.stages[0].aggregation.min_judges == 3
    assert competition.stages[1].aggregation.min_judges == 1
    bad = replaced("regularisation: 2.5}", "regularisation: -1}", text)
    assert problems(bad) == [(line_of(bad, "regularisation: -1"),
                              "calibration.regularisation is -1, but it must be at least 0.")]
    bad = replaced("model: offset_scale", "model: offsets", text)
    assert problems(bad) == [(line_of(bad, "model: offsets"),
                              'calibration.model is the text "offsets", which is not one of '
                              '"offset", "offset_scale". Did you mean "offset"?')]


SPECIAL = """\
  special:
    - {id: perubahan, name: Terbaik Manajemen Perubahan, stage: presentasi, criterion: kebaruan,
       winners: 5}
    - id: dampak
      name: Terbaik Dampak
      stage: presentasi
      criterion: manfaat
      winners: 5
      exclude: [perubahan, tiers]
      prize: 2500000
"""


def test_special_awards_are_read_in_order_and_given_to_the_engine():
    from sayembara.ranking.bridge import competition_from_template

    text = replaced("awards:\n  tiers:\n", "awards:\n" + SPECIAL + "  tiers:\n")
    competition = competition_from_template(parse_template(text))
    first, second = competition.special_awards
    assert (first.key, first.stage, first.criterion, first.winners) == (
        "perubahan", "presentasi", "kebaruan", 5)
    assert (second.exclude, second.prize) == (("perubahan", "tiers"), 2500000)


@pytest.mark.parametrize(("old", "new", "fragment", "message"), [
    ("criterion: manfaat", "criterion: dampak", "criterion: dampak",
     'Special award "Terbaik Dampak" rewards criterion "dampak", which rubric "Rubrik utama" used '
     'at stage "Presentasi" does not have; the criteria are Kebaruan, Manfaat.'),
    ("exclude: [perubahan, tiers]", "exclude: [dampak]", "exclude: [dampak]",
     'Special award "Terbaik Dampak" excludes "Terbaik Dampak", which is not a special award '
     "listed before it; list earlier special awards, or tiers for the holders of a rank tier."),
    ("      stage: presentasi\n", "      stage: penjurian\n", "stage: penjurian",
     'Special award "Terbaik Dampak" refers to the stage "penjurian", which is not defined. The '
     "defined ones are presentasi, proposal."),
])
def test_a_bad_special_award_is_refused_on_its_line(old, new, fragment, message):
    text = replaced("awards:\n  tiers:\n", "awards:\n" + SPECIAL + "  tiers:\n")
    text = replaced(old, new, text)
    assert problems(text) == [(line_of(text, fragment), message)]
