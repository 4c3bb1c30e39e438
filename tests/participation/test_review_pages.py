"""The organiser's and the Admin Lokal's pages."""

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sayembara.accounts.enums import Role
from sayembara.accounts.models import Membership
from sayembara.entries.enums import EntryState
from sayembara.entries.models import DeadlineExtension, Entry, Institution, Invitation
from sayembara.entries.services.process import submit_entry
from tests.factories import InstitutionFactory, UserFactory, grant
from tests.factories_entries import (
    complete_entry,
    make_edition,
    make_entry,
    make_operator,
    make_organiser_user,
)

pytestmark = pytest.mark.django_db


def _submitted(edition, n, **kwargs):
    entries = []
    for i in range(n):
        entry = complete_entry(make_entry(edition=edition, title=f"Inovasi {i}", **kwargs),
                               actor="test")
        submit_entry(entry=entry, actor="test")
        entries.append(entry)
    return entries


def test_check_list_bulk_pass_and_fail_with_reasons(client, django_capture_on_commit_callbacks):
    edition = make_edition()
    entries = _submitted(edition, 3)
    for entry in entries:
        make_operator(entry.institution, email=f"op{entry.pk}@uji.go.id")
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:check_list", args=[edition.slug])
    page = client.get(url).content.decode()
    assert all(entry.code in page for entry in entries)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"entries": [entries[0].pk, entries[1].pk],
                                     "outcome": "passed", "note": ""}, follow=True)
    assert "Recorded for 2 entries" in response.content.decode()
    response = client.post(url, {"entries": [entries[2].pk], "outcome": "failed",
                                 "reasons": [], "note": ""})
    assert "Choose at least one reason" in response.content.decode()
    client.post(url, {"entries": [entries[2].pk], "outcome": "failed",
                      "reasons": ["missing_documents"], "note": "Laporan kosong."})
    states = dict(Entry.objects.values_list("pk", "state"))
    assert [states[entry.pk] for entry in entries] == [
        EntryState.PASSED_ADMIN, EntryState.PASSED_ADMIN, EntryState.FAILED_ADMIN]
    # the last decision reads "Passed" alone when nothing was said, never "Passed:"
    page = client.get(url).content.decode()
    cells = {entry.code: re.sub(r"\s+", " ", re.search(
        rf'data-entry="{entry.code}">.*?<td class="small">(.*?)</td>', page, re.S)[1]).strip()
        for entry in entries}
    assert cells[entries[0].code] == "Passed"
    assert cells[entries[2].code] == "Not passed: Required documents are missing; Laporan kosong."
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        f"op{entry.pk}@uji.go.id" for entry in entries[:2])


def test_check_list_filters_by_status_and_search(client):
    edition = make_edition()
    entries = _submitted(edition, 2)
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:check_list", args=[edition.slug])
    page = client.get(url, {"q": "Inovasi 1"}).content.decode()
    assert f'data-entry="{entries[1].code}"' in page
    assert f'data-entry="{entries[0].code}"' not in page
    page = client.get(url, {"status": "passed_admin"}).content.decode()
    assert "No entries here." in page


def test_participant_sees_the_administrative_result_in_the_history(client):
    edition = make_edition()
    entry = _submitted(edition, 1)[0]
    organiser = make_organiser_user(edition.organiser)
    client.force_login(organiser)
    client.post(reverse("participation:entry_check", args=[entry.pk]), {
        "outcome": "failed", "reasons": ["video_problem", "other"],
        "note": "Video bersifat privat."})
    client.force_login(make_operator(entry.institution))
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    assert 'data-history="failed_admin"' in page
    assert ("The video cannot be viewed or breaks the length rule; Other reason (see the "
            "note); Video bersifat privat.") in page


def test_admin_lokal_forwards_and_returns_entries_of_its_units(client):
    edition = make_edition()
    region = InstitutionFactory(organiser=edition.organiser, name="Pemkot Uji", kind="kota")
    unit = InstitutionFactory(organiser=edition.organiser, name="Dinas Sosial", parent=region)
    first, second = _submitted(edition, 2, institution=unit)
    admin = UserFactory()
    grant(admin, Role.ADMIN_LOKAL, institution=region)
    client.force_login(admin)
    page = client.get(reverse("participation:admin_lokal")).content.decode()
    assert first.code in page and second.code in page
    client.post(reverse("participation:entry_forward", args=[first.pk]), {"comment": "OK"})
    client.post(reverse("participation:entry_return", args=[second.pk]),
                {"comment": "Lampirkan SK."})
    states = dict(Entry.objects.values_list("pk", "state"))
    assert (states[first.pk], states[second.pk]) == (EntryState.FORWARDED, EntryState.RETURNED)
    # The three sides see the same status.
    for user in (make_operator(unit), make_organiser_user(edition.organiser), admin):
        client.force_login(user)
        page = client.get(reverse("participation:entry_detail",
                                  args=[second.pk])).content.decode()
        assert "Lampirkan SK." in page
        assert 'data-history="returned"' in page


def test_admin_lokal_cannot_forward_entries_outside_its_units(client):
    edition = make_edition()
    entry = _submitted(edition, 1)[0]
    admin = UserFactory()
    grant(admin, Role.ADMIN_LOKAL, institution=InstitutionFactory(organiser=edition.organiser))
    client.force_login(admin)
    response = client.post(reverse("participation:entry_forward", args=[entry.pk]))
    assert response.status_code == 404
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED


def test_tracker_page_and_one_click_reminders(client, django_capture_on_commit_callbacks):
    edition = make_edition()
    silent = InstitutionFactory(organiser=edition.organiser, name="Dinas Pariwisata",
                                kind="perangkat_daerah", email="dispar@minut.go.id")
    client.force_login(make_organiser_user(edition.organiser))
    url = reverse("participation:tracker", args=[edition.slug])
    page = client.get(url).content.decode()
    assert 'data-institution="Dinas Pariwisata"' in page
    assert 'hx-trigger="every 30s"' in page
    assert "Not in the registry" in page  # RSUD Maria Walanda Maramis is named in the rules
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial
    assert "0 of 1 have submitted." in partial
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:tracker_remind", args=[edition.slug]))
    assert [message.to for message in mail.outbox] == [[silent.email]]


def test_edition_extension_page_extends_for_everyone_in_editions_zone(client):
    edition = make_edition()
    client.force_login(make_organiser_user(edition.organiser))
    later = timezone.localtime(edition.submission_deadline, edition.zoneinfo) + dt.timedelta(
        days=3)
    client.post(reverse("participation:edition_extension", args=[edition.slug]), {
        "until": later.strftime("%Y-%m-%dT%H:%M"), "reason": "Banjir di kecamatan."})
    extension = DeadlineExtension.objects.get()
    assert extension.entry is None
    assert extension.until == later.replace(second=0, microsecond=0)


def test_entry_extension_by_organiser_only(client):
    edition = make_edition()
    entry = make_entry(edition=edition)
    until = (timezone.localtime(edition.submission_deadline, edition.zoneinfo)
             + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    client.force_login(make_operator(entry.institution))
    response = client.post(reverse("participation:entry_extension", args=[entry.pk]),
                           {"until": until, "reason": "Minta"})
    assert response.status_code == 404
    client.force_login(make_organiser_user(edition.organiser))
    client.post(reverse("participation:entry_extension", args=[entry.pk]),
                {"until": until, "reason": "Server error"})
    assert DeadlineExtension.objects.get().entry == entry


def test_registry_import_page_shows_every_problem_and_writes_nothing(client):
    edition = make_edition()
    client.force_login(make_organiser_user(edition.organiser))
    upload = io.BytesIO(b"name,type,parent,e-mail\nDesa A,desa,,\n")
    upload.name = "registry.csv"
    response = client.post(reverse("participation:registry_import",
                                   args=[edition.organiser.slug]), {"file": upload})
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert "The column “region code” is missing." in page
    assert not Institution.objects.filter(name="Desa A").exists()
    upload = io.BytesIO(b"name,type,parent,region code,e-mail\nDesa A,desa,,51.03.01.2001,\n")
    upload.name = "registry.csv"
    response = client.post(reverse("participation:registry_import",
                                   args=[edition.organiser.slug]), {"file": upload},
                           follow=True)
    assert "Imported 1 row: 1 institution added" in response.content.decode()
    page = client.get(reverse("participation:registry", args=[edition.organiser.slug]),
                      {"q": "Desa"}).content.decode()
    assert "Desa A" in page


def test_invitation_from_institution_page_to_first_sign_in(client, settings,
                                                         django_capture_on_commit_callbacks):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.badungkab.go.id"
    edition = make_edition()
    unit = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kapal")
    client.force_login(make_organiser_user(edition.organiser))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:institution_invite", args=[unit.pk]),
                    {"email": "lurah@kapal.go.id", "full_name": "Lurah", "role": "operator"})
    link = re.search(r"https?://[^\s]+/peserta/undangan/[^/]+/", mail.outbox[-1].body).group(0)
    # The e-mail's link is on the public address, not the address the organiser used.
    path = link.split("https://sayembara.badungkab.go.id", 1)[1]
    client.logout()
    assert "Accept the invitation" in client.get(path).content.decode()
    response = client.post(path, {"full_name": "I Made Lurah", "password1": "Kapal-Inovasi-26",
                                  "password2": "Kapal-Inovasi-26"})
    assert response["Location"] == reverse("participation:home")
    membership = Membership.objects.get(user__email="lurah@kapal.go.id")
    assert (membership.role, membership.institution) == (Role.OPERATOR, unit)
    assert client.get(reverse("participation:home")).status_code == 200
    client.logout()
    again = client.get(path)
    assert again.status_code == 410
    assert "already used" in again.content.decode()


def test_accept_page_keeps_name_when_passwords_differ(client):
    from sayembara.entries.services.accounts import invitation_token, invite_member

    invitation = invite_member(institution=InstitutionFactory(), email="a@b.go.id",
                               role="operator", actor="test")
    path = reverse("participation:accept_invitation", args=[invitation_token(invitation)])
    response = client.post(path, {"full_name": "Ni Luh", "password1": "Kapal-Inovasi-26",
                                  "password2": "Kapal-Inovasi-27"})
    page = response.content.decode()
    assert "The two passwords differ." in page
    assert 'value="Ni Luh"' in page
    assert Invitation.objects.get().accepted_at is None


def test_admin_lokal_manages_units_and_may_invite_only_operators(client,
                                                               django_capture_on_commit_callbacks):
    edition = make_edition()
    region = InstitutionFactory(organiser=edition.organiser, name="Pemkab Uji", kind="kabupaten")
    admin = UserFactory()
    grant(admin, Role.ADMIN_LOKAL, institution=region)
    client.force_login(admin)
    # The unit's type is one of the list: the types the edition's rules name.
    kind = edition.rules["institution_types"][0]["id"]
    client.post(reverse("participation:institution_add_unit", args=[region.pk]),
                {"name": "Puskesmas Kuta", "kind": kind, "region_code": "", "email": ""})
    unit = Institution.objects.get(name="Puskesmas Kuta")
    assert unit.parent == region
    page = client.get(reverse("participation:institution", args=[region.pk])).content.decode()
    assert 'value="admin_lokal"' not in page
    response = client.post(reverse("participation:institution_invite", args=[region.pk]),
                           {"email": "x@y.go.id", "role": "admin_lokal", "unit": unit.pk},
                           follow=True)
    assert not Invitation.objects.exists()
    assert "admin_lokal" in response.content.decode()  # the refusal names the choice
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("participation:institution_invite", args=[region.pk]),
                    {"email": "op@puskesmas.go.id", "role": "operator", "unit": unit.pk})
    assert Invitation.objects.get().institution == unit
    operator = make_operator(unit)
    membership = Membership.objects.get(user=operator)
    client.post(reverse("participation:membership_remove", args=[membership.pk]))
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_mentoring_log_by_organiser_visible_to_participant(client):
    edition = make_edition()
    entry = make_entry(edition=edition)
    client.force_login(make_organiser_user(edition.organiser))
    client.post(reverse("participation:entry_mentoring", args=[entry.pk]), {
        "held_on": "2026-03-02", "mentor": "Balitbang Kota", "notes": "Lengkapi data.",
        "next_step": "Kunjungan lapangan"})
    client.force_login(make_operator(entry.institution))
    page = client.get(reverse("participation:entry_detail", args=[entry.pk])).content.decode()
    assert "Balitbang Kota" in page and "Kunjungan lapangan" in page
    response = client.post(reverse("participation:entry_mentoring", args=[entry.pk]), {
        "held_on": "2026-03-03", "mentor": "Saya", "notes": "x"})
    assert response.status_code == 404


def test_operator_carries_entry_into_next_years_edition(client):
    krenova = make_edition(year=2026)
    next_year = make_edition(organiser=krenova.organiser, year=2027)
    entry = complete_entry(make_entry(edition=krenova), actor="test")
    client.force_login(make_operator(entry.institution))
    url = reverse("participation:entry_carry", args=[entry.pk])
    page = client.get(url).content.decode()
    category = next_year.categories.get(key="tata-kelola")
    assert f'value="{next_year.pk}:{category.pk}"' in page
    response = client.post(url, {"target": f"{next_year.pk}:{category.pk}",
                                 "institution": entry.institution.pk})
    carried = Entry.objects.get(edition=next_year)
    assert response["Location"] == reverse("participation:entry_detail", args=[carried.pk])
    assert carried.documents.count() == 2  # the report and the evidence; not the statement
    # Last year's report covers 2025: kept aside, and the operator is asked for 2026's.
    page = client.get(response["Location"]).content.decode()
    assert ("“Laporan kinerja tahun sebelumnya” covers 2026 in Kompetisi Inovasi Uji 2027: "
            "upload the document for 2026.") in page
    assert "laporan.pdf covers 2025, so it was not put into a slot of this edition" in page


def test_registry_and_institution_pages_name_institution_types(client):
    edition = make_edition()
    village = InstitutionFactory(organiser=edition.organiser, name="Desa Kapal", kind="desa")
    InstitutionFactory(organiser=edition.organiser, name="Unit Lama", kind="unit_lama")
    client.force_login(make_organiser_user(edition.organiser))
    page = client.get(reverse("participation:registry",
                              args=[edition.organiser.slug])).content.decode()
    assert '<option value="desa">Pemerintah Desa</option>' in page
    assert "<td>Pemerintah Desa</td>" in page and "<td>desa</td>" not in page
    assert "<td>Unit lama</td>" in page  # a type no template names, written out
    detail = client.get(reverse("participation:institution", args=[village.pk])).content.decode()
    assert "<dd>Pemerintah Desa</dd>" in detail


def test_institution_page_labels_start_with_a_capital_in_indonesian(client, settings):
    settings.LANGUAGE_CODE = "id"
    edition = make_edition()
    unit = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kapal")
    client.force_login(make_organiser_user(edition.organiser))
    client.post(reverse("participation:institution_invite", args=[unit.pk]),
                {"email": "lurah@kapal.go.id", "full_name": "Lurah", "role": "operator"})
    page = client.get(reverse("participation:institution", args=[unit.pk])).content.decode()
    assert '<label for="id_region_code">Kode wilayah Kemendagri:</label>' in page
    assert '<button type="submit" class="link">Tarik</button>' in page
