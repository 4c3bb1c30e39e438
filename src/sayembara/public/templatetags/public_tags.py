"""Small helpers of the public pages."""

from django import template

from sayembara.competitions.services.editions import template_of

register = template.Library()


@register.filter
def has_uji_publik(edition) -> bool:
    """Whether the edition's rules put finalists to a public test (uji publik)."""
    return template_of(edition).public.uji_publik is not None
