"""How an award is named to people: the award of one rank and the unit it was won in.

The engine names the award of each rank ("Juara 1", "Juara Harapan 2") from the template's
tiers. Awards are ranked per category, per group or overall (``awards.ranking``), so the
same "Juara 1" is given once in each unit: a certificate, the verification page and any
list that does not already say the unit write it beside the award ("Juara 1, Kategori
Kelurahan").
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from sayembara.competitions.models import Edition


def award_title(label: str, unit: str = "") -> str:
    """``Juara 1, Kategori Kelurahan``; the label alone when it was won overall."""
    if not label or not unit:
        return label
    return _("%(award)s, %(unit)s") % {"award": label, "unit": unit}


def ranking_units(edition: Edition) -> dict[str, str]:
    """Unit id -> name of the units the edition's awards are ranked in (empty: overall)."""
    from sayembara.competitions.services.editions import template_of

    scope = template_of(edition).awards.ranking
    if scope == "category":
        return dict(edition.categories.values_list("key", "name"))
    if scope == "group":
        return dict(edition.groups.values_list("key", "name"))
    return {}


def tier_unit(result: Any, units: dict[str, str]) -> str:
    """The name of the unit a final result's rank (and so its tier award) was counted in."""
    return units.get((result.details or {}).get("unit") or "", "")


def listed_award(result: Any, units: dict[str, str], listed_under: str = "") -> str:
    """The award of a final result in a list grouped under ``listed_under`` (a category
    name): the unit is written only when the list's heading does not already say it."""
    unit = tier_unit(result, units)
    title = award_title(result.award_label, "" if unit == listed_under else unit)
    others = [*favourite_award_of(result), *special_awards_of(result)]
    return "; ".join([title, *others] if title else others)


def favourite_award_of(result: Any) -> list[str]:
    """The public's favourite award a final result holds (its name), if it does."""
    details = result.details or {}
    return [details["favourite_name"]] if details.get("favourite") and \
        details.get("favourite_name") else []


def special_awards_of(result: Any) -> list[str]:
    """The names of the special awards (best on a criterion) a final result holds."""
    return list((result.details or {}).get("special_awards") or ())
