"""Uji publik: support and objections about finalists, and the organiser's rulings."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.common.timefmt import format_datetime
from sayembara.competitions.models import Edition, Stage
from sayembara.competitions.services.editions import template_of
from sayembara.entries.models import Entry
from sayembara.judging.enums import FeedbackKind, RulingOutcome
from sayembara.judging.models import Objection, StageClosing, StageResult
from sayembara.judging.services.errors import JudgingError

MAX_TEXT_CHARS = 5000


@dataclass(frozen=True)
class Window:
    """The uji publik window of an edition: the stage whose finalists are put to the
    public, and when it opens and closes (aware datetimes), once the stage is confirmed.
    ``first_day``/``last_day`` are the days the organiser set (None: the template's rule,
    from the day after the list is confirmed, for its number of days)."""

    stage: Stage
    opens_at: dt.datetime | None
    closes_at: dt.datetime | None
    days: int = 0
    first_day: dt.date | None = None
    last_day: dt.date | None = None

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return bool(self.opens_at and self.opens_at <= now <= self.closes_at)

    @property
    def set_by_organiser(self) -> bool:
        return self.first_day is not None


def uji_publik_window(edition: Edition) -> Window | None:
    """None when the template has no uji publik. Once the stage's list is confirmed, the
    window runs over the days the organiser set or, without them, from the day after the
    confirmation for the template's number of days (whole days in the edition's zone)."""
    rule = template_of(edition).public.uji_publik
    if rule is None:
        return None
    stage = Stage.objects.filter(edition=edition, key=rule.after_stage).first()
    if stage is None:
        return None
    first_day, last_day = edition.uji_publik_opens_on, edition.uji_publik_closes_on
    closing = StageClosing.objects.filter(stage=stage, confirmed_at__isnull=False).first()
    if closing is None:
        return Window(stage, None, None, rule.days, first_day, last_day)
    zone = edition.zoneinfo
    start, end = first_day, last_day
    if start is None or end is None:
        start = closing.confirmed_at.astimezone(zone).date() + dt.timedelta(days=1)
        end = start + dt.timedelta(days=rule.days - 1)
    return Window(stage, dt.datetime.combine(start, dt.time(0, 0), zone),
                  dt.datetime.combine(end, dt.time(23, 59, 59), zone), rule.days,
                  first_day, last_day)


@transaction.atomic
def set_uji_publik_dates(*, edition: Edition, opens_on: dt.date | None,
                         closes_on: dt.date | None, actor: Any) -> Edition:
    """The organiser sets the first and last day of the uji publik (both, or neither to
    go back to the template's rule). Refused without an uji publik, with one day only, or
    with the last day before the first."""
    if template_of(edition).public.uji_publik is None:
        raise JudgingError(_("%(edition)s has no public-test window (uji publik).")
                           % {"edition": edition.title})
    if (opens_on is None) != (closes_on is None):
        missing = "closes_on" if closes_on is None else "opens_on"
        raise JudgingError(_("Give both the first and the last day of the uji publik, or "
                             "neither to follow the rules of the template."),
                           problems={missing: _("This field is required.")})
    if opens_on is not None and closes_on < opens_on:
        raise JudgingError(_("The last day of the uji publik comes before its first day."),
                           problems={"closes_on": _("Choose a day on or after the first day.")})
    before = {"opens_on": edition.uji_publik_opens_on, "closes_on": edition.uji_publik_closes_on}
    edition.uji_publik_opens_on, edition.uji_publik_closes_on = opens_on, closes_on
    edition.save(update_fields=["uji_publik_opens_on", "uji_publik_closes_on"])
    record_event(actor=actor, action="uji_publik.dates_set", obj=edition,
                 before={k: v.isoformat() if v else None for k, v in before.items()},
                 after={"opens_on": opens_on.isoformat() if opens_on else None,
                        "closes_on": closes_on.isoformat() if closes_on else None})
    return edition


def finalists_on_trial(edition: Edition) -> list[Entry]:
    """Entries put to the public: those that went on after the uji publik stage."""
    window = uji_publik_window(edition)
    if window is None or window.opens_at is None:
        return []
    ids = StageResult.objects.filter(stage=window.stage, advanced=True).values_list(
        "entry_id", flat=True)
    return list(Entry.objects.filter(pk__in=ids).select_related("institution", "category")
                .order_by("category__order", "code"))


def check_feedback_attachment(*, entry: Entry, attachment: Any) -> str:
    """Refuse an attachment the entry documents' checks would refuse; return its type.

    The same rules as an entry's evidence: recognised by its content (a PDF, an image or an
    office document), at most the evidence size limit. A refusal is recorded as a security
    event for the organiser and raised as a JudgingError naming the ``attachment`` field.
    """
    from sayembara.common.services.security import record_refused_upload
    from sayembara.entries.selectors.requirements import DEFAULT_MAX_SIZE_MB, EVIDENCE_KINDS
    from sayembara.entries.validators import check_upload

    try:
        return check_upload(attachment, kinds=EVIDENCE_KINDS, max_size_mb=DEFAULT_MAX_SIZE_MB,
                            purpose=_("evidence for the public test"))
    except ValidationError as error:
        record_refused_upload(actor=None, obj=entry, upload=attachment,
                              purpose=_("evidence for the public test"), error=error,
                              source="uji_publik")
        raise JudgingError(error.messages[0], problems={"attachment": error.messages[0]}
                           ) from error


def attachment_type(feedback: Objection) -> str | None:
    """The recognised type of a stored attachment (``pdf``, ``png`` ...), from its content."""
    from sayembara.entries.validators import sniff_file

    if not feedback.attachment:
        return None
    try:
        with feedback.attachment.open("rb") as handle:
            return sniff_file(handle).file_type
    except (FileNotFoundError, ValueError):
        return None


def submit_public_feedback(
    *,
    entry: Entry,
    kind: str,
    name: str,
    email: str,
    text: str,
    phone: str = "",
    attachment: Any = None,
    now: dt.datetime | None = None,
) -> Objection:
    """Anyone sends support or an objection about a finalist during the uji publik window.

    Refused (JudgingError with ``problems`` per field) outside the window, for an entry
    that is not on trial, without a name, a valid e-mail address or a message, or with an
    attachment that the entry documents' checks refuse (see check_feedback_attachment; the
    refusal stays in the audit log). The attachment is stored under a random name with the
    extension of its recognised type, never the name it was sent with.
    """
    window = uji_publik_window(entry.edition)
    if window is None:
        raise JudgingError(_("%(edition)s has no public-test window (uji publik).")
                           % {"edition": entry.edition.title})
    if not window.is_open(now):
        if window.opens_at is None:
            message = _("The public-test window has not started: the finalists are not "
                        "announced yet.")
        elif (now or timezone.now()) < window.opens_at:
            message = _("The public-test window opens on %(date)s.") % {
                "date": format_datetime(window.opens_at, entry.edition)}
        else:
            message = _("The public-test window closed on %(date)s; feedback can no longer be "
                        "sent.") % {"date": format_datetime(window.closes_at, entry.edition)}
        raise JudgingError(message)
    if not StageResult.objects.filter(stage=window.stage, entry=entry, advanced=True).exists():
        raise JudgingError(_("Entry %(entry)s is not among the finalists put to the public.")
                           % {"entry": entry.code})
    problems = {}
    if kind not in FeedbackKind.values:
        problems["kind"] = _("Choose support or objection.")
    if not name.strip():
        problems["name"] = _("Write your name; anonymous objections are not accepted.")
    try:
        validate_email((email or "").strip())
    except ValidationError:
        problems["email"] = _("Write a valid e-mail address so that the ruling can reach you.")
    if not text.strip():
        problems["text"] = _("Write your support or objection.")
    elif len(text) > MAX_TEXT_CHARS:
        problems["text"] = _("Keep the message within %(max)s characters (it has %(n)s).") % {
            "max": MAX_TEXT_CHARS, "n": len(text)}
    if problems:
        raise JudgingError(next(iter(problems.values())), problems=problems)
    file_type = check_feedback_attachment(entry=entry, attachment=attachment) if attachment else ""
    return _store_feedback(entry=entry, kind=kind, name=name, email=email, phone=phone,
                           text=text, attachment=attachment, file_type=file_type)


@transaction.atomic
def _store_feedback(*, entry: Entry, kind: str, name: str, email: str, phone: str, text: str,
                    attachment: Any, file_type: str) -> Objection:
    feedback = Objection(
        entry=entry, kind=kind, name=name.strip()[:200], email=email.strip(),
        phone=phone.strip()[:40], text=text.strip(), outcome=RulingOutcome.PENDING,
    )
    if attachment:
        feedback.attachment.save(f"{uuid.uuid4().hex}.{file_type}", attachment, save=False)
    feedback.save()
    record_event(actor=f"public:{email.strip()}", action="uji_publik.received", obj=feedback,
                 object_type="judging.objection", edition_id=entry.edition_id,
                 after={"entry": entry.code, "kind": kind, "name": feedback.name,
                        **({"attachment": {"name": attachment.name[:255], "type": file_type,
                                           "size": attachment.size}} if attachment else {})})
    return feedback


@transaction.atomic
def rule_on_feedback(*, feedback: Objection, outcome: str, ruling: str, actor: Any
                     ) -> Objection:
    """The organiser's recorded decision on an objection (or a note on a support)."""
    allowed = ([RulingOutcome.UPHELD, RulingOutcome.DISMISSED]
               if feedback.kind == FeedbackKind.OBJECTION else [RulingOutcome.NOTED])
    if outcome not in allowed:
        raise JudgingError(_("Choose one of: %(choices)s.") % {
            "choices": ", ".join(str(RulingOutcome(o).label) for o in allowed)},
            problems={"outcome": _("Choose a ruling.")})
    if not ruling.strip():
        raise JudgingError(_("Write the ruling and its reasons; they are published with the "
                             "final results."), problems={"ruling": _("This field is required.")})
    before = {"outcome": feedback.outcome, "ruling": feedback.ruling}
    feedback.outcome = outcome
    feedback.ruling = ruling.strip()
    feedback.ruled_by = actor if getattr(actor, "pk", None) else None
    feedback.ruled_at = timezone.now()
    feedback.save(update_fields=["outcome", "ruling", "ruled_by", "ruled_at"])
    record_event(actor=actor, action="uji_publik.ruled", obj=feedback,
                 object_type="judging.objection", edition_id=feedback.entry.edition_id,
                 before=before, after={"outcome": outcome, "ruling": feedback.ruling},
                 reason=feedback.ruling)
    if before != {"outcome": outcome, "ruling": feedback.ruling}:
        from sayembara.judging.tasks import send_ruling

        transaction.on_commit(lambda: send_ruling.enqueue(feedback.pk))
    return feedback


def deliver_ruling(*, feedback_id: int) -> int:
    """E-mail the person who sent support or an objection the organiser's ruling, with the
    address of the uji publik page; returns how many were told (0 or 1)."""
    from django.core.mail import send_mail

    from sayembara.common.addresses import public_url

    feedback = (Objection.objects.select_related("entry", "entry__edition")
                .filter(pk=feedback_id).first())
    if feedback is None or not feedback.email or feedback.outcome == RulingOutcome.PENDING:
        return 0
    entry, edition = feedback.entry, feedback.entry.edition
    context = {"edition": edition.title, "entry": entry.code, "title": entry.title,
               "name": feedback.name, "outcome": RulingOutcome(feedback.outcome).label,
               "ruling": feedback.ruling, "sent": format_datetime(feedback.created_at, edition),
               "link": public_url("public:uji_publik", edition.slug)}
    if feedback.kind == FeedbackKind.OBJECTION:
        subject = _("[%(edition)s] Ruling on your objection about %(entry)s") % context
        body = _("Dear %(name)s,\n\nThe organiser has ruled on the objection you sent on "
                 "%(sent)s about %(entry)s “%(title)s”.\n\nRuling: %(outcome)s\n\n"
                 "%(ruling)s\n\nThe uji publik and its rulings: %(link)s\n") % context
    else:
        subject = _("[%(edition)s] Your support for %(entry)s was read") % context
        body = _("Dear %(name)s,\n\nThe organiser has read the support you sent on "
                 "%(sent)s for %(entry)s “%(title)s”.\n\n%(ruling)s\n\n"
                 "The uji publik and its rulings: %(link)s\n") % context
    send_mail(subject, body, None, [feedback.email])
    return 1
