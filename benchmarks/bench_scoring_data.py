"""National-scale synthetic data for ``bench_scoring.py``.

50,000 entries in 20 categories; each category has a pool of 8 judges and every entry is
scored by 5 of them (overlapping panels, so calibration has something to do); 10 weighted
criteria scored 0..100 with two decimals; three weighted stages (20 / 55 / 25): the best 500
per category go on to stage 2 and the best 100 per category to stage 3. Stage 1 alone holds
2.5 million scores; the whole funnel 3.1 million.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ENTRIES = 50_000
CATEGORIES = 20
POOL = 8
PER_ENTRY = 5
CRITERIA = 10
WEIGHTS = (15, 15, 10, 10, 10, 10, 10, 10, 5, 5)
STAGES = (("tahap-1", 20, 500), ("tahap-2", 55, 100), ("tahap-3", 25, None))


def template_yaml() -> str:
    cats = "\n".join(f"  - {{id: kat-{c:02d}, name: Kategori {c:02d}}}"
                     for c in range(1, CATEGORIES + 1))
    crits = "\n".join(f"      - {{id: k{i:02d}, name: Kriteria {i:02d}, weight: {w}}}"
                      for i, w in enumerate(WEIGHTS, start=1))
    stages = []
    for key, weight, top in STAGES:
        stage = [f"  - id: {key}", f"    name: Tahap {key[-1]}", "    kind: weighted",
                 f"    weight: {weight}", "    rubric: rubrik"]
        if key == "tahap-2":
            stage.append("    aggregation: {method: trimmed_mean, trim_from_judges: 4}")
        if top is not None:
            stage.append(f"    advance: {{scope: category, top_n: {top}}}")
        stages.append("\n".join(stage))
    return f"""name: nasional-bench
competition: Kompetisi Nasional (benchmark)
title: Kompetisi Nasional 2025 (benchmark)
organiser: Sayembara benchmark
year: 2025
time_zone: WIB
institution_types:
  - {{id: instansi, name: Instansi}}
categories:
{cats}
timeline:
  submission_deadline: 2025-06-30 16:00
rubrics:
  - id: rubrik
    name: Rubrik nasional
    criteria:
{crits}
stages:
{chr(10).join(stages)}
tie_break: [heaviest_stage, heaviest_criterion, lot]
awards:
  ranking: category
  tiers:
    - {{id: juara, name: Juara 1-3, rank_from: 1, rank_to: 3, trophy: true}}
"""


@dataclass
class Rows:
    """Score rows as columns (stage index, judge index, entry index, criterion, value x 100)."""

    stage: np.ndarray
    judge: np.ndarray
    entry: np.ndarray
    criterion: np.ndarray
    value: np.ndarray

    def __len__(self) -> int:
        return int(self.value.shape[0])

    @staticmethod
    def join(parts: list[Rows]) -> Rows:
        return Rows(*(np.concatenate([getattr(p, f) for p in parts])
                      for f in ("stage", "judge", "entry", "criterion", "value")))


class Generator:
    def __init__(self, seed: int = 2025) -> None:
        self.rng = np.random.default_rng(seed)
        self.quality = self.rng.normal(70, 8, ENTRIES)
        self.offset = self.rng.normal(0, 4, CATEGORIES * POOL)
        self.category = np.arange(ENTRIES) % CATEGORIES

    def stage_rows(self, stage: int, entries: np.ndarray) -> Rows:
        n = entries.size
        pick = np.sort(np.argsort(self.rng.random((n, POOL)), axis=1)[:, :PER_ENTRY], axis=1)
        judge = (self.category[entries][:, None] * POOL + pick).ravel()
        e = np.repeat(entries, PER_ENTRY * CRITERIA)
        j = np.repeat(judge, CRITERIA)
        c = np.tile(np.arange(CRITERIA), n * PER_ENTRY)
        raw = self.quality[e] + self.offset[j] + self.rng.normal(0, 6, e.size)
        value = np.clip(np.round(raw * 100), 0, 10_000).astype(np.int64)
        return Rows(np.full(e.size, stage, dtype=np.int64), j.astype(np.int64),
                    e.astype(np.int64), c.astype(np.int64), value)


def entry_key(i: int) -> str:
    return f"E{i:05d}"


def judge_key(j: int) -> str:
    return f"JURI-{j // POOL + 1:02d}-{j % POOL + 1}"


def write_csv(folder: Path, rows: Rows) -> tuple[Path, Path]:
    """entries.csv and scores.csv for ``sayembara rank``."""
    folder.mkdir(parents=True, exist_ok=True)
    entries = folder / "entries.csv"
    with entries.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(("entry", "category"))
        for i in range(ENTRIES):
            writer.writerow((entry_key(i), f"kat-{i % CATEGORIES + 1:02d}"))
    stage_names = [s[0] for s in STAGES]
    judges = [judge_key(j) for j in range(CATEGORIES * POOL)]
    entry_names = [entry_key(i) for i in range(ENTRIES)]
    crit_names = [f"k{i:02d}" for i in range(1, CRITERIA + 1)]
    values = [f"{v // 100}.{v % 100:02d}" for v in range(10_001)]
    scores = folder / "scores.csv"
    with scores.open("w", encoding="utf-8", newline="") as handle:
        handle.write("stage,judge,entry,criterion,score\n")
        chunk = 200_000
        for a in range(0, len(rows), chunk):
            b = min(a + chunk, len(rows))
            handle.write("".join(
                f"{stage_names[s]},{judges[j]},{entry_names[e]},{crit_names[c]},{values[v]}\n"
                for s, j, e, c, v in zip(rows.stage[a:b].tolist(), rows.judge[a:b].tolist(),
                                         rows.entry[a:b].tolist(),
                                         rows.criterion[a:b].tolist(),
                                         rows.value[a:b].tolist(), strict=True)))
    return entries, scores
