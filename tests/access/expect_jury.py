"""Access to the jury's pages (namespace ``jury``): the judge's side and the secretariat's."""

from __future__ import annotations

from tests.access.matrix import PUBLIC, Expect

JUDGES = {"judge", "field_verifier"}
ORGANISER = {"organiser"}


def extend(side):
    """The judge accepts the pledge (so scoring requests reach the checks that follow), the
    stages of the judge's and the verifier's seats are open, a pending invitation and an
    objection exist, and the field verifier's stage is a field
    verification stage (one that can only lower the score)."""
    from sayembara.competitions.models import Stage
    from sayembara.judging.enums import FeedbackKind
    from sayembara.judging.models import Assignment, Invitation, Objection
    from sayembara.judging.services.invitations import invitation_token
    from sayembara.judging.services.judges import accept_pledge

    accept_pledge(judge=side.judge, actor="test")
    # Scoring and reading documents happen only in stages that are open.
    Stage.objects.filter(pk__in=Assignment.objects.filter(entry=side.entry)
                         .values("stage_id")).update(status="open")
    side.stage.refresh_from_db()
    invitation = Invitation.objects.create(judge=side.judge, email=side.judge.user.email)
    side.add("invitation_token", invitation_token(invitation))
    side.add("objection", Objection.objects.create(
        entry=side.entry, kind=FeedbackKind.OBJECTION, name="Warga", email="warga@example.id",
        text="Inovasi ini belum berjalan.", attachment=f"uji-publik/access/{side.name}.pdf"))
    field = Assignment.objects.get(judge=side.verifier)
    stage = Stage.objects.get(pk=field.stage_id)
    stage.settings = {**stage.settings, "field_visit": True}  # as `field_visit: true` writes
    stage.save(update_fields=["settings"])
    side.add("field_stage_id", field.stage_id)
    from sayembara.judging.models import FieldEvidence, FieldVisit

    visit = FieldVisit.objects.create(stage=stage, entry=side.entry)
    side.add("field_evidence", FieldEvidence.objects.create(
        visit=visit, file=f"field-evidence/access/{side.name}.pdf", caption="Papan layanan"))
    from sayembara.entries.models import EntryDocument
    from sayembara.judging.models import RedactedDocument

    document = EntryDocument.objects.create(
        entry=side.entry, kind="document", slot="laporan", original_name="laporan.pdf",
        file=f"documents/access/{side.name}-laporan.pdf", file_type="pdf", size=9, sha256="0")
    side.add("redacted", RedactedDocument.objects.create(
        document=document, file=f"redacted/access/{side.name}.pdf", file_type="pdf", size=9,
        sha256="0"))


def _seat(side):
    return {"stage_id": side.stage.pk, "entry_id": side.entry.pk}


def _field_seat(side):
    return {"stage_id": side.field_stage_id, "entry_id": side.entry.pk}


def _field_evidence_file(side):
    """Write the field evidence's file into this test's MEDIA_ROOT; no query string."""
    from django.core.files.base import ContentFile

    storage = side.field_evidence.file.storage
    if not storage.exists(side.field_evidence.file.name):
        storage.save(side.field_evidence.file.name, ContentFile(b"%PDF-1.4\n"))
    return {}


def _redacted_file(side):
    """Write the redacted copy's file into this test's MEDIA_ROOT; no query string."""
    from django.core.files.base import ContentFile

    storage = side.redacted.file.storage
    if not storage.exists(side.redacted.file.name):
        storage.save(side.redacted.file.name, ContentFile(b"%PDF-1.4\n"))
    return {}


def _edition(side):
    return {"slug": side.edition.slug}


def _stage(side):
    return {"slug": side.edition.slug, "stage_key": side.stage.key}


def _full_sheet(side):
    """Every criterion of the entry's rubric at its highest score (a submittable sheet)."""
    rubric = side.stage.rubric_for(side.entry.category_id)
    data = {"version": side.sheet.version}
    for criterion in rubric.criteria.prefetch_related("levels"):
        if criterion.kind == "checklist":
            data[f"checklist-{criterion.key}"] = "1"
        else:
            data[f"score-{criterion.key}"] = str(criterion.max_score)
    return data


def _one_score(side):
    criterion = side.stage.rubric_for(side.entry.category_id).criteria.first()
    return {"version": side.sheet.version, f"score-{criterion.key}": str(criterion.max_score)}


def _attachment_file(side):
    """Write the objection's attachment into this test's MEDIA_ROOT (the world is built
    before the per-test upload folder exists); no query string is sent."""
    from django.core.files.base import ContentFile

    storage = side.objection.attachment.storage
    if not storage.exists(side.objection.attachment.name):
        storage.save(side.objection.attachment.name, ContentFile(b"%PDF-1.4\n"))
    return {}


EXPECT = {
    "jury:home": Expect(allow=JUDGES, note="A judge's or field verifier's own assignments."),
    "jury:invitation": Expect(
        kwargs=lambda side: {"token": side.invitation_token}, allow=PUBLIC,
        note="The signed token in the invitation e-mail is the key; no sign-in needed."),
    "jury:pledge": Expect(kwargs=_edition, allow=JUDGES),
    "jury:sheet": Expect(kwargs=_seat, allow={"judge"},
                         note="Only the assigned, unconflicted judge; everyone else gets 404."),
    "jury:sheet_autosave": Expect(kwargs=_seat, method="POST", data=_one_score,
                                  allow={"judge"}),
    "jury:sheet_submit": Expect(kwargs=_seat, method="POST",
                                data=lambda side: {**_full_sheet(side), "confirmed": "1"},
                                allow={"judge"}),
    "jury:conflict_declare": Expect(kwargs=_seat, allow={"judge"}),
    "jury:field_visit": Expect(kwargs=_field_seat, allow={"field_verifier"},
                               note="The field verifier assigned to the entry at that stage."),
    "jury:field_evidence": Expect(kwargs=_field_seat, method="POST", data={},
                                  allow={"field_verifier"}),
    "jury:sheet_detail": Expect(kwargs=lambda side: {"pk": side.sheet.pk},
                                allow={"judge", "organiser"},
                                note="The sheet's own judge and the secretariat only."),
    "jury:manage": Expect(kwargs=_edition, allow=ORGANISER),
    "jury:judges": Expect(kwargs=_edition, allow=ORGANISER),
    "jury:judge_invite": Expect(
        kwargs=lambda side: {"slug": side.edition.slug, "judge_id": side.judge.pk},
        method="POST", data={"email": "juri@example.go.id"}, allow=ORGANISER),
    "jury:conflicts": Expect(kwargs=_edition, allow=ORGANISER),
    "jury:final_results": Expect(kwargs=_edition, allow={"organiser", "auditor"}),
    "jury:objections": Expect(kwargs=_edition, allow=ORGANISER),
    "jury:final_tie": Expect(kwargs=_edition, allow=ORGANISER),
    "jury:ruling": Expect(kwargs=lambda side: {"pk": side.objection.pk}, allow=ORGANISER),
    "jury:objection_attachment": Expect(
        kwargs=lambda side: {"pk": side.objection.pk}, data=_attachment_file, allow=ORGANISER,
        note="The file sent with an objection: the edition's organiser only."),
    "jury:field_evidence_file": Expect(
        kwargs=lambda side: {"pk": side.field_evidence.pk}, data=_field_evidence_file,
        allow={"organiser", "judge", "field_verifier"},
        note="A field visit's photo or document: the entry's judges and the secretariat."),
    "jury:redacted_copy": Expect(
        kwargs=lambda side: {"pk": side.redacted.document_id}, data=_redacted_file,
        allow=ORGANISER,
        note="The secretariat's redacted copy of a document (judges read it through "
             "participation:document on blind stages)."),
    "jury:correct_score": Expect(kwargs=lambda side: {"pk": side.sheet.pk}, allow=ORGANISER),
    "jury:stage_panel": Expect(kwargs=_stage, allow=ORGANISER),
    "jury:stage_progress": Expect(kwargs=_stage, allow=ORGANISER),
    "jury:remind": Expect(kwargs=_stage, method="POST", allow=ORGANISER),
    "jury:schedule": Expect(kwargs=_stage, allow=ORGANISER),
    "jury:field_minutes": Expect(kwargs=_stage, allow=ORGANISER),
    "jury:stage_results": Expect(kwargs=_stage, allow=ORGANISER,
                                 note="Also the chair of the stage's jury; before it opens, a page "
                                      "saying when (tests/jury/test_scoring_pages.py)."),
    "jury:stage_compute": Expect(kwargs=_stage, method="POST", allow=ORGANISER),
    "jury:stage_open": Expect(kwargs=_stage, method="POST", allow=ORGANISER),
    "jury:stage_close": Expect(kwargs=_stage, allow=ORGANISER),
    "jury:stage_decide": Expect(kwargs=_stage, method="POST",
                                data=lambda side: {"entry": side.entry.pk,
                                                   "decision": "advance", "reason": "Uji"},
                                allow=ORGANISER),
    "jury:stage_confirm": Expect(kwargs=_stage, method="POST", allow=ORGANISER),
}
