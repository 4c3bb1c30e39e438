"""What the organisers must hear at once about the jury's work."""

from __future__ import annotations

from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.common.addresses import public_url
from sayembara.competitions.models import Stage
from sayembara.entries.models import Entry


def organiser_addresses(organiser_id: int) -> list[str]:
    return sorted(set(Membership.objects.filter(
        organiser_id=organiser_id, role=Role.ORGANISER, user__is_active=True,
    ).exclude(user__email="").values_list("user__email", flat=True)))


def deliver_extra_judge_alert(*, stage_id: int, entry_id: int) -> int:
    """Tell the organisers that an entry needs an extra judge and none of the stage's
    judges is free to take it; returns how many were told."""
    stage = Stage.objects.select_related("edition").filter(pk=stage_id).first()
    entry = Entry.objects.filter(pk=entry_id).first()
    if stage is None or entry is None:
        return 0
    recipients = organiser_addresses(stage.edition.organiser_id)
    if not recipients:
        return 0
    context = {"edition": stage.edition.title, "stage": stage.name, "entry": entry.code,
               "title": entry.title,
               "link": public_url("jury:stage_panel", stage.edition.slug, stage.key)}
    subject = _("[%(edition)s] %(entry)s needs an extra judge at %(stage)s") % context
    body = _("The first judges of %(entry)s “%(title)s” at %(stage)s disagree beyond the "
             "threshold of the rules, so the entry needs an extra judge. No judge of the "
             "stage is free to take it: each one already scores it or has a conflict of "
             "interest with it.\n\nAdd a judge to the stage and give them the entry; until "
             "then the stage cannot be closed.\n\n%(link)s\n") % context
    send_mail(subject, body, None, recipients)
    return len(recipients)


def deliver_replacement_alert(*, withdrawal_id: int) -> int:
    """Tell the organisers that an assigned judge left an entry (a conflict of interest) and
    none of the stage's judges is free to take it over; returns how many were told."""
    from sayembara.judging.models import Assignment, ReviewerWithdrawal

    withdrawal = (ReviewerWithdrawal.objects.select_related("stage__edition", "entry", "judge")
                  .filter(pk=withdrawal_id).first())
    if withdrawal is None or withdrawal.replacement_id is not None:
        return 0
    stage, entry = withdrawal.stage, withdrawal.entry
    recipients = organiser_addresses(stage.edition.organiser_id)
    if not recipients:
        return 0
    left = Assignment.objects.filter(stage=stage, entry=entry).count()
    context = {"edition": stage.edition.title, "stage": stage.name, "entry": entry.code,
               "title": entry.title, "judge": withdrawal.judge.name, "left": left,
               "link": public_url("jury:stage_progress", stage.edition.slug, stage.key)}
    subject = _("[%(edition)s] %(entry)s lost a judge at %(stage)s and nobody is free") % context
    body = ngettext(
        "%(judge)s declared a conflict of interest with %(entry)s “%(title)s” and no longer "
        "scores it at %(stage)s. No other judge of the stage is free to take it over: each "
        "one already scores it or has a conflict of interest with it. The entry now has "
        "%(left)s judge.\n\nAdd a judge to the stage and give them the entry on the panel "
        "and assignments page; otherwise it is scored by fewer judges than the others.\n\n"
        "%(link)s\n",
        "%(judge)s declared a conflict of interest with %(entry)s “%(title)s” and no longer "
        "scores it at %(stage)s. No other judge of the stage is free to take it over: each "
        "one already scores it or has a conflict of interest with it. The entry now has "
        "%(left)s judges.\n\nAdd a judge to the stage and give them the entry on the panel "
        "and assignments page; otherwise it is scored by fewer judges than the others.\n\n"
        "%(link)s\n", left) % context
    send_mail(subject, body, None, recipients)
    return len(recipients)
