"""KIPP Kabupaten Minahasa Utara (the seed ``kipp-minut-2024`` of BRIDA Minahasa Utara)
from start to end in a real browser, in Indonesian: a video stage (40 %) and an interview
(60 %) by one jury, and the citizens' favourite vote with one-time codes by e-mail.

The secretariat creates the edition from the built-in template and opens registration; the
operator of Dinas Ketahanan Pangan sends the link of its video, on a phone; a judge watches
the video and scores it; the secretariat closes and confirms the video stage, sets up the
favourite vote in the edition's own zone (WITA) and opens the interview; a citizen confirms
an e-mail address with the code mailed to it and votes; the chair reads the interview's
scores side by side; the results, with the favourite, are published and the certificates
made; the favourite's QR code opens the page confirming the award."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sayembara.documents.models import Certificate
from sayembara.entries.enums import EntryState
from tests.journeys import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "SIPANGAN: harga pangan harian di pasar Minahasa Utara"
VIDEO = "https://drive.google.com/file/d/1AbCdEfGhIjKlMnOpQrStUvWxYz012345/view"
DEWAN_JURI = "Dewan Juri"
FAVOURITE = "Inovasi Terfavorit Pilihan Masyarakat"
#: Entries other than the operator's, sent through the services: institution, type, category.
OTHERS = [
    ("Kecamatan Likupang Timur", "kecamatan", "pelayanan-publik"),
    ("RSUD Maria Walanda Maramis", "rsud", "pelayanan-publik"),
    ("Bagian Organisasi", "bagian_setda", "tata-kelola"),
]


def _video_of(number: int):
    """Fill an entry's short description and its video link (1 minute 30) as the form
    would have."""
    def fill(entry, *, actor):
        from sayembara.entries.services import drafts

        drafts.save_draft(entry=entry, base_version=entry.version, actor=actor,
                          data=drafts.draft_data(entry) | {
                              "summary": f"Video inovasi {entry.institution.name}.",
                              "video_url": VIDEO.replace("12345", f"6789{number}"),
                              "video_seconds": 90})
    return fill


def test_kipp_minut_with_the_citizens_favourite_vote(journey, tmp_path):
    today = timezone.localdate()
    year = today.year + 1  # next year's edition: its deadline (31 May) is still ahead
    organiser, secretariat = flows.make_organiser(
        "BRIDA Kabupaten Minahasa Utara", region="Kabupaten Minahasa Utara, Sulawesi Utara",
        secretariat="Sekretariat KIPP BRIDA Minahasa Utara")
    [pangan] = flows.make_institutions(organiser, "perangkat_daerah",
                                       ["Dinas Ketahanan Pangan"])
    operator = flows.make_operator(pangan, "Operator Dinas Ketahanan Pangan")

    # -- The secretariat creates the edition from the template and opens registration ----
    office = journey.page_as(secretariat)
    edition = flows.create_edition_from_template(
        office, journey, template="kipp-minut-2024",
        competition="KIPP Kabupaten Minahasa Utara", year=year)
    assert f"31 Mei {year} pukul 23.59 WITA" in flows.main_text(office)
    flows.open_registration_from(office, journey, edition, opens=today)
    journey.shoot(office, "01-penyelenggara-dasbor")

    # -- The operator sends the link of the video, on a phone -----------------------------
    desk = journey.page_as(operator, phone=True)
    entry = flows.start_entry(desk, journey, edition, title=TITLE, category="Pelayanan Publik")
    desk.fill("#id_summary", "Warga melihat harga pangan harian di setiap pasar dari ponsel.")
    desk.fill("#id_video_url", VIDEO)
    desk.fill("#id_video_length", "1:45")
    desk.wait_for_timeout(1700)  # the autosave waits for a pause in typing
    desk.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.includes('Tersimpan')")
    flows.submit_entry_form(desk, entry)
    assert "105 detik" in flows.main_text(desk) or "1:45" in flows.main_text(desk)
    journey.shoot(desk, "02-operator-entri")
    others = [
        flows.make_submitted_entry(
            edition, flows.make_institutions(organiser, kind, [name])[0],
            title=f"Inovasi {name}", category_key=category, actor="uji", fill=_video_of(n))
        for n, (name, kind, category) in enumerate(OTHERS)]
    ranked = [entry, *others]

    # -- Administrative check; the jury seated; the video stage opened ------------------
    flows.pass_administrative_check(office, journey, edition, ranked)
    chair = flows.seat_judge(edition, name="Ir. Novly G. Wowiling, M.Si.", role="ketua",
                             unsur="birokrasi", panels=[DEWAN_JURI])
    judge = flows.seat_judge(edition, name="Dr. Magdalena Wullur, S.E., M.M.",
                             role="sekretaris", panels=[DEWAN_JURI])
    videos, interview = edition.stages.order_by("order")
    flows.open_stage_and_assign(office, journey, edition, videos)
    flows.score_through_services(videos, {(chair, one): 0.85 - n / 20
                                          for n, one in enumerate(ranked)})
    flows.score_through_services(videos, {(judge, one): 0.7 - n / 20
                                          for n, one in enumerate(others)})

    # -- The judge watches the video and scores it --------------------------------------
    bench = journey.page_as(judge.user)
    flows.open_sheet_from_home(bench, journey, videos, entry)
    watch = bench.locator(f"main a[href='{VIDEO}']")
    assert watch.count() >= 1 and "Tonton video (105 detik)" in flows.main_text(bench)
    journey.shoot(bench, "03-juri-lembar-video")
    flows.fill_scores(bench, {"masalah": 92, "kebaruan": 90, "manfaat": 94,
                              "kreativitas": "88.5"})
    flows.submit_and_lock(bench, videos, entry)
    journey.shoot(bench, "04-juri-penugasan")

    # -- The video stage closed and confirmed; the favourite vote set up in WITA --------
    proposed = flows.close_stage(office, journey, edition, videos)
    assert "Semua entri tahap ini: 4 dari 4 entri lolos ke tahap berikutnya (kuota 6)." \
        in proposed
    flows.confirm_stage(office, journey, edition, videos)
    office.goto(journey.url("web:edition_dashboard", edition.slug))
    office.click(f"a[href='{reverse('public:manage', args=[edition.slug])}']")
    office.click(f"a[href='{reverse('public:manage_ballot', args=[edition.slug])}']")
    office.click("form:has(input[name=action][value=create]) button")
    assert "Pemungutan suara terfavorit telah disiapkan dari templat." in \
        flows.messages_text(office)
    now = timezone.localtime(timezone.now(), edition.zoneinfo).replace(second=0,
                                                                        microsecond=0)
    closes = now + dt.timedelta(days=5)
    office.fill("#id_opens_at", f"{now:%Y-%m-%dT%H:%M}")
    office.fill("#id_closes_at", f"{closes:%Y-%m-%dT%H:%M}")
    office.check("#id_show_live_counts")
    office.click("form:has(input[name=action][value=update]) button[type=submit]")
    assert "Pemungutan suara terfavorit telah diperbarui." in flows.messages_text(office)
    counts = flows.main_text(office)
    assert f"PP-001 {TITLE}" in counts
    journey.shoot(office, "05-penyelenggara-pemungutan-suara")
    flows.open_stage_and_assign(office, journey, edition, interview)

    # -- A citizen confirms an e-mail address with the mailed code and votes -----------
    citizen = journey.page_for_citizen()
    citizen.goto(journey.url("public:ballot", edition.slug))
    window = flows.main_text(citizen)
    # The window as typed in WITA, shown in WITA.
    assert f"pukul {now:%H.%M} WITA sampai" in window, window
    citizen.fill("#id_address", "warga.airmadidi@gmail.com")
    citizen.click("button:has-text('Kirimi saya kode')")
    citizen.wait_for_selector("#id_code")
    citizen.wait_for_load_state()  # deferred scripts (the proof of work) are running
    [message] = [m for m in mail.outbox if m.to == ["warga.airmadidi@gmail.com"]]
    assert "WITA" in message.body
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    citizen.fill("#id_code", code)
    citizen.click("button:has-text('Konfirmasi')")
    vote = citizen.locator(f"[aria-label='Beri suara untuk {TITLE}']")
    vote.wait_for()
    vote.click()
    citizen.wait_for_function(
        "() => document.querySelector('#vote-status').textContent.includes('Terima kasih')")
    assert "Terima kasih, suara Anda telah dicatat." in citizen.inner_text("#vote-status")
    row = citizen.locator("tr", has_text=TITLE).inner_text()
    assert "Suara Anda tercatat" in row and "suara" in row
    assert re.search(r"Jumlah suara per \d+ \w+ \d{4} pukul \d\d\.\d\d WITA",
                     citizen.inner_text("[data-counted-at]"))
    journey.shoot(citizen, "06-warga-memberi-suara")
    assert edition.ballot.votes.get().entry_id == entry.pk

    # -- The interview scored; the chair reads it side by side after closing ------------
    flows.score_through_services(interview, {(chair, one): 0.8 - n / 20
                                             for n, one in enumerate(ranked)})
    flows.score_through_services(interview, {(judge, one): 0.75 - n / 20
                                             for n, one in enumerate(ranked)})
    flows.close_stage(office, journey, edition, interview)
    lectern = journey.page_as(chair.user)
    side_by_side = flows.chair_opens_consolidation(lectern, journey, interview)
    assert f"{judge.name}: 60,000" in side_by_side and f"{chair.name}: 65,000" in side_by_side
    journey.shoot(lectern, "07-ketua-nilai-berdampingan")
    flows.confirm_stage(office, journey, edition, interview)

    # -- The results, with the favourite, published; the certificates made --------------
    office.goto(journey.url("jury:final_results", edition.slug))
    first = office.locator("tr", has_text=entry.code).inner_text()
    assert "Inovasi Terbaik 1" in first and FAVOURITE in first, first
    # Nobody entered "Inovasi lainnya": its table says so, not that it waits to be computed.
    other = office.locator("section", has_text="Inovasi lainnya").inner_text()
    assert "Tidak ada entri kategori ini dalam peringkat akhir." in other, other
    journey.shoot(office, "08-penyelenggara-hasil-akhir")
    flows.life_cycle_step(office, journey, edition, "Umumkan hasil")
    assert "Status penyelenggaraan kini “Hasil diumumkan”." in flows.messages_text(office)
    entry.refresh_from_db()
    assert entry.state == EntryState.WINNER
    flows.design_certificates(office, journey, edition, place_and_date="Airmadidi, {date}",
                              signatories=["Joune Ganda, S.E., M.M. | Bupati Minahasa Utara |"])
    archive = flows.generate_certificates(office, journey, edition)
    favourite = Certificate.objects.get(entry=entry, award_label=FAVOURITE)
    journey.shoot(office, "09-penyelenggara-piagam")
    address = flows.decode_certificate_qr(
        flows.certificate_from_zip(archive, favourite.code), tmp_path)

    # -- Whoever scans the favourite's QR code sees the award confirmed ------------------
    verify = journey.page_for_citizen()
    text = flows.open_certificate_address(verify, journey, address)
    assert (f"Dinas Ketahanan Pangan menerima {FAVOURITE} dalam {edition.title}."
            in text), text
    journey.shoot(verify, "10-warga-cek-piagam")
    verify.goto(journey.url("public:results", edition.slug))
    assert FAVOURITE in verify.locator("tr", has_text=TITLE).first.inner_text()
