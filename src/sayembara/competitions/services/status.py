"""The life cycle of an edition: being prepared → open for entries → judging → results
decided → results published.

Each step forward has what must be true first (``step_problems``): judging starts only
once registration was open, the results are decided only once every stage's list is
confirmed, and published only once the final results are computed. Every move forward,
by the organiser's hand or by opening a stage, confirming the last one or publishing,
passes through these checks."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition

_ORDER = [
    EditionStatus.DRAFT,
    EditionStatus.OPEN,
    EditionStatus.JUDGING,
    EditionStatus.FINISHED,
    EditionStatus.PUBLISHED,
]


#: The step that leads to each status, as a button names it.
STEP_NAMES = {
    EditionStatus.OPEN: gettext_lazy("Open registration"),
    EditionStatus.JUDGING: gettext_lazy("Start judging"),
    EditionStatus.FINISHED: gettext_lazy("Decide the results"),
    EditionStatus.PUBLISHED: gettext_lazy("Publish the results"),
}

#: What each step does, for the question asked before it is taken.
STEP_EFFECTS = {
    EditionStatus.OPEN: gettext_lazy(
        "Operators of the invited institutions see the edition and can start their entries. "
        "The public page shows it."),
    EditionStatus.JUDGING: gettext_lazy(
        "The edition is being judged; opening the first stage for scoring does this too."),
    EditionStatus.FINISHED: gettext_lazy(
        "The final results are decided; the public still sees them only once they are "
        "published."),
    EditionStatus.PUBLISHED: gettext_lazy(
        "The results are public: the public page, the results bundle and the certificates "
        "show them."),
}


class EditionStatusError(Exception):
    pass


def is_forward(current: str, target: str) -> bool:
    return _ORDER.index(EditionStatus(target)) > _ORDER.index(EditionStatus(current))


def next_status(current: str) -> EditionStatus | None:
    index = _ORDER.index(EditionStatus(current))
    return _ORDER[index + 1] if index + 1 < len(_ORDER) else None


def _unconfirmed_stages(edition: Edition) -> list[str]:
    from sayembara.judging.models import StageClosing

    confirmed = set(StageClosing.objects.filter(stage__edition=edition,
                                                confirmed_at__isnull=False)
                    .values_list("stage_id", flat=True))
    return [s.name for s in edition.stages.order_by("order") if s.pk not in confirmed]


def step_problems(edition: Edition, target: str, *, current: str | None = None) -> list[str]:
    """What must be true before ``edition`` moves forward to ``target`` and is not, one
    sentence each (empty when the move may go ahead). Every step between the current
    status and the target is checked, so no step is skipped by a single move."""
    current = EditionStatus(current or edition.status)
    target = EditionStatus(target)
    if not is_forward(current, target):
        return []
    steps = _ORDER[_ORDER.index(current) + 1:_ORDER.index(target) + 1]
    problems: list[str] = []
    if EditionStatus.JUDGING in steps and current == EditionStatus.DRAFT:
        problems.append(_("Registration has not been opened yet: open registration first, "
                          "so that participants can send their entries."))
    if EditionStatus.FINISHED in steps:
        waiting = _unconfirmed_stages(edition)
        if waiting:
            problems.append(_("The results are decided only once the list of every stage "
                              "is confirmed (penetapan); not confirmed yet: %(stages)s.")
                            % {"stages": ", ".join(waiting)})
    if EditionStatus.PUBLISHED in steps:
        from sayembara.judging.models import FinalResult

        if not FinalResult.objects.filter(edition=edition).exists():
            problems.append(_("The final results have not been computed yet; they are "
                              "computed when the last stage is closed."))
    return problems


@transaction.atomic
def set_edition_status(*, edition: Edition, status: str, actor: Any, reason: str = "") -> Edition:
    """Move the edition to ``status``.

    Moving forward is refused while ``step_problems`` names something that must be true
    first (more than one step at once is allowed when each step's conditions hold). Moving
    back, e.g. withdrawing published results, needs a written reason. Writes an audit
    event; does nothing when the edition already has that status.
    """
    locked = Edition.objects.select_for_update().get(pk=edition.pk)
    current = EditionStatus(locked.status)
    target = EditionStatus(status)
    if current == target:
        return locked
    problems = step_problems(locked, target, current=current)
    if problems:
        raise EditionStatusError(
            _("%(edition)s cannot move to “%(target)s” yet.") % {
                "edition": locked.title, "target": target.label} + " " + " ".join(problems))
    if _ORDER.index(target) < _ORDER.index(current) and not reason.strip():
        raise EditionStatusError(
            _("%(edition)s is “%(current)s”; going back to “%(target)s” needs a written "
              "reason.") % {"edition": locked.title, "current": current.label,
                            "target": target.label}
        )
    locked.status = target
    locked.save(update_fields=["status"])
    edition.status = target
    if EditionStatus.PUBLISHED in (current, target):
        from sayembara.documents.services.publication import follow_edition_status

        follow_edition_status(edition=locked, published=target == EditionStatus.PUBLISHED,
                              actor=actor)
    record_event(actor=actor, action="edition.status_changed", obj=locked,
                 before={"status": current.value}, after={"status": target.value},
                 reason=reason)
    return locked


@transaction.atomic
def advance_edition_status(*, edition: Edition, status: str, actor: Any) -> Edition:
    """Move forward to ``status`` if the edition is not already there or beyond (read from
    the database, so a stale instance never moves it back)."""
    current = Edition.objects.select_for_update().values_list("status", flat=True).get(
        pk=edition.pk)
    if _ORDER.index(EditionStatus(current)) >= _ORDER.index(EditionStatus(status)):
        edition.status = current
        return edition
    return set_edition_status(edition=edition, status=status, actor=actor)
