"""The organiser's security events page: lockouts, two-step changes and refused files of
the organiser's own editions and people, never another organiser's."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sayembara.common.services.audit import record_event
from sayembara.common.services.security import record_refused_upload
from tests.factories import InstitutionFactory, UserFactory
from tests.factories_entries import make_edition, make_entry, make_operator, make_organiser_user

pytestmark = pytest.mark.django_db


def _refusal(entry, operator, name):
    record_refused_upload(
        actor=operator, obj=entry, upload=SimpleUploadedFile(name, b"MZ" + b"\0" * 2046),
        purpose="Laporan kinerja", error=ValidationError(
            f"The file “{name}” is a Windows program.", code="wrong_type"))


def test_organiser_sees_own_events_from_the_menu_and_not_another_organisers(client):
    mine, theirs = make_edition(), make_edition()
    unit = InstitutionFactory(organiser=mine.organiser)
    operator = make_operator(unit)
    entry = make_entry(edition=mine, institution=unit, actor=operator)
    other_unit = InstitutionFactory(organiser=theirs.organiser)
    other_operator = make_operator(other_unit)
    other_entry = make_entry(edition=theirs, institution=other_unit, actor=other_operator)
    _refusal(entry, operator, "laporan.pdf")
    _refusal(other_entry, other_operator, "rahasia-lain.pdf")
    record_event(actor=None, action="security.login_locked", obj=operator,
                 after={"username": operator.username, "ip": "10.1.2.3", "failures": 5,
                        "minutes": 15})
    record_event(actor=operator, action="account.totp_disabled", obj=operator)
    record_event(actor=other_operator, action="account.totp_disabled", obj=other_operator)
    record_event(actor=operator, action="entry.document_added", obj=entry)  # not security

    organiser = make_organiser_user(mine.organiser)
    client.force_login(organiser)
    home = client.get(reverse("web:home")).content.decode()
    url = reverse("web:security_events")
    assert f'href="{url}"' in home
    page = client.get(url).content.decode()
    assert "The file “laporan.pdf” (2 KB) for “Laporan kinerja” was refused." in page
    assert "The file “laporan.pdf” is a Windows program." in page
    assert (f"The account {operator.username} was locked after 5 wrong passwords, for "
            "15 minutes.") in page
    assert "From address 10.1.2.3." in page
    assert page.count("Two-step verification was switched off.") == 1
    assert "rahasia-lain.pdf" not in page
    assert " WIB</td>" in page or " WITA</td>" in page or " WIT</td>" in page
    only_files = client.get(url, {"jenis": "unggahan"}).content.decode()
    assert "laporan.pdf" in only_files and "was locked" not in only_files


def test_people_without_an_organiser_role_are_refused(client):
    client.force_login(UserFactory())
    assert client.get(reverse("web:security_events")).status_code in (403, 404)


def test_security_events_page_queries_do_not_grow_with_events(
        client, django_assert_max_num_queries):
    edition = make_edition()
    unit = InstitutionFactory(organiser=edition.organiser)
    operator = make_operator(unit)
    entry = make_entry(edition=edition, institution=unit, actor=operator)
    client.force_login(make_organiser_user(edition.organiser))
    for number in range(3):
        _refusal(entry, operator, f"a{number}.pdf")
    with django_assert_max_num_queries(15) as few:
        client.get(reverse("web:security_events"))
    for number in range(30):
        _refusal(entry, operator, f"b{number}.pdf")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("web:security_events"))
