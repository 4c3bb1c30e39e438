"""A fresh install, in a real browser (Debian's Chromium through Playwright): the first
administrator, made with ``createsuperuser``, creates an organiser and invites its
secretariat; the invitee chooses a password from the e-mailed link, builds a competition of
their own from a blank template in the forms (its institution types, a category for them,
the timeline) and opens registration."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from tests.conftest import new_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, live_server, username: str, password: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]:has-text('Sign in')")
    page.wait_for_url(live_server.url + "/")


def _save_rules(page) -> None:
    page.click("button[type=submit]:has-text('Save the rules')")
    page.wait_for_selector("text=The rules were saved.")


def test_fresh_install_to_open_registration(live_server, browser, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    year = timezone.localdate().year
    # The first administrator, as the README says.
    monkeypatch.setitem(os.environ, "DJANGO_SUPERUSER_PASSWORD", "Admin-Sayembara-1")
    call_command("createsuperuser", interactive=False, username="admin",
                 email="admin@diskominfo.go.id", verbosity=0)

    context, page = new_page(browser, width=1366, height=768)
    _sign_in(page, live_server, "admin", "Admin-Sayembara-1")
    assert "No organiser uses this installation yet" in page.inner_text("main")
    page.click("main a:has-text('Create the first organiser')")
    page.fill("#id_name", "BRIDA Kabupaten Sigi")
    page.fill("#id_region_name", "Kabupaten Sigi")
    page.select_option("#id_timezone", "WITA")
    page.fill("#id_invite_email", "sekretariat@sigikab.go.id")
    page.fill("#id_invite_name", "Ni Made Sari")
    page.click("button[type=submit]:has-text('Create the organiser')")
    page.wait_for_selector("text=An invitation was sent to sekretariat@sigikab.go.id")
    assert "invited, no password yet" in page.inner_text("main")
    context.close()

    # The invitee opens the e-mailed link and chooses a password.
    [message] = mail.outbox
    link = re.search(r"http://\S+/akun/undangan/\S+/", message.body).group(0)
    context, page = new_page(browser, width=390, height=844)
    page.goto(link)
    page.fill("#id_new_password1", "Sigi-Inovasi-Desa")
    page.fill("#id_new_password2", "Sigi-Inovasi-Desa")
    page.click("button[type=submit]:has-text('Set the password and sign in')")
    page.wait_for_selector("text=Your password is set and you are signed in")
    assert "Start your first competition" in page.inner_text("main")

    # A competition of their own, from a blank template.
    page.click("main a:has-text('New edition')")
    page.fill("#id_competition", "Lomba Inovasi Desa")
    page.check("input[name=start][value=blank]")
    page.fill("#id_year", str(year))
    page.click("button[type=submit]:has-text('Create the edition')")
    page.wait_for_selector("text=started from a blank template")
    edition = Edition.objects.get()
    assert edition.slug == f"lomba-inovasi-desa-{year}"
    assert edition.competition.name == "Lomba Inovasi Desa"

    # Institution types: a second type, added with the form's own button.
    page.click(f"a[href='{reverse('web:rules_section', args=[edition.slug, 'jenis-lembaga'])}']")
    page.click("#add-row")
    page.wait_for_selector("#id_rows-1-id")
    page.fill("#id_rows-1-id", "pemdes")
    page.fill("#id_rows-1-name", "Pemerintah Desa")
    _save_rules(page)

    # The category: renamed, open to villages only.
    page.goto(live_server.url + reverse("web:rules_section", args=[edition.slug, "kategori"]))
    page.fill("#id_rows-0-name", "Desa")
    page.check("input[name=rows-0-institution_types][value=pemdes]")
    _save_rules(page)

    # The timeline: registration from today until the end of next month.
    page.goto(live_server.url + reverse("web:rules_section", args=[edition.slug, "jadwal"]))
    today = timezone.localdate()
    until = today + dt.timedelta(days=45)
    page.fill("#id_head-submission_deadline", f"{until:%Y-%m-%d}T16:00")
    page.fill("#id_rows-0-start", f"{today:%Y-%m-%d}")
    page.fill("#id_rows-0-end", f"{until:%Y-%m-%d}")
    _save_rules(page)

    # Registration opens.
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click("#next-step")  # "Open registration", asked about before it is taken
    assert f"Open registration: {edition.title}?" in page.inner_text("main")
    page.click("#confirm-step")
    page.wait_for_selector(".messages")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert [t["id"] for t in edition.rules["institution_types"]] == [
        "perangkat_daerah", "pemdes"]
    category = edition.categories.get()
    assert (category.name, category.institution_types) == ("Desa", ["pemdes"])
    assert f"{until:%Y-%m-%d}" in str(edition.rules["timeline"]["submission_deadline"])
    context.close()
