"""Creating editions from templates and keeping their rules consistent.

An edition's rules live in ``Edition.rules`` as validated template data; the rows that
entries and scores point at (categories, groups, rubrics, criteria, stages, award tiers,
timeline) are materialised from them here and nowhere else.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import (
    AwardTier,
    Category,
    Competition,
    Criterion,
    CriterionLevel,
    Edition,
    Group,
    Organiser,
    Rubric,
    RulesReopening,
    Stage,
    StageRubric,
    TimelinePhase,
)
from sayembara.template_format import Problem, TemplateError
from sayembara.template_format.model import SLUG_RE, Template


class EditionError(Exception):
    """A request about an edition that cannot be carried out; the message says why."""


def template_of(edition: Edition) -> Template:
    """The validated template of an edition's current rules.

    Kept on the instance, and between requests while the rules are the same (validating
    the rules costs more than most pages' queries).
    """
    cached = getattr(edition, "_template_cache", None)
    if cached is not None and cached[0] == edition.rules_version:
        return cached[1]
    text = json.dumps(edition.rules, ensure_ascii=False, default=str)
    template = _validated_rules(edition.pk, edition.rules_version, text)
    edition._template_cache = (edition.rules_version, template)
    return template


@functools.lru_cache(maxsize=64)
def _validated_rules(edition_id: int | None, rules_version: int, rules_text: str) -> Template:
    """Validated rules by their exact text (key order kept: it orders the template)."""
    from sayembara.template_format import validate_data

    return validate_data(json.loads(rules_text))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def rules_data(template: Template) -> dict[str, Any]:
    """The template as JSON-safe data for ``Edition.rules`` (dates as ISO text, key order
    kept); ``validate_data`` reads it back to an equal template."""
    return _jsonable(template.to_data())


def get_or_create_organiser(*, name: str, actor: Any, timezone_code: str = "WIB",
                            region_name: str = "") -> Organiser:
    slug = slugify(name)[:80] or "penyelenggara"
    organiser = Organiser.objects.filter(slug=slug).first()
    if organiser is not None:
        return organiser
    organiser = Organiser.objects.create(
        name=name, slug=slug, timezone=timezone_code, region_name=region_name
    )
    record_event(actor=actor, action="organiser.created", obj=organiser,
                 after={"name": name, "timezone": timezone_code})
    return organiser


def _aware(template: Template, day: dt.date | None, *, end: bool = False) -> dt.datetime | None:
    if day is None:
        return None
    moment = dt.datetime.combine(day, dt.time(23, 59, 59) if end else dt.time(0, 0))
    return template.localize(moment)


@transaction.atomic
def create_edition(
    *,
    template: Template,
    year: int,
    organiser: Organiser,
    actor: Any,
    title: str | None = None,
    time_zone: str | None = None,
    competition_name: str | None = None,
) -> Edition:
    """Create the edition of ``template`` for ``year`` with its rules materialised.

    Refuses (EditionError) when the competition already has an edition that year; nothing
    existing is touched then. Dates of the template move to ``year``; ``time_zone`` (WIB,
    WITA or WIT) replaces the template's, its wall-clock times kept. With
    ``competition_name`` the edition belongs to the organiser's competition of that name
    (created when new, with its own short name) instead of the template's: the rules are a
    copy of the template renamed after it.
    """
    shifted = template.shifted_to_year(year)
    if time_zone and time_zone != shifted.time_zone:
        shifted = dataclasses.replace(shifted, time_zone=time_zone)
    name = " ".join((competition_name or "").split())
    if name and name != shifted.competition:
        if not slugify(name):
            raise EditionError(_("The competition's name needs at least one letter or "
                                 "digit."))
        slug = slugify(name)[:80].strip("-")
        shifted = dataclasses.replace(
            shifted, competition=name, organiser=organiser.name,
            name=slug if SLUG_RE.match(slug) else f"lomba-{slug}"[:80], title=f"{name} {year}")
    competition_slug = slugify(shifted.competition)[:80]
    competition, created = Competition.objects.get_or_create(
        organiser=organiser,
        slug=competition_slug,
        defaults={"name": shifted.competition, "description": shifted.description},
    )
    if created:
        record_event(actor=actor, action="competition.created", obj=competition,
                     after={"name": competition.name, "organiser": organiser.name})
    if Edition.objects.filter(competition=competition, year=year).exists():
        raise EditionError(
            _("%(competition)s already has an edition for %(year)s. Open that edition, or "
              "choose another year.") % {"competition": competition.name, "year": year}
        )
    slug = slugify(f"{competition_slug}-{year}")[:100]
    suffix = 2
    while Edition.objects.filter(slug=slug).exists():
        slug = slugify(f"{competition_slug}-{organiser.slug}-{year}-{suffix}")[:100]
        suffix += 1
    edition = Edition.objects.create(
        competition=competition,
        organiser=organiser,
        year=year,
        title=title or shifted.title,
        slug=slug,
        timezone=shifted.time_zone,
        template_name=template.name,
        rules=rules_data(shifted),
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    materialise_rules(edition=edition, template=shifted)
    record_event(
        actor=actor,
        action="edition.created",
        obj=edition,
        after={"template": template.name, "year": year, "title": edition.title},
    )
    return edition


def _sync(model, existing: dict, key: str, defaults: dict, **lookup):
    """Update the row with ``key`` in ``existing`` or create it; returns the row."""
    row = existing.pop(key, None)
    if row is None:
        return model.objects.create(key=key, **lookup, **defaults)
    changed = [name for name, value in defaults.items() if getattr(row, name) != value]
    for name in changed:
        setattr(row, name, defaults[name])
    if changed:
        row.save(update_fields=changed)
    return row


@transaction.atomic
def materialise_rules(*, edition: Edition, template: Template) -> None:
    """Make the edition's rows match ``template`` (rows are matched by their key)."""
    edition.submission_deadline = template.submission_deadline
    first_phase = min((p.start for p in template.timeline.phases), default=None)
    edition.submission_opens_at = _aware(template, first_phase)
    edition.timezone = template.time_zone
    edition.save(update_fields=["submission_deadline", "submission_opens_at", "timezone"])

    phases = {p.key: p for p in edition.timeline.all()}
    for order, phase in enumerate(template.timeline.phases):
        _sync(TimelinePhase, phases, phase.id,
              {"label": phase.name, "starts_on": phase.start, "ends_on": phase.end,
               "order": order}, edition=edition)
    for leftover in phases.values():
        leftover.delete()

    categories = {c.key: c for c in edition.categories.all()}
    category_rows = {}
    for order, category in enumerate(template.categories):
        category_rows[category.id] = _sync(
            Category, categories, category.id,
            {"name": category.name, "description": category.description,
             "institution_types": list(category.institution_types), "order": order},
            edition=edition,
        )
    groups = {g.key: g for g in edition.groups.all()}
    for order, group in enumerate(template.groups):
        _sync(Group, groups, group.id,
              {"name": group.name, "description": group.description,
               "reserved_for": group.past_winners.to_data() if group.past_winners else {},
               "order": order}, edition=edition)

    rubrics = {r.key: r for r in edition.rubrics.all()}
    rubric_rows = {}
    for rubric in template.rubrics:
        row = _sync(Rubric, rubrics, rubric.id,
                    {"name": rubric.name, "missing_policy": rubric.missing}, edition=edition)
        rubric_rows[rubric.id] = row
        criteria = {c.key: c for c in row.criteria.all()}
        for order, criterion in enumerate(rubric.criteria):
            crow = _sync(
                Criterion, criteria, criterion.id,
                {"name": criterion.name, "description": criterion.description,
                 "kind": criterion.kind, "weight": criterion.weight,
                 "min_score": criterion.scale_min, "max_score": criterion.scale_max,
                 "order": order},
                rubric=row,
            )
            crow.levels.all().delete()
            levels = [
                CriterionLevel(criterion=crow, value=level.score, label=level.label,
                               evidence=level.evidence)
                for level in criterion.levels
            ] + [
                CriterionLevel(criterion=crow, value=band.min, label=f"{band.min}–{band.max}",
                               description=band.text)
                for band in criterion.descriptors
            ]
            CriterionLevel.objects.bulk_create(levels)
        for leftover in criteria.values():
            leftover.delete()

    stages = {s.key: s for s in edition.stages.all()}
    for order, stage in enumerate(template.stages):
        settings_data = _jsonable(stage.to_data())
        srow = _sync(
            Stage, stages, stage.id,
            {"name": stage.name, "order": order, "kind": stage.kind, "weight": stage.weight,
             "source": stage.score_source, "can_only_lower": stage.can_only_lower,
             "blind": stage.blind, "judges_see_others": stage.judges_see_others,
             "starts_at": _aware(template, stage.start),
             "ends_at": _aware(template, stage.end, end=True),
             "settings": settings_data},
            edition=edition,
        )
        srow.rubric_links.all().delete()
        links = []
        if stage.rubric:
            links.append(StageRubric(stage=srow, category=None, rubric=rubric_rows[stage.rubric]))
        for variant in stage.rubric_by_category:
            links.append(StageRubric(stage=srow, category=category_rows[variant.category],
                                     rubric=rubric_rows[variant.rubric]))
        StageRubric.objects.bulk_create(links)
    for leftover in stages.values():
        leftover.delete()
    for leftover in rubrics.values():
        leftover.delete()

    edition.award_tiers.all().delete()
    tiers = []
    for order, tier in enumerate(template.awards.tiers):
        targets = [category_rows[c] for c in tier.categories] or [None]
        for category in targets:
            tiers.append(AwardTier(
                edition=edition, key=tier.id, name=tier.name, rank_from=tier.rank_from,
                rank_to=tier.rank_to, trophy=tier.trophy, certificate=tier.certificate,
                prize=tier.prize, category=category, order=order,
            ))
    AwardTier.objects.bulk_create(tiers)
    for leftover in groups.values():
        leftover.delete()
    for leftover in categories.values():
        leftover.delete()


def _in_use_problems(edition: Edition, template: Template) -> list[Problem]:
    """Rows the new rules would remove although entries or scores refer to them."""
    from django.db.models import Count

    problems: list[Problem] = []
    category_ids = {category.id for category in template.categories}
    for row in edition.categories.annotate(n=Count("entries")).filter(n__gt=0):
        if row.key not in category_ids:
            problems.append(Problem(line=None, path="categories", message=ngettext(
                'Category "%(name)s" cannot be removed: %(count)s entry is in it. Keep the '
                "category, or move the entry to another category first.",
                'Category "%(name)s" cannot be removed: %(count)s entries are in it. Keep the '
                "category, or move its entries to another category first.", row.n,
            ) % {"name": row.name or row.key, "count": row.n}))
    group_ids = {group.id for group in template.groups}
    for row in edition.groups.annotate(n=Count("entries")).filter(n__gt=0):
        if row.key not in group_ids:
            problems.append(Problem(line=None, path="groups", message=ngettext(
                'Group "%(name)s" cannot be removed: %(count)s entry is in it. Keep the '
                "group, or move the entry to another group first.",
                'Group "%(name)s" cannot be removed: %(count)s entries are in it. Keep the '
                "group, or move its entries to another group first.", row.n,
            ) % {"name": row.name or row.key, "count": row.n}))
    stage_ids = {stage.id for stage in template.stages}
    used_stages = edition.stages.annotate(
        n=Count("assignments", distinct=True) + Count("sheets", distinct=True)
        + Count("results", distinct=True)
    ).filter(n__gt=0)
    for row in used_stages:
        if row.key not in stage_ids:
            problems.append(Problem(line=None, path="stages", message=_(
                'Stage "%(name)s" cannot be removed: judges are assigned to it or have scored '
                "in it. Keep the stage, or withdraw its assignments and scores first."
            ) % {"name": row.name or row.key}))
    criterion_ids = {(rubric.id, c.id) for rubric in template.rubrics for c in rubric.criteria}
    used_criteria = (
        Criterion.objects.filter(rubric__edition=edition)
        .annotate(n=Count("scores")).filter(n__gt=0).select_related("rubric")
    )
    for row in used_criteria:
        if (row.rubric.key, row.key) not in criterion_ids:
            problems.append(Problem(line=None, path="rubrics", message=_(
                'Criterion "%(name)s" of rubric "%(rubric)s" cannot be removed: judges have '
                "already scored it. Keep it (a weight of 0 takes it out of the total)."
            ) % {"name": row.name or row.key, "rubric": row.rubric.name or row.rubric.key}))
    return problems


@transaction.atomic
def update_rules(*, edition: Edition, data: dict, actor: Any, reason: str = "") -> Edition:
    """Replace the edition's rules with ``data`` after validating it like a template file.

    Raises ``TemplateError`` for invalid data (each problem with its field path), also when
    the change would remove a category, group, stage or criterion that entries or scores
    refer to, and EditionError when the rules are frozen or the year would change. While a
    reopening is open its reason is recorded with the change. Side effect: the rows are
    materialised again and an ``edition.rules_changed`` audit event holds before and after.
    """
    from sayembara.template_format import validate_data

    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if edition.rules_frozen:
        raise EditionError(
            _("The rules of %(edition)s are frozen because entries, scores or votes exist. "
              "Reopen them first and say what the change affects.") % {"edition": edition}
        )
    template = validate_data(data, source=edition.slug)
    if template.year != edition.year:
        raise EditionError(
            _("The rules say year %(given)s but this is the %(year)s edition; keep year: "
              "%(year)s (create a new edition for another year).")
            % {"given": template.year, "year": edition.year}
        )
    problems = _in_use_problems(edition, template)
    if problems:
        raise TemplateError(problems, source=edition.slug)
    if not reason:
        reopening = edition.reopenings.filter(closed_at__isnull=True).first()
        reason = reopening.reason if reopening is not None else ""
    before = edition.rules
    edition.rules = rules_data(template)
    if edition.rules == before:
        return edition
    edition.rules_version += 1
    edition.save(update_fields=["rules", "rules_version"])
    materialise_rules(edition=edition, template=template)
    record_event(actor=actor, action="edition.rules_changed", obj=edition,
                 before=before, after=edition.rules, reason=reason)
    return edition


@transaction.atomic
def freeze_rules(*, edition: Edition, actor: Any, cause: str) -> None:
    """Freeze the rules (idempotent): called with the first entry, score or vote, and when
    the organiser ends a reopening. Closes any open reopening; records
    ``edition.rules_frozen`` when the rules were not frozen yet."""
    now = timezone.now()
    updated = Edition.objects.filter(pk=edition.pk, rules_frozen_at__isnull=True).update(
        rules_frozen_at=now
    )
    if updated:
        RulesReopening.objects.filter(edition_id=edition.pk, closed_at__isnull=True).update(
            closed_at=now
        )
        edition.refresh_from_db(fields=["rules_frozen_at"])
        record_event(actor=actor, action="edition.rules_frozen", obj=edition,
                     after={"cause": cause})


@transaction.atomic
def reopen_rules(*, edition: Edition, actor: Any, reason: str, affects: str) -> RulesReopening:
    """Unfreeze the rules for a change, recording why and what it affects.

    Refused (EditionError) without a reason and what it affects, or when the rules are not
    frozen. The rules freeze again with the next entry, score or vote, or when the organiser
    ends the reopening (``freeze_rules``).
    """
    if not reason.strip() or not affects.strip():
        raise EditionError(
            _("Say why the rules are reopened and what the change affects (entries, scores "
              "already given, results).")
        )
    edition = Edition.objects.select_for_update().get(pk=edition.pk)
    if not edition.rules_frozen:
        raise EditionError(
            _("The rules of %(edition)s are not frozen; they can be changed directly.")
            % {"edition": edition}
        )
    reopening = RulesReopening.objects.create(
        edition=edition, actor=actor if getattr(actor, "pk", None) else None,
        reason=reason.strip(), affects=affects.strip(),
    )
    edition.rules_frozen_at = None
    edition.save(update_fields=["rules_frozen_at"])
    record_event(actor=actor, action="edition.rules_reopened", obj=edition,
                 after={"affects": reopening.affects}, reason=reopening.reason)
    return reopening
