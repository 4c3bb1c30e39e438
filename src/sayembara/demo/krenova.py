"""Krenova OPD dan BUMD Kota Magelang 2017 in the demo: between rounds.

Twenty-eight agencies, puskesmas, kecamatan and municipal companies of Kota Magelang sent
proposals in the four innovation categories (``magelang-krenova-2017-entries.csv``). The
Balitbang checked them; the assessment team (Tim Penilai) scored rounds I to IV, the last of
which, the field verification, picked the Top 15. Round V, the presentation of the Top 15
to the jury, is open with its schedule, and nobody has scored it yet.

The first half of this module holds what the demo's other seed competitions share with this
one: the organiser's account, the jury, drawing and entering scores, closing a stage,
writing a proposal and its signed statements.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sayembara.accounts.enums import Role
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition, Organiser, Stage
from sayembara.competitions.services.editions import (
    create_edition,
    get_or_create_organiser,
    template_of,
)
from sayembara.competitions.services.status import set_edition_status
from sayembara.demo.seed import (
    ACTOR,
    DATA_DIR,
    Summary,
    demo_user,
    ensure_membership,
    load_institutions,
)
from sayembara.entries.enums import CheckOutcome, DocumentKind
from sayembara.entries.models import Entry, Institution
from sayembara.template_format import load_template
from sayembara.template_format.model import Template

# --------------------------------------------------------------------------------------------
# Shared by the seed competitions of the demo
# --------------------------------------------------------------------------------------------


def read_rows(csv_name: str) -> list[dict[str, str]]:
    """The rows of a CSV file of the demo's data folder."""
    with (DATA_DIR / csv_name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Account:
    """A demo account as the command lists it (``description`` is translated)."""

    username: str
    description: Any
    full_name: str = ""


@dataclass(frozen=True)
class Cast:
    """Who runs one seed competition and who signs in to it in the demo."""

    label: Any  # names the edition in the log (a proper name, or translated)
    template: str
    organiser: str
    timezone_code: str
    region_name: str
    registry_csv: str
    organiser_account: Account
    operator_account: Account
    operator_institution: str
    judge_account: Account  # the judge seated with this username
    other_accounts: tuple[Account, ...] = ()  # further demo accounts (e.g. an evaluator)


@dataclass(frozen=True)
class Setting:
    """What a seed competition is built on."""

    organiser: Organiser
    organiser_user: Any
    operator: Any
    operator_institution: str
    institutions: dict[str, Institution]
    template: Template

    def participant(self, institution: str) -> Any:
        """Who acts for an institution: the demo's operator for its own institution, the
        demo itself for the others (their operators have no demo account)."""
        return self.operator if institution == self.operator_institution else ACTOR


def prepare(cast: Cast, *, summary: Summary, log: Callable[[str], None]
            ) -> tuple[Setting, Edition | None]:
    """The organiser, its institution registry and the demo accounts (each made once, then
    found again), listed in ``summary``; with the edition when it was built before."""
    organiser = get_or_create_organiser(name=cast.organiser, actor=ACTOR,
                                        timezone_code=cast.timezone_code,
                                        region_name=cast.region_name)
    organiser_user = demo_user(cast.organiser_account.username, cast.organiser_account.full_name)
    ensure_membership(organiser_user, Role.ORGANISER, organiser=organiser)
    institutions = load_institutions(organiser=organiser, csv_name=cast.registry_csv)
    operator = demo_user(cast.operator_account.username, cast.operator_account.full_name)
    ensure_membership(operator, Role.OPERATOR, institution=institutions[cast.operator_institution])
    summary.accounts.extend((account.username, str(account.description)) for account in (
        cast.organiser_account, cast.operator_account, cast.judge_account,
        *cast.other_accounts))
    template = load_template(cast.template)
    existing = Edition.objects.filter(organiser=organiser, template_name=template.name,
                                      year=template.year).first()
    if existing is not None:
        count = existing.entries.count()
        log(ngettext("%(edition)s: already present (%(count)s entry).",
                     "%(edition)s: already present (%(count)s entries).", count)
            % {"edition": cast.label, "count": count})
    return Setting(organiser=organiser, organiser_user=organiser_user, operator=operator,
                   operator_institution=cast.operator_institution, institutions=institutions,
                   template=template), existing


def new_edition(setting: Setting) -> tuple[Edition, Template]:
    """The edition of the setting's template in the template's own year, open for entries,
    with the template of its rules."""
    edition = create_edition(template=setting.template, year=setting.template.year,
                             organiser=setting.organiser, actor=setting.organiser_user)
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor=setting.organiser_user)
    return edition, template_of(edition)


def start_judging(*, edition: Edition, actor: Any) -> None:
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor=actor)


def local_time(edition: Edition, year: int, month: int, day: int, hour: int = 0,
               minute: int = 0) -> dt.datetime:
    """A wall-clock moment in the edition's time zone."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=edition.zoneinfo)


@dataclass(frozen=True)
class Seat:
    """A judge of the demo: who, from where, on which of the template's panels."""

    name: str
    unsur: str
    role: str
    affiliation: str
    panels: tuple[str, ...]
    institution: str = ""  # the judge's own institution in the registry (conflicts)
    username: str = ""  # a demo account that signs in as this judge


def seat_jury(*, edition: Edition, seats: Iterable[Seat], institutions: Mapping[str, Institution],
              actor: Any) -> list[Any]:
    """Seat the judges, each on the panels of the template it names, pledge accepted; a
    judge with a ``username`` signs in with that demo account."""
    from sayembara.judging.models import Panel
    from sayembara.judging.services import judges as judge_services
    from sayembara.judging.services import panels as panel_services

    panel_services.materialise_panels(edition=edition, actor=actor)
    panels = list(Panel.objects.filter(stage__edition=edition).select_related("stage"))
    seated = []
    for seat in seats:
        user = demo_user(seat.username, seat.name) if seat.username else None
        judge = judge_services.add_judge(
            edition=edition, name=seat.name, unsur=seat.unsur, role=seat.role,
            affiliation=seat.affiliation, institution=institutions.get(seat.institution),
            user=user, actor=actor,
        )
        judge_services.accept_pledge(judge=judge, actor=user or actor)
        for panel in panels:
            if panel.name in seat.panels:
                panel_services.add_panel_member(panel=panel, judge=judge, actor=actor)
        seated.append(judge)
    return seated


def draw_values(rng: random.Random, quality: float, severity: float, specs: Iterable[Any],
                missing_items: frozenset[str] = frozenset()) -> dict[str, Any]:
    """One judge's sheet around the entry's latent quality (0..1) shifted by the judge's
    severity: a number in range, an evidence level, or the checklist items seen (all but
    ``missing_items``)."""
    values: dict[str, Any] = {}
    for spec in specs:
        criterion = spec.criterion
        share = min(1.0, max(0.0, quality + severity + rng.gauss(0, 0.06)))
        if spec.kind == "checklist":
            values[spec.key] = [item.key for item in spec.items if item.key not in missing_items]
        elif spec.allowed_values():
            allowed = spec.allowed_values()
            values[spec.key] = allowed[round(share * (len(allowed) - 1))]
        else:
            low, high = float(criterion.min_score), float(criterion.max_score)
            values[spec.key] = Decimal(round(low + (high - low) * share))
    return values


#: How a sheet's values are drawn: (rng, entry, judge, criterion specs) -> values.
Draw = Callable[[random.Random, Entry, Any, list], dict[str, Any]]


def score_assignments(*, stage: Stage, rng: random.Random, draw: Draw, actor: Any,
                      scored: Callable[[int, Any], bool] = lambda position, assignment: True,
                      submitted: Callable[[int, Any], bool] = lambda position, assignment: True
                      ) -> int:
    """Each judge enters (and, when ``submitted``, submits) the sheets of the entries the
    stage assigned to them; ``scored`` leaves some for later. Judges without an account
    have their paper sheets typed in by the secretariat (``actor``). Returns the sheets saved.
    """
    from sayembara.judging.models import Assignment
    from sayembara.judging.selectors.rubrics import criterion_specs
    from sayembara.judging.services import sheets as sheet_services

    specs_by_category: dict[int, list] = {}
    saved = 0
    assignments = (Assignment.objects.filter(stage=stage)
                   .select_related("judge__user", "entry").order_by("entry__code", "judge_id"))
    for position, assignment in enumerate(assignments):
        if not scored(position, assignment):
            continue
        entry, judge = assignment.entry, assignment.judge
        specs = specs_by_category.get(entry.category_id)
        if specs is None:
            specs = criterion_specs(stage=stage, rubric=stage.rubric_for(entry.category_id))
            specs_by_category[entry.category_id] = specs
        who = judge.user or actor
        sheet_services.save_sheet(stage=stage, judge=judge, entry=entry,
                                  values=draw(rng, entry, judge, specs), actor=who)
        saved += 1
        if submitted(position, assignment):
            sheet_services.submit_sheet(stage=stage, judge=judge, entry=entry, actor=who)
    return saved


def close_and_confirm(*, stage: Stage, actor: Any, notes: str,
                      preference: Callable[[Entry], float] | None = None,
                      tie_reason: str = "") -> None:
    """Close the stage (the engine proposes the list), settle the ties the tie-break chain
    left open at a cut, and confirm the list.

    Where entries stay tied across the last seat, the panel's plenary decides: the tied
    entries it prefers less (lower ``preference``) do not go on, with ``tie_reason``.
    """
    from sayembara.judging.enums import Decision
    from sayembara.judging.models import StageClosing, StageResult
    from sayembara.judging.services import closing

    closing.close_stage(stage=stage, actor=actor)
    summary = StageClosing.objects.get(stage=stage).summary
    seats = {pool["name"]: pool["seats"] for pool in summary.get("pools", [])}
    for group in summary.get("open_ties", []):
        tied = sorted((row for row in StageResult.objects.filter(
            stage=stage, entry__code__in=group).select_related("entry")),
            key=lambda row: -(preference or (lambda entry: 0.0))(row.entry))
        pool = tied[0].details.get("pool")
        inside = sum(1 for row in StageResult.objects.filter(stage=stage, advanced=True)
                     .exclude(entry__code__in=group)
                     if row.details.get("pool") == pool)
        for row in tied[max(0, seats[pool] - inside):]:
            closing.decide_entry(stage=stage, entry=row.entry, decision=Decision.ELIMINATE,
                                 reason=tie_reason, actor=actor)
    closing.confirm_stage(stage=stage, actor=actor, notes=notes)


def proposal_sections(template: Template, row: Mapping[str, str], institution: str
                      ) -> dict[str, str]:
    """The proposal of a public-service innovation written from its row (problem,
    solution, result), for the sections the template's entry form has."""
    title, problem, solution, result = (row["title"], row["problem"], row["solution"],
                                        row["result"])
    texts = {
        "ringkasan": f"{title}. {problem} {solution} {result}",
        "latar-belakang": (
            f"{problem} Inovasi ini bertujuan agar pelayanan {institution} lebih cepat, "
            "mudah dijangkau dan dapat dipertanggungjawabkan kepada masyarakat."),
        "kebaruan": (
            f"Sebelumnya layanan berjalan dengan cara lama. Kebaruan inovasi: {solution} "
            "Cara ini belum dipakai oleh instansi lain di daerah ini."),
        "implementasi": (
            f"Inovasi dijalankan oleh {row['innovators']} sejak {row['started_on']}, "
            "dimulai dengan uji coba, lalu diperluas setelah evaluasi triwulanan."),
        "signifikansi": (
            f"{result} Manfaat dirasakan langsung oleh warga penerima layanan dan dipantau "
            "dengan data layanan setiap bulan."),
        "adaptabilitas": (
            "Inovasi memakai sarana yang umum tersedia dan prosedur yang tertulis, sehingga "
            "dapat ditiru perangkat daerah atau desa lain tanpa biaya besar."),
        "sumber-daya": (
            f"Dikelola oleh tim {institution} dengan anggaran rutin, dukungan perangkat "
            "keras yang sudah ada dan kerja sama dengan pemangku kepentingan setempat."),
        "keberlanjutan": (
            "Inovasi ditetapkan dengan keputusan kepala instansi, masuk standar operasional "
            "prosedur dan rencana kerja tahunan, sehingga tetap berjalan ketika pejabat "
            "berganti."),
    }
    return {section.id: texts[section.id] for section in template.entry_form.sections
            if section.id in texts}


def _pdf_text(text: str) -> str:
    plain = text.encode("latin-1", "replace").decode("latin-1")
    return plain.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def demo_pdf(filename: str, lines: Iterable[str]) -> SimpleUploadedFile:
    """A one-page PDF carrying ``lines`` (a stand-in for a scanned, signed document)."""
    body = "BT /F1 11 Tf 56 780 Td 16 TL " + " ".join(
        f"({_pdf_text(line)}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 "
        "4 0 R >> >> /Contents 5 0 R >>",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        f"<< /Length {len(body.encode('latin-1'))} >>\nstream\n{body}\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{content}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode("latin-1")
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode("latin-1")
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
            .encode("latin-1"))
    return SimpleUploadedFile(filename, bytes(out), content_type="application/pdf")


def attach_demo_files(*, entry: Entry, uploads: Iterable[tuple[str, str, list[str]]],
                      actor: Any, slots: Mapping[str, Any]) -> None:
    """Store one demo PDF for each ``(kind, slot, lines)`` of ``entry``, as the participant
    would have uploaded it, with the audit event of each upload. For seeds of hundreds of
    entries: the files are written and their rows inserted at once, without the content
    checks of ``drafts.add_document`` (the demo writes its own PDFs)."""
    import hashlib

    from django.core.files.base import ContentFile

    from sayembara.common.services.audit import record_event
    from sayembara.entries.models import EntryDocument

    documents = []
    for kind, slot, lines in uploads:
        name = f"{slot}-{entry.code}.pdf".lower()
        content = demo_pdf(name, lines).read()
        spec = slots[f"{kind}:{slot}"]
        document = EntryDocument(
            entry=entry, kind=kind, slot=slot, original_name=name, file_type="pdf",
            size=len(content), sha256=hashlib.sha256(content).hexdigest(),
            covers_year=spec.year, uploaded_by=actor if getattr(actor, "pk", None) else None)
        document.file.save(name, ContentFile(content), save=False)
        documents.append(document)
    EntryDocument.objects.bulk_create(documents)
    for document in documents:
        record_event(actor=actor, action="entry.document_added", obj=entry,
                     after={"slot": f"{document.kind}:{document.slot}",
                            "name": document.original_name, "type": document.file_type,
                            "size": document.size, "sha256": document.sha256})


def submit_proposal(*, entry: Entry, template: Template, row: Mapping[str, str], actor: Any,
                    when: dt.datetime) -> Entry:
    """The participant's side: the proposal written, signed statements and required
    documents uploaded, submitted at ``when`` (before the deadline)."""
    from sayembara.entries.services import drafts, process

    data = drafts.draft_data(entry) | {
        "innovators": row["innovators"],
        "summary": row["problem"] + " " + row["result"],
        "innovation_started_on": row["started_on"],
        "proposal": proposal_sections(template, row, entry.institution.name),
    }
    drafts.save_draft(entry=entry, data=data, base_version=entry.version, actor=actor)
    form = template.entry_form
    uploads = [(DocumentKind.STATEMENT, s.id, s.title) for s in form.statements if s.document]
    uploads += [(DocumentKind.DOCUMENT, d.id, d.title) for d in form.documents if d.required]
    for kind, slot, title in uploads:
        drafts.add_document(
            entry=entry, kind=kind, slot=slot, actor=actor,
            upload=demo_pdf(f"{slot}-{entry.code}.pdf".lower(),
                            [title, entry.institution.name, entry.title,
                             "Ditandatangani dan dicap oleh kepala instansi."]),
        )
    return process.submit_entry(entry=entry, actor=actor, now=when)


def pass_admin_check(*, entries: Iterable[Entry], actor: Any) -> None:
    from sayembara.entries.services import process

    result = process.record_admin_checks(entries=entries, outcome=CheckOutcome.PASSED,
                                         reasons=[], note="Berkas lengkap.", actor=actor)
    if result.skipped:
        raise RuntimeError("; ".join(message for _entry, message in result.skipped))


def enter_proposals(*, edition: Edition, template: Template, setting: Setting, csv_name: str,
                    submitted_at: Callable[[int], dt.datetime]) -> list[Entry]:
    """The proposals of a CSV file (institution, category, title, started_on, innovators,
    problem, solution, result), the n-th submitted at ``submitted_at(n)``, then passed in
    the administrative check."""
    from sayembara.entries.services.entries import create_entry

    categories = {c.key: c for c in edition.categories.all()}
    entries = []
    for number, row in enumerate(read_rows(csv_name)):
        actor = setting.participant(row["institution"])
        entry = create_entry(edition=edition, institution=setting.institutions[row["institution"]],
                             category=categories[row["category"]], title=row["title"],
                             actor=actor)
        entries.append(submit_proposal(entry=entry, template=template, row=row, actor=actor,
                                       when=submitted_at(number)))
    pass_admin_check(entries=entries, actor=setting.organiser_user)
    return entries


# --------------------------------------------------------------------------------------------
# Krenova OPD dan BUMD Kota Magelang 2017
# --------------------------------------------------------------------------------------------

TIM_PENILAI = "Tim Penilai"
DEWAN_JURI = "Dewan Juri"
BALITBANG = "Badan Penelitian dan Pengembangan"
OPERATOR_INSTITUTION = "Dinas Kependudukan dan Pencatatan Sipil"
#: The entry whose evidence of implementation the assessment team did not find (round I).
MISSING_EVIDENCE = "Info Angkot: trayek dan posisi angkutan kota di telepon genggam"

CAST = Cast(
    label="Krenova Kota Magelang 2017", template="krenova-magelang-2017",
    organiser="Balitbang Kota Magelang", timezone_code="WIB",
    region_name="Kota Magelang, Jawa Tengah", registry_csv="magelang-institutions.csv",
    organiser_account=Account(
        username="penyelenggara-magelang",
        description=gettext_lazy(
            "Organiser (Balitbang Kota Magelang), Krenova 2017 between rounds"),
        full_name="Sekretariat Krenova Balitbang Kota Magelang",
    ),
    operator_account=Account(
        username="operator-magelang",
        description=gettext_lazy(
            "Participant operator, Disdukcapil Kota Magelang (in the Top 15)"),
        full_name="Operator Disdukcapil Kota Magelang",
    ),
    operator_institution=OPERATOR_INSTITUTION,
    judge_account=Account(
        username="juri-magelang",
        description=gettext_lazy(
            "Judge, Krenova Kota Magelang 2017 (jury)"),
    ),
)

MAGELANG_JURY = (
    Seat("Ir. Wahyu Hidayat, M.T.", "birokrasi", "ketua", "Balitbang Kota Magelang",
         (TIM_PENILAI,), institution=BALITBANG),
    Seat("Dra. Endang Susilowati, M.Si.", "birokrasi", "sekretaris",
         "Bagian Organisasi Setda Kota Magelang", (TIM_PENILAI,),
         institution="Bagian Organisasi Sekretariat Daerah"),
    Seat("Dr. Agus Setiyawan, S.E., M.Si.", "akademisi", "anggota", "Universitas Tidar",
         (TIM_PENILAI,)),
    Seat("Dr. Nurul Hidayah, M.Pd.", "akademisi", "anggota",
         "Universitas Muhammadiyah Magelang", (TIM_PENILAI,)),
    Seat("Drs. Bambang Haryanto, M.M.", "birokrasi", "ketua",
         "Sekretariat Daerah Kota Magelang", (DEWAN_JURI,), institution="Sekretariat Daerah"),
    Seat("Prof. Dr. Sri Rahayu, M.Si.", "akademisi", "anggota", "Universitas Tidar",
         (DEWAN_JURI,), username=CAST.judge_account.username),
    Seat("Dr. Heru Prasetyo, M.T.", "akademisi", "anggota",
         "Universitas Muhammadiyah Magelang", (DEWAN_JURI,)),
    Seat("Arif Barata Sakti, S.H., M.Si.", "birokrasi", "anggota",
         "Kepala Balitbang Kota Magelang", (DEWAN_JURI,), institution=BALITBANG),
)


def seed(*, summary: Summary, log: Callable[[str], None]) -> Edition:
    setting, existing = prepare(CAST, summary=summary, log=log)
    if existing is not None:
        return existing
    log(_("Krenova Kota Magelang 2017: proposals, rounds I-IV and the Top 15…"))
    with transaction.atomic():
        edition, template = new_edition(setting)
        rng = random.Random(2017)
        entries = enter_proposals(
            edition=edition, template=template, setting=setting,
            csv_name="magelang-krenova-2017-entries.csv",
            submitted_at=lambda n: local_time(edition, 2017, 5, 15 + n // 3, 9 + n % 7))
        quality = {entry.pk: min(0.95, max(0.35, rng.gauss(0.68, 0.11))) for entry in entries}
        _magelang_rounds(edition=edition, setting=setting, quality=quality, rng=rng)
    log(_("Krenova Kota Magelang 2017: Top 15 chosen, round V open and scheduled."))
    return edition


def _magelang_rounds(*, edition: Edition, setting: Setting, quality: Mapping[int, float],
                     rng: random.Random) -> None:
    from sayembara.judging.selectors.jury import stage_entries
    from sayembara.judging.services import assignments, closing, schedule

    secretariat = setting.organiser_user
    jury = seat_jury(edition=edition, seats=MAGELANG_JURY, institutions=setting.institutions,
                     actor=secretariat)
    severity = {judge.pk: rng.gauss(0, 0.05) for judge in jury}
    missing = frozenset({"bukti"})

    def draw(rng: random.Random, entry: Entry, judge: Any, specs: list) -> dict[str, Any]:
        return draw_values(rng, quality[entry.pk], severity[judge.pk], specs,
                           missing_items=missing if entry.title == MISSING_EVIDENCE
                           else frozenset())

    start_judging(edition=edition, actor=secretariat)
    stages = list(edition.stages.order_by("order"))
    # Rounds I-IV by the assessment team: two members check each file (I), review each
    # proposal (II) and visit each site (IV); the whole team hears every presentation (III).
    for stage, reviewers in zip(stages[:4], (2, 2, None, 2), strict=True):
        closing.open_stage(stage=stage, actor=secretariat)
        if reviewers is None:
            assignments.assign_everyone(stage=stage, actor=secretariat)
        else:
            assignments.assign_balanced(stage=stage, per_entry=reviewers, actor=secretariat,
                                        seed=2017)
        score_assignments(stage=stage, rng=rng, draw=draw, actor=secretariat)
        close_and_confirm(stage=stage, actor=secretariat,
                          notes=f"Rapat pleno Tim Penilai, {stage.name}.",
                          preference=lambda entry: quality[entry.pk],
                          tie_reason="Rapat pleno Tim Penilai: manfaat inovasi lain yang "
                                     "bernilai sama lebih terbukti di lapangan.")
    fifth = stages[4]
    closing.open_stage(stage=fifth, actor=secretariat)
    assignments.assign_everyone(stage=fifth, actor=secretariat)
    schedule.schedule_stage(
        stage=fifth, entries=list(stage_entries(fifth).order_by("code")),
        first_start=local_time(edition, 2017, 8, 1, 8, 30), day_end=dt.time(12, 0),
        rooms=("Ruang Rapat Adipura, Kantor Wali Kota Magelang",), actor=secretariat,
    )
