"""KIPP Kabupaten Pemalang (the seed ``kipp-pemalang-2020`` of the Bagian Organisasi of
Setda Pemalang) from start to end in a real browser, in Indonesian: three weighted stages
by one jury (proposal 30 %, presentation 30 %, interview 40 %), the interview in fifteen
minute slots at the Sasana Bhakti Praja.

The secretariat creates the edition from the built-in template and opens registration; the
operator of Pemerintah Desa Mojo writes the proposal and uploads the signed statement, on a
phone; the proposal and presentation stages are closed and confirmed; the secretariat lays
out the interview slots, and the operator sees its own slot; a judge opens the entry's
documents and scores the interview; the chair reads the scores side by side; the interview
is closed and confirmed, the results published and the certificates made, whose QR code
opens the page confirming the award."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from sayembara.entries.enums import EntryState
from tests.journeys import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIM_JURI = "Tim Juri"
ROOM = "Gedung Sasana Bhakti Praja, Pemalang"
TITLE = "Desa Mojo Siaga: layanan surat desa antar-jemput"
SECTIONS = {
    "ringkasan": "Perangkat desa mengantar surat keterangan ke rumah warga lanjut usia.",
    "latar-belakang": "Warga lanjut usia harus datang dua kali ke balai desa.",
    "kebaruan": "Permohonan lewat pesan singkat, surat diantar hari itu juga.",
    "implementasi": "Dijalankan sejak dua tahun lalu oleh enam perangkat desa.",
    "signifikansi": "Waktu layanan turun dari dua hari menjadi tiga jam.",
    "adaptabilitas": "Dapat ditiru desa lain tanpa biaya besar.",
    "sumber-daya": "Dana desa dan sepeda motor dinas.",
    "keberlanjutan": "Ditetapkan dengan peraturan kepala desa.",
}
#: Entries other than the operator's, through the services: institution, type.
OTHERS = [
    ("Dinas Kesehatan", "opd"),
    ("PDAM Tirta Mulia", "bumd"),
    ("Pemerintah Desa Banjarmulya", "pemdes"),
]


def test_kipp_pemalang_with_the_interview_stage(journey, tmp_path):
    today = timezone.localdate()
    year = today.year + 1  # next year's edition: its deadline (7 December) is still ahead
    organiser, secretariat = flows.make_organiser(
        "Bagian Organisasi Setda Kabupaten Pemalang", region="Kabupaten Pemalang, Jawa Tengah",
        time_zone="WIB", secretariat="Subbagian Pelayanan Publik Bagian Organisasi")
    [mojo] = flows.make_institutions(organiser, "pemdes", ["Pemerintah Desa Mojo"])
    operator = flows.make_operator(mojo, "Operator Pemerintah Desa Mojo")

    # -- The secretariat creates the edition from the template and opens registration ----
    office = journey.page_as(secretariat)
    edition = flows.create_edition_from_template(
        office, journey, template="kipp-pemalang-2020",
        competition="Kompetisi Inovasi Pelayanan Publik Kabupaten Pemalang", year=year)
    assert f"7 Desember {year} pukul 16.00 WIB" in flows.main_text(office)
    flows.open_registration_from(office, journey, edition, opens=today)
    journey.shoot(office, "01-penyelenggara-dasbor")

    # -- The operator writes the proposal and uploads the signed statement, on a phone ---
    desk = journey.page_as(operator, phone=True)
    entry = flows.start_entry(desk, journey, edition, title=TITLE)
    desk.fill("#id_innovation_started_on", f"{year - 3}-02-01")
    desk.fill("#id_innovators", "Kepala Desa Mojo\nSekretaris Desa Mojo")
    for section, text in SECTIONS.items():
        desk.fill(f"#id_section__{section}", text)
    flows.upload_documents(desk, entry, {"statement:kesediaan-replikasi": (
        "pernyataan-replikasi.pdf",
        flows.document_pdf("Pernyataan kesediaan inovasi direplikasi", "Desa Mojo"))})
    desk.wait_for_timeout(1700)  # the autosave waits for a pause in typing
    desk.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.includes('Tersimpan')")
    flows.submit_entry_form(desk, entry)
    journey.shoot(desk, "02-operator-entri")
    others = [
        flows.make_submitted_entry(edition, flows.make_institutions(organiser, kind, [name])[0],
                                   title=f"Inovasi {name}",
                                   category_key="inovasi-pelayanan-publik", actor="uji")
        for name, kind in OTHERS]
    ranked = [entry, *others]

    # -- Administrative check; the jury; the proposal and presentation stages ------------
    flows.pass_administrative_check(office, journey, edition, ranked)
    chair = flows.seat_judge(edition, name="Drs. Haryanto, M.M.", role="ketua",
                             unsur="birokrasi", panels=[TIM_JURI])
    judge = flows.seat_judge(edition, name="Dr. Ratna Wulandari, M.Si.", panels=[TIM_JURI],
                             affiliation="Dosen Universitas Diponegoro")
    ngo = flows.seat_judge(edition, name="Agus Prasetyo, S.IP.", unsur="ngo",
                           panels=[TIM_JURI], affiliation="KOMPAK")
    proposal, presentation, interview = edition.stages.order_by("order")
    for stage in (proposal, presentation):
        flows.open_stage_and_assign(office, journey, edition, stage)
        flows.score_through_services(stage, {
            (member, one): share - n / 20
            for member, share in ((chair, 0.8), (judge, 0.75), (ngo, 0.7))
            for n, one in enumerate(ranked)})
        flows.close_stage(office, journey, edition, stage)
        flows.confirm_stage(office, journey, edition, stage, notes=f"Rapat tim juri, {stage.name}.")

    # -- The interview: slots laid out at the Sasana Bhakti Praja ------------------------
    flows.open_stage_and_assign(office, journey, edition, interview)
    office.goto(journey.url("jury:schedule", edition.slug, interview.key))
    starts = dt.datetime.combine(today + dt.timedelta(days=7), dt.time(13, 0))
    office.fill("#id_first_start", f"{starts:%Y-%m-%dT%H:%M}")
    office.fill("#id_rooms", ROOM)
    assert office.input_value("#id_presentation_minutes") == "0"
    assert office.input_value("#id_questions_minutes") == "15"
    office.click("main form button[type=submit]")
    assert "4 sesi telah dijadwalkan." in flows.messages_text(office)
    slots = flows.main_text(office)
    assert "13.00–13.15 WIB" in slots and ROOM in slots, slots
    assert "0 menit" not in slots
    journey.shoot(office, "03-penyelenggara-jadwal-wawancara")

    # The operator sees its own slot on the entry's page.
    desk.goto(journey.url("participation:entry_detail", entry.pk))
    mine = flows.main_text(desk)
    assert "Jadwal presentasi dan wawancara Anda" in mine, mine
    assert "13.00–13.15 WIB" in mine and ROOM in mine
    journey.shoot(desk, "04-operator-jadwal")

    # -- A judge opens the documents and scores the interview ---------------------------
    flows.score_through_services(interview, {(member, one): share - n / 20
                                             for member, share in ((chair, 0.8), (ngo, 0.7))
                                             for n, one in enumerate(ranked)})
    flows.score_through_services(interview, {(judge, one): 0.72 - n / 20
                                             for n, one in enumerate(others)})
    bench = journey.page_as(judge.user)
    flows.open_sheet_from_home(bench, journey, interview, entry)
    assert f"13.00–13.15 WIB · {ROOM}" in flows.main_text(bench)  # the entry's slot
    bench.click("details.section summary:has-text('Signifikansi dan kemanfaatan')")
    assert SECTIONS["signifikansi"] in flows.main_text(bench)
    assert flows.download_every_document(bench, entry) == ["pernyataan-replikasi.pdf"]
    flows.open_first_document_inline(bench, journey)
    journey.shoot(bench, "05-juri-lembar-wawancara")
    flows.fill_scores(bench, {"inovasi": 90, "kemanfaatan": "88.5",
                              "replikasi-keberlanjutan": 86})
    flows.submit_and_lock(bench, interview, entry)
    journey.shoot(bench, "06-juri-penugasan")

    # -- The interview closed; the chair reads it side by side; confirmed ---------------
    flows.close_stage(office, journey, edition, interview)
    lectern = journey.page_as(chair.user)
    side_by_side = flows.chair_opens_consolidation(lectern, journey, interview)
    assert f"{judge.name}: 88,275" in side_by_side, side_by_side
    journey.shoot(lectern, "07-ketua-nilai-berdampingan")
    flows.confirm_stage(office, journey, edition, interview,
                        notes="Wawancara di Gedung Sasana Bhakti Praja.")

    # -- Results published; certificates made; the QR code opens the verification ------
    office.goto(journey.url("jury:final_results", edition.slug))
    first = office.locator("tr", has_text=entry.code).inner_text()
    assert "Juara 1" in first, first
    journey.shoot(office, "08-penyelenggara-hasil-akhir")
    flows.life_cycle_step(office, journey, edition, "Umumkan hasil")
    entry.refresh_from_db()
    assert entry.state == EntryState.WINNER
    flows.design_certificates(office, journey, edition, place_and_date="Pemalang, {date}",
                              signatories=["Mukti Agung Wibowo | Bupati Pemalang |"])
    archive = flows.generate_certificates(office, journey, edition)
    journey.shoot(office, "09-penyelenggara-piagam")
    address = flows.decode_certificate_qr(
        flows.certificate_from_zip(archive, "pemerintah-desa-mojo"), tmp_path)
    verify = journey.page_for_citizen()
    text = flows.open_certificate_address(verify, journey, address)
    assert f"Pemerintah Desa Mojo menerima Juara 1 dalam {edition.title}." in text, text
    journey.shoot(verify, "10-warga-cek-piagam")
