"""``results.json`` and the readable table of ``sayembara rank``.

``results.json`` is language-neutral (reasons are the engine's English sentences with their
code and parameters) so that a bundle verifies identically whatever the reader's language.
Decimal values are strings: exact when they have at most six decimals, else rounded half to
even to six; the ``*_exact`` fields hold the exact value (``245/3`` when it has no finite
decimal expansion). Floating-point figures (probabilities, standard deviations, reliability,
calibration) are rounded to six decimals.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, overload

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara import scoring
from sayembara.ranking.messages import calibration_refusal
from sayembara.scoring.columns import (
    FinalColumns,
    StageColumns,
    Values,
    half_up_texts,
    shown_and_exact_texts,
    shown_texts,
)
from sayembara.scoring.results import CalibrationReport, StageResult

#: Version of the results.json layout.
FORMAT_VERSION = 1


def flo(value: float | None) -> float | None:
    if value is None:
        return None
    return round(float(value), 6)


def _reason(reason: scoring.Reason | None) -> dict[str, Any]:
    if reason is None:
        return {"reason": None, "reason_code": None, "reason_params": {}}
    return {"reason": reason.english(), "reason_code": reason.code,
            "reason_params": reason.mapping}


def _calibration(report: CalibrationReport | None) -> dict[str, Any] | None:
    if report is None:
        return None
    return {
        "model": report.model,
        "requested": report.requested,
        "official": report.official,
        "units": [
            {"unit": u.unit, "status": u.status, "code": u.code, "message": u.message,
             "judges": [{"judge": j.judge, "sheets": j.sheets, "offset": flo(j.offset),
                         "scale": flo(j.scale)} for j in u.judges]}
            for u in report.units
        ],
    }


def _reliability(figures: Any, judge_keys: Sequence[str]) -> dict[str, Any]:
    return {
        "entries": figures.entries,
        "judges": figures.judges,
        "sheets": figures.sheets,
        "design": figures.design,
        "icc_single_form": figures.icc_single_form,
        "icc_single": flo(figures.icc_single),
        "icc_average_form": figures.icc_average_form,
        "icc_average": flo(figures.icc_average),
        "k": flo(figures.k),
        "alpha": flo(figures.alpha),
        "per_judge": [
            {"judge": judge_keys[j.judge], "sheets": j.sheets, "severity": flo(j.severity),
             "agreement": flo(j.agreement)}
            for j in figures.per_judge
        ],
    }


class JsonLines(Sequence[dict[str, Any]]):
    """A list of objects already written as JSON text, one per item: ``dumps`` writes the
    lines as they are; reading an item decodes it."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    def __len__(self) -> int:
        return len(self.lines)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> list[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(index, slice):
            return [json.loads(line) for line in self.lines[index]]
        return json.loads(self.lines[index])  # type: ignore[no-any-return]


#: The string encoder ``json.dumps(..., ensure_ascii=False)`` uses, without its per-call setup.
_STRING: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.encode_basestring


def _text(value: str | None) -> str:
    return "null" if value is None else _STRING(value)  # type: ignore[no-any-return]


def _mapping(params: tuple[tuple[str, str], ...]) -> str:
    """A reason's parameters as the JSON object ``json.dumps`` writes for them."""
    if not params:
        return "{}"
    return "{" + ", ".join([f"{_STRING(k)}: {_STRING(v)}" for k, v in params]) + "}"


def _decimals(texts: list[str | None]) -> list[str]:
    """Decimal texts (digits, sign, point) as JSON strings; ``null`` where there is none."""
    return ["null" if t is None else f'"{t}"' for t in texts]


def _strings(values: Sequence[str | None]) -> list[str]:
    """Texts as JSON strings (``null`` for None), each distinct text encoded once."""
    encoded = {v: _text(v) for v in set(values)}
    return [encoded[v] for v in values]


def _counts(values: npt.NDArray[np.int64]) -> list[str]:
    """Whole numbers as JSON, ``null`` for 0 (no rank)."""
    return ["null" if v == 0 else str(v) for v in values.tolist()]


def _booleans(values: npt.NDArray[np.bool_]) -> list[str]:
    return [_BOOL[v] for v in values.tolist()]


def _numbers(values: npt.NDArray[np.float64]) -> list[str]:
    """Floating-point figures rounded to six decimals; ``null`` for NaN."""
    missing = np.flatnonzero(np.isnan(values)).tolist()
    if len(missing) == len(values):
        return ["null"] * len(values)
    out = list(map(repr, map(round, values.tolist(), itertools.repeat(6))))
    for i in missing:
        out[i] = "null"
    return out


def _number(value: float) -> str:
    return "null" if math.isnan(value) else repr(round(value, 6))


_BOOL = ("false", "true")


def _braces(text: str) -> str:
    """Literal text inside a ``str.format`` string."""
    return text.replace("{", "{{").replace("}", "}}")


class _Objects:
    """One JSON object per row, written field by field: a field with the same text in every
    row goes into the row's format once, the others are filled row by row in one pass."""

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self._format: list[str] = []
        self._columns: list[Sequence[str]] = []

    def literal(self, text: str) -> None:
        self._format.append(text.replace("%", "%%"))

    def field(self, name: str, texts: Sequence[str], *, first: bool = False) -> None:
        """``"name": text`` (texts already JSON)."""
        self.literal(("" if first else ", ") + _STRING(name) + ": ")
        self.texts(texts)

    def texts(self, texts: Sequence[str]) -> None:
        """Text written as it is (one per row)."""
        if texts and texts.count(texts[0]) == len(texts):
            self.literal(texts[0])
        else:
            self._format.append("%s")
            self._columns.append(texts)

    def decimals(self, name: str, texts: list[str | None]) -> None:
        """Decimal texts as JSON strings, ``null`` where there is none."""
        if None in texts:
            self.field(name, _decimals(texts))
        else:
            self.literal(", " + _STRING(name) + ': "')
            self.texts(texts)  # type: ignore[arg-type]
            self.literal('"')

    def lines(self) -> list[str]:
        text = "{" + "".join(self._format) + "}"
        if not self._columns:
            return [text % ()] * self.rows
        return list(map(text.__mod__, zip(*self._columns, strict=True)))


#: ``%(name)s`` placeholders and ``%%`` in a sentence with named parameters.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def _sentence(template: str, names: tuple[str, ...],
              literal: Callable[[str], str]) -> str | None:
    """A ``str.format`` string writing ``template % params``, the parameters' values given in
    the order of ``names``, its literal text passed through ``literal``; None when the
    sentence uses any other conversion or a name that is not among ``names``."""
    parts: list[str] = []
    last = 0
    for match in itertools.chain(_PLACEHOLDER.finditer(template), [None]):
        piece = template[last:] if match is None else template[last:match.start()]
        if "%" in piece:
            return None
        parts.append(_braces(literal(piece)))
        if match is None:
            break
        name = match.group(1)
        if name is None:
            parts.append(_braces(literal("%")))
        elif name in names:
            parts.append(f"{{{names.index(name)}}}")
        else:
            return None
        last = match.end()
    return "".join(parts)


class _Encoded(dict[str, str]):
    """Each text's JSON string without its quotes, encoded once."""

    def __missing__(self, text: str) -> str:
        body: str = _STRING(text)[1:-1]
        self[text] = body
        return body


_NO_REASON = '"reason": null, "reason_code": null, "reason_params": {}'


def _reasons(reasons: list[scoring.Reason | None]) -> list[str]:
    """The ``reason``, ``reason_code`` and ``reason_params`` fields of every entry (the
    English sentence, as :meth:`~sayembara.scoring.Reason.english` writes it): the entries
    are grouped by reason code, and a code whose reasons all name the same parameters is
    written with one format, filled parameter by parameter."""
    out = [_NO_REASON] * len(reasons)
    by_code: dict[str, list[int]] = {}
    for i, reason in enumerate(reasons):
        if reason is not None:
            by_code.setdefault(reason.code, []).append(i)
    encoded = _Encoded()
    for code, rows in by_code.items():
        params = [reasons[i].params for i in rows]  # type: ignore[union-attr]
        layout = None
        if len(set(map(len, params))) == 1:
            columns = list(zip(*params, strict=True))
            names = tuple(column[0][0] for column in columns)
            if all(len({name for name, _ in column}) == 1 for column in columns):
                layout = _reason_layout(scoring.REASON_TEXTS[code], code, names)
        if layout is None:
            for i in rows:
                out[i] = _reason_fields(reasons[i])  # type: ignore[arg-type]
            continue
        values = [map(encoded.__getitem__, [value for _, value in column])
                  for column in columns]
        texts = map(layout, *values) if values else itertools.repeat(layout(), len(rows))
        for i, text in zip(rows, texts, strict=True):
            out[i] = text
    return out


def _reason_fields(reason: scoring.Reason) -> str:
    """One reason's three fields, as ``json.dumps`` writes them."""
    return (f'"reason": {_STRING(scoring.REASON_TEXTS[reason.code] % dict(reason.params))}, '
            f'"reason_code": {_STRING(reason.code)}, "reason_params": {_mapping(reason.params)}')


def _reason_layout(template: str, code: str, names: tuple[str, ...]) -> (
    Callable[..., str] | None
):
    """The format of a reason's three fields from its parameters' JSON texts (without
    quotes), in the order of ``names``; None when the sentence cannot be written so."""
    sentence = _sentence(template, names, lambda piece: _STRING(piece)[1:-1])
    if sentence is None or len(set(names)) != len(names):
        return None
    params = ", ".join(f'{_braces(_STRING(name))}: "{{{j}}}"' for j, name in enumerate(names))
    return (f'"reason": "{sentence}", "reason_code": {_braces(_STRING(code))}, '
            f'"reason_params": {{{{{params}}}}}').format


def _entry_lines(columns: StageColumns) -> list[str]:
    """Every entry of a stage as its ``results.json`` line (built column by column; the
    same text ``json.dumps`` writes for the entry's fields)."""
    line = _Objects(len(columns))
    score, score_exact = shown_and_exact_texts(columns.score)
    selection, selection_exact = shown_and_exact_texts(columns.selection)
    line.field("entry", list(map(_STRING, columns.keys)), first=True)
    line.field("status", _strings(columns.status))
    line.decimals("score", score)
    line.decimals("score_exact", score_exact)
    line.decimals("raw", score if columns.raw is columns.score else shown_texts(columns.raw))
    line.decimals("calibrated", shown_texts(columns.calibrated))
    line.decimals("selection", selection)
    line.decimals("selection_exact", selection_exact)
    line.decimals("lowered_by", shown_texts(columns.lowered_by))
    line.field("judges", list(map(str, columns.judges.tolist())))
    line.field("sheets", list(map(str, columns.sheets.tolist())))
    line.decimals("spread", shown_texts(columns.spread))
    line.field("sd", _numbers(columns.sd))
    line.field("disagreement", _booleans(columns.disagreement))
    line.field("needs_extra_judge", _booleans(columns.needs_extra_judge))
    line.field("trimmed", _booleans(columns.trimmed))
    line.field("rank", _counts(columns.rank))
    line.field("pool", _strings(columns.pool))
    line.field("pool_rank", _counts(columns.pool_rank))
    line.field("rank_interval", [
        "null" if a <= 0 else f"[{a}, {b}]"
        for a, b in zip(columns.rank_low.tolist(), columns.rank_high.tolist(), strict=True)])
    line.field("p_top_n", _numbers(columns.p_top_n))
    line.field("close_to_cut", _booleans(columns.close_to_cut))
    line.field("advanced", _booleans(columns.advanced))
    line.literal(", ")
    line.texts(_reasons(columns.reason))
    line.field("tie_break", _strings(columns.tie_break))
    return line.lines()


def _stage(stage: StageResult, columns: StageColumns, categories: Sequence[str],
           judge_keys: Sequence[str], names: dict[str, str]) -> dict[str, Any]:
    reliability = {r.unit: r.figures for r in stage.reliability}
    by_category: dict[str, list[str]] = {c: [] for c in categories}
    for category, line in zip(columns.categories, _entry_lines(columns), strict=True):
        by_category[category].append(line)
    return {
        "key": stage.key,
        "name": names.get(stage.key, stage.key),
        "kind": stage.kind,
        "weight": str(stage.weight),
        "can_only_lower": stage.can_only_lower,
        "status": stage.status,
        "bootstrap": stage.bootstrap,
        "categories": [
            {
                "category": c,
                "entries": JsonLines(items),
                "reliability": (_reliability(reliability[c], judge_keys)
                                if c in reliability else None),
            }
            for c, items in by_category.items() if items
        ],
        "pools": [{"pool": p.name, "seats": p.seats, "competing": p.competing,
                   "advanced": p.advanced} for p in stage.pools],
        "open_ties": [list(t) for t in stage.open_ties],
        "calibration": _calibration(stage.calibration),
    }


def final_lines(columns: FinalColumns) -> list[str]:
    """Every entry of the final ranking as its ``results.json`` line (built column by
    column; the text ``json.dumps`` writes for the entry's fields)."""
    line = _Objects(len(columns))
    line.field("entry", list(map(_STRING, columns.keys)), first=True)
    line.field("category", _strings(columns.categories))
    line.field("status", _strings(columns.status))
    line.field("rank", _counts(columns.rank))
    total, total_exact = shown_and_exact_texts(columns.total)
    line.decimals("total", total)
    line.decimals("total_exact", total_exact)
    line.decimals("weighted_total", shown_texts(columns.weighted_total))
    line.field("reached", _strings(columns.reached_keys))
    line.field("tier", _strings(columns.tier))
    line.field("award", _strings(columns.award))
    line.field("trophy", _booleans(columns.trophy))
    line.field("certificate", _booleans(columns.certificate))
    line.field("prize", _strings([str(p) for p in columns.prize]))
    line.field("grade", _strings(columns.grade))
    line.field("predicate", _strings(columns.predicate))
    line.field("favourite", _booleans(columns.favourite))
    line.field("votes", ["null" if v is None else str(v) for v in columns.votes])
    line.field("tie_break", _strings(columns.tie_break))
    line.literal(', "special_awards": [')
    line.texts([", ".join(map(_STRING, names)) for names in columns.special_awards])
    line.literal("]")
    return line.lines()


def _by_unit(units: list[str]) -> dict[str, list[int]]:
    """The rows of each award unit, units in the order they first appear."""
    rows: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        rows.setdefault(unit, []).append(i)
    return rows


def stages_data(results: scoring.Results, columns: Sequence[StageColumns],
                inputs: scoring.Inputs, stage_names: dict[str, str]) -> list[dict[str, Any]]:
    """The stages of ``results.json``, every entry's line written from its stage's
    columns."""
    judge_keys = [j.key for j in inputs.judges]
    categories = list(dict.fromkeys(e.category for e in inputs.entries))
    return [_stage(s, c, categories, judge_keys, stage_names)
            for s, c in zip(results.stages, columns, strict=True)]


def results_data(results: scoring.Results, *, columns: Sequence[StageColumns],
                 final: FinalColumns, inputs: scoring.Inputs, template_name: str,
                 template_title: str, stage_names: dict[str, str], bootstrap: int,
                 template_sha256: str) -> dict[str, Any]:
    """Everything ``results.json`` holds, as plain data (the entries as
    :class:`JsonLines`, written from ``columns`` and ``final``, the evaluation's stage and
    final columns)."""
    final_entries = final_lines(final)
    data = {
        "format": FORMAT_VERSION,
        "engine_version": results.engine_version,
        "template": {"name": template_name, "title": template_title,
                     "sha256": template_sha256},
        "seed": results.seed,
        "bootstrap": bootstrap,
        "complete": results.complete,
        "stages": stages_data(results, columns, inputs, stage_names),
        "final": [{"unit": unit, "entries": JsonLines([final_entries[i] for i in rows])}
                  for unit, rows in _by_unit(final.unit).items()],
        "final_open_ties": [list(t) for t in results.final_open_ties],
        "favourite": results.favourite,
    }
    if results.special_open_ties:
        # written only when a tie waits, so bundles made before it was reported still verify
        data["special_open_ties"] = [
            {"award": t.award, "category": t.category, "places": t.places,
             "entries": list(t.entries)} for t in results.special_open_ties]
    return data


#: Lists whose items are written one per line (compact), so large results stay fast to
#: write and easy to read and compare line by line.
_ONE_PER_LINE = frozenset({"entries", "per_judge", "judges", "pools"})


def _pretty(value: Any, level: int, parts: list[str], one_per_line: bool = False) -> None:
    """Append the indented text of ``value`` to ``parts``."""
    pad = "  " * level
    if isinstance(value, JsonLines):
        if not value.lines:
            parts.append("[]")
            return
        inner = "\n" + pad + "  "
        parts += ("[" + inner, ("," + inner).join(value.lines), "\n" + pad + "]")
        return
    if isinstance(value, dict) and value:
        parts.append("{")
        for n, (key, item) in enumerate(value.items()):
            parts.append(f"{',' if n else ''}\n{pad}  {json.dumps(key, ensure_ascii=False)}: ")
            _pretty(item, level + 1, parts, key in _ONE_PER_LINE)
        parts.append("\n" + pad + "}")
        return
    if isinstance(value, list) and value and (
            one_per_line or any(isinstance(x, dict | list) for x in value)):
        parts.append("[")
        for n, item in enumerate(value):
            parts.append(("," if n else "") + "\n" + pad + "  ")
            if one_per_line:
                parts.append(json.dumps(item, ensure_ascii=False))
            else:
                _pretty(item, level + 1, parts)
        parts.append("\n" + pad + "]")
        return
    parts.append(json.dumps(value, ensure_ascii=False))


def dumps(data: dict[str, Any]) -> str:
    """``results.json`` text: indented, with one line per entry."""
    parts: list[str] = []
    _pretty(data, 0, parts)
    parts.append("\n")
    return "".join(parts)


def write_atomic(path: Path, text: str) -> None:
    """Write a file so that it is either complete or absent (permissions follow the umask)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


# -- the table ------------------------------------------------------------------------------


def _grid(headers: list[str], columns: list[list[str]]) -> list[str]:
    """Lines of a table given column by column: every column but the last padded to its
    widest cell, two spaces between columns."""
    widths = [max(len(h), max(map(len, c), default=0))
              for h, c in zip(headers[:-1], columns[:-1], strict=True)]
    line = "  ".join([f"{{:<{w}}}" for w in widths] + ["{}"]).format
    return [line(*headers).rstrip(), *map(str.rstrip, map(line, *columns))]


def _cells(column: Values) -> list[str]:
    """The table's scores of a column: the one display rule of every score people read
    (``common.formats.rounded`` to ``SCORE_PLACES`` decimals, halves up); ``-`` where there
    is none."""
    from sayembara.common.formats import SCORE_PLACES

    return ["-" if t is None else t for t in half_up_texts(column, SCORE_PLACES)]


def _why(columns: StageColumns) -> list[str]:
    """The table's last column: the flags, then the reason in the reader's language."""
    texts = scoring.REASON_TEXTS
    flag_texts = (_("close to the cut"), _("judges disagree"), _("needs another judge"))
    translated: dict[str, str] = {}
    out = []
    for reason in columns.reason:
        if reason is None:
            out.append("")
            continue
        text = translated.get(reason.code)
        if text is None:
            text = translated[reason.code] = _(texts[reason.code])
        out.append(text % dict(reason.params))
    flagged = columns.close_to_cut | columns.disagreement | columns.needs_extra_judge
    for i in np.flatnonzero(flagged).tolist():
        on = (columns.close_to_cut[i], columns.disagreement[i], columns.needs_extra_judge[i])
        flags = [t for t, yes in zip(flag_texts, on, strict=True) if yes]
        out[i] = "[" + "; ".join(flags) + "] " + out[i]
    return out


def _table_columns(columns: StageColumns, yes: str, no: str) -> list[list[str]]:
    """The readable table's columns for every entry of a stage, in the columns' order."""
    return [
        ["-" if r == 0 else str(r) for r in columns.rank.tolist()],
        columns.keys,
        _cells(columns.score),
        _cells(columns.selection),
        ["-" if a <= 0 else f"{a}-{b}"
         for a, b in zip(columns.rank_low.tolist(), columns.rank_high.tolist(), strict=True)],
        ["-" if math.isnan(p) else f"{p:.2f}" for p in columns.p_top_n.tolist()],
        [yes if a else no for a in columns.advanced.tolist()],
        _why(columns),
    ]


def _pick(column: list[str], rows: list[int]) -> list[str]:
    """The cells of the given rows (a slice when they follow one another)."""
    if rows and rows[-1] - rows[0] == len(rows) - 1:
        return column[rows[0]:rows[-1] + 1]
    return [column[i] for i in rows]


def format_table(results: scoring.Results, *, columns: Sequence[StageColumns],
                 final: FinalColumns, title: str, stage_names: dict[str, str],
                 bootstrap: int) -> str:
    """The results as readable text: every stage by category, then the final ranking (the
    entries from ``columns`` and ``final``, the evaluation's stage and final columns)."""
    yes, no = _("yes"), _("no")
    lines = [
        title,
        _("Engine %(version)s, seed %(seed)s, %(replicates)s bootstrap replicates.")
        % {"version": results.engine_version, "seed": results.seed, "replicates": bootstrap},
        _("The results are complete.") if results.complete else
        _("The results are provisional: a stage is not fully scored or a tie needs a "
          "recorded decision."),
        "",
    ]
    stage_status = {"complete": _("fully scored"), "incomplete": _("not fully scored"),
                    "pending": _("not yet scored")}
    for n, (stage, stage_columns) in enumerate(zip(results.stages, columns, strict=True),
                                               start=1):
        kind = (_("weighted %(weight)s%%") % {"weight": stage.weight}
                if stage.kind == "weighted" else _("filter"))
        if stage.can_only_lower:
            kind += ", " + _("can only lower")
        lines.append(_("Stage %(n)s of %(total)s: %(name)s (%(kind)s), %(status)s") % {
            "n": n, "total": len(results.stages), "name": stage_names.get(stage.key, stage.key),
            "kind": kind, "status": stage_status.get(stage.status, stage.status)})
        if stage.calibration is not None:
            for cal in stage.calibration.units:
                if cal.status == "refused":
                    lines.append("  " + _("Calibration, %(unit)s: %(message)s")
                                 % {"unit": cal.unit,
                                    "message": calibration_refusal(cal.code, cal.groups)})
        for tie in stage.open_ties:
            lines.append("  " + _("Tie at the cut needing a recorded decision: %(entries)s")
                         % {"entries": ", ".join(tie)})
        reliability = {r.unit: r.figures for r in stage.reliability}
        by_category = _by_unit(stage_columns.categories)
        cells = _table_columns(stage_columns, yes, no)
        for category, items in by_category.items():
            head = ngettext("Category %(category)s, %(count)s entry",
                            "Category %(category)s, %(count)s entries", len(items)) % {
                "category": category, "count": len(items)}
            figures = reliability.get(category)
            if figures is not None and figures.icc_average is not None:
                head += f"; {figures.icc_average_form} {figures.icc_average:.2f}"
            if figures is not None and figures.alpha is not None:
                head += f"; alpha {figures.alpha:.2f}"
            lines.append("  " + head)
            lines.extend("    " + row for row in _grid(
                [_("Rank"), _("Entry"), _("Score"), _("Ranked by"), _("Rank range (90%)"),
                 _("P(cut)"), _("Goes on"), _("Why")], [_pick(c, items) for c in cells]))
        lines.append("")
    lines.append(_("Final ranking"))
    totals = _cells(final.total)
    reached = [stage_names.get(r or "", r or "-") for r in final.reached_keys]
    rank = ["-" if r == 0 else str(r) for r in final.rank.tolist()]
    prize = [str(p) if p else "-" for p in final.prize]
    favourite = final.favourite.tolist()
    award = []
    for i, tier_award in enumerate(final.award):
        text = tier_award or ""
        extras = [x for x in (final.grade[i], final.predicate[i]) if x]
        if favourite[i] and results.favourite:
            extras.append(results.favourite)
        extras.extend(final.special_awards[i])
        if extras:
            text = (text + " " if text else "") + "(" + ", ".join(extras) + ")"
        award.append(text or "-")
    cells = [rank, final.keys, totals, reached, prize, award]
    for unit_name, unit_rows in _by_unit(final.unit).items():
        lines.append("  " + unit_name)
        lines.extend("    " + row for row in _grid(
            [_("Rank"), _("Entry"), _("Total"), _("Last stage"), _("Prize (Rp)"), _("Award")],
            [_pick(c, unit_rows) for c in cells]))
    for tie in results.final_open_ties:
        lines.append("  " + _("Tie across an award needing a recorded decision: %(entries)s")
                     % {"entries": ", ".join(tie)})
    for special in results.special_open_ties:
        lines.append("  " + _("Tie at the last place of the special award %(award)s, "
                              "%(category)s, needing a recorded decision (%(places)s of them "
                              "receive it): %(entries)s")
                     % {"award": special.award, "category": special.category,
                        "places": special.places, "entries": ", ".join(special.entries)})
    return "\n".join(lines) + "\n"
