"""Certificates (piagam): design checks, verification codes, generation and the zip.

Each award in the stored final results gets one certificate with a verification code. The
code is ten random characters and two check characters derived from the server's secret, so
a mistyped or altered code is recognised as not valid before the database is asked; the QR
code opens the public page that confirms the award.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition
from sayembara.documents.enums import BatchStatus
from sayembara.documents.models import Certificate, CertificateBatch, CertificateDesign
from sayembara.documents.services.typst_render import renderer
from sayembara.judging.models import FinalResult

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
PLACEHOLDERS = ("recipient", "innovation", "award", "category", "rank", "edition", "year",
                "organiser")
# The place and date line may say where the certificate was signed and write its date.
DATE_PLACEHOLDER = "{date}"
MAX_RECIPIENT_CHARS = 300
MAX_SIGNATORIES = 4
IMAGE_SUFFIXES = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg", ".svg": "svg"}
# The award itself ("Juara 1, Kategori Kelurahan") is printed on its own line above.
DEFAULT_WORDING = "atas prestasinya dengan inovasi \u201c{innovation}\u201d dalam {edition}."
# Designs made before the award had its own line said it in the wording.
OLD_DEFAULT_WORDING = (
    "atas prestasi sebagai {award} {category} dengan inovasi \u201c{innovation}\u201d "
    "dalam {edition}."
)


class DesignError(Exception):
    """The design cannot produce certificates; ``problems`` says what to fix."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


# -- verification codes ------------------------------------------------------------------------


def _check_chars(body: str) -> str:
    mac = hmac.new(settings.SECRET_KEY.encode(), f"piagam:{body}".encode(), hashlib.sha256)
    value = int.from_bytes(mac.digest()[:4], "big")
    return ALPHABET[value % 32] + ALPHABET[(value // 32) % 32]


def make_code() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(10))
    return f"{body[:5]}-{body[5:]}-{_check_chars(body)}"


def normalise_code(text: str) -> str | None:
    """The canonical form of a typed code, or None when it cannot be one of ours."""
    raw = re.sub(r"[\s-]", "", (text or "").upper()).replace("O", "0").replace("I", "1") \
        .replace("L", "1")
    if len(raw) != 12 or any(ch not in ALPHABET for ch in raw):
        return None
    body, check = raw[:10], raw[10:]
    if not hmac.compare_digest(check, _check_chars(body)):
        return None
    return f"{body[:5]}-{body[5:]}-{check}"


def find_certificate(text: str) -> Certificate | None:
    """The valid (not revoked) certificate with this code, or None: "not valid"."""
    code = normalise_code(text)
    if code is None:
        return None
    return (Certificate.objects.select_related("edition", "edition__organiser", "entry",
                                               "entry__institution")
            .filter(code=code, revoked_at__isnull=True).first())


def verification_url(code: str) -> str:
    """The full address of the page confirming a certificate (``SAYEMBARA_PUBLIC_URL``)."""
    base = (getattr(settings, "SAYEMBARA_PUBLIC_URL", "") or "").rstrip("/")
    return f"{base}{reverse('public:certificate', kwargs={'code': code})}"


# -- design --------------------------------------------------------------------------------------


def design_for(edition: Edition) -> CertificateDesign:
    """The edition's design, created with sensible defaults on first use."""
    place = (edition.organiser.region_name or "").split(",")[0].strip()
    design, _created = CertificateDesign.objects.get_or_create(
        edition=edition,
        defaults={
            "wording": DEFAULT_WORDING,
            "place_and_date": f"{place}, {DATE_PLACEHOLDER}" if place else DATE_PLACEHOLDER,
            "signatories": [],
        },
    )
    return design


def _image_bytes(field: Any, label: str, problems: list[str]) -> tuple[str, bytes] | None:
    if not field:
        return None
    name = field.name
    suffix = Path(name).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        problems.append(_("The %(what)s %(file)s is not a PNG, JPEG or SVG image. Upload one "
                          "of those.") % {"what": label, "file": Path(name).name})
        return None
    try:
        with field.storage.open(name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError):
        problems.append(_("The %(what)s %(file)s is missing from the server. Upload it again "
                          "or remove it from the design.") % {"what": label,
                                                              "file": Path(name).name})
        return None
    if suffix != ".svg":
        from PIL import Image, UnidentifiedImageError

        try:
            Image.open(io.BytesIO(data)).verify()
        except (UnidentifiedImageError, OSError, SyntaxError):
            problems.append(_("The %(what)s %(file)s cannot be read as an image. Upload it "
                              "again.") % {"what": label, "file": Path(name).name})
            return None
    return f"{label_key(label)}{suffix}", data


def label_key(label: str) -> str:
    return slugify(label) or "image"


def _wording_problems(wording: str) -> list[str]:
    problems = []
    for name in re.findall(r"\{([^{}]*)\}", wording):
        if name not in PLACEHOLDERS:
            problems.append(
                _("The wording uses {%(name)s}, which is not a known placeholder. Use one of: "
                  "%(known)s.") % {"name": name,
                                   "known": ", ".join("{" + p + "}" for p in PLACEHOLDERS)}
            )
    if not wording.strip():
        problems.append(_("The wording is empty. Write what the certificate is given for."))
    return problems


def check_design(design: CertificateDesign) -> tuple[list[str], dict[str, bytes]]:
    """Problems that stop generation (before it starts), and the images to embed."""
    problems = _wording_problems(design.wording)
    if not design.heading.strip():
        problems.append(_("The heading is empty. Write, for example, PIAGAM PENGHARGAAN."))
    if not re.fullmatch(r"#[0-9a-fA-F]{6}", design.accent_color or ""):
        problems.append(_("The accent colour %(value)s is not a colour like #0b5cad.")
                        % {"value": design.accent_color})
    if not design.place_and_date.strip():
        problems.append(_("The place and date are empty. Write where the certificate is signed "
                          "and {date} for its date, for example: Mangupura, {date}."))
    signatories = design.signatories or []
    if not signatories:
        problems.append(_("The design names no signatory. Add who signs the certificate, one "
                          "per line: name | title | NIP."))
    if len(signatories) > MAX_SIGNATORIES:
        problems.append(_("A certificate has room for %(max)s signatories; the design names "
                          "%(count)s.") % {"max": MAX_SIGNATORIES, "count": len(signatories)})
    for number, person in enumerate(signatories, start=1):
        if not str(person.get("name", "")).strip():
            problems.append(_("Signatory %(number)s has no name.") % {"number": number})
    files = {}
    for field, label in ((design.logo, _("logo")), (design.background, _("background image"))):
        found = _image_bytes(field, label, problems)
        if found:
            name, data = found
            if field is design.background and not name.endswith((".svg", ".jpg", ".jpeg")):
                name, data = _as_jpeg(name, data)
            files[name] = data
    return problems, files


def _as_jpeg(name: str, data: bytes) -> tuple[str, bytes]:
    """A background as JPEG (on white): a PDF embeds JPEG data as it is, whereas every
    certificate would compress a large PNG again."""
    from PIL import Image

    image = Image.open(io.BytesIO(data))
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        flat = Image.new("RGB", image.size, (255, 255, 255))
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    buffer = io.BytesIO()
    image.convert("RGB").save(buffer, format="JPEG", quality=90)
    return str(Path(name).with_suffix(".jpg")), buffer.getvalue()


def name_size(text: str) -> str:
    """Font size for the recipient's name: long names shrink so they always fit."""
    length = len(text)
    if length <= 40:
        return "26pt"
    return f"{max(11.0, 26 * 40 / length):.1f}pt"


# -- awards --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Award:
    entry_id: int
    label: str
    rank: int | None
    recipient: str
    innovation: str
    category: str
    # Where the award was won: the category or group it was ranked in ("" overall).
    unit: str = ""


def awards_of(edition: Edition) -> list[Award]:
    """Every certificate the stored final results call for, as the engine decided them.

    One for an award tier that gives a certificate, one for a grade band that does, one
    for the favourite prize (``details["favourite"]``) when the template gives it a
    certificate, and one for each special award (``details["special_awards"]``) that does.
    """
    from sayembara.competitions.services.editions import template_of
    from sayembara.documents.selectors.awards import ranking_units, tier_unit

    awards_rules = template_of(edition).awards
    units = ranking_units(edition)
    grade_certificates = {band.name for band in awards_rules.grades if band.certificate}
    favourite_certificate = awards_rules.favourite is not None and \
        awards_rules.favourite.certificate
    special_certificates = {award.name: award.certificate for award in awards_rules.special}
    results = (FinalResult.objects.filter(edition=edition)
               .select_related("entry", "entry__institution", "category", "award_tier")
               .order_by("category__order", "rank", "entry__code"))
    awards = []
    for result in results:
        details = result.details or {}
        labels = []
        tier = result.award_tier
        if result.award_label and (tier is None or tier.certificate):
            labels.append((result.award_label, tier_unit(result, units)))
        if details.get("grade") in grade_certificates:
            labels.append((_("Grade %(grade)s") % {"grade": details["grade"]}, ""))
        if details.get("favourite") and favourite_certificate:
            labels.append((
                details.get("favourite_name") or awards_rules.favourite.name,
                result.category.name if awards_rules.favourite.scope == "category" else "",
            ))
        for name in details.get("special_awards") or ():
            if special_certificates.get(name, True):
                labels.append((name, result.category.name))
        for label, unit in labels:
            awards.append(Award(
                entry_id=result.entry_id, label=label, rank=result.rank,
                recipient=result.entry.institution.name, innovation=result.entry.title,
                category=result.category.name, unit=unit,
            ))
    return awards


@transaction.atomic
def issue_certificates(*, edition: Edition, actor: Any) -> list[Certificate]:
    """Create a certificate (with its code) for each award that has none yet."""
    existing = {(c.entry_id, c.award_label): c for c in edition.certificates.all()}
    created = []
    for award in awards_of(edition):
        if (award.entry_id, award.label) in existing:
            continue
        created.append(Certificate(
            edition=edition, entry_id=award.entry_id, award_label=award.label,
            recipient=award.recipient[:300], innovation_title=award.innovation[:300],
            category_name=award.category[:200], award_unit=award.unit[:200], rank=award.rank,
            code=make_code(),
        ))
    Certificate.objects.bulk_create(created)
    if created:
        record_event(actor=actor, action="certificates.issued", obj=edition,
                     after={"codes": [c.code for c in created]})
    return list(edition.certificates.filter(revoked_at__isnull=True))


def certificate_data(certificate: Certificate, design: CertificateDesign, files: dict) -> dict:
    from sayembara.common.timefmt import format_date

    edition = certificate.edition
    award = certificate.award_title
    values = {
        "recipient": certificate.recipient, "innovation": certificate.innovation_title,
        "award": award, "category": certificate.category_name,
        "rank": str(certificate.rank or ""), "edition": edition.title,
        "year": str(edition.year), "organiser": edition.organiser.name,
    }
    wording = design.wording
    for key, value in values.items():
        wording = wording.replace("{" + key + "}", value)
    logo = next((name for name in files if name.startswith(label_key(_("logo")))), "")
    background = next((name for name in files
                       if name.startswith(label_key(_("background image")))), "")
    recipient = certificate.recipient[:MAX_RECIPIENT_CHARS]
    issued = certificate.issued_at or timezone.now()
    url = verification_url(certificate.code)
    return {
        "heading": design.heading, "edition": edition.title, "organiser": edition.organiser.name,
        "given_to": _("awarded to"), "recipient": recipient, "name_size": name_size(recipient),
        "as_label": pgettext("certificate: awarded to NAME as AWARD", "as") if award else "",
        "award": award, "wording": wording,
        "place_and_date": design.place_and_date.replace(
            DATE_PLACEHOLDER, format_date(issued, edition)),
        "signatories": [{"name": str(s.get("name", "")), "title": str(s.get("title", "")),
                         "id_number": str(s.get("id_number", ""))}
                        for s in (design.signatories or [])],
        "accent": design.accent_color, "logo": logo, "background": background,
        "code": certificate.code,
        # A fixed mask pattern: any of the eight is valid for every reader, and trying all
        # of them to pick the "best" would cost more than rendering the certificate.
        "qr": segno.make(url, error="m", mask=4, micro=False).svg_inline(scale=4),
        "verify_hint": _("Check this certificate: scan the code or open"),
        # Printed in full so the page can be typed in where the code cannot be scanned.
        # (a zero-width space after each slash lets a long address wrap under the QR code).
        "verify_url": url.split("://", 1)[-1].replace("/", "/\u200b"),
    }


def file_name(certificate: Certificate) -> str:
    base = slugify(f"{certificate.category_name}-{certificate.rank or ''}-{certificate.recipient}")
    return f"piagam-{base[:80]}-{certificate.code}.pdf"


def render_certificates(certificates: list[Certificate], design: CertificateDesign,
                        files: dict[str, bytes], *, progress=None) -> list[tuple[str, bytes]]:
    """PDFs for the certificates (one compiler for all); ``progress(done)`` is called often."""
    out = []
    with renderer("certificate.typ") as r:
        for name, data in files.items():
            r.add_file(name, data)
        documents = (certificate_data(c, design, files) for c in certificates)
        for number, (certificate, pdf) in enumerate(zip(certificates, r.pdfs(documents),
                                                        strict=True), start=1):
            out.append((file_name(certificate), pdf))
            if progress is not None and (number % 25 == 0 or number == len(certificates)):
                progress(number)
    return out


def certificate_pdf(certificate: Certificate) -> tuple[str, bytes]:
    """One issued certificate's file name and PDF, drawn from the edition's design as it is
    now (the same drawing as in the organiser's zip); raises DesignError with the problems."""
    design = design_for(certificate.edition)
    problems, files = check_design(design)
    if problems:
        raise DesignError(problems)
    return render_certificates([certificate], design, files)[0]


def preview_pdf(edition: Edition) -> bytes:
    """A sample certificate for the design page (raises DesignError with the problems)."""
    design = design_for(edition)
    problems, files = check_design(design)
    if problems:
        raise DesignError(problems)
    category = edition.categories.order_by("order").first()
    category_name = category.name if category else _("Category")
    sample = Certificate(edition=edition, entry_id=0, award_label=_("Winner"),
                         recipient=_("Name of the institution"), innovation_title=_("Innovation"),
                         category_name=category_name, award_unit=category_name, rank=1,
                         code=make_code())
    return render_certificates([sample], design, files)[0][1]


# -- batches -------------------------------------------------------------------------------------


def start_generation(*, edition: Edition, actor: Any) -> CertificateBatch:
    """Check the design, then queue generation of every winner's certificate."""
    problems, _files = check_design(design_for(edition))
    if problems:
        raise DesignError(problems)
    if not awards_of(edition):
        raise DesignError([_("No final result gives a certificate yet. Certificates can be "
                             "generated once the final results are stored.")])
    with transaction.atomic():
        batch = CertificateBatch.objects.create(
            edition=edition, requested_by=actor if getattr(actor, "pk", None) else None,
        )
        record_event(actor=actor, action="certificates.generation_started", obj=batch,
                     edition_id=edition.pk)
        from sayembara.documents.tasks import generate_certificates

        transaction.on_commit(lambda: generate_certificates.enqueue(batch.pk))
    return batch


def run_batch(batch: CertificateBatch) -> CertificateBatch:
    """Generate, store and zip every certificate of the batch's edition."""
    edition = Edition.objects.select_related("organiser").get(pk=batch.edition_id)
    design = design_for(edition)
    problems, files = check_design(design)
    if problems:
        batch.status, batch.error = BatchStatus.FAILED, " ".join(problems)
        batch.save(update_fields=["status", "error"])
        return batch
    certificates = issue_certificates(edition=edition, actor="task:certificates")
    for certificate in certificates:
        certificate.edition = edition
    batch.status, batch.total, batch.done = BatchStatus.RUNNING, len(certificates), 0
    batch.save(update_fields=["status", "total", "done"])

    def progress(done: int) -> None:
        CertificateBatch.objects.filter(pk=batch.pk).update(done=done)

    rendered = render_certificates(certificates, design, files, progress=progress)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, pdf in rendered:  # PDFs are compressed inside already
            archive.writestr(name, pdf)
    batch.archive.save(f"piagam-{edition.slug}-{batch.pk}.zip", ContentFile(buffer.getvalue()),
                       save=False)
    batch.status, batch.done, batch.finished_at = BatchStatus.DONE, len(certificates), \
        timezone.now()
    batch.save(update_fields=["archive", "status", "done", "finished_at"])
    record_event(actor="task:certificates", action="certificates.generated", obj=batch,
                 edition_id=edition.pk, after={"count": len(certificates)})
    return batch


def resume_interrupted_batches() -> list[int]:
    """Queue again every certificate run left queued or running by a worker that stopped
    (killed, or the machine restarted); run when a worker starts. Issuing is idempotent (one
    certificate per entry and award, codes kept), so a run taken up again completes with
    exactly one certificate per winner."""
    from django_tasks_db.models import DBTaskResult

    from sayembara.documents.tasks import generate_certificates

    waiting = {int(args[0]) for args in DBTaskResult.objects.filter(
        task_path__endswith="generate_certificates", status="READY").values_list(
        "args_kwargs__args", flat=True) if args}
    # The queue's own record of the run that was cut off stays "running" otherwise.
    DBTaskResult.objects.filter(task_path__endswith="generate_certificates",
                                status="RUNNING").update(status="FAILED",
                                                         finished_at=timezone.now())
    resumed = []
    for batch_id in CertificateBatch.objects.filter(
            status__in=[BatchStatus.QUEUED, BatchStatus.RUNNING]).values_list("pk", flat=True):
        if batch_id in waiting:
            continue  # still in the queue: the worker takes it as usual
        generate_certificates.enqueue(batch_id)
        resumed.append(batch_id)
    return resumed


def fail_batch(batch_id: int, message: str) -> None:
    CertificateBatch.objects.filter(pk=batch_id).update(status=BatchStatus.FAILED, error=message,
                                                        finished_at=timezone.now())


