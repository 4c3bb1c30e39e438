"""Moments as people read them: the date and time in the edition's zone, zone written after
("9 November 2020 pukul 08.00 WIB"), in every language the pages speak."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext


def moment_text(value: dt.datetime | None, edition: Any) -> str:
    """``value`` in ``edition``'s zone: date, time and zone (an empty string for None)."""
    if value is None:
        return ""
    local = timezone.localtime(value, edition.zoneinfo)
    return _("%(date)s at %(time)s %(zone)s") % {
        "date": date_format(local, "j F Y"),
        "time": date_format(local, pgettext("time of day", "H:i")),
        "zone": edition.timezone,
    }


def span_text(start: dt.datetime, end: dt.datetime, edition: Any) -> str:
    """A time slot on one day: "Selasa, 1 Agustus 2017 pukul 08.30–08.50 WIB"."""
    first = timezone.localtime(start, edition.zoneinfo)
    last = timezone.localtime(end, edition.zoneinfo)
    clock = pgettext("time of day", "H:i")
    return _("%(date)s at %(start)s–%(end)s %(zone)s") % {
        "date": date_format(first, "l, j F Y"),
        "start": date_format(first, clock),
        "end": date_format(last, clock),
        "zone": edition.timezone,
    }


def clock_text(value: dt.datetime | None, edition: Any) -> str:
    """The time of day in the edition's zone: "pukul 16.30 WITA"."""
    if value is None:
        return ""
    local = timezone.localtime(value, edition.zoneinfo)
    return _("at %(time)s %(zone)s") % {
        "time": date_format(local, pgettext("time of day", "H:i")), "zone": edition.timezone}
