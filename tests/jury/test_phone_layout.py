"""A judge's entry sheet on a phone (390 px, Debian's Chromium): a long video link wraps
inside the screen instead of pushing the page sideways."""

import pytest
from django.urls import reverse

from sayembara.entries.models import Entry
from sayembara.judging.services.assignments import assign
from tests.conftest import signed_in_page
from tests.factories_judging import make_edition, make_entry, make_judge, open_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LONG_LINK = ("https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789/"
             "view?usp=sharing")


def test_a_long_video_link_wraps_on_the_judges_sheet(browser, live_server, settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition = make_edition()
    stage = open_stage(edition.stages.get(key="proposal"))
    entry = make_entry(edition)
    Entry.objects.filter(pk=entry.pk).update(video_url=LONG_LINK, video_seconds=105)
    judge = make_judge(edition)
    assign(stage=stage, judge=judge, entry=entry, actor="test")
    context, page = signed_in_page(browser, live_server, judge.user, **PHONE)

    page.goto(live_server.url + reverse("jury:sheet", args=[stage.pk, entry.pk]))

    link = page.get_by_text(LONG_LINK)
    assert link.is_visible()
    # The address breaks inside its own box rather than running out of it.
    assert link.evaluate("node => node.scrollWidth <= node.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") == PHONE["width"]
    context.close()
