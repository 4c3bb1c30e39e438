"""The shapes of what the API answers (each one is in the OpenAPI schema)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema
from pydantic import Field

#: A slug as the site writes them (editions, categories, stages).
SLUG = r"^[-a-zA-Z0-9_]{1,100}$"
#: Text a person may type: no control character (PostgreSQL refuses NUL, and no one types
#: the others).
TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class Problem(Schema):
    """An error: a sentence in the site's language, and for a refused import its rows."""

    detail: str


class ValidationProblem(Schema):
    detail: Any


class Page(Schema):
    count: int = Field(description="How many items there are in all.")
    page: int
    pages: int


# -- public ----------------------------------------------------------------------------------


class EditionBrief(Schema):
    slug: str
    title: str
    year: int
    status: str
    competition: str
    competition_slug: str
    organiser: str
    timezone: str
    submission_deadline: dt.datetime | None


class EditionPage(Page):
    items: list[EditionBrief]


class CompetitionOut(Schema):
    slug: str
    name: str
    organiser: str
    organiser_slug: str
    editions: list[str] = Field(description="Slugs of the competition's public editions.")


class CompetitionPage(Page):
    items: list[CompetitionOut]


class CategoryOut(Schema):
    key: str
    name: str
    description: str
    institution_types: list[str]


class StageOut(Schema):
    key: str
    name: str
    order: int
    kind: str
    weight: str = Field(description="The stage's weight, a decimal number as text.")
    scored_by: str
    blind: bool
    can_only_lower: bool
    status: str
    opens: dt.datetime | None
    closes: dt.datetime | None


class AwardOut(Schema):
    key: str
    name: str
    category: str | None
    rank_from: int | None
    rank_to: int | None
    trophy: bool
    certificate: bool
    prize: str = Field(description="Rupiah, a decimal number as text.")


class PhaseOut(Schema):
    key: str
    name: str
    starts: dt.date | None
    ends: dt.date | None


class RulesSection(Schema):
    section: str
    sentences: list[str]


class EditionOut(EditionBrief):
    rules_version: int
    submission_opens: dt.datetime | None
    timeline: list[PhaseOut]
    categories: list[CategoryOut]
    stages: list[StageOut]
    awards: list[AwardOut]
    rules: list[RulesSection] = Field(description="The rules in plain sentences.")


class ResultRowOut(Schema):
    rank: int | None
    code: str
    institution: str
    title: str
    award: str
    prize: str | None
    total: str | None = Field(description=(
        "The final score rounded as the results page shows it (decimal point); null when the "
        "organiser published ranks only or the entry stopped before the last stage."))
    stage_scores: list[str | None] = Field(
        description="Per stage of `stages`, when the organiser published the stages' scores.")
    stopped_at: str


class ResultCategoryOut(Schema):
    name: str
    rows: list[ResultRowOut]


class ResultStageOut(Schema):
    name: str


class ResultsOut(Schema):
    edition: str
    published: bool
    breakdown: str = Field(description="What the organiser published: ranks, totals or "
                                        "stages.")
    stages: list[ResultStageOut]
    categories: list[ResultCategoryOut]


class CatalogueEntryOut(Schema):
    id: int
    code: str
    title: str
    summary: str
    institution: str
    institution_type: str
    region: str
    category: str
    edition: str
    year: int
    award: str


class CataloguePage(Page):
    items: list[CatalogueEntryOut]


class FilterChoice(Schema):
    value: str
    label: str


class CatalogueFiltersOut(Schema):
    categories: list[str]
    regions: list[FilterChoice]
    years: list[int]
    kinds: list[FilterChoice]
    awards: list[str]


class CertificateOut(Schema):
    code: str
    valid: bool
    recipient: str
    innovation: str
    award: str
    category: str
    rank: int | None
    edition: str
    edition_title: str
    organiser: str
    issued: dt.datetime


# -- organiser -------------------------------------------------------------------------------


class OrganiserEditionOut(EditionBrief):
    entries: int


class OrganiserEditionPage(Page):
    items: list[OrganiserEditionOut]


class EntryOut(Schema):
    id: int
    code: str
    title: str
    institution: str
    category: str | None
    group: str | None
    state: str
    current_stage: str | None
    submitted_at: dt.datetime | None
    updated_at: dt.datetime


class EntryPage(Page):
    items: list[EntryOut]


class ScoreOut(Schema):
    stage: str
    judge: str
    entry: str
    criterion: str
    score: str | None
    sheet_status: str


class ScorePage(Page):
    items: list[ScoreOut]


class AuditHeadOut(Schema):
    seq: int
    hash: str
    at: dt.datetime | None


class ImportRow(Schema):
    """One row, with the columns of the spreadsheet import (``type`` is an institution type
    id; ``title`` and ``category`` create a draft entry in the edition)."""

    name: str = Field(min_length=1, max_length=300, pattern=TEXT)
    type: str = Field(min_length=1, max_length=60, pattern=TEXT)
    parent: str = Field("", max_length=300, pattern=TEXT)
    region_code: str = Field("", max_length=40, pattern=TEXT)
    email: str = Field("", max_length=254, pattern=TEXT)
    title: str | None = Field(None, max_length=300, pattern=TEXT)
    category: str | None = Field(None, max_length=200, pattern=TEXT)
    group: str | None = Field(None, max_length=200, pattern=TEXT)
    innovators: str | None = Field(None, max_length=2000, pattern=TEXT)
    in_use_since: dt.date | None = None


class ImportIn(Schema):
    edition: str | None = Field(None, pattern=SLUG, description=(
        "The edition that receives one draft entry per row (rows then need title and "
        "category)."))
    commit: bool = Field(False, description="Without it nothing is written (a dry run).")
    rows: list[ImportRow] = Field(min_length=1, max_length=50_000)


class ImportProblemOut(Schema):
    row: int | None = Field(description="Index in `rows`, from 0; absent for the whole file.")
    column: str | None
    value: str | None
    message: str


class ImportRefused(Schema):
    detail: str
    total: int
    problems: list[ImportProblemOut]


class ImportOut(Schema):
    committed: bool
    rows: int
    institutions_created: int
    institutions_updated: int
    institutions_unchanged: int
    entries_created: int
    sha256: str
