"""Fetch the objects named in the jury's URLs for the permission checks.

A signed-in user who may not see an object gets the same 404 as for a missing one; an
anonymous visitor gets ``None`` so that ``requires`` sends them to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from sayembara.competitions.models import Edition, Stage
from sayembara.entries.models import Entry
from sayembara.judging.models import Assignment, Judge, Objection, ScoreSheet
from sayembara.judging.services.conflicts import conflict_of


@dataclass
class Seat:
    """A judge's place in front of one entry at one stage (what the scoring pages act on)."""

    stage: Stage
    entry: Entry
    judge: Judge

    @property
    def edition(self) -> Edition:
        return self.stage.edition


def scoring_seat(request, stage_id: int, entry_id: int, **_kwargs) -> Seat | None:
    """The user's seat for the entry at the stage: 404 unless assigned and not conflicted."""
    if not request.user.is_authenticated:
        return None
    stage = Stage.objects.select_related("edition").filter(pk=stage_id).first()
    if stage is None:
        raise Http404
    judge = Judge.objects.filter(edition_id=stage.edition_id, user=request.user).first()
    if judge is None:
        raise Http404
    entry = (Entry.objects.select_related("category", "institution", "group", "edition")
             .filter(pk=entry_id, edition_id=stage.edition_id).first())
    if entry is None or not Assignment.objects.filter(stage=stage, judge=judge,
                                                      entry=entry).exists():
        raise Http404
    if conflict_of(judge=judge, entry=entry):
        raise Http404
    judge.edition = stage.edition
    return Seat(stage=stage, entry=entry, judge=judge)


def sheet_by_pk(request, pk: int, **_kwargs) -> ScoreSheet:
    sheet = get_object_or_404(
        ScoreSheet.objects.select_related("stage", "stage__edition", "judge", "entry",
                                          "entry__category", "entry__institution"),
        pk=pk,
    )
    sheet.edition = sheet.stage.edition
    return sheet


def edition_by_slug(request, slug: str, **_kwargs) -> Edition:
    return get_object_or_404(Edition.objects.select_related("organiser", "competition"),
                             slug=slug)


def stage_by_key(request, slug: str, stage_key: str, **_kwargs) -> Stage:
    return get_object_or_404(Stage.objects.select_related("edition", "edition__organiser"),
                             edition__slug=slug, key=stage_key)


def feedback_by_pk(request, pk: int, **_kwargs) -> Any:
    feedback = get_object_or_404(
        Objection.objects.select_related("entry", "entry__edition", "entry__institution"),
        pk=pk,
    )
    feedback.edition = feedback.entry.edition
    return feedback
