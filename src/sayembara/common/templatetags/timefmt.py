"""Template filters writing dates and times the one way (see ``sayembara.common.timefmt``).

Loaded in every template (``TEMPLATES[...]["OPTIONS"]["builtins"]``)::

    {{ edition.submission_deadline|datetime_in:edition }}   9 November 2020 pukul 23.59 WITA
    {{ saved_at|time_in:edition }}                          pukul 16.30 WITA
    {% time_range slot.starts_at slot.ends_at edition %}       pukul 10.30–11.00 WIB
"""

from django import template

from sayembara.common import timefmt

register = template.Library()


@register.filter
def date_in(value, where=None):
    return timefmt.format_date(value, where)


@register.filter
def day_in(value, where=None):
    return timefmt.format_day(value, where)


@register.filter
def time_in(value, where=None):
    return timefmt.format_time(value, where)


@register.filter
def datetime_in(value, where=None):
    return timefmt.format_datetime(value, where)


@register.simple_tag
def time_range(start, end, where=None):
    return timefmt.format_time_range(start, end, where)
