"""Fetch the objects named in public URLs (404 when missing or not public)."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from sayembara.documents.selectors.public import public_editions, public_entries
from sayembara.web.loaders import edition_from_slug


def public_edition(request, slug: str, **_kwargs):
    return get_object_or_404(public_editions(), slug=slug)


def public_entry(request, pk: int, **_kwargs):
    return get_object_or_404(
        public_entries().select_related("edition", "edition__organiser", "institution",
                                        "category", "group"),
        pk=pk,
    )


def managed_edition(request, slug: str, **_kwargs):
    """The edition an organiser page works on (permission: competitions.manage_edition)."""
    return edition_from_slug(request, slug)


def managed_comment_edition(request, slug: str, pk: int, **_kwargs):
    """The edition of a comment named in the URL; 404 unless the comment belongs to it."""
    from sayembara.voting.models import Comment

    edition = edition_from_slug(request, slug)
    if not Comment.objects.filter(pk=pk, entry__edition=edition).exists():
        raise Http404
    return edition


def managed_batch_edition(request, slug: str, pk: int, **_kwargs):
    from sayembara.documents.models import CertificateBatch

    edition = edition_from_slug(request, slug)
    if not CertificateBatch.objects.filter(pk=pk, edition=edition).exists():
        raise Http404
    return edition


def managed_stage_edition(request, slug: str, stage: str, **_kwargs):
    edition = edition_from_slug(request, slug)
    if not edition.stages.filter(key=stage).exists():
        raise Http404
    return edition
