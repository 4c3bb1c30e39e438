"""results.json's per-entry lines, written column by column, are the records' fields as
``json.dumps`` writes them."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import pytest

from sayembara import scoring
from sayembara.ranking.bridge import competition_from_template
from sayembara.ranking.pipeline import InputPaths, load, run, template_text
from sayembara.scoring.advance import show
from sayembara.scoring.exact import exact_text
from sayembara.template_format import parse_template

from .helpers import Files
from .test_rank_cli import _files


def _dec(value: Fraction | None) -> str | None:
    return None if value is None else show(value)


def _exact(value: Fraction | None) -> str | None:
    return None if value is None else exact_text(value)


def _flo(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _record(item: scoring.EntryStage) -> dict[str, Any]:
    """An entry's fields from its record, one value at a time."""
    reason = item.reason
    return {
        "entry": item.entry, "status": item.status, "score": _dec(item.score),
        "score_exact": _exact(item.score), "raw": _dec(item.raw),
        "calibrated": _dec(item.calibrated), "selection": _dec(item.selection),
        "selection_exact": _exact(item.selection), "lowered_by": _dec(item.lowered_by),
        "judges": item.judges, "sheets": item.sheets, "spread": _dec(item.spread),
        "sd": _flo(item.sd), "disagreement": item.disagreement,
        "needs_extra_judge": item.needs_extra_judge, "trimmed": item.trimmed,
        "rank": item.rank, "pool": item.pool, "pool_rank": item.pool_rank,
        "rank_interval": list(item.rank_interval) if item.rank_interval else None,
        "p_top_n": _flo(item.p_top_n), "close_to_cut": item.close_to_cut,
        "advanced": item.advanced,
        "reason": reason.english() if reason else None,
        "reason_code": reason.code if reason else None,
        "reason_params": reason.mapping if reason else {},
        "tie_break": item.tie_break,
    }


def _final(item: scoring.FinalEntry) -> dict[str, Any]:
    """An entry of the final ranking from its record, one value at a time."""
    return {
        "entry": item.entry, "category": item.category, "status": item.status,
        "rank": item.rank, "total": _dec(item.total), "total_exact": _exact(item.total),
        "weighted_total": _dec(item.weighted_total), "reached": item.reached,
        "tier": item.tier, "award": item.award, "trophy": item.trophy,
        "certificate": item.certificate, "prize": str(item.prize), "grade": item.grade,
        "predicate": item.predicate, "favourite": item.favourite, "votes": item.votes,
        "tie_break": item.tie_break, "special_awards": list(item.special_awards),
    }


def _pengaduan() -> Files:
    files = Files()
    files.entry_header = ("entry", "category", "group")
    for i in range(12):
        group = ("outstanding", "ip-umum", "upp")[i % 3]
        category = "upp" if group == "upp" else "instansi-pemerintah"
        files.entries.append((f"P{i:02d}", category, group))
        for judge in ("E1", "E2"):
            files.sheet("evaluasi", judge, f"P{i:02d}", {
                "kebijakan": ("100", "Dengan SOP", "50")[i % 3],
                "kelembagaan": "Tim ditetapkan" if i % 2 else "100",
                "kanal": ("0", "40", "70", "100")[i % 4], "tindak-lanjut": ("80", "50")[i % 2],
                "evaluasi-inovasi": "100" if i == 5 and judge == "E2" else "50"})
    return files


@pytest.mark.parametrize(("template", "files"), [
    ("kipp-pemalang-2020", _files()), ("pengaduan-2020", _pengaduan()),
], ids=["kipp-pemalang", "pengaduan"])
def test_entry_lines_are_the_records_as_json(tmp_path, template, files):
    args = files.write(tmp_path)
    paths = InputPaths(entries=tmp_path / "entries.csv", scores=tmp_path / "scores.csv",
                       judges=tmp_path / "judges.csv" if "--judges" in args else None)
    text, source = template_text(template)
    computed = run(text=text, source_name=source, paths=paths, seed=7, bootstrap=60)
    competition, inputs, _source, _rows = load(parse_template(text, source=source), paths)
    assert competition == competition_from_template(computed.template)
    results = scoring.compute(competition, inputs, scoring.Options(seed=7, bootstrap=60))
    lines = [line for stage in computed.data["stages"] for category in stage["categories"]
             for line in category["entries"].lines]
    records = [item for stage in results.stages for item in stage.entries]
    assert len(lines) == len(records) > 0
    for line, item in zip(lines, records, strict=True):
        assert line == json.dumps(_record(item), ensure_ascii=False)
    assert any(item.rank_interval for item in records)
    final_lines = [line for unit in computed.data["final"] for line in unit["entries"].lines]
    assert final_lines == [json.dumps(_final(item), ensure_ascii=False)
                           for unit in dict.fromkeys(i.unit for i in results.final)
                           for item in results.final if item.unit == unit]
    assert final_lines
