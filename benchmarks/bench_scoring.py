"""Benchmark of the scoring engine at national scale (prints figures; asserts nothing).

Run from the repository root::

    .venv/bin/python benchmarks/bench_scoring.py [--quick]

Data (see ``bench_scoring_data.py``): 50,000 entries in 20 categories, 5 judges per entry
from a pool of 8 per category, 10 criteria, 3 weighted stages (top 500 then top 100 per
category go on): 2.5 million scores at stage 1, 3.1 million in the funnel.

For each measurement the script prints the wall time (best of a few runs where cheap), the
peak memory traced by ``tracemalloc`` (``ru_maxrss`` for the command run as a subprocess)
and, beside it, a naive baseline measured in the same run with the ratio:

1. stage aggregation + ranking + advancement (engine, exact) vs. a pure-Python loop with
   dictionaries (integer arithmetic, no tie-breaks) and vs. pandas ``groupby``;
2. calibration (judge offsets) vs. pure-Python alternating least squares;
3. bootstrap B = 1000 vs. a pure-Python bootstrap timed on a few replicates and scaled up;
4. ``sayembara rank`` end to end from CSV (subprocess) vs. a pure-Python script that reads the
   same CSV files, sums, averages, ranks and writes JSON.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sayembara.settings")

import bench_scoring_data as data  # noqa: E402


def _setup() -> None:
    import django

    django.setup()


Figure = tuple[float, float, float]  # wall seconds, CPU seconds, peak MB


def measure(fn: Callable[[], Any], *, repeat: int = 1) -> tuple[float, float, float, Any]:
    """(best wall seconds, CPU seconds of that run, peak traced MB of one run, result)."""
    best, best_cpu = float("inf"), 0.0
    result = None
    for _ in range(repeat):
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        result = fn()
        wall = time.perf_counter() - start
        if wall < best:
            best, best_cpu = wall, time.process_time() - cpu
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return best, best_cpu, peak / 2**20, result


def _fmt(seconds: float) -> str:
    return f"{seconds * 1000:>9.0f} ms" if seconds < 10 else f"{seconds:>9.1f} s "


def line(label: str, ours: Figure, base: Figure | None, base_label: str,
         note: str = "") -> None:
    t, c, m = ours
    text = f"{label:<42} {_fmt(t)} {_fmt(c)} {m:>7.0f} MB"
    if base is not None:
        bt, bc, bm = base
        text += (f" | {base_label:<24} {_fmt(bt)} {_fmt(bc)} {bm:>7.0f} MB"
                 f" | x{bt / t:>6.1f} / x{bc / c:>5.1f}")
    print(text + (f"  {note}" if note else ""), flush=True)


# -- naive baselines --------------------------------------------------------------------------


def naive_stage(rows: data.Rows, weights: list[int], top: int) -> dict[int, bool]:
    """Pure Python: sheet totals, entry means, sort per category, take the top N."""
    sheet: dict[tuple[int, int], int] = defaultdict(int)
    for j, e, c, v in zip(rows.judge.tolist(), rows.entry.tolist(), rows.criterion.tolist(),
                          rows.value.tolist(), strict=True):
        sheet[(e, j)] += weights[c] * v
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (e, _), total in sheet.items():
        acc = sums[e]
        acc[0] += total
        acc[1] += 1
    by_cat: dict[int, list[tuple[float, int]]] = defaultdict(list)
    for e, (total, n) in sums.items():
        by_cat[e % data.CATEGORIES].append((total / n, e))
    advanced = {}
    for items in by_cat.values():
        items.sort(reverse=True)
        for rank, (_, e) in enumerate(items):
            advanced[e] = rank < top
    return advanced


def pandas_stage(rows: data.Rows, weights: np.ndarray, top: int) -> Any:
    import pandas as pd

    frame = pd.DataFrame({"e": rows.entry, "j": rows.judge,
                          "v": rows.value * weights[rows.criterion]})
    sheets = frame.groupby(["e", "j"], sort=False)["v"].sum().reset_index()
    means = sheets.groupby("e")["v"].mean().reset_index()
    means["cat"] = means["e"] % data.CATEGORIES
    means["rank"] = means.groupby("cat")["v"].rank(ascending=False, method="first")
    return means["rank"] <= top


def naive_calibration(e: list[int], j: list[int], x: list[float], iterations: int) -> list[float]:
    """Pure Python alternating least squares for quality + judge offset (ridge 1)."""
    n_j = max(j) + 1
    n_e = max(e) + 1
    offset = [0.0] * n_j
    for _ in range(iterations):
        qs, qn = [0.0] * n_e, [0] * n_e
        for ei, ji, xi in zip(e, j, x, strict=True):
            qs[ei] += xi - offset[ji]
            qn[ei] += 1
        q = [s / n if n else 0.0 for s, n in zip(qs, qn, strict=True)]
        bs, bn = [0.0] * n_j, [0] * n_j
        for ei, ji, xi in zip(e, j, x, strict=True):
            bs[ji] += xi - q[ei]
            bn[ji] += 1
        offset = [s / (n + 1.0) for s, n in zip(bs, bn, strict=True)]
    return offset


def naive_bootstrap(groups: list[list[float]], replicates: int, seed: int) -> None:
    rng = random.Random(seed)
    for _ in range(replicates):
        scores = []
        for sheets in groups:
            draw = [sheets[rng.randrange(len(sheets))] for _ in sheets]
            scores.append(sum(draw) / len(draw))
        order = sorted(range(len(scores)), key=scores.__getitem__, reverse=True)
        ranks = [0] * len(scores)
        for r, i in enumerate(order):
            ranks[i] = r + 1


NAIVE_END_TO_END = r'''
import csv, json, sys
from collections import defaultdict
entries_path, scores_path, out_path = sys.argv[1:4]
weights = dict(zip([f"k{i:02d}" for i in range(1, 11)], %(weights)r))
stage_w = %(stage_w)r
category = {}
with open(entries_path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        category[row["entry"]] = row["category"]
sheet = defaultdict(float)
with open(scores_path, newline="", encoding="utf-8") as f:
    for row in csv.DictReader(f):
        key = (row["stage"], row["entry"], row["judge"])
        sheet[key] += weights[row["criterion"]] * float(row["score"]) / 100
acc = defaultdict(lambda: [0.0, 0])
for (stage, entry, _), total in sheet.items():
    a = acc[(stage, entry)]
    a[0] += total
    a[1] += 1
final = defaultdict(float)
for (stage, entry), (total, n) in acc.items():
    final[entry] += stage_w[stage] * total / n / 100
by_cat = defaultdict(list)
for entry, total in final.items():
    by_cat[category[entry]].append((total, entry))
out = {}
for cat, items in by_cat.items():
    items.sort(reverse=True)
    out[cat] = [{"entry": e, "rank": r + 1, "total": t} for r, (t, e) in enumerate(items)]
with open(out_path, "w", encoding="utf-8") as f:
    json.dump(out, f)
'''


#: Runs a command and writes the peak resident memory of that command (and only it) to a file.
_WRAPPER = (
    "import resource, subprocess, sys\n"
    "status = subprocess.call(sys.argv[2:], stdout=subprocess.DEVNULL)\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss\n"
    "open(sys.argv[1], 'w').write(str(peak))\n"
    "sys.exit(status)\n"
)


def run_child(argv: list[str]) -> tuple[Figure, int]:
    """((wall seconds, CPU seconds, peak RSS MB) of a command, exit status)."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as report:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", _WRAPPER, report.name, *argv],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                              check=False)
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak_kb = int(report.read() or 0)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode:
        print(done.stderr[-2000:], file=sys.stderr)
    return (wall, cpu, peak_kb / 1024), done.returncode


# -- the benchmark -------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="skip the end-to-end command (the slowest part)")
    parser.add_argument("--rank-only", action="store_true",
                        help="only the end-to-end command and its naive baseline (part 4)")
    args = parser.parse_args()
    _setup()
    from sayembara import scoring
    from sayembara.ranking.bridge import competition_from_template
    from sayembara.scoring.calibration import fit
    from sayembara.scoring.engine import evaluate
    from sayembara.template_format import parse_template

    print(f"Python {sys.version.split()[0]}, numpy {np.__version__}, "
          f"{os.cpu_count()} CPUs, engine {scoring.ENGINE_VERSION}")
    template = parse_template(data.template_yaml(), source="benchmark")
    comp = competition_from_template(template)
    entries = tuple(scoring.Entry(data.entry_key(i), f"kat-{i % data.CATEGORIES + 1:02d}")
                    for i in range(data.ENTRIES))
    judges = tuple(scoring.Judge(data.judge_key(j)) for j in range(data.CATEGORIES * data.POOL))
    gen = data.Generator()

    def table(rows: data.Rows) -> scoring.ScoreTable:
        return scoring.ScoreTable.from_arrays(stage=rows.stage, judge=rows.judge,
                                              entry=rows.entry, criterion=rows.criterion,
                                              value=rows.value, denominator=100)

    fast = scoring.Options(bootstrap=0, calibrate=False, reliability=False)
    t0 = time.perf_counter()
    s1 = gen.stage_rows(0, np.arange(data.ENTRIES))
    one = scoring.Inputs(entries, judges, table(s1))
    adv1 = np.flatnonzero(evaluate(comp, one, fast).stages[0].advanced)
    s2 = gen.stage_rows(1, adv1)
    two = scoring.Inputs(entries, judges, table(data.Rows.join([s1, s2])))
    adv2 = np.flatnonzero(evaluate(comp, two, fast).stages[1].advanced)
    s3 = gen.stage_rows(2, adv2)
    funnel_rows = data.Rows.join([s1, s2, s3])
    funnel = scoring.Inputs(entries, judges, table(funnel_rows))
    print(f"generated {len(s1):,} stage-1 scores and {len(funnel_rows):,} in the funnel "
          f"({len(adv1):,} and {len(adv2):,} entries go on) in {time.perf_counter() - t0:.1f} s")
    load = os.getloadavg()[0]
    print(f"load average at start: {load:.1f} on {os.cpu_count()} CPUs (other work on the "
          "machine stretches wall times; CPU times are the process's own)")
    print()
    print(f"{'measurement':<42} {'wall':>12} {'CPU':>12} {'peak':>10} | {'baseline':<24} "
          f"{'wall':>12} {'CPU':>12} {'peak':>10} | ratio wall / CPU")

    if args.rank_only:
        return _end_to_end(funnel_rows)

    # 1. aggregation + ranking + advancement
    weights = list(data.WEIGHTS)
    ours = measure(lambda: evaluate(comp, one, fast), repeat=5)
    naive = measure(lambda: naive_stage(s1, weights, 500))
    line("1. stage 1: 2.5 M scores aggregated,", ours[:3], naive[:3], "pure Python dicts")
    print("   ranked with the tie-break chain, top 500 per category advanced")
    panda = measure(lambda: pandas_stage(s1, np.array(weights), 500), repeat=3)
    line("   same, against pandas groupby", ours[:3], panda[:3], "pandas groupby")
    whole = measure(lambda: evaluate(comp, funnel, fast), repeat=3)
    line("   3 stages, 3.1 M scores + final ranking", whole[:3], None, "")
    results = measure(lambda: evaluate(comp, funnel, fast).results())
    line("   same + 112 k per-entry result records", results[:3], None, "")
    columns = measure(lambda: evaluate(comp, funnel, fast).stage_columns())
    line("   same + the 62 k stage entries as columns", columns[:3], None, "",
         note="(what results.json and the database read)")

    # 2. calibration (stage 1, per category as the engine does)
    ev = evaluate(comp, one, fast)
    sheets = ev.stages[0].sheets
    assert sheets is not None
    totals = sheets.total.floats()
    cats = sheets.entry % data.CATEGORIES
    keys = [j.key for j in judges]

    def calibrate(model: Any) -> None:
        for c in range(data.CATEGORIES):
            sel = cats == c
            fit(sheets.entry[sel], sheets.judge[sel], totals[sel], model=model,
                regularisation=1.0, judge_keys=keys)

    ours = measure(lambda: calibrate(scoring.CalibrationModel.OFFSET), repeat=3)
    e_list, j_list, x_list = sheets.entry.tolist(), sheets.judge.tolist(), totals.tolist()
    naive = measure(lambda: naive_calibration(e_list, j_list, x_list, 30))
    line("2. calibration: 250 k sheets, 160 judges", ours[:3], naive[:3],
         "pure Python ALS, 30 it.")
    scale = measure(lambda: calibrate(scoring.CalibrationModel.OFFSET_SCALE))
    line("   offset + scale model", scale[:3], None, "")

    # 3. bootstrap B = 1000 (stage 1)
    boot_opts = scoring.Options(bootstrap=1000, calibrate=False, reliability=False)
    boot = measure(lambda: evaluate(comp, one, boot_opts))
    core = measure(lambda: evaluate(comp, one, fast), repeat=3)
    groups: dict[int, list[float]] = defaultdict(list)
    for e, x in zip(e_list, x_list, strict=True):
        groups[e].append(x)
    group_list = list(groups.values())
    few = 5
    naive = measure(lambda: naive_bootstrap(group_list, few, 1))
    scale_up = 1000 / few
    line("3. bootstrap B=1000 over 50 k entries", (boot[0] - core[0], boot[1] - core[1],
                                                   boot[2]),
         (naive[0] * scale_up, naive[1] * scale_up, naive[2]), "pure Python, 5 reps x200",
         note="(engine: stage time subtracted)")

    # 4. sayembara rank end to end
    if args.quick:
        print("4. skipped (--quick)")
        return 0
    return _end_to_end(funnel_rows)


def _end_to_end(funnel_rows: data.Rows) -> int:
    """``sayembara rank`` from CSV beside the naive pure-Python script, with the command's
    own time per phase (``--timings``)."""
    with tempfile.TemporaryDirectory(prefix="sayembara-bench-") as tmp:
        folder = Path(tmp)
        start = time.perf_counter()
        entries_csv, scores_csv = data.write_csv(folder, funnel_rows)
        (folder / "template.yaml").write_text(data.template_yaml(), encoding="utf-8")
        size = scores_csv.stat().st_size / 2**20
        print(f"wrote {scores_csv.name} ({size:.0f} MB) in {time.perf_counter() - start:.1f} s")
        exe = str(Path(sys.executable).with_name("sayembara"))
        base_cmd = [exe, "rank", str(folder / "template.yaml"), "--entries", str(entries_csv),
                    "--scores", str(scores_csv)]
        script = folder / "naive.py"
        script.write_text(NAIVE_END_TO_END % {
            "weights": list(data.WEIGHTS),
            "stage_w": {k: w for k, w, _ in data.STAGES}}, encoding="utf-8")
        naive_fig, n_status = run_child([sys.executable, str(script), str(entries_csv),
                                         str(scores_csv), str(folder / "naive.json")])
        fast_fig, _ = run_child([*base_cmd, "--bootstrap", "0", "--out", str(folder / "o0")])
        timings = subprocess.run([*base_cmd, "--bootstrap", "0", "--timings", "--out",
                                  str(folder / "o1")], capture_output=True, text=True,
                                 check=False, env={**os.environ, "LANG": "C"})
        full_fig, status = run_child([*base_cmd, "--out", str(folder / "out")])
        line("4. sayembara rank from CSV, 3.1 M rows,", fast_fig, naive_fig,
             "pure Python csv+dicts", note="peak = max RSS of the command")
        print("   --bootstrap 0 (reads, checks, computes, calibrates, reliability, writes)")
        line("   same with the default B=1000", full_fig, naive_fig, "pure Python csv+dicts")
        print("   time per phase of the --bootstrap 0 command (a second run, --timings):")
        for row in timings.stderr.splitlines():
            print("     " + row)
        print(f"   load average at the end: {os.getloadavg()[0]:.1f} (wall times stretch with "
              "it; compare CPU times while other work runs)")
        if status == 0:
            out = folder / "out" / "results.json"
            result = json.loads(out.read_text(encoding="utf-8"))
            print(f"   results.json: {out.stat().st_size / 2**20:.0f} MB, "
                  f"complete={result['complete']}; exit status {status}/{n_status}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
