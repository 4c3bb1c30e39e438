"""The organiser's API tokens page: create (shown once), list, revoke; reached from the menu."""

import pytest
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.accounts.models import ApiToken
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_user(client):
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=OrganiserFactory(name="BRIDA Kabupaten Badung"))
    client.force_login(user)
    return user


def test_the_menu_leads_to_the_tokens_page(client, organiser_user):
    home = client.get(reverse("web:home")).content.decode()
    assert reverse("web:api_tokens") in home


def test_a_new_token_is_shown_once_and_works_until_revoked(client, organiser_user):
    url = reverse("web:api_tokens")
    response = client.post(url, {"name": "Integrasi SIPD", "scopes": ["read"], "days": "30",
                                 "organiser": organiser_user.memberships.get().organiser_id})
    assert response.status_code == 200
    page = response.content.decode()
    token = ApiToken.objects.get()
    secret = response.context["created"].secret
    assert secret in page and token.prefix in page
    assert client.get(url).content.decode().count(secret) == 0  # never shown again
    api = client.get("/api/v1/organiser/editions", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 200
    revoked = client.post(reverse("web:api_token_revoke", kwargs={"pk": token.pk}), follow=True)
    assert "Integrasi SIPD" in revoked.content.decode()
    api = client.get("/api/v1/organiser/editions", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.status_code == 401


def test_a_token_without_name_or_permission_is_refused_and_the_form_kept(client, organiser_user):
    response = client.post(reverse("web:api_tokens"), {
        "name": "", "days": "30", "organiser": organiser_user.memberships.get().organiser_id})
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"name", "scopes"}
    assert not ApiToken.objects.exists()
