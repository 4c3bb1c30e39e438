"""Fetch the objects named in the jury's URLs for the permission checks.

A signed-in user who may not see an object gets the same 404 as for a missing one; an
anonymous visitor gets ``None`` so that ``requires`` sends them to the login page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404

from sayembara.competitions.models import Edition, Stage, StageRubric
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
    assignment = (
        Assignment.objects.filter(stage_id=stage_id, entry_id=entry_id, judge__user=request.user)
        .select_related("stage", "stage__edition", "judge", "entry", "entry__category",
                        "entry__institution", "entry__group", "entry__edition")
        .prefetch_related(Prefetch("stage__rubric_links",
                                   queryset=StageRubric.objects.select_related("rubric")))
        .first()
    )
    if assignment is None or assignment.entry.edition_id != assignment.stage.edition_id:
        raise Http404
    if conflict_of(judge=assignment.judge, entry=assignment.entry):
        raise Http404
    assignment.judge.edition = assignment.stage.edition
    return Seat(stage=assignment.stage, entry=assignment.entry, judge=assignment.judge)


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


def document_by_pk(request, pk: int, **_kwargs) -> Any:
    """An entry document, for the secretariat's pages on it (its redacted copy)."""
    from sayembara.entries.models import EntryDocument

    document = get_object_or_404(
        EntryDocument.objects.select_related("entry", "entry__edition"), pk=pk)
    document.edition = document.entry.edition
    return document


def field_evidence_by_pk(request, pk: int, **_kwargs) -> Any:
    """A photo or document of a field visit, with its entry and edition for the rules."""
    from sayembara.judging.models import FieldEvidence

    evidence = get_object_or_404(
        FieldEvidence.objects.select_related("visit__entry", "visit__stage__edition"), pk=pk)
    evidence.entry = evidence.visit.entry
    evidence.edition = evidence.visit.stage.edition
    return evidence


def feedback_by_pk(request, pk: int, **_kwargs) -> Any:
    feedback = get_object_or_404(
        Objection.objects.select_related("entry", "entry__edition", "entry__institution"),
        pk=pk,
    )
    feedback.edition = feedback.entry.edition
    return feedback
