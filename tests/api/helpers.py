"""Organisers with tokens, for the API's tests."""

from __future__ import annotations

from sayembara.accounts.enums import Role
from sayembara.accounts.services.api_tokens import create_token
from tests.factories import OrganiserFactory, UserFactory, grant


def organiser_with_token(*, scopes=("read", "import", "export"), organiser=None, days=30):
    organiser = organiser or OrganiserFactory()
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=organiser)
    new = create_token(user=user, organiser=organiser, name="SIPD", scopes=list(scopes),
                       days=days)
    return organiser, user, new


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
