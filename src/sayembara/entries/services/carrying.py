"""Carrying an entry into another edition (a later year of the same competition, or the
next level's competition), and what follows the innovation from one entry to the next.

The rules of a carry:

- the institution's one entry: where the new edition allows N entries per institution and
  the institution already has N (drafts included), the carry is refused;
- documents that cover a given year (``year_offset`` in the template) go only into a slot of
  the new form that covers the same year; otherwise they are kept beside the entry as
  "carried over" files and the operator is asked for a new upload, never silently put into
  another year's slot;
- warnings name a title that still names an older year, texts over the new form's word
  limits and any eligibility rule of the new edition the entry does not meet yet;
- the mentoring log stays with the innovation: it is read across every entry the innovation
  was carried through (``mentoring_log``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Category, Edition, Group
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import DocumentKind, EntryState
from sayembara.entries.models import Entry, EntryDocument, Institution, SelfAssessmentClaim
from sayembara.entries.selectors.requirements import UploadSlot, upload_slots
from sayembara.entries.services.entries import EntryStateError, create_entry

_YEAR = re.compile(r"\b(19[89]\d|20\d\d|2100)\b")


@dataclass
class Carried:
    """A carried entry and what its operator should look at before submitting."""

    entry: Entry
    warnings: list[str] = field(default_factory=list)
    uploads_needed: list[str] = field(default_factory=list)


def check_carry(*, entry: Entry, edition: Edition, institution: Institution,
                category: Category, group: Group | None) -> None:
    """Refuse (EntryStateError) a carry the new edition's rules do not allow."""
    if edition.pk == entry.edition_id:
        raise EntryStateError(_("Choose another edition; the entry is already in this one."))
    if institution.organiser_id != edition.organiser_id:
        raise EntryStateError(_("The institution is not in the registry of %(edition)s's "
                                "organiser.") % {"edition": edition})
    if category.edition_id != edition.pk or (group is not None and group.edition_id != edition.pk):
        raise EntryStateError(_("Choose a category and group of %(edition)s.")
                              % {"edition": edition})
    earlier = Entry.objects.filter(edition=edition, carried_from=entry).first()
    if earlier is not None:
        raise EntryStateError(
            _("This entry was already carried into %(edition)s as %(code)s.")
            % {"edition": edition, "code": earlier.code}
        )
    limit = template_of(edition).eligibility.max_entries_per_institution
    if limit is not None:
        codes = list(Entry.objects.filter(edition=edition, institution=institution)
                     .exclude(state=EntryState.WITHDRAWN).order_by("code")
                     .values_list("code", flat=True))
        if len(codes) >= limit:
            raise EntryStateError(_(
                "%(institution)s already has its entry in %(edition)s (%(codes)s); the rules "
                "allow %(limit)s per institution. Withdraw that entry first, or carry this one "
                "for another institution.") % {"institution": institution.name,
                                               "edition": edition.title,
                                               "codes": ", ".join(codes), "limit": limit})


def _normal_title(text: str) -> str:
    return " ".join(_YEAR.sub("", text).casefold().split())


def covered_year(document: EntryDocument, slots: dict[str, UploadSlot]) -> int | None:
    """The year a document covers: recorded at upload, else its slot's year."""
    if document.covers_year is not None:
        return document.covers_year
    slot = slots.get(f"{document.kind}:{document.slot}")
    return slot.year if slot is not None else None


def _place_for(document: EntryDocument, year: int | None, source: UploadSlot | None,
               targets: dict[str, UploadSlot], taken: set[str]) -> UploadSlot | None:
    """The slot of the new form that takes ``document``: the slot of the same id covering
    the same year, else another slot covering that year for the same document (same title
    once years are left out); None when no slot covers the year the document covers."""
    same = targets.get(f"{document.kind}:{document.slot}")
    if same is not None and same.year == year and (same.multiple or same.key not in taken):
        return same
    if year is None or source is None:
        return None
    for slot in targets.values():
        if (slot.kind == document.kind and slot.year == year
                and _normal_title(slot.title) == _normal_title(source.title)
                and (slot.multiple or slot.key not in taken)):
            return slot
    return None


@transaction.atomic
def copy_entry_into(*, entry: Entry, edition: Edition, institution: Institution,
                    category: Category, actor: Any, group: Group | None = None,
                    action: str = "entry.carried") -> Carried:
    """Copy an entry, with its documents, into ``edition`` as a new draft (see the module's
    rules). Proposal sections and self-assessment answers move to the places of the same id;
    signed statements are not carried (they are signed for one edition). Side effects: new
    files under MEDIA_ROOT, the new entry's audit events and an ``action`` event that lists
    the documents placed, set aside and still needed, and the warnings."""
    from sayembara.entries.services.eligibility import check_completeness, check_eligibility

    check_carry(entry=entry, edition=edition, institution=institution, category=category,
                group=group)
    template = template_of(edition)
    new = create_entry(edition=edition, institution=institution, category=category,
                       title=entry.title, actor=actor, group=group,
                       innovators=entry.innovators, summary=entry.summary)
    section_ids = {section.id for section in template.entry_form.sections}
    new.proposal = {key: text for key, text in (entry.proposal or {}).items()
                    if key in section_ids}
    left_out = sorted(set(entry.proposal or {}) - section_ids)
    new.innovation_started_on = entry.innovation_started_on
    new.video_url = entry.video_url
    new.video_seconds = entry.video_seconds
    new.carried_from = entry
    new.save()

    items = {item.id for item in template.entry_form.self_assessment}
    SelfAssessmentClaim.objects.bulk_create(
        SelfAssessmentClaim(entry=new, item=claim.item, level=claim.level, label=claim.label,
                            score=claim.score, note=claim.note)
        for claim in entry.claims.all() if claim.item in items
    )
    result = Carried(entry=new)
    sources = upload_slots(entry.edition)
    targets = upload_slots(edition, template)
    placed: list[str] = []
    aside: list[str] = []
    taken: set[str] = set()
    wanted: set[str] = set()
    for document in entry.documents.exclude(kind=DocumentKind.STATEMENT).order_by("pk"):
        year = covered_year(document, sources)
        source = sources.get(f"{document.kind}:{document.slot}")
        slot = None
        if document.kind != DocumentKind.CARRIED:
            slot = _place_for(document, year, source, targets, taken)
        if slot is not None:
            kind, slot_id = slot.kind, slot.id
            taken.add(slot.key)
            placed.append(document.original_name)
        else:
            same = targets.get(f"{document.kind}:{document.slot}")
            if same is not None and same.year != year:
                wanted.add(same.key)
            kind = DocumentKind.CARRIED
            slot_id = (document.slot if document.kind == DocumentKind.CARRIED
                       else f"{document.kind}:{document.slot}")
            aside.append(document.original_name)
        copy = EntryDocument(
            entry=new, kind=kind, slot=slot_id, original_name=document.original_name,
            file_type=document.file_type, size=document.size, sha256=document.sha256,
            carried_from=document, covers_year=year,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        with document.file.open("rb") as handle:
            copy.file.save(document.original_name, ContentFile(handle.read()), save=False)
        copy.save()
    result.uploads_needed = [
        (_("“%(title)s” covers %(year)s in %(edition)s: upload the document for %(year)s.")
         if slot.year is not None else
         _("“%(title)s” in %(edition)s does not cover a given year: upload the current "
           "document.")) % {"title": slot.title, "year": slot.year, "edition": edition.title}
        for slot in targets.values() if slot.key in wanted - taken
    ]
    result.warnings = carry_warnings(new, template=template)
    result.warnings += [
        refusal.message for refusal in check_completeness(new, template)
        if refusal.rule == _("Word limit")
    ]
    result.warnings += [refusal.message for refusal in check_eligibility(new, template)]
    record_event(actor=actor, action=action, obj=new,
                 before={"entry": entry.pk, "edition": entry.edition.title, "code": entry.code},
                 after={"code": new.code, "documents": placed, "set_aside": aside,
                        "uploads_needed": result.uploads_needed,
                        "warnings": result.warnings, "sections_left_out": left_out})
    return result


def carry_warnings(entry: Entry, *, template: Any = None) -> list[str]:
    """What a carried entry's operator should check that no rule refuses: a title that
    names an earlier year, and files set aside because they cover another year."""
    if entry.carried_from_id is None:
        return []
    template = template or template_of(entry.edition)
    warnings = []
    years = sorted({int(y) for y in _YEAR.findall(entry.title)} - {entry.edition.year})
    if years:
        warnings.append(_(
            "The title “%(title)s” names %(years)s; check that it still fits %(edition)s.")
            % {"title": entry.title, "years": ", ".join(map(str, years)),
               "edition": entry.edition.title})
    for document in entry.documents.filter(kind=DocumentKind.CARRIED,
                                           covers_year__isnull=False):
        warnings.append(_(
            "%(name)s covers %(year)s, so it was not put into a slot of this edition; it stays "
            "here for reference.") % {"name": document.original_name,
                                      "year": document.covers_year})
    return warnings


# --------------------------------------------------------------------------------------------
# The innovation across its entries
# --------------------------------------------------------------------------------------------


def innovation_entries(entry: Entry, *, limit: int = 30) -> list[Entry]:
    """The entries the innovation went through, oldest first: the ones ``entry`` was
    carried from and the ones carried from it, within the same organiser."""
    organiser_id = entry.edition.organiser_id
    chain = [entry]
    current = entry
    while current.carried_from_id and len(chain) < limit:
        current = (Entry.objects.select_related("edition").filter(pk=current.carried_from_id)
                   .first())
        if current is None or current.edition.organiser_id != organiser_id:
            break
        chain.insert(0, current)
    frontier = [entry.pk]
    seen = {e.pk for e in chain}
    while frontier and len(chain) < limit:
        children = list(Entry.objects.select_related("edition")
                        .filter(carried_from_id__in=frontier,
                                edition__organiser_id=organiser_id)
                        .exclude(pk__in=seen))
        chain += children
        seen |= {child.pk for child in children}
        frontier = [child.pk for child in children]
    return chain


def mentoring_log(entry: Entry) -> list[Any]:
    """Every mentoring note of the innovation, newest first, each with its entry."""
    from sayembara.entries.models import MentoringNote

    ids = [e.pk for e in innovation_entries(entry)]
    return list(MentoringNote.objects.filter(entry_id__in=ids)
                .select_related("entry", "entry__edition").order_by("-held_on", "-pk"))
