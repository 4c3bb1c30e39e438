"""Errors raised by the scoring engine.

The engine never imports Django, so it cannot translate. Every error therefore carries a
stable ``code`` and the ``params`` of its message besides an English sentence; callers that
talk to users (the ``sayembara rank`` command, the web adapter) translate by code.
"""

from __future__ import annotations

from typing import Any


class ScoringError(ValueError):
    """Base class: ``code`` names the problem, ``params`` fill its message."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        self.code = code
        self.params: dict[str, Any] = params
        super().__init__(message)


class SpecError(ScoringError):
    """The rules handed to the engine are inconsistent (e.g. weights that do not add up)."""


class InputError(ScoringError):
    """The data do not fit the rules (unknown criterion, score out of range, duplicate...).

    ``row`` is the index of the offending row of the :class:`~sayembara.scoring.inputs.ScoreTable`
    when there is one, so a caller that read the rows from a file can name the line.
    """

    def __init__(self, code: str, message: str, *, row: int | None = None, **params: Any) -> None:
        super().__init__(code, message, **params)
        self.row = row


class CalibrationRefused(ScoringError):
    """Calibration is not possible for this design; ``message`` says why."""
