"""``sayembara template list | show NAME | validate FILE...``.

The commands parse their arguments, call the loader and print; they use no database.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import TextIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .errors import TemplateError
from .loader import list_builtin, load_template
from .model import Advancement, Criterion, ScoreBand, Stage, Template


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sayembara template",
        description=_("List, show and validate competition templates (see docs/templates.md)."),
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("list", help=_("List the built-in templates."))
    show = commands.add_parser("show", help=_("Summarise a built-in template or a file."))
    show.add_argument("name", metavar="NAME", help=_("A built-in template name or a file path."))
    validate = commands.add_parser(
        "validate", help=_("Check template files and print every problem with its line.")
    )
    validate.add_argument("files", metavar="FILE", nargs="+", help=_("Template files (YAML)."))
    return parser


def main(argv: list[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run a template command; returns the exit status (0 ok, 1 problems, 2 bad usage)."""
    out = out or sys.stdout
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exit_:  # argparse has printed the usage and the error
        return int(exit_.code or 0)
    if args.command == "list":
        return _list(out)
    if args.command == "show":
        return _show(args.name, out)
    return _validate(args.files, out)


def _list(out: TextIO) -> int:
    builtins = list_builtin()
    width = max(len(item.name) for item in builtins)
    for item in builtins:
        out.write(f"{item.name:<{width}}  {item.title}\n")
    return 0


def _show(name: str, out: TextIO) -> int:
    try:
        template = load_template(name)
    except TemplateError as error:
        _print_problems(error, out)
        return 1
    out.write(summary(template))
    return 0


def _validate(files: list[str], out: TextIO) -> int:
    status = 0
    for path in files:
        try:
            load_template(path)
        except TemplateError as error:
            _print_problems(error, out)
            status = 1
            continue
        if len(files) == 1:
            out.write(_("valid") + "\n")
        else:
            out.write(_("%(file)s: valid") % {"file": path} + "\n")
    return status


def _print_problems(error: TemplateError, out: TextIO) -> None:
    for problem in error.problems:
        out.write(problem.format(error.source) + "\n")


# --------------------------------------------------------------------------------------------
# The readable summary
# --------------------------------------------------------------------------------------------


def _n(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _rupiah(value: Decimal) -> str:
    return "Rp" + f"{int(value):,}".replace(",", ".")


def _scopes() -> dict[str, str]:
    return {"category": _("per category"), "group": _("per group"), "overall": _("overall")}


def describe_advancement(
    advance: Advancement | None, names: dict[str, str] | None = None
) -> str:
    """One line saying who advances, e.g. ``top 10 per category``; ``names`` gives the display
    names of the groups or categories of quotas (their ids when left out)."""
    if advance is None:
        return _("everyone advances")
    scope = _scopes()[advance.scope]
    parts = []
    if advance.passing_grade is not None:
        parts.append(_("score at least %(grade)s") % {"grade": _n(advance.passing_grade)})
    if advance.top_n is not None:
        parts.append(_("top %(n)s %(scope)s") % {"n": advance.top_n, "scope": scope})
    if advance.quotas:
        quotas = ", ".join(
            f"{(names or {}).get(quota.unit, quota.unit)} {quota.count}" for quota in advance.quotas
        )
        total = sum(quota.count for quota in advance.quotas)
        parts.append(
            _("quotas %(scope)s: %(quotas)s (%(total)s in all)")
            % {"scope": scope, "quotas": quotas, "total": total}
        )
    if advance.multiplier > 1:
        parts.append(_("nominate %(k)s x the target") % {"k": advance.multiplier})
    if advance.top_n is not None or advance.quotas:
        parts.append(
            _("ties at the cut admitted together")
            if advance.ties == "admit_all"
            else _("ties at the cut broken")
        )
    return "; ".join(parts) if parts else _("everyone advances")


def _stage_lines(template: Template, index: int, stage: Stage) -> list[str]:
    if stage.kind == "weighted":
        kind = _("weighted %(weight)s%%") % {"weight": _n(stage.weight)}
    else:
        kind = _("filter")
    window = ""
    if stage.start or stage.end:
        window = f", {stage.start or '?'}..{stage.end or '?'}"
    lines = [
        f"  {index}. {stage.id}  {stage.name}",
        "     "
        + kind
        + window
        + ", "
        + _("scored by %(source)s") % {"source": stage.score_source.replace("_", "-")},
    ]
    if stage.is_judged:
        by_rubric: dict[str | None, list[str]] = {}
        for category in template.stage_categories(stage):
            by_rubric.setdefault(stage.rubric_for(category), []).append(category)
        if len(by_rubric) == 1:
            rubrics = str(next(iter(by_rubric)))
        else:
            rubrics = "; ".join(
                f"{rubric} ({', '.join(categories)})" for rubric, categories in by_rubric.items()
            )
        lines.append("     " + _("rubric: %(rubrics)s") % {"rubrics": rubrics})
    flags = []
    if stage.aggregation.method != "mean":
        flags.append(stage.aggregation.method.replace("_", " "))
    if stage.can_only_lower:
        flags.append(_("can only lower"))
    if stage.blind:
        flags.append(_("blind"))
    if stage.slot is not None:
        flags.append(
            _("slots of %(p)s + %(q)s minutes")
            % {"p": stage.slot.presentation_minutes, "q": stage.slot.questions_minutes}
        )
    if flags:
        lines.append("     " + ", ".join(flags))
    lines.append("     " + _("advance: %(rule)s") % {"rule": describe_advancement(stage.advance)})
    return lines


def _criterion_line(criterion: Criterion) -> str:
    scale = f"{_n(criterion.scale_min)}..{_n(criterion.scale_max)}"
    extra = ""
    if criterion.kind == "ordinal":
        extra = " [" + " < ".join(level.label for level in criterion.levels) + "]"
    weight = _n(criterion.weight)
    return f"    {weight:>5}  {criterion.id}  {criterion.name} ({criterion.kind} {scale}){extra}"


def _band_line(band: ScoreBand) -> str:
    low = "" if band.min is None else ("> " if band.min_exclusive else ">= ") + _n(band.min)
    high = "" if band.max is None else ("< " if band.max_exclusive else "<= ") + _n(band.max)
    prize = f", {_rupiah(band.prize)}" if band.prize else ""
    return f"  {band.name}: {' and '.join(part for part in (low, high) if part)}{prize}"


def summary(template: Template) -> str:
    """A readable summary: categories, stages with weights and advancement, rubrics, awards."""
    deadline = template.timeline.submission_deadline.strftime("%Y-%m-%d %H:%M")
    lines = [
        f"{template.title} ({template.name})",
        _("Organiser: %(organiser)s") % {"organiser": template.organiser},
        _("Year %(year)s, time zone %(tz)s (%(iana)s); submissions close %(deadline)s %(tz)s")
        % {
            "year": template.year,
            "tz": template.time_zone,
            "iana": template.tz_name,
            "deadline": deadline,
        },
        "",
        _("Categories"),
    ]
    for category in template.categories:
        detail = ", ".join(category.institution_types) or _("any institution type")
        size = f", {category.capacity}" if category.capacity else ""
        lines.append(f"  {category.id}  {category.name} ({detail}{size})")
    if template.groups:
        lines += ["", _("Groups")]
        for group in template.groups:
            reserved = ""
            if group.past_winners is not None:
                years = ", ".join(str(year) for year in group.past_winners.years)
                reserved = " " + _("(past winners of %(years)s only)") % {"years": years}
            lines.append(f"  {group.id}  {group.name} [{group.kind}]{reserved}")
    lines += ["", _("Stages")]
    for index, stage in enumerate(template.stages, start=1):
        lines += _stage_lines(template, index, stage)
    lines += ["", _("Rubrics")]
    for rubric in template.rubrics:
        lines.append(f"  {rubric.id}  {rubric.name}")
        lines += [_criterion_line(criterion) for criterion in rubric.criteria]
    awards = template.awards
    lines += ["", _("Awards (ranked %(scope)s)") % {"scope": _scopes()[awards.ranking]}]
    for tier in awards.tiers:
        things = [
            thing
            for thing, given in (
                (_("trophy"), tier.trophy),
                (_("certificate"), tier.certificate),
                (_rupiah(tier.prize), tier.prize > 0),
            )
            if given
        ]
        lines.append(
            f"  {tier.name}: "
            + (
                _("rank %(a)s") % {"a": tier.rank_from}
                if tier.rank_from == tier.rank_to
                else _("ranks %(a)s-%(b)s") % {"a": tier.rank_from, "b": tier.rank_to}
            )
            + (", " + ", ".join(things) if things else "")
        )
    lines += [_band_line(band) for band in (*awards.grades, *awards.predicates)]
    if awards.favourite is not None:
        favourite = awards.favourite
        lines.append(
            f"  {favourite.name}: "
            + ngettext(
                "%(n)s winner %(scope)s by public vote",
                "%(n)s winners %(scope)s by public vote",
                favourite.winners,
            )
            % {
                "n": favourite.winners,
                "scope": _scopes()[favourite.scope],
            }
            + (", " + _("not to a jury winner") if favourite.exclude_jury_winners else "")
        )
    lines += ["", _("Tie-break: %(chain)s") % {"chain": " > ".join(template.tie_break)}]
    if template.panels:
        lines += ["", _("Panels")]
        for panel in template.panels:
            seats = sum(seat.count for seat in panel.seats)
            lines.append(
                f"  {panel.id}  {panel.name} ("
                + ngettext("%(seats)s seat; stages %(stages)s",
                           "%(seats)s seats; stages %(stages)s", seats)
                % {"seats": seats, "stages": ", ".join(panel.stages)}
                + ")"
            )
    if template.assumptions:
        lines += ["", _("Assumptions")]
        lines += [f"  - {assumption}" for assumption in template.assumptions]
    return "\n".join(lines) + "\n"
