"""Results bundles: export with pseudonyms and a manifest, verify identical or the first
difference."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from sayembara.ranking.bundle import BundleInputs, pseudonyms, verify_bundle, write_bundle
from sayembara.ranking.pipeline import template_text

from .helpers import Files, bundle

CRITERIA = ("penguasaan", "manfaat", "keberlanjutan")
VIDEO = ("masalah", "kebaruan", "manfaat", "kreativitas")
JURY = ("Novly Wowiling", "Magdalena Wullur", "Hanny Tambani", "Robby Parengkuan")


def _files() -> Files:
    files = Files()
    names = [f"M{i}" for i in range(1, 9)]
    files.entries = [(k, "tata-kelola") for k in names]
    files.judges = [(JURY[0], "ketua", "Sekretariat Daerah"),
                    (JURY[1], "sekretaris", "Akademisi"),
                    (JURY[2], "anggota", "BAPPEDA"), (JURY[3], "anggota", "Kominfo"),
                    ("Joune Ganda", "juri_kehormatan", "Bupati")]
    for i, k in enumerate(names):
        for j, judge in enumerate(JURY):
            files.sheet("penilaian-video", judge, k, dict.fromkeys(VIDEO, 60 + 3 * i + j))
    for i, k in enumerate(names[2:]):
        for j, judge in enumerate(JURY):
            files.sheet("wawancara", judge, k, dict.fromkeys(CRITERIA, 70 + 2 * i - j))
    files.votes = [(k, 10 * i) for i, k in enumerate(names)]
    return files


def _export(tmp_path: Path, name: str = "bundle", *extra: str) -> Path:
    out = tmp_path / name
    status, stdout, stderr = bundle("export", "kipp-minut-2024",
                                    *_files().write(tmp_path / "in"), "--seed", "2024",
                                    "--bootstrap", "40", "--out", str(out), *extra)
    assert status == 0, stderr
    assert "Bundle written to" in stdout
    return out


def _reseal(root: Path) -> None:
    lines = []
    for path in sorted(p for p in root.rglob("*") if p.is_file() and p.name != "MANIFEST.sha256"):
        rel = path.relative_to(root).as_posix()
        lines.append(f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {rel}\n")
    (root / "MANIFEST.sha256").write_text("".join(lines), encoding="utf-8")


def test_exported_bundle_verifies_identical(tmp_path):
    root = _export(tmp_path)
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) == [
        "MANIFEST.sha256", "bundle.json", "inputs/entries.csv", "inputs/judges.csv",
        "inputs/scores.csv", "inputs/votes.csv", "results.json", "template.yaml"]
    meta = json.loads((root / "bundle.json").read_text(encoding="utf-8"))
    assert (meta["seed"], meta["bootstrap"], meta["judges_pseudonymised"]) == (2024, 40, True)
    status, stdout, _ = bundle("verify", str(root))
    assert status == 0
    assert stdout.startswith("Identical")


def test_judge_names_are_replaced_by_stable_pseudonyms(tmp_path):
    first, second = _export(tmp_path, "one"), _export(tmp_path, "two")
    for root in (first, second):
        text = "".join(p.read_text(encoding="utf-8") for p in root.rglob("*") if p.is_file())
        assert not any(name in text for name in (*JURY, "Joune Ganda"))
    assert (first / "inputs/scores.csv").read_bytes() == (second / "inputs/scores.csv").read_bytes()
    judges = (first / "inputs/judges.csv").read_text(encoding="utf-8").splitlines()
    assert judges[0] == "judge,role,institution"
    assert sorted(line.split(",")[0] for line in judges[1:]) == ["J01", "J02", "J03", "J04", "J05"]
    assert "juri_kehormatan,Bupati" in "\n".join(judges)
    kept = _export(tmp_path, "named", "--keep-judge-names")
    assert JURY[0] in (kept / "inputs/scores.csv").read_text(encoding="utf-8")


def test_pseudonyms_do_not_follow_alphabetical_order():
    names = [f"Juri {c}" for c in "ABCDEFGH"]
    assigned = pseudonyms(names)
    assert sorted(assigned.values()) == [f"J0{i}" for i in range(1, 9)]
    assert [assigned[n] for n in names] != sorted(assigned.values())
    assert pseudonyms(reversed(names)) == assigned


def test_altered_input_without_a_new_manifest_is_reported(tmp_path):
    root = _export(tmp_path)
    scores = root / "inputs/scores.csv"
    scores.write_text(scores.read_text(encoding="utf-8").replace(",60\n", ",61\n", 1),
                      encoding="utf-8")
    status, stdout, _ = bundle("verify", str(root))
    assert status == 1
    assert "inputs/scores.csv has changed" in stdout


def test_altered_score_with_a_new_manifest_shows_the_first_difference(tmp_path):
    root = _export(tmp_path)
    scores = root / "inputs/scores.csv"
    lines = scores.read_text(encoding="utf-8").splitlines()
    first_row = lines[1].split(",")
    first_row[-1] = "99"
    lines[1] = ",".join(first_row)
    scores.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _reseal(root)
    result = verify_bundle(root)
    assert result.identical is False
    assert result.difference is not None
    assert result.difference.startswith("stages[0].categories[0].entries[")
    assert "in the bundle but" in result.difference


def test_extra_file_in_a_bundle_is_reported(tmp_path):
    root = _export(tmp_path)
    (root / "inputs/notes.txt").write_text("catatan", encoding="utf-8")
    result = verify_bundle(root)
    assert (result.identical, result.difference) == (
        False, "The file inputs/notes.txt is not listed in the manifest.")


def test_altered_results_file_is_reported_even_when_resealed(tmp_path):
    root = _export(tmp_path)
    data = json.loads((root / "results.json").read_text(encoding="utf-8"))
    data["final"][0]["entries"][0]["prize"] = "1000000"
    (root / "results.json").write_text(json.dumps(data, indent=2), encoding="utf-8")
    _reseal(root)
    result = verify_bundle(root)
    assert result.identical is False
    assert result.difference == (
        'final[0].entries[0].prize is "1000000" in the bundle but "0" when recomputed.')


def test_write_bundle_from_plain_rows_and_refuse_a_used_folder(tmp_path):
    text, _ = template_text("kipp-pemalang-2020")
    rows = BundleInputs(
        entries=[{"entry": "P1", "category": "inovasi-pelayanan-publik"},
                 {"entry": "P2", "category": "inovasi-pelayanan-publik"}],
        scores=[{"stage": "proposal", "judge": judge, "entry": entry, "criterion": crit,
                 "score": score}
                for judge in ("Ani", "Budi") for entry, score in (("P1", 80), ("P2", 70))
                for crit in ("inovasi", "kemanfaatan", "replikasi-keberlanjutan")],
    )
    data = write_bundle(out_dir=tmp_path / "b", template_data=text, inputs=rows, seed=1,
                        bootstrap=0)
    assert data["stages"][0]["categories"][0]["entries"][0]["score"] == "80"
    assert verify_bundle(tmp_path / "b").identical is True
    (tmp_path / "used").mkdir()
    (tmp_path / "used" / "keep.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError):
        write_bundle(out_dir=tmp_path / "used", template_data=text, inputs=rows)
    assert [p.name for p in (tmp_path / "used").iterdir()] == ["keep.txt"]
