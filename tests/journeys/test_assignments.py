"""Journeys of the secretariat through Panel dan penugasan, in a real browser (Debian's
Chromium through Playwright): one judge given one entry by hand."""

import pytest
from django.urls import reverse

from sayembara.judging.models import Assignment
from tests.conftest import signed_in_page
from tests.factories_judging import make_judge, make_organiser_user, scored_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_organiser_gives_one_entry_to_one_judge_and_the_judge_sees_it(live_server, browser,
                                                                      settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition, stage, entries, _judges = scored_stage(entries_per_category=1, judges=1)
    entry = entries[0]
    newcomer = make_judge(edition, name="Juri Pengganti")
    context, page = signed_in_page(browser, live_server, make_organiser_user(edition),
                                   width=390, height=844)
    page.goto(live_server.url + reverse("jury:stage_panel", args=[edition.slug, stage.key]))
    page.select_option("#id_one-judge", label="Juri Pengganti")
    page.select_option("#id_one-entry", value=str(entry.pk))
    page.select_option("#id_one-change", label="Assign the entry to the judge")
    page.click("button:has-text('Apply')")
    page.wait_for_selector(".messages")
    assert (f"Juri Pengganti now scores {entry.code} at {stage.name}."
            in page.inner_text(".messages"))
    assert Assignment.objects.filter(stage=stage, judge=newcomer, entry=entry).exists()

    # The same pair once more: refused with a sentence, the choice kept on the form.
    page.select_option("#id_one-judge", label="Juri Pengganti")
    page.select_option("#id_one-entry", value=str(entry.pk))
    page.click("button:has-text('Apply')")
    page.wait_for_selector(".msg-error")
    assert "Juri Pengganti already scores" in page.inner_text(".messages")
    assert page.input_value("#id_one-judge") == str(newcomer.pk)
    context.close()

    context, page = signed_in_page(browser, live_server, newcomer.user, width=1366,
                                   height=768)
    page.goto(live_server.url + reverse("jury:home"))
    assert page.locator(
        f"a[href='{reverse('jury:sheet', args=[stage.pk, entry.pk])}']").count() == 1
    context.close()
