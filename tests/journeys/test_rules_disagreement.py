"""An organiser writes a nested disagreement rule on a phone, in a real browser: the add
buttons change the conditions in place (htmx, no page reload, nothing saved), the and/or word
between conditions follows the group's choice at once, and Enter in a value saves the rule."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sayembara.accounts.enums import Role
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import create_edition, template_of
from sayembara.template_format import load_template
from tests.conftest import signed_in_page
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nested_disagreement_rule_written_on_a_phone(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    user = UserFactory(username="sekretariat-brida", full_name="Ni Wayan Sekretariat")
    organiser = OrganiserFactory(name="BRIDA Kabupaten Badung", slug="brida-badung")
    grant(user, Role.ORGANISER, organiser=organiser)
    edition = create_edition(template=load_template("mangupura-2024"), year=2025,
                             organiser=organiser, actor=user)
    url = live_server.url + reverse("web:rules_disagreement", args=[edition.slug, "presentasi"])
    context, page = signed_in_page(browser, live_server, user, width=390, height=844)
    page.goto(url)
    assert "This stage has no disagreement rule yet" in page.inner_text("main")
    page.evaluate("window.samePage = true")

    page.click("button:has-text('Add a condition')")
    page.wait_for_selector("#c-value")
    page.select_option("#c-measure", "spread")
    page.select_option("#c-comparison", "at_least")
    page.fill("#c-value", "20")
    page.click("#c > .cond-tools button:has-text('Add a group of conditions')")
    page.wait_for_selector("#c-1-0-value")
    page.select_option("#c-1-0-measure", "lowest")
    page.select_option("#c-1-0-comparison", "below")
    page.fill("#c-1-0-value", "40")
    page.click("#c-1 > .cond-tools button:has-text('Add a condition to this group')")
    page.wait_for_selector("#c-1-1-value")
    page.fill("#c-1-1-value", "30")

    # the buttons changed the page in place and kept what was typed; nothing is saved yet
    assert page.evaluate("window.samePage") is True
    assert page.input_value("#c-0-value") == "20"
    assert page.input_value("#c-1-0-value") == "40"
    assert template_of(Edition.objects.get(pk=edition.pk)).stage("presentasi").disagreement \
        is None
    assert page.inner_text("#c > .cond-list > .cond-join").strip().lower() == "and"
    page.select_option("#c-1-combine", "any")
    assert page.inner_text("#c-1 > .cond-list > .cond-join").strip().lower() == "or"
    page.check("#id_head-third_reviewer")
    # Enter in a value saves (the form's first button), rather than adding or removing
    page.press("#c-1-1-value", "Enter")
    page.wait_for_selector("text=The rules were saved.")

    assert ("Judges disagree on an entry when the difference between the highest and lowest "
            "judge's total is at least 20 and (the lowest judge's total is below 40 or the "
            "difference between the highest and lowest judge's total is at least 30); the "
            "entry then receives one more judge.") in page.inner_text("main")
    rule = template_of(Edition.objects.get(pk=edition.pk)).stage("presentasi").disagreement
    assert rule.to_data() == {"when": {"all": [
        {"measure": "spread", "at_least": 20},
        {"any": [{"measure": "lowest", "below": 40}, {"measure": "spread", "at_least": 30}]}]},
        "third_reviewer": True}
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    context.close()
