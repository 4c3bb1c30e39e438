"""Dates and times are written one way, in the edition's zone, with the zone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from sayembara.common.timefmt import (
    format_date,
    format_datetime,
    format_time,
    format_time_range,
)

UTC = dt.UTC
# 9 November 2020, 23:59 in Makassar (WITA, UTC+8).
MOMENT = dt.datetime(2020, 11, 9, 15, 59, tzinfo=UTC)


@pytest.mark.parametrize(("language", "expected"), [
    ("id", "9 November 2020 pukul 23.59 WITA"),
    ("en", "9 November 2020 at 23:59 WITA"),
])
def test_date_and_time_in_the_zone_with_the_zone(language, expected):
    with translation.override(language):
        assert format_datetime(MOMENT, "WITA") == expected


def test_times_dates_and_ranges_in_indonesian():
    with translation.override("id"):
        assert format_time(MOMENT, "WITA") == "pukul 23.59 WITA"
        assert format_time(MOMENT, "WIB") == "pukul 22.59 WIB"
        assert format_time(MOMENT, "WIT") == "pukul 00.59 WIT"
        assert format_date(MOMENT, "WIT") == "10 November 2020"
        assert format_date(dt.date(2024, 5, 31)) == "31 Mei 2024"
        start = dt.datetime(2020, 11, 9, 3, 30, tzinfo=UTC)
        assert format_time_range(start, start + dt.timedelta(minutes=30), "WIB") == \
            "pukul 10.30–11.00 WIB"
        # An unknown place falls back to the platform's zone, still written out.
        assert format_time(MOMENT, None) == "pukul 22.59 WIB"


def test_template_filters_follow_the_edition(db):
    from tests import factories_public as f

    edition = f.public_edition()  # Mangupura Award: WITA
    template = Template("{{ moment|datetime_in:edition }} | {{ moment|time_in:edition }} | "
                        "{{ moment|date_in:edition }} | {% time_range a b edition %}")
    with translation.override("id"):
        text = template.render(Context({
            "moment": MOMENT, "edition": edition, "a": MOMENT,
            "b": MOMENT + dt.timedelta(minutes=1)}))
    # A range over midnight writes the date at both ends.
    assert text == ("9 November 2020 pukul 23.59 WITA | pukul 23.59 WITA | 9 November 2020 | "
                    "9 November 2020 pukul 23.59 WITA – 10 November 2020 pukul 00.00 WITA")
