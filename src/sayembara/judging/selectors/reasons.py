"""The engine's reasons in the user's language.

The engine records a code and parameters with an English sentence (it cannot translate);
the same sentences are msgids here, so the Indonesian translation covers them.
"""

from __future__ import annotations

from functools import lru_cache

from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from sayembara.scoring import REASON_TEXTS

#: The reason code of a result whose reason was stored as a sentence before codes existed;
#: its parameter ``text`` is that sentence, shown as it was written.
TEXT_REASON = "text"

_MSGIDS = [
    gettext_noop("Ranked %(rank)s in %(pool)s, within its %(places)s places."),
    gettext_noop("Ranked %(rank)s in %(pool)s, outside its %(places)s places."),
    gettext_noop("Tied with the last place in %(pool)s and placed ahead by the tie-break "
                 "%(step)s."),
    gettext_noop("Tied with the last place in %(pool)s and placed behind by the tie-break "
                 "%(step)s."),
    gettext_noop("Tied with the last of the %(places)s places in %(pool)s; tied entries are "
                 "all admitted."),
    gettext_noop("Tied with the last place in %(pool)s and the tie-break chain could not "
                 "separate them; admitted together until a decision is recorded."),
    gettext_noop("The score %(score)s is below the passing grade %(grade)s."),
    gettext_noop("The score %(score)s reaches the passing grade %(grade)s."),
    gettext_noop("Every scored entry goes on from this stage."),
    gettext_noop("There are no places for %(unit)s at this stage."),
    gettext_noop("Places at this stage are given per group, and it belongs to no group."),
    gettext_noop("Advanced by decision: %(reason)s"),
    gettext_noop("Stopped by decision: %(reason)s"),
    gettext_noop("Disqualified by decision: %(reason)s"),
    gettext_noop("Not scored: %(counted)s counted judges' sheets, at least %(required)s "
                 "needed."),
    gettext_noop("Not scored: %(counted)s counted judges' sheets, at least %(required)s "
                 "needed (the panel members who recused for a conflict of interest, "
                 "%(recused)s, are not needed)."),
    gettext_noop("Waiting for the scores of this stage."),
    gettext_noop("This stage does not apply to its category; it goes on unchanged."),
]


def translate_reason(code: str, params: dict[str, str]) -> str:
    """The reason's sentence in the active language with its parameters filled in."""
    text = REASON_TEXTS.get(code)
    if text is None:
        return code
    translated = _translated(code, get_language() or "")
    try:
        return translated % params
    except (KeyError, TypeError, ValueError):
        return text % params if params else text


@lru_cache(maxsize=256)
def _translated(code: str, language: str) -> str:
    return _(REASON_TEXTS[code])
