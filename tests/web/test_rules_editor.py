"""Setting up an edition's rules in the browser, before and after they freeze."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.competitions.models import Category, Edition, RulesReopening
from sayembara.competitions.services.editions import create_edition, template_of
from sayembara.entries.services.entries import create_entry
from sayembara.judging.models import Judge, Score, ScoreSheet
from sayembara.template_format import load_template
from tests.factories import InstitutionFactory
from tests.web.html_forms import read_form

pytestmark = pytest.mark.django_db

FORM = "rows-TOTAL_FORMS"


@pytest.fixture
def client(organiser_user):
    client = Client(headers={"accept-language": "en"})
    client.force_login(organiser_user)
    return client


def _url(edition, section):
    return reverse("web:rules_section", kwargs={"slug": edition.slug, "section": section})


def _rubric_url(edition, rubric):
    return reverse("web:rules_rubric", kwargs={"slug": edition.slug, "rubric": rubric})


def _stage_weights(edition):
    return {s.key: s.weight for s in edition.stages.all()}


def _add_entry(edition, actor):
    category = edition.categories.get(key="kelurahan")
    institution = InstitutionFactory(organiser=edition.organiser, name="Kelurahan Kuta",
                                     kind="kelurahan")
    return create_entry(edition=edition, institution=institution, category=category,
                        title="Kuta Bersih", actor=actor)


def _row_html(page: str, index: int) -> str:
    """The HTML of one row of the formset (to check an error sits next to its field)."""
    match = re.search(rf'<fieldset class="card rowcard" id="row-rows-{index}">(.*?)</fieldset>',
                      page, re.S)
    assert match, f"row {index} not on the page"
    return match.group(1)


def test_rules_stage_weights_valid_change_applied(client, edition, organiser_user):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-weight": "30", "rows-1-weight": "45", "rows-2-weight": "25"})

    response = client.post(_url(edition, "tahap"), data)

    assert response.status_code == 302
    edition.refresh_from_db()
    assert _stage_weights(edition) == {
        "verifikasi-dokumen": Decimal("30"), "presentasi": Decimal("45"),
        "verifikasi-lapangan": Decimal("25"),
    }
    assert [s.weight for s in template_of(edition).stages] == [30, 45, 25]
    assert edition.rules_version == 2
    event = AuditEvent.objects.filter(action="edition.rules_changed").get()
    assert event.actor_id == organiser_user.pk
    assert [s["weight"] for s in event.before["stages"]] == [20, 55, 25]
    assert [s["weight"] for s in event.after["stages"]] == [30, 45, 25]


def test_rules_stage_weights_not_adding_up_refused_with_typed_values_kept(client, edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-weight": "33", "rows-1-weight": "44", "rows-2-weight": "13"})

    response = client.post(_url(edition, "tahap"), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "add up to 90, not 100" in page
    assert 'name="rows-0-weight" value="33"' in page
    assert 'name="rows-1-weight" value="44"' in page
    edition.refresh_from_db()
    assert edition.rules_version == 1
    assert _stage_weights(edition)["presentasi"] == Decimal("55")
    assert not AuditEvent.objects.filter(action="edition.rules_changed").exists()


def test_rules_top_n_larger_than_category_shown_next_to_the_field(client, edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data["rows-0-advance_top_n"] = "40"  # Kelurahan holds 16, Perangkat Daerah 39

    response = client.post(_url(edition, "tahap"), data)

    row = _row_html(response.content.decode(), 0)
    assert 'class="field has-error"' in row
    assert "errorlist" in row.split('name="rows-0-advance_top_n"')[1].split("</div>")[0]
    assert 'value="40"' in row
    assert edition.stages.get(key="verifikasi-dokumen").settings["advance"]["top_n"] == 10


def test_rules_stage_advancement_quotas_and_passing_grade_saved(client, edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-1-advance_top_n": "5", "rows-1-advance_passing_grade": "60.5",
                 "rows-1-advance_ties": "admit_all"})

    assert client.post(_url(edition, "tahap"), data).status_code == 302

    stage = template_of(Edition.objects.get(pk=edition.pk)).stage("presentasi")
    assert (stage.advance.top_n, stage.advance.passing_grade, stage.advance.ties) == (
        5, Decimal("60.5"), "admit_all")
    # What the form does not show is kept: the rubric per category and the slot.
    assert stage.rubric_for("desa") == "aspek-kelurahan-desa"
    assert stage.slot.presentation_minutes == 10


def test_rules_quotas_one_number_per_category_named_as_people_read_it(client, edition):
    page = html.unescape(client.get(_url(edition, "tahap")).content.decode())
    row = _row_html(page, 0)

    for name in ("Kategori Perangkat Daerah", "Kategori Kelurahan",
                 "Kategori Pemerintah Desa"):
        assert f"Quota of category {name}" in row
    assert 'type="number" name="rows-0-quota_category_kelurahan"' in row


def test_rules_quota_of_a_category_named_kategori_says_it_once_in_indonesian(edition,
                                                                            organiser_user,
                                                                            settings):
    settings.LANGUAGE_CODE = "id"
    indonesian = Client()
    indonesian.force_login(organiser_user)

    row = _row_html(html.unescape(indonesian.get(_url(edition, "tahap")).content.decode()), 0)

    assert "Kuota Kategori Kelurahan" in row
    assert "Kuota kategori Kategori" not in row


def test_rules_quota_beyond_a_category_refused_by_its_name_with_what_was_typed(client,
                                                                               edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-advance_top_n": "", "rows-0-quota_category_kelurahan": "20",
                 "rows-0-quota_category_desa": "0"})

    page = html.unescape(client.post(_url(edition, "tahap"), data).content.decode())

    row = _row_html(page, 0)
    field = row.split('name="rows-0-quota_category_kelurahan"')[1].split("</div>")[0]
    assert 'lets 20 entries of category "Kategori Kelurahan" advance, but it holds only' in field
    assert 'value="20"' in row
    assert 'value="0"' in row.split('name="rows-0-quota_category_desa"')[1].split(">")[0]
    assert 'category "kelurahan"' not in field
    assert edition.stages.get(key="verifikasi-dokumen").settings["advance"]["top_n"] == 10


def test_rules_quotas_per_group_shown_and_saved_by_the_group_names(client, edition,
                                                                   organiser_user):
    edition = create_edition(template=load_template("pengaduan-2020"), year=2021,
                             organiser=edition.organiser, actor=organiser_user)
    page = html.unescape(client.get(_url(edition, "tahap")).content.decode())
    assert "Quota of group Instansi Pemerintah Umum" in page
    data = read_form(page, FORM)
    index = max(int(name.split("-")[1]) for name, value in data.items()
                if name.endswith("-quota_group_upp") and value)
    data[f"rows-{index}-quota_group_upp"] = "0"

    response = client.post(_url(edition, "tahap"), data)

    assert response.status_code == 302, _problems(response)
    advance = template_of(Edition.objects.get(pk=edition.pk)).stages[index].advance
    assert (advance.quota("upp"), advance.quota("ip-umum")) == (0, 7)


def test_rules_later_quota_wider_than_the_earlier_refused_beside_it_by_names(client, edition,
                                                                           organiser_user):
    edition = create_edition(template=load_template("pengaduan-2020"), year=2021,
                             organiser=edition.organiser, actor=organiser_user)
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    index = max(int(name.split("-")[1]) for name, value in data.items()
                if name.endswith("-quota_group_ip-umum") and value)
    data[f"rows-{index}-quota_group_ip-umum"] = "40"

    page = html.unescape(client.post(_url(edition, "tahap"), data).content.decode())

    field = _row_html(page, index).split(f'name="rows-{index}-quota_group_ip-umum"')[1]
    assert ('lets 40 entries of group "Instansi Pemerintah Umum" advance, more than the 30 '
            "admitted by the cut before it") in field.split("</div>")[0]
    assert 'value="40"' in field.split(">")[0]


def test_rules_quota_of_a_scope_not_chosen_refused_next_to_it(client, edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-advance_top_n": "", "rows-0-advance_scope": "overall",
                 "rows-0-quota_category_desa": "4"})

    page = html.unescape(client.post(_url(edition, "tahap"), data).content.decode())

    field = _row_html(page, 0).split('name="rows-0-quota_category_desa"')[1].split("</div>")[0]
    assert "This quota counts only when advancement is counted per category" in field


def test_rules_criteria_weights_changed(client, edition):
    url = _rubric_url(edition, "aspek-kelurahan-desa")
    data = read_form(client.get(url).content.decode(), FORM)
    data.update({"rows-0-weight": "10", "rows-4-weight": "25"})

    assert client.post(url, data).status_code == 302

    rubric = template_of(Edition.objects.get(pk=edition.pk)).rubric("aspek-kelurahan-desa")
    assert [c.weight for c in rubric.criteria] == [10, 15, 10, 10, 25, 15, 15]
    criterion = edition.rubrics.get(key="aspek-kelurahan-desa").criteria.get(key="aset")
    assert criterion.weight == Decimal("10")


def test_rules_criteria_weights_not_adding_up_refused(client, edition):
    url = _rubric_url(edition, "aspek-perangkat-daerah")
    data = read_form(client.get(url).content.decode(), FORM)
    data["rows-0-weight"] = "50"

    page = html.unescape(client.post(url, data).content.decode())

    assert ('The criteria weights of rubric "Tujuh aspek penilaian (Perangkat Daerah)" add up '
            "to 135") in page
    assert 'name="rows-0-weight" value="50"' in page


def test_rules_category_added_by_its_name_alone_and_no_id_shown(client, edition):
    url = _url(edition, "kategori")
    page = client.get(url + "?extra=2").content.decode()
    shown = html.unescape(re.sub(r"<[^>]+>", " ", page))
    assert "perangkat-daerah" not in shown and "Short name" not in shown
    data = read_form(page, FORM)
    data.update({"rows-3-name": "Kategori BUMD", "rows-3-basis": "participant_type",
                 "rows-4-name": "Kategori BUMD", "rows-4-basis": "participant_type"})

    response = client.post(url, data)

    assert response.status_code == 302, _problems(response)
    assert list(Category.objects.filter(edition=edition).values_list("key", flat=True)) == [
        "perangkat-daerah", "kelurahan", "desa", "kategori-bumd", "kategori-bumd-2"]


def test_rules_new_row_left_empty_is_ignored(client, edition):
    url = _url(edition, "kategori")
    page = client.get(url + "?extra=1").content.decode()
    data = read_form(page, FORM)
    assert data["rows-TOTAL_FORMS"] == "4"

    assert client.post(url, data).status_code == 302

    assert edition.categories.count() == 3


def test_rules_add_row_with_htmx_returns_the_row_and_the_new_count(client, edition):
    response = client.get(_url(edition, "kategori") + "?row=3", headers={"hx-request": "true"})

    page = response.content.decode()
    assert '<fieldset class="card rowcard" id="row-rows-3">' in page
    assert 'name="rows-3-name"' in page
    assert 'id="id_rows-TOTAL_FORMS" hx-swap-oob="true"' in page
    assert 'value="4"' in page
    assert "<html" not in page


def test_rules_timeline_phase_ending_before_it_starts_refused(client, edition):
    url = _url(edition, "jadwal")
    data = read_form(client.get(url).content.decode(), FORM)
    data["rows-1-end"] = "2025-07-01"

    response = client.post(url, data)

    row = _row_html(response.content.decode(), 1)
    assert "errorlist" in row
    assert 'value="2025-07-01"' in row
    edition.refresh_from_db()
    assert edition.timeline.get(key="verifikasi-dokumen").ends_on.isoformat() == "2025-08-16"


def test_rules_submission_deadline_moved(client, edition):
    url = _url(edition, "jadwal")
    data = read_form(client.get(url).content.decode(), FORM)
    assert data["head-submission_deadline"] == "2025-07-31T16:00"
    data["head-submission_deadline"] = "2025-08-02T12:00"

    assert client.post(url, data).status_code == 302

    edition.refresh_from_db()
    local = edition.submission_deadline.astimezone(edition.zoneinfo)
    assert (local.date().isoformat(), local.hour) == ("2025-08-02", 12)


def test_rules_award_tier_prize_saved(client, edition):
    url = _url(edition, "penghargaan")
    data = read_form(client.get(url).content.decode(), FORM)
    data["rows-0-prize"] = "15000000"

    assert client.post(url, data).status_code == 302

    tiers = edition.award_tiers.filter(key="peringkat-1-3")
    assert {tier.prize for tier in tiers} == {Decimal("15000000")}


def test_rules_frozen_change_refused(client, edition, organiser_user):
    page = client.get(_url(edition, "tahap")).content.decode()
    data = read_form(page, FORM)
    _add_entry(edition, organiser_user)
    data.update({"rows-0-weight": "30", "rows-1-weight": "45"})

    response = client.post(_url(edition, "tahap"), data)

    assert "the rules are frozen" in response.content.decode()
    edition.refresh_from_db()
    assert edition.rules_version == 1
    assert _stage_weights(edition)["verifikasi-dokumen"] == Decimal("20")
    frozen_page = client.get(_url(edition, "tahap")).content.decode()
    assert "Reopen the rules" in frozen_page
    assert re.search(r'<input[^>]*name="rows-0-weight"[^>]*disabled', frozen_page)
    assert "Save the rules" not in frozen_page


def test_rules_reopened_then_changed_then_frozen_again(client, edition, organiser_user):
    _add_entry(edition, organiser_user)
    reopen = reverse("web:rules_reopen", kwargs={"slug": edition.slug})

    response = client.post(reopen, {"reason": "Bobot tahap presentasi salah ketik.",
                                    "affects": "Belum ada nilai; tidak ada entri terdampak.",
                                    "next": _url(edition, "tahap")})

    assert response["Location"] == _url(edition, "tahap")
    edition.refresh_from_db()
    assert not edition.rules_frozen
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-weight": "25", "rows-1-weight": "50"})
    assert client.post(_url(edition, "tahap"), data).status_code == 302
    assert _stage_weights(edition)["presentasi"] == Decimal("50")

    client.post(reverse("web:rules_freeze", kwargs={"slug": edition.slug}))

    edition.refresh_from_db()
    assert edition.rules_frozen
    reopening = RulesReopening.objects.get()
    assert reopening.closed_at is not None
    assert reopening.affects == "Belum ada nilai; tidak ada entri terdampak."
    actions = list(AuditEvent.objects.filter(object_type__startswith="competitions.edition")
                   .order_by("seq").values_list("action", "reason"))
    assert actions[-4:] == [
        ("edition.rules_frozen", ""),
        ("edition.rules_reopened", "Bobot tahap presentasi salah ketik."),
        ("edition.rules_changed", "Bobot tahap presentasi salah ketik."),
        ("edition.rules_frozen", ""),
    ]


def test_rules_reopen_without_reason_refused(client, edition, organiser_user):
    _add_entry(edition, organiser_user)

    response = client.post(reverse("web:rules_reopen", kwargs={"slug": edition.slug}),
                           {"reason": "", "affects": ""})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    edition.refresh_from_db()
    assert edition.rules_frozen
    assert not RulesReopening.objects.exists()


def test_rules_removing_a_scored_criterion_refused_after_reopening(client, edition,
                                                                     organiser_user):
    entry = _add_entry(edition, organiser_user)
    stage = edition.stages.get(key="verifikasi-dokumen")
    judge = Judge.objects.create(edition=edition, name="Dr. Made")
    sheet = ScoreSheet.objects.create(stage=stage, judge=judge, entry=entry)
    criterion = edition.rubrics.get(key="aspek-kelurahan-desa").criteria.get(key="arsip")
    Score.objects.create(sheet=sheet, criterion=criterion, value=Decimal("80"))
    client.post(reverse("web:rules_reopen", kwargs={"slug": edition.slug}),
                {"reason": "Aspek arsip digabung.", "affects": "Nilai arsip yang sudah ada."})
    url = _rubric_url(edition, "aspek-kelurahan-desa")
    data = read_form(client.get(url).content.decode(), FORM)
    data.update({"rows-2-DELETE": "on", "rows-3-weight": "20"})

    page = html.unescape(client.post(url, data).content.decode())

    assert ('Criterion "Tata Kelola Arsip" of rubric "Tujuh aspek penilaian (Kelurahan dan '
            'Pemerintah Desa)" cannot be removed') in page
    assert Score.objects.filter(criterion__key="arsip").count() == 1


def test_rules_yaml_edit_saved(client, edition):
    url = reverse("web:rules_yaml", kwargs={"slug": edition.slug})
    text = read_form(client.get(url).content.decode(), "text")["text"]
    changed = text.replace("weight: 55", "weight: 50").replace("weight: 25\n", "weight: 30\n", 1)

    response = client.post(url, {"text": changed})

    assert response.status_code == 302
    assert [s.weight for s in template_of(Edition.objects.get(pk=edition.pk)).stages] == [
        20, 50, 30]


def test_rules_yaml_problems_name_their_line_and_keep_the_text(client, edition):
    url = reverse("web:rules_yaml", kwargs={"slug": edition.slug})
    text = read_form(client.get(url).content.decode(), "text")["text"]
    changed = text.replace("weight: 55", "weight: 65")
    # The sum of the stage weights is a problem of the list of stages.
    line = changed.splitlines().index("stages:") + 1

    page = html.unescape(client.post(url, {"text": changed}).content.decode())

    assert f"line {line}:" in page
    assert "add up to 110, not 100" in page
    assert "weight: 65" in page
    assert Edition.objects.get(pk=edition.pk).rules_version == 1


def test_rules_yaml_download_reads_back_as_the_same_rules(client, edition):
    response = client.get(reverse("web:rules_download", kwargs={"slug": edition.slug}))

    assert response["Content-Disposition"] == (
        f'attachment; filename="{edition.slug}-rules.yaml"')
    data = yaml.safe_load(response.content.decode())
    assert data["title"] == "Mangupura Award 2025"
    from sayembara.template_format import parse_template

    assert parse_template(response.content.decode()) == template_of(edition)


def test_rules_overview_shows_stages_and_advancement(client, edition):
    page = client.get(reverse("web:edition_rules", kwargs={"slug": edition.slug})).content
    page = page.decode()

    assert "Presentasi dokumen kinerja di hadapan juri" in page
    assert "top 10 per category" in page
    assert "Edit as YAML" in page


def test_rules_overview_names_the_groups_of_quotas(client, edition, organiser_user):
    pengaduan = create_edition(template=load_template("pengaduan-2020"), year=2021,
                               organiser=edition.organiser, actor=organiser_user)

    page = html.unescape(client.get(reverse("web:edition_rules",
                                            kwargs={"slug": pengaduan.slug})).content.decode())

    assert ("quotas per group: Instansi Pemerintah dengan Outstanding Achievement 6, Instansi "
            "Pemerintah Umum 30, Unit Pengelola Pelayanan 10 (46 in all)") in page
    assert "ip-umum 30" not in page


def test_rules_overview_names_each_rank_award_and_the_template_by_title(client, edition):
    page = html.unescape(client.get(reverse("web:edition_rules",
                                            kwargs={"slug": edition.slug})).content.decode())

    assert "each rank: Juara 1, Juara 2 and Juara 3" in page
    # No prize money reads as a dash, not as a prize of 0; what is given is a list.
    assert re.search(r"<td>trophy, certificate</td><td class=\"num\">—</td>", page)
    assert "{rank}" not in page
    assert "Version 1 · from the template Mangupura Award 2024" in page
    assert "mangupura-2024" not in page


@pytest.mark.parametrize("section", ["jadwal", "kategori", "tahap", "penghargaan",
                                     "rubrik/aspek-kelurahan-desa"])
def test_rules_row_added_with_htmx_and_left_empty_is_ignored(client, edition, section):
    """Saving a page unchanged, with an empty row added, changes nothing at all."""
    if section.startswith("rubrik/"):
        url = _rubric_url(edition, section.split("/")[1])
    else:
        url = _url(edition, section)
    data = read_form(client.get(url).content.decode(), FORM)
    index = int(data[FORM])
    row = client.get(f"{url}?row={index}", headers={"hx-request": "true"}).content.decode()
    data.update(read_form(f"<form>{row}</form>", FORM))

    response = client.post(url, data)

    assert response.status_code == 302
    edition.refresh_from_db()
    assert edition.rules_version == 1
    assert not AuditEvent.objects.filter(action="edition.rules_changed").exists()


# --------------------------------------------------------------------------------------------
# The rules an organiser sets without YAML: special awards, points, disagreement, quotas of
# zero, calibration
# --------------------------------------------------------------------------------------------


def _problems(response) -> list[str]:
    return re.findall(r"errorlist[^<]*<li>([^<]*)", response.content.decode())


def _disagreement_url(edition, stage):
    return reverse("web:rules_disagreement", kwargs={"slug": edition.slug, "stage": stage})


def _award_row(index, **values):
    return {f"rows-{index}-{name}": value for name, value in values.items()}


def test_special_awards_added_in_the_order_of_their_position(client, edition):
    url = _url(edition, "penghargaan-khusus")
    data = read_form(client.get(url + "?extra=2").content.decode(), FORM)
    data.update(_award_row(0, id="inovasi-terbaik", name="Inovasi Terbaik", stage="presentasi",
                           criterion="inovasi", winners="3", ORDER="2", prize="5000000",
                           exclude="keuangan-terbaik"))
    data.update(_award_row(1, id="keuangan-terbaik", name="Keuangan Terbaik",
                           stage="presentasi", criterion="keuangan", winners="2", ORDER="1",
                           categories=["kelurahan", "desa"]))

    response = client.post(url, data)

    assert response.status_code == 302, _problems(response)
    special = template_of(Edition.objects.get(pk=edition.pk)).awards.special
    assert [(a.id, a.winners, a.categories, a.exclude) for a in special] == [
        ("keuangan-terbaik", 2, ("kelurahan", "desa"), ()),
        ("inovasi-terbaik", 3, (), ("keuangan-terbaik",))]
    assert special[1].prize == Decimal(5000000)
    overview = html.unescape(client.get(reverse("web:edition_rules", args=[edition.slug]))
                             .content.decode())
    assert "Inovasi Terbaik: the 3 best entries of each category" in overview
    assert "not for holders of Keuangan Terbaik" in overview


def test_special_award_on_a_criterion_missing_from_a_rubric_refused_next_to_it(edition,
                                                                               settings):
    settings.LANGUAGE_CODE = "id"
    indonesian = Client()
    indonesian.force_login(edition.organiser.memberships.first().user)
    url = _url(edition, "penghargaan-khusus")
    data = read_form(indonesian.get(url + "?extra=1").content.decode(), FORM)
    # pelayanan-publik is a criterion of the Perangkat Daerah rubric only
    data.update(_award_row(0, id="pelayanan", name="Pelayanan Terbaik", stage="presentasi",
                           criterion="pelayanan-publik", winners="1"))

    response = indonesian.post(url, data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    row = _row_html(page, 0)
    assert 'class="field has-error"' in row
    error = row.split('name="rows-0-criterion"')[1].split("</div>")[0]
    assert 'kriteria "Tata Kelola Pelayanan Publik"' in error
    assert 'rubrik "Tujuh aspek penilaian (Kelurahan dan Pemerintah Desa)"' in error
    message = error.split("errorlist")[1]
    assert "pelayanan-publik" not in message and "aspek-kelurahan-desa" not in message
    assert 'value="Pelayanan Terbaik"' in row
    assert not template_of(Edition.objects.get(pk=edition.pk)).awards.special


def test_rubric_in_its_own_points(client, edition, organiser_user):
    from sayembara.template_format.blank import blank_template

    points = create_edition(template=blank_template(competition="Lomba Poin",
                                                    organiser="BRIDA", year=2025),
                            year=2025, organiser=edition.organiser, actor=organiser_user)
    url = _rubric_url(points, "penilaian")
    data = read_form(client.get(url).content.decode(), FORM)
    data["head-scale"] = "700"

    refused = html.unescape(client.post(url, data).content.decode())
    assert "add up to 100" in refused and 'name="head-scale" value="700"' in refused

    data.update({"rows-0-weight": "700", "rows-0-scale_max": "700"})
    response = client.post(url, data)
    assert response.status_code == 302, re.findall(r"errorlist[^<]*<li>([^<]*)",
                                                   response.content.decode())
    rubric = template_of(Edition.objects.get(pk=points.pk)).rubric("penilaian")
    assert (rubric.scale, rubric.criteria[0].weight) == (700, 700)
    # the stage's passing grade is then in points: 400 of 700 stays exactly 400
    data = read_form(client.get(_url(points, "tahap")).content.decode(), FORM)
    data["rows-0-advance_passing_grade"] = "400"
    assert client.post(_url(points, "tahap"), data).status_code == 302
    stage = template_of(Edition.objects.get(pk=points.pk)).stage("penilaian")
    assert stage.advance.passing_grade == 400


def test_quota_of_zero_calibration_and_minimum_judges_saved(client, edition):
    data = read_form(client.get(_url(edition, "tahap")).content.decode(), FORM)
    data.update({"rows-0-advance_top_n": "", "rows-0-advance_scope": "category",
                 "rows-0-quota_category_perangkat-daerah": "10",
                 "rows-0-quota_category_kelurahan": "0", "rows-0-quota_category_desa": "10",
                 "rows-1-min_judges": "3", "rows-1-official_score": "calibrated",
                 "head-calibration_model": "offset_scale",
                 "head-calibration_regularisation": "2"})

    response = client.post(_url(edition, "tahap"), data)

    assert response.status_code == 302, _problems(response)
    template = template_of(Edition.objects.get(pk=edition.pk))
    first = template.stage("verifikasi-dokumen").advance
    assert (first.quota("kelurahan"), first.quota("desa")) == (0, 10)
    presentasi = template.stage("presentasi")
    assert (presentasi.aggregation.min_judges, presentasi.official_score) == (3, "calibrated")
    assert (template.calibration.model, template.calibration.regularisation) == (
        "offset_scale", 2)


def test_new_rules_frozen_with_the_first_entry(client, edition, organiser_user):
    _add_entry(edition, organiser_user)
    url = _disagreement_url(edition, "presentasi")
    page = client.get(url).content.decode()
    assert re.search(r'<input[^>]*name="head-reviewers"[^>]*disabled', page)
    data = read_form(client.get(_url(edition, "penghargaan-khusus") + "?extra=1")
                     .content.decode(), FORM)
    data.update(_award_row(0, id="x", name="X", stage="presentasi", criterion="inovasi",
                           winners="1"))
    response = client.post(_url(edition, "penghargaan-khusus"), data)
    assert "the rules are frozen" in response.content.decode()
    assert not template_of(Edition.objects.get(pk=edition.pk)).awards.special


def _options(page: str, name: str) -> list[tuple[str, str]]:
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"{name} not on the page"
    return [(value, html.unescape(label)) for value, label in
            re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))]


def test_choices_read_only_the_display_names(client, edition):
    stages_page = client.get(_url(edition, "tahap")).content.decode()
    awards_page = client.get(_url(edition, "penghargaan-khusus") + "?extra=1").content.decode()

    rubrics = _options(stages_page, "rows-1-rubric")
    stages = _options(awards_page, "rows-0-stage")
    criteria = _options(awards_page, "rows-0-criterion")

    assert [label for _value, label in rubrics] == [
        "—", "Tujuh aspek penilaian (Perangkat Daerah)",
        "Tujuh aspek penilaian (Kelurahan dan Pemerintah Desa)"]
    assert [label for _value, label in stages] == [
        "—", "Verifikasi dokumen kinerja tahun sebelumnya",
        "Presentasi dokumen kinerja di hadapan juri", "Verifikasi faktual lapangan"]
    # a criterion of both rubrics by its name, one of a single rubric with the rubric's
    assert dict(criteria)["inovasi"] == "Program Inovasi"
    assert dict(criteria)["pelayanan-publik"] == (
        "Tata Kelola Pelayanan Publik — Tujuh aspek penilaian (Perangkat Daerah)")
    labels = [label for _value, label in criteria]
    assert len(set(labels)) == len(labels)
    for page in (stages_page, awards_page):
        shown = " ".join(label for _v, label in _options(page, "rows-0-" + (
            "rubric" if page is stages_page else "criterion")))
        assert "presentasi)" not in shown and "aspek-kelurahan-desa" not in shown


def test_choices_with_the_same_name_are_told_apart_by_number(edition, organiser_user):
    from sayembara.web.rules_forms import options_for

    rules = template_of(edition).to_data()
    rules["categories"][2]["name"] = rules["categories"][1]["name"]

    labels = [label for _value, label in options_for(rules)["categories"]]

    assert labels == ["Kategori Perangkat Daerah", "Kategori Kelurahan", "Kategori Kelurahan (2)"]


YAML_WORDS = ("stages[", "rubrics[", "categories[", "awards.", "top_n", "quotas", "multiplier",
              "can_only_lower", "scale_min", "scale_max", "rubric_by_category", "threshold",
              "more_than", "at_least", "spread", "line None")


@pytest.mark.parametrize(("section", "change", "message"), [
    ("tahap", {"rows-0-can_only_lower": "on"},
     'Tahap "Verifikasi dokumen kinerja tahun sebelumnya" adalah tahap pertama sehingga tidak '
     "ada nilai sebelumnya yang dapat diturunkan; hapus centang \"Hanya dapat menurunkan "
     'nilai" atau pindahkan tahap ini ke urutan yang lebih belakang.'),
    ("tahap", {"rows-0-advance_top_n": "10", "rows-0-quota_category_kelurahan": "5"},
     'Tahap "Verifikasi dokumen kinerja tahun sebelumnya" memiliki jumlah yang lolos (N '
     "teratas) sekaligus kuota; pilih salah satu: N teratas untuk jumlah yang sama pada setiap "
     "kategori, atau kuota untuk jumlah tersendiri pada setiap kelompok atau kategori."),
    ("tahap", {"rows-2-start": "2030-09-16"},
     'Hari pertama pada Tahap "Verifikasi faktual lapangan" jatuh pada 16 September 2030, '
     "berjarak lebih dari satu tahun dari tahun aturan 2025; periksa tahunnya."),
    ("penghargaan", {"rows-0-rank_from": "5", "rows-0-rank_to": "3"},
     'Tingkat penghargaan "Juara 1 sampai 3" mencakup peringkat 5 sampai 3; peringkat '
     "pertamanya tidak boleh sesudah peringkat terakhirnya."),
    ("tahap", {"rows-1-score_source": "self_assessment"},
     'Tahap "Presentasi dokumen kinerja di hadapan juri" menilai penilaian mandiri yang telah '
     'diverifikasi, sehingga kriteria "Penatausahaan Aset" pada rubrik "Tujuh aspek penilaian '
     '(Perangkat Daerah)" harus memiliki tingkat bukti dukung dan diklaim dalam penilaian '
     "mandiri formulir entri (ditulis di halaman YAML); atau tetapkan agar tahap ini dinilai "
     "oleh juri."),
    ("rubrik/aspek-perangkat-daerah", {"rows-0-scale_min": "11", "rows-0-scale_max": "10"},
     'Kriteria "Penatausahaan Aset" pada rubrik "Tujuh aspek penilaian '
     '(Perangkat Daerah)" memiliki skala dari 11 sampai 10; nilai terendah harus lebih kecil '
     "daripada nilai tertinggi."),
])
def test_form_refusals_read_as_indonesian_sentences_by_display_name(edition, settings, section,
                                                                    change, message):
    settings.LANGUAGE_CODE = "id"
    indonesian = Client()
    indonesian.force_login(edition.organiser.memberships.first().user)
    url = (_rubric_url(edition, section.split("/")[1]) if section.startswith("rubrik/")
           else _url(edition, section))
    data = read_form(indonesian.get(url).content.decode(), FORM)
    data.update(change)
    for name, value in change.items():
        if not value:
            data.pop(name, None)

    response = indonesian.post(url, data)

    assert response.status_code == 200
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())
    assert message in page
    assert [word for word in YAML_WORDS if word in page] == []


def test_rubrics_of_one_stage_put_in_points_from_one_rubric_page(client, edition):
    url = _rubric_url(edition, "aspek-perangkat-daerah")
    page = html.unescape(client.get(url).content.decode())
    assert ("this rubric shares a stage with Tujuh aspek penilaian (Kelurahan dan Pemerintah "
            "Desa)") in page
    data = read_form(page, FORM)
    data["head-scale"] = "700"
    for index in range(7):
        data[f"rows-{index}-weight"] = str(Decimal(data[f"rows-{index}-weight"]) * 7)

    response = client.post(url, data)

    assert response.status_code == 302, _problems(response)
    template = template_of(Edition.objects.get(pk=edition.pk))
    own, other = template.rubric("aspek-perangkat-daerah"), template.rubric("aspek-kelurahan-desa")
    assert (own.scale, other.scale) == (700, 700)
    assert [c.weight for c in other.criteria] == [
        c.weight * 7 for c in load_template("mangupura-2024").rubric("aspek-kelurahan-desa")
        .criteria]
    overview = html.unescape(client.get(reverse("web:edition_rules", args=[edition.slug]))
                             .content.decode())
    assert overview.count("in points, out of 700") == 2


def test_rubric_points_its_sibling_cannot_follow_exactly_refused_by_name(client, edition,
                                                                      organiser_user):
    from sayembara.competitions.services.editions import update_rules

    rules = template_of(edition).to_data()
    for rubric in rules["rubrics"]:
        rubric["scale"] = 700
        for criterion in rubric["criteria"]:
            criterion["weight"] = 100
    update_rules(edition=edition, data=rules, actor=organiser_user)
    url = _rubric_url(edition, "aspek-perangkat-daerah")
    data = read_form(client.get(url).content.decode(), FORM)
    data["head-scale"] = "100"
    data.update({f"rows-{i}-weight": w for i, w in enumerate(["15", "15", "10", "10", "20",
                                                              "15", "15"])})

    response = client.post(url, data)

    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert ('The points of rubric "Tujuh aspek penilaian (Kelurahan dan Pemerintah Desa)", '
            "which shares a stage with this one, cannot follow from 700 to 100: its weight 100 "
            "would not be a whole number of thousandths.") in page
    assert 'name="head-scale" value="100"' in page and 'name="rows-4-weight" value="20"' in page
    assert template_of(Edition.objects.get(pk=edition.pk)).rubric(
        "aspek-perangkat-daerah").scale == 700
