"""Fetch objects named in URLs for the permission checks (404 when missing)."""

from django.shortcuts import get_object_or_404

from sayembara.competitions.models import Edition


def edition_from_slug(request, slug: str, **_kwargs):
    return get_object_or_404(Edition.objects.select_related("competition", "organiser"),
                             slug=slug)
