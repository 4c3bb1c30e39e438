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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.competitions.models import Edition
from sayembara.demo.krenova import (
    Account,
    Cast,
    Seat,
    close_and_confirm,
    draw_values,
    enter_proposals,
    local_time,
    new_edition,
    prepare,
    score_assignments,
    seat_jury,
    start_judging,
)
from sayembara.demo.seed import Summary
from sayembara.entries.models import Entry, Institution

TIM_JURI = "Tim Juri"
OPERATOR_INSTITUTION = "Pemerintah Desa Mojo"
ROOM = "Gedung Sasana Bhakti Praja, Pemalang"
#: Interviews held (and scored) before the demo's moment, in slot order.
INTERVIEWS_DONE = 4

CAST = Cast(
    label="KIPP Pemalang 2020", template="kipp-pemalang-2020",
    organiser="Bagian Organisasi Setda Kabupaten Pemalang", timezone_code="WIB",
    region_name="Kabupaten Pemalang, Jawa Tengah", registry_csv="pemalang-institutions.csv",
    organiser_account=Account(
        username="penyelenggara-pemalang",
        description=gettext_lazy(
            "Organiser (Bagian Organisasi Pemalang), KIPP 2020 at the interview stage"),
        full_name="Subbagian Pelayanan Publik, Bagian Organisasi Pemalang",
    ),
    operator_account=Account(
        username="operator-pemalang",
        description=gettext_lazy(
            "Participant operator, Pemerintah Desa Mojo (interview slot)"),
        full_name="Operator Pemerintah Desa Mojo",
    ),
    operator_institution=OPERATOR_INSTITUTION,
    judge_account=Account(
        username="juri-pemalang",
        description=gettext_lazy(
            "Judge, KIPP Pemalang 2020 (academic)"),
    ),
)

PEMALANG_JURY = (
    Seat("Drs. Haryanto, M.M.", "birokrasi", "ketua",
         "Asisten Administrasi Umum Setda Kabupaten Pemalang", (TIM_JURI,),
         institution="Sekretariat Daerah"),
    Seat("Dr. Ratna Wulandari, M.Si.", "akademisi", "anggota",
         "Dosen Universitas Diponegoro", (TIM_JURI,), username=CAST.judge_account.username),
    Seat("Agus Prasetyo, S.IP.", "ngo", "anggota", "KOMPAK", (TIM_JURI,)),
)


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    setting, existing = prepare(CAST, summary=summary, log=log)
    if existing is not None:
        return existing
    log(_("KIPP Pemalang 2020: 18 proposals, the proposal and presentation scores…"))
    with transaction.atomic():
        edition, template = new_edition(setting)
        rng = random.Random(2020_12_17)
        entries = enter_proposals(
            edition=edition, template=template, setting=setting,
            csv_name="pemalang-kipp-2020-entries.csv",
            submitted_at=lambda n: local_time(edition, 2020, 12, 1 + n // 4, 9 + n % 6, 15))
        quality = {entry.pk: min(0.95, max(0.4, rng.gauss(0.7, 0.1))) for entry in entries}
        _judging(edition=edition, institutions=setting.institutions, quality=quality, rng=rng,
                 secretariat=setting.organiser_user)
    log(_("KIPP Pemalang 2020: interviews under way, 18 slots scheduled."))
    return edition


def _judging(*, edition: Edition, institutions: Mapping[str, Institution],
             quality: Mapping[int, float], rng: random.Random, secretariat: Any) -> None:
    from sayembara.judging.selectors.jury import stage_entries
    from sayembara.judging.services import assignments, closing, schedule

    jury = seat_jury(edition=edition, seats=PEMALANG_JURY, institutions=institutions,
                     actor=secretariat)
    severity = {judge.pk: rng.gauss(0, 0.05) for judge in jury}

    def draw(rng: random.Random, entry: Entry, judge: Any, specs: list) -> dict[str, Any]:
        return draw_values(rng, quality[entry.pk], severity[judge.pk], specs)

    start_judging(edition=edition, actor=secretariat)
    proposal, presentation, interview = list(edition.stages.order_by("order"))
    for stage, notes in (
        (proposal, "Penilaian proposal oleh tim juri, 8-16 Desember 2020."),
        (presentation, "Presentasi di Gedung Sasana Bhakti Praja, 17 Desember 2020 pagi."),
    ):
        closing.open_stage(stage=stage, actor=secretariat)
        assignments.assign_everyone(stage=stage, actor=secretariat)
        score_assignments(stage=stage, rng=rng, draw=draw, actor=secretariat)
        close_and_confirm(stage=stage, actor=secretariat, notes=notes)

    closing.open_stage(stage=interview, actor=secretariat)
    assignments.assign_everyone(stage=interview, actor=secretariat)
    slots = schedule.schedule_stage(
        stage=interview, entries=list(stage_entries(interview).order_by("code")),
        first_start=local_time(edition, 2020, 12, 17, 13, 0), day_end=dt.time(18, 0),
        rooms=(ROOM,), actor=secretariat,
    )
    done = {slot.entry_id for slot in slots[:INTERVIEWS_DONE]}
    score_assignments(stage=interview, rng=rng, draw=draw, actor=secretariat,
                      scored=lambda position, assignment: assignment.entry_id in done)
