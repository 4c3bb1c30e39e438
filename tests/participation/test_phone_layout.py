"""The operator's entry pages on a phone (390 px, Debian's Chromium): a long video link and
the autosave's list of problems wrap inside the screen instead of pushing the page sideways."""

import pytest
from django.urls import reverse

from sayembara.entries.models import Entry
from tests.conftest import signed_in_page
from tests.factories import InstitutionFactory
from tests.factories_entries import make_edition, make_entry, make_operator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_LINK = ("https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/"
             "view?usp=sharing")


@pytest.fixture
def phone_operator(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition = make_edition()
    institution = InstitutionFactory(organiser=edition.organiser, name="Dinas Kesehatan")
    operator = make_operator(institution)
    entry = make_entry(edition=edition, institution=institution, actor=operator)
    Entry.objects.filter(pk=entry.pk).update(video_url=LONG_LINK, video_seconds=105)
    context, page = signed_in_page(browser, live_server, operator, **PHONE)
    yield entry, page
    context.close()


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_long_video_link_wraps_on_the_entry_page(live_server, phone_operator):
    entry, page = phone_operator
    page.goto(live_server.url + reverse("participation:entry_detail", args=[entry.pk]))
    assert page.get_by_role("link", name=LONG_LINK).is_visible()
    assert _page_width(page) == PHONE["width"]


def test_the_autosave_problems_stay_on_the_screen(live_server, phone_operator):
    entry, page = phone_operator
    page.goto(live_server.url + reverse("participation:entry_edit", args=[entry.pk]))
    page.wait_for_load_state()  # deferred scripts (autosave) are running
    page.fill("#id_video_url", "http://drive.google.com/file/d/abc/view")
    page.fill("#id_video_length", "3:30")
    status = page.locator("#autosave-status")
    status.get_by_text("Not saved automatically; correct these first:").wait_for()
    assert "does not start with https://" in status.inner_text()
    assert _page_width(page) == PHONE["width"]
    box = status.bounding_box()
    assert box["x"] + box["width"] <= PHONE["width"]
