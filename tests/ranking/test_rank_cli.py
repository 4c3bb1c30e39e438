"""``sayembara rank``: results.json, the table, and bad input stopped with its location."""

from __future__ import annotations

import io

import pytest

from sayembara import scoring
from sayembara.ranking.cli import rank_main

from .helpers import Files, rank

CRITERIA = ("inovasi", "kemanfaatan", "replikasi-keberlanjutan")


def _files() -> Files:
    files = Files()
    files.entries = [("P1", "inovasi-pelayanan-publik"), ("P2", "inovasi-pelayanan-publik"),
                     ("P3", "inovasi-pelayanan-publik")]
    files.judges = [("J1", "ketua", "Birokrasi"), ("J2", "anggota", "Akademisi"),
                    ("J3", "anggota", "NGO")]
    for judge, base in (("J1", 80), ("J2", 70), ("J3", 75)):
        for n, entry in enumerate(("P1", "P2", "P3")):
            files.sheet("proposal", judge, entry, dict.fromkeys(CRITERIA, base - 5 * n))
    return files


def test_rank_writes_results_json_and_prints_the_table(tmp_path):
    outcome = rank("kipp-pemalang-2020", _files(), tmp_path, "--seed", "17",
                   "--bootstrap", "50")
    assert outcome.status == 0, outcome.stderr
    data = outcome.data
    assert data is not None
    assert data["engine_version"] == scoring.ENGINE_VERSION
    assert (data["seed"], data["bootstrap"], data["complete"]) == (17, 50, False)
    stage = outcome.stage("proposal")
    assert stage["status"] == "complete"
    category = stage["categories"][0]
    assert category["category"] == "inovasi-pelayanan-publik"
    assert category["reliability"]["design"] == "fixed"
    assert category["reliability"]["icc_average_form"] == "ICC(2,k)"
    p1 = category["entries"][0]
    assert p1["entry"] == "P1"
    assert (p1["score"], p1["raw"], p1["rank"], p1["advanced"]) == ("75", "75", 1, True)
    for field in ("calibrated", "rank_interval", "p_top_n", "reason", "score_exact",
                  "judges", "spread", "close_to_cut"):
        assert field in p1
    assert p1["reason"] == "Every scored entry goes on from this stage."
    assert [s["status"] for s in data["stages"]] == ["complete", "pending", "pending"]
    final = outcome.final()
    assert {k: (v["rank"], v["total"]) for k, v in final.items()} == {
        "P1": (1, "22.5"), "P2": (2, "21"), "P3": (3, "19.5")}
    for field in ("award", "prize", "tier", "grade", "predicate"):
        assert field in final["P1"]
    assert "Kompetisi Inovasi Pelayanan Publik Kabupaten Pemalang 2020" in outcome.stdout
    assert "P1" in outcome.stdout and "Final ranking" in outcome.stdout


def test_rank_accepts_a_decimal_comma(tmp_path):
    files = _files()
    files.scores[0] = ("proposal", "J1", "P1", "inovasi", "80,5")
    outcome = rank("kipp-pemalang-2020", files, tmp_path, "--bootstrap", "0")
    assert outcome.status == 0, outcome.stderr
    # J1's sheet for P1: 0.35 x 80.5 + 0.35 x 80 + 0.30 x 80 = 80.175
    assert outcome.entries("proposal")["P1"]["score"] == "75.058333"


def _score(files: Files, row: int, value: str) -> Files:
    stage, judge, entry, criterion, _ = files.scores[row]
    files.scores[row] = (stage, judge, entry, criterion, value)
    return files


def _cell(files: Files, row: int, column: int, value: str) -> Files:
    cells = list(files.scores[row])
    cells[column] = value
    files.scores[row] = tuple(cells)
    return files


BAD = {
    "score out of range": (lambda f: _score(f, 0, "101"), "scores.csv", 2, "score", "101",
                           "must lie between 0 and 100"),
    "not a number": (lambda f: _score(f, 1, "tinggi"), "scores.csv", 3, "score", "tinggi",
                     "must be a number"),
    "unknown stage": (lambda f: _cell(f, 2, 0, "penjurian"), "scores.csv", 4, "stage",
                      "penjurian", "no stage penjurian"),
    "unknown criterion": (lambda f: _cell(f, 0, 3, "inovatif"), "scores.csv", 2, "criterion",
                          "inovatif", "no criterion inovatif"),
    "unknown entry": (lambda f: _cell(f, 4, 2, "P9"), "scores.csv", 6, "entry", "P9",
                      "no entry P9"),
    "unknown judge": (lambda f: _cell(f, 5, 1, "J7"), "scores.csv", 7, "judge", "J7",
                      "no judge J7"),
    "duplicate row": (lambda f: (f.scores.append(f.scores[0]), f)[1], "scores.csv", 29,
                      "criterion", "inovasi", "on line 2"),
    "missing criterion": (lambda f: (f.scores.pop(1), f)[1], "scores.csv", 2, "criterion",
                          "kemanfaatan", "left criterion kemanfaatan"),
}


@pytest.mark.parametrize("case", list(BAD), ids=list(BAD))
def test_bad_score_input_stops_with_its_location_and_writes_nothing(tmp_path, case):
    change, filename, line, column, value, phrase = BAD[case]
    outcome = rank("kipp-pemalang-2020", change(_files()), tmp_path, "--bootstrap", "0")
    assert outcome.status == 2
    message = outcome.stderr
    assert filename in message
    assert f"line {line}," in message
    assert f"column {column}" in message
    assert f'value "{value}"' in message
    assert phrase in message
    assert "Nothing was written." in message
    assert not (tmp_path / "out").exists()


def test_missing_column_is_named(tmp_path):
    folder = tmp_path / "in"
    args = _files().write(folder)
    scores = folder / "scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace(",score", ",nilai", 1),
                      encoding="utf-8")
    err = io.StringIO()
    status = rank_main(["kipp-pemalang-2020", *args, "--out", str(tmp_path / "out")],
                       out=io.StringIO(), err=err)
    assert status == 2
    assert "scores.csv, line 1, column score: The header has no column score" in err.getvalue()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("mutate, filename, column, phrase", [
    (lambda f: f.entries.__setitem__(1, ("P2", "inovasi-desa")), "entries.csv", "category",
     "no category inovasi-desa"),
    (lambda f: f.entries.append(("P1", "inovasi-pelayanan-publik")), "entries.csv", "entry",
     "already listed on line 2"),
    (lambda f: f.judges.__setitem__(0, ("J1", "pengamat", "Birokrasi")), "judges.csv", "role",
     "role must be one of"),
    (lambda f: f.votes.append(("P1", "banyak")), "votes.csv", "votes", "whole number"),
    (lambda f: f.decisions.append(("proposal", "P2", "promote", "Pleno")), "decisions.csv",
     "decision", "must be one of advance, eliminate, disqualify, tiebreak"),
    (lambda f: f.decisions.append(("proposal", "P2", "eliminate", "")), "decisions.csv",
     "reason", "written reason"),
])
def test_bad_side_files_stop_with_their_location(tmp_path, mutate, filename, column, phrase):
    files = _files()
    mutate(files)
    outcome = rank("kipp-pemalang-2020", files, tmp_path, "--bootstrap", "0")
    assert outcome.status == 2
    assert filename in outcome.stderr
    assert f"column {column}" in outcome.stderr
    assert phrase in outcome.stderr
    assert not (tmp_path / "out").exists()


def test_decision_for_an_entry_that_never_reached_the_stage_names_its_line(tmp_path):
    files = _files()
    files.decisions.append(("proposal", "P3", "disqualify", "Inovasi belum berjalan"))
    files.decisions.append(("presentasi", "P3", "advance", "Pleno"))
    for judge in ("J1", "J2", "J3"):
        for entry in ("P1", "P2"):
            files.sheet("presentasi", judge, entry, dict.fromkeys(CRITERIA, 70))
    outcome = rank("kipp-pemalang-2020", files, tmp_path, "--bootstrap", "0")
    assert outcome.status == 2
    assert "decisions.csv, line 3, column entry, value \"P3\"" in outcome.stderr
    assert "did not reach stage presentasi" in outcome.stderr


def test_unknown_template_is_refused(tmp_path):
    outcome = rank("mangupura-2099", _files(), tmp_path)
    assert outcome.status == 2
    assert "no built-in template" in outcome.stderr
    assert not (tmp_path / "out").exists()


def test_fast_and_row_by_row_score_readers_agree(tmp_path):
    from sayembara.ranking.bridge import competition_from_template
    from sayembara.ranking.csvinput import _read_scores_slow, read_entries, read_scores
    from sayembara.template_format import load_template

    template = load_template("kipp-pemalang-2020")
    competition = competition_from_template(template)
    files = _files()
    files.scores.insert(3, ("proposal", "J1", "P2", "inovasi", " 77,25 "))
    files.scores = [row for row in files.scores if row[2:4] != ("P2", "inovasi")
                    or row[1] != "J1" or row[4] == " 77,25 "]
    files.judges = []
    files.write(tmp_path)
    entries, _ = read_entries(tmp_path / "entries.csv", template)
    index = {e.key: i for i, e in enumerate(entries)}
    fast = read_scores(tmp_path / "scores.csv", competition, entries, index, None)
    slow = _read_scores_slow(tmp_path / "scores.csv", competition, entries, index, None)
    for name in ("stage", "judge", "entry", "criterion", "value"):
        assert getattr(fast[0], name).tolist() == getattr(slow[0], name).tolist()
    assert fast[0].denominator == slow[0].denominator == 4
    assert [j.key for j in fast[1]] == [j.key for j in slow[1]] == ["J1", "J2", "J3"]
    assert fast[2].score_lines.tolist() == slow[2].score_lines.tolist()
    assert fast[2].score_lines.tolist()[:5] == [2, 3, 4, 5, 6]


def test_rank_table_names_each_stage_status_in_indonesian(tmp_path):
    from django.utils import translation

    with translation.override("id"):
        outcome = rank("kipp-pemalang-2020", _files(), tmp_path, "--seed", "17",
                       "--bootstrap", "20")
    assert outcome.status == 0, outcome.stderr
    headers = [line.rsplit(", ", 1)[-1] for line in outcome.stdout.splitlines()
               if line.startswith("Tahap ")]
    assert headers == ["dinilai lengkap", "belum dinilai", "belum dinilai"]
