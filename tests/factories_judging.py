"""Editions, entries and juries for the judging tests (built through the real services)."""

from __future__ import annotations

import itertools
from decimal import Decimal
from typing import Any

from sayembara.accounts.enums import Role
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.services.editions import create_edition
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Institution
from sayembara.entries.services.entries import create_entry, set_entry_state
from sayembara.judging.services.assignments import assign
from sayembara.judging.services.judges import accept_pledge, add_judge
from sayembara.template_format import load_template, parse_template
from tests.factories import OrganiserFactory, UserFactory, grant

_counter = itertools.count(1)

# A small competition: two categories, a filter stage with a rubric variant per category
# (a 1–10 range, an evidence-level criterion) and a weighted final stage.
SMALL_TEMPLATE = """
name: uji-kecil
competition: Lomba Uji {n}
title: Lomba Uji {n} 2024
organiser: BRIDA Uji
year: 2024
time_zone: WITA
institution_types:
  - {{id: perangkat_daerah, name: Perangkat Daerah}}
  - {{id: desa, name: Desa}}
categories:
  - {{id: opd, name: Kategori OPD, institution_types: [perangkat_daerah]}}
  - {{id: desa, name: Kategori Desa, institution_types: [desa]}}
timeline:
  submission_deadline: 2024-07-31 16:00
rubrics:
  - id: proposal-opd
    name: Penilaian proposal OPD
    criteria:
      - id: kebaruan
        name: Kebaruan
        weight: 60
        scale_min: 1
        scale_max: 10
        descriptors:
          - {{min: 1, max: 5, text: Meniru inovasi lain}}
          - {{min: 6, max: 10, text: Baru di Indonesia}}
      - id: bukti
        name: Bukti dukung
        weight: 40
        kind: ordinal
        scale_min: 0
        scale_max: 100
        levels:
          - {{score: 40, label: SK Kepala Dinas, evidence: Surat keputusan}}
          - {{score: 70, label: Peraturan Kepala Daerah, evidence: Perbup}}
          - {{score: 100, label: Peraturan Daerah, evidence: Perda}}
  - id: proposal-desa
    name: Penilaian proposal desa
    criteria:
      - {{id: manfaat, name: Kemanfaatan, weight: 100, scale_min: 0, scale_max: 100}}
stages:
  - id: proposal
    name: Penilaian proposal
    kind: filter
    rubric: proposal-opd
    rubric_by_category: {{desa: proposal-desa}}
    advance: {{scope: category, top_n: {top_n}}}
  - id: wawancara
    name: Wawancara
    kind: weighted
    weight: 100
    rubric: proposal-opd
    rubric_by_category: {{desa: proposal-desa}}
awards:
  tiers:
    - {{id: juara-1, name: Juara 1, rank_from: 1, rank_to: 1, trophy: true, prize: 5000000}}
    - {{id: juara-2, name: Juara 2, rank_from: 2, rank_to: 2, prize: 3000000}}
"""


def small_template(*, top_n: int = 2, extra: str = ""):
    n = next(_counter)
    return parse_template(SMALL_TEMPLATE.format(n=n, top_n=top_n) + extra, source="uji.yaml")


def make_edition(*, template: Any = None, year: int = 2024, organiser=None, actor=None):
    organiser = organiser or OrganiserFactory()
    actor = actor or UserFactory()
    template = template if template is not None else small_template()
    if isinstance(template, str):
        template = load_template(template)
    return create_edition(template=template, year=year, organiser=organiser, actor=actor)


def make_organiser_user(edition):
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=edition.organiser)
    return user


def make_institution(edition, *, kind: str = "perangkat_daerah", parent=None, name=None):
    return Institution.objects.create(
        organiser=edition.organiser, name=name or f"Instansi {next(_counter)}", kind=kind,
        parent=parent, email=f"instansi{next(_counter)}@example.go.id",
    )


def make_entry(edition, *, category_key: str | None = None, institution=None, actor=None,
               state: str = EntryState.IN_STAGE, stage=None, title: str | None = None):
    category = (edition.categories.get(key=category_key) if category_key
                else edition.categories.order_by("order").first())
    institution = institution or make_institution(edition)
    actor = actor or "test"
    entry = create_entry(edition=edition, institution=institution, category=category,
                         title=title or f"Inovasi {next(_counter)}", actor=actor)
    path = {
        EntryState.SUBMITTED: [EntryState.SUBMITTED],
        EntryState.PASSED_ADMIN: [EntryState.SUBMITTED, EntryState.PASSED_ADMIN],
        EntryState.IN_STAGE: [EntryState.SUBMITTED, EntryState.PASSED_ADMIN, EntryState.IN_STAGE],
    }.get(state, [])
    first_stage = stage or edition.stages.order_by("order").first()
    for to_state in path:
        entry = set_entry_state(entry=entry, to_state=to_state, actor=actor,
                                stage=first_stage if to_state == EntryState.IN_STAGE else None)
    return entry


def make_judge(edition, *, user=True, institution=None, role: str = "anggota",
               unsur: str = "akademisi", pledge: bool = True, name: str | None = None):
    account = UserFactory() if user is True else (user or None)
    judge = add_judge(edition=edition, name=name or f"Juri {next(_counter)}", unsur=unsur,
                      role=role, affiliation="Universitas Udayana", institution=institution,
                      user=account, actor="test")
    if pledge:
        accept_pledge(judge=judge, actor="test")
    return judge


def open_stage(stage):
    """The stage open for scoring, and so its edition past registration and judging."""
    from sayembara.competitions.enums import EditionStatus
    from sayembara.competitions.models import Edition

    stage.status = StageStatus.OPEN
    stage.save(update_fields=["status"])
    Edition.objects.filter(pk=stage.edition_id, status__in=[
        EditionStatus.DRAFT, EditionStatus.OPEN]).update(status=EditionStatus.JUDGING)
    stage.edition.refresh_from_db(fields=["status"])
    return stage


def scored_stage(*, entries_per_category: int = 3, judges: int = 3, top_n: int = 2,
                 values=None):
    """An edition whose first stage is open, with every judge assigned every entry.

    ``values(judge_index, entry_index, category_key)`` gives the scores of a sheet (by
    criterion key); by default distinct scores that make the ranking obvious.
    """
    edition = make_edition(template=small_template(top_n=top_n))
    stage = open_stage(edition.stages.get(key="proposal"))
    entries = []
    for key in ("opd", "desa"):
        kind = "perangkat_daerah" if key == "opd" else "desa"
        for _ in range(entries_per_category):
            entries.append(make_entry(edition, category_key=key,
                                      institution=make_institution(edition, kind=kind)))
    panel = [make_judge(edition) for _ in range(judges)]
    for judge in panel:
        for entry in entries:
            assign(stage=stage, judge=judge, entry=entry, actor="test")
    return edition, stage, entries, panel


def default_values(judge_index: int, entry_index: int, category_key: str) -> dict[str, Decimal]:
    if category_key == "opd":
        return {"kebaruan": Decimal(10 - entry_index - (judge_index % 2)),
                "bukti": Decimal([100, 70, 40, 40, 40, 40][min(entry_index, 5)])}
    return {"manfaat": Decimal(90 - 10 * entry_index + judge_index)}


def disagreement_stage(*, judges: int = 3, entries: int = 1):
    """An open proposal stage with the third-reviewer rule (threshold 10, two reviewers),
    ``judges`` judges and ``entries`` village entries each given to the first two judges."""
    from sayembara.template_format import validate_data

    data = small_template().to_data()
    data["stages"][0]["disagreement"] = {"threshold": 10, "third_reviewer": True,
                                         "reviewers": 2}
    edition = make_edition(template=validate_data(data))
    stage = open_stage(edition.stages.get(key="proposal"))
    panel = [make_judge(edition, name=f"Juri {name}") for name in
             ("Anom", "Bagus", "Cahya", "Dewi", "Eka")[:judges]]
    made = [make_entry(edition, category_key="desa",
                       institution=make_institution(edition, kind="desa"))
            for _ in range(entries)]
    for entry in made:
        for judge in panel[:2]:
            assign(stage=stage, judge=judge, entry=entry, actor="test")
    return edition, stage, made, panel


def score_apart(stage, entry, judges, values=("90", "60")):
    """The first two judges submit scores far apart (beyond the threshold of 10)."""
    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    for judge, value in zip(judges[:2], values, strict=True):
        save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": value},
                   actor="test")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="test")
