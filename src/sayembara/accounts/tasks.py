"""Background work of the accounts app: the password-reset e-mail. Tasks take ids."""

from __future__ import annotations

from django_tasks import task


@task()
def send_password_reset(user_id: int, language: str) -> None:
    from sayembara.accounts.services.passwords import deliver_password_reset

    deliver_password_reset(user_id=user_id, language=language)
