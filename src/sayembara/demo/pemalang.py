"""Kompetisi Inovasi Pelayanan Publik 2020 Kabupaten Pemalang in the demo: at the interview.

Eighteen innovators from agencies, puskesmas, kecamatan, village governments and the water
company (``pemalang-kipp-2020-entries.csv``) sent their proposals by 7 December 2020. The
jury, one member each from the bureaucracy, academia (Universitas Diponegoro) and an NGO
(KOMPAK), scored the proposals and, on the morning of 17 December at the Sasana Bhakti
Praja, the presentations; the interview stage is open with its eighteen fifteen-minute
slots, and the first interviews have been scored.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction

from sayembara.competitions.models import Edition
from sayembara.demo.krenova import (
    Seat,
    close_and_confirm,
    draw_values,
    existing_edition,
    local_time,
    new_edition,
    operator_account,
    organiser_account,
    pass_admin_check,
    read_rows,
    score_assignments,
    seat_jury,
    start_judging,
    submit_proposal,
)
from sayembara.demo.seed import ACTOR, Summary, load_institutions
from sayembara.entries.models import Entry, Institution
from sayembara.template_format import load_template
from sayembara.template_format.model import Template

JUDGE = "juri-pemalang"  # the judge who signs in to the demo
TEMPLATE = "kipp-pemalang-2020"
TIM_JURI = "Tim Juri"
OPERATOR_INSTITUTION = "Pemerintah Desa Mojo"
ROOM = "Gedung Sasana Bhakti Praja, Pemalang"
#: Interviews held (and scored) before the demo's moment, in slot order.
INTERVIEWS_DONE = 4

PEMALANG_JURY = (
    Seat("Drs. Haryanto, M.M.", "birokrasi", "ketua",
         "Asisten Administrasi Umum Setda Kabupaten Pemalang", (TIM_JURI,),
         institution="Sekretariat Daerah"),
    Seat("Dr. Ratna Wulandari, M.Si.", "akademisi", "anggota",
         "Dosen Universitas Diponegoro", (TIM_JURI,), username=JUDGE),
    Seat("Agus Prasetyo, S.IP.", "ngo", "anggota", "KOMPAK", (TIM_JURI,)),
)


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    organiser, organiser_user = organiser_account(
        name="Bagian Organisasi Setda Kabupaten Pemalang", timezone_code="WIB",
        region_name="Kabupaten Pemalang, Jawa Tengah", username="penyelenggara-pemalang",
        full_name="Subbagian Pelayanan Publik, Bagian Organisasi Pemalang", summary=summary,
        description="Organiser (Bagian Organisasi Pemalang), KIPP 2020 at the interview stage",
    )
    institutions = load_institutions(organiser=organiser, csv_name="pemalang-institutions.csv")
    operator = operator_account(
        username="operator-pemalang", full_name="Operator Pemerintah Desa Mojo",
        institution=institutions[OPERATOR_INSTITUTION], summary=summary,
        description="Participant operator, Pemerintah Desa Mojo (interview slot)",
    )
    summary.accounts.append((JUDGE, "Judge, KIPP Pemalang 2020 (academic)"))
    template = load_template(TEMPLATE)
    existing = existing_edition(organiser=organiser, template=template)
    if existing is not None:
        log(f"KIPP Pemalang 2020: already present ({existing.entries.count()} entries).")
        return existing

    log("KIPP Pemalang 2020: 18 proposals, the proposal and presentation scores…")
    with transaction.atomic():
        edition, template = new_edition(template=template, organiser=organiser,
                                        actor=organiser_user)
        rng = random.Random(2020_12_17)
        quality = _proposals(edition=edition, template=template, institutions=institutions,
                             operator=operator, organiser_user=organiser_user, rng=rng)
        _judging(edition=edition, institutions=institutions, quality=quality, rng=rng,
                 organiser_user=organiser_user)
    log("KIPP Pemalang 2020: interviews under way, 18 slots scheduled.")
    return edition


def _proposals(*, edition: Edition, template: Template, institutions: Mapping[str, Institution],
               operator: Any, organiser_user: Any, rng: random.Random) -> dict[int, float]:
    from sayembara.entries.services.entries import create_entry

    category = edition.categories.get()
    quality: dict[int, float] = {}
    entries = []
    for number, row in enumerate(read_rows("pemalang-kipp-2020-entries.csv")):
        actor = operator if row["institution"] == OPERATOR_INSTITUTION else ACTOR
        entry = create_entry(edition=edition, institution=institutions[row["institution"]],
                             category=category, title=row["title"], actor=actor)
        entries.append(submit_proposal(
            entry=entry, template=template, row=row, actor=actor,
            when=local_time(edition, 2020, 12, 1 + number // 4, 9 + number % 6, 15)))
        quality[entry.pk] = min(0.95, max(0.4, rng.gauss(0.7, 0.1)))
    pass_admin_check(entries=entries, actor=organiser_user)
    return quality


def _judging(*, edition: Edition, institutions: Mapping[str, Institution],
             quality: Mapping[int, float], rng: random.Random, organiser_user: Any
             ) -> None:
    from sayembara.judging.selectors.jury import stage_entries
    from sayembara.judging.services import assignments, closing, schedule

    jury = seat_jury(edition=edition, seats=PEMALANG_JURY, institutions=institutions,
                     actor=organiser_user)
    severity = {judge.pk: rng.gauss(0, 0.05) for judge in jury}

    def draw(rng: random.Random, entry: Entry, judge: Any, specs: list) -> dict[str, Any]:
        return draw_values(rng, quality[entry.pk], severity[judge.pk], specs)

    start_judging(edition=edition, actor=organiser_user)
    proposal, presentation, interview = list(edition.stages.order_by("order"))
    for stage, notes in (
        (proposal, "Penilaian proposal oleh tim juri, 8-16 Desember 2020."),
        (presentation, "Presentasi di Gedung Sasana Bhakti Praja, 17 Desember 2020 pagi."),
    ):
        closing.open_stage(stage=stage, actor=organiser_user)
        assignments.assign_everyone(stage=stage, actor=organiser_user)
        score_assignments(stage=stage, rng=rng, draw=draw, actor=organiser_user)
        close_and_confirm(stage=stage, actor=organiser_user, notes=notes)

    closing.open_stage(stage=interview, actor=organiser_user)
    assignments.assign_everyone(stage=interview, actor=organiser_user)
    slots = schedule.schedule_stage(
        stage=interview, entries=list(stage_entries(interview).order_by("code")),
        first_start=local_time(edition, 2020, 12, 17, 13, 0), day_end=dt.time(18, 0),
        rooms=(ROOM,), actor=organiser_user,
    )
    done = {slot.entry_id for slot in slots[:INTERVIEWS_DONE]}
    score_assignments(stage=interview, rng=rng, draw=draw, actor=organiser_user,
                      scored=lambda position, assignment: assignment.entry_id in done)
