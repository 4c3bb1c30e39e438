"""From a template and CSV files to computed results (shared by ``rank`` and ``bundle``)."""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sayembara import scoring
from sayembara.template_format import TemplateError, parse_template
from sayembara.template_format.errors import Problem
from sayembara.template_format.loader import BUILTIN_DIR, builtin_names
from sayembara.template_format.model import Template

from . import BOOTSTRAP
from .bridge import competition_from_template
from .csvinput import (
    InputFileError,
    Source,
    read_decisions,
    read_entries,
    read_judges,
    read_recusals,
    read_scores,
    read_votes,
)
from .messages import explain
from .output import format_table, results_data
from .scorefile import ScoreFile


@dataclass(frozen=True)
class InputPaths:
    entries: Path
    scores: Path
    judges: Path | None = None
    votes: Path | None = None
    decisions: Path | None = None
    recusals: Path | None = None


@dataclass
class Run:
    """A computed run: the template, the engine's inputs and results, and their output."""

    template: Template
    template_text: str
    competition: scoring.Competition
    inputs: scoring.Inputs
    source: Source
    judge_rows: list[dict[str, str]]
    #: the records, without per-entry records (``data`` and ``table`` are written from the
    #: evaluation's stage and final columns)
    results: scoring.Results
    data: dict[str, Any]
    table: str


def template_text(ref: str) -> tuple[str, str]:
    """(text, source name) of a built-in template name or a template file."""
    builtin = BUILTIN_DIR / f"{ref}.yaml"
    path = builtin if (os.sep not in ref and "." not in ref and builtin.is_file()) else Path(ref)
    try:
        return path.read_text(encoding="utf-8"), str(path)
    except (OSError, UnicodeDecodeError):
        from django.utils.translation import gettext as _

        raise TemplateError([Problem(line=None, path="", message=_(
            'There is no built-in template named "%(name)s" and no readable file at that path; '
            "give a file path or one of the built-in names: %(names)s.")
            % {"name": ref, "names": ", ".join(builtin_names())})], source=ref) from None


def _cpu() -> float:
    """CPU seconds of this process (all its threads) and of its children that ended."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX
        return time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


class Clock:
    """Wall and CPU seconds taken by each phase of a run, in order (``sayembara rank
    --timings``); the CPU time of a phase that waited for a child process includes the
    child's."""

    def __init__(self) -> None:
        self.phases: list[tuple[str, float, float]] = []
        self._last = (time.perf_counter(), _cpu())

    def lap(self, name: str) -> None:
        now = (time.perf_counter(), _cpu())
        self.phases.append((name, now[0] - self._last[0], now[1] - self._last[1]))
        self._last = now

    def add(self, phases: list[tuple[str, float, float]]) -> None:
        """Phases measured inside the last lap (they replace it)."""
        if phases and self.phases:
            self.phases.pop()
        self.phases.extend(phases)


def load(template: Template, paths: InputPaths, clock: Clock | None = None,
         scores: ScoreFile | None = None) -> tuple[
    scoring.Competition, scoring.Inputs, Source, list[dict[str, str]]
]:
    """Read and check every input file (raises :class:`InputFileError`); ``scores`` is the
    scores file's read when it was started earlier."""
    clock = clock or Clock()
    competition = competition_from_template(template)
    entries, _lines = read_entries(paths.entries, template)
    clock.lap("entries")
    entry_ix = {e.key: i for i, e in enumerate(entries)}
    judges = None
    judge_rows: list[dict[str, str]] = []
    if paths.judges is not None:
        judge_list, judge_rows = read_judges(paths.judges)
        judges = judge_list
    phases: list[tuple[str, float, float]] = []
    table, judge_list, source = read_scores(paths.scores, competition, entries, entry_ix,
                                            judges, phases, scores)
    clock.lap("scores")
    clock.add(phases)
    source.entries_path = str(paths.entries)
    if paths.judges is None:
        judge_rows = [{"judge": j.key, "role": "anggota", "institution": ""} for j in judge_list]
    votes = read_votes(paths.votes, entry_ix) if paths.votes is not None else {}
    decisions: list[scoring.Decision] = []
    if paths.decisions is not None:
        decisions, source.decision_lines = read_decisions(paths.decisions, template, entry_ix)
        source.decisions_path = str(paths.decisions)
    recusals = (read_recusals(paths.recusals, template, entry_ix, judge_list)
                if paths.recusals is not None else [])
    inputs = scoring.Inputs(entries=tuple(entries), judges=tuple(judge_list), scores=table,
                            votes=votes, decisions=tuple(decisions), recusals=tuple(recusals))
    clock.lap("other inputs")
    return competition, inputs, source, judge_rows


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: reading millions of rows creates many short-lived
    containers and no reference cycles, and the collector's passes over them would double
    the time. Memory is still freed by reference counting."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _beside(write: Callable[[], list[str]]) -> Callable[[], list[str]]:
    """Start writing some texts in a child process, on another core, while this process
    goes on (``fork``: the child shares every computed column without copying); the
    returned function gives the texts. Where there is no second core or no ``fork``, or the
    child fails, the texts are written here when they are asked for."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if cores < 2 or not hasattr(os, "fork"):
        return write
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: write the texts into the pipe and leave at once
        os.close(read_end)
        try:
            with os.fdopen(write_end, "wb") as pipe:
                for text in write():
                    data = text.encode("utf-8")
                    pipe.write(len(data).to_bytes(8, "little") + data)
                pipe.write(_DONE)
        finally:
            os._exit(0)
    os.close(write_end)

    def texts() -> list[str]:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        os.waitpid(pid, 0)
        if not payload.endswith(_DONE):
            return write()
        out, at = [], 0
        while at < len(payload) - len(_DONE):
            size = int.from_bytes(payload[at:at + 8], "little")
            out.append(payload[at + 8:at + 8 + size].decode("utf-8"))
            at += 8 + size
        return out

    return texts


#: The end of the child's texts (a length no text has).
_DONE = (2**64 - 1).to_bytes(8, "little")


def run(*, text: str, source_name: str, paths: InputPaths, seed: int | None,
        bootstrap: int = BOOTSTRAP, clock: Clock | None = None,
        scores: ScoreFile | None = None) -> Run:
    """Parse the template, read the inputs and compute. Raises TemplateError,
    InputFileError, or ValueError with a sentence; writes nothing. ``clock`` (when given)
    records the time of each phase; ``scores`` (when given) is the scores file's read,
    started earlier."""
    with _collector_paused():
        return _run(text=text, source_name=source_name, paths=paths, seed=seed,
                    bootstrap=bootstrap, clock=clock or Clock(), scores=scores)


def _run(*, text: str, source_name: str, paths: InputPaths, seed: int | None,
         bootstrap: int, clock: Clock, scores: ScoreFile | None) -> Run:
    template = parse_template(text, source=source_name)
    clock.lap("template")
    competition, inputs, source, judge_rows = load(template, paths, clock, scores)
    seed = template.year if seed is None else seed
    try:
        evaluation = scoring.evaluate(competition, inputs,
                                      scoring.Options(seed=seed, bootstrap=bootstrap))
        clock.lap("engine")
        results = evaluation.results(entries=False)
        columns = evaluation.stage_columns()
        final = evaluation.final_columns()
        clock.lap("engine: result columns")
    except scoring.ScoringError as error:
        raise explain(error, inputs, source) from error
    names = {s.id: s.name for s in template.stages}
    # the table beside results.json's lines
    table = _beside(lambda: [format_table(results, columns=columns, final=final,
                                          title=template.title, stage_names=names,
                                          bootstrap=bootstrap)])
    data = results_data(results, columns=columns, final=final, inputs=inputs,
                        template_name=template.name, template_title=template.title,
                        stage_names=names, bootstrap=bootstrap,
                        template_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    clock.lap("results.json records")
    (table_text,) = table()
    clock.lap("table")
    return Run(template=template, template_text=text, competition=competition, inputs=inputs,
               source=source, judge_rows=judge_rows, results=results, data=data,
               table=table_text)


__all__ = ["BOOTSTRAP", "Clock", "InputFileError", "InputPaths", "Run", "load", "run",
           "template_text"]
