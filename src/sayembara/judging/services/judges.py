"""Judges: seats on an edition's jury, invitations and the integrity pledge."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.accounts.selectors.roles import forget_scopes
from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition
from sayembara.entries.models import Institution
from sayembara.judging.enums import JuryRole, Unsur
from sayembara.judging.models import Judge
from sayembara.judging.services.errors import JudgingError


def _check_choice(value: str, choices: type, label: str) -> None:
    if value not in choices.values:
        raise JudgingError(
            _("“%(value)s” is not a known %(label)s. Use one of: %(choices)s.")
            % {"value": value, "label": label, "choices": ", ".join(choices.values)}
        )


@transaction.atomic
def add_judge(
    *,
    edition: Edition,
    name: str,
    unsur: str,
    role: str,
    affiliation: str = "",
    institution: Institution | None = None,
    user: Any = None,
    actor: Any,
    membership_role: str = Role.JUDGE,
) -> Judge:
    """Seat a judge on the edition's jury.

    With a ``user`` the judge can sign in: the user receives the ``judge`` membership of the
    edition (``field_verifier`` with ``membership_role``). ``institution`` is the judge's own
    institution in the registry, which makes automatic conflicts of interest possible.
    Refuses a user who already has a seat in this edition.
    """
    _check_choice(unsur, Unsur, _("unsur"))
    _check_choice(role, JuryRole, _("jury role"))
    if not name.strip():
        raise JudgingError(_("Give the judge's name."))
    if institution is not None and institution.organiser_id != edition.organiser_id:
        raise JudgingError(
            _("%(institution)s is not in the registry of %(organiser)s; choose an institution "
              "of the organiser's registry.")
            % {"institution": institution.name, "organiser": edition.organiser}
        )
    if user is not None and Judge.objects.filter(edition=edition, user=user).exists():
        raise JudgingError(
            _("%(user)s already has a seat on the jury of %(edition)s.")
            % {"user": user, "edition": edition}
        )
    judge = Judge.objects.create(
        edition=edition, user=user, name=name.strip(), affiliation=affiliation.strip(),
        unsur=unsur, institution=institution, role=role,
    )
    if user is not None:
        Membership.objects.get_or_create(user=user, role=membership_role, edition=edition,
                                         organiser=None, institution=None)
        forget_scopes(user)
    record_event(
        actor=actor, action="judge.added", obj=judge,
        after={"name": judge.name, "unsur": unsur, "role": role, "affiliation": judge.affiliation,
               "institution": institution.pk if institution else None,
               "user": user.pk if user is not None else None},
    )
    return judge


def accept_pledge(*, judge: Judge, actor: Any) -> Judge:
    """Record that the judge accepted the integrity pledge (pakta integritas); idempotent."""
    if judge.pledge_accepted_at is not None:
        return judge
    judge.pledge_accepted_at = timezone.now()
    judge.save(update_fields=["pledge_accepted_at"])
    record_event(actor=actor, action="judge.pledge_accepted", obj=judge,
                 after={"accepted_at": judge.pledge_accepted_at})
    return judge
