"""Moments as people read them, for the jury pages: the names they use, written by the one
formatter of the project (``sayembara.common.timefmt``): "9 November 2020 pukul 08.00 WIB"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sayembara.common.timefmt import format_datetime, format_day, format_time, format_time_range


def moment_text(value: dt.datetime | None, edition: Any) -> str:
    """``value`` in ``edition``'s zone: date, time and zone (an empty string for None)."""
    return format_datetime(value, edition)


def span_text(start: dt.datetime, end: dt.datetime, edition: Any) -> str:
    """A time slot on one day: "Selasa, 1 Agustus 2017 pukul 08.30–08.50 WIB"."""
    return f"{format_day(start, edition)} {format_time_range(start, end, edition)}"


def clock_text(value: dt.datetime | None, edition: Any) -> str:
    """The time of day in the edition's zone: "pukul 16.30 WITA"."""
    return format_time(value, edition)
