"""Sheets are saved and submitted only while their stage is open, and submitting right after
typing works even when the last autosave overtakes the submit (13.12)."""

import datetime as dt

import pytest
from django.urls import reverse

from sayembara.competitions.enums import StageStatus
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import ScoreSheet
from sayembara.judging.services.assignments import assign
from tests.factories_judging import scored_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    return scored_stage(entries_per_category=1, judges=1)


def _url(name, stage, entry):
    return reverse(f"jury:{name}", args=[stage.pk, entry.pk])


def test_save_then_submit_on_a_pending_stage_is_refused_saying_when_it_opens(client, setting):
    edition, _stage, entries, judges = setting
    pending = edition.stages.get(key="wawancara")
    pending.starts_at = dt.datetime(2030, 11, 9, 8, 0, tzinfo=edition.zoneinfo)
    pending.save(update_fields=["starts_at"])
    entry, judge = entries[0], judges[0]
    assign(stage=pending, judge=judge, entry=entry, actor="s")
    client.force_login(judge.user)
    opens = "Wawancara is not open for scoring yet; it opens on 9 November 2030 at 08:00 WITA."

    saved = client.post(_url("sheet_autosave", pending, entry),
                        {"score-kebaruan": "7", "version": "1"})
    assert opens in saved.content.decode()
    submitted = client.post(_url("sheet_submit", pending, entry),
                            {"score-kebaruan": "7", "score-bukti": "70", "version": "1",
                             "confirmed": "1"})
    assert submitted.status_code == 422
    assert opens in submitted.content.decode()
    assert not ScoreSheet.objects.filter(stage=pending).exists()

    page = client.get(_url("sheet", pending, entry)).content.decode()
    assert "Scoring opens on 9 November 2030 at 08:00 WITA" in page
    assert 'id="submit-sheet"' not in page  # nothing to submit yet
    home = client.get(reverse("jury:home")).content.decode()
    assert home.index(f'id="tahap-{setting[1].pk}"') < home.index(f'id="tahap-{pending.pk}"')


def test_a_planned_date_that_passed_still_waits_for_the_secretariat(client, setting):
    edition, _stage, entries, judges = setting
    pending = edition.stages.get(key="wawancara")
    pending.starts_at = dt.datetime(2024, 8, 26, 8, 30, tzinfo=edition.zoneinfo)
    pending.save(update_fields=["starts_at"])
    assign(stage=pending, judge=judges[0], entry=entries[0], actor="s")
    client.force_login(judges[0].user)
    response = client.post(_url("sheet_submit", pending, entries[0]),
                           {"score-kebaruan": "7", "version": "1", "confirmed": "1"})
    assert ("it was planned to open on 26 August 2024 at 08:30 WITA, and the secretariat has "
            "not opened it") in response.content.decode()
    pending.status = StageStatus.OPEN
    pending.save(update_fields=["status"])
    response = client.post(_url("sheet_autosave", pending, entries[0]),
                           {"score-kebaruan": "7", "version": "1"})
    assert "Saved" in response.content.decode()


def test_submit_overtaken_by_its_own_autosave_is_not_refused(client, setting):
    """The race of 13.12: the judge types the last score and clicks "Submit and lock" at
    once; the field's autosave reaches the server first and moves the version on, so the
    submit names the version the page had before. It comes from the same page (its editor
    token), so it is accepted and locks exactly what the judge saw."""
    _edition, stage, entries, judges = setting
    entry = entries[0]
    client.force_login(judges[0].user)
    page = client.get(_url("sheet", stage, entry)).content.decode()
    editor = page.split('name="editor" value="', 1)[1].split('"', 1)[0]
    client.post(_url("sheet_autosave", stage, entry),
                {"score-kebaruan": "8", "version": "1", "editor": editor})
    # the last field's autosave lands just before the submit that carries it too
    client.post(_url("sheet_autosave", stage, entry),
                {"score-bukti": "70", "version": "2", "editor": editor})
    response = client.post(_url("sheet_submit", stage, entry), {
        "score-kebaruan": "8", "score-bukti": "70", "comment-kebaruan": "Baru",
        "version": "2", "editor": editor, "confirmed": "1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entry)
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion.key: (str(s.value), s.comment)
            for s in sheet.scores.select_related("criterion")} == {
        "kebaruan": ("8.000", "Baru"), "bukti": ("70.000", "")}


def test_a_change_from_another_tab_in_between_is_still_refused(client, setting):
    _edition, stage, entries, judges = setting
    entry = entries[0]
    client.force_login(judges[0].user)
    client.post(_url("sheet_autosave", stage, entry),
                {"score-kebaruan": "8", "version": "1", "editor": "halamanA"})
    client.post(_url("sheet_autosave", stage, entry),  # another tab, opened at version 2
                {"score-kebaruan": "5", "version": "2", "editor": "halamanB"})
    response = client.post(_url("sheet_submit", stage, entry), {
        "score-kebaruan": "8", "score-bukti": "70", "version": "2", "editor": "halamanA",
        "confirmed": "1"})
    assert response.status_code == 422
    assert "changed in another tab or window" in response.content.decode()
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entry)
    assert sheet.status == SheetStatus.DRAFT
    assert sheet.scores.get(criterion__key="kebaruan").value == 5


def test_submit_without_the_dialog_asks_on_a_page_naming_entry_and_stage(client, setting):
    _edition, stage, entries, judges = setting
    entry = entries[0]
    client.force_login(judges[0].user)
    response = client.post(_url("sheet_submit", stage, entry),
                           {"score-kebaruan": "8", "score-bukti": "70", "version": "1"})
    text = response.content.decode()
    assert response.status_code == 200
    assert (f"You are about to submit and lock your scores for <strong>{entry.code} · "
            f"{entry.title}</strong> at <strong>{stage.name}</strong>.") in text
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entry)
    assert sheet.status == SheetStatus.DRAFT  # saved, not locked
    assert f'name="version" value="{sheet.version}"' in text
    confirmed = client.post(_url("sheet_submit", stage, entry),
                            {"version": str(sheet.version), "confirmed": "1"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("jury:home") + f"#entri-{stage.pk}-{entry.pk}"
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.SUBMITTED
