"""The layout on a phone (390 x 844) and a desktop (1366 x 768), in Chromium: the main menu
folds behind one button that a keyboard opens, and wide tables (a stage's scores, the
published results) become one card per row that fits the screen."""

from decimal import Decimal

import pytest
from django.urls import reverse

from sayembara.entries.models import Entry
from sayembara.judging.services.closing import close_stage
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests import factories_public as f
from tests.conftest import new_page, signed_in_page
from tests.factories_judging import (
    default_values,
    make_edition,
    make_organiser_user,
    scored_stage,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE, DESKTOP = (390, 844), (1366, 768)


def _fits(page) -> bool:
    """Nothing on the page is wider than the screen, and no table scrolls sideways."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth <= window.innerWidth && ![...document"
        ".querySelectorAll('.table-wrap')].some(w => w.scrollWidth > w.clientWidth + 1)")


def _closed_stage():
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=2)
    for j, judge in enumerate(judges):
        for e, entry in enumerate(entries):
            save_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user,
                       values=default_values(j, e % 3, entry.category.key))
            submit_sheet(stage=stage, judge=judge, entry=entry, actor=judge.user)
    close_stage(stage=stage, actor="sekretariat", bootstrap=50)
    return edition, stage


def test_the_organisers_menu_is_one_button_on_a_phone_and_one_line_on_a_desktop(
        live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition, _stage, _entries, _judges = scored_stage(entries_per_category=1, judges=1)
    user = make_organiser_user(edition)
    labels = ["Home", "Editions", "New edition", "Security events", "API tokens",
              "Competitions", "Innovation catalogue"]

    context, page = signed_in_page(browser, live_server, user, width=PHONE[0], height=PHONE[1])
    page.goto(live_server.url + "/")
    bar = page.locator("header.topbar")
    assert bar.bounding_box()["height"] < 60  # one row: name, menu button, language, sign out
    assert page.locator("select[name=language]").is_visible()
    assert not page.get_by_role("link", name="Security events").is_visible()
    menu = page.get_by_role("navigation", name="Main")
    page.keyboard.press("Tab")  # the brand, then the menu button
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Menu"
    page.keyboard.press("Enter")
    for label in labels:
        assert menu.get_by_role("link", name=label, exact=True).is_visible()
    page.keyboard.press("Tab")  # the first item, then the next ones
    assert page.evaluate("document.activeElement.textContent") == "Home"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("web:editions"))
    context.close()

    context, page = signed_in_page(browser, live_server, user, width=DESKTOP[0],
                                   height=DESKTOP[1])
    page.goto(live_server.url + "/")
    assert not page.get_by_text("Menu", exact=True).is_visible()
    menu = page.get_by_role("navigation", name="Main")
    tops = {round(menu.get_by_role("link", name=label, exact=True).bounding_box()["y"])
            for label in labels}
    assert len(tops) == 1  # every item visible on one line
    context.close()


def _lines(locator) -> float:
    """The height of an element in lines of body text (24 px)."""
    return locator.bounding_box()["height"] / 24


def test_a_stage_table_is_one_compact_card_per_entry_on_a_phone(live_server, browser,
                                                                 settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition, stage = _closed_stage()
    user = make_organiser_user(edition)
    for name in ("stage_results", "stage_close"):
        url = live_server.url + reverse(f"jury:{name}", args=[edition.slug, stage.key])
        context, page = signed_in_page(browser, live_server, user, width=PHONE[0],
                                       height=PHONE[1])
        page.goto(url + "?kategori=opd")
        assert _fits(page)
        cards = page.locator(".side-by-side table.stack tbody tr")
        card = cards.first
        shown = card.evaluate(  # the name drawn beside each value
            "tr => [...tr.children].filter(td => td.offsetParent)"
            ".map(td => getComputedStyle(td, '::before').content)")
        assert shown[:4] == ['"Rank"', "none", '"Stage score"', "none"]  # the outcome: a badge
        # The rank beside the entry's name, on the card's first line.
        rank, title = card.locator("td.card-rank"), card.locator("td.card-title")
        assert rank.inner_text().split() == ["1"]
        assert abs(rank.bounding_box()["y"] - title.bounding_box()["y"]) < 4
        assert card.locator(".badge", has_text="goes on").is_visible()
        assert max(_lines(cards.nth(i)) for i in range(cards.count())) <= 5.5  # 12 and more before
        # The secondary figures (and the decision while the stage is not confirmed) unfold
        # behind the card's own button, by keyboard too.
        raw = card.locator("td[data-label='Raw score']")
        assert not raw.is_visible()
        more = card.get_by_role("button", name="Details")
        assert more.get_attribute("aria-expanded") == "false"
        more.focus()
        page.keyboard.press("Enter")
        assert raw.is_visible()
        assert more.get_attribute("aria-expanded") == "true"
        assert card.locator("select[name=decision]").is_visible() == (name == "stage_close")
        assert not cards.nth(1).locator("td[data-label='Raw score']").is_visible()
        assert _fits(page)
        context.close()

        context, page = signed_in_page(browser, live_server, user, width=DESKTOP[0],
                                       height=DESKTOP[1])
        page.goto(url + "?kategori=opd")
        assert page.locator("table.stack thead th", has_text="Raw score").is_visible()
        assert page.locator("td[data-label='Raw score']").first.is_visible()
        assert not page.get_by_role("button", name="Details").first.is_visible()
        context.close()


def test_published_results_fit_a_phone_without_sideways_scrolling(live_server, browser,
                                                                  settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    for rank in (1, 2, 3):
        e = f.entry(edition, state="winner", title=f"Sistem Antrean Daring Terpadu {rank}")
        f.stage_result(stage, e, score=Decimal(90 - rank), rank=rank)
        f.final_result(e, rank=rank, total=Decimal(91 - rank), tier_key="peringkat-1-3")
    f.publish(edition, breakdown="stages")
    url = live_server.url + reverse("public:results", args=[edition.slug])
    context, page = new_page(browser, width=PHONE[0], height=PHONE[1])
    page.goto(url)
    assert _fits(page)
    first = page.locator("table.stack tbody tr").first
    assert "Sistem Antrean Daring Terpadu 1" in first.inner_text()
    assert '"Final score"' in first.evaluate(
        "tr => [...tr.children].map(td => getComputedStyle(td, '::before').content)")

    # An innovation's page with a long video address breaks the address, not the screen.
    Entry.objects.filter(pk=e.pk).update(
        video_url="https://drive.google.com/file/d/1mwBPR8pXUIJwOsWKXSBCxpJrROCE6nDz/view")
    page.goto(live_server.url + reverse("public:entry", args=[e.pk]))
    assert page.get_by_role("link", name="https://drive.google.com/").is_visible()
    assert _fits(page)
    context.close()


def test_the_rules_overview_reads_without_sideways_scrolling_on_a_phone(live_server, browser,
                                                                       settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition = make_edition(template="mangupura-2024", year=2025)
    user = make_organiser_user(edition)
    url = live_server.url + reverse("web:edition_rules", args=[edition.slug])

    context, page = signed_in_page(browser, live_server, user, width=PHONE[0], height=PHONE[1])
    page.goto(url)
    assert _fits(page)
    stages = page.locator("section", has=page.get_by_role("heading", name="Stages"))
    first = stages.locator("tbody tr").first
    assert first.locator("td.card-title").inner_text().startswith("1. ")
    assert first.locator("td[data-label='Weight']").inner_text().split() == ["20%"]
    assert first.locator("td[data-label='Weight']").is_visible()
    edit = first.get_by_role("link", name="Edit")
    edit.focus()  # every link of a card is still reached by keyboard
    assert page.evaluate("document.activeElement.textContent") == "Edit"
    assert edit.bounding_box()["x"] + edit.bounding_box()["width"] <= PHONE[0]
    context.close()

    context, page = signed_in_page(browser, live_server, user, width=DESKTOP[0],
                                   height=DESKTOP[1])
    page.goto(url)
    heading = page.get_by_role("columnheader", name="When judges disagree")
    assert heading.is_visible()
    row = page.locator("section", has=page.get_by_role("heading", name="Stages")).locator(
        "tbody tr").first
    tops = {round(cell.bounding_box()["y"]) for cell in row.locator("td").all()}
    assert len(tops) == 1  # a table row on a desktop, its cells side by side
    context.close()


def test_a_charts_numbers_read_as_cards_on_a_phone(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition, _stage = _closed_stage()
    user = make_organiser_user(edition)
    url = live_server.url + reverse("public:charts", args=[edition.slug])

    context, page = signed_in_page(browser, live_server, user, width=PHONE[0], height=PHONE[1])
    page.goto(url)
    tables = page.locator(".chart details")
    assert tables.count() > 1
    for i in range(tables.count()):
        tables.nth(i).locator("summary").click()
    assert _fits(page)
    card = page.locator(".chart table.stack tbody tr").first
    assert card.locator("th").is_visible()
    assert _lines(card) <= 4
    context.close()
