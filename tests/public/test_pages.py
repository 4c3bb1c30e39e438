import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sayembara.competitions.enums import EditionStatus
from tests import factories_public as f
from tests.factories import OrganiserFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_landing_page_explains_the_rules_in_plain_words(client):
    edition = f.public_edition()
    text = text_of(client.get(reverse("public:edition", kwargs={"slug": edition.slug})))
    assert "Kategori Perangkat Daerah" in text
    assert "Presentasi dokumen kinerja di hadapan juri" in text
    assert "This stage counts for 55% of the final score." in text
    assert "The best 10 entries per category go on." in text
    assert "Pengumpulan dokumen kinerja tahun sebelumnya" in text
    # Each rank of a tier is named as its winner will be called.
    assert "Ranks 1–3: Juara 1, Juara 2 and Juara 3, a trophy, a certificate." in text
    assert "Ranks 4–10: Peringkat 4 to Peringkat 10, a certificate." in text


def test_draft_edition_is_not_public(client):
    edition = f.public_edition(status=EditionStatus.DRAFT)
    assert client.get(reverse("public:edition", kwargs={"slug": edition.slug})).status_code == 404


def test_results_show_the_breakdown_the_organiser_chose(client):
    edition = f.public_edition()
    e = f.entry(edition, state="winner", title="Sistem Antrean Daring")
    stage = edition.stages.order_by("order").first()
    f.stage_result(stage, e, score="88.4567", rank=1)
    f.final_result(e, rank=1, total="91.2345", tier_key="peringkat-1-3")
    url = reverse("public:results", kwargs={"slug": edition.slug})
    assert "not published yet" in text_of(client.get(url))
    f.publish(edition, breakdown="ranks")
    text = text_of(client.get(url))
    assert "Sistem Antrean Daring" in text and "Juara 1" in text
    assert "sampai" not in text
    assert "91" not in text.split("Sistem Antrean Daring")[1].split("</tr>")[0]
    f.publish(edition, breakdown="total")
    assert re.search(r"91[.,]235", text_of(client.get(url)))  # three decimals, halves up
    f.publish(edition, breakdown="stages")
    text = text_of(client.get(url))
    assert re.search(r"88[.,]457", text) and re.search(r"91[.,]235", text)


def test_results_page_shows_rank_intervals_when_chosen(client):
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    for rank in (1, 2):
        e = f.entry(edition, title=f"Inovasi {rank}")
        f.stage_result(stage, e, score=90 - rank, rank=rank, rank_low=1, rank_high=3,
                       p_top_n="0.5" if rank == 2 else "0.95")
        f.final_result(e, rank=rank, total=90 - rank)
    f.publish(edition, intervals=True)
    entries = {e.title: e for e in edition.entries.select_related("institution")}
    text = text_of(client.get(reverse("public:results", kwargs={"slug": edition.slug})))
    category = edition.categories.order_by("order").first().name
    assert f"Rank ranges (90% confidence) · {category} · {stage.name}" in text
    for title, rank, close in (("Inovasi 1", "1", "no"), ("Inovasi 2", "2", "yes")):
        entry = entries[title]
        # the text alternative: entry, rank, rank range, close to the cut
        assert (f'<th scope="row">{entry.code} · {entry.institution.name}</th>'
                f'<td class="num">{rank}</td><td class="num">1–3</td>'
                f'<td class="num">{close}</td>') in text
    assert text.count(f">{entries['Inovasi 2'].code} · ") == 3  # both drawings and the table
    assert 'fill="#a15c00"' in text  # the entry close to the cut is drawn in orange


def test_uji_publik_page_shows_the_window_after_the_stage_is_confirmed(client):
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    finalist = f.entry(edition, title="Finalis Pertama")
    f.stage_result(stage, finalist, score=90, rank=1, advanced=True)
    url = reverse("public:uji_publik", kwargs={"slug": edition.slug})
    assert "opens the day after" in text_of(client.get(url))
    f.confirm_stage(stage, at=timezone.now() - dt.timedelta(days=2))
    text = text_of(client.get(url))
    assert "Open now" in text and "Finalis Pertama" in text
    assert "Send support or an objection" in text


def test_uji_publik_objection_is_sent_then_its_ruling_published(client):
    from sayembara.judging.models import Objection
    from sayembara.judging.services.public import rule_on_feedback

    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    finalist = f.entry(edition, title="Finalis Pertama")
    f.stage_result(stage, finalist, score=90, rank=1, advanced=True)
    f.confirm_stage(stage, at=timezone.now() - dt.timedelta(days=1))
    url = reverse("public:uji_publik_feedback", kwargs={"slug": edition.slug})
    form = {"entry": finalist.pk, "kind": "objection", "name": "Ketut", "email": "bukan-alamat",
            "text": "Inovasi ini belum berjalan di desa kami."}
    refused = client.post(url, form | f.solved("feedback"))
    assert refused.status_code == 400
    assert "valid e-mail address" in refused.content.decode()
    sent = client.post(url, form | {"email": "ketut@contoh.id"} | f.solved("feedback"))
    assert sent.status_code == 302
    objection = Objection.objects.get()
    assert (objection.entry, objection.name) == (finalist, "Ketut")
    page = client.get(reverse("public:uji_publik", kwargs={"slug": edition.slug})).content
    assert "1 objection awaits a ruling" in page.decode()
    rule_on_feedback(feedback=objection, outcome="dismissed", actor=None,
                     ruling="Diverifikasi di lapangan: layanan berjalan sejak 2023.")
    text = text_of(client.get(reverse("public:uji_publik", kwargs={"slug": edition.slug})))
    assert "Diverifikasi di lapangan" in text and "ketut@contoh.id" not in text


@pytest.mark.parametrize("params, expected", [
    ({}, {"Pelayanan Air Bersih", "Kios Adminduk", "Bank Sampah Desa"}),
    ({"q": "sampah"}, {"Bank Sampah Desa"}),
    ({"tahun": "2023"}, {"Kios Adminduk"}),
    ({"wilayah": "Kabupaten Minahasa Utara"}, {"Kios Adminduk"}),
    ({"jenis": "desa"}, {"Bank Sampah Desa"}),
    ({"penghargaan": "any"}, {"Pelayanan Air Bersih"}),
    ({"penghargaan": "Juara 1"}, {"Pelayanan Air Bersih"}),
])
def test_catalogue_filters(client, params, expected):
    badung = f.public_edition()
    older = f.public_edition(year=2023, region="Kabupaten Minahasa Utara")
    categories = list(badung.categories.order_by("order"))
    winner = f.entry(badung, title="Pelayanan Air Bersih", state="winner")
    f.final_result(winner, rank=1, total=90, tier_key="peringkat-1-3")
    f.publish(badung)
    f.entry(older, title="Kios Adminduk", state="eliminated", region="Kabupaten Minahasa Utara")
    f.entry(badung, title="Bank Sampah Desa", category=categories[2], state="in_stage")
    f.entry(badung, title="Masih Draf", state="draft")
    text = text_of(client.get(reverse("public:catalogue"), params))
    found = {t for t in ("Pelayanan Air Bersih", "Kios Adminduk", "Bank Sampah Desa",
                         "Masih Draf") if f">{t}</a>" in text}
    assert found == expected


MINUT = "Kabupaten Minahasa Utara, Sulawesi Utara"
AIRMADIDI = f"Kecamatan Airmadidi, {MINUT}"


@pytest.fixture
def two_regions():
    minut = f.public_edition(template=f.public_template("kipp-minut-2024"), region=MINUT)
    krenova = f.public_edition(template=f.public_template("krenova-magelang-2017"),
                               region="Kota Magelang, Jawa Tengah")
    f.entry(minut, title="Dinas Tanpa Wilayah", kind="perangkat_daerah")
    f.entry(minut, title="Camat Melayani", kind="kecamatan", region=AIRMADIDI)
    f.entry(minut, title="Kabupaten Lain", region="Kabupaten Badung, Bali")
    f.entry(krenova, title="Tata Kelola Magelang")
    return minut, krenova


def found_titles(text: str) -> set[str]:
    return set(re.findall(r'<a href="/publik/inovasi/\d+/">([^<]+)</a>', text))


def test_catalogue_region_shows_every_institution_inside_it(client, two_regions):
    url = reverse("public:catalogue")
    assert found_titles(text_of(client.get(url, {"wilayah": MINUT}))) == {
        "Dinas Tanpa Wilayah", "Camat Melayani"}
    assert found_titles(text_of(client.get(url, {"wilayah": AIRMADIDI}))) == {
        "Camat Melayani"}
    text = text_of(client.get(url))
    # The kecamatan is offered right below its kabupaten, by its own name.
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>',
                         text.split('id="wilayah"')[1].split("</select>")[0])
    values = [value for value, _label in options]
    assert values.index(AIRMADIDI) == values.index(MINUT) + 1
    assert dict(options)[AIRMADIDI] == "\u00a0" * 4 + "Kecamatan Airmadidi"


def test_catalogue_names_each_category_once_and_institution_types_by_name(client,
                                                                          two_regions):
    url = reverse("public:catalogue")
    text = text_of(client.get(url))
    categories = text.split('id="kategori"')[1].split("</select>")[0]
    assert categories.lower().count("tata kelola pemerintahan") == 1
    both = found_titles(text_of(client.get(url, {"kategori": "Tata Kelola Pemerintahan"})))
    assert both == {"Dinas Tanpa Wilayah", "Camat Melayani", "Kabupaten Lain",
                    "Tata Kelola Magelang"}
    kinds = text.split('id="jenis"')[1].split("</select>")[0]
    assert '<option value="kecamatan">Kecamatan</option>' in kinds
    assert ">perangkat_daerah<" not in kinds and "Perangkat Daerah<" in kinds


def _count_queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params or {}).status_code == 200
    return len(queries)


def test_catalogue_queries_do_not_grow_with_entries(client):
    edition = f.public_edition()
    for _ in range(3):
        f.entry(edition)
    url = reverse("public:catalogue")
    client.get(url)  # fills the cached filter choices
    small = _count_queries(client, url)
    for _ in range(15):
        f.entry(edition)
    assert _count_queries(client, url) == small


def test_results_queries_do_not_grow_with_entries(client):
    edition = f.public_edition()
    f.publish(edition, breakdown="stages")
    stage = edition.stages.order_by("order").first()

    def add(n):
        for i in range(n):
            e = f.entry(edition)
            f.stage_result(stage, e, score=50 + i, rank=i + 1)
            f.final_result(e, rank=i + 1, total=50 + i)

    add(3)
    url = reverse("public:results", kwargs={"slug": edition.slug})
    from django.core.cache import cache

    cache.clear()
    small = _count_queries(client, url)
    add(15)
    f.publish(edition, breakdown="stages")
    cache.clear()
    assert _count_queries(client, url) == small


def test_index_shows_participation_across_editions(client):
    for year, count in ((2022, 2), (2023, 4)):
        edition = f.public_edition(year=year, organiser=OrganiserFactory(slug="brida-badung"))
        for _ in range(count):
            f.entry(edition)
    text = text_of(client.get(reverse("public:index")))
    assert ">2022</text>" in text and ">2023</text>" in text
    assert ">2</text>" in text and ">4</text>" in text


def test_organiser_pages_need_manage_edition(client):
    edition = f.public_edition()
    organiser = UserFactory()
    grant(organiser, "organiser", organiser=edition.organiser)
    stranger = UserFactory()
    grant(stranger, "organiser", organiser=OrganiserFactory())
    url = reverse("public:anomalies", kwargs={"slug": edition.slug})
    f.open_ballot(edition)
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(organiser)
    assert client.get(url).status_code == 200


def test_ballot_page_queries_do_not_grow_with_candidates(client):
    from sayembara.voting.services.voters import voter_token

    edition = f.public_edition()
    for _ in range(3):
        f.entry(edition)
    ballot = f.open_ballot(edition)
    client.cookies["sayembara_voter"] = voter_token(f.voter())
    url = reverse("public:ballot", kwargs={"slug": edition.slug})
    small = _count_queries(client, url)
    from sayembara.voting.models import BallotCandidate

    more = [f.entry(edition) for _ in range(15)]
    BallotCandidate.objects.bulk_create(BallotCandidate(ballot=ballot, entry=e) for e in more)
    from django.core.cache import cache

    cache.clear()
    assert _count_queries(client, url) == small


def test_results_say_where_an_entry_stopped(client):
    edition = f.public_edition()
    winner = f.entry(edition, state="winner", title="Sistem Antrean Daring")
    stopped = f.entry(edition, state="eliminated", title="Layanan Surat Keliling")
    f.final_result(winner, rank=1, total="91.2345", tier_key="peringkat-1-3")
    early = f.final_result(stopped, rank=11, total="16.0133")
    early.details = {"reached": "verifikasi-dokumen"}
    early.save(update_fields=["details"])
    f.publish(edition, breakdown="total")
    text = text_of(client.get(reverse("public:results", kwargs={"slug": edition.slug})))
    stopped_row = text.split("Layanan Surat Keliling")[1].split("</tr>")[0]
    assert "Stopped at Verifikasi dokumen kinerja tahun sebelumnya" in stopped_row
    assert "Stopped at" not in text.split("Sistem Antrean Daring")[1].split("</tr>")[0]


def test_catalogue_offers_one_institution_type_per_name(client):
    badung = f.public_edition()  # calls villages "desa": Pemerintah Desa
    pemalang = f.public_edition(template=f.public_template("kipp-pemalang-2020"))  # "pemdes"
    desa = badung.categories.get(key="desa")
    f.entry(badung, category=desa, title="Bank Sampah Desa", kind="desa")
    f.entry(pemalang, title="Desa Mojo Melayani", kind="pemdes")
    f.entry(pemalang, title="Dinas Lain", kind="opd")
    url = reverse("public:catalogue")
    kinds = text_of(client.get(url)).split('id="jenis"')[1].split("</select>")[0]
    assert kinds.count(">Pemerintah Desa<") == 1
    assert '<option value="desa,pemdes">Pemerintah Desa</option>' in kinds
    assert found_titles(text_of(client.get(url, {"jenis": "desa,pemdes"}))) == {
        "Bank Sampah Desa", "Desa Mojo Melayani"}


def test_voter_forms_carry_the_zone_of_the_competition(client):
    edition = f.public_edition()  # Badung: WITA
    entry = f.entry(edition)
    f.open_ballot(edition)
    for url in (reverse("public:ballot", kwargs={"slug": edition.slug}),
                reverse("public:entry", kwargs={"pk": entry.pk})):
        text = text_of(client.get(url))
        assert '<input type="hidden" name="zone" value="WITA">' in text


def test_landing_page_states_points_quotas_of_zero_disagreement_and_special_awards(client):
    from sayembara.template_format import parse_template
    from tests.ranking.test_bundle_rules import TEMPLATE

    edition = f.public_edition(template=parse_template(TEMPLATE))
    text = " ".join(text_of(client.get(reverse("public:edition",
                                                kwargs={"slug": edition.slug}))).split())
    text = text.replace("&#x27;", "'")
    assert ("Telaah, scored in points out of 700: Manajemen perubahan (300 points), Dampak "
            "(400 points).") in text
    assert "An entry is scored once at least 2 judges have scored it." in text
    assert ("Judges disagree on an entry when the difference between the highest and lowest "
            "judge's total is at least 200 and the lowest judge's total is below 400; the "
            "entry then receives one more judge.") in text
    assert "No entry of BUMN goes on at this stage." in text
    assert "An entry needs at least 400 points to go on." in text
    assert ("Terbaik Dampak: the best entry of each category on Dampak at Telaah. Entries "
            "holding Terbaik Perubahan are passed over.") in text


def test_uji_publik_names_the_stage_as_a_stage_in_indonesian(client, settings):
    settings.LANGUAGE_CODE = "id"
    edition = f.public_edition()
    stage = edition.stages.order_by("order").first()
    f.stage_result(stage, f.entry(edition), score=90, rank=1, advanced=True)
    url = reverse("public:uji_publik", kwargs={"slug": edition.slug})
    assert (f"Masa uji publik dibuka sehari setelah finalis tahap {stage.name} diumumkan."
            in text_of(client.get(url)))
    f.confirm_stage(stage, at=timezone.now() - dt.timedelta(days=2))
    text = text_of(client.get(url))
    assert (f"Finalis tahap {stage.name} diujikan kepada publik: siapa pun dapat menyampaikan "
            "dukungan atau keberatan terhadap seorang finalis mulai ") in text


def test_catalogue_lists_ranks_in_their_order(client):
    edition = f.public_edition()
    for rank in (4, 10, 9):
        f.final_result(f.entry(edition, state="winner"), rank=rank, total=90 - rank,
                       tier_key="peringkat-4-10")
    f.publish(edition)
    text = text_of(client.get(reverse("public:catalogue")))
    awards = text.split('id="penghargaan"')[1].split("</select>")[0]
    assert awards.index("Peringkat 4") < awards.index("Peringkat 9") < awards.index(
        "Peringkat 10")


def test_an_entry_in_an_open_vote_leads_to_the_ballot(client, settings):
    settings.LANGUAGE_CODE = "id"
    edition = f.public_edition()
    candidate = f.entry(edition, title="Ambulans Desa")
    ballot = f.open_ballot(edition, entries=[candidate], name="Inovasi Terfavorit")
    url = reverse("public:entry", args=[candidate.pk])
    page = client.get(url).content.decode()
    assert (f'<a class="btn" href="{reverse("public:ballot", args=[edition.slug])}">'
            "Pilih inovasi terfavorit Anda</a>") in page
    assert ("Inovasi ini termasuk pilihan dalam pemungutan suara Inovasi Terfavorit yang "
            "sedang dibuka.") in text_of(client.get(url))
    ballot.closes_at = timezone.now() - dt.timedelta(minutes=1)
    ballot.save(update_fields=["closes_at"])
    assert "Pilih inovasi terfavorit Anda" not in client.get(url).content.decode()


@pytest.mark.parametrize(("scope", "heading"), [
    ("overall", "Inovasi yang dapat dipilih"),
    ("category", None),
])
def test_ballot_headings_do_not_repeat_the_title(client, settings, scope, heading):
    settings.LANGUAGE_CODE = "id"
    edition = f.public_edition()
    candidate = f.entry(edition)
    f.open_ballot(edition, entries=[candidate], name="Inovasi Terfavorit", scope=scope)
    page = client.get(reverse("public:ballot", args=[edition.slug])).content.decode()
    headings = re.findall(r"<h2>([^<]+)</h2>", page)
    assert headings == [heading or candidate.category.name]
    assert "<h1>Inovasi Terfavorit</h1>" in page
