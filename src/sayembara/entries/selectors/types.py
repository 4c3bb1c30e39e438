"""The names people read for institution types (the registry stores the template's id)."""

from __future__ import annotations

from collections.abc import Iterable
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
