"""``{{ value|moment:edition }}``: a date and time in the edition's zone, zone written."""

from django import template

from sayembara.common.timetext import clock_text, moment_text, span_text

register = template.Library()


@register.filter
def moment(value, edition):
    return moment_text(value, edition)


@register.simple_tag
def span(start, end, edition):
    """``{% span slot.starts_at slot.ends_at edition %}``: a slot on one day, with its zone."""
    return span_text(start, end, edition)


@register.filter
def clock(value, edition):
    """``{{ value|clock:edition }}``: the time of day with the zone ("pukul 16.30 WITA")."""
    return clock_text(value, edition)
