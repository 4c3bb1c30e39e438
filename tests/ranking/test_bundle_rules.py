"""A results bundle carries the rules issue by issue: scores in points, a declared
disagreement condition, a quota of zero, special awards by criterion, the calibration model
and the minimum number of judges; ``bundle verify`` recomputes them all."""

from __future__ import annotations

import json
from pathlib import Path

from .helpers import Files, bundle, rank

TEMPLATE = """\
name: lomba-poin
competition: Lomba Poin
title: Lomba Poin 2025
organiser: BRIDA Uji
year: 2025
time_zone: WIB
institution_types:
  - {id: opd, name: Perangkat Daerah}
  - {id: bumn, name: BUMN}
categories:
  - {id: opd, name: Perangkat Daerah, institution_types: [opd]}
  - {id: bumn, name: BUMN, institution_types: [bumn]}
timeline:
  submission_deadline: 2025-05-31 23:59
rubrics:
  - id: telaah
    name: Telaah
    scale: 700
    criteria:
      - {id: perubahan, name: Manajemen perubahan, weight: 300, scale_max: 300}
      - {id: dampak, name: Dampak, weight: 400, scale_max: 400}
stages:
  - id: telaah
    name: Telaah
    kind: weighted
    weight: 100
    rubric: telaah
    aggregation: {min_judges: 2}
    disagreement:
      third_reviewer: true
      when:
        all:
          - {measure: spread, at_least: 200}
          - {measure: lowest, below: 400}
    advance: {passing_grade: 400, quotas: {opd: 5, bumn: 0}}
tie_break: [heaviest_criterion, lot]
calibration: {model: offset, regularisation: 2}
awards:
  special:
    - {id: perubahan, name: Terbaik Perubahan, stage: telaah, criterion: perubahan, winners: 1}
    - {id: dampak, name: Terbaik Dampak, stage: telaah, criterion: dampak, winners: 1,
       exclude: [perubahan]}
"""


def _files() -> Files:
    files = Files()
    files.entries = [(k, "opd") for k in "ABCDFG"] + [("E", "bumn")]
    points = {"A": ((250, 300), (250, 310)), "B": ((200, 350), (210, 350)),
              "C": ((150, 250), (160, 250)), "D": ((100, 300), (110, 290)),
              "F": ((100, 299), (100, 300)), "G": ((200, 250), (300, 350)),
              "E": ((280, 390), (290, 380))}
    for entry, sheets in points.items():
        for judge, (p, d) in zip(("J1", "J2"), sheets, strict=True):
            files.sheet("telaah", judge, entry, {"perubahan": p, "dampak": d})
    return files


def test_the_rules_reach_results_json_and_a_bundle_verifies_them(tmp_path: Path):
    template = tmp_path / "lomba-poin.yaml"
    template.write_text(TEMPLATE, encoding="utf-8")
    outcome = rank(str(template), _files(), tmp_path, "--bootstrap", "0")
    assert outcome.status == 0, outcome.stderr
    stage = outcome.entries("telaah")
    assert stage["A"]["score"] == "555"            # (550 + 560) / 2 points
    assert stage["D"]["score"] == "400"            # exactly the pass mark: it goes on
    assert (stage["D"]["advanced"], stage["F"]["advanced"]) == (True, False)  # F: 399.5
    assert stage["F"]["reason_code"] == "below_passing_grade"
    # G: 450 and 650 differ by 200, but neither is below 400: no further reviewer
    assert (stage["G"]["disagreement"], stage["G"]["needs_extra_judge"]) == (False, False)
    assert (stage["E"]["advanced"], stage["E"]["reason_code"]) == (False, "no_quota")
    final = outcome.final()
    # per category: A and G tie on change management (250); the chain's heaviest criterion
    # (impact, 305 against 300) puts A first. B is the best on impact once A is passed over.
    assert final["A"]["special_awards"] == ["Terbaik Perubahan"]
    assert final["B"]["special_awards"] == ["Terbaik Dampak"]
    assert final["E"]["special_awards"] == ["Terbaik Perubahan"]
    assert final["G"]["special_awards"] == []
    out = tmp_path / "bundle"
    status, _out, err = bundle("export", str(template), *_files().write(tmp_path / "in2"),
                               "--bootstrap", "0", "--out", str(out))
    assert status == 0, err
    data = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert data["engine_version"]
    status, stdout, _ = bundle("verify", str(out))
    assert (status, stdout.startswith("Identical")) == (0, True)


def test_a_tie_at_a_special_awards_last_place_is_reported_and_a_bundle_carries_its_order(
        tmp_path: Path):
    template = tmp_path / "lomba-poin.yaml"
    template.write_text(TEMPLATE.replace("tie_break: [heaviest_criterion, lot]",
                                         "tie_break: [recorded_decision]"), encoding="utf-8")
    # A and G both have 250 on change management and nothing in the chain separates them
    outcome = rank(str(template), _files(), tmp_path / "open", "--bootstrap", "0")
    assert outcome.status == 0, outcome.stderr
    data = outcome.data
    assert data["complete"] is False
    assert data["special_open_ties"] == [
        {"award": "perubahan", "category": "opd", "places": 1, "entries": ["A", "G"]}]
    files = _files()
    files.decisions = [("perubahan", "G", "tiebreak", "Rapat dewan juri", 1),
                       ("perubahan", "A", "tiebreak", "Rapat dewan juri", 2)]
    decided = rank(str(template), files, tmp_path / "decided", "--bootstrap", "0")
    assert decided.status == 0, decided.stderr
    final = decided.final()
    assert final["G"]["special_awards"] == ["Terbaik Perubahan"]
    assert final["B"]["special_awards"] == ["Terbaik Dampak"]
    out = tmp_path / "bundle"
    status, _out, err = bundle("export", str(template), *files.write(tmp_path / "in2"),
                               "--bootstrap", "0", "--out", str(out))
    assert status == 0, err
    status, stdout, _ = bundle("verify", str(out))
    assert (status, stdout.startswith("Identical")) == (0, True)
