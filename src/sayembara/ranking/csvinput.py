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
    the stage ``final`` for the final ranking, or a special award's id for that award.
``recusals.csv`` (optional)
    ``stage,entry,judge``: a panel member who recused from an entry for a conflict of
    interest at a stage where the whole panel scores every entry; the entry then needs one
    judge fewer there.

Every problem stops the reading with an :class:`InputFileError` naming the file, line,
column and value and saying what is expected.
"""

from __future__ import annotations

import csv
import re
import time
from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import IO, Any

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara import scoring
from sayembara.scoring.exact import SAFE, lcm
from sayembara.template_format.model import Template

from .bridge import HONORARY_ROLE
from .cells import read_csv_cell
from .scorefile import SCORE_COLUMNS, ScoreFile

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
    score_lines: npt.NDArray[np.integer[Any]]
    score_values: list[str]
    score_value_index: npt.NDArray[np.integer[Any]]
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
                                         value=None, message=ngettext(
                        "The line has %(got)s cell but the header has %(want)s; every line "
                        "needs one cell per column (quote values that contain commas).",
                        "The line has %(got)s cells but the header has %(want)s; every line "
                        "needs one cell per column (quote values that contain commas).",
                        len(cells)) % {"got": len(cells), "want": width})
                elif not cells[0] and all(not c.strip() for c in cells):
                    continue
                # only a cell that begins with an apostrophe can change
                yield reader.line_num, [c if c[:1] != "'" else read_csv_cell(c) for c in cells]
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
    i_entry, i_category, i_group = ix["entry"], ix["category"], ix.get("group")
    others = [(h, i) for h, i in ix.items() if h not in ("entry", "category", "group")]
    entries: list[scoring.Entry] = []
    lines: dict[str, int] = {}
    Entry = scoring.Entry  # noqa: N806 - read once for the loop
    for line, cells in rows:
        key = cells[i_entry].strip()
        cat = cells[i_category].strip()
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
        if i_group is not None:
            group = cells[i_group].strip() or None
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
        attributes = tuple([(h, cells[i].strip()) for h, i in others]) if others else ()
        lines[key] = line
        entries.append(Entry(key=key, category=cat, group=group, attributes=attributes))
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
    # a tie-break may also order the final ranking or a special award's tied entries
    orderings = {scoring.FINAL, *(a.id for a in template.awards.special)}
    out: list[scoring.Decision] = []
    lines: dict[tuple[str, str], int] = {}
    for line, cells in rows:
        stage = cells[ix["stage"]].strip()
        key = cells[ix["entry"]].strip()
        decision = cells[ix["decision"]].strip().lower()
        reason = cells[ix["reason"]].strip()
        if stage not in stages and not (stage in orderings and decision == "tiebreak"):
            raise InputFileError(path=name, line=line, column="stage", value=stage, message=_(
                "The template has no stage %(stage)s; use one of %(choices)s (or final for a "
                "tie-break of the final ranking, or a special award's id for a tie-break of "
                "that award).")
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


def read_recusals(path: Path, template: Template, entry_ix: dict[str, int],
                  judges: Sequence[scoring.Judge]) -> list[scoring.Recusal]:
    header, rows = _rows(path, ("stage", "entry", "judge"))
    name = str(path)
    ix = {h: i for i, h in enumerate(header)}
    stages = [s.id for s in template.stages]
    known = {j.key for j in judges}
    out: list[scoring.Recusal] = []
    seen: dict[tuple[str, str, str], int] = {}
    for line, cells in rows:
        stage, key, judge = (cells[ix[h]].strip() for h in ("stage", "entry", "judge"))
        if stage not in stages:
            raise InputFileError(path=name, line=line, column="stage", value=stage, message=_(
                "The template has no stage %(stage)s; use one of %(choices)s.")
                % {"stage": stage, "choices": ", ".join(stages)})
        if key not in entry_ix:
            raise InputFileError(path=name, line=line, column="entry", value=key, message=_(
                "There is no entry %(entry)s in the entries file.") % {"entry": key})
        if judge not in known:
            raise InputFileError(path=name, line=line, column="judge", value=judge, message=_(
                "There is no judge %(judge)s in the judges file (or, without one, in the "
                "scores file).") % {"judge": judge})
        if (stage, key, judge) in seen:
            raise InputFileError(path=name, line=line, column="judge", value=judge, message=_(
                "The same recusal is already on line %(first)s; keep one.")
                % {"first": seen[(stage, key, judge)]})
        seen[(stage, key, judge)] = line
        out.append(scoring.Recusal(stage=stage, entry=key, judge=judge))
    return out


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


class _Fallback(Exception):
    """The columnar reader met something it does not handle; the row-by-row reader takes over
    and names the line."""


def read_scores(
    path: Path,
    competition: scoring.Competition,
    entries: Sequence[scoring.Entry],
    entry_ix: dict[str, int],
    judges: list[scoring.Judge] | None,
    timings: list[tuple[str, float, float]] | None = None,
    scores: ScoreFile | None = None,
) -> tuple[scoring.ScoreTable, list[scoring.Judge], Source]:
    """Read the score rows; judges are taken from the scores when no judges file is given.

    The file is read column by column (Arrow's CSV reader) and every column is checked as an
    array; anything unusual (a bad value, a blank or multi-line record, a ragged row) hands
    over to the row-by-row reader, which reports the exact line. Both readers give the same
    result. ``timings`` (when given) receives the wall and CPU seconds each phase took;
    ``scores`` (when given) is the file's read already started.
    """
    phases: list[tuple[str, float, float]] = []
    try:
        return _read_scores_columnar(path, competition, entries, entry_ix, judges, phases,
                                     scores)
    except _Fallback:
        start, cpu = time.perf_counter(), time.process_time()
        out = _read_scores_slow(path, competition, entries, entry_ix, judges)
        phases.append(("scores: row by row", time.perf_counter() - start,
                       time.process_time() - cpu))
        return out
    finally:
        if timings is not None:
            timings.extend(phases)

_SCORE_COLUMNS = SCORE_COLUMNS


def _lookup(texts: list[str], index: dict[str, int]) -> npt.NDArray[np.int32]:
    """Codes of distinct identifiers (surrounding spaces ignored); -1 for an unknown one."""
    return np.array([index.get(t.strip(), -1) for t in texts], dtype=np.int32)


def _read_scores_columnar(
    path: Path,
    competition: scoring.Competition,
    entries: Sequence[scoring.Entry],
    entry_ix: dict[str, int],
    judges: list[scoring.Judge] | None,
    timings: list[tuple[str, float, float]],
    scores: ScoreFile | None = None,
) -> tuple[scoring.ScoreTable, list[scoring.Judge], Source]:
    clock = (time.perf_counter(), time.process_time())

    def phase(name: str) -> None:
        nonlocal clock
        now = (time.perf_counter(), time.process_time())
        timings.append(("scores: " + name, now[0] - clock[0], now[1] - clock[1]))
        clock = now

    _header, _reader, handle = _open(path, _SCORE_COLUMNS)
    handle.close()
    read = scores if scores is not None and scores.path == path else ScoreFile(path)
    columns = read.columns()
    if columns is None:
        raise _Fallback
    rows = len(columns["stage"][1])
    phase("read CSV")

    stage_ix = {s.key: i for i, s in enumerate(competition.stages)}
    cats = competition.categories
    cat_ix = {c: i for i, c in enumerate(cats)}
    entry_cat = np.array([cat_ix[e.category] for e in entries], dtype=np.int64)
    judge_list: list[scoring.Judge] = list(judges or [])
    judge_ix = {j.key: i for i, j in enumerate(judge_list)}

    texts, idx = columns["stage"]
    stage = _lookup(texts, stage_ix)[idx]
    texts, idx = columns["entry"]
    entry = _lookup(texts, entry_ix)[idx]
    texts, idx = columns["judge"]
    if judges is None:  # judges in the order they first appear (the dictionary's order)
        for text in texts:
            name = text.strip()
            if not name:
                raise _Fallback
            if name not in judge_ix:
                judge_ix[name] = len(judge_list)
                judge_list.append(scoring.Judge(key=name))
    judge = _lookup(texts, judge_ix)[idx]
    if (stage < 0).any() or (entry < 0).any() or (judge < 0).any():
        raise _Fallback
    phase("identifiers")

    # (stage, category) -> rubric number (-1: the stage does not score the category)
    rubric_keys: list[str] = []
    combo = np.full((len(competition.stages), len(cats)), -1, dtype=np.int64)
    for k, st in enumerate(competition.stages):
        for c, cat in enumerate(cats):
            key = st.rubric_for(cat) if (st.source is scoring.Source.JUDGES
                                         and st.takes(cat)) else None
            if key is not None:
                if key not in rubric_keys:
                    rubric_keys.append(key)
                combo[k, c] = rubric_keys.index(key)
    rubric = combo[stage, entry_cat[entry]]
    if (rubric < 0).any():
        raise _Fallback
    rubrics = [competition.rubric(k) for k in rubric_keys]
    texts, idx = columns["criterion"]
    # criterion position in its rubric, per (rubric, distinct text)
    positions = np.stack([_lookup(texts, {c.key: i for i, c in enumerate(r.criteria)})
                          for r in rubrics]) if rubrics else np.zeros((0, len(texts)), np.int64)
    criterion = positions[rubric, idx]
    if (criterion < 0).any():
        raise _Fallback
    phase("criteria")

    # Scores: a numeric text means the same whatever the criterion; an ordinal or checklist
    # text is read per criterion. Each distinct (criterion, text) is parsed once.
    score_texts, score_idx = columns.pop("score")
    del columns
    specs = [c for r in rubrics for c in r.criteria]
    numeric_spec = np.array([c.kind is scoring.CriterionKind.NUMERIC for c in specs],
                            dtype=np.bool_)
    offsets = np.cumsum([0] + [len(r.criteria) for r in rubrics], dtype=np.int64)
    spec_of = offsets[rubric] + criterion
    numeric = numeric_spec[spec_of] if specs else np.ones(rows, dtype=np.bool_)
    values: list[Fraction] = []
    texts_out: list[str] = []

    def parse(spec: scoring.Criterion, text: str) -> int:
        parsed = _parse_score(spec, text)
        if isinstance(parsed, str):
            raise _Fallback
        if parsed is None:  # left unscored
            return -1
        values.append(parsed)
        texts_out.append(text)
        return len(values) - 1

    value = np.empty(rows, dtype=np.int32)
    every = bool(numeric.all())
    if numeric.any():
        some = score_idx if every else score_idx[numeric]
        spec = specs[int(np.flatnonzero(numeric_spec)[0])]
        used = np.bincount(some, minlength=len(score_texts)) > 0
        code = np.full(len(score_texts), -1, dtype=np.int32)
        for t in np.flatnonzero(used).tolist():
            code[t] = parse(spec, score_texts[t])
        if every:
            value = code[score_idx]
        else:
            value[numeric] = code[some]
    if not every:
        rest = np.flatnonzero(~numeric)
        key = spec_of[rest] * len(score_texts) + score_idx[rest]
        distinct, inverse = np.unique(key, return_inverse=True)
        code = np.array([parse(specs[int(k) // len(score_texts)],
                               score_texts[int(k) % len(score_texts)])
                         for k in distinct.tolist()], dtype=np.int32)
        value[rest] = code[inverse]
    lines = np.arange(2, rows + 2, dtype=np.int32)
    kept = value >= 0
    if not kept.all():
        stage, judge, entry, criterion, value, lines = (
            a[kept] for a in (stage, judge, entry, criterion, value, lines))
    phase("scores")
    out = _table(str(path), [(stage, judge, entry, criterion, value, lines)], values,
                 texts_out, judge_list)
    phase("table")
    return out


def _table(name: str, parts: list[tuple[npt.NDArray[np.integer[Any]], ...]],
           values: list[Fraction],
           texts: list[str], judge_list: list[scoring.Judge]) -> (
    tuple[scoring.ScoreTable, list[scoring.Judge], Source]
):
    den = lcm(f.denominator for f in values) if values else 1
    nums = [f.numerator * (den // f.denominator) for f in values]
    if nums and max(abs(x) for x in nums) >= SAFE:
        raise InputFileError(path=name, line=None, column="score", value=None, message=_(
            "The scores need too fine a common denominator; use at most %(places)s decimals.")
            % {"places": MAX_PLACES})

    def col(i: int) -> npt.NDArray[np.integer[Any]]:
        if len(parts) == 1:
            return parts[0][i]
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
