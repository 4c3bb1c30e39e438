"""A platform administrator makes another existing account an administrator and takes the
role away again, asked first each time and written to the audit log; the last one keeps it.
The command does the same from the command line."""

from __future__ import annotations

import html
import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.accounts.selectors.roles import scopes_of
from sayembara.common.models import AuditEvent
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db

PAGE = reverse("web:administrators")


def _client(user) -> Client:
    client = Client(headers={"accept-language": "en"})
    client.force_login(user)
    return client


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _is_admin(user) -> bool:
    user.refresh_from_db()
    if hasattr(user, "_sayembara_scopes"):
        del user._sayembara_scopes
    return scopes_of(user).platform_admin


@pytest.fixture
def admin():
    return UserFactory(username="root", full_name="Ni Luh Admin", is_superuser=True)


def test_an_administrator_makes_a_secretariat_member_an_administrator_after_a_question(admin):
    member = UserFactory(username="sekretariat", email="sek@badung.go.id",
                         full_name="Made Sekretariat")
    client = _client(admin)
    assert "Platform administrators" in _text(client.get(reverse("web:organisers")))
    asked = client.post(PAGE, {"account": "sek@badung.go.id"})
    assert "Make Made Sekretariat (sekretariat) a platform administrator?" in _text(asked)
    assert not _is_admin(member)
    done = client.post(PAGE, {"account": "sek@badung.go.id", "confirmed": "1"}, follow=True)
    assert "Made Sekretariat now administers the platform" in _text(done)
    assert _is_admin(member)
    event = AuditEvent.objects.get(action="account.platform_admin_granted")
    assert (event.actor_label, event.after["username"]) == (admin.email, "sekretariat")
    # The new administrator reaches the organisers' page.
    assert _client(member).get(reverse("web:organisers")).status_code == 200


def test_an_unknown_account_or_an_administrator_already_is_said_plainly(admin):
    client = _client(admin)
    assert "No account has the user name or e-mail address “nobody@x.id”" in _text(
        client.post(PAGE, {"account": "nobody@x.id"}))
    assert "Ni Luh Admin already administers the platform." in _text(
        client.post(PAGE, {"account": "root"}))


def test_the_last_administrator_keeps_the_role(admin):
    client = _client(admin)
    page = _text(client.get(PAGE))
    assert "The last one keeps the role." in page
    assert "Take the role away" not in page
    refused = client.post(reverse("web:administrator_revoke", args=[admin.pk]),
                          {"confirmed": "1"}, follow=True)
    assert "Ni Luh Admin is the last platform administrator" in _text(refused)
    assert _is_admin(admin)
    assert not AuditEvent.objects.filter(action="account.platform_admin_revoked").exists()


def test_an_administrator_takes_the_role_away_after_a_question(admin):
    other = UserFactory(username="kedua", full_name="Kadek Kedua")
    grant(other, Role.PLATFORM_ADMIN)
    client = _client(other)
    url = reverse("web:administrator_revoke", args=[admin.pk])
    asked = client.post(url)
    assert ("Take the platform administrator role away from Ni Luh Admin (root)?"
            in _text(asked))
    assert _is_admin(admin)
    client.post(url, {"confirmed": "1"})
    # An account made with createsuperuser loses the mark that made it an administrator.
    assert not _is_admin(admin)
    assert admin.is_superuser is False
    event = AuditEvent.objects.get(action="account.platform_admin_revoked")
    assert event.before["username"] == "root"
    assert _client(admin).get(reverse("web:organisers")).status_code == 403


def test_the_command_grants_lists_and_revokes(admin, capsys):
    UserFactory(username="kedua", full_name="Kadek Kedua", email="kedua@badung.go.id")
    call_command("administrator", "grant", "kedua@badung.go.id")
    assert "Kadek Kedua now administers the platform" in capsys.readouterr().out
    call_command("administrator", "list")
    assert {line.split()[0] for line in capsys.readouterr().out.splitlines()} == {
        "root", "kedua"}
    call_command("administrator", "revoke", "root")
    with pytest.raises(CommandError, match="Kadek Kedua is the last platform administrator"):
        call_command("administrator", "revoke", "kedua")
    assert AuditEvent.objects.filter(action="account.platform_admin_granted",
                                     actor_label__startswith="cli:").count() == 1
