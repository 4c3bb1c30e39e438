"""A citizen in a real browser (Debian's Chromium through Playwright): confirms an e-mail
address with the code from the mailbox, votes, is refused a second vote in the same
category, and checks a certificate through the page its QR code opens."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from sayembara.documents.services.certificates import issue_certificates, verification_url
from tests import factories_public as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]



def test_citizen_votes_with_the_mailed_code_and_a_second_vote_is_refused(live_server, browser,
                                                                          settings):
    settings.ALLOWED_HOSTS = ["*"]
    edition = f.public_edition()
    first = f.entry(edition, title="Posyandu Digital")
    second = f.entry(edition, title="Sampah Jadi Emas")
    f.open_ballot(edition)
    url = live_server.url + reverse("public:ballot", kwargs={"slug": edition.slug})
    context = browser.new_context(locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(url)
    page.fill("#id_address", "warga@contoh.id")
    page.click("text=Send me a code")
    page.wait_for_selector("#id_code")
    page.wait_for_load_state()  # deferred scripts (autosave, counters) are running
    assert [m.to for m in mail.outbox] == [["warga@contoh.id"]]
    # Badung votes in WITA: the code's expiry is given in it.
    assert re.search(r"valid until \d+ \w+ \d{4} at \d\d:\d\d WITA\.", mail.outbox[0].body)
    code = re.search(r"\b(\d{6})\b", mail.outbox[0].body).group(1)
    page.fill("#id_code", code)
    page.click("button:has-text('Confirm')")
    page.wait_for_selector(f"[aria-label='Vote for {first.title}']")

    stale = context.new_page()  # the same voter in a second tab, opened before voting
    stale.goto(url)

    page.click(f"[aria-label='Vote for {first.title}']")
    page.wait_for_function(
        "() => document.querySelector('#vote-status').textContent.includes('Thank')")
    assert "Thank you, your vote is recorded." in page.inner_text("#vote-status")
    # The button itself now says so, where the voter is looking.
    assert "Your vote is recorded" in page.inner_text(f"tr:has-text('{first.title}')")
    assert re.search(r"Vote counts as of \d+ \w+ \d{4} at \d\d:\d\d WITA",
                     page.inner_text("[data-counted-at]"))

    stale.click(f"[aria-label='Vote for {second.title}']")
    stale.wait_for_function("() => document.querySelector('#vote-status').textContent.length > 20 "
                            "&& !document.querySelector('#vote-status').textContent.includes('…')")
    assert stale.inner_text("#vote-status") == (
        "You have already voted in this category. Each person has one vote per category.")
    page.reload()
    assert page.inner_text("section[data-unit]").count("Your vote is recorded") == 1
    assert list(edition.ballot.votes.values_list("entry_id", flat=True)) == [first.pk]
    context.close()


def test_certificate_qr_page_confirms_the_award(live_server, browser, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    edition = f.public_edition()
    winner = f.entry(edition, state="winner", title="Layanan Jemput Bola")
    f.final_result(winner, rank=1, total=92, tier_key="peringkat-1-3")
    [certificate] = issue_certificates(edition=edition, actor=None)
    page = browser.new_page()
    page.goto(verification_url(certificate.code))
    assert page.inner_text("[data-result] .badge") == "Valid"
    text = page.inner_text("[data-result]")
    assert winner.institution.name in text and "Juara 1, Kategori Perangkat Daerah" in text
    assert certificate.code in text
    tampered = certificate.code[:-1] + ("0" if certificate.code[-1] != "0" else "1")
    page.goto(verification_url(tampered))
    assert page.inner_text("[data-result] .badge") == "Not valid"
    page.close()
