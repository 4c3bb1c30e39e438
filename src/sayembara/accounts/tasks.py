"""Background work of the accounts app: the password-reset e-mail and the secretariat
invitation. Tasks take ids."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task


@task()
def send_password_reset(user_id: int, language: str) -> None:
    from sayembara.accounts.services.passwords import deliver_password_reset

    deliver_password_reset(user_id=user_id, language=language)


@task()
def send_secretariat_invitation(user_id: int, organiser_id: int) -> bool:
    """Tell an invited secretariat member how to start: a link to set a password, or (for an
    account that has one) the address to sign in at."""
    from django.contrib.auth import get_user_model

    from sayembara.common.addresses import public_address, public_url
    from sayembara.competitions.models import Organiser
    from sayembara.competitions.services.organisers import invitation_path

    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    organiser = Organiser.objects.filter(pk=organiser_id).first()
    if user is None or organiser is None or not user.email:
        return False
    days = max(1, settings.PASSWORD_RESET_TIMEOUT // 86400)
    context = {"name": user.full_name or user.email, "organiser": organiser.name,
               "email": user.email,
               "days": ngettext("%(days)s day", "%(days)s days", days) % {"days": days}}
    if user.has_usable_password():
        context["link"] = public_url("accounts:login")
        body = _("Dear %(name)s,\n\nYou are now in the secretariat of %(organiser)s in "
                 "Sayembara. Sign in with your account (%(email)s):\n%(link)s\n") % context
    else:
        context["link"] = public_address(invitation_path(user))
        body = _("Dear %(name)s,\n\nYou are invited to run the competitions of %(organiser)s "
                 "in Sayembara as its secretariat.\n\nOpen this link to choose your password; "
                 "it works once, for %(days)s:\n%(link)s\n\nYou then sign in with your e-mail "
                 "address %(email)s. If you did not expect this invitation, ignore this "
                 "e-mail.\n") % context
    send_mail(_("Invitation to Sayembara: secretariat of %(organiser)s") % context, body,
              None, [user.email])
    return True
