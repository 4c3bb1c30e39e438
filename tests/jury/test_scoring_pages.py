from decimal import Decimal

import pytest
from django.urls import reverse

from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Score, ScoreSheet
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import make_judge, scored_stage
from tests.pages import same_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    edition, stage, entries, judges = scored_stage(entries_per_category=2, judges=2)
    return edition, stage, entries, judges


def _url(name, stage, entry):
    return reverse(f"jury:{name}", args=[stage.pk, entry.pk])


def test_sheet_page_shows_the_rubric_variant_with_levels_and_descriptors(client, setting):
    _edition, stage, entries, judges = setting
    client.force_login(judges[0].user)
    response = client.get(_url("sheet", stage, entries[0]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kebaruan" in page and "Bukti dukung" in page
    assert "Meniru inovasi lain" in page  # a descriptor of the 1-10 criterion
    assert "Peraturan Daerah" in page and "Perda" in page  # an evidence level
    assert entries[0].institution.name in page
    desa = next(e for e in entries if e.category.key == "desa")
    page = client.get(_url("sheet", stage, desa)).content.decode()
    assert "Kemanfaatan" in page and "Kebaruan" not in page


def test_blind_stage_hides_the_participant(client, setting):
    _edition, stage, entries, judges = setting
    stage.blind = True
    stage.save(update_fields=["blind"])
    client.force_login(judges[0].user)
    page = client.get(_url("sheet", stage, entries[0])).content.decode()
    assert entries[0].institution.name not in page
    assert "judged blind" in page
    home = client.get(reverse("jury:home")).content.decode()
    assert entries[0].code in home and entries[0].institution.name not in home


def test_autosave_saves_one_field_and_refuses_an_out_of_range_score(client, setting):
    _edition, stage, entries, judges = setting
    client.force_login(judges[0].user)
    url = _url("sheet_autosave", stage, entries[0])
    response = client.post(url, {"score-kebaruan": "8,5", "version": "1"})
    assert "Saved" in response.content.decode()
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entries[0])
    response = client.post(url, {"score-kebaruan": "12", "version": str(sheet.version)})
    text = response.content.decode()
    assert "12 is outside the range of Kebaruan: give a score from 1 to 10." in text
    assert Score.objects.get(sheet=sheet).value == Decimal("8.5")


def test_autosave_from_a_stale_tab_is_refused(client, setting):
    _edition, stage, entries, judges = setting
    client.force_login(judges[0].user)
    url = _url("sheet_autosave", stage, entries[0])
    client.post(url, {"score-kebaruan": "6", "version": "1"})
    client.post(url, {"score-kebaruan": "7", "version": "2"})
    response = client.post(url, {"score-kebaruan": "9", "version": "2"})
    assert "changed in another tab or window" in response.content.decode()
    assert Score.objects.get(sheet__judge=judges[0]).value == 7


def test_second_submit_from_another_tab_is_refused_and_scores_kept(client, setting):
    _edition, stage, entries, judges = setting
    client.force_login(judges[0].user)
    data = {"score-kebaruan": "7", "score-bukti": "70", "version": "1", "confirmed": "1"}
    first = client.post(_url("sheet_submit", stage, entries[0]), data)
    assert first.status_code == 302
    second = client.post(_url("sheet_submit", stage, entries[0]),
                         {"score-kebaruan": "3", "score-bukti": "40", "version": "1",
                          "confirmed": "1"})
    assert second.status_code == 422
    assert "already submitted" in second.content.decode()
    sheet = ScoreSheet.objects.get(judge=judges[0], entry=entries[0])
    assert sheet.status == SheetStatus.SUBMITTED
    assert {s.criterion.key: s.value for s in sheet.scores.select_related("criterion")} == {
        "kebaruan": 7, "bukti": 70}


def test_another_judges_sheet_answers_like_a_missing_one(client, setting):
    _edition, stage, entries, judges = setting
    save_sheet(stage=stage, judge=judges[1], entry=entries[0], values={"kebaruan": "5"},
               actor=judges[1].user)
    other = ScoreSheet.objects.get(judge=judges[1])
    client.force_login(judges[0].user)
    missing = client.get(reverse("jury:sheet_detail", args=[other.pk + 1000]))
    foreign = client.get(reverse("jury:sheet_detail", args=[other.pk]))
    assert (missing.status_code, foreign.status_code) == (404, 404)
    assert same_page(missing) == same_page(foreign)



def test_conflicted_judge_can_neither_see_nor_score(client, setting):
    _edition, stage, entries, judges = setting
    declare_conflict(judge=judges[0], entry=entries[0], reason="Keluarga", actor="s")
    client.force_login(judges[0].user)
    assert client.get(_url("sheet", stage, entries[0])).status_code == 404
    assert client.post(_url("sheet_autosave", stage, entries[0]),
                       {"score-kebaruan": "6"}).status_code == 404
    assert entries[0].code not in client.get(reverse("jury:home")).content.decode()


def test_unassigned_judge_gets_404(client, setting):
    edition, stage, entries, _judges = setting
    outsider = make_judge(edition)
    client.force_login(outsider.user)
    assert client.get(_url("sheet", stage, entries[0])).status_code == 404


def test_other_judges_scores_are_hidden_until_the_stage_allows(client, setting):
    _edition, stage, entries, judges = setting
    save_sheet(stage=stage, judge=judges[1], entry=entries[0],
               values={"kebaruan": "4", "bukti": "40"}, actor=judges[1].user)
    submit_sheet(stage=stage, judge=judges[1], entry=entries[0], actor=judges[1].user)
    client.force_login(judges[0].user)
    page = client.get(_url("sheet", stage, entries[0])).content.decode()
    assert judges[1].name not in page
    stage.judges_see_others = True
    stage.save(update_fields=["judges_see_others"])
    page = client.get(_url("sheet", stage, entries[0])).content.decode()
    assert "Other judges:" in page and judges[1].name in page


def test_pledge_is_asked_before_the_first_score(client, setting):
    edition, stage, entries, _judges = setting
    newcomer = make_judge(edition, pledge=False)
    from sayembara.judging.services.assignments import assign

    assign(stage=stage, judge=newcomer, entry=entries[0], actor="s")
    client.force_login(newcomer.user)
    page = client.get(_url("sheet", stage, entries[0])).content.decode()
    assert "Accept the integrity pledge before your first score." in page
    pledge = client.get(reverse("jury:pledge", args=[edition.slug])).content.decode()
    assert f"judge of {edition.title}, declare that:" in pledge
    response = client.post(reverse("jury:pledge", args=[edition.slug]), {"accept": "on"})
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.pledge_accepted_at is not None


def test_chair_sees_the_scores_side_by_side_only_once_the_stage_is_closed(client, setting):
    from sayembara.judging.services.closing import close_stage
    from tests.factories_judging import default_values

    edition, stage, entries, judges = setting
    judges[0].role = "ketua"
    judges[0].save(update_fields=["role"])
    url = reverse("jury:stage_results", args=[edition.slug, stage.key])
    save_sheet(stage=stage, judge=judges[1], entry=entries[0], actor="s",
               values=default_values(1, 0, "opd"))
    submit_sheet(stage=stage, judge=judges[1], entry=entries[0], actor="s")
    client.force_login(judges[0].user)
    home = client.get(reverse("jury:home")).content.decode()
    assert f'href="{url}"' in home and "Jury chair: the jury's scores for this stage" in home
    open_page = client.get(url)  # the stage is open: how far the sheets are, no scores yet
    text = open_page.content.decode()
    assert open_page.status_code == 200
    assert "once the secretariat closes the stage" in text
    assert f"{judges[1].name}</td><td class=\"num\">4</td><td class=\"num\">0</td>" \
        f"<td class=\"num\">1</td>" in text
    assert f"{judges[1].name}: " not in text and "Judges&#x27; totals" not in text
    client.force_login(judges[1].user)
    assert client.get(url).status_code == 404
    assert url not in client.get(reverse("jury:home")).content.decode()
    for j, judge in enumerate(judges):
        for entry in entries:
            if (j, entry) == (1, entries[0]):
                continue
            same = [e for e in entries if e.category_id == entry.category_id]
            save_sheet(stage=stage, judge=judge, entry=entry, actor="s",
                       values=default_values(j, same.index(entry), entry.category.key))
            submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    close_stage(stage=stage, actor="s", bootstrap=0)
    client.force_login(judges[0].user)
    page = client.get(url).content.decode()
    assert entries[0].code in page and f"{judges[1].name}: " in page
    client.force_login(judges[1].user)
    assert client.get(url).status_code == 404


def test_chair_of_a_stage_not_open_yet_reads_when_it_opens(client, setting):
    """9.5: the chair reaches every stage of the jury from the assignments page; a stage the
    secretariat has not opened says when it opens instead of answering 404."""
    import datetime as dt

    edition, _stage, _entries, judges = setting
    judges[0].role = "ketua"
    judges[0].save(update_fields=["role"])
    pending = edition.stages.get(key="wawancara")
    pending.starts_at = dt.datetime(2030, 11, 9, 8, 0, tzinfo=edition.zoneinfo)
    pending.save(update_fields=["starts_at"])
    url = reverse("jury:stage_results", args=[edition.slug, pending.key])
    client.force_login(judges[0].user)
    home = client.get(reverse("jury:home")).content.decode()
    assert f'href="{url}"' in home
    response = client.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert ("This stage is not open for scoring yet; it opens on 9 November 2030 at 08:00 "
            "WITA, once the secretariat opens it.") in text
    assert "Judges&#x27; totals" not in text
    client.force_login(judges[1].user)  # a member who does not chair it
    assert client.get(url).status_code == 404


def test_range_checked_as_typed_reads_the_limits_in_any_language(client, setting, settings):
    """The page's script reads the range from data attributes: plain numbers, never the
    Indonesian decimal comma (parseFloat("7,5") is 7)."""
    _edition, stage, entries, judges = setting
    settings.LANGUAGE_CODE = "id"
    client.force_login(judges[0].user)
    page = client.get(_url("sheet", stage, entries[0]),
                      HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Nilai dari 1 sampai 10" in page
    assert 'data-min="1.000" data-max="10.000"' in page


def test_chair_reaches_a_closed_stage_s_comparison_without_unfolding_it(client, setting):
    """The closed stages are folded on the assignments page; the chair's link to each closed
    stage's comparison stands above them, the stages still to come stay open below it."""
    from django.conf import settings

    from sayembara.competitions.enums import StageStatus

    edition, stage, _entries, judges = setting
    judges[0].role = "ketua"
    judges[0].save(update_fields=["role"])
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    url = reverse("jury:stage_results", args=[edition.slug, stage.key])
    client.force_login(judges[0].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    home = client.get(reverse("jury:home")).content.decode()
    links = home[:home.index("<details class=\"card closed-stages\"")]  # before unfolding
    assert "Ketua dewan juri: perbandingan nilai tahap yang sudah ditutup" in links
    assert f'href="{url}">Perbandingan nilai · {stage.name}</a>' in links
    later = edition.stages.get(order=stage.order + 1)
    assert f"{edition.title} · {later.name}</h2>" in links  # the next stage, not folded
    client.force_login(judges[1].user)  # a member, not the chair: no comparison
    home = client.get(reverse("jury:home")).content.decode()
    assert "perbandingan nilai tahap yang sudah ditutup" not in home and url not in home


def test_judge_whose_stages_are_all_closed_reads_so_and_sees_the_sheets(client, setting):
    """A verifier after the stage closed: the page says nothing is open now and shows the
    closed stage's sheets unfolded, instead of a lone folded line."""
    from django.conf import settings

    from sayembara.competitions.enums import StageStatus

    edition, stage, entries, judges = setting
    edition.stages.exclude(pk=stage.pk).update(status=StageStatus.CLOSED)
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    client.force_login(judges[1].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    home = client.get(reverse("jury:home")).content.decode()
    assert "Tidak ada tahap Anda yang sedang dibuka untuk penilaian." in home
    assert '<details class="card closed-stages" open>' in home
    assert entries[0].code in home


def test_submitted_sheet_reads_its_comments_as_text_without_empty_boxes(client, setting):
    """A locked sheet shows the comments the judge wrote as text, and no empty comment box
    that looks as if it still could be filled in."""
    _edition, stage, entries, judges = setting
    entry = next(e for e in entries if e.category.key == "opd")
    client.force_login(judges[0].user)
    response = client.post(_url("sheet_submit", stage, entry),
                           {"score-kebaruan": "7", "score-bukti": "70",
                            "comment-kebaruan": "Baru di tingkat kabupaten",
                            "overall_comment": "", "version": "1", "confirmed": "1"})
    assert response.status_code == 302
    page = client.get(_url("sheet", stage, entry)).content.decode()
    assert "Baru di tingkat kabupaten" in page
    assert "<textarea" not in page
    assert "Overall comment" not in page


def test_submitted_sheet_marks_the_level_given(client, setting):
    """On a locked sheet the disabled radio buttons are faint: the level the judge gave is
    named on its row, and only there."""
    import re

    _edition, stage, entries, judges = setting
    entry = next(e for e in entries if e.category.key == "opd")
    client.force_login(judges[0].user)
    client.post(_url("sheet_submit", stage, entry),
                {"score-kebaruan": "7", "score-bukti": "70", "version": "1", "confirmed": "1"})
    page = client.get(_url("sheet", stage, entry)).content.decode()
    chosen = re.findall(r'<label class="level[^"]* chosen">(.*?)</label>', page, re.S)
    assert len(chosen) == 1
    assert 'value="70"' in chosen[0] and "your choice" in chosen[0]
    assert page.count("your choice") == 1


def test_conflict_without_a_reason_is_refused_by_the_page_in_its_own_words(client, setting):
    """The form is not stopped by the browser's own bubble (in the browser's language): the
    page answers with its Indonesian sentence and the entry stays on the judge's list."""
    from django.conf import settings

    _edition, stage, entries, judges = setting
    client.force_login(judges[0].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    url = _url("conflict_declare", stage, entries[0])
    assert '<form method="post" novalidate>' in client.get(url).content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert "Jelaskan secara singkat mengapa terdapat konflik kepentingan." in (
        response.content.decode())
    assert client.get(_url("sheet", stage, entries[0])).status_code == 200


def test_open_stage_past_its_planned_end_says_sheets_can_still_be_sent(client, setting):
    """A stage still open after its planned end does not read "Penilaian ditutup pada …"
    beside the badge "Penilaian": it says the date passed and scoring goes on until the
    secretariat closes the stage."""
    import datetime as dt

    from django.conf import settings

    edition, stage, _entries, judges = setting
    stage.ends_at = dt.datetime(2024, 9, 6, 23, 59, tzinfo=edition.zoneinfo)
    stage.save(update_fields=["ends_at"])
    client.force_login(judges[0].user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    home = client.get(reverse("jury:home")).content.decode()
    assert ("Batas waktu penilaian yang direncanakan, 6 September 2024 pukul 23.59 WITA, "
            "sudah lewat; lembar penilaian masih dapat dikirim sampai sekretariat menutup "
            "tahap ini.") in home
    assert "Penilaian ditutup pada 6 September 2024" not in home
