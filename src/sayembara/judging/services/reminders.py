"""Reminders to judges who still have sheets to submit."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.addresses import public_url
from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Stage
from sayembara.judging.models import Judge
from sayembara.judging.selectors.progress import open_work_by_judge
from sayembara.judging.services.errors import JudgingError


@transaction.atomic
def remind_judges(*, stage: Stage, actor: Any, judge_ids: list[int] | None = None) -> list[Judge]:
    """Queue a reminder e-mail to each judge (all with open work when none are named) who
    has sheets left to submit and an e-mail address. Returns the judges reminded."""
    work = open_work_by_judge(stage)
    candidates = Judge.objects.filter(pk__in=[j for j, n in work.items() if n > 0],
                                      edition_id=stage.edition_id).select_related("user")
    if judge_ids is not None:
        candidates = candidates.filter(pk__in=judge_ids)
    judges = [j for j in candidates if j.user is not None and j.user.email]
    if not judges:
        raise JudgingError(
            _("Nobody to remind: every judge chosen has submitted all sheets or has no e-mail "
              "address.")
        )
    record_event(actor=actor, action="judges.reminded", obj=stage,
                 object_type="competitions.stage", edition_id=stage.edition_id,
                 after={"stage": stage.key, "judges": [j.pk for j in judges]})
    from sayembara.judging.tasks import send_reminder

    for judge in judges:
        transaction.on_commit(
            lambda judge_id=judge.pk: send_reminder.enqueue(stage.pk, judge_id)
        )
    return judges


def deliver_reminder(*, stage_id: int, judge_id: int) -> None:
    stage = Stage.objects.select_related("edition").get(pk=stage_id)
    judge = Judge.objects.select_related("user").get(pk=judge_id)
    left = open_work_by_judge(stage).get(judge.pk, 0)
    if not left or judge.user is None or not judge.user.email:
        return
    subject = ngettext("Reminder: %(count)s score sheet to submit for %(stage)s",
                       "Reminder: %(count)s score sheets to submit for %(stage)s", left) % {
        "count": left, "stage": stage.name}
    body = ngettext(
        "Dear %(name)s,\n\n%(count)s of your score sheets for %(stage)s of %(edition)s is not "
        "submitted yet. Open your list of assignments:\n\n%(link)s\n",
        "Dear %(name)s,\n\n%(count)s of your score sheets for %(stage)s of %(edition)s are not "
        "submitted yet. Open your list of assignments:\n\n%(link)s\n", left
    ) % {"name": judge.name, "count": left, "stage": stage.name,
         "edition": stage.edition.title, "link": public_url("jury:home")}
    send_mail(subject, body, None, [judge.user.email])
