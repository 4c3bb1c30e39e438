"""Writing CSV inputs and running ``sayembara rank`` in-process for tests."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sayembara.ranking.cli import bundle_main, rank_main


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
    return path


@dataclass
class Files:
    """Input tables of one run; ``write`` puts them in a folder and returns the arguments."""

    entries: list[Sequence[Any]] = field(default_factory=list)
    scores: list[Sequence[Any]] = field(default_factory=list)
    judges: list[Sequence[Any]] = field(default_factory=list)
    votes: list[Sequence[Any]] = field(default_factory=list)
    decisions: list[Sequence[Any]] = field(default_factory=list)
    entry_header: Sequence[str] = ("entry", "category")

    def sheet(self, stage: str, judge: str, entry: str, values: dict[str, Any]) -> None:
        for criterion, value in values.items():
            self.scores.append((stage, judge, entry, criterion, value))

    def write(self, folder: Path) -> list[str]:
        folder.mkdir(parents=True, exist_ok=True)
        args = ["--entries", str(write_csv(folder / "entries.csv", self.entry_header,
                                           self.entries)),
                "--scores", str(write_csv(folder / "scores.csv",
                                          ("stage", "judge", "entry", "criterion", "score"),
                                          self.scores))]
        if self.judges:
            args += ["--judges", str(write_csv(folder / "judges.csv",
                                               ("judge", "role", "institution"), self.judges))]
        if self.votes:
            args += ["--votes", str(write_csv(folder / "votes.csv", ("entry", "votes"),
                                              self.votes))]
        if self.decisions:
            header = ("stage", "entry", "decision", "reason", "order")
            args += ["--decisions", str(write_csv(folder / "decisions.csv", header,
                                                  [(*d, "")[:5] for d in self.decisions]))]
        return args


@dataclass
class Outcome:
    status: int
    stdout: str
    stderr: str
    data: dict[str, Any] | None

    def stage(self, key: str) -> dict[str, Any]:
        assert self.data is not None
        return next(s for s in self.data["stages"] if s["key"] == key)

    def entries(self, stage: str) -> dict[str, dict[str, Any]]:
        return {e["entry"]: e for c in self.stage(stage)["categories"] for e in c["entries"]}

    def final(self) -> dict[str, dict[str, Any]]:
        assert self.data is not None
        return {e["entry"]: e for u in self.data["final"] for e in u["entries"]}


def rank(template: str, files: Files, folder: Path, *extra: str) -> Outcome:
    out_dir = folder / "out"
    out, err = io.StringIO(), io.StringIO()
    status = rank_main([template, *files.write(folder / "in"), "--out", str(out_dir), *extra],
                       out=out, err=err)
    path = out_dir / "results.json"
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
    return Outcome(status, out.getvalue(), err.getvalue(), data)


def bundle(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = bundle_main(list(argv), out=out, err=err)
    return status, out.getvalue(), err.getvalue()
