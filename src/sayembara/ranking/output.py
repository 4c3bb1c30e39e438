"""``results.json`` and the readable table of ``sayembara rank``.

``results.json`` is language-neutral (reasons are the engine's English sentences with their
code and parameters) so that a bundle verifies identically whatever the reader's language.
Decimal values are strings: exact when they have at most six decimals, else rounded half to
even to six; the ``*_exact`` fields hold the exact value (``245/3`` when it has no finite
decimal expansion). Floating-point figures (probabilities, standard deviations, reliability,
calibration) are rounded to six decimals.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any, overload

import numpy as np
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara import scoring
from sayembara.ranking.messages import calibration_refusal
from sayembara.scoring.columns import (
    FinalColumns,
    StageColumns,
    Values,
    exact_texts,
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
    return "{" + ", ".join(f"{_STRING(k)}: {_STRING(v)}" for k, v in params) + "}"


def _decimal(value: str | None) -> str:
    """A decimal text (digits, sign, point) as a JSON string."""
    return "null" if value is None else f'"{value}"'


def _number(value: float) -> str:
    return "null" if math.isnan(value) else repr(round(value, 6))


_BOOL = ("false", "true")


def _entry_lines(columns: StageColumns) -> list[str]:
    """Every entry of a stage as its ``results.json`` line (built column by column; the
    same text ``json.dumps`` writes for the entry's fields)."""
    score = [_decimal(t) for t in shown_texts(columns.score)]
    score_exact = [_decimal(t) for t in exact_texts(columns.score)]
    raw = ([score[i] for i in range(len(score))] if columns.raw is columns.score
           else [_decimal(t) for t in shown_texts(columns.raw)])
    calibrated = [_decimal(t) for t in shown_texts(columns.calibrated)]
    selection = [_decimal(t) for t in shown_texts(columns.selection)]
    selection_exact = [_decimal(t) for t in exact_texts(columns.selection)]
    lowered = [_decimal(t) for t in shown_texts(columns.lowered_by)]
    spread = [_decimal(t) for t in shown_texts(columns.spread)]
    keys = [_text(k) for k in columns.keys]
    status = [_text(s) for s in columns.status]
    sd = [_number(x) for x in columns.sd.tolist()]
    p_top = [_number(x) for x in columns.p_top_n.tolist()]
    low, high = columns.rank_low.tolist(), columns.rank_high.tolist()
    interval = [f"[{a}, {b}]" if a > 0 else "null" for a, b in zip(low, high, strict=True)]
    rank = [str(r) if r else "null" for r in columns.rank.tolist()]
    pool_rank = [str(r) if r else "null" for r in columns.pool_rank.tolist()]
    judges, sheets = columns.judges.tolist(), columns.sheets.tolist()
    dis, extra, trim = (columns.disagreement.tolist(), columns.needs_extra_judge.tolist(),
                        columns.trimmed.tolist())
    close, advanced = columns.close_to_cut.tolist(), columns.advanced.tolist()
    lines = []
    for i, reason in enumerate(columns.reason):
        if reason is None:
            why = '"reason": null, "reason_code": null, "reason_params": {}'
        else:
            why = (f'"reason": {_text(reason.english())}, "reason_code": {_text(reason.code)}, '
                   f'"reason_params": {_mapping(reason.params)}')
        lines.append(
            f'{{"entry": {keys[i]}, "status": {status[i]}, "score": {score[i]}, '
            f'"score_exact": {score_exact[i]}, "raw": {raw[i]}, '
            f'"calibrated": {calibrated[i]}, "selection": {selection[i]}, '
            f'"selection_exact": {selection_exact[i]}, "lowered_by": {lowered[i]}, '
            f'"judges": {judges[i]}, "sheets": {sheets[i]}, "spread": {spread[i]}, '
            f'"sd": {sd[i]}, "disagreement": {_BOOL[dis[i]]}, '
            f'"needs_extra_judge": {_BOOL[extra[i]]}, "trimmed": {_BOOL[trim[i]]}, '
            f'"rank": {rank[i]}, "pool": {_text(columns.pool[i])}, '
            f'"pool_rank": {pool_rank[i]}, "rank_interval": {interval[i]}, '
            f'"p_top_n": {p_top[i]}, "close_to_cut": {_BOOL[close[i]]}, '
            f'"advanced": {_BOOL[advanced[i]]}, {why}, '
            f'"tie_break": {_text(columns.tie_break[i])}}}')
    return lines


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


def _final_lines(columns: FinalColumns) -> list[str]:
    """Every entry of the final ranking as its ``results.json`` line (built column by
    column; the text ``json.dumps`` writes for the entry's fields)."""
    total = [_decimal(t) for t in shown_texts(columns.total)]
    total_exact = [_decimal(t) for t in exact_texts(columns.total)]
    weighted = [_decimal(t) for t in shown_texts(columns.weighted_total)]
    keys = [_text(k) for k in columns.keys]
    texts: dict[str | None, str] = {None: "null"}

    def text(value: str | None) -> str:
        out = texts.get(value)
        if out is None:
            out = texts[value] = _text(value)
        return out

    rank = [str(r) if r else "null" for r in columns.rank.tolist()]
    status = columns.status
    reached = columns.reached_keys
    trophy, certificate = columns.trophy.tolist(), columns.certificate.tolist()
    favourite = columns.favourite.tolist()
    lines = []
    for i in range(len(columns)):
        votes = columns.votes[i]
        special = columns.special_awards[i]
        lines.append(
            f'{{"entry": {keys[i]}, "category": {text(columns.categories[i])}, '
            f'"status": {text(status[i])}, "rank": {rank[i]}, "total": {total[i]}, '
            f'"total_exact": {total_exact[i]}, "weighted_total": {weighted[i]}, '
            f'"reached": {text(reached[i])}, "tier": {text(columns.tier[i])}, '
            f'"award": {text(columns.award[i])}, "trophy": {_BOOL[trophy[i]]}, '
            f'"certificate": {_BOOL[certificate[i]]}, '
            f'"prize": {text(str(columns.prize[i]))}, '
            f'"grade": {text(columns.grade[i])}, "predicate": {text(columns.predicate[i])}, '
            f'"favourite": {_BOOL[favourite[i]]}, '
            f'"votes": {"null" if votes is None else votes}, '
            f'"tie_break": {text(columns.tie_break[i])}, '
            f'"special_awards": [{", ".join(_text(name) for name in special)}]}}')
    return lines


def _by_unit(units: list[str]) -> dict[str, list[int]]:
    """The rows of each award unit, units in the order they first appear."""
    rows: dict[str, list[int]] = {}
    for i, unit in enumerate(units):
        rows.setdefault(unit, []).append(i)
    return rows


def results_data(results: scoring.Results, *, columns: Sequence[StageColumns],
                 final: FinalColumns, inputs: scoring.Inputs, template_name: str,
                 template_title: str, stage_names: dict[str, str], bootstrap: int,
                 template_sha256: str) -> dict[str, Any]:
    """Everything ``results.json`` holds, as plain data (the entries as
    :class:`JsonLines`, written from ``columns`` and ``final``, the evaluation's stage and
    final columns)."""
    judge_keys = [j.key for j in inputs.judges]
    categories = list(dict.fromkeys(e.category for e in inputs.entries))
    final_lines = _final_lines(final)
    data = {
        "format": FORMAT_VERSION,
        "engine_version": results.engine_version,
        "template": {"name": template_name, "title": template_title,
                     "sha256": template_sha256},
        "seed": results.seed,
        "bootstrap": bootstrap,
        "complete": results.complete,
        "stages": [_stage(s, c, categories, judge_keys, stage_names)
                   for s, c in zip(results.stages, columns, strict=True)],
        "final": [{"unit": unit, "entries": JsonLines([final_lines[i] for i in rows])}
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


def _pretty(value: Any, level: int, one_per_line: bool = False) -> str:
    pad = "  " * level
    if isinstance(value, JsonLines):
        if not value.lines:
            return "[]"
        return "[\n" + ",\n".join(pad + "  " + line for line in value.lines) + "\n" + pad + "]"
    if isinstance(value, dict) and value:
        items = [f"{pad}  {json.dumps(key, ensure_ascii=False)}: "
                 f"{_pretty(item, level + 1, key in _ONE_PER_LINE)}"
                 for key, item in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list) and value and (
            one_per_line or any(isinstance(x, dict | list) for x in value)):
        if one_per_line:
            lines = [pad + "  " + json.dumps(x, ensure_ascii=False) for x in value]
        else:
            lines = [pad + "  " + _pretty(x, level + 1) for x in value]
        return "[\n" + ",\n".join(lines) + "\n" + pad + "]"
    return json.dumps(value, ensure_ascii=False)


def dumps(data: dict[str, Any]) -> str:
    """``results.json`` text: indented, with one line per entry."""
    return _pretty(data, 0) + "\n"


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


def _cell(value: Fraction | None) -> str:
    """A score of the readable table: the one display rule of every score people read
    (``common.formats.rounded`` to ``SCORE_PLACES`` decimals, halves up)."""
    from sayembara.common.formats import SCORE_PLACES, rounded

    return "-" if value is None else str(rounded(value, SCORE_PLACES))


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row[:-1]):
            widths[i] = max(widths[i], len(cell))
    out = ["  ".join(h.ljust(widths[i]) if i < len(headers) - 1 else h
                     for i, h in enumerate(headers)).rstrip()]
    for row in rows:
        out.append("  ".join(c.ljust(widths[i]) if i < len(row) - 1 else c
                             for i, c in enumerate(row)).rstrip())
    return out


def _reason_text(reason: scoring.Reason | None, translated: dict[str, str]) -> str:
    if reason is None:
        return ""
    text = translated.get(reason.code)
    if text is None:
        text = translated[reason.code] = _(scoring.REASON_TEXTS[reason.code])
    return text % reason.mapping


def _cells(column: Values) -> list[str]:
    """The table's scores of a column (as :func:`_cell`), column by column."""
    from sayembara.common.formats import SCORE_PLACES

    out = ["-"] * len(column.present)
    rows = np.flatnonzero(column.present)
    if rows.size == 0:
        return out
    num, den = column.values.num[rows], column.values.den
    unit = 10**SCORE_PLACES
    if num.dtype == object or int(np.abs(num).max()) >= 2**62 // (2 * unit) or den >= 2**60:
        for r in rows.tolist():
            out[r] = _cell(column.values.fraction(r))
        return out
    # halves away from zero: floor(|x| * 10**places + 1/2)
    whole = (2 * np.abs(num) * unit + den) // (2 * den)
    for r, w, negative in zip(rows.tolist(), whole.tolist(), (num < 0).tolist(), strict=True):
        out[r] = f"{'-' if negative else ''}{w // unit}.{w % unit:0{SCORE_PLACES}d}"
    return out


def _table_rows(columns: StageColumns, yes: str, no: str) -> list[list[str]]:
    """The readable table's row of every entry of a stage, in the columns' order."""
    score, selection = _cells(columns.score), _cells(columns.selection)
    low, high = columns.rank_low.tolist(), columns.rank_high.tolist()
    p_top = columns.p_top_n.tolist()
    close, dis, extra = (columns.close_to_cut.tolist(), columns.disagreement.tolist(),
                         columns.needs_extra_judge.tolist())
    advanced, rank = columns.advanced.tolist(), columns.rank.tolist()
    flag_texts = (_("close to the cut"), _("judges disagree"), _("needs another judge"))
    translated: dict[str, str] = {}
    rows = []
    for i, reason in enumerate(columns.reason):
        why = _reason_text(reason, translated)
        if close[i] or dis[i] or extra[i]:
            flags = [t for t, on in zip(flag_texts, (close[i], dis[i], extra[i]), strict=True)
                     if on]
            why = "[" + "; ".join(flags) + "] " + why
        rows.append([
            str(rank[i]) if rank[i] else "-", columns.keys[i], score[i], selection[i],
            f"{low[i]}-{high[i]}" if low[i] > 0 else "-",
            "-" if math.isnan(p_top[i]) else f"{p_top[i]:.2f}",
            yes if advanced[i] else no, why,
        ])
    return rows


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
    for n, (stage, stage_columns) in enumerate(zip(results.stages, columns, strict=True),
                                               start=1):
        kind = (_("weighted %(weight)s%%") % {"weight": stage.weight}
                if stage.kind == "weighted" else _("filter"))
        if stage.can_only_lower:
            kind += ", " + _("can only lower")
        lines.append(_("Stage %(n)s of %(total)s: %(name)s (%(kind)s), %(status)s") % {
            "n": n, "total": len(results.stages), "name": stage_names.get(stage.key, stage.key),
            "kind": kind, "status": stage.status})
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
        by_category: dict[str, list[int]] = {}
        for i, category in enumerate(stage_columns.categories):
            by_category.setdefault(category, []).append(i)
        rows_of = _table_rows(stage_columns, yes, no)
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
                 _("P(cut)"), _("Goes on"), _("Why")], [rows_of[i] for i in items]))
        lines.append("")
    lines.append(_("Final ranking"))
    totals = _cells(final.total)
    reached = final.reached_keys
    rank = final.rank.tolist()
    favourite = final.favourite.tolist()
    for unit_name, unit_rows in _by_unit(final.unit).items():
        lines.append("  " + unit_name)
        rows = []
        for i in unit_rows:
            award = final.award[i] or ""
            extras = [x for x in (final.grade[i], final.predicate[i]) if x]
            if favourite[i] and results.favourite:
                extras.append(results.favourite)
            extras.extend(final.special_awards[i])
            if extras:
                award = (award + " " if award else "") + "(" + ", ".join(extras) + ")"
            prize = final.prize[i]
            rows.append([
                str(rank[i]) if rank[i] else "-", final.keys[i], totals[i],
                stage_names.get(reached[i] or "", reached[i] or "-"),
                str(prize) if prize else "-", award or "-",
            ])
        lines.extend("    " + row for row in _grid(
            [_("Rank"), _("Entry"), _("Total"), _("Last stage"), _("Prize (Rp)"), _("Award")],
            rows))
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
