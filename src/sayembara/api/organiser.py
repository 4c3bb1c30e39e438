"""The organiser's API: a token of one organiser reaches that organiser's editions only."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path as FilePath

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import ngettext
from ninja import Path, Query, Router, Status

from sayembara.accounts.enums import TokenScope
from sayembara.api import schemas as s
from sayembara.api.auth import TokenAuth
from sayembara.api.pages import MAX_PAGE, page_of
from sayembara.api.public import edition_brief
from sayembara.common.services.audit import current_head
from sayembara.competitions.models import Edition
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.entries.services.registry import import_registry
from sayembara.entries.services.spreadsheet_import import RegistryImportError
from sayembara.judging.models import Score

router = Router(tags=["organiser"])

READ = TokenAuth(TokenScope.READ)
IMPORT = TokenAuth(TokenScope.IMPORT)
EXPORT = TokenAuth(TokenScope.EXPORT)
ERRORS = {400: s.Problem, 401: s.Problem, 403: s.Problem, 404: s.Problem,
          422: s.ValidationProblem, 429: s.Problem}
PAGE = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
STATES = "|".join(EntryState.values)


def own_edition(request, slug: str) -> Edition:
    """The token's organiser's edition (404 for any other organiser's, as for a missing one)."""
    edition = get_object_or_404(
        Edition.objects.select_related("competition", "organiser"),
        slug=slug, organiser_id=request.auth.organiser_id)
    request.sayembara_api_edition_id = edition.pk
    return edition


@router.get("/editions", auth=READ, response={200: s.OrganiserEditionPage, **ERRORS},
            url_name="organiser_editions", summary="The token's organiser's editions")
def organiser_editions(request, page: int = PAGE):
    from django.db.models import Count

    found = (Edition.objects.filter(organiser_id=request.auth.organiser_id)
             .select_related("competition", "organiser").annotate(entry_count=Count("entries"))
             .order_by("-year", "title", "pk"))
    meta, items = page_of(found, page, 50)
    return {**meta, "items": [{**edition_brief(e), "entries": e.entry_count}
                                   for e in items]}


@router.get("/editions/{slug}/entries", auth=READ, response={200: s.EntryPage, **ERRORS},
            url_name="organiser_entries", summary="An edition's entries and their states")
def organiser_entries(request, slug: str = Path(..., pattern=s.SLUG), page: int = PAGE,
                      state: str = Query("", pattern=rf"^({STATES})?$",
                                         description="Only entries in this state.")):
    edition = own_edition(request, slug)
    found = (Entry.objects.filter(edition=edition)
             .select_related("institution", "category", "group", "current_stage")
             .order_by("code", "pk"))
    if state:
        found = found.filter(state=state)
    meta, items = page_of(found, page, 100)
    return {**meta, "items": [
        {"id": e.pk, "code": e.code, "title": e.title, "institution": e.institution.name,
         "category": e.category.key if e.category else None,
         "group": e.group.key if e.group else None, "state": e.state,
         "current_stage": e.current_stage.key if e.current_stage else None,
         "submitted_at": e.submitted_at, "updated_at": e.updated_at} for e in items]}


@router.get("/editions/{slug}/scores", auth=EXPORT, response={200: s.ScorePage, **ERRORS},
            url_name="organiser_scores", summary="Every score of an edition, by stage")
def organiser_scores(request, slug: str = Path(..., pattern=s.SLUG), page: int = PAGE):
    edition = own_edition(request, slug)
    found = (Score.objects.filter(sheet__stage__edition=edition)
             .select_related("sheet", "sheet__stage", "sheet__judge", "sheet__entry",
                             "criterion")
             .order_by("sheet__stage__order", "sheet__entry__code", "sheet__judge_id",
                       "criterion_id", "pk"))
    meta, items = page_of(found, page, 500)
    return {**meta, "items": [
        {"stage": score.sheet.stage.key, "judge": score.sheet.judge.name,
         "entry": score.sheet.entry.code, "criterion": score.criterion.key,
         "score": None if score.value is None else str(score.value),
         "sheet_status": score.sheet.status} for score in items]}


ZIP = {"content": {"application/zip": {"schema": {"type": "string", "format": "binary"}}},
       "description": "The results bundle (template, inputs, results, manifest)."}


@router.get("/editions/{slug}/bundle", auth=EXPORT, response={409: s.Problem, **ERRORS},
            url_name="organiser_bundle", summary="The results bundle, as a zip",
            openapi_extra={"responses": {200: ZIP}})
def organiser_bundle(request, slug: str = Path(..., pattern=s.SLUG)):
    from sayembara.judging.services.bundle import export_edition_bundle
    from sayembara.judging.services.errors import JudgingError

    edition = own_edition(request, slug)
    with tempfile.TemporaryDirectory() as scratch:
        root = FilePath(scratch) / f"{edition.slug}-bundle"
        try:
            export_edition_bundle(edition=edition, out_dir=root, actor=request.auth.created_by)
        except JudgingError as error:
            return Status(409, {"detail": str(error)})
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                if file.is_file():
                    archive.write(file, FilePath(root.name) / file.relative_to(root))
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-bundle.zip"'
    return response


@router.get("/audit/head", auth=READ, response={200: s.AuditHeadOut, **ERRORS},
            url_name="organiser_audit_head", summary="The audit chain's head")
def organiser_audit_head(request):
    head = current_head()
    return {"seq": head.seq, "hash": head.hash, "at": head.at}


HEADINGS = ["name", "type", "parent", "region code", "e-mail", "title", "category", "group",
            "innovators", "in use since"]
FIELDS = ["name", "type", "parent", "region_code", "email", "title", "category", "group",
          "innovators", "in_use_since"]


@router.post("/registry/import", auth=IMPORT,
             response={200: s.ImportOut, 409: s.Problem, 422: s.ImportRefused | s.ValidationProblem,
                       **{k: v for k, v in ERRORS.items() if k != 422}},
             url_name="organiser_import",
             summary="Import institutions (and entries) with the spreadsheet import's checks")
def organiser_import(request, data: s.ImportIn):
    organiser = request.auth.organiser
    edition = own_edition(request, data.edition) if data.edition else None
    with_entries = any(row.title is not None or row.category is not None for row in data.rows)
    columns = len(HEADINGS) if with_entries else 5
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADINGS[:columns])
    for row in data.rows:
        values = [getattr(row, name) for name in FIELDS[:columns]]
        writer.writerow(["" if v is None else (v.isoformat() if hasattr(v, "isoformat") else v)
                         for v in values])
    name = f"api-{request.auth.prefix}.csv"
    try:
        summary = import_registry(stream=io.BytesIO(text.getvalue().encode("utf-8")),
                                  filename=name, organiser=organiser,
                                  actor=request.auth.created_by, edition=edition,
                                  commit=data.commit)
    except RegistryImportError as error:
        return Status(422, {
            "detail": ngettext("Nothing was imported: %(count)s problem. Correct the row and "
                               "send it again.",
                               "Nothing was imported: %(count)s problems. Correct the rows and "
                               "send them again.", error.total) % {"count": error.total},
            "total": error.total,
            "problems": [{"row": _row_of(p.line), "column": p.column, "value": p.value,
                          "message": p.message} for p in error.problems]})
    return {"committed": summary.committed, "rows": summary.rows,
            "institutions_created": summary.institutions_created,
            "institutions_updated": summary.institutions_updated,
            "institutions_unchanged": summary.institutions_unchanged,
            "entries_created": summary.entries_created, "sha256": summary.sha256}


def _row_of(line: int | None) -> int | None:
    """The index in ``rows`` of a line of the sheet made from them (line 1: the headings)."""
    return None if line is None or line < 2 else line - 2
