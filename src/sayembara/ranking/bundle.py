"""Results bundles: everything needed to recompute published results, sealed by hashes.

A bundle is a folder::

    template.yaml          the competition template, byte for byte
    inputs/entries.csv     the inputs, judges replaced by pseudonyms (J01, J02, ...)
    inputs/scores.csv      unless the names are explicitly kept
    inputs/judges.csv
    inputs/votes.csv       (when there are votes)
    inputs/decisions.csv   (when there are decisions)
    inputs/recusals.csv    (when panel members recused for a conflict of interest)
    results.json           the results computed from exactly these files
    bundle.json            engine version, seed, bootstrap replicates, pseudonymised or not
    MANIFEST.sha256        SHA-256 of every other file (``sha256sum -c`` can check it)

Pseudonyms are stable: judges are numbered in order of their identifiers' SHA-256 digests, so
the same judges always get the same pseudonyms and the numbering does not reveal the
alphabetical order of their names. Institutions (the body a judge represents) are kept.

:func:`write_bundle` computes the results from the files it has just written, so what
:func:`verify_bundle` recomputes is exactly what was published. Verification first checks
the manifest (a missing, extra or altered file is the first difference), then recomputes and
compares ``results.json`` value by value, reporting the first difference by its path.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

from sayembara import scoring

from .cells import csv_cell
from .output import dumps
from .pipeline import InputPaths, run

MANIFEST = "MANIFEST.sha256"
BUNDLE_FORMAT = 1

Row = Mapping[str, Any]


@dataclass(frozen=True)
class BundleInputs:
    """The input tables of a bundle, one mapping per row (column -> value).

    ``entries`` need ``entry`` and ``category`` (other columns are kept); ``scores``
    ``stage, judge, entry, criterion, score``; ``judges`` ``judge, role, institution``;
    ``votes`` ``entry, votes``; ``decisions`` ``stage, entry, decision, reason`` and
    ``order`` for tie-breaks; ``recusals`` ``stage, entry, judge``.
    """

    entries: Sequence[Row]
    scores: Sequence[Row]
    judges: Sequence[Row] = ()
    votes: Sequence[Row] = ()
    decisions: Sequence[Row] = ()
    recusals: Sequence[Row] = ()


@dataclass
class Verification:
    identical: bool
    difference: str | None
    engine_recorded: str | None = None
    engine_now: str = scoring.ENGINE_VERSION
    checked_files: list[str] = field(default_factory=list)


def _csv_text(header: Sequence[str], rows: Iterable[Row]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([csv_cell(row.get(h)) for h in header])
    return buffer.getvalue()


def _header(rows: Sequence[Row], required: Sequence[str]) -> list[str]:
    header = list(required)
    for row in rows:
        for key in row:
            if key not in header:
                header.append(key)
    return header


def pseudonyms(judges: Iterable[str]) -> dict[str, str]:
    """Stable pseudonyms J01, J02... numbered by the SHA-256 digest of each identifier."""
    keys = sorted(set(judges), key=lambda k: hashlib.sha256(k.encode("utf-8")).hexdigest())
    width = max(2, len(str(len(keys))))
    return {k: f"J{i + 1:0{width}d}" for i, k in enumerate(keys)}


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_bundle(*, out_dir: Path, template_data: str, inputs: BundleInputs,
                 seed: int | None = None, bootstrap: int = 1000,
                 keep_judge_names: bool = False,
                 judge_pseudonyms: Mapping[str, str] | None = None,
                 extra_meta: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Write a bundle into ``out_dir`` (which must not exist or be empty) and return its
    results data. The folder is assembled aside and moved into place only when complete;
    on any error nothing is left behind.

    Judges are renamed by :func:`pseudonyms` unless ``keep_judge_names``, or by
    ``judge_pseudonyms`` when given (a caller whose stored results drew the bootstrap in a
    known order of judges passes pseudonyms that sort in that order, so the bundle
    recomputes the same rank intervals). ``extra_meta`` is added to ``bundle.json`` (an
    edition's bundle records there the audit chain head it was published at)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
        raise FileExistsError(_("The folder %(path)s already exists and is not empty; choose "
                                "a new folder for the bundle.") % {"path": out_dir})
    judge_keys = [str(r["judge"]) for r in inputs.judges] or [
        str(r["judge"]) for r in inputs.scores]
    if keep_judge_names:
        names = dict.fromkeys(judge_keys, "")
    elif judge_pseudonyms is not None:
        names = dict(judge_pseudonyms)
    else:
        names = pseudonyms(judge_keys)
    rename = (lambda k: k) if keep_judge_names else (lambda k: names.get(k, k))
    scores = [{**row, "judge": rename(str(row["judge"]))} for row in inputs.scores]
    judges = [{**row, "judge": rename(str(row["judge"]))} for row in inputs.judges]
    if not judges:
        judges = [{"judge": rename(k), "role": "anggota", "institution": ""}
                  for k in dict.fromkeys(judge_keys)]
    judges.sort(key=lambda r: str(r["judge"]))
    files: dict[str, str] = {
        "template.yaml": template_data,
        "inputs/entries.csv": _csv_text(_header(inputs.entries, ("entry", "category")),
                                        inputs.entries),
        "inputs/scores.csv": _csv_text(("stage", "judge", "entry", "criterion", "score"),
                                       scores),
        "inputs/judges.csv": _csv_text(("judge", "role", "institution"), judges),
    }
    if inputs.votes:
        files["inputs/votes.csv"] = _csv_text(("entry", "votes"), inputs.votes)
    if inputs.decisions:
        files["inputs/decisions.csv"] = _csv_text(
            _header(inputs.decisions, ("stage", "entry", "decision", "reason")),
            inputs.decisions)
    if inputs.recusals:
        files["inputs/recusals.csv"] = _csv_text(
            ("stage", "entry", "judge"),
            [{**row, "judge": rename(str(row["judge"]))} for row in inputs.recusals])
    parent = out_dir.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=parent, prefix=f".{out_dir.name}."))
    try:
        for rel, text in files.items():
            path = staging / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
        computed = run(text=template_data, source_name="template.yaml",
                       paths=_paths(staging), seed=seed, bootstrap=bootstrap)
        results_text = dumps(computed.data)
        (staging / "results.json").write_text(results_text, encoding="utf-8", newline="\n")
        meta = {
            "format": BUNDLE_FORMAT,
            "engine_version": scoring.ENGINE_VERSION,
            "template": computed.template.name,
            "seed": computed.results.seed,
            "bootstrap": bootstrap,
            "judges_pseudonymised": not keep_judge_names,
            **dict(extra_meta or {}),
        }
        (staging / "bundle.json").write_text(dumps(meta), encoding="utf-8", newline="\n")
        _write_manifest(staging)
        if out_dir.exists():
            out_dir.rmdir()
        staging.rename(out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return json.loads(results_text)  # type: ignore[no-any-return]


def _paths(root: Path) -> InputPaths:
    def opt(name: str) -> Path | None:
        path = root / "inputs" / name
        return path if path.is_file() else None

    return InputPaths(entries=root / "inputs" / "entries.csv",
                      scores=root / "inputs" / "scores.csv", judges=opt("judges.csv"),
                      votes=opt("votes.csv"), decisions=opt("decisions.csv"),
                      recusals=opt("recusals.csv"))


def _bundle_files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                  if p.is_file() and p.name != MANIFEST)


def _write_manifest(root: Path) -> None:
    lines = [f"{sha256_file(root / rel)}  {rel}\n" for rel in _bundle_files(root)]
    (root / MANIFEST).write_text("".join(lines), encoding="utf-8", newline="\n")


def first_difference(a: Any, b: Any, path: str = "") -> str | None:
    """Path and values of the first difference between two JSON values, or None."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in b:
                return _("%(path)s is in the bundle but not in the recomputed results.") % {
                    "path": f"{path}.{key}".lstrip(".")}
            if key not in a:
                return _("%(path)s is in the recomputed results but not in the bundle.") % {
                    "path": f"{path}.{key}".lstrip(".")}
            found = first_difference(a[key], b[key], f"{path}.{key}".lstrip("."))
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        if len(a) != len(b):
            return _("%(path)s has %(a)s items in the bundle and %(b)s recomputed.") % {
                "path": path, "a": len(a), "b": len(b)}
        return None
    if a != b or type(a) is not type(b):
        return _("%(path)s is %(a)s in the bundle but %(b)s when recomputed.") % {
            "path": path, "a": json.dumps(a, ensure_ascii=False),
            "b": json.dumps(b, ensure_ascii=False)}
    return None


def verify_bundle(root: Path) -> Verification:
    """Check the manifest, recompute the results and compare them with ``results.json``."""
    root = Path(root)
    manifest = root / MANIFEST
    if not manifest.is_file():
        return Verification(False, _("The bundle has no %(name)s file.") % {"name": MANIFEST})
    listed: dict[str, str] = {}
    for n, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        digest, _sep, rel = line.partition("  ")
        if len(digest) != 64 or not rel:
            return Verification(False, _("Line %(line)s of %(name)s is not \"<sha256>  <file>\".")
                                % {"line": n, "name": MANIFEST})
        listed[rel] = digest
    present = _bundle_files(root)
    for rel in sorted(set(listed) | set(present)):
        if rel not in present:
            return Verification(False, _("The file %(file)s listed in the manifest is missing.")
                                % {"file": rel})
        if rel not in listed:
            return Verification(False, _("The file %(file)s is not listed in the manifest.")
                                % {"file": rel})
        if sha256_file(root / rel) != listed[rel]:
            return Verification(False, _("The file %(file)s has changed: its SHA-256 differs "
                                         "from the manifest.") % {"file": rel})
    try:
        meta = json.loads((root / "bundle.json").read_text(encoding="utf-8"))
        recorded = json.loads((root / "results.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return Verification(False, _("The bundle's JSON files cannot be read (%(error)s).")
                            % {"error": error})
    computed = run(text=(root / "template.yaml").read_text(encoding="utf-8"),
                   source_name=str(root / "template.yaml"), paths=_paths(root),
                   seed=int(meta["seed"]), bootstrap=int(meta["bootstrap"]))
    fresh = json.loads(dumps(computed.data))
    engine_recorded = recorded.get("engine_version")
    compare_a = {k: v for k, v in recorded.items() if k != "engine_version"}
    compare_b = {k: v for k, v in fresh.items() if k != "engine_version"}
    difference = first_difference(compare_a, compare_b)
    return Verification(difference is None, difference, engine_recorded=engine_recorded,
                        checked_files=sorted(listed))
