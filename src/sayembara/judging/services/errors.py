"""Errors of the judging services: each carries a full sentence saying what to do."""

from __future__ import annotations


class JudgingError(Exception):
    """A judging request that cannot be carried out; ``str(error)`` says why and what to do.

    ``problems`` maps a field (a criterion key, ``reason``...) to its own sentence when the
    request named several things, so a form can show each message beside its field.
    """

    def __init__(self, message: str, *, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: dict[str, str] = dict(problems or {})


class SheetNotFound(JudgingError):
    """The sheet does not exist or is not the caller's: both answer the same."""


class StaleSheet(JudgingError):
    """The sheet changed since the caller loaded it (another tab or window saved first)."""
