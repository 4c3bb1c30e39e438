"""The platform administration: organisers, their secretariat invited by e-mail, the command
for the first organiser, and what a signed-in person with nothing assigned reads."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.common.models import AuditEvent
from sayembara.competitions.models import Organiser
from sayembara.competitions.services.editions import create_edition
from sayembara.template_format import load_template
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def sending(django_capture_on_commit_callbacks):
    """The invitation e-mail is sent after commit: ``with sending():`` runs what was
    queued for then."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _client(user=None) -> Client:
    client = Client(headers={"accept-language": "en"})
    if user is not None:
        client.force_login(user)
    return client


def _text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def _link(message) -> str:
    found = re.search(r"https?://\S+", message.body)
    assert found, message.body
    return re.sub(r"^https?://[^/]+", "", found.group(0))


@pytest.fixture
def admin_user():
    return get_user_model().objects.create_superuser("admin", "admin@example.go.id",
                                                     "rahasia-123")


def test_platform_admin_creates_an_organiser_and_the_invitee_sets_a_password(admin_user,
                                                                           sending):
    client = _client(admin_user)
    home = _text(client.get("/"))
    assert "No organiser uses this installation yet" in home
    page = client.get(reverse("web:organisers"))
    assert "Organisers" in _text(page)

    with sending():
        response = client.post(reverse("web:organisers"), {
            "name": "BRIDA Kabupaten Sigi", "region_name": "Kabupaten Sigi",
            "timezone": "WITA", "invite_email": "Sekretariat@Sigikab.go.id",
            "invite_name": "Ni Made Sari"})

    organiser = Organiser.objects.get(name="BRIDA Kabupaten Sigi")
    assert response["Location"] == reverse("web:organiser_detail", kwargs={"pk": organiser.pk})
    detail = _text(client.get(response["Location"]))
    assert "An invitation was sent to sekretariat@sigikab.go.id" in detail
    assert "invited, no password yet" in detail
    [message] = mail.outbox
    assert message.to == ["sekretariat@sigikab.go.id"]
    assert "BRIDA Kabupaten Sigi" in message.subject

    invitee = _client()
    form_page = invitee.get(_link(message), follow=True)
    assert "Choose your password" in _text(form_page)
    done = invitee.post(form_page.redirect_chain[-1][0], {
        "new_password1": "Sigi-inovasi-2027", "new_password2": "Sigi-inovasi-2027"},
        follow=True)
    text = _text(done)
    assert "Your password is set and you are signed in" in text
    assert "Start your first competition" in text
    create_page = _text(invitee.get(reverse("web:edition_create")))
    assert "BRIDA Kabupaten Sigi" in create_page
    user = get_user_model().objects.get(email="sekretariat@sigikab.go.id")
    assert user.check_password("Sigi-inovasi-2027") and user.full_name == "Ni Made Sari"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"organiser.created", "organiser.member_invited",
            "account.invitation_accepted"} <= actions

    # The link works once.
    again = _client().get(_link(message), follow=True)
    assert "This link does not work any more" in _text(again)


def test_organiser_form_keeps_what_was_typed_on_a_duplicate_name(admin_user):
    OrganiserFactory(name="BRIDA Kabupaten Badung", slug="brida-kabupaten-badung")
    response = _client(admin_user).post(reverse("web:organisers"), {
        "name": "brida kabupaten badung", "region_name": "Bali", "timezone": "WITA"})
    assert response.status_code == 200
    text = _text(response)
    assert "An organiser named “brida kabupaten badung” already exists." in text
    assert 'value="Bali"' in response.content.decode()


def test_inviting_again_sends_a_new_link_and_an_existing_account_is_told(admin_user, sending):
    organiser = OrganiserFactory(name="Balitbang Kota Ambon", slug="balitbang-ambon")
    client = _client(admin_user)
    url = reverse("web:organiser_detail", kwargs={"pk": organiser.pk})
    for _ in range(2):
        with sending():
            client.post(url, {"email": "baru@ambon.go.id"})
    assert len(mail.outbox) == 2 and "choose your password" in mail.outbox[1].body
    existing = UserFactory(username="lama", email="lama@ambon.go.id")
    with sending():
        response = client.post(url, {"email": "lama@ambon.go.id"}, follow=True)
    assert "already had an account and is now in the secretariat" in _text(response)
    assert "Sign in with your account" in mail.outbox[2].body
    assert organiser.pk in set(existing.memberships.values_list("organiser_id", flat=True))
    refused = client.post(url, {"email": "lama@ambon.go.id"})
    assert "is already in the secretariat of Balitbang Kota Ambon" in _text(refused)


def test_a_superuser_holds_no_key_to_an_organisers_editions(admin_user):
    organiser = OrganiserFactory(name="BRIDA Kabupaten Badung", slug="brida-badung")
    template = load_template("mangupura-2024")
    edition = create_edition(template=template, year=2024, organiser=organiser,
                             actor="test")
    client = _client(admin_user)
    response = client.get(reverse("web:edition_dashboard", kwargs={"slug": edition.slug}))
    assert response.status_code == 404
    assert client.get(reverse("web:edition_create")).status_code == 403


def test_a_person_with_nothing_assigned_reads_what_to_do_next():
    user = UserFactory(username="baru", email="baru@example.go.id")
    text = _text(_client(user).get("/"))
    assert "Your account has no role yet" in text
    assert "ask the administrator of this installation to create your organiser" in text
    assert "baru@example.go.id" in text


def test_platform_pages_are_refused_to_organisers():
    organiser = OrganiserFactory()
    user = UserFactory()
    grant(user, Role.ORGANISER, organiser=organiser)
    client = _client(user)
    assert client.get(reverse("web:organisers")).status_code == 403
    assert "Organisers" not in [item for item in re.findall(
        r'<nav class="mainnav".*?</nav>', client.get("/").content.decode(), re.S)]


def test_command_creates_the_first_organiser_and_prints_the_link(capsys, sending):
    with sending():
        call_command("organiser", "create", "Bagian Organisasi Kabupaten Pemalang",
                     "--invite", "ortala@pemalangkab.go.id", "--time-zone", "WIB")
    out = capsys.readouterr().out
    organiser = Organiser.objects.get()
    assert organiser.slug == "bagian-organisasi-kabupaten-pemalang"
    [message] = mail.outbox
    assert _link(message) in out
    page = _client().get(_link(message), follow=True)
    assert "ortala@pemalangkab.go.id" in _text(page)
    call_command("organiser", "list")
    assert "ortala@pemalangkab.go.id" in capsys.readouterr().out
