"""The entry as its judges read it beside the rubric: proposal, video, documents, signed
statements and self-assessment claims with their evidence.

On a blind reading the participant's identity stays out: no institution, no innovators, no
original file names (the file is named by the entry number and its slot), and the
secretariat's redacted copy of a document where there is one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from sayembara.entries.enums import DocumentKind
from sayembara.entries.models import Entry, EntryDocument, SelfAssessmentClaim
from sayembara.entries.selectors.requirements import upload_slots
from sayembara.entries.validators import INLINE_TYPES
from sayembara.judging.models import RedactedDocument
from sayembara.judging.selectors.reading import neutral_name
from sayembara.template_format.model import Template


@dataclass
class DocumentLink:
    """One file of the entry as a judge sees it in the list."""

    document: EntryDocument
    title: str
    name: str
    file_type: str
    redacted: bool = False

    @property
    def inline(self) -> bool:
        """The browser shows it in a tab (PDF, images); other types are downloaded."""
        return self.file_type in INLINE_TYPES


@dataclass
class ClaimView:
    """A self-assessment answer: the level claimed, the explanation and the evidence."""

    question: str
    criterion_key: str
    claim: SelfAssessmentClaim | None
    evidence: list[DocumentLink] = field(default_factory=list)
    evidence_required: bool = True

    @property
    def claimed_score(self) -> Decimal | None:
        return self.claim.score if self.claim else None


@dataclass
class EntryView:
    entry: Entry
    blind: bool
    sections: list[tuple[str, str]]
    documents: list[DocumentLink]
    statements: list[DocumentLink]
    affirmed: list[str]
    claims: dict[tuple[str, str], ClaimView]
    show_summary: bool

    @property
    def has_files(self) -> bool:
        return bool(self.documents or self.statements)


def _said_in_a_section(summary: str, sections: list[tuple[str, str]]) -> bool:
    """The catalogue's short description repeats a proposal section: every sentence of it is
    in one section (a "Ringkasan" section usually holds the same sentences, and more)."""
    sentences = [" ".join(s.split()) for s in re.split(r"(?<=[.!?])\s+", summary) if s.strip()]
    return any(all(sentence in " ".join(text.split()) for sentence in sentences)
               for _title, text in sections)


def entry_view(*, entry: Entry, template: Template, blind: bool) -> EntryView:
    """What the judge's side of the scoring page shows about ``entry`` (four queries)."""
    form = template.entry_form
    slots = upload_slots(entry.edition, template)
    documents = list(EntryDocument.objects.filter(entry=entry).order_by("kind", "slot",
                                                                          "uploaded_at"))
    redacted = {copy.document_id: copy for copy in RedactedDocument.objects.filter(
        document__entry=entry)} if blind else {}
    links: dict[tuple[str, str], list[DocumentLink]] = {}
    for document in documents:
        slot = slots.get(f"{document.kind}:{document.slot}")
        title = slot.title if slot else document.slot
        if slot is not None and slot.year is not None:
            title = f"{title} ({slot.year})"
        copy = redacted.get(document.pk)
        file_type = copy.file_type if copy else document.file_type
        link = DocumentLink(
            document=document, title=title, file_type=file_type, redacted=copy is not None,
            name=neutral_name(document, file_type) if blind else document.original_name,
        )
        links.setdefault((document.kind, document.slot), []).append(link)
    order = {spec.id: index for index, spec in enumerate(form.documents)}
    document_links = [link for (kind, slot), group in sorted(
        ((key, group) for key, group in links.items() if key[0] == DocumentKind.DOCUMENT),
        key=lambda pair: order.get(pair[0][1], len(order))) for link in group]
    statement_links = [link for statement in form.statements
                       for link in links.get((DocumentKind.STATEMENT, statement.id), [])]
    affirmed_ids = set(entry.affirmations.values_list("statement", flat=True))
    affirmed = [s.title for s in form.statements if not s.document and s.id in affirmed_ids]
    claims_by_item = {claim.item: claim for claim in entry.claims.all()}
    claims = {
        (item.rubric, item.criterion): ClaimView(
            question=item.question, criterion_key=item.criterion,
            claim=claims_by_item.get(item.id),
            evidence=links.get((DocumentKind.EVIDENCE, item.id), []),
            evidence_required=item.evidence_required,
        )
        for item in form.self_assessment
    }
    proposal = entry.proposal or {}
    sections = [(section.title, proposal.get(section.id, "")) for section in form.sections]
    summary = (entry.summary or "").strip()
    show_summary = bool(summary) and not _said_in_a_section(summary, sections)
    return EntryView(entry=entry, blind=blind, sections=[s for s in sections if s[1].strip()],
                     documents=document_links, statements=statement_links, affirmed=affirmed,
                     claims=claims, show_summary=show_summary)

