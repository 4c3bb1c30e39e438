"""Journeys of the secretariat through Panel dan penugasan, in a real browser (Debian's
Chromium through Playwright): one judge given one entry by hand, and judges who declare a
conflict of interest (replaced where each entry has its own judges, recused where the
whole panel scores every entry)."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from sayembara.judging.models import Assignment
from sayembara.judging.services.assignments import assign_balanced, assign_everyone
from tests.conftest import signed_in_page
from tests.factories_judging import (
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    make_organiser_user,
    open_stage,
    scored_stage,
    small_template,
)

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


def _declare_conflict_in_the_browser(browser, live_server, judge, stage, entry, reason):
    context, page = signed_in_page(browser, live_server, judge.user, width=390, height=844)
    page.goto(live_server.url + reverse("jury:sheet", args=[stage.pk, entry.pk]))
    page.click("text=Declare a conflict of interest")
    page.fill("#id_reason", reason)
    page.click("button:has-text('Declare the conflict')")
    page.wait_for_url("**/juri/")
    context.close()


def test_a_conflicted_extra_reviewer_is_replaced_and_the_stage_is_not_closed_without_one(
        live_server, browser, settings):
    from django.core import mail

    from tests.factories_judging import disagreement_stage, score_apart

    settings.ALLOWED_HOSTS = ["*"]
    edition, stage, (entry,), judges = disagreement_stage(judges=4)
    organiser = make_organiser_user(edition)
    score_apart(stage, entry, judges)
    extra = Assignment.objects.get(stage=stage, entry=entry, is_extra_reviewer=True).judge

    # The extra reviewer declares a conflict: the last free judge takes the entry at once.
    _declare_conflict_in_the_browser(browser, live_server, extra, stage, entry,
                                     "Saya kerabat kepala desa ini.")
    replacement = Assignment.objects.get(stage=stage, entry=entry, is_extra_reviewer=True).judge
    assert replacement not in (extra, judges[0], judges[1])
    context, page = signed_in_page(browser, live_server, organiser, width=1366, height=768)
    page.goto(live_server.url + reverse("jury:stage_progress", args=[edition.slug, stage.key]))
    row = page.locator("tr", has_text=entry.code).last
    assert (f"{extra.name} withdrew (conflict of interest); {replacement.name} took over."
            in row.inner_text())

    # The replacement is conflicted too: nobody is free, and the organisers are told.
    mail.outbox.clear()
    _declare_conflict_in_the_browser(browser, live_server, replacement, stage, entry,
                                     "Saya pernah menjadi pendamping desa ini.")
    assert [m.subject for m in mail.outbox] == [
        f"[{edition.title}] {entry.code} needs an extra judge at {stage.name}"]

    # Closing is refused, naming the entry and whom it waits for.
    page.goto(live_server.url + reverse("jury:stage_close", args=[edition.slug, stage.key]))
    assert "an extra judge; none is assigned" in page.inner_text("#waiting")
    page.click("#close-stage")
    page.wait_for_selector(".messages .msg-error")
    assert (f"{entry.code} waits for an extra judge, and none is assigned"
            in page.inner_text(".messages"))
    stage.refresh_from_db()
    assert stage.status == "open"
    context.close()


@dataclass
class ConflictStage:
    edition: Any
    stage: Any
    entry: Any
    judges: list
    organiser: Any


@pytest.fixture
def conflict_stage(settings):
    """Makes the open proposal stage of a small edition with one village entry and judges
    of the given names, assigned by the stage's mode: two judges per entry (balanced, seed
    1) or the whole panel on every entry."""
    settings.ALLOWED_HOSTS = ["*"]

    def make(*names: str, whole_panel: bool = False) -> ConflictStage:
        edition = make_edition(template=small_template())
        stage = open_stage(edition.stages.get(key="proposal"))
        judges = [make_judge(edition, name=f"Juri {name}") for name in names]
        entry = make_entry(edition, category_key="desa",
                           institution=make_institution(edition, kind="desa"))
        if whole_panel:
            assign_everyone(stage=stage, actor="test")
        else:
            assign_balanced(stage=stage, per_entry=2, actor="test", seed=1)
        return ConflictStage(edition, stage, entry, judges, make_organiser_user(edition))

    return make


def test_an_ordinary_judge_with_a_conflict_is_replaced_and_the_progress_page_says_so(
        live_server, browser, conflict_stage, tmp_path):
    from django.core import mail

    made = conflict_stage("Anom", "Bagus", "Cahya")
    edition, stage, entry, organiser = made.edition, made.stage, made.entry, made.organiser
    leaving, staying = (a.judge for a in Assignment.objects.filter(stage=stage, entry=entry)
                        .select_related("judge").order_by("judge__name"))
    free = next(j for j in made.judges if j not in (leaving, staying))

    # The judge declares the conflict on a phone: the free judge takes the entry at once.
    _declare_conflict_in_the_browser(browser, live_server, leaving, stage, entry,
                                     "Saya pernah mendampingi desa ini.")
    assert {a.judge for a in Assignment.objects.filter(stage=stage, entry=entry)} == {
        staying, free}
    context, page = signed_in_page(browser, live_server, free.user, width=390, height=844)
    page.goto(live_server.url + reverse("jury:home"))
    assert page.locator(
        f"a[href='{reverse('jury:sheet', args=[stage.pk, entry.pk])}']").count() == 1
    context.close()

    # The secretariat reads who left and who took over on the progress page.
    for width, height in ((1366, 768), (390, 844)):
        context, page = signed_in_page(browser, live_server, organiser, width=width,
                                       height=height)
        page.goto(live_server.url + reverse("jury:stage_progress",
                                            args=[edition.slug, stage.key]))
        row = page.locator("tr", has_text=entry.code).last
        assert (f"{leaving.name} withdrew (conflict of interest); {free.name} took over."
                in row.inner_text())
        page.screenshot(path=tmp_path / f"progress-replaced-{width}.png", full_page=True)
        context.close()

    # The one who took over withdraws too: nobody is free, the organisers hear it at once.
    mail.outbox.clear()
    _declare_conflict_in_the_browser(browser, live_server, free, stage, entry,
                                     "Kepala desa ini kerabat saya.")
    assert [m.subject for m in mail.outbox] == [
        f"[{edition.title}] {entry.code} lost a judge at {stage.name} and nobody is free"]
    context, page = signed_in_page(browser, live_server, organiser, width=1366, height=768)
    page.goto(live_server.url + reverse("jury:stage_progress", args=[edition.slug, stage.key]))
    row = page.locator("tr", has_text=entry.code).last
    assert "needs another judge: the organisers were e-mailed" in row.inner_text()
    page.screenshot(path=tmp_path / "progress-nobody-free-1366.png", full_page=True)
    context.close()


def test_a_panel_member_with_a_conflict_recuses_and_the_stage_closes_without_alarm(
        live_server, browser, conflict_stage, tmp_path):
    from django.core import mail

    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    made = conflict_stage("Anom", "Bagus", "Cahya", whole_panel=True)
    edition, stage, entry, organiser = made.edition, made.stage, made.entry, made.organiser
    anom, *others = made.judges

    # On a phone the judge reads that declaring is a recusal, declares, and is told so.
    mail.outbox.clear()
    context, page = signed_in_page(browser, live_server, anom.user, width=390, height=844)
    page.goto(live_server.url + reverse("jury:sheet", args=[stage.pk, entry.pk]))
    page.click("text=Declare a conflict of interest")
    assert (f"You recuse from scoring entry {entry.code} at {stage.name}"
            in page.inner_text("main"))
    page.fill("#id_reason", "Kepala desa ini kerabat saya.")
    page.click("button:has-text('Declare the conflict')")
    page.wait_for_url("**/juri/")
    assert (f"you recuse from {entry.code} at {stage.name}: the other panel members score it."
            in page.inner_text(".messages"))
    context.close()
    assert mail.outbox == []

    for judge in others:
        save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": "80"},
                   actor="test")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="test")

    # The secretariat reads the recusal on the progress page and closes the stage at once.
    context, page = signed_in_page(browser, live_server, organiser, width=1366, height=768)
    page.goto(live_server.url + reverse("jury:stage_progress", args=[edition.slug, stage.key]))
    row = page.locator("tr", has_text=entry.code).last
    assert ("Juri Anom recused for a conflict of interest; the other panel members score "
            "the entry.") in row.inner_text()
    assert "2/2" in row.inner_text()
    page.screenshot(path=tmp_path / "progress-recused-1366.png", full_page=True)
    page.goto(live_server.url + reverse("jury:stage_close", args=[edition.slug, stage.key]))
    assert f"{entry.code} · {entry.title}: Juri Anom recused" in page.inner_text("#recusals")
    page.click("#close-stage")
    page.wait_for_selector(".messages")
    stage.refresh_from_db()
    assert stage.status == "closed"
    assert f"{entry.code} · {entry.title}: Juri Anom recused" in page.inner_text("#recusals")
    context.close()


def test_closing_with_an_entry_short_of_a_judge_is_refused_then_done_with_a_reason(
        live_server, browser, conflict_stage):
    from sayembara.judging.services.conflicts import declare_conflict
    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    made = conflict_stage("Anom", "Bagus")
    edition, stage, entry, organiser = made.edition, made.stage, made.entry, made.organiser
    leaving, staying = made.judges
    declare_conflict(judge=leaving, entry=entry, reason="Kerabat kepala desa.",
                     actor=leaving.user)
    save_sheet(stage=stage, judge=staying, entry=entry, values={"manfaat": "80"}, actor="test")
    submit_sheet(stage=stage, judge=staying, entry=entry, actor="test")
    url = live_server.url + reverse("jury:stage_close", args=[edition.slug, stage.key])

    # On a phone: the entry is named with the judge who left, and closing is refused.
    context, page = signed_in_page(browser, live_server, organiser, width=390, height=844)
    page.goto(url)
    assert f"{entry.code} · {entry.title} (Juri Anom withdrew)" in page.inner_text(
        "#short-of-a-judge")
    assert page.locator("#short-of-a-judge a", has_text="Panel and assignments").count() == 1
    page.click("#close-stage")
    page.wait_for_selector(".messages .msg-error")
    assert f"{entry.code} waits for a judge to take over from Juri Anom" in page.inner_text(
        ".messages")
    context.close()

    # On a desktop: the organiser chooses to close with fewer judges and writes why.
    reason = "Tidak ada juri lain yang bebas konflik sebelum batas penetapan."
    context, page = signed_in_page(browser, live_server, organiser, width=1366, height=768)
    page.goto(url)
    page.check("#fewer-judges")
    page.fill("#fewer-judges-reason", reason)
    page.click("#close-stage")
    page.wait_for_selector("#closed-with-fewer-judges")
    text = page.inner_text("#closed-with-fewer-judges")
    assert f"{entry.code} (Juri Anom withdrew)" in text and f"Reason: {reason}" in text
    stage.refresh_from_db()
    assert stage.status == "closed"
    context.close()
