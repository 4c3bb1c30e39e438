#!/usr/bin/env python
"""Closing a stage from PostgreSQL at national scale (prints figures; asserts nothing).

50,000 entries in 20 categories, 5 judges per entry from pools of 8 per category, 10
criteria: 250,000 submitted sheets and 2.5 million scores at the first stage of the
national benchmark template (``bench_scoring_data.py``).

What it does:

1. migrates the database named by ``--database-url`` (default: ``DATABASE_URL``) and, unless
   it already holds the benchmark edition (``--fresh`` drops it first), seeds it: the
   edition, institutions, entries and judges through the ORM, the sheets, scores and the
   250,000 assignments behind them through ``COPY`` and SQL (not timed);
2. closes the first stage with ``close_stage`` (every submitted sheet locked, the engine
   run with B = ``--bootstrap`` replicates, every entry's result stored) and prints the wall
   time, the CPU time, the peak resident memory of this process and the time of each part:
   reading the sheets into the engine's inputs, the engine, the per-entry result records
   and storing; the closing is rolled back afterwards, so the data can be used again;
3. as the baseline in the same run, the straightforward ORM loop: every counted ``Score``
   read as a model instance (with its sheet and criterion) into Python lists, the same
   engine, and one ``StageResult.objects.create`` per entry. Reading is timed on a tenth of
   the entries and writing on 2,000 results; both are scaled up (and labelled so).

Run: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/NAME .venv/bin/python
benchmarks/bench_national_close.py`` (seeding takes a few minutes the first time).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_scoring_data as data  # noqa: E402

EDITION_TITLE = "Kompetisi Nasional 2025 (benchmark, 2.5 M scores)"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _seed() -> Any:
    """The edition with every stage-1 sheet submitted; returns the first stage."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sayembara.competitions.enums import StageStatus
    from sayembara.competitions.models import Edition, Organiser
    from sayembara.competitions.services.editions import create_edition, freeze_rules
    from sayembara.entries.enums import EntryState
    from sayembara.entries.models import Entry, Institution
    from sayembara.judging.models import Judge
    from sayembara.template_format import parse_template

    existing = Edition.objects.filter(title=EDITION_TITLE).first()
    if existing is not None:
        stage = existing.stages.order_by("order").first()
        _assign(stage)
        return stage
    started = time.perf_counter()
    with transaction.atomic():
        organiser = Organiser.objects.create(name="Benchmark nasional", slug="bench-nasional")
        template = parse_template(data.template_yaml(), source="benchmark")
        edition = create_edition(template=template, year=2025, organiser=organiser,
                                 actor="bench", title=EDITION_TITLE)
        freeze_rules(edition=edition, actor="bench", cause="benchmark seed")
        stage = edition.stages.order_by("order").first()
        stage.status = StageStatus.OPEN
        stage.save(update_fields=["status"])
        categories = {c.key: c for c in edition.categories.all()}
        institutions = Institution.objects.bulk_create(
            (Institution(organiser=organiser, name=f"Instansi {i:05d}", kind="instansi",
                         email=f"instansi{i}@example.go.id") for i in range(data.ENTRIES)),
            batch_size=5000)
        now = timezone.now()
        entries = Entry.objects.bulk_create(
            (Entry(edition=edition, institution=institutions[i],
                   category=categories[f"kat-{i % data.CATEGORIES + 1:02d}"],
                   code=data.entry_key(i), title=f"Inovasi {i}", state=EntryState.IN_STAGE,
                   current_stage=stage, submitted_at=now) for i in range(data.ENTRIES)),
            batch_size=5000)
        judges = Judge.objects.bulk_create(
            Judge(edition=edition, name=data.judge_key(j), unsur="akademisi")
            for j in range(data.CATEGORIES * data.POOL))
        print(f"seeded the edition, {len(entries):,} entries and {len(judges)} judges in "
              f"{time.perf_counter() - started:.0f} s", flush=True)
        started = time.perf_counter()
        rows = data.Generator().stage_rows(0, np.arange(data.ENTRIES))
        criteria = list(stage.rubric_for(entries[0].category_id).criteria.order_by("order"))
        entry_pk = np.array([e.pk for e in entries])
        judge_pk = np.array([j.pk for j in judges])
        per_sheet = data.CRITERIA
        sheet_entry = entry_pk[rows.entry[::per_sheet]]
        sheet_judge = judge_pk[rows.judge[::per_sheet]]
        stamp = now.isoformat()
        with connection.cursor() as cursor:
            with cursor.cursor.copy(
                    "COPY judging_scoresheet (stage_id, judge_id, entry_id, status, comment, "
                    "submitted_at, version, last_editor, updated_at) FROM STDIN") as copy:
                for e, j in zip(sheet_entry.tolist(), sheet_judge.tolist(), strict=True):
                    copy.write_row((stage.pk, j, e, "submitted", "", stamp, 2, "", stamp))
            cursor.execute("SELECT id, judge_id, entry_id FROM judging_scoresheet "
                           "WHERE stage_id = %s", [stage.pk])
            sheet_of = {(j, e): pk for pk, j, e in cursor.fetchall()}
            sheet_ids = [sheet_of[(j, e)] for j, e in zip(sheet_judge.tolist(),
                                                          sheet_entry.tolist(), strict=True)]
            crit_pk = [c.pk for c in criteria]
            values = [f"{v // 100}.{v % 100:02d}" for v in range(10_001)]
            with cursor.cursor.copy("COPY judging_score (sheet_id, criterion_id, value, "
                                    "comment, checked) FROM STDIN") as copy:
                for n, (c, v) in enumerate(zip(rows.criterion.tolist(), rows.value.tolist(),
                                               strict=True)):
                    copy.write_row((sheet_ids[n // per_sheet], crit_pk[c], values[v], "",
                                    "[]"))
            cursor.execute("ANALYZE judging_scoresheet")
            cursor.execute("ANALYZE judging_score")
        _assign(stage)
    print(f"seeded {len(sheet_ids):,} sheets and {len(rows):,} scores in "
          f"{time.perf_counter() - started:.0f} s", flush=True)
    return stage


def _assign(stage: Any) -> None:
    """Every sheet's judge assigned to its entry, as the panel page assigns them (a close
    checks the assignments: unsubmitted sheets, entries short of a judge)."""
    from django.db import connection

    from sayembara.judging.models import Assignment

    if Assignment.objects.filter(stage=stage).exists():
        return
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO judging_assignment (stage_id, judge_id, entry_id, is_extra_reviewer, "
            "created_at) SELECT stage_id, judge_id, entry_id, false, submitted_at "
            "FROM judging_scoresheet WHERE stage_id = %s", [stage.pk])
        cursor.execute("ANALYZE judging_assignment")
    print(f"assigned {Assignment.objects.filter(stage=stage).count():,} sheets in "
          f"{time.perf_counter() - started:.0f} s", flush=True)


def _vacuum() -> None:
    """The tables as autovacuum keeps them during the weeks of judging (not timed): each run
    of this benchmark rolls its close back, and the dead rows it leaves would otherwise fill
    the room the next close rewrites its sheets in."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("judging_scoresheet", "judging_stageresult", "judging_stageclosing"):
            cursor.execute(f"VACUUM ANALYZE {table}")


def _close(stage: Any, bootstrap: int) -> tuple[float, float,
                                                list[tuple[str, tuple[float, float]]], int]:
    """close_stage, rolled back: (wall, CPU, parts, stored results)."""
    from django.db import transaction

    from sayembara import scoring
    from sayembara.judging.models import StageResult
    from sayembara.judging.services import compute
    from sayembara.judging.services.closing import close_stage

    parts: dict[str, tuple[float, float]] = {}

    def timed(name: str, function: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                wall0, cpu0 = parts.get(name, (0.0, 0.0))
                parts[name] = (wall0 + time.perf_counter() - started,
                               cpu0 + time.process_time() - cpu)
        return wrapper

    originals = (compute.build_inputs, scoring.evaluate, scoring.Evaluation.results,
                 scoring.Evaluation.stage_columns, scoring.Evaluation.final_columns,
                 compute._stage_rows, compute._store)
    compute.build_inputs = timed("reading the sheets into engine inputs", compute.build_inputs)
    scoring.evaluate = timed(f"the engine (B = {bootstrap})", scoring.evaluate)
    scoring.Evaluation.results = timed("the stage-level results",  # type: ignore[method-assign]
                                       scoring.Evaluation.results)
    scoring.Evaluation.stage_columns = timed(  # type: ignore[method-assign]
        "the stage columns", scoring.Evaluation.stage_columns)
    scoring.Evaluation.final_columns = timed(  # type: ignore[method-assign]
        "the final columns", scoring.Evaluation.final_columns)
    compute._stage_rows = timed("the per-entry result rows (from the columns)",
                                compute._stage_rows)
    compute._store = timed("storing every entry's result (with its rows)", compute._store)
    stored = 0
    try:
        with transaction.atomic():
            started, cpu = time.perf_counter(), time.process_time()
            close_stage(stage=stage, actor="bench", seed=2025, bootstrap=bootstrap)
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            stored = StageResult.objects.filter(stage=stage).count()
            transaction.set_rollback(True)
    finally:
        (compute.build_inputs, scoring.evaluate, scoring.Evaluation.results,
         scoring.Evaluation.stage_columns, scoring.Evaluation.final_columns,
         compute._stage_rows, compute._store) = originals
    stage.refresh_from_db()
    return wall, cpu, list(parts.items()), stored


def _orm_baseline(stage: Any, bootstrap: int) -> list[tuple[str, tuple[float, float], str]]:
    """The straightforward ORM loop: (part, (wall, CPU seconds), how it was timed)."""
    from decimal import Decimal
    from fractions import Fraction

    from django.db import transaction

    from sayembara import scoring
    from sayembara.entries.models import Entry
    from sayembara.judging.enums import SheetStatus
    from sayembara.judging.models import Judge, Score, StageResult
    from sayembara.judging.services.compute import competition_for

    edition = stage.edition
    competition = competition_for(edition)
    entries = list(Entry.objects.filter(edition=edition).order_by("code"))
    judges = list(Judge.objects.filter(edition=edition).order_by("pk"))
    entry_ix = {e.pk: i for i, e in enumerate(entries)}
    judge_ix = {j.pk: i for i, j in enumerate(judges)}
    k = competition.stage_index(stage.key)
    rubric = competition.rubric(competition.stages[k].rubric_for(entries[0].category.key) or "")
    position = {c.key: i for i, c in enumerate(rubric.criteria)}

    tenth = [e.pk for e in entries[::10]]
    started, cpu = time.perf_counter(), time.process_time()
    cols: list[list[int]] = [[], [], [], [], []]
    for score in Score.objects.filter(
            sheet__stage=stage, sheet__entry_id__in=tenth,
            sheet__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
            value__isnull=False).select_related("sheet", "criterion").iterator(chunk_size=5000):
        cols[0].append(k)
        cols[1].append(judge_ix[score.sheet.judge_id])
        cols[2].append(entry_ix[score.sheet.entry_id])
        cols[3].append(position[score.criterion.key])
        cols[4].append(int(score.value * 1000))
    read = ((time.perf_counter() - started) * 10, (time.process_time() - cpu) * 10)

    # the engine on every score (read here as the adapter reads them, not timed)
    from sayembara.judging.services.compute import build_inputs

    prepared = build_inputs(edition=edition)
    started, cpu = time.perf_counter(), time.process_time()
    results = scoring.compute(competition, prepared.inputs,
                              scoring.Options(seed=2025, bootstrap=bootstrap))
    engine = (time.perf_counter() - started, time.process_time() - cpu)

    items = results.stages[k].entries[:2000]
    code_pk = {e.code: e.pk for e in entries}
    started, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        for item in items:
            StageResult.objects.create(
                stage=stage, entry_id=code_pk[item.entry],
                score=None if item.score is None else Decimal(
                    float(Fraction(item.score))).quantize(Decimal("0.000001")),
                rank=item.rank, judges_count=item.judges, advanced=item.advanced,
                reason_code=item.reason.code if item.reason else "",
                reason_params=dict(item.reason.mapping) if item.reason else {},
                details={"status": item.status}, engine_version=results.engine_version)
        transaction.set_rollback(True)
    scale = len(results.stages[k].entries) / len(items)
    store = ((time.perf_counter() - started) * scale, (time.process_time() - cpu) * scale)
    return [("reading: Score instances with sheet and criterion", read,
             "timed on 1/10 of the entries, x10"),
            (f"the engine (B = {bootstrap}) with its result records", engine, "full"),
            ("storing: StageResult.objects.create per entry", store,
             f"timed on {len(items):,} results, scaled")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--bootstrap", type=int, default=1000)
    parser.add_argument("--fresh", action="store_true",
                        help="drop the benchmark edition first and seed it again")
    parser.add_argument("--no-baseline", action="store_true")
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("give a PostgreSQL --database-url (or set DATABASE_URL)")
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("SAYEMBARA_DATA_DIR", tempfile.mkdtemp(prefix="bench-close-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")
    os.environ.setdefault("TASKS_BACKEND", "immediate")
    os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    if args.fresh:
        from sayembara.competitions.models import Edition, Organiser

        Edition.objects.filter(title=EDITION_TITLE).delete()
        Organiser.objects.filter(slug="bench-nasional").delete()
    stage = _seed()
    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f} (other work stretches wall times)")
    print(f"peak memory before closing: {_rss_mb():.0f} MB")
    _vacuum()
    wall, cpu, parts, stored = _close(stage, args.bootstrap)
    print(f"\nclose_stage, 2.5 M scores, B = {args.bootstrap}: {wall:.2f} s wall, {cpu:.2f} s "
          f"CPU, peak memory {_rss_mb():.0f} MB; {stored:,} results stored (rolled back)")
    for name, (seconds, cpu_seconds) in parts:
        print(f"    {name:<52} {seconds:7.2f} s wall {cpu_seconds:7.2f} s CPU")
    if args.no_baseline:
        return 0
    print("\nbaseline: the straightforward ORM loop (same data, same run)")
    total = total_cpu = 0.0
    for name, (seconds, cpu_seconds), how in _orm_baseline(stage, args.bootstrap):
        total += seconds
        total_cpu += cpu_seconds
        print(f"    {name:<52} {seconds:7.2f} s wall {cpu_seconds:7.2f} s CPU  ({how})")
    print(f"    {'total':<52} {total:7.2f} s wall {total_cpu:7.2f} s CPU  | ours {wall:.2f} s "
          f"wall, {cpu:.2f} s CPU: x{total / wall:.1f} (wall), x{total_cpu / cpu:.1f} (CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

