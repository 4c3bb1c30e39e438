"""Rules of a stage written as sentences in the user's language (from the stage's settings,
the template's own words)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.common.formats import number

MEASURES = {
    "spread": gettext_lazy("the difference between the highest and lowest judge's total"),
    "lowest": gettext_lazy("the lowest judge's total"),
    "highest": gettext_lazy("the highest judge's total"),
    "mean": gettext_lazy("the mean of the judges' totals"),
}
COMPARISONS = {
    "more_than": gettext_lazy("%(measure)s is more than %(value)s"),
    "at_least": gettext_lazy("%(measure)s is at least %(value)s"),
    "below": gettext_lazy("%(measure)s is below %(value)s"),
    "at_most": gettext_lazy("%(measure)s is at most %(value)s"),
}


def _value(raw: Any) -> str:
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        return str(raw)
    exponent = value.normalize().as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return number(value, places)


def condition_text(condition: dict[str, Any]) -> str:
    """One condition (a comparison, or all / any of conditions) as a phrase."""
    measure = condition.get("measure")
    if measure:
        for name, template in COMPARISONS.items():
            if condition.get(name) is not None:
                return str(template) % {"measure": MEASURES.get(measure, measure),
                                        "value": _value(condition[name])}
        return ""
    for key, word in (("all", _("and")), ("any", _("or"))):
        if condition.get(key):
            parts = []
            for inner in condition[key]:
                text = condition_text(inner)
                # a nested combination is bracketed so that "and" and "or" never mix unread
                parts.append(f"({text})" if inner.get("all") or inner.get("any") else text)
            return f" {word} ".join(parts)
    return ""


def disagreement_sentence(rule: dict[str, Any] | None) -> str:
    """When the stage's judges disagree, as a sentence; empty without a rule."""
    if not rule:
        return ""
    if rule.get("when"):
        phrase = condition_text(rule["when"])
    elif rule.get("threshold") is not None:
        phrase = str(COMPARISONS["more_than"]) % {"measure": MEASURES["spread"],
                                                  "value": _value(rule["threshold"])}
    else:
        return ""
    if rule.get("third_reviewer"):
        return _("Judges disagree on an entry when %(condition)s; the entry then receives one "
                 "more judge.") % {"condition": phrase}
    return _("Judges disagree on an entry when %(condition)s.") % {"condition": phrase}
