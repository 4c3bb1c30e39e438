"""Reading and checking the CSV inputs of ``sayembara rank``.

Files (UTF-8, a header line first; column names are case-insensitive):

``entries.csv``
    ``entry,category`` plus optional ``group,institution,institution_type,region`` and any
    other attribute column.
``scores.csv``
    ``stage,judge,entry,criterion,score``: one row per judge x entry x criterion. ``score`` is
    a number (a decimal comma is accepted) for numeric criteria; for an ordinal criterion
    the score of a level or its label (several labels separated by ``|``: the highest counts);
    for a checklist the ids of the ticked items separated by ``|`` (empty: none ticked). An
    empty score leaves the criterion unscored (the rubric's missing-criterion policy applies).
``judges.csv`` (optional)
    ``judge,role,institution`` with a role of the template (``ketua``, ``sekretaris``,
    ``anggota``, ``juri_kehormatan``). Without it every judge in the scores counts as a
    regular judge.
``votes.csv`` (optional)
    ``entry,votes`` with a whole number of votes.
``decisions.csv`` (optional)
    ``stage,entry,decision,reason`` with decision ``advance``, ``eliminate``, ``disqualify``
    or ``tiebreak``; a ``tiebreak`` needs an ``order`` column (1 is placed first) and may use
    the stage ``final`` for the final ranking.

Every problem stops the reading with an :class:`InputFileError` naming the file, line,
column and value and saying what is expected.
"""

from __future__ import annotations

import csv
import re
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from itertools import islice
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _

from sayembara import scoring
from sayembara.scoring.exact import SAFE, lcm
from sayembara.template_format.model import Template

from .bridge import HONORARY_ROLE
from .cells import read_csv_cell

ROLES = ("ketua", "sekretaris", "anggota", "juri_kehormatan")
DECISIONS = ("advance", "eliminate", "disqualify", "tiebreak")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
#: Scores may have at most this many decimals.
MAX_PLACES = 6


class InputFileError(Exception):
    """A problem in an input file: where it is and a sentence saying what is expected."""

    def __init__(self, *, path: str, line: int | None, column: str | None,
                 value: str | None, message: str) -> None:
        self.path, self.line, self.column, self.value = path, line, column, value
        self.message = message
        super().__init__(self.format())

    def format(self) -> str:
        where = [self.path]
        if self.line is not None:
            where.append(_("line %(line)s") % {"line": self.line})
        if self.column is not None:
            where.append(_("column %(column)s") % {"column": self.column})
        if self.value is not None:
            where.append(_('value "%(value)s"') % {"value": self.value})
        return ", ".join(where) + ": " + self.message


@dataclass
class Source:
    """Where the engine's inputs came from, to turn an engine error back into a line."""

    scores_path: str
    score_lines: npt.NDArray[np.int64]
    score_values: list[str]
    score_value_index: npt.NDArray[np.int64]
    decision_lines: dict[tuple[str, str], int] = field(default_factory=dict)
    decisions_path: str | None = None
    entries_path: str = "entries.csv"


@dataclass
class Loaded:
    inputs: scoring.Inputs
    source: Source
    judge_rows: list[dict[str, str]]


def _open(path: Path, required: Sequence[str], optional: Sequence[str] = (),
          *, extra: bool = False) -> tuple[list[str], Any, IO[str]]:
    """Open a CSV file and check its header: (header in lower case, reader, handle)."""
    name = str(path)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except FileNotFoundError:
        raise InputFileError(path=name, line=None, column=None, value=None, message=_(
            "The file does not exist; check the path.")) from None
    except OSError as error:
        raise InputFileError(path=name, line=None, column=None, value=None, message=_(
            "The file cannot be read (%(error)s).") % {"error": error}) from None
    reader = csv.reader(handle)
    try:
        header = next(reader)
    except StopIteration:
        handle.close()
        raise InputFileError(path=name, line=1, column=None, value=None, message=_(
            "The file is empty; its first line must be the header %(header)s.")
            % {"header": ",".join(required)}) from None
    except (UnicodeDecodeError, csv.Error) as error:
        handle.close()
        raise InputFileError(path=name, line=1, column=None, value=None, message=_(
            "The file is not readable as UTF-8 CSV text (%(error)s).") % {"error": error}
        ) from None
    header = [h.strip().lower() for h in header]
    for col in required:
        if col not in header:
            handle.close()
            raise InputFileError(path=name, line=1, column=col, value=None, message=_(
                "The header has no column %(column)s; the header must hold %(header)s.")
                % {"column": col, "header": ",".join(required)})
    seen: set[str] = set()
    for col in header:
        if col in seen:
            handle.close()
            raise InputFileError(path=name, line=1, column=col, value=None, message=_(
                "The column %(column)s appears twice in the header; keep one.")
                % {"column": col})
        seen.add(col)
        if not extra and col not in required and col not in optional:
            handle.close()
            raise InputFileError(path=name, line=1, column=col, value=None, message=_(
                "The column %(column)s is not expected here; the columns are %(columns)s.")
                % {"column": col, "columns": ",".join([*required, *optional])})

    return header, reader, handle


def _rows(path: Path, required: Sequence[str], optional: Sequence[str] = (),
          *, extra: bool = False) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header (lower case) and an iterator of (line, cells) of a CSV file."""
    header, reader, handle = _open(path, required, optional, extra=extra)
    name = str(path)

    def gen() -> Iterator[tuple[int, list[str]]]:
        width = len(header)
        try:
            for cells in reader:
                if len(cells) != width:
                    if not cells or all(not c.strip() for c in cells):
                        continue
                    raise InputFileError(path=name, line=reader.line_num, column=None,
                                         value=None, message=_(
                        "The line has %(got)s cells but the header has %(want)s; every line "
                        "needs one cell per column (quote values that contain commas).")
                        % {"got": len(cells), "want": width})
                elif not cells[0] and all(not c.strip() for c in cells):
                    continue
                yield reader.line_num, [read_csv_cell(c) for c in cells]
        except (UnicodeDecodeError, csv.Error) as error:
            raise InputFileError(path=name, line=reader.line_num, column=None, value=None,
                                 message=_("The line cannot be read as CSV (%(error)s).")
                                 % {"error": error}) from None
        finally:
            handle.close()

    return header, gen()


def parse_number(text: str) -> Fraction | None:
    """A decimal number written with a dot or a comma, exactly; None if it is not one."""
    t = text.strip()
    if not _NUMBER.match(t):
        return None
    return Fraction(Decimal(t.replace(",", ".")))


def read_entries(path: Path, template: Template) -> tuple[list[scoring.Entry], dict[str, int]]:
    header, rows = _rows(path, ("entry", "category"),
                         ("group", "institution", "institution_type", "region"), extra=True)
    name = str(path)
    categories = {c.id for c in template.categories}
    groups = {g.id: g for g in template.groups}
    ix = {h: i for i, h in enumerate(header)}
    entries: list[scoring.Entry] = []
    lines: dict[str, int] = {}
    for line, cells in rows:
        key = cells[ix["entry"]].strip()
        cat = cells[ix["category"]].strip()
        if not key:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "The entry identifier is empty; give every entry a unique identifier."))
        if key in lines:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "The entry %(entry)s is already listed on line %(first)s; identifiers must "
                "be unique.") % {"entry": key, "first": lines[key]})
        if cat not in categories:
            raise InputFileError(path=name, line=line, column="category", value=cat, message=_(
                "The template has no category %(category)s; use one of %(choices)s.")
                % {"category": cat, "choices": ", ".join(sorted(categories))})
        group: str | None = None
        if "group" in ix:
            group = cells[ix["group"]].strip() or None
            if group is not None:
                if group not in groups:
                    raise InputFileError(path=name, line=line, column="group", value=group,
                                         message=_(
                        "The template has no group %(group)s; use one of %(choices)s or leave "
                        "the cell empty.")
                        % {"group": group, "choices": ", ".join(sorted(groups)) or "-"})
                allowed = groups[group].categories
                if allowed and cat not in allowed:
                    raise InputFileError(path=name, line=line, column="group", value=group,
                                         message=_(
                        "The group %(group)s belongs to the categories %(categories)s, not to "
                        "%(category)s.") % {"group": group, "categories": ", ".join(allowed),
                                            "category": cat})
        attributes = tuple(
            (h, cells[i].strip()) for h, i in ix.items()
            if h not in ("entry", "category", "group")
        )
        lines[key] = line
        entries.append(scoring.Entry(key=key, category=cat, group=group, attributes=attributes))
    if not entries:
        raise InputFileError(path=name, line=None, column=None, value=None, message=_(
            "The file lists no entries; add one line per entry below the header."))
    return entries, lines


def read_judges(path: Path) -> tuple[list[scoring.Judge], list[dict[str, str]]]:
    header, rows = _rows(path, ("judge", "role", "institution"))
    name = str(path)
    ix = {h: i for i, h in enumerate(header)}
    judges: list[scoring.Judge] = []
    raw: list[dict[str, str]] = []
    lines: dict[str, int] = {}
    for line, cells in rows:
        key = cells[ix["judge"]].strip()
        role = cells[ix["role"]].strip()
        if not key:
            raise InputFileError(path=name, line=line, column="judge", value=key, message=_(
                "The judge identifier is empty; give every judge a unique identifier."))
        if key in lines:
            raise InputFileError(path=name, line=line, column="judge", value=key, message=_(
                "The judge %(judge)s is already listed on line %(first)s; identifiers must "
                "be unique.") % {"judge": key, "first": lines[key]})
        if role not in ROLES:
            raise InputFileError(path=name, line=line, column="role", value=role, message=_(
                "The role must be one of %(choices)s.") % {"choices": ", ".join(ROLES)})
        lines[key] = line
        judges.append(scoring.Judge(key=key, honorary=role == HONORARY_ROLE))
        raw.append({"judge": key, "role": role,
                    "institution": cells[ix["institution"]].strip()})
    return judges, raw


def read_votes(path: Path, entry_ix: dict[str, int]) -> dict[str, int]:
    header, rows = _rows(path, ("entry", "votes"))
    name = str(path)
    ix = {h: i for i, h in enumerate(header)}
    votes: dict[str, int] = {}
    lines: dict[str, int] = {}
    for line, cells in rows:
        key = cells[ix["entry"]].strip()
        text = cells[ix["votes"]].strip()
        if key not in entry_ix:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "There is no entry %(entry)s in the entries file.") % {"entry": key})
        if key in lines:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "The entry %(entry)s already has votes on line %(first)s; give one line per "
                "entry.") % {"entry": key, "first": lines[key]})
        if not text.isdigit():
            raise InputFileError(path=name, line=line, column="votes", value=text, message=_(
                "The number of votes must be a whole number, 0 or more."))
        lines[key] = line
        votes[key] = int(text)
    return votes


def read_decisions(path: Path, template: Template, entry_ix: dict[str, int]) -> (
    tuple[list[scoring.Decision], dict[tuple[str, str], int]]
):
    header, rows = _rows(path, ("stage", "entry", "decision", "reason"), ("order",))
    name = str(path)
    ix = {h: i for i, h in enumerate(header)}
    stages = [s.id for s in template.stages]
    out: list[scoring.Decision] = []
    lines: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        stage = cells[ix["stage"]].strip()
        key = cells[ix["entry"]].strip()
        decision = cells[ix["decision"]].strip().lower()
        reason = cells[ix["reason"]].strip()
        if stage not in stages and not (stage == scoring.FINAL and decision == "tiebreak"):
            raise InputFileError(path=name, line=line, column="stage", value=stage, message=_(
                "The template has no stage %(stage)s; use one of %(choices)s (or final for a "
                "tie-break of the final ranking).")
                % {"stage": stage, "choices": ", ".join(stages)})
        if key not in entry_ix:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "There is no entry %(entry)s in the entries file.") % {"entry": key})
        if decision not in DECISIONS:
            raise InputFileError(path=name, line=line, column="decision", value=decision,
                                 message=_("The decision must be one of %(choices)s.")
                                 % {"choices": ", ".join(DECISIONS)})
        if not reason:
            raise InputFileError(path=name, line=line, column="reason", value=reason,
                                 message=_("Every decision needs its written reason."))
        order: int | None = None
        if decision == "tiebreak":
            text = cells[ix["order"]].strip() if "order" in ix else ""
            if not text.isdigit() or int(text) < 1:
                raise InputFileError(path=name, line=line, column="order", value=text,
                                     message=_("A tie-break decision needs an order of 1 or "
                                               "more in the order column (1 is placed first)."))
            order = int(text)
        slot = (stage + ("#tiebreak" if decision == "tiebreak" else ""), key)
        if slot in lines:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "The entry %(entry)s already has a decision at stage %(stage)s on line "
                "%(first)s; keep one.") % {"entry": key, "stage": stage, "first": lines[slot]})
        lines[slot] = line
        lines[(stage, key)] = line
        out.append(scoring.Decision(stage=stage, entry=key, action=scoring.Action(decision),
                                    reason=reason, order=order))
    return out, lines


@dataclass
class _CriterionInfo:
    position: int
    criterion: scoring.Criterion
    key: tuple[str, str]
    numeric: bool


def _read_scores_slow(
    path: Path,
    competition: scoring.Competition,
    entries: Sequence[scoring.Entry],
    entry_ix: dict[str, int],
    judges: list[scoring.Judge] | None,
) -> tuple[scoring.ScoreTable, list[scoring.Judge], Source]:
    """Read the score rows one by one (the reference reader; it names the first bad line)."""
    header, rows = _rows(path, ("stage", "judge", "entry", "criterion", "score"))
    name = str(path)
    ix = {h: i for i, h in enumerate(header)}
    i_stage, i_judge, i_entry, i_crit, i_score = (
        ix["stage"], ix["judge"], ix["entry"], ix["criterion"], ix["score"])
    stage_ix = {s.key: i for i, s in enumerate(competition.stages)}
    cat_ix = {c: i for i, c in enumerate(competition.categories)}
    entry_cat = [cat_ix[e.category] for e in entries]
    free_judges = judges is None
    judge_list: list[scoring.Judge] = list(judges or [])
    judge_ix = {j.key: i for i, j in enumerate(judge_list)}
    crit_maps: dict[tuple[int, int], dict[str, _CriterionInfo] | None] = {}
    # parsed values, keyed by the cell text (numeric criteria) or by criterion and text
    value_ix: dict[object, int] = {}
    values: list[Fraction] = []
    texts: list[str] = []
    col_stage, col_judge, col_entry, col_crit = (array("i"), array("i"), array("i"),
                                                 array("i"))
    col_value, col_line = array("q"), array("q")

    def fail(line: int, column: str, value: str, message: str) -> InputFileError:
        return InputFileError(path=name, line=line, column=column, value=value, message=message)

    for line, cells in rows:
        st = cells[i_stage].strip()
        k = stage_ix.get(st)
        if k is None:
            raise fail(line, "stage", st, _(
                "The template has no stage %(stage)s; use one of %(choices)s.")
                % {"stage": st, "choices": ", ".join(stage_ix)})
        ek = cells[i_entry].strip()
        e = entry_ix.get(ek)
        if e is None:
            raise fail(line, "entry", ek, _(
                "There is no entry %(entry)s in the entries file.") % {"entry": ek})
        jk = cells[i_judge].strip()
        j = judge_ix.get(jk)
        if j is None:
            if not free_judges or not jk:
                raise fail(line, "judge", jk, _(
                    "There is no judge %(judge)s in the judges file.") % {"judge": jk}
                    if jk else _("The judge identifier is empty."))
            j = len(judge_list)
            judge_list.append(scoring.Judge(key=jk))
            judge_ix[jk] = j
        cat = entry_cat[e]
        cmap = crit_maps.get((k, cat), ...)
        if cmap is ...:
            cmap = _criterion_map(competition, k, competition.categories[cat])
            crit_maps[(k, cat)] = cmap
        ck = cells[i_crit].strip()
        if cmap is None:
            stage = competition.stages[k]
            if stage.source is scoring.Source.VOTES:
                raise fail(line, "stage", st, _(
                    "The stage %(stage)s is decided by public votes; put its votes in the "
                    "votes file, not in the scores.") % {"stage": st})
            raise fail(line, "entry", ek, _(
                "The stage %(stage)s does not score entries of category %(category)s.")
                % {"stage": st, "category": competition.categories[cat]})
        info = cmap.get(ck)
        if info is None:
            raise fail(line, "criterion", ck, _(
                "The rubric of stage %(stage)s for category %(category)s has no criterion "
                "%(criterion)s; use one of %(choices)s.")
                % {"stage": st, "category": competition.categories[cat], "criterion": ck,
                   "choices": ", ".join(cmap)})
        text = cells[i_score]
        vkey: object = text if info.numeric else (info.key, text)
        v = value_ix.get(vkey)
        if v is None:
            parsed = _parse_score(info.criterion, text)
            if isinstance(parsed, str):
                raise fail(line, "score", text, parsed)
            if parsed is None:  # left unscored
                value_ix[vkey] = -1
                continue
            v = len(values)
            values.append(parsed)
            texts.append(text)
            value_ix[vkey] = v
        elif v < 0:
            continue
        col_stage.append(k)
        col_judge.append(j)
        col_entry.append(e)
        col_crit.append(info.position)
        col_value.append(v)
        col_line.append(line)

    def arr(a: array[int]) -> npt.NDArray[np.int64]:
        return np.array(a, dtype=np.int64)

    part = (arr(col_stage), arr(col_judge), arr(col_entry), arr(col_crit), arr(col_value),
            arr(col_line))
    return _table(name, [part], values, texts, judge_list)


#: Rows read at a time by the fast reader.
CHUNK = 65536


class _Fallback(Exception):
    """The fast reader met something it does not handle; the row-by-row reader takes over."""


def read_scores(
    path: Path,
    competition: scoring.Competition,
    entries: Sequence[scoring.Entry],
    entry_ix: dict[str, int],
    judges: list[scoring.Judge] | None,
) -> tuple[scoring.ScoreTable, list[scoring.Judge], Source]:
    """Read the score rows; judges are taken from the scores when no judges file is given.

    Large files are read column by column in chunks; anything unusual (a bad value, a blank
    or multi-line record) hands over to the row-by-row reader, which reports the exact line.
    Both readers give the same result.
    """
    try:
        return _read_scores_fast(path, competition, entries, entry_ix, judges)
    except _Fallback:
        return _read_scores_slow(path, competition, entries, entry_ix, judges)


def _read_scores_fast(
    path: Path,
    competition: scoring.Competition,
    entries: Sequence[scoring.Entry],
    entry_ix: dict[str, int],
    judges: list[scoring.Judge] | None,
) -> tuple[scoring.ScoreTable, list[scoring.Judge], Source]:
    header, reader, handle = _open(path, ("stage", "judge", "entry", "criterion", "score"))
    ix = {h: i for i, h in enumerate(header)}
    width = len(header)
    stage_ix = {s.key: i for i, s in enumerate(competition.stages)}
    cats = competition.categories
    cat_ix = {c: i for i, c in enumerate(cats)}
    entry_cat = np.array([cat_ix[e.category] for e in entries], dtype=np.int64)
    judge_list: list[scoring.Judge] = list(judges or [])
    judge_ix = {j.key: i for i, j in enumerate(judge_list)}
    # (stage, category) -> rubric number (-1: the stage does not score the category)
    rubric_keys: list[str] = []
    combo = np.full((len(competition.stages), len(cats)), -1, dtype=np.int64)
    for k, stage in enumerate(competition.stages):
        for c, cat in enumerate(cats):
            key = stage.rubric_for(cat) if (stage.source is scoring.Source.JUDGES
                                            and stage.takes(cat)) else None
            if key is not None:
                if key not in rubric_keys:
                    rubric_keys.append(key)
                combo[k, c] = rubric_keys.index(key)
    rubrics = [competition.rubric(k) for k in rubric_keys]
    positions = [{c.key: i for i, c in enumerate(r.criteria)} for r in rubrics]
    numeric = [all(c.kind is scoring.CriterionKind.NUMERIC for c in r.criteria)
               for r in rubrics]
    value_ix: dict[str, int] = {}
    values: list[Fraction] = []
    texts: list[str] = []
    parts: list[tuple[npt.NDArray[np.int64], ...]] = []
    line = 1
    try:
        while True:
            chunk = list(islice(reader, CHUNK))
            if not chunk:
                break
            if reader.line_num - line != len(chunk) or set(map(len, chunk)) != {width}:
                raise _Fallback  # blank lines, multi-line records or ragged rows
            lines = np.arange(line + 1, line + 1 + len(chunk), dtype=np.int64)
            line = reader.line_num
            cols = list(zip(*chunk, strict=True))
            stage_codes = _codes(cols[ix["stage"]], stage_ix)
            entry_codes = _codes(cols[ix["entry"]], entry_ix)
            judge_col = list(map(str.strip, cols[ix["judge"]]))
            if judges is None:
                for name in dict.fromkeys(judge_col):
                    if name not in judge_ix:
                        if not name:
                            raise _Fallback
                        judge_ix[name] = len(judge_list)
                        judge_list.append(scoring.Judge(key=name))
            judge_codes = _codes(judge_col, judge_ix, stripped=True)
            r = combo[stage_codes, entry_cat[entry_codes]]
            if (r < 0).any():
                raise _Fallback
            crit_col = cols[ix["criterion"]]
            score_col = cols[ix["score"]]
            crit_codes = np.empty(len(chunk), dtype=np.int64)
            value_codes = np.empty(len(chunk), dtype=np.int64)
            for ri in np.unique(r).tolist():
                rows = np.flatnonzero(r == ri)
                every = rows.shape[0] == len(chunk)
                crits = crit_col if every else [crit_col[i] for i in rows.tolist()]
                crit_codes[rows] = _codes(crits, positions[ri])
                if not numeric[ri]:
                    raise _Fallback
                scores = score_col if every else [score_col[i] for i in rows.tolist()]
                for text in dict.fromkeys(scores):
                    if text not in value_ix:
                        parsed = _parse_score(rubrics[ri].criteria[0], text)
                        if parsed is None or isinstance(parsed, str):
                            raise _Fallback
                        value_ix[text] = len(values)
                        values.append(parsed)
                        texts.append(text)
                value_codes[rows] = np.fromiter(map(value_ix.__getitem__, scores), dtype=np.int64,
                                      count=rows.shape[0])
            parts.append((stage_codes, judge_codes, entry_codes, crit_codes, value_codes,
                          lines))
    finally:
        handle.close()
    return _table(str(path), parts, values, texts, judge_list)


def _codes(column: Sequence[str], lookup: dict[str, int], *, stripped: bool = False) -> (
    npt.NDArray[np.int64]
):
    """Integer codes of a column of identifiers; raises _Fallback on an unknown one."""
    try:
        return np.fromiter(map(lookup.__getitem__, column), dtype=np.int64, count=len(column))
    except KeyError:
        if stripped:
            raise _Fallback from None
    try:
        return np.fromiter(map(lookup.__getitem__, map(str.strip, column)), dtype=np.int64,
                           count=len(column))
    except KeyError:
        raise _Fallback from None


def _table(name: str, parts: list[tuple[npt.NDArray[np.int64], ...]], values: list[Fraction],
           texts: list[str], judge_list: list[scoring.Judge]) -> (
    tuple[scoring.ScoreTable, list[scoring.Judge], Source]
):
    den = lcm(f.denominator for f in values) if values else 1
    nums = [f.numerator * (den // f.denominator) for f in values]
    if nums and max(abs(x) for x in nums) >= SAFE:
        raise InputFileError(path=name, line=None, column="score", value=None, message=_(
            "The scores need too fine a common denominator; use at most %(places)s decimals.")
            % {"places": MAX_PLACES})

    def col(i: int) -> npt.NDArray[np.int64]:
        return (np.concatenate([p[i] for p in parts]) if parts
                else np.zeros(0, dtype=np.int64))

    value_index = col(4)
    table = scoring.ScoreTable.from_arrays(
        stage=col(0), judge=col(1), entry=col(2), criterion=col(3),
        value=np.array(nums, dtype=np.int64)[value_index] if nums else [],
        denominator=den,
    )
    source = Source(scores_path=name, score_lines=col(5), score_values=texts,
                    score_value_index=value_index)
    return table, judge_list, source



def _criterion_map(competition: scoring.Competition, k: int, category: str) -> (
    dict[str, _CriterionInfo] | None
):
    stage = competition.stages[k]
    if stage.source is not scoring.Source.JUDGES or not stage.takes(category):
        return None
    key = stage.rubric_for(category)
    if key is None:
        return None
    rubric = competition.rubric(key)
    return {c.key: _CriterionInfo(i, c, (rubric.key, c.key), c.kind is scoring.CriterionKind
                                  .NUMERIC) for i, c in enumerate(rubric.criteria)}


def _parse_score(criterion: scoring.Criterion, text: str) -> Fraction | str | None:
    """The exact score of a cell, None when left unscored, or a sentence saying what is
    wrong."""
    t = text.strip()
    kind = criterion.kind
    if kind is scoring.CriterionKind.CHECKLIST:
        ticked = tuple(p.strip() for p in t.split("|") if p.strip()) if t else ()
        known = [i.key for i in criterion.items]
        for item in ticked:
            if item not in known:
                return _("The checklist criterion %(criterion)s has no item %(item)s; give the "
                         "ticked items among %(choices)s separated by |.") % {
                    "criterion": criterion.key, "item": item, "choices": ", ".join(known)}
        return criterion.score_of_items(ticked)
    if not t:
        return None
    number = parse_number(t)
    if kind is scoring.CriterionKind.ORDINAL and number is None:
        labels = {lv.key.lower(): lv.key for lv in criterion.levels}
        proven = []
        for part in t.split("|"):
            label = labels.get(part.strip().lower())
            if label is None:
                return _("The ordinal criterion %(criterion)s has no level %(level)s; give a "
                         "level's score or label (%(choices)s).") % {
                    "criterion": criterion.key, "level": part.strip(),
                    "choices": ", ".join(f"{lv.score} {lv.key}" for lv in criterion.levels)}
            proven.append(label)
        return criterion.score_of_levels(tuple(proven))
    if number is None:
        return _("The score must be a number between %(low)s and %(high)s.") % {
            "low": criterion.scale_min, "high": criterion.scale_max}
    places = Decimal(t.replace(",", ".")).as_tuple().exponent
    if isinstance(places, int) and -places > MAX_PLACES:
        return _("The score has more than %(places)s decimals.") % {"places": MAX_PLACES}
    return number
