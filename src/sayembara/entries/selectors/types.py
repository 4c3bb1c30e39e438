"""The names people read for institution types (the registry stores the template's id)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


def institution_type_names(editions: Iterable[Any]) -> dict[str, str]:
    """Institution type id -> the name the editions' templates give it (the first found)."""
    from sayembara.competitions.services.editions import template_of

    names: dict[str, str] = {}
    for edition in editions:
        for kind in template_of(edition).institution_types:
            names.setdefault(kind.id, kind.name)
    return names


def organiser_type_names(organiser: Any) -> dict[str, str]:
    """Type names from the organiser's editions, the newest first."""
    return institution_type_names(organiser.editions.order_by("-year", "-pk"))


def type_label(kind: str, names: dict[str, str]) -> str:
    """The type's name; a type no template names is written out from its id."""
    return names.get(kind) or kind.replace("_", " ").capitalize()


def type_choices(organiser: Any) -> list[tuple[str, str]]:
    """The institution types a unit of ``organiser`` may have: those its editions' templates
    name and those its registry already uses, by name."""
    from sayembara.entries.models import Institution

    names = organiser_type_names(organiser)
    kinds = dict.fromkeys(names)
    kinds.update(dict.fromkeys(Institution.objects.filter(organiser=organiser)
                               .values_list("kind", flat=True).distinct().order_by("kind")))
    return sorted(((kind, type_label(kind, names)) for kind in kinds if kind),
                  key=lambda pair: pair[1].lower())


def warn_type_mismatches(request: Any, organiser: Any, editions: Any = None) -> None:
    """A warning on the next page for each open edition whose rules name a type no
    institution of the registry has (after an edition is created or the registry changes)."""
    from django.contrib import messages
    from django.urls import reverse
    from django.utils.html import format_html
    from django.utils.translation import gettext as _

    from sayembara.competitions.enums import EditionStatus

    if editions is None:
        editions = organiser.editions.exclude(status__in=[EditionStatus.FINISHED,
                                                          EditionStatus.PUBLISHED])
    for edition in editions:
        check = check_types(edition)
        if check.ok:
            continue
        messages.warning(request, format_html(
            '{} <a href="{}">{}</a>',
            _("%(edition)s: no institution of the registry has the type %(types)s of its "
              "rules.") % {"edition": edition.title,
                           "types": ", ".join(f"“{name}”" for _id, name in check.unmatched)},
            reverse("web:rules_types", kwargs={"slug": edition.slug}),
            _("Map the types")))


@dataclass
class TypeCheck:
    """How an edition's institution types meet its organiser's registry."""

    #: (id, name) of the template's types that no institution of the registry has.
    unmatched: list[tuple[str, str]]
    #: (kind, number of institutions) in the registry that the template does not name.
    unknown: list[tuple[str, int]]

    @property
    def ok(self) -> bool:
        return not self.unmatched


def check_types(edition: Any) -> TypeCheck:
    """The template's types against the registry: a type no institution has means nobody can
    enter under it (e.g. a template that says ``desa`` where the registry says ``pemdes``)."""
    from django.db.models import Count

    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.models import Institution

    counts = dict(Institution.objects.filter(organiser_id=edition.organiser_id, is_active=True)
                  .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    types = template_of(edition).institution_types
    ids = {kind.id for kind in types}
    if not counts:
        return TypeCheck(unmatched=[], unknown=[])  # an empty registry: nothing to compare yet
    return TypeCheck(
        unmatched=[(kind.id, kind.name) for kind in types if kind.id not in counts],
        unknown=sorted((kind, n) for kind, n in counts.items() if kind not in ids),
    )
