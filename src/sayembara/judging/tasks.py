"""Background work of the judging app: e-mails to judges and participants. Tasks take ids."""

from __future__ import annotations

from django_tasks import task


@task()
def send_invitation(invitation_id: int) -> None:
    from sayembara.judging.services.invitations import deliver_invitation

    deliver_invitation(invitation_id=invitation_id)


@task()
def send_reminder(stage_id: int, judge_id: int) -> None:
    from sayembara.judging.services.reminders import deliver_reminder

    deliver_reminder(stage_id=stage_id, judge_id=judge_id)


@task()
def send_stage_outcome(stage_id: int, entry_id: int) -> None:
    from sayembara.judging.services.closing import deliver_outcome

    deliver_outcome(stage_id=stage_id, entry_id=entry_id)


@task()
def send_extra_judge_alert(stage_id: int, entry_id: int) -> int:
    from sayembara.judging.services.alerts import deliver_extra_judge_alert

    return deliver_extra_judge_alert(stage_id=stage_id, entry_id=entry_id)


@task()
def send_replacement_alert(withdrawal_id: int) -> int:
    from sayembara.judging.services.alerts import deliver_replacement_alert

    return deliver_replacement_alert(withdrawal_id=withdrawal_id)


@task()
def send_ruling(feedback_id: int) -> int:
    from sayembara.judging.services.public import deliver_ruling

    return deliver_ruling(feedback_id=feedback_id)
