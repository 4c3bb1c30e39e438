"""Numbers as the active language writes them (``94,98``, ``1.250``, ``55%``)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _


def number(value: Any, places: int = 0) -> str:
    """A number rounded to ``places`` decimals (halves up), with the language's separators;
    a dash when there is none."""
    if value is None:
        return "—"
    rounded = Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(rounded, decimal_pos=places, use_l10n=True, force_grouping=True)


def percent(probability: Any) -> str:
    """A probability between 0 and 1 as a whole percentage (``97%``)."""
    if probability is None:
        return "—"
    return _("%(value)s%%") % {"value": number(round(float(probability) * 100))}
