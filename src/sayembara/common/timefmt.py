"""One way to write dates and times to people, on pages, in e-mails and in PDFs.

Every moment is shown in the zone of the edition it belongs to (WIB, WITA or WIT) with the
zone written after it, as Indonesian official letters do:

=================  ====================================  ===================================
what               Indonesian                            English
=================  ====================================  ===================================
date               9 November 2020                       9 November 2020
time               pukul 16.30 WITA                      at 16:30 WITA
date and time      9 November 2020 pukul 23.59 WITA      9 November 2020 at 23:59 WITA
time range         pukul 10.30–11.00 WIB                 at 10:30–11:00 WIB
=================  ====================================  ===================================

``where`` is what decides the zone: an edition, an organiser, a zone code ("WITA"), or
None for the platform's own zone (WIB). The templates use the same functions through the
filters ``date_in``, ``day_in``, ``time_in``, ``datetime_in`` and the tag ``time_range``
(``common/templatetags/timefmt.py``, loaded in every template).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

DEFAULT_ZONE = "WIB"


def zone_of(where: Any) -> tuple[ZoneInfo, str]:
    """The zone and its code ("WITA") for an edition, an organiser, a code or None."""
    from sayembara.competitions.enums import ZONEINFO_NAMES, TimeZone

    code = where if isinstance(where, str) else getattr(where, "timezone", None)
    if code not in TimeZone.values:
        edition = getattr(where, "edition", None)  # a stage, a ballot, an entry ...
        code = getattr(edition, "timezone", None) if edition is not None else None
    if code not in TimeZone.values:
        code = DEFAULT_ZONE
    return ZoneInfo(ZONEINFO_NAMES[TimeZone(code)]), code


def _local(moment: dt.datetime, where: Any) -> tuple[dt.datetime, str]:
    zone, code = zone_of(where)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, zone)
    return timezone.localtime(moment, zone), code


def _clock(moment: dt.datetime) -> str:
    # Translators: the clock format (Django date format): Indonesian writes 16.30.
    return date_format(moment, pgettext("clock format", "H:i"))


def format_date(value: dt.date | dt.datetime | None, where: Any = None) -> str:
    """``9 November 2020`` (a moment is first put in the zone of ``where``)."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value, _code = _local(value, where)
    return date_format(value, "j F Y")


def format_day(value: dt.date | dt.datetime | None, where: Any = None) -> str:
    """``Senin, 9 November 2020``."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.datetime):
        value, _code = _local(value, where)
    return date_format(value, "l, j F Y")


def format_time(moment: dt.datetime | None, where: Any = None) -> str:
    """``pukul 16.30 WITA``."""
    if moment is None or moment == "":
        return ""
    local, code = _local(moment, where)
    # Translators: a time of day with its zone, e.g. "pukul 16.30 WITA".
    return _("at %(clock)s %(zone)s") % {"clock": _clock(local), "zone": code}


def format_datetime(moment: dt.datetime | None, where: Any = None) -> str:
    """``9 November 2020 pukul 23.59 WITA``."""
    if moment is None or moment == "":
        return ""
    local, code = _local(moment, where)
    # Translators: a date and a time with its zone, e.g. "9 November 2020 pukul 23.59 WITA".
    return _("%(date)s at %(clock)s %(zone)s") % {
        "date": date_format(local, "j F Y"), "clock": _clock(local), "zone": code}


def format_time_range(start: dt.datetime | None, end: dt.datetime | None,
                      where: Any = None) -> str:
    """``pukul 10.30–11.00 WIB`` (with the date of each end when they are on other days)."""
    if start is None or end is None:
        return format_datetime(start or end, where)
    local_start, code = _local(start, where)
    local_end, _code = _local(end, where)
    if local_start.date() != local_end.date():
        return f"{format_datetime(start, where)} – {format_datetime(end, where)}"
    return _("at %(clock)s %(zone)s") % {
        "clock": f"{_clock(local_start)}\u2013{_clock(local_end)}", "zone": code}
