"""What an edition's template asks of an entry: sections, uploads, statements and claims."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import DocumentKind
from sayembara.entries.validators import FILE_TYPES
from sayembara.template_format.model import EvidenceLevel, SelfAssessmentItem, Template

#: Signed statements: a scan or a PDF.
STATEMENT_KINDS: tuple[str, ...] = ("pdf", "jpg", "png")
#: Evidence of a self-assessment level: any accepted document or image.
EVIDENCE_KINDS: tuple[str, ...] = tuple(FILE_TYPES)
#: Size limit of statements and evidence, which the template format does not set.
DEFAULT_MAX_SIZE_MB = Decimal(20)


@dataclass(frozen=True)
class UploadSlot:
    """One place in the entry form that takes files."""

    kind: str
    id: str
    title: str
    kinds: tuple[str, ...]
    max_size_mb: Decimal
    required: bool
    multiple: bool = False
    year: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"


def upload_slots(edition: Edition, template: Template | None = None) -> dict[str, UploadSlot]:
    """Every upload slot of the edition's entry form, by ``kind:id``."""
    template = template or template_of(edition)
    form = template.entry_form
    slots: list[UploadSlot] = [
        UploadSlot(
            kind=DocumentKind.DOCUMENT, id=spec.id, title=spec.title, kinds=spec.kinds,
            max_size_mb=spec.max_size_mb, required=spec.required, multiple=spec.multiple,
            year=edition.year + spec.year_offset if spec.year_offset is not None else None,
        )
        for spec in form.documents
    ]
    slots += [
        UploadSlot(kind=DocumentKind.STATEMENT, id=statement.id, title=statement.title,
                   kinds=STATEMENT_KINDS, max_size_mb=DEFAULT_MAX_SIZE_MB,
                   required=statement.required)
        for statement in form.statements
        if statement.document
    ]
    slots += [
        UploadSlot(kind=DocumentKind.EVIDENCE, id=item.id, title=item.question,
                   kinds=EVIDENCE_KINDS, max_size_mb=DEFAULT_MAX_SIZE_MB,
                   required=item.evidence_required, multiple=True)
        for item in form.self_assessment
    ]
    return {slot.key: slot for slot in slots}


def claim_levels(template: Template, item: SelfAssessmentItem) -> tuple[EvidenceLevel, ...]:
    """The evidence levels a participant may claim for a self-assessment item, lowest first."""
    return template.rubric(item.rubric).criterion(item.criterion).levels
