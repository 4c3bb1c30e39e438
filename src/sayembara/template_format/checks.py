"""Cross-field rules of the template format.

:mod:`~sayembara.template_format.schema` checks each value on its own; this module checks
what needs the whole template: unique ids, references that resolve, weights that add up to
100, ranges with min <= max, cuts that fit their category and narrow from stage to stage,
a rubric for every judged category, a decisive tie-break chain, and so on. Every rule adds a
problem through the reader, so all problems are reported together.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .errors import Path, format_path
from .model import (
    DECISIVE_TIE_BREAKS,
    Advancement,
    Condition,
    Criterion,
    Disagreement,
    Rubric,
    ScoreBand,
    Stage,
    Template,
)
from .schema import Reader, suggest

HUNDRED = Decimal(100)
# What the rank name of an award tier may contain (see model.AwardTier.rank_name).
RANK_NAME_KEYS = {"rank", "place"}
# The longest entry noun or title label: it heads a column and labels a field.
ENTRY_WORDS_MAX = 60
#: what messages call the dates of the rules
DATE_WORDS = {
    "start": gettext_lazy("the first day"),
    "end": gettext_lazy("the last day"),
    "submission_deadline": gettext_lazy("the submission deadline"),
    "registration_deadline": gettext_lazy("the registration deadline"),
}
#: what messages call the things one part of the rules refers to
KIND_WORDS = {
    "institution type": gettext_lazy("institution type"),
    "category": gettext_lazy("category"),
    "group": gettext_lazy("group"),
    "stage": gettext_lazy("stage"),
    "rubric": gettext_lazy("rubric"),
    "criterion": gettext_lazy("criterion"),
    "special award": gettext_lazy("special award"),
    "panel": gettext_lazy("panel"),
}
#: the named items a problem can lie in (see Checker.owner)
OWNER_WORDS = {
    "institution_types": gettext_lazy('Institution type "%(name)s"'),
    "categories": gettext_lazy('Category "%(name)s"'),
    "groups": gettext_lazy('Group "%(name)s"'),
    "phases": gettext_lazy('Phase "%(name)s"'),
    "stages": gettext_lazy('Stage "%(name)s"'),
    "rubrics": gettext_lazy('Rubric "%(name)s"'),
    "criteria": gettext_lazy('Criterion "%(name)s"'),
    "tiers": gettext_lazy('Award tier "%(name)s"'),
    "special": gettext_lazy('Special award "%(name)s"'),
    "panels": gettext_lazy('Panel "%(name)s"'),
}
SOURCE_WORDS = {
    "judges": gettext_lazy("judges"),
    "self_assessment": gettext_lazy("a verified self-assessment"),
    "public_votes": gettext_lazy("public votes"),
}
SCOPE_WORDS = {
    "category": gettext_lazy("in every category"),
    "group": gettext_lazy("in every group"),
    "overall": gettext_lazy("over all entries"),
}
#: what a disagreement condition compares, as the rules editor says it
MEASURE_WORDS = {
    "spread": gettext_lazy("the difference between the highest and lowest total"),
    "lowest": gettext_lazy("the lowest judge's total"),
    "highest": gettext_lazy("the highest judge's total"),
    "mean": gettext_lazy("the mean of the judges' totals"),
}


def _raw_ids(items: Any) -> set[str]:
    """Ids written in a raw list, including items that could not be built."""
    if not isinstance(items, list):
        return set()
    return {
        item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)
    }


class Checker:
    """Runs every cross-field rule of a built template, recording problems on ``reader``.

    ``raw`` is the data the template was read from; ids present there but whose item could
    not be built still count as defined, so one broken item does not cause a cascade of
    "not defined" problems.
    """

    def __init__(self, template: Template, reader: Reader, raw: dict[str, Any]) -> None:
        self.t = template
        self.reader = reader
        # Rules measured against the year or the deadline are skipped when those were refused.
        self.year_known = ("year",) not in reader.failed
        self.deadline_known = not (
            {("timeline",), ("timeline", "submission_deadline")} & set(reader.failed)
        )
        self.known = {
            "institution type": _raw_ids(raw.get("institution_types")),
            "category": _raw_ids(raw.get("categories")),
            "group": _raw_ids(raw.get("groups")),
            "rubric": _raw_ids(raw.get("rubrics")),
            "stage": _raw_ids(raw.get("stages")),
        }

    # -- helpers ---------------------------------------------------------------------------

    def path(self, obj: Any, *fields: str | int) -> Path:
        return (*self.reader.path_of(obj), *fields)

    def add(self, path: Path, message: str) -> None:
        self.reader.add(path, message)

    def ref(self, kind: str, section: str, value: str, path: Path) -> bool:
        """Record a problem unless ``value`` names a defined ``kind``; True when it does."""
        known = self.known[kind]
        if value in known:
            return True
        close = suggest(value, known)
        if close:
            hint = _('Did you mean "%(suggestion)s"?') % {"suggestion": close}
        elif known:
            hint = _("The defined ones are %(known)s.") % {"known": ", ".join(sorted(known))}
        else:
            hint = _('Define it under "%(section)s".') % {"section": section}
        self.add(
            path,
            _('%(owner)s refers to the %(kind)s "%(value)s", which is not defined. %(hint)s')
            % {"owner": self.owner(path), "kind": KIND_WORDS.get(kind, kind), "value": value,
               "hint": hint},
        )
        return False

    def owner(self, path: Path) -> str:
        """The named item a path lies in, as messages name it: 'Stage "Presentasi"', 'Award
        tier "Juara"'; the template itself when none has a name."""
        label = _("The rules")
        current: Any = self.t
        container = ""
        for part in path:
            if isinstance(part, int):
                if not isinstance(current, tuple) or part >= len(current):
                    break
                current = current[part]
                name = getattr(current, "name", None) or getattr(current, "id", None)
                if container in OWNER_WORDS and name:
                    label = str(OWNER_WORDS[container]) % {"name": name}
            else:
                if not dataclasses.is_dataclass(current) or not hasattr(current, part):
                    break
                current = getattr(current, part)
                container = part
        return label

    def refs(self, kind: str, section: str, values: Iterable[str], obj: Any, name: str) -> None:
        for index, value in enumerate(values):
            self.ref(kind, section, value, self.path(obj, name, index))

    def capacity(self, scope: str, unit: str) -> int | None:
        items = self.t.categories if scope == "category" else self.t.groups
        for item in items:
            if item.id == unit:
                return item.capacity
        return None

    def name_of(self, kind: str, key: str) -> str:
        """The display name of the category, group, stage, rubric, phase, award tier, special
        award or panel ``key``; messages name things as people read them. A key that names
        nothing (or an item without a name) is shown as written."""
        items = {
            "category": self.t.categories,
            "group": self.t.groups,
            "stage": self.t.stages,
            "rubric": self.t.rubrics,
            "phase": self.t.timeline.phases,
            "tier": self.t.awards.tiers,
            "special": self.t.awards.special,
            "panel": self.t.panels,
        }[kind]
        for item in items:
            if item.id == key:
                return item.name or key
        return key

    def criterion_name(self, key: str) -> str:
        """The display name of criterion ``key`` in the first rubric that has it."""
        for rubric in self.t.rubrics:
            for criterion in rubric.criteria:
                if criterion.id == key:
                    return criterion.name or key
        return key

    def names_of(self, kind: str, keys: Iterable[str]) -> str:
        return ", ".join(self.name_of(kind, key) for key in keys)

    def unit_label(self, scope: str, unit: str) -> str:
        """How messages name one unit of a cut: category "x", group "x" or all entries."""
        if scope == "category":
            return _('category "%(name)s"') % {"name": self.name_of("category", unit)}
        if scope == "group":
            return _('group "%(name)s"') % {"name": self.name_of("group", unit)}
        return _("all categories together")

    def scope_units(self, scope: str) -> tuple[str, ...]:
        if scope == "category":
            return tuple(category.id for category in self.t.categories)
        if scope == "group":
            return tuple(group.id for group in self.t.groups)
        return ("overall",)

    # -- rules -----------------------------------------------------------------------------

    def run(self) -> None:
        self.unique_ids(self.t)
        self.participants()
        self.timeline()
        self.eligibility()
        for rubric in self.t.rubrics:
            self.rubric(rubric)
        self.entry_form()
        self.stages()
        self.tie_break()
        self.awards()
        self.public()
        self.panels()

    def unique_ids(self, obj: Any) -> None:
        """Ids must be unique within every list of things that have ids."""
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
                seen: dict[str, Any] = {}
                for item in value:
                    item_id = getattr(item, "id", None)
                    if item_id is None:
                        continue
                    if item_id in seen:
                        first_line = self.reader.line_for(self.path(seen[item_id]))
                        message = (
                            _(
                                'The short name "%(id)s" is used twice in this list (first at '
                                "line %(line)s); give each item its own short name."
                            )
                            if first_line is not None
                            else _(
                                'The short name "%(id)s" is used twice; give each item its own '
                                "short name."
                            )
                        )
                        self.add(self.path(item, "id"),
                                 message % {"id": item_id, "line": first_line})
                    else:
                        seen[item_id] = item
                for item in value:
                    self.unique_ids(item)
            elif dataclasses.is_dataclass(value):
                self.unique_ids(value)

    def participants(self) -> None:
        for category in self.t.categories:
            self.refs(
                "institution type",
                "institution_types",
                category.institution_types,
                category,
                "institution_types",
            )
            if (
                category.size is not None
                and category.participants
                and category.size != len(category.participants)
            ):
                self.add(
                    self.path(category, "size"),
                    ngettext(
                        'Category "%(name)s" has %(size)s participants when fixed but lists '
                        "%(count)s participant; make them agree or empty the fixed number.",
                        'Category "%(name)s" has %(size)s participants when fixed but lists '
                        "%(count)s participants; make them agree or empty the fixed number.",
                        len(category.participants),
                    )
                    % {
                        "name": category.name or category.id,
                        "size": category.size,
                        "count": len(category.participants),
                    },
                )
            self.no_repeats(category.participants, category, "participants", _("participant"))
        for group in self.t.groups:
            self.refs("category", "categories", group.categories, group, "categories")
            self.refs(
                "institution type",
                "institution_types",
                group.institution_types,
                group,
                "institution_types",
            )
            if group.past_winners is not None and self.year_known:
                for index, year in enumerate(group.past_winners.years):
                    if year >= self.t.year:
                        self.add(
                            self.path(group.past_winners, "years", index),
                            _(
                                'Group "%(name)s" is reserved for winners of %(year)s, which is '
                                "not before the template's year %(ref)s; list earlier years."
                            )
                            % {"name": group.name or group.id, "year": year, "ref": self.t.year},
                        )

    def no_repeats(self, values: tuple[str, ...], obj: Any, name: str, what: str) -> None:
        seen: set[str] = set()
        for index, value in enumerate(values):
            if value in seen:
                self.add(
                    self.path(obj, name, index),
                    _('The %(what)s "%(value)s" is listed twice in %(owner)s; list it once.')
                    % {"what": what, "value": value, "owner": self.owner(self.path(obj, name))},
                )
            seen.add(value)

    def date_near_year(self, value: dt.date, path: Path) -> None:
        if self.year_known and abs(value.year - self.t.year) > 1:
            self.add(
                path,
                _(
                    "%(what)s is %(value)s, more than a year away from the rules' year "
                    "%(year)s; check the year."
                )
                % {"what": self.date_field(path), "value": self.when(value),
                   "year": self.t.year},
            )

    def when(self, value: dt.date) -> str:
        """A date as people read it (9 November 2020), a deadline with its time and zone
        (9 November 2020 pukul 23.59 WITA)."""
        day = date_format(value, "j F Y")
        if not isinstance(value, dt.datetime):
            return day
        return _("%(date)s at %(time)s %(zone)s") % {
            "date": day, "time": value.strftime("%H.%M"), "zone": self.t.time_zone}

    def date_field(self, path: Path) -> str:
        """The date a path names, as messages say it: 'the first day of Stage "Presentasi"'."""
        word = DATE_WORDS.get(str(path[-1]) if path else "")
        owner = self.owner(path)
        if word is None:
            return owner
        if owner == _("The rules"):
            return capfirst(str(word))
        return _("%(field)s of %(owner)s") % {"field": capfirst(str(word)), "owner": owner}

    def window(self, obj: Any, start_name: str, end_name: str, label: str) -> None:
        start, end = getattr(obj, start_name), getattr(obj, end_name)
        for name, value in ((start_name, start), (end_name, end)):
            if value is not None:
                self.date_near_year(value, self.path(obj, name))
        if start is not None and end is not None and start > end:
            self.add(
                self.path(obj, end_name),
                _(
                    "%(label)s ends on %(end)s, before it starts on %(start)s; the end must not "
                    "be earlier than the start."
                )
                % {"label": label, "end": self.when(end), "start": self.when(start)},
            )

    def timeline(self) -> None:
        timeline = self.t.timeline
        if self.deadline_known:
            self.date_near_year(
                timeline.submission_deadline, self.path(timeline, "submission_deadline")
            )
        registration = timeline.registration_deadline
        if registration is not None and self.deadline_known:
            self.date_near_year(registration, self.path(timeline, "registration_deadline"))
            if registration > timeline.submission_deadline:
                self.add(
                    self.path(timeline, "registration_deadline"),
                    _(
                        "Registration closes at %(registration)s, after submission closes at "
                        "%(submission)s; registration must close no later than submission."
                    )
                    % {
                        "registration": self.when(registration),
                        "submission": self.when(timeline.submission_deadline),
                    },
                )
        previous = None
        for phase in timeline.phases:
            phase_label = _('Phase "%(name)s"') % {"name": phase.name or phase.id}
            self.window(phase, "start", "end", phase_label)
            if previous is not None and phase.start < previous.start:
                self.add(
                    self.path(phase, "start"),
                    _(
                        'Phase "%(name)s" starts on %(start)s, before the phase listed above it '
                        '("%(previous)s", %(previous_start)s); list phases in date order.'
                    )
                    % {
                        "name": phase.name or phase.id,
                        "start": self.when(phase.start),
                        "previous": previous.name or previous.id,
                        "previous_start": self.when(previous.start),
                    },
                )
            previous = phase

    def eligibility(self) -> None:
        mandatory = self.t.eligibility.mandatory
        if mandatory is None:
            return
        self.refs(
            "institution type",
            "institution_types",
            mandatory.institution_types,
            mandatory,
            "institution_types",
        )
        if not mandatory.institution_types and not mandatory.institutions:
            self.add(
                self.path(mandatory),
                _(
                    "eligibility.mandatory names no institution types and no institutions; "
                    "list at least one or remove it."
                ),
            )

    # -- rubrics ---------------------------------------------------------------------------

    def rubric(self, rubric: Rubric) -> None:
        rubric_path = self.path(rubric)
        if not self.reader.failed_under((*rubric_path, "criteria")):
            total = sum((criterion.weight for criterion in rubric.criteria), Decimal(0))
            if total != rubric.scale and rubric.scale == HUNDRED:
                self.add(
                    self.path(rubric, "criteria"),
                    _(
                        'The criteria weights of rubric "%(name)s" add up to %(total)s, not 100; '
                        "change them so that they add up to 100."
                    )
                    % {"name": rubric.name or rubric.id, "total": _num(total)},
                )
            elif total != rubric.scale:
                self.add(
                    self.path(rubric, "criteria"),
                    _(
                        'The criteria weights of rubric "%(name)s" add up to %(total)s, not its '
                        "scale %(scale)s; change them so that they add up to %(scale)s."
                    )
                    % {
                        "name": rubric.name or rubric.id,
                        "total": _num(total),
                        "scale": _num(rubric.scale),
                    },
                )
        if rubric.scale <= 0:
            self.add(
                self.path(rubric, "scale"),
                _('Rubric "%(name)s" has a scale of %(scale)s; a scale must be greater than 0.')
                % {"name": rubric.name or rubric.id, "scale": _num(rubric.scale)},
            )
        for criterion in rubric.criteria:
            self.criterion(rubric, criterion)

    def criterion(self, rubric: Rubric, criterion: Criterion) -> None:
        label = _('Criterion "%(name)s" of rubric "%(rubric)s"') % {
            "name": criterion.name or criterion.id,
            "rubric": rubric.name or rubric.id,
        }
        if self.reader.failed_under(self.path(criterion)):  # a refused value would be misjudged
            return
        low, high = criterion.scale_min, criterion.scale_max
        if low >= high:
            self.add(
                self.path(criterion, "scale_max"),
                _(
                    "%(label)s has a scale from %(min)s to %(max)s; the lowest score must be lower "
                    "than the highest."
                )
                % {"label": label, "min": low, "max": high},
            )
            return
        if criterion.step is not None and criterion.step <= 0:
            self.add(
                self.path(criterion, "step"),
                _("%(label)s has step %(step)s; a step must be greater than 0.")
                % {"label": label, "step": criterion.step},
            )
        for name, expected in (
            ("descriptors", "numeric"),
            ("levels", "ordinal"),
            ("items", "checklist"),
        ):
            if getattr(criterion, name) and criterion.kind != expected:
                self.add(
                    self.path(criterion, name),
                    _(
                        '%(label)s is of kind "%(kind)s" but has %(name)s, which only a '
                        '"%(expected)s" criterion uses; remove them or change its kind.'
                    )
                    % {"label": label, "kind": criterion.kind, "name": name, "expected": expected},
                )
        for descriptor in criterion.descriptors:
            if descriptor.min > descriptor.max:
                self.add(
                    self.path(descriptor, "max"),
                    _(
                        "A score band of %(label)s runs from %(min)s down to %(max)s; its "
                        "lower bound must not exceed its upper bound."
                    )
                    % {"label": label, "min": descriptor.min, "max": descriptor.max},
                )
            self.within_scale(criterion, label, descriptor.min, self.path(descriptor, "min"))
            self.within_scale(criterion, label, descriptor.max, self.path(descriptor, "max"))
        if criterion.kind == "ordinal":
            self.ordinal_levels(criterion, label)
        if criterion.kind == "checklist":
            if not criterion.items:
                self.add(
                    self.path(criterion),
                    _("%(label)s is a checklist without items; list its items.") % {"label": label},
                )
            for item in criterion.items:
                if item.points <= 0:
                    self.add(
                        self.path(item, "points"),
                        _(
                            'Checklist item "%(id)s" has %(points)s points; points must be '
                            "greater than 0."
                        )
                        % {"id": item.id, "points": item.points},
                    )

    def within_scale(self, criterion: Criterion, label: str, value: Decimal, path: Path) -> None:
        if not criterion.scale_min <= value <= criterion.scale_max:
            self.add(
                path,
                _("A value %(value)s is outside the scale %(min)s to %(max)s of %(label)s.")
                % {
                    "value": value,
                    "min": criterion.scale_min,
                    "max": criterion.scale_max,
                    "label": label,
                },
            )

    def ordinal_levels(self, criterion: Criterion, label: str) -> None:
        if not criterion.levels:
            self.add(
                self.path(criterion),
                _(
                    "%(label)s is ordinal but lists no evidence levels; list its levels from "
                    "lowest to highest."
                )
                % {"label": label},
            )
            return
        previous: Decimal | None = None
        for level in criterion.levels:
            self.within_scale(criterion, label, level.score, self.path(level, "score"))
            if previous is not None and level.score <= previous:
                self.add(
                    self.path(level, "score"),
                    _(
                        'Evidence level "%(label)s" scores %(score)s, not more than the level '
                        "before it (%(previous)s); list levels from lowest to highest score."
                    )
                    % {"label": level.label, "score": level.score, "previous": previous},
                )
            previous = level.score

    # -- entry form ------------------------------------------------------------------------

    def entry_form(self) -> None:
        form = self.t.entry_form
        for name in ("entry_noun", "title_label"):
            words = getattr(form, name)
            if "\n" in words.strip() or len(words) > ENTRY_WORDS_MAX:
                path = self.path(form, name)
                self.add(path, _("%(path)s must be a short label on one line, at most %(max)s "
                                 "characters.") % {"path": format_path(path),
                                                   "max": ENTRY_WORDS_MAX})
        for document in form.documents:
            if document.max_size_mb <= 0:
                self.add(
                    self.path(document, "max_size_mb"),
                    _(
                        'Document "%(id)s" allows files of at most %(size)s MB; the limit must be '
                        "greater than 0."
                    )
                    % {"id": document.id, "size": document.max_size_mb},
                )
            for index, kind in enumerate(document.kinds):
                if not kind.isalnum() or kind.lower() != kind:
                    self.add(
                        self.path(document, "kinds", index),
                        _(
                            '"%(kind)s" is not a file extension; write it in lower case without '
                            'the dot, for example "pdf".'
                        )
                        % {"kind": kind},
                    )
        for item in form.self_assessment:
            if not self.ref("rubric", "rubrics", item.rubric, self.path(item, "rubric")):
                continue
            rubric = next((r for r in self.t.rubrics if r.id == item.rubric), None)
            if rubric is None:
                continue
            criterion = next((c for c in rubric.criteria if c.id == item.criterion), None)
            if criterion is None:
                self.add(
                    self.path(item, "criterion"),
                    _(
                        'Self-assessment item "%(id)s" refers to the criterion "%(criterion)s", '
                        'which rubric "%(rubric)s" does not have.'
                    )
                    % {
                        "id": item.id,
                        "criterion": item.criterion,
                        "rubric": rubric.name or rubric.id,
                    },
                )
            elif criterion.kind != "ordinal":
                self.add(
                    self.path(item, "criterion"),
                    _(
                        'Self-assessment item "%(id)s" claims a level of criterion '
                        '"%(criterion)s", which is %(kind)s; it must be an ordinal criterion.'
                    )
                    % {"id": item.id, "criterion": criterion.name or criterion.id,
                       "kind": criterion.kind},
                )
        video = form.video
        if (
            video is not None
            and video.min_seconds is not None
            and video.max_seconds is not None
            and video.min_seconds > video.max_seconds
        ):
            self.add(
                self.path(video, "max_seconds"),
                _(
                    "The video must last at least %(min)s and at most %(max)s seconds; "
                    "min_seconds must not exceed max_seconds."
                )
                % {"min": video.min_seconds, "max": video.max_seconds},
            )

    # -- stages ----------------------------------------------------------------------------

    def stages(self) -> None:
        weighted = self.t.weighted_stages
        if weighted and not self.reader.failed_under(self.path(self.t, "stages")):
            total = sum((stage.weight for stage in weighted), Decimal(0))
            if total != HUNDRED:
                self.add(
                    self.path(self.t, "stages"),
                    _(
                        "The weights of the weighted stages (%(stages)s) add up to %(total)s, "
                        "not 100; change them so that they add up to 100."
                    )
                    % {
                        "stages": ", ".join(stage.name or stage.id for stage in weighted),
                        "total": _num(total),
                    },
                )
        previous_cut: tuple[str, dict[str, int]] | None = None
        previous_stage: Stage | None = None
        for index, stage in enumerate(self.t.stages):
            self.stage(stage, first=index == 0)
            if previous_stage is not None and stage.start and previous_stage.start:
                if stage.start < previous_stage.start:
                    self.add(
                        self.path(stage, "start"),
                        _(
                            'Stage "%(name)s" starts on %(start)s, before the stage above it '
                            '("%(previous)s") starts on %(previous_start)s; list stages in order.'
                        )
                        % {
                            "name": stage.name or stage.id,
                            "start": self.when(stage.start),
                            "previous": previous_stage.name or previous_stage.id,
                            "previous_start": self.when(previous_stage.start),
                        },
                    )
            previous_stage = stage
            if stage.advance is not None:
                cut = self.advancement(stage, stage.advance, previous_cut)
                if cut is not None:
                    previous_cut = cut

    def stage(self, stage: Stage, *, first: bool) -> None:
        label = _('Stage "%(name)s"') % {"name": stage.name or stage.id}
        weight_known = self.path(stage, "weight") not in self.reader.failed
        if weight_known and stage.kind == "filter" and stage.weight != 0:
            self.add(
                self.path(stage, "weight"),
                _(
                    "%(label)s is a filter stage, so it carries no weight; remove its weight of "
                    "%(weight)s or make it a weighted stage."
                )
                % {"label": label, "weight": stage.weight},
            )
        if weight_known and stage.kind == "weighted" and stage.weight <= 0:
            self.add(
                self.path(stage, "weight"),
                _("%(label)s is a weighted stage, so it needs a weight greater than 0.")
                % {"label": label},
            )
        self.window(stage, "start", "end", label)
        self.refs("category", "categories", stage.categories, stage, "categories")
        if stage.rubric is not None:
            self.ref("rubric", "rubrics", stage.rubric, self.path(stage, "rubric"))
        for item in stage.rubric_by_category:
            if self.ref("category", "categories", item.category, self.path(item)):
                if stage.categories and item.category not in stage.categories:
                    self.add(
                        self.path(item),
                        _(
                            '%(label)s gives a rubric for category "%(category)s", which does not '
                            "take part in the stage; remove it or add the category to the stage."
                        )
                        % {"label": label, "category": self.name_of("category", item.category)},
                    )
            self.ref("rubric", "rubrics", item.rubric, self.path(item, "rubric"))
        if stage.is_judged:
            missing = [
                category
                for category in self.t.stage_categories(stage)
                if stage.rubric_for(category) is None
            ]
            if missing:
                self.add(
                    self.path(stage),
                    _(
                        "%(label)s is scored by %(source)s but has no rubric for the categories "
                        "%(missing)s; choose the stage's rubric (a rubric of its own for a "
                        "category is written on the YAML page)."
                    )
                    % {
                        "label": label,
                        "source": SOURCE_WORDS.get(stage.score_source, stage.score_source),
                        "missing": self.names_of("category", missing),
                    },
                )
        elif stage.rubric is not None or stage.rubric_by_category:
            self.add(
                self.path(stage, "rubric" if stage.rubric else "rubric_by_category"),
                _(
                    "%(label)s counts public votes, so it uses no rubric; remove the rubric or "
                    "have judges score it."
                )
                % {"label": label},
            )
        if stage.score_source == "self_assessment":
            self.self_assessment_stage(stage, label)
        if stage.can_only_lower and first:
            self.add(
                self.path(stage, "can_only_lower"),
                _(
                    "%(label)s is the first stage, so there is no earlier score it could lower; "
                    'untick "Can only lower the score" or move the stage later.'
                )
                % {"label": label},
            )
        aggregation = stage.aggregation
        if aggregation.method == "trimmed_mean" and (
            aggregation.trim_from_judges < 2 * aggregation.trim + 1
        ):
            self.add(
                self.path(aggregation, "trim_from_judges"),
                _(
                    "%(label)s drops %(trim)s at each end from %(judges)s, which "
                    "leaves nothing; drop scores only from %(needed)s judges or more."
                )
                % {
                    "label": label,
                    "trim": ngettext("%(count)s score", "%(count)s scores", aggregation.trim)
                    % {"count": aggregation.trim},
                    "judges": ngettext(
                        "%(count)s judge", "%(count)s judges", aggregation.trim_from_judges
                    )
                    % {"count": aggregation.trim_from_judges},
                    "needed": 2 * aggregation.trim + 1,
                },
            )
        disagreement = stage.disagreement
        if disagreement is not None:
            self.disagreement(stage, disagreement, label)
        self.stage_scales(stage, label)
        slot = stage.slot
        if slot is not None and slot.presentation_minutes + slot.questions_minutes == 0:
            self.add(
                self.path(slot),
                _(
                    "%(label)s has a slot of 0 minutes; give the presentation or the questions "
                    "some minutes."
                )
                % {"label": label},
            )

    def self_assessment_stage(self, stage: Stage, label: str) -> None:
        claimed = {(item.rubric, item.criterion) for item in self.t.entry_form.self_assessment}
        rubric_ids = {stage.rubric_for(category) for category in self.t.stage_categories(stage)}
        for rubric in self.t.rubrics:
            if rubric.id not in rubric_ids:
                continue
            for criterion in rubric.criteria:
                if criterion.kind != "ordinal" or (rubric.id, criterion.id) not in claimed:
                    self.add(
                        self.path(stage, "score_source"),
                        _(
                            "%(label)s scores a verified self-assessment, so criterion "
                            '"%(criterion)s" of rubric "%(rubric)s" must have evidence levels '
                            "and be claimed in the entry form's self-assessment (written on the "
                            "YAML page); or have the stage scored by judges."
                        )
                        % {
                            "label": label,
                            "criterion": criterion.name or criterion.id,
                            "rubric": rubric.name or rubric.id,
                        },
                    )

    def disagreement(self, stage: Stage, disagreement: Disagreement, label: str) -> None:
        """The rule's problems are said in the words of the rules editor (a simple
        difference, conditions), so they read the same beside a form field and after a YAML
        line number."""
        if self.reader.failed_under(self.path(disagreement)):
            return
        scale = self.stage_scale(stage)
        name = stage.name or stage.id
        threshold, when = disagreement.threshold, disagreement.when
        if threshold is not None and when is not None:
            self.add(
                self.path(disagreement),
                _(
                    'The disagreement rule of stage "%(stage)s" uses a simple difference and '
                    "conditions at once; clear the simple difference or remove the conditions."
                )
                % {"stage": name},
            )
        elif threshold is None and when is None:
            self.add(
                self.path(disagreement),
                _(
                    'The disagreement rule of stage "%(stage)s" does not say when the judges '
                    "disagree; write a simple difference or add a condition."
                )
                % {"stage": name},
            )
        if threshold is not None and not 0 < threshold <= scale:
            self.add(
                self.path(disagreement, "threshold"),
                _(
                    'The difference %(threshold)s in the disagreement rule of stage "%(stage)s" '
                    "is outside the stage's scale; write a number greater than 0 and at most "
                    "%(scale)s."
                )
                % {"stage": name, "threshold": _num(threshold), "scale": _num(scale)},
            )
        if when is not None:
            self.condition(when, name, scale)

    def condition(self, condition: Condition, stage: str, scale: Decimal) -> None:
        """One comparison, or one of all / any; values on the stage's scale."""
        path = self.path(condition)
        comparisons = condition.comparisons
        combinations = [name for name in ("all", "any") if getattr(condition, name)]
        if condition.measure is not None:
            if combinations or len(comparisons) != 1:
                self.add(
                    path,
                    _(
                        'A condition of the disagreement rule of stage "%(stage)s" on %(measure)s '
                        "needs exactly one comparison: more_than (is more than), at_least (is "
                        "at least), below (is below) or at_most (is at most), and no all or any "
                        "beside it."
                    )
                    % {"stage": stage, "measure": MEASURE_WORDS[condition.measure]},
                )
                return
            name, value = comparisons[0]
            if not 0 <= value <= scale:
                self.add(
                    self.path(condition, name),
                    _(
                        'The value %(value)s is outside the scale of stage "%(stage)s", 0 to '
                        "%(scale)s; write a value between 0 and %(scale)s."
                    )
                    % {"stage": stage, "value": _num(value), "scale": _num(scale)},
                )
            return
        if comparisons:
            self.add(
                path,
                _(
                    'A condition of the disagreement rule of stage "%(stage)s" compares with a '
                    "value but does not say what is compared; add measure: spread (the "
                    "difference between the highest and lowest total), lowest, highest or mean."
                )
                % {"stage": stage},
            )
            return
        if len(combinations) != 1:
            self.add(
                path,
                _(
                    'A condition of the disagreement rule of stage "%(stage)s" must be either '
                    "one comparison (a measure with more_than, at_least, below or at_most) or a "
                    "group: a list under all (every condition holds) or any (at least one "
                    "holds); write one of them."
                )
                % {"stage": stage},
            )
            return
        for inner in (*condition.all, *condition.any):
            self.condition(inner, stage, scale)

    def scales_of(self, stage: Stage) -> set[Decimal]:
        """The scales of the rubrics a stage uses (those that resolve)."""
        ids = {rubric.id for rubric in self.t.rubrics}
        used = {stage.rubric} | {item.rubric for item in stage.rubric_by_category}
        return {self.t.rubric(r).scale for r in used if r in ids} if stage.is_judged else set()

    def stage_scale(self, stage: Stage) -> Decimal:
        """The scale of a stage's scores: its rubrics' (a public-vote stage: the final one)."""
        scales = self.scales_of(stage)
        return scales.pop() if len(scales) == 1 else (
            self.final_scale() if not stage.is_judged else HUNDRED
        )

    def final_scale(self) -> Decimal:
        """The scale of the final score: the weighted stages', else the last judged stage's."""
        judged = [stage for stage in self.t.stages if stage.is_judged]
        weighted = [stage for stage in self.t.weighted_stages if stage.is_judged]
        for stage in weighted or judged[-1:]:
            scales = self.scales_of(stage)
            if len(scales) == 1:
                return scales.pop()
        return HUNDRED

    def selection_scale(self, stage: Stage) -> Decimal:
        """The scale a stage ranks and cuts on: the running total's at a weighted stage."""
        return self.final_scale() if stage.kind == "weighted" else self.stage_scale(stage)

    def stage_scales(self, stage: Stage, label: str) -> None:
        """One scale per stage; weighted and can-only-lower stages share the final one."""
        scales = self.scales_of(stage)
        if len(scales) > 1:
            self.add(
                self.path(stage, "rubric_by_category"),
                _(
                    "%(label)s uses rubrics on different scales (%(scales)s); the rubrics of one "
                    "stage need the same scale."
                )
                % {"label": label, "scales": ", ".join(_num(x) for x in sorted(scales))},
            )
            return
        final = self.final_scale()
        if scales and (stage.kind == "weighted" or stage.can_only_lower):
            scale = scales.pop()
            if scale != final:
                self.add(
                    self.path(stage, "rubric"),
                    _(
                        "%(label)s scores on a scale of %(scale)s, but the final score is on "
                        "%(final)s; weighted and can-only-lower stages use the final score's "
                        "scale."
                    )
                    % {"label": label, "scale": _num(scale), "final": _num(final)},
                )

    def advancement(
        self,
        stage: Stage,
        advance: Advancement,
        previous_cut: tuple[str, dict[str, int]] | None,
    ) -> tuple[str, dict[str, int]] | None:
        """Check one advancement rule; return the counts it admits per unit, when fixed."""
        label = _('Stage "%(name)s"') % {"name": stage.name or stage.id}
        path = self.path(advance)
        if self.reader.failed_under(path):  # a refused value would be misjudged
            return None
        if advance.top_n is not None and advance.quotas:
            self.add(
                path,
                _(
                    "%(label)s has both a number that advances (top N) and quotas; keep one: "
                    "top N for the same number %(scope)s, or quotas for a number of its own in "
                    "each group or category."
                )
                % {"label": label, "scope": SCOPE_WORDS.get(advance.scope, advance.scope)},
            )
            return None
        if advance.multiplier > 1 and advance.top_n is None and not advance.quotas:
            self.add(
                self.path(advance, "multiplier"),
                _(
                    "%(label)s nominates %(k)s × the target but sets no target; write the "
                    "number that advances (top N) or the quotas, or set the multiplier back to 1."
                )
                % {"label": label, "k": advance.multiplier},
            )
        if advance.scope == "group" and not self.t.groups:
            self.add(
                self.path(advance, "scope"),
                _(
                    "%(label)s counts advancement per group, but the rules define no groups; "
                    "count it per category or overall, or define groups (in YAML)."
                )
                % {"label": label},
            )
            return None
        grade = advance.passing_grade
        if grade is not None and grade > self.selection_scale(stage):
            self.add(
                self.path(advance, "passing_grade"),
                _(
                    "%(label)s has a passing grade of %(grade)s, above the highest score "
                    "%(scale)s it ranks by; lower it to at most %(scale)s."
                )
                % {
                    "label": label,
                    "grade": _num(grade),
                    "scale": _num(self.selection_scale(stage)),
                },
            )
        counts: dict[str, int] = {}
        if advance.quotas:
            if advance.scope == "overall":
                self.add(
                    self.path(advance, "quotas"),
                    _(
                        "%(label)s has quotas but counts advancement overall; quotas are per "
                        "group or per category, so count advancement per group or per category."
                    )
                    % {"label": label},
                )
                return None
            section = "groups" if advance.scope == "group" else "categories"
            for quota in advance.quotas:
                if self.ref(advance.scope, section, quota.unit, self.path(quota)):
                    counts[quota.unit] = quota.count * advance.multiplier
        elif advance.top_n is not None:
            counts = {
                unit: advance.top_n * advance.multiplier for unit in self.scope_units(advance.scope)
            }
        else:
            return None
        for unit, count in counts.items():
            self.fits(advance, unit, count, label)
        if previous_cut is not None and previous_cut[0] == advance.scope:
            for unit, count in counts.items():
                before = previous_cut[1].get(unit)
                if before is not None and count > before:
                    self.add(
                        # beside the unit's quota, or the rule as a whole
                        self.path(advance, "quotas", unit)
                        if advance.quotas
                        else self.path(advance),
                        ngettext(
                            "%(label)s lets %(count)s entry of %(unit)s advance, more than the "
                            "%(before)s admitted by the cut before it; a later cut cannot be wider "
                            "than an earlier one.",
                            "%(label)s lets %(count)s entries of %(unit)s advance, more than the "
                            "%(before)s admitted by the cut before it; a later cut cannot be wider "
                            "than an earlier one.",
                            count,
                        )
                        % {
                            "label": label,
                            "count": count,
                            "before": before,
                            "unit": self.unit_label(advance.scope, unit),
                        },
                    )
        return advance.scope, counts

    def fits(self, advance: Advancement, unit: str, count: int, label: str) -> None:
        """A cut must not admit more than a unit with a declared capacity can hold."""
        capacity: int | None
        if advance.scope == "overall":
            capacities = [category.capacity for category in self.t.categories]
            if any(capacity is None for capacity in capacities):
                return
            capacity = sum(capacity or 0 for capacity in capacities)
        else:
            capacity = self.capacity(advance.scope, unit)
        if capacity is not None and count > capacity:
            field = "quotas" if advance.quotas else "top_n"
            self.add(
                self.path(advance, field, unit) if advance.quotas else self.path(advance, field),
                ngettext(
                    "%(label)s lets %(count)s entry of %(unit)s advance, but it holds only "
                    "%(capacity)s; lower the number to at most %(capacity)s.",
                    "%(label)s lets %(count)s entries of %(unit)s advance, but it holds only "
                    "%(capacity)s; lower the number to at most %(capacity)s.",
                    count,
                )
                % {
                    "label": label,
                    "count": count,
                    "capacity": capacity,
                    "unit": self.unit_label(advance.scope, unit),
                },
            )

    # -- tie-break, awards, public, panels -------------------------------------------------

    def tie_break(self) -> None:
        chain = self.t.tie_break
        path = self.path(self.t, "tie_break")
        seen: set[str] = set()
        for index, method in enumerate(chain):
            if method in seen:
                self.add(
                    (*path, index),
                    _('The tie-break method "%(method)s" is listed twice; list it once.')
                    % {"method": method},
                )
            seen.add(method)
        decisive = " or ".join(f'"{method}"' for method in DECISIVE_TIE_BREAKS)
        if not chain or chain[-1] not in DECISIVE_TIE_BREAKS:
            self.add(
                path,
                _(
                    "The tie-break chain must end with %(decisive)s, so that every tie is "
                    "settled; add one at the end."
                )
                % {"decisive": decisive},
            )
        else:
            for index, method in enumerate(chain[:-1]):
                if method in DECISIVE_TIE_BREAKS:
                    self.add(
                        (*path, index),
                        _(
                            'The tie-break method "%(method)s" always settles a tie, so the '
                            "methods after it never apply; put it last."
                        )
                        % {"method": method},
                    )

    def awards(self) -> None:
        awards = self.t.awards
        if awards.ranking == "group" and not self.t.groups:
            self.add(
                self.path(awards, "ranking"),
                _(
                    "Awards are ranked per group, but the rules define no groups; count the final "
                    "ranks per category or overall, or define groups (in YAML)."
                ),
            )
        for tier in awards.tiers:
            self.refs("category", "categories", tier.categories, tier, "categories")
            unknown = sorted(set(re.findall(r"\{([^{}]*)\}", tier.rank_name)) - RANK_NAME_KEYS)
            if unknown:
                self.add(
                    self.path(tier, "rank_name"),
                    _(
                        'The rank name of award tier "%(tier)s" uses {%(name)s}; write {rank} for '
                        "the rank or {place} for the place within the tier."
                    )
                    % {"tier": tier.name or tier.id, "name": unknown[0]},
                )
            if tier.rank_from > tier.rank_to:
                self.add(
                    self.path(tier, "rank_to"),
                    _(
                        'Award tier "%(name)s" runs from rank %(from)s to rank %(to)s; its first '
                        "rank must not be after its last."
                    )
                    % {"name": tier.name or tier.id, "from": tier.rank_from, "to": tier.rank_to},
                )
            elif awards.ranking == "category":
                for category in self.t.categories:
                    if tier.categories and category.id not in tier.categories:
                        continue
                    if category.capacity is not None and tier.rank_to > category.capacity:
                        self.add(
                            self.path(tier, "rank_to"),
                            _(
                                'Award tier "%(name)s" reaches rank %(rank)s, but category '
                                '"%(category)s" holds only %(capacity)s.'
                            )
                            % {
                                "name": tier.name or tier.id,
                                "rank": tier.rank_to,
                                "category": category.name or category.id,
                                "capacity": category.capacity,
                            },
                        )
        for first_index, first in enumerate(awards.tiers):
            for second in awards.tiers[first_index + 1 :]:
                shares_category = (
                    not first.categories
                    or not second.categories
                    or set(first.categories) & set(second.categories)
                )
                if shares_category and (
                    first.rank_from <= second.rank_to and second.rank_from <= first.rank_to
                ):
                    self.add(
                        self.path(second, "rank_from"),
                        _(
                            'Award tiers "%(first)s" and "%(second)s" both cover rank %(rank)s; '
                            "make their rank ranges separate."
                        )
                        % {
                            "first": first.name or first.id,
                            "second": second.name or second.id,
                            "rank": max(first.rank_from, second.rank_from),
                        },
                    )
        self.bands(awards.grades, awards, "grades")
        self.bands(awards.predicates, awards, "predicates")
        self.special_awards()
        if awards.favourite is not None and self.t.public.favourite_vote is None:
            self.add(
                self.path(awards, "favourite"),
                _(
                    "awards.favourite is decided by public votes, but public.favourite_vote is "
                    "missing; add the voting window."
                ),
            )

    def special_awards(self) -> None:
        """Each special award names a judged stage, a criterion of every rubric it reads
        there, categories that stage judges, and only earlier awards (or tiers) to exclude."""
        earlier: set[str] = set()
        stage_ids = {stage.id for stage in self.t.stages}
        for award in self.t.awards.special:
            label = _('Special award "%(name)s"') % {"name": award.name or award.id}
            self.refs("category", "categories", award.categories, award, "categories")
            if self.ref("stage", "stages", award.stage, self.path(award, "stage")) and (
                award.stage in stage_ids
            ):
                self.special_award_stage(award, label)
            for index, key in enumerate(award.exclude):
                if key != "tiers" and key not in earlier:
                    self.add(
                        self.path(award, "exclude", index),
                        _(
                            '%(label)s excludes "%(key)s", which is not a special award listed '
                            "before it; list earlier special awards, or tiers for the holders "
                            "of a rank tier."
                        )
                        % {"label": label, "key": self.name_of("special", key)},
                    )
            earlier.add(award.id)

    def special_award_stage(self, award: Any, label: str) -> None:
        stage = self.t.stage(award.stage)
        if not stage.is_judged:
            self.add(
                self.path(award, "stage"),
                _(
                    '%(label)s is decided at stage "%(stage)s", which is not scored by judges; '
                    "name a judged stage."
                )
                % {"label": label, "stage": stage.name or stage.id},
            )
            return
        judged = self.t.stage_categories(stage)
        rubric_ids = {rubric.id for rubric in self.t.rubrics}
        for category in award.categories or judged:
            if category not in judged:
                if award.categories:
                    self.add(
                        self.path(award, "categories"),
                        _('%(label)s names category "%(category)s", which stage "%(stage)s" '
                          "does not judge.")
                        % {
                            "label": label,
                            "category": self.name_of("category", category),
                            "stage": stage.name or stage.id,
                        },
                    )
                continue
            rubric_id = stage.rubric_for(category)
            if rubric_id is None or rubric_id not in rubric_ids:
                continue
            rubric = self.t.rubric(rubric_id)
            if all(criterion.id != award.criterion for criterion in rubric.criteria):
                self.add(
                    self.path(award, "criterion"),
                    _(
                        '%(label)s rewards criterion "%(criterion)s", which rubric "%(rubric)s" '
                        'used at stage "%(stage)s" does not have; the criteria are %(known)s.'
                    )
                    % {
                        "label": label,
                        "criterion": self.criterion_name(award.criterion),
                        "rubric": rubric.name or rubric.id,
                        "stage": stage.name or stage.id,
                        "known": ", ".join(c.name or c.id for c in rubric.criteria),
                    },
                )
                return

    def bands(self, bands: tuple[ScoreBand, ...], awards: Any, name: str) -> None:
        self.no_repeats(tuple(band.name for band in bands), awards, name, _("band"))
        final = self.final_scale()
        for band in bands:
            for name in ("min", "max"):
                bound = getattr(band, name)
                if bound is not None and bound > final:
                    self.add(
                        self.path(band, name),
                        _(
                            'Band "%(name)s" has a bound of %(bound)s, above the highest final '
                            "score %(scale)s; bounds lie between 0 and %(scale)s."
                        )
                        % {"name": band.name, "bound": _num(bound), "scale": _num(final)},
                    )
            if band.min is not None and band.max is not None and band.min > band.max:
                self.add(
                    self.path(band, "max"),
                    _('Band "%(name)s" runs from %(min)s down to %(max)s; min must not exceed max.')
                    % {"name": band.name, "min": band.min, "max": band.max},
                )
        for first_index, first in enumerate(bands):
            for second in bands[first_index + 1 :]:
                if _bands_overlap(first, second):
                    self.add(
                        self.path(second),
                        _(
                            'Bands "%(first)s" and "%(second)s" overlap, so a score could fall in '
                            "both; make their ranges separate (use min_exclusive or "
                            "max_exclusive at a shared bound)."
                        )
                        % {"first": first.name, "second": second.name},
                    )

    def public(self) -> None:
        public = self.t.public
        if public.uji_publik is not None:
            self.ref(
                "stage",
                "stages",
                public.uji_publik.after_stage,
                self.path(public.uji_publik, "after_stage"),
            )
        vote = public.favourite_vote
        if vote is not None:
            self.window(vote, "start", "end", _("The favourite vote"))
            if self.t.awards.favourite is None:
                self.add(
                    self.path(vote),
                    _(
                        "public.favourite_vote sets a voting window, but there is no "
                        "awards.favourite prize to vote for; add it or remove the window."
                    ),
                )

    def panels(self) -> None:
        for panel in self.t.panels:
            self.refs("stage", "stages", panel.stages, panel, "stages")
            self.no_repeats(panel.unsur, panel, "unsur", _("unsur"))
            chairs = sum(seat.count for seat in panel.seats if seat.role == "ketua")
            if chairs > 1:
                self.add(
                    self.path(panel, "seats"),
                    _('Panel "%(name)s" has %(count)s ketua seats; a panel has one chair.')
                    % {"name": panel.name or panel.id, "count": chairs},
                )
            for seat in panel.seats:
                if panel.unsur and seat.unsur not in panel.unsur:
                    self.add(
                        self.path(seat, "unsur"),
                        _(
                            'The seat\'s unsur "%(unsur)s" is not in the unsur list of panel '
                            '"%(name)s"; add it there or correct it.'
                        )
                        % {"unsur": seat.unsur, "name": panel.name or panel.id},
                    )


def _bands_overlap(first: ScoreBand, second: ScoreBand) -> bool:
    """True when some score lies in both bands (bounds honour their exclusivity)."""
    # first lies wholly below second?
    if first.max is not None and second.min is not None:
        if first.max < second.min or (
            first.max == second.min and (first.max_exclusive or second.min_exclusive)
        ):
            return False
    if second.max is not None and first.min is not None:
        if second.max < first.min or (
            second.max == first.min and (second.max_exclusive or first.min_exclusive)
        ):
            return False
    return True


def check(template: Template, reader: Reader, raw: dict[str, Any]) -> None:
    """Run every cross-field rule on ``template``; problems go to ``reader.problems``."""
    Checker(template, reader, raw).run()


def _num(value: Decimal) -> str:
    """A decimal without exponent or trailing zeros: 95, 99.5."""
    return format(value.normalize(), "f")
