"""The engine's figures of a stage as sentences for the people who close it.

The engine stores codes and parameters (which score is official, why calibration was refused,
the reliability figures per category, each judge's tendency); this module names the judges,
categories and groups as the template does, formats numbers the Indonesian way and says what
the figures mean. The stage closing page and the chair's consolidation view show the same
sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.formats import number, score
from sayembara.competitions.models import Edition
from sayembara.documents.services.plain_rules import TIE_BREAKS
from sayembara.judging.models import Judge
from sayembara.judging.selectors.reasons import TEXT_REASON, translate_reason
from sayembara.ranking.messages import calibration_refusal

#: Below this many points a judge marks as the others do (severity is in score points).
LEVEL_MARGIN = 0.05
#: Reliability (ICC) bands after Koo & Li (2016): below 0.5 poor, up to 0.75 moderate, up
#: to 0.9 good, above excellent.
BANDS = ((0.5, "low"), (0.75, "moderate"), (0.9, "good"))


def unit_names(edition: Edition) -> dict[str, str]:
    """Display names of the engine's units: categories, groups, the whole stage."""
    names = {"overall": _("all entries of the stage"), "": _("entries without a group")}
    names.update({g.key: g.name for g in edition.groups.all()})
    names.update({c.key: c.name for c in edition.categories.all()})
    return names


def judge_names(edition: Edition) -> dict[int, str]:
    return dict(Judge.objects.filter(edition=edition).values_list("pk", "name"))


def display_reason(code: str | None, params: dict[str, str] | None,
                   units: dict[str, str]) -> str:
    """The engine's reason for an entry with display names and local number formats.

    Results computed before reasons were stored as codes keep their sentence as it was
    written (code ``text``)."""
    if not code:
        return ""
    if code == TEXT_REASON:
        return str((params or {}).get("text", ""))
    shown = dict(params or {})
    for key in ("pool", "unit"):
        if key in shown:
            shown[key] = units.get(shown[key], shown[key])
    if "step" in shown:
        shown["step"] = tie_break_label(shown["step"])
    for key in ("score", "grade"):
        if key in shown:
            try:
                shown[key] = (score(Decimal(shown[key])) if key == "score" else
                              number(Decimal(shown[key]), places=_places(shown[key])))
            except ArithmeticError:
                pass
    return translate_reason(code, shown)


def tie_break_label(step: str | None) -> str:
    """A tie-break step as the published rules name it."""
    if not step:
        return ""
    return TIE_BREAKS[step]() if step in TIE_BREAKS else step


def _places(text: str) -> int:
    return len(text.partition(".")[2])


@dataclass
class JudgeLine:
    """One judge in one unit: how they mark compared with the others."""

    name: str
    sheets: int
    severity: float | None
    tendency: str
    agreement: str


@dataclass
class UnitFigures:
    name: str
    reliability: str
    judges: list[JudgeLine] = field(default_factory=list)


@dataclass
class StageFigures:
    """What the pages say about a stage's scores besides the table."""

    calibration: list[str] = field(default_factory=list)
    units: list[UnitFigures] = field(default_factory=list)
    pools: list[str] = field(default_factory=list)


def tendency(severity: float | None) -> str:
    if severity is None:
        return _("not measurable (no entry shared with another judge)")
    if severity <= -LEVEL_MARGIN:
        return _("stricter by %(points)s points") % {"points": number(-severity, 1)}
    if severity >= LEVEL_MARGIN:
        return _("more lenient by %(points)s points") % {"points": number(severity, 1)}
    return _("as the other judges")


def reliability_sentence(figures: dict[str, Any], unit: str) -> str:
    """Keandalan penilaian antarjuri of one unit in one sentence."""
    icc = figures.get("icc_average")
    if icc is None:
        return _("The reliability between judges for %(unit)s cannot be measured: it needs at "
                 "least two entries each scored by two judges or more.") % {"unit": unit}
    level = next((label for limit, label in BANDS if icc < limit), "excellent")
    words = {"low": _("low"), "moderate": _("moderate"), "good": _("good"),
             "excellent": _("very good")}
    k = figures.get("k")
    judges = number(k, 0 if k is not None and float(k).is_integer() else 1)
    return _("The reliability between judges for %(unit)s is %(level)s (ICC %(icc)s for the "
             "average of %(k)s judges; %(entries)s entries, %(judges)s judges).") % {
        "unit": unit, "level": words[level], "icc": number(icc, 2), "k": judges,
        "entries": number(figures.get("entries")), "judges": number(figures.get("judges"))}


def calibration_sentences(calibration: dict[str, Any] | None, *, units: dict[str, str],
                          judges: dict[int, str], only: set[str] | None = None) -> list[str]:
    """Which score is official, what the calibrated score is, and why calibration was
    refused where it was (for the units in ``only``, or all)."""
    if not calibration:
        return []
    official, requested = calibration.get("official"), calibration.get("requested")
    out = []
    if official == "calibrated":
        out.append(_("The official score of this stage is the calibrated score; the raw score "
                     "is shown beside it."))
    elif requested == "calibrated":
        out.append(_("The rules of this stage ask for the calibrated score, but calibration "
                      "was not possible, so the official score is the raw score."))
    else:
        out.append(_("The official score of this stage is the raw score; the calibrated score "
                     "is shown beside it for comparison."))
    if calibration.get("model") == "offset_scale":
        out.append(_("The calibrated score removes each judge's tendency to mark stricter or "
                     "more leniently than the others, and to use a narrower or wider range of "
                     "marks."))
    else:
        out.append(_("The calibrated score removes each judge's tendency to mark stricter or "
                     "more leniently than the others."))
    for unit in calibration.get("units") or ():
        if unit.get("status") != "refused" or (only is not None and unit.get("unit") not in only):
            continue
        # people read names in alphabetical order, the largest group first
        groups = sorted((sorted(judges.get(int(pk), _("a judge")) for pk in group)
                         for group in unit.get("groups") or ()),
                        key=lambda names: (-len(names), [n.casefold() for n in names]))
        out.append(_("%(unit)s: %(reason)s") % {
            "unit": _capital(units.get(unit.get("unit", ""), unit.get("unit", ""))),
            "reason": calibration_refusal(unit.get("code"), groups)})
    return out


def pool_sentences(pools: Iterable[dict[str, Any]], units: dict[str, str]) -> list[str]:
    out = []
    for pool in pools:
        values = {"pool": _capital(units.get(pool.get("name", ""), pool.get("name", ""))),
                  "advanced": number(pool.get("advanced")),
                  "competing": number(pool.get("competing")),
                  "seats": number(pool.get("seats"))}
        competing = int(pool.get("competing") or 0)
        if pool.get("seats") is None:
            out.append(ngettext("%(pool)s: %(advanced)s of %(competing)s entry goes on.",
                                "%(pool)s: %(advanced)s of %(competing)s entries go on.",
                                competing) % values)
        else:
            out.append(ngettext("%(pool)s: %(advanced)s of %(competing)s entry goes on "
                                "(%(seats)s places).",
                                "%(pool)s: %(advanced)s of %(competing)s entries go on "
                                "(%(seats)s places).", competing) % values)
    return out


def unit_figures(reliability: Iterable[dict[str, Any]], *, units: dict[str, str],
                 judges: dict[int, str], only: set[str] | None = None) -> list[UnitFigures]:
    out = []
    for figures in reliability:
        key = figures.get("unit", "")
        if only is not None and key not in only:
            continue
        name = units.get(key, key)
        lines = [JudgeLine(name=judges.get(int(item["judge"]), _("a judge")),
                           sheets=int(item.get("sheets") or 0),
                           severity=item.get("severity"),
                           tendency=tendency(item.get("severity")),
                           agreement=number(item.get("agreement"), 2))
                 for item in figures.get("per_judge") or ()]
        lines.sort(key=lambda line: (line.severity is None, line.severity or 0, line.name))
        out.append(UnitFigures(name=_capital(name),
                               reliability=reliability_sentence(figures, name),
                               judges=lines))
    return out


def stage_figures(*, edition: Edition, summary: dict[str, Any] | None,
                  category_key: str | None = None) -> StageFigures:
    """The sentences for a stage's stored summary; with ``category_key``, the calibration
    and reliability of that category only (or of the whole stage when it is one unit)."""
    summary = summary or {}
    units = unit_names(edition)
    judges = judge_names(edition)
    keys = {u.get("unit") for u in summary.get("reliability") or ()} | {
        u.get("unit") for u in (summary.get("calibration") or {}).get("units") or ()}
    only = {category_key, "overall"} if category_key and category_key in keys else None
    return StageFigures(
        calibration=calibration_sentences(summary.get("calibration"), units=units,
                                          judges=judges, only=only),
        units=unit_figures(summary.get("reliability") or (), units=units, judges=judges,
                           only=only),
        pools=pool_sentences(summary.get("pools") or (), units),
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
