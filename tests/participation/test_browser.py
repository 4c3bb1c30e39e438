"""The participant journey in a real browser (Debian's Chromium through Playwright): an
operator accepts an invitation, writes a proposal with the live word counter and autosave,
uploads PDFs and submits; a second submission after the deadline is refused; the organiser
passes the entry in the administrative check and the operator sees the result."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sayembara.competitions.models import Edition
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.entries.services.accounts import invite_member
from tests.conftest import new_page, signed_in_page
from tests.factories import InstitutionFactory
from tests.factories_entries import make_edition, make_organiser_user, pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def _page(browser):
    return new_page(browser)


def _signed_in_page(browser, live_server, user):
    return signed_in_page(browser, live_server, user)


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _wait_for_autosave(page):
    page.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.includes('Saved')")


def test_operator_journey_from_invitation_to_administrative_result(live_server, browser,
                                                                   settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    edition = make_edition(year=timezone.now().year)
    unit = InstitutionFactory(organiser=edition.organiser, name="Dinas Kependudukan",
                              kind="perangkat_daerah")
    organiser = make_organiser_user(edition.organiser)
    invite_member(institution=unit, email="operator@dukcapil.go.id", role="operator",
                  full_name="Sari", actor=organiser)
    link = re.search(r"http://\S+/peserta/undangan/\S+/", mail.outbox[-1].body).group(0)

    # The operator accepts the invitation and chooses a password.
    context, page = _page(browser)
    page.goto(link)
    page.fill("#id_full_name", "Sari Dewi")
    page.fill("#id_password1", "Antar-Dokumen-2026")
    page.fill("#id_password2", "Antar-Dokumen-2026")
    page.click("button[type=submit]:has-text('Accept the invitation')")
    page.wait_for_url(live_server.url + reverse("participation:home"))

    # Starts an entry and writes the proposal.
    page.click(f"a[href='{reverse('participation:entry_start', args=[edition.slug])}']")
    page.select_option("#id_category", label="Tata Kelola Pemerintahan")
    page.fill("#id_title", "Antar Dokumen Kependudukan")
    page.click("button[type=submit]:has-text('Create the draft')")
    page.wait_for_selector("#entry-form")
    page.wait_for_load_state()  # deferred scripts (autosave, counters) are running
    entry = Entry.objects.get(title="Antar Dokumen Kependudukan")

    page.fill("#id_section__ringkasan", "Petugas mengantar akta dan KTP ke rumah warga.")
    counter = page.locator("#id_section__ringkasan ~ [data-word-count]")
    assert counter.inner_text() == "8 / 20"
    page.fill("#id_section__latar-belakang", "Antrean di kantor dinas mencapai tiga jam.")
    _wait_for_autosave(page)
    page.fill("#id_innovation_started_on", f"{edition.year - 2}-01-15")
    page.select_option("#id_claim__regulasi", index=3)
    page.fill("#id_video_url", "https://youtu.be/dQw4w9WgXcQ")
    page.fill("#id_video_length", "1:45")
    page.check("#id_affirm__kesediaan-replikasi")
    page.set_input_files("#id_upload__document__laporan", [_pdf("laporan-2025.pdf")])
    page.set_input_files("#id_upload__statement__sk-inovasi", [_pdf("sk-bupati.pdf")])
    page.set_input_files("#id_upload__evidence__regulasi", [_pdf("perbup.pdf")])
    page.wait_for_timeout(1700)
    _wait_for_autosave(page)
    page.click("button[name=action][value=submit]")
    page.wait_for_selector("text=was submitted")
    assert page.locator("h1 .badge").inner_text() == "Submitted"
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    assert sorted(entry.documents.values_list("original_name", flat=True)) == [
        "laporan-2025.pdf", "perbup.pdf", "sk-bupati.pdf"]

    # A second entry is drafted, but the deadline passes before it is submitted.
    page.goto(live_server.url + reverse("participation:entry_start", args=[edition.slug]))
    page.select_option("#id_category", label="Pelayanan Publik")
    page.fill("#id_title", "Layanan Keliling")
    page.click("button[type=submit]:has-text('Create the draft')")
    page.wait_for_selector("#entry-form")
    page.wait_for_load_state()  # deferred scripts (autosave, counters) are running
    second = Entry.objects.get(title="Layanan Keliling")
    Edition.objects.filter(pk=edition.pk).update(
        submission_deadline=timezone.now() - dt.timedelta(minutes=1))
    page.goto(live_server.url + reverse("participation:entry_edit", args=[second.pk]))
    page.click("button[name=action][value=submit]")
    page.wait_for_selector("text=The deadline for submitting entries was")
    assert "WITA" in page.inner_text(".messages")
    second.refresh_from_db()
    assert second.state == EntryState.DRAFT

    # The organiser passes the first entry in the administrative check.
    organiser_context, organiser_page = _signed_in_page(browser, live_server, organiser)
    organiser_page.goto(live_server.url + reverse("participation:check_list",
                                                  args=[edition.slug]))
    organiser_page.check(f"input[name=entries][value='{entry.pk}']")
    organiser_page.check("input[name=outcome][value=passed]")
    organiser_page.click("button:has-text('Record for the ticked entries')")
    organiser_page.wait_for_selector("text=Recorded for 1 entry:")
    organiser_context.close()

    # The operator sees the result and its history, and was told by e-mail.
    page.goto(live_server.url + reverse("participation:entry_detail", args=[entry.pk]))
    assert page.locator("h1 .badge").inner_text() == "Passed the administrative check"
    assert page.locator("tr[data-history=passed_admin]").count() == 1
    assert mail.outbox[-1].to == ["operator@dukcapil.go.id"]
    assert "passed the administrative check" in mail.outbox[-1].subject
    context.close()
