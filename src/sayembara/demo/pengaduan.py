"""Kompetisi Pengelolaan Pengaduan Pelayanan Publik 2020 in the demo: national scale, after
the document stage with its quotas.

The 439 participants of 2020 (``pengaduan-institutions.csv``): 237 government institutions
(ministries, national agencies, provinces, kabupaten and kota) and 202 service units
(hospitals, land offices, Samsat, Dukcapil, immigration and tax offices, puskesmas, ...).
Institutions that won in 2018 or 2019 (``pengaduan-past-winners.csv``, an imported list:
those years were not run in Sayembara; the ranks are illustrative) enter the Outstanding
Achievement group. Each participant answered the self-assessment with the level its
evidence proves; the evaluation team of KemenPAN-RB, Ombudsman RI and KSP verified every
form, lowering a claim where the evidence fell short, and the stage closed with its quotas
(6 Outstanding Achievement, 30 general government institutions, 10 service units): the Top
46 face the jury, whose online sessions of 9-13 November are scheduled.

Evidence files are not attached to the 439 forms: uploading some 3,500 files would make the
demo slow to build; the forms of the other seed competitions carry their documents.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.competitions.models import Edition
from sayembara.demo.krenova import (
    Account,
    Cast,
    Seat,
    Setting,
    close_and_confirm,
    local_time,
    new_edition,
    prepare,
    read_rows,
    score_assignments,
    seat_jury,
    start_judging,
)
from sayembara.demo.seed import DATA_DIR, Summary
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.template_format.model import Template

INSTITUTIONS_CSV = "pengaduan-institutions.csv"
PAST_WINNERS_CSV = "pengaduan-past-winners.csv"
BANDUNG = "Pemerintah Kota Bandung"
TIM_EVALUASI = "Tim Evaluasi"
DEWAN_JURI = "Dewan Juri"

CAST = Cast(
    label=gettext_lazy("Complaint handling 2020"), template="pengaduan-2020",
    organiser="Kementerian PANRB",
    timezone_code="WIB", region_name="Nasional", registry_csv=INSTITUTIONS_CSV,
    organiser_account=Account(
        username="penyelenggara-panrb",
        description=gettext_lazy(
            "Organiser (KemenPAN-RB), complaint-handling competition 2020 after the document "
            "stage"),
        full_name="Sekretariat Kompetisi Pengaduan KemenPAN-RB",
    ),
    operator_account=Account(
        username="operator-bandung",
        description=gettext_lazy(
            "Participant operator, Pemerintah Kota Bandung (Top 46)"),
        full_name="Operator Pengaduan Pemerintah Kota Bandung",
    ),
    operator_institution=BANDUNG,
    judge_account=Account(
        username="juri-panrb",
        description=gettext_lazy(
            "Judge, complaint-handling competition 2020 (jury)"),
    ),
    other_accounts=(Account(
        username="verifikator-panrb",
        description=gettext_lazy(
            "Evaluator, complaint-handling competition 2020 (Tim Evaluasi: verified the "
            "self-assessments)"),
    ),),
)

EVALUATION_TEAM = (
    Seat("Yuniar Dyah Prananingrum", "birokrasi", "anggota",
         "Kementerian PANRB, Deputi Bidang Pelayanan Publik", (TIM_EVALUASI,)),
    Seat("Ajib Prasetyo", "birokrasi", "anggota",
         "Kementerian PANRB, Asisten Deputi Pengelolaan Pengaduan", (TIM_EVALUASI,),
         username=CAST.other_accounts[0].username),
    Seat("Ratna Kurniasari", "birokrasi", "anggota",
         "Kementerian PANRB, Deputi Bidang Pelayanan Publik", (TIM_EVALUASI,)),
    Seat("Hendra Gunawan", "birokrasi", "anggota",
         "Kementerian PANRB, Deputi Bidang Pelayanan Publik", (TIM_EVALUASI,)),
    Seat("Dian Rubianty", "ombudsman", "anggota", "Ombudsman Republik Indonesia",
         (TIM_EVALUASI,)),
    Seat("Fikri Ramadhan", "ombudsman", "anggota", "Ombudsman Republik Indonesia",
         (TIM_EVALUASI,)),
    Seat("Maya Puspitasari", "ombudsman", "anggota", "Ombudsman Republik Indonesia",
         (TIM_EVALUASI,)),
    Seat("Galih Wicaksono", "birokrasi", "anggota", "Kantor Staf Presiden", (TIM_EVALUASI,)),
    Seat("Nadia Larasati", "birokrasi", "anggota", "Kantor Staf Presiden", (TIM_EVALUASI,)),
    Seat("Rizal Mahendra", "birokrasi", "anggota", "Kantor Staf Presiden", (TIM_EVALUASI,)),
    # The jury named in the announcement of the Top 15.
    Seat("Azwar Abubakar", "birokrasi", "ketua", "Menteri PANRB periode 2011-2014",
         (DEWAN_JURI,)),
    Seat("Adi Prasetya", "media", "anggota", "Wakil Pemimpin Redaksi Berita Satu TV",
         (DEWAN_JURI,)),
    Seat("Meuthia Ganie-Rochman", "akademisi", "anggota", "Akademisi", (DEWAN_JURI,),
         username=CAST.judge_account.username),
    Seat("Eva Kusuma Sundari", "praktisi", "anggota",
         "Praktisi, Anggota Tim Reformasi Birokrasi Nasional", (DEWAN_JURI,)),
    Seat("Sad Dian Utomo", "ngo", "anggota", "Perwakilan LSM", (DEWAN_JURI,)),
)

TITLES = (
    "Pengelolaan pengaduan terintegrasi SP4N-LAPOR! {name}",
    "Kanal pengaduan satu pintu {name}",
    "Pengaduan tuntas dan terukur {name}",
    "Tindak lanjut pengaduan tepat waktu {name}",
)
TITLE_BANDUNG = ("Layanan Aspirasi dan Pengaduan Online Rakyat (LAPOR!) Kota Bandung, "
                 "terintegrasi dari kota sampai kelurahan")


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    setting, existing = prepare(CAST, summary=summary, log=log)
    if existing is not None:
        return existing
    log(_("Complaint handling 2020: 439 self-assessments, the evaluation and the Top 46…"))
    with transaction.atomic():
        edition, template = new_edition(setting)
        past_winners = _import_past_winners(edition=edition, actor=setting.organiser_user)
        rng = random.Random(2020)
        quality, claims = _self_assessments(edition=edition, template=template, setting=setting,
                                            past_winners=past_winners, rng=rng)
        _evaluation(edition=edition, quality=quality, claims=claims, rng=rng,
                    secretariat=setting.organiser_user)
    log(_("Complaint handling 2020: Top 46 chosen by quota, jury sessions scheduled."))
    return edition


def _import_past_winners(*, edition: Edition, actor: Any) -> set[str]:
    from sayembara.entries.services.followup import import_past_winners

    with (DATA_DIR / PAST_WINNERS_CSV).open("rb") as handle:
        import_past_winners(competition=edition.competition, stream=handle,
                            filename=PAST_WINNERS_CSV, actor=actor)
    return {row["institution"] for row in read_rows(PAST_WINNERS_CSV)}


def _self_assessments(*, edition: Edition, template: Template, setting: Setting,
                      past_winners: set[str], rng: random.Random
                      ) -> tuple[dict[int, float], dict[int, dict[str, Decimal]]]:
    """Every participant's entry with its self-assessment claims, the signed statements,
    the supporting documents and the evidence of each answer, submitted and passed in the
    administrative check. Returns the latent quality and the claimed score by criterion
    of each entry."""
    from sayembara.demo.krenova import attach_demo_files
    from sayembara.entries.enums import DocumentKind
    from sayembara.entries.selectors.requirements import claim_levels, upload_slots
    from sayembara.entries.services import drafts
    from sayembara.entries.services.entries import create_entry, set_entry_state

    categories = {c.key: c for c in edition.categories.all()}
    groups = {g.key: g for g in edition.groups.all()}
    form = template.entry_form
    items = [(item, claim_levels(template, item)) for item in form.self_assessment]
    slots = upload_slots(edition, template)
    quality: dict[int, float] = {}
    claims: dict[int, dict[str, Decimal]] = {}
    for row in read_rows(INSTITUTIONS_CSV):
        name = row["name"]
        institution = setting.institutions[name]
        if row["type"] == "upp":
            category, group, mean = categories["upp"], groups["upp"], 0.6
        elif name in past_winners:
            category, group, mean = categories["instansi-pemerintah"], groups["outstanding"], 0.8
        else:
            category, group, mean = (categories["instansi-pemerintah"], groups["ip-umum"],
                                     0.58)
        actor = setting.participant(name)
        title = TITLE_BANDUNG if name == BANDUNG else rng.choice(TITLES).format(name=name)
        entry = create_entry(edition=edition, institution=institution, category=category,
                             group=group, title=title, actor=actor)
        level = 0.97 if name == BANDUNG else min(0.97, max(0.2, rng.gauss(mean, 0.13)))
        answers, claimed = {}, {}
        uploads = [(DocumentKind.STATEMENT, statement.id,
                    [statement.title, name, "Ditandatangani dan dicap oleh pimpinan instansi."])
                   for statement in form.statements if statement.document]
        uploads += [(DocumentKind.DOCUMENT, spec.id, [spec.title, name, title])
                    for spec in form.documents if spec.required]
        for item, levels in items:
            share = min(1.0, max(0.0, level + 0.08 + rng.gauss(0, 0.12)))
            index = round(share * (len(levels) - 1))
            chosen = levels[index]
            answers[item.id] = {"level": index, "note": (
                f"{chosen.evidence} terlampir." if chosen.evidence
                else "Belum ada dokumen yang dapat dilampirkan untuk butir ini.")}
            claimed[item.criterion] = Decimal(chosen.score)
            uploads.append((DocumentKind.EVIDENCE, item.id,
                            [item.question, f"Tingkat yang diklaim: {chosen.label}",
                             chosen.evidence or chosen.label, name]))
        started = dt.date(2016, 1, 4) + dt.timedelta(days=rng.randrange(0, 1400))
        drafts.save_draft(entry=entry, data=drafts.draft_data(entry) | {
            "claims": answers, "innovation_started_on": started.isoformat()},
            base_version=entry.version, actor=actor)
        attach_demo_files(entry=entry, uploads=uploads, actor=actor, slots=slots)
        set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor=actor)
        set_entry_state(entry=entry, to_state=EntryState.PASSED_ADMIN,
                        actor=setting.organiser_user,
                        reason="Formulir penilaian mandiri lengkap.")
        quality[entry.pk] = level
        claims[entry.pk] = claimed
    return quality, claims


def _evaluation(*, edition: Edition, quality: Mapping[int, float],
                claims: Mapping[int, Mapping[str, Decimal]], rng: random.Random,
                secretariat: Any) -> None:
    from sayembara.judging.selectors.jury import stage_entries
    from sayembara.judging.services import assignments, closing, schedule

    team = seat_jury(edition=edition, seats=EVALUATION_TEAM, institutions={},
                     actor=secretariat)
    strictness = {judge.pk: rng.uniform(0.0, 0.15) for judge in team}

    def verify(rng: random.Random, entry: Entry, judge: Any, specs: list) -> dict[str, Any]:
        """The evaluator accepts the claimed level, or the level below when the evidence
        does not prove it (more often for weaker forms and stricter evaluators)."""
        doubt = 0.08 + strictness[judge.pk] + max(0.0, 0.7 - quality[entry.pk]) * 0.6
        values = {}
        for spec in specs:
            allowed = spec.allowed_values()
            index = allowed.index(claims[entry.pk][spec.key])
            values[spec.key] = allowed[index - 1 if index and rng.random() < doubt else index]
        return values

    first, second = list(edition.stages.order_by("order"))
    start_judging(edition=edition, actor=secretariat)
    closing.open_stage(stage=first, actor=secretariat)
    assignments.assign_balanced(stage=first, per_entry=1, actor=secretariat, seed=2020)
    score_assignments(stage=first, rng=rng, draw=verify, actor=secretariat)
    close_and_confirm(
        stage=first, actor=secretariat,
        notes="Rapat pleno Tim Evaluasi KemenPAN-RB, Ombudsman RI dan KSP, 27 Oktober 2020.",
        preference=lambda entry: quality[entry.pk],
        tie_reason="Rapat pleno Tim Evaluasi: bukti dukung peserta lain yang bernilai sama "
                   "lebih lengkap.",
    )
    assignments.assign_everyone(stage=second, actor=secretariat)
    schedule.schedule_stage(
        stage=second, entries=list(stage_entries(second).order_by("group__order", "code")),
        first_start=local_time(edition, 2020, 11, 9, 8, 0), day_end=dt.time(16, 0),
        link="https://zoom.us/j/0000000000", actor=secretariat,
    )
