"""The jury in a real browser (Debian's Chromium through Playwright): a judge scores an
entry with autosave and submits it, a conflicted judge is refused, and the organiser closes
a stage, overrides one entry with a written reason and confirms the list."""

import pytest
from django.urls import reverse

from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import ScoreSheet, StageDecision, StageResult
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.conftest import signed_in_page
from tests.factories_judging import default_values, make_organiser_user, scored_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def _signed_in_page(browser, live_server, user):
    return signed_in_page(browser, live_server, user, width=390, height=844)


def test_judge_scores_an_entry_with_the_keyboard_and_submits(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    _edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    entry = entries[0]
    context, page = _signed_in_page(browser, live_server, judges[0].user)
    page.goto(live_server.url + reverse("jury:home"))
    page.click(f"a[href='{reverse('jury:sheet', args=[stage.pk, entry.pk])}']")
    page.wait_for_selector("#score-kebaruan")
    page.wait_for_load_state()  # deferred scripts (autosave, counters) are running

    page.fill("#score-kebaruan", "11")
    page.wait_for_function("() => document.querySelector('#err-kebaruan').textContent.length > 0")
    assert page.inner_text("#err-kebaruan") == (
        "11 is outside the range of Kebaruan: give a score from 1 to 10.")
    page.fill("#score-kebaruan", "8,5")
    page.keyboard.press("Enter")  # moves on instead of submitting the form
    page.wait_for_function(
        "() => document.querySelector('#save-status').textContent.includes('Saved')")
    page.click("#submit-sheet")  # Bukti dukung has no score yet: the dialog says so
    dialog = page.locator("#confirm-submit")
    dialog.wait_for(state="visible")
    assert dialog.locator("td[data-score-of=bukti]").inner_text() == "not scored"
    assert dialog.locator("#confirm-missing").is_visible()
    assert dialog.locator("button[data-answer=yes]").is_disabled()
    dialog.locator("button[data-answer=no]").click()
    page.check("input[name='score-bukti'][value='70']")
    page.fill("#comment-kebaruan", "Baru di tingkat kabupaten")
    page.wait_for_function(
        "() => { const s = document.querySelector('#save-status').textContent;"
        " return s.includes('Saved'); }")
    page.wait_for_timeout(1600)  # the comment's autosave waits for a pause in typing

    page.reload()  # what was typed survived: it was saved as a draft
    assert page.input_value("#score-kebaruan") == "8.5"
    assert page.is_checked("input[name='score-bukti'][value='70']")
    assert page.input_value("#comment-kebaruan") == "Baru di tingkat kabupaten"

    page.click("#submit-sheet")  # asks first, naming the entry and the stage
    dialog.wait_for(state="visible")
    assert not dialog.locator("#confirm-missing").is_visible()
    assert f"{entry.code} · {entry.title}" in dialog.inner_text()
    assert stage.name in dialog.inner_text()
    scores = dialog.locator("table.locked-scores")  # every score as typed, and the total
    assert scores.locator("td[data-score-of=kebaruan]").inner_text() == "8.5"
    assert scores.locator("td[data-score-of=bukti]").inner_text() == (
        "Peraturan Kepala Daerah (70)")
    assert scores.locator("#sheet-total").inner_text() == "79.000"
    dialog.locator("button[data-answer=no]").click()
    page.fill("#score-kebaruan", "7")
    page.click("#submit-sheet")  # the score just typed, and the total once it is saved
    dialog.wait_for(state="visible")
    assert scores.locator("td[data-score-of=kebaruan]").inner_text() == "7"
    assert scores.locator("#sheet-total").inner_text() == "70.000"
    dialog.locator("button[data-answer=yes]").click()
    page.wait_for_url(f"**/juri/#entri-{stage.pk}-{entry.pk}")  # back at its row in the list
    row = page.locator(f"#entri-{stage.pk}-{entry.pk}")
    assert "Submitted" in row.inner_text() and row.evaluate(
        "row => row.matches(':target')")
    assert (f"Your scores for {entry.code} at {stage.name} are submitted and locked."
            in page.inner_text("main"))
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entry)
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion.key: str(s.value) for s in sheet.scores.select_related("criterion")} \
        == {"kebaruan": "7.000", "bukti": "70.000"}
    context.close()


def test_conflicted_judge_is_refused(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    _edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    entry = entries[0]
    sheet_url = live_server.url + reverse("jury:sheet", args=[stage.pk, entry.pk])
    context, page = _signed_in_page(browser, live_server, judges[0].user)
    page.goto(sheet_url)
    page.click("text=Declare a conflict of interest")
    page.fill("#id_reason", "Saya pernah menjadi pendamping tim inovasi ini.")
    page.click("button:has-text('Declare the conflict')")
    page.wait_for_url("**/juri/")
    assert entry.code not in page.inner_text("main")
    response = page.goto(sheet_url)
    assert response.status == 404
    other = entries[1]
    declare_conflict(judge=judges[0], entry=other, reason="Instansi sendiri", actor="s",
                     by_organiser=True)
    assert page.goto(live_server.url + reverse("jury:sheet", args=[stage.pk, other.pk])
                     ).status == 404
    assert not ScoreSheet.objects.filter(judge=judges[0], entry__in=[entry, other]).exists()
    context.close()


def test_organiser_closes_a_stage_with_one_override(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=2, top_n=2)
    for j, judge in enumerate(judges):
        for entry in entries:
            same = [e for e in entries if e.category_id == entry.category_id]
            save_sheet(stage=stage, judge=judge, entry=entry, actor="s",
                       values=default_values(j, same.index(entry), entry.category.key))
            submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    third = [e for e in entries if e.category.key == "opd"][2]
    context, page = _signed_in_page(browser, live_server, make_organiser_user(edition))
    page.goto(live_server.url + reverse("jury:stage_close", args=[edition.slug, stage.key]))
    page.click("#close-stage")
    page.wait_for_selector(f"#entry-{third.code}")
    row = page.locator(f"#entry-{third.code}")
    assert "stops" in row.inner_text()

    # On a phone the decision is folded with the card's details, behind its button.
    assert not row.locator("select[name=decision]").is_visible()
    row.get_by_role("button", name="Details and decision").click()
    row.locator("select[name=decision]").select_option("advance")
    row.locator("button:has-text('Record')").click()  # no reason: refused
    page.wait_for_selector(".msg-error")
    assert "Write the reason for the decision on" in page.inner_text(".messages")
    assert not StageDecision.objects.exists()

    row = page.locator(f"#entry-{third.code}")
    row.get_by_role("button", name="Details and decision").click()
    row.locator("select[name=decision]").select_option("advance")
    row.locator("textarea[name=reason]").fill("Satu-satunya inovasi layanan kesehatan desa.")
    row.locator("button:has-text('Record')").click()
    page.wait_for_selector(f"#entry-{third.code}.overridden")
    assert "goes on" in page.locator(f"#entry-{third.code}").inner_text()

    page.click("#confirm-stage")
    page.wait_for_url("**/kelola/**")
    third.refresh_from_db()
    assert third.state == EntryState.FINALIST
    assert StageResult.objects.get(stage=stage, entry=third).reason_text == (
        "Advanced by decision: Satu-satunya inovasi layanan kesehatan desa.")
    assert Entry.objects.filter(edition=edition, state=EntryState.FINALIST).count() == 5
    context.close()
