"""Build the demo database. Idempotent: an edition already present is left as it is.

Everything is created through the same services the pages use, so the demo leaves the same
audit trail as real use. Scores are drawn from a fixed seed so every demo is identical.
"""

from __future__ import annotations

import csv
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.services.platform_admins import grant_platform_admin, is_platform_admin
from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition, Organiser
from sayembara.competitions.services.editions import create_edition, get_or_create_organiser
from sayembara.competitions.services.status import set_edition_status
from sayembara.entries.models import Institution
from sayembara.template_format import load_template

DATA_DIR = Path(__file__).resolve().parent / "data"
DEMO_PASSWORD = "sayembara-demo"
ACTOR = "demo"


@dataclass
class Summary:
    accounts: list[tuple[str, str]] = field(default_factory=list)


@functools.cache
def _demo_password_hash() -> str:
    # Hashing is deliberately slow; every demo account shares the one password.
    return make_password(DEMO_PASSWORD)


def demo_user(username: str, full_name: str, email: str | None = None):
    User = get_user_model()
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"full_name": full_name, "email": email or f"{username}@demo.sayembara.id",
                  "password": _demo_password_hash()},
    )
    return user


def ensure_membership(user, role: str, **scope) -> None:
    _, created = Membership.objects.get_or_create(user=user, role=role, **scope)
    if created:
        record_event(actor=ACTOR, action="membership.granted", obj=user,
                     after={"role": role, **{k: getattr(v, "pk", v) for k, v in scope.items()}})


def load_institutions(*, organiser: Organiser, csv_name: str) -> dict[str, Institution]:
    """The registry from a CSV with columns name,type,parent,kecamatan (parents first)."""
    by_name = {i.name: i for i in Institution.objects.filter(organiser=organiser)}
    created = []
    with (DATA_DIR / csv_name).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["name"] in by_name:
                continue
            institution = Institution.objects.create(
                organiser=organiser,
                name=row["name"],
                kind=row["type"],
                parent=by_name.get(row.get("parent") or ""),
                region_name=(f"Kecamatan {row['kecamatan']}, " if row.get("kecamatan") else "")
                + (organiser.region_name or ""),
            )
            by_name[institution.name] = institution
            created.append(institution.name)
    if created:
        record_event(actor=ACTOR, action="institution.imported", obj=organiser,
                     after={"file": csv_name, "count": len(created)})
    return by_name


def seed_demo(*, log: Callable[[str], None] = print) -> Summary:
    """Build every seed competition. Not inside one transaction: the favourite vote of
    Minahasa Utara needs its voters' codes, which are sent only once a request commits."""
    from sayembara.demo import kipp_minut, krenova, pemalang, pengaduan, provinsi

    summary = Summary()
    for builder in (seed_platform_admin, seed_mangupura, krenova.seed, provinsi.seed,
                    pengaduan.seed, kipp_minut.seed, pemalang.seed):
        builder(summary=summary, log=log)
    return summary


PLATFORM_ADMIN_ACCOUNT = "admin-platform"


def seed_platform_admin(*, summary: Summary, log: Callable[[str], None]) -> None:
    """The platform administrator: creates organisers, invites their secretariat and names
    other administrators; holds no key to any organiser's editions."""
    user = demo_user(PLATFORM_ADMIN_ACCOUNT, "Administrator Platform Sayembara")
    if not is_platform_admin(user):
        grant_platform_admin(user=user, actor=ACTOR)
    summary.accounts.append((PLATFORM_ADMIN_ACCOUNT,
                             _("Platform administrator (organisers and their secretariat)")))


# -- Mangupura Award 2024 (Kabupaten Badung): stage 1 scored, stage 2 in progress ------------

MANGUPURA_JURY = [
    # name, unsur, affiliation, role
    ("Prof. Dr. I Made Suwitra", "akademisi", "Universitas Udayana", "ketua"),
    ("Ni Luh Putu Ayu Andari", "ombudsman", "Ombudsman RI Perwakilan Provinsi Bali", "sekretaris"),
    ("I Gusti Ngurah Wirawan", "bkn", "Kantor Regional X BKN Denpasar", "anggota"),
    ("Dewa Ayu Sri Utami", "bpkp", "BPKP Perwakilan Provinsi Bali", "anggota"),
    ("I Ketut Arsa Wijaya", "birokrasi", "BKPSDM Provinsi Bali", "anggota"),
    ("Made Sukerta", "birokrasi", "Biro Organisasi Setda Provinsi Bali", "anggota"),
]
MANGUPURA_VERIFIERS = [
    ("Tim Verifikasi BRIDA 1 — Kadek Dwi Pratama", "birokrasi", "BRIDA Kabupaten Badung"),
    ("Tim Verifikasi BRIDA 2 — Putu Eka Sanjaya", "birokrasi", "BRIDA Kabupaten Badung"),
    ("Tim Verifikasi BRIDA 3 — Komang Ayu Lestari", "birokrasi", "BRIDA Kabupaten Badung"),
]


def _category_for(template, kind: str) -> str:
    for category in template.categories:
        if kind in category.institution_types:
            return category.id
    raise LookupError(kind)


def _draw_scores(rng: random.Random, quality: float, severity: float, criteria) -> dict:
    values = {}
    for criterion in criteria:
        low, high = float(criterion.min_score), float(criterion.max_score)
        span = high - low
        raw = low + span * (quality + severity + rng.gauss(0, 0.06))
        values[criterion.key] = Decimal(round(min(high, max(low, raw))))
    return values


def seed_mangupura(*, summary: Summary, log: Callable[[str], None],
                   finished_only: bool = False) -> Edition:
    """Badung's Mangupura Award: 2023 finished (results published, certificates, minutes)
    and 2024 in progress (stage 1 scored and confirmed, stage 2 partly scored). With
    ``finished_only``, the 2023 edition alone (returned then)."""
    organiser = get_or_create_organiser(
        name="BRIDA Kabupaten Badung", actor=ACTOR, timezone_code="WITA",
        region_name="Kabupaten Badung, Bali",
    )
    organiser_user = demo_user("penyelenggara", "Ni Wayan Sekretariat BRIDA")
    ensure_membership(organiser_user, Role.ORGANISER, organiser=organiser)
    summary.accounts.append(("penyelenggara", _("Organiser (BRIDA Kabupaten Badung)")))
    summary.accounts.append(("juri1", _("Judge, Mangupura Award 2024 (jury chair)")))
    summary.accounts.append(("juri2", _("Judge, Mangupura Award 2024")))
    summary.accounts.append(("operator", _("Participant operator, Kelurahan Kuta")))
    institutions = load_institutions(organiser=organiser, csv_name="badung-institutions.csv")
    operator = demo_user("operator", "I Made Operator Kelurahan Kuta")
    ensure_membership(operator, Role.OPERATOR, institution=institutions["Kelurahan Kuta"])
    finished = _mangupura_edition(year=2023, finished=True, organiser=organiser,
                                  organiser_user=organiser_user, institutions=institutions,
                                  log=log)
    if finished_only:
        return finished
    return _mangupura_edition(year=2024, finished=False, organiser=organiser,
                              organiser_user=organiser_user, institutions=institutions, log=log)


def _mangupura_edition(*, year: int, finished: bool, organiser, organiser_user, institutions,
                       log: Callable[[str], None]) -> Edition:
    from sayembara.demo.krenova import attach_demo_files
    from sayembara.entries.enums import DocumentKind, EntryState
    from sayembara.entries.selectors.requirements import upload_slots
    from sayembara.entries.services.entries import create_entry, set_entry_state

    existing = Edition.objects.filter(competition__organiser=organiser,
                                      competition__slug="mangupura-award", year=year).first()
    if existing is not None:
        count = existing.entries.count()
        log(ngettext("%(edition)s: already present (%(count)s entry).",
                     "%(edition)s: already present (%(count)s entries).", count)
            % {"edition": existing.title, "count": count})
        return existing

    title = f"Mangupura Award {year}"
    log(_("%(edition)s: creating the edition, its entries and the jury…") % {"edition": title})
    with transaction.atomic():
        template = load_template("mangupura-2024")
        edition = create_edition(template=template, year=year, organiser=organiser,
                                 actor=organiser_user)
        set_edition_status(edition=edition, status=EditionStatus.OPEN, actor=organiser_user)
        categories = {c.key: c for c in edition.categories.all()}
        slots = upload_slots(edition, template)
        rng = random.Random(year)
        quality: dict[int, float] = {}
        for institution in institutions.values():
            category = categories[_category_for(template, institution.kind)]
            entry = create_entry(
                edition=edition, institution=institution, category=category,
                title=f"Dokumen Kinerja {year - 1} {institution.name}", actor=organiser_user,
            )
            # The performance documents of the year before and the presentation slides.
            attach_demo_files(entry=entry, actor=organiser_user, slots=slots, uploads=[
                (DocumentKind.DOCUMENT, spec.id,
                 [spec.title, institution.name, f"Tahun {year - 1}"])
                for spec in template.entry_form.documents])
            set_entry_state(entry=entry, to_state=EntryState.SUBMITTED, actor=organiser_user)
            set_entry_state(entry=entry, to_state=EntryState.PASSED_ADMIN, actor=organiser_user,
                            reason="Dokumen lengkap.")
            quality[entry.pk] = min(0.97, max(0.35, rng.gauss(0.72, 0.09)))
        _score_mangupura(edition=edition, organiser_user=organiser_user, rng=rng,
                         quality=quality, finished=finished, with_accounts=not finished)
    if finished:
        _publish(edition=edition, organiser_user=organiser_user)
        log(_("%(edition)s: finished, results published, certificates queued.")
            % {"edition": title})
    else:
        log(_("%(edition)s: stage 1 scored and closed, stage 2 partly scored.")
            % {"edition": title})
    return edition


def _publish(*, edition: Edition, organiser_user) -> None:
    """Results decided and published; certificates issued (their PDFs are made by the
    worker, as when an organiser presses the button)."""
    from sayembara.documents.services.certificates import start_generation
    from sayembara.documents.services.publication import update_publication

    with transaction.atomic():
        update_publication(edition=edition, actor=organiser_user, publish_finalists=True,
                           publish_results=True)
        set_edition_status(edition=edition, status=EditionStatus.PUBLISHED, actor=organiser_user)
        _certificate_design(edition=edition, organiser_user=organiser_user)
        start_generation(edition=edition, actor=organiser_user)


def _certificate_design(*, edition: Edition, organiser_user) -> None:
    """The piagam as Badung signs it: its emblem, the place and date of the ceremony, the
    head of BRIDA and the regent."""
    from django.core.files.base import ContentFile

    from sayembara.documents.services.certificates import design_for

    design = design_for(edition)
    design.place_and_date = f"Mangupura, 20 Desember {edition.year}"
    design.signatories = [
        {"name": "Dr. I Gede Wijaya Kusuma, S.T., M.T.",
         "title": "Kepala Badan Riset dan Inovasi Daerah Kabupaten Badung",
         "id_number": "NIP. 19750412 200212 1 004"},
        {"name": "I Nyoman Adi Pramana, S.H., M.H.", "title": "Bupati Badung",
         "id_number": ""},
    ]
    design.logo.save("logo-brida-badung.svg",
                     ContentFile((DATA_DIR / "logo-brida-badung.svg").read_bytes()), save=False)
    design.save()
    record_event(actor=organiser_user, action="certificates.design_changed", obj=design,
                 edition_id=edition.pk,
                 after={"fields": ["place_and_date", "signatories", "logo"]})


def _score_mangupura(*, edition, organiser_user, rng, quality, finished: bool,
                     with_accounts: bool) -> None:
    from sayembara.judging.services import assignments as assignment_services
    from sayembara.judging.services import closing as stage_services
    from sayembara.judging.services import judges as judge_services
    from sayembara.judging.services import sheets as sheet_services

    stages = list(edition.stages.order_by("order"))
    accounts = {}
    if with_accounts:
        accounts = {0: demo_user("juri1", "Prof. Dr. I Made Suwitra"),
                    1: demo_user("juri2", "Ni Luh Putu Ayu Andari")}
    jury = []
    for index, (name, unsur, affiliation, role) in enumerate(MANGUPURA_JURY):
        jury.append(judge_services.add_judge(
            edition=edition, name=name, unsur=unsur, role=role, affiliation=affiliation,
            user=accounts.get(index), actor=organiser_user,
        ))
    verifiers = [
        judge_services.add_judge(edition=edition, name=name, unsur=unsur, role="anggota",
                                 affiliation=affiliation, actor=organiser_user)
        for name, unsur, affiliation in MANGUPURA_VERIFIERS
    ]
    severity = {judge.pk: rng.gauss(0, 0.04) for judge in jury + verifiers}
    for judge in jury + verifiers:
        judge_services.accept_pledge(judge=judge, actor=judge.user or organiser_user)
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor=organiser_user)

    def score(stage, judges, entries, *, skip=lambda position, judge: False):
        for position, entry in enumerate(entries):
            criteria = list(stage.rubric_for(entry.category_id).criteria.all())
            for judge in judges:
                assignment_services.assign(stage=stage, judge=judge, entry=entry,
                                           actor=organiser_user)
                if skip(position, judge) == "unscored":
                    continue
                actor = judge.user or organiser_user
                values = _draw_scores(rng, quality[entry.pk], severity[judge.pk], criteria)
                sheet_services.save_sheet(stage=stage, judge=judge, entry=entry, values=values,
                                          actor=actor)
                if skip(position, judge) != "draft":
                    sheet_services.submit_sheet(stage=stage, judge=judge, entry=entry,
                                                actor=actor)

    def run(stage, judges, entries, notes):
        stage_services.open_stage(stage=stage, actor=organiser_user)
        score(stage, judges, entries)
        stage_services.close_stage(stage=stage, actor=organiser_user, seed=edition.year)
        stage_services.confirm_stage(stage=stage, actor=organiser_user, notes=notes)

    # Stage 1: the BRIDA verification team scores every entry's documents.
    first, second, third = stages
    run(first, verifiers, list(edition.entries.select_related("category").order_by("code")),
        "Sepuluh terbaik per kategori lanjut ke presentasi.")
    finalists = list(second.current_entries.select_related("category").order_by("code"))
    if finished:
        # Stage 2 (presentation to the jury) and 3 (field verification) complete.
        run(second, jury, finalists, "Seluruh finalis telah presentasi.")
        run(third, verifiers[:2] + jury[:1],
            list(third.current_entries.select_related("category").order_by("code")),
            "Verifikasi lapangan selesai; peringkat akhir ditetapkan.")
        return
    # Stage 2 in progress: a third not presented yet; the demo judges hold some drafts.
    stage_services.open_stage(stage=second, actor=organiser_user)

    def pending(position, judge):
        if position % 3 == 2:
            return "unscored"
        if judge.user is not None and position % 2 == 1:
            return "draft"
        return "submitted"

    score(second, jury, finalists, skip=pending)
