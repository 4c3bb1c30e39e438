"""Why an entry moved, stored as a code and parameters and written in the reader's language.

A reason the system gives (an entry entering a stage, the administrative check's reasons, the
engine's reason at a stage) is stored as ``reason_code`` and ``reason_params`` on the state
change, and turned into a sentence only when someone reads it: an English page shows English,
an Indonesian page Indonesian. Reasons people type (a comment, a decision) stay their text.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

ENTERED_FIRST_STAGE = "entered_first_stage"
ENTERED_STAGE = "entered_stage"
NOT_SCORED = "not_scored"
ADMIN_CHECK = "admin_check"
ENGINE = "engine"

SENTENCES = {
    ENTERED_FIRST_STAGE: gettext_noop("Entered the first stage."),
    ENTERED_STAGE: gettext_noop("Entered the stage."),
    NOT_SCORED: gettext_noop("Not scored at this stage."),
}


def reason_text(code: str, params: dict[str, Any] | None, fallback: str = "", *,
                edition: Any = None) -> str:
    """The reason in the active language; ``fallback`` (the stored text) for a typed one.
    With the ``edition``, the engine's units are named as people know them (the category's
    name, "all entries of the stage"), never by their keys."""
    params = params or {}
    if code in SENTENCES:
        return _(SENTENCES[code])
    if code == ADMIN_CHECK:
        from sayembara.entries.services.process import describe_check

        return describe_check(params.get("reasons") or [], params.get("note") or "")
    if code == ENGINE and params.get("code") and edition is not None:
        from sayembara.judging.selectors.stage_figures import display_reason, unit_names

        units = getattr(edition, "_unit_names", None)
        if units is None:  # once per edition object, however long the history
            units = edition._unit_names = unit_names(edition)
        return display_reason(params["code"], params.get("params") or {}, units)
    if code == ENGINE and params.get("code"):
        from sayembara.judging.selectors.reasons import translate_reason

        return translate_reason(params["code"], params.get("params") or {})
    return fallback
