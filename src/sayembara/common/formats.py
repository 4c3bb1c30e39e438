"""Numbers as the active language writes them (``94,98``, ``1.250``, ``55%``).

Every score a person reads (a judge's sheet total, a stage score, the running total a stage
ranks by, a final total) goes through :func:`score`: one rule, so the results page, the
stage pages, the minutes and the draft decree show the same digits (see docs/scoring.md,
"Scores as people read them").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

#: Decimals of every score shown to people, on pages, in documents and in e-mails.
SCORE_PLACES = 3


def rounded(value: Any, places: int = 0) -> Decimal:
    """``value`` (a number, a Decimal, a Fraction or exact text such as ``'242/3'``) rounded
    to ``places`` decimals, halves away from zero. A Fraction is rounded from its exact
    value, never from a value already rounded to fewer digits."""
    if isinstance(value, str) and "/" in value:
        value = Fraction(value)
    if isinstance(value, Fraction):
        scaled = abs(value) * 10**places
        whole = int(scaled + Fraction(1, 2))  # int() floors a positive Fraction
        result = Decimal(whole).scaleb(-places)
        return -result if value < 0 else result
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def number(value: Any, places: int = 0) -> str:
    """A number rounded to ``places`` decimals (halves up), with the language's separators;
    a dash when there is none."""
    if value is None:
        return "—"
    return number_format(rounded(value, places), decimal_pos=places, use_l10n=True,
                         force_grouping=True)


def score(value: Any, exact: str | None = None) -> str:
    """A score as every page and document shows it: the exact value (``exact``, the engine's
    text such as ``'242/3'``, when it is known; else ``value`` as stored) rounded to
    ``SCORE_PLACES`` decimals, halves up, with the language's separators; a dash when there
    is none."""
    if exact:
        return number(Fraction(exact), SCORE_PLACES)
    return number(value, SCORE_PLACES)


def percent(probability: Any) -> str:
    """A probability between 0 and 1 as a whole percentage (``97%``)."""
    if probability is None:
        return "—"
    return _("%(value)s%%") % {"value": number(round(float(probability) * 100))}
