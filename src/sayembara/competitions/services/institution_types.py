"""Matching an edition's institution types to its organiser's registry.

A template names its types (``desa``); the organiser's registry files each institution under
a type (``pemdes``). When they differ nobody can enter under the template's type, so the
organiser maps each unmatched type of the rules onto a type of the registry: the rules are
rewritten (the type's id, and every category, group and mandatory-participant list that
names it), validated and saved like any other change of the rules.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import EditionError, update_rules


def _rename(value: Any, mapping: dict[str, str], key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _rename(v, mapping, k) for k, v in value.items()}
    if isinstance(value, list):
        if key == "institution_types":
            out: list[Any] = []
            for item in value:
                if isinstance(item, dict) and item.get("id") in mapping:
                    item = {**item, "id": mapping[item["id"]]}
                elif isinstance(item, str):
                    item = mapping.get(item, item)
                if item not in out and not (isinstance(item, dict) and any(
                        isinstance(o, dict) and o.get("id") == item.get("id") for o in out)):
                    out.append(item)
            return out
        return [_rename(item, mapping, "") for item in value]
    return value


def map_institution_types(*, edition: Edition, mapping: dict[str, str], actor: Any) -> Edition:
    """Rename the rules' institution types by ``mapping`` (rules id -> registry type)."""
    mapping = {old: new for old, new in mapping.items() if new and new != old}
    if not mapping:
        raise EditionError(_("Choose a registry type for at least one type of the rules."))
    data = _rename(copy.deepcopy(edition.rules), mapping)
    edition = update_rules(edition=edition, data=data, actor=actor)
    record_event(actor=actor, action="edition.institution_types_mapped", obj=edition,
                 after={"mapping": mapping})
    return edition
