"""13.12 in a real browser: "Submit and lock" sent while the autosave of the last score has
reached the server but its answer (the new version) has not reached the page yet.

This was the cause of the first "Kirim dan kunci" answering 422: the submit named the
version the page had loaded, the autosave of the field typed just before had already moved
it on, and the submit (which also carries what was typed after) was refused as a change
from another tab. A save from the same page (its editor token) is now accepted; the page
also waits for its autosaves before it submits."""

import threading

import pytest
from django.urls import reverse

from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import ScoreSheet
from tests.conftest import signed_in_page
from tests.factories_judging import scored_stage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_submit_sent_before_the_autosave_answer_arrives_is_accepted(live_server, browser,
                                                                      settings):
    settings.ALLOWED_HOSTS = ["*"]
    _edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    entry = entries[0]
    context, page = signed_in_page(browser, live_server, judges[0].user, width=1366,
                                   height=768)
    page.goto(live_server.url + reverse("jury:sheet", args=[stage.pk, entry.pk]))
    page.wait_for_load_state()
    page.check("input[name='score-bukti'][value='70']")
    page.wait_for_function(
        "() => document.querySelector('#save-status').textContent.includes('Saved')")

    saved_on_server = threading.Event()
    held = []

    def hold_answer(route):
        response = route.fetch()  # the server saves and moves the version on …
        saved_on_server.set()
        held.append((route, response))  # … but the page does not hear it yet

    page.route("**/simpan/", hold_answer)
    page.fill("#score-kebaruan", "8")
    page.locator("#score-kebaruan").dispatch_event("change")
    while not saved_on_server.is_set():
        page.wait_for_timeout(50)
    version_on_page = page.input_value("#sheet-version")
    assert int(version_on_page) < ScoreSheet.objects.get(judge=judges[0]).version
    # The judge goes on typing a comment (its autosave waits behind the first) and submits.
    page.fill("#comment-kebaruan", "Baru di Kabupaten")
    # The form goes with the version the page still has, as the old page did.
    page.evaluate("""() => { document.getElementById('sheet-confirmed').value = '1';
        const form = document.getElementById('sheet-form');
        form.action = document.getElementById('submit-sheet').getAttribute('formaction');
        form.submit(); }""")
    page.wait_for_url(f"**/juri/#entri-{stage.pk}-{entry.pk}")
    for route, response in held:
        route.fulfill(response=response)
    assert "are submitted and locked" in page.inner_text("main")
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entry)
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion.key: (str(s.value), s.comment)
            for s in sheet.scores.select_related("criterion")} == {
        "kebaruan": ("8.000", "Baru di Kabupaten"), "bukti": ("70.000", "")}
    context.close()
