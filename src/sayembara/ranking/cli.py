"""``sayembara rank`` and ``sayembara bundle export|verify``: parse arguments, call, print.

Exit status: 0 success (for ``verify``: identical), 1 ``verify`` found a difference,
2 bad input or usage (nothing is written).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from django.utils.translation import gettext as _

from . import BOOTSTRAP
from .scorefile import ScoreFile

if TYPE_CHECKING:
    from .pipeline import InputPaths

# The engine and the template format are imported once the arguments are read and the
# scores file's read has started.


def _input_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("template", metavar="TEMPLATE",
                        help=_("A built-in template name (see 'sayembara template list') or a "
                               "template file."))
    parser.add_argument("--entries", required=True, type=Path, metavar="FILE",
                        help=_("entries.csv: entry,category[,group,...]"))
    parser.add_argument("--scores", required=True, type=Path, metavar="FILE",
                        help=_("scores.csv: stage,judge,entry,criterion,score"))
    parser.add_argument("--judges", type=Path, metavar="FILE",
                        help=_("judges.csv: judge,role,institution"))
    parser.add_argument("--votes", type=Path, metavar="FILE", help=_("votes.csv: entry,votes"))
    parser.add_argument("--decisions", type=Path, metavar="FILE",
                        help=_("decisions.csv: stage,entry,decision,reason[,order]"))
    parser.add_argument("--recusals", type=Path, metavar="FILE",
                        help=_("recusals.csv: stage,entry,judge"))
    parser.add_argument("--seed", type=int, metavar="N",
                        help=_("Published seed for the bootstrap and any lot (default: the "
                               "template's year)."))
    parser.add_argument("--bootstrap", type=int, default=BOOTSTRAP, metavar="B",
                        help=_("Bootstrap replicates (default %(default)s; 0 switches the "
                               "uncertainty figures off)."))
    parser.add_argument("--out", required=True, type=Path, metavar="DIR",
                        help=_("Folder to write into."))


def _paths(args: argparse.Namespace) -> InputPaths:
    from .pipeline import InputPaths

    return InputPaths(entries=args.entries, scores=args.scores, judges=args.judges,
                      votes=args.votes, decisions=args.decisions, recusals=args.recusals)


def _report(error: Exception, err: TextIO) -> int:
    from sayembara.template_format import TemplateError

    from .csvinput import InputFileError

    if isinstance(error, TemplateError):
        err.write(str(error) + "\n")
    elif isinstance(error, InputFileError):
        err.write(error.format() + "\n")
    else:
        err.write(str(error) + "\n")
    err.write(_("Nothing was written.") + "\n")
    return 2


def rank_main(argv: list[str] | None = None, *, out: TextIO | None = None,
              err: TextIO | None = None) -> int:
    """Rank from CSV files: write DIR/results.json and print the table."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="sayembara rank",
        description=_("Compute a competition's results from CSV files with no database."))
    _input_arguments(parser)
    parser.add_argument("--timings", action="store_true",
                        help=_("Print the wall and CPU time each phase took (reading, engine, "
                               "writing)."))
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    if args.bootstrap < 0:
        err.write(_("--bootstrap must be 0 or more.") + "\n")
        return 2
    # Arrow reads the scores on its own threads while the engine is set up and the template
    # and entries are read; the file is checked when its turn comes.
    scores = ScoreFile(args.scores, background=True)
    from sayembara.template_format import TemplateError

    from .csvinput import InputFileError
    from .output import dumps, write_atomic
    from .pipeline import Clock, run, template_text

    try:
        text, source = template_text(args.template)
        clock = Clock()
        computed = run(text=text, source_name=source, paths=_paths(args), seed=args.seed,
                       bootstrap=args.bootstrap, clock=clock, scores=scores)
    except (TemplateError, InputFileError, ValueError) as error:
        return _report(error, err)
    try:
        text = dumps(computed.data)
        clock.lap("results.json text")
        write_atomic(args.out / "results.json", text)
    except OSError as error:
        err.write(_("The results could not be written to %(path)s (%(error)s).")
                  % {"path": args.out, "error": error} + "\n")
        return 2
    out.write(computed.table)
    out.write(_("Results written to %(path)s.") % {"path": args.out / "results.json"} + "\n")
    clock.lap("write")
    if args.timings:
        err.write(f"{'':<28} {_('wall'):>11} {_('CPU'):>11}\n")
        for name, seconds, cpu in clock.phases:
            err.write(f"{name:<28} {seconds * 1000:>8.0f} ms {cpu * 1000:>8.0f} ms\n")
        wall = sum(p[1] for p in clock.phases)
        cpu = sum(p[2] for p in clock.phases)
        err.write(f"{_('total'):<28} {wall * 1000:>8.0f} ms {cpu * 1000:>8.0f} ms\n")
    return 0


def _read_table(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [f.strip().lower() for f in reader.fieldnames or []]
        return [{k: (v or "").strip() for k, v in row.items() if k is not None}
                for row in reader]


def bundle_main(argv: list[str] | None = None, *, out: TextIO | None = None,
                err: TextIO | None = None) -> int:
    """``bundle export`` writes a results bundle; ``bundle verify DIR`` recomputes it."""
    out, err = out or sys.stdout, err or sys.stderr
    parser = argparse.ArgumentParser(
        prog="sayembara bundle",
        description=_("Export a recomputable results bundle, or verify one."))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    export = commands.add_parser(
        "export", help=_("Compute the results and write template, inputs, results and a "
                         "SHA-256 manifest into a new folder."))
    _input_arguments(export)
    export.add_argument("--keep-judge-names", action="store_true",
                        help=_("Keep the judges' identifiers instead of stable pseudonyms."))
    verify = commands.add_parser(
        "verify", help=_("Check a bundle's manifest, recompute its results and report "
                         "identical or the first difference."))
    verify.add_argument("folder", type=Path, metavar="DIR")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    from sayembara.template_format import TemplateError

    from .bundle import BundleInputs, verify_bundle, write_bundle
    from .csvinput import InputFileError
    from .pipeline import run, template_text

    if args.command == "verify":
        try:
            result = verify_bundle(args.folder)
        except (TemplateError, InputFileError, ValueError) as error:
            detail = error.format() if isinstance(error, InputFileError) else str(error)
            out.write(_("Different: the bundle cannot be recomputed: %(problem)s")
                      % {"problem": detail} + "\n")
            return 1
        if result.identical:
            out.write(_("Identical: the recomputed results match results.json "
                        "(recorded with engine %(recorded)s, recomputed with %(now)s).")
                      % {"recorded": result.engine_recorded, "now": result.engine_now} + "\n")
            return 0
        out.write(_("Different: %(difference)s") % {"difference": result.difference} + "\n")
        return 1
    try:
        text, source = template_text(args.template)
        # read and check the inputs first, with the user's file names in any message
        run(text=text, source_name=source, paths=_paths(args), seed=args.seed, bootstrap=0)
        tables = BundleInputs(
            entries=_read_table(args.entries), scores=_read_table(args.scores),
            judges=_read_table(args.judges), votes=_read_table(args.votes),
            decisions=_read_table(args.decisions), recusals=_read_table(args.recusals))
        data = write_bundle(out_dir=args.out, template_data=text, inputs=tables,
                            seed=args.seed, bootstrap=args.bootstrap,
                            keep_judge_names=args.keep_judge_names)
    except (TemplateError, InputFileError, ValueError, FileExistsError) as error:
        return _report(error, err)
    out.write(_("Bundle written to %(path)s (engine %(version)s, seed %(seed)s, complete: "
                "%(complete)s).") % {"path": args.out, "version": data["engine_version"],
                                     "seed": data["seed"],
                                     "complete": _("yes") if data["complete"] else _("no")}
              + "\n")
    return 0
