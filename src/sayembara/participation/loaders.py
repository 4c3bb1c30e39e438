"""Fetch the objects named in participation URLs for the permission checks (404 if missing)."""

from django.shortcuts import get_object_or_404

from sayembara.accounts.models import Membership
from sayembara.competitions.models import Edition, Organiser
from sayembara.entries.models import (
    DraftCopy,
    Entry,
    EntryDocument,
    Institution,
    Invitation,
    Referral,
)


def entry_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(
        Entry.objects.select_related("edition", "edition__competition", "edition__organiser",
                                     "institution", "institution__parent", "category", "group"),
        pk=pk,
    )


def document_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(
        EntryDocument.objects.select_related("entry", "entry__edition", "entry__institution"),
        pk=pk,
    )


def copy_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(
        DraftCopy.objects.select_related("entry", "entry__edition", "entry__institution"), pk=pk
    )


def edition_from_slug(request, slug: str, **_kwargs):
    return get_object_or_404(Edition.objects.select_related("competition", "organiser"),
                             slug=slug)


def organiser_from_slug(request, slug: str, **_kwargs):
    return get_object_or_404(Organiser, slug=slug)


def institution_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(Institution.objects.select_related("organiser", "parent"), pk=pk)


def membership_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(
        Membership.objects.select_related("user", "institution"), pk=pk,
        institution__isnull=False,
    )


def invitation_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(Invitation.objects.select_related("institution"), pk=pk)


def referral_from_pk(request, pk: int, **_kwargs):
    return get_object_or_404(
        Referral.objects.select_related("entry", "entry__edition", "entry__edition__organiser",
                                        "entry__institution", "entry__category", "to_edition",
                                        "to_edition__organiser", "accepted_entry"),
        pk=pk,
    )
