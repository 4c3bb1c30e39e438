"""Kompetisi Pengelolaan Pengaduan Pelayanan Publik (the seed ``pengaduan-2020`` of
KemenPANRB), every role in a real browser (Debian's Chromium through Playwright), in
Indonesian: the secretariat creates the edition from the built-in template and opens
registration; the operator of Kota Bandung answers the self-assessment with an evidence
file per answer and submits; a verifier of the Tim Evaluasi reads each claimed level, its
explanation and its evidence and records the verified level, lowering one; the secretariat
sees claimed and verified levels side by side with the difference, closes and confirms the
verification; a judge of the Dewan Juri reads the documents and scores the entry, the chair
follows the panel's stage; the secretariat closes and confirms the jury's stage, publishes
the results and makes the certificates, whose QR code opens the page confirming the award.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry, Institution
from tests.factories_entries import pdf_bytes
from tests.journeys import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Bandung's answers: item, index of the level claimed, explanation.
CLAIMS = [
    ("kebijakan", 3, "Perwal pengelolaan pengaduan dan laporan evaluasinya."),
    ("kelembagaan", 2, "Tim pengelola ditetapkan dan dilatih setiap tahun."),
    ("kanal", 3, "Semua kanal direkap di SP4N-LAPOR!."),
    ("tindak-lanjut", 2, "Rekap waktu penyelesaian sesuai standar pelayanan."),
    ("evaluasi-inovasi", 1, "Evaluasi triwulanan oleh Bagian Organisasi."),
]
#: The scores of the levels of each item, as the template gives them.
LEVELS = {"kebijakan": ["0", "50", "75", "100"], "kelembagaan": ["0", "50", "100"],
          "kanal": ["0", "40", "70", "100"], "tindak-lanjut": ["0", "50", "80", "100"],
          "evaluasi-inovasi": ["0", "50", "100"]}
#: Participants other than Bandung, answered through the services: name, type, group, level.
OTHERS = [
    ("Pemerintah Kabupaten Banyuwangi", "instansi_pemerintah", "ip-umum", 1),
    ("Kantor Imigrasi Kelas I Batam", "upp", "upp", 2),
    ("RSUD Dr. Soetomo Surabaya", "upp", "upp", 1),
]
TITLE = "LAPOR! Kota Bandung, terintegrasi dari kota sampai kelurahan"


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _other_entries(edition, organiser) -> list[Entry]:
    """The other participants, answered with their evidence and submitted through the
    services (their forms are not the subject of a browser step)."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.demo.krenova import attach_demo_files
    from sayembara.entries.enums import DocumentKind
    from sayembara.entries.selectors.requirements import upload_slots
    from sayembara.entries.services import drafts, process
    from sayembara.entries.services.entries import create_entry

    template = template_of(edition)
    form = template.entry_form
    slots = upload_slots(edition, template)
    categories = {c.key: c for c in edition.categories.all()}
    groups = {g.key: g for g in edition.groups.all()}
    made = []
    for name, kind, group, level in OTHERS:
        institution = Institution.objects.create(organiser=organiser, name=name, kind=kind)
        category = categories["upp" if kind == "upp" else "instansi-pemerintah"]
        entry = create_entry(edition=edition, institution=institution, category=category,
                             group=groups[group], title=f"Pengaduan tuntas {name}", actor="uji")
        drafts.save_draft(entry=entry, base_version=entry.version, actor="uji",
                          data=drafts.draft_data(entry) | {
                              "claims": {item.id: {"level": level, "note": "Bukti terlampir."}
                                         for item in form.self_assessment},
                              "innovation_started_on": f"{edition.year - 2}-01-04"})
        uploads = [(DocumentKind.STATEMENT, s.id, [s.title]) for s in form.statements]
        uploads += [(DocumentKind.DOCUMENT, "bukti-dukung", ["Bukti dukung"])]
        uploads += [(DocumentKind.EVIDENCE, item.id, [item.question])
                    for item in form.self_assessment]
        attach_demo_files(entry=entry, uploads=uploads, actor="uji", slots=slots)
        made.append(process.submit_entry(entry=entry, actor="uji"))
    return made


def _assign(stage, plan, actor) -> None:
    from sayembara.judging.services.assignments import assign

    for judge, entries in plan.items():
        for one in entries:
            assign(stage=stage, judge=judge, entry=one, actor=actor)


def _score_through_services(stage, judge, entries, share=0.7) -> None:
    """Sheets that are not the subject of a browser step: a verifier accepts every claimed
    level; a judge gives ``share`` of the scale, each entry a little less than the one
    before so that no two tie."""
    from sayembara.judging.selectors.rubrics import criterion_specs
    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    for number, one in enumerate(entries):
        claimed = {claim.item: claim.score for claim in one.claims.all()}
        values = {}
        for spec in criterion_specs(stage=stage, rubric=stage.rubric_for(one.category_id)):
            if spec.allowed_values():
                values[spec.key] = claimed[spec.key]
            else:
                low, high = spec.criterion.min_score, spec.criterion.max_score
                fraction = Decimal(str(share)) - Decimal(number) / 20
                values[spec.key] = (low + (high - low) * fraction).quantize(Decimal("0.001"))
        save_sheet(stage=stage, judge=judge, entry=one, values=values, actor=judge.user)
        submit_sheet(stage=stage, judge=judge, entry=one, actor=judge.user)


def _download(page, journey, link) -> bytes:
    """What the browser receives from a document link (the same session's cookies)."""
    response = page.request.get(journey.live_server.url + link.get_attribute("href"))
    assert response.ok, response.status
    return response.body()


def test_pengaduan_every_role_from_template_to_verified_certificate(journey, tmp_path):
    today = timezone.localdate()
    year = today.year + 1  # next year's edition: its deadline (14 October) is still ahead
    organiser, secretariat = flows.make_organiser(
        "Kementerian PANRB", region="Nasional", time_zone="WIB",
        secretariat="Sekretariat Kompetisi Pengaduan")
    [bandung] = flows.make_institutions(organiser, "instansi_pemerintah",
                                        ["Pemerintah Kota Bandung"])
    flows.make_institutions(organiser, "upp", ["Samsat Kota Bandung"])
    operator = flows.make_operator(bandung, "Operator Kota Bandung")

    # -- The secretariat creates the edition from the template and opens registration ----
    office = journey.page_as(secretariat)
    edition = flows.create_edition_from_template(
        office, journey, template="pengaduan-2020",
        competition="Kompetisi Pengelolaan Pengaduan Pelayanan Publik", year=year)
    title = edition.title
    rules = flows.main_text(office)
    assert "Verifikasi penilaian mandiri oleh Tim Evaluasi" in rules
    assert f"14 Oktober {year} pukul 23.59 WIB" in rules
    flows.open_registration_from(office, journey, edition, opens=today)
    assert "Status penyelenggaraan kini “Pendaftaran dibuka”." in flows.messages_text(office)
    journey.shoot(office, "01-penyelenggara-dasbor")

    # -- The operator of Kota Bandung answers the self-assessment and submits, on a phone -
    desk = journey.page_as(operator, phone=True)
    desk.goto(journey.url("participation:home"))
    desk.click(f"a[href='{reverse('participation:entry_start', args=[edition.slug])}']")
    desk.select_option("#id_category", label="Instansi Pemerintah")
    desk.select_option("#id_group", label="Instansi Pemerintah Umum")
    desk.fill("#id_title", TITLE)
    desk.click("main button[type=submit]")
    desk.wait_for_selector("#entry-form")
    desk.wait_for_load_state()  # deferred scripts (autosave) are running
    entry = Entry.objects.get(institution=bandung)
    assert "Pilih tingkat tertinggi yang dibuktikan oleh bukti dukung Anda" in \
        flows.main_text(desk)
    desk.fill("#id_innovation_started_on", f"{year - 3}-03-01")
    desk.fill("#id_innovators", "Bagian Organisasi Setda Kota Bandung")
    desk.fill("#id_summary", "Pengaduan warga lewat LAPOR! ditindaklanjuti sampai kelurahan.")
    for item, level, note in CLAIMS:
        desk.select_option(f"#id_claim__{item}", index=level + 1)  # after "not answered"
        desk.fill(f"#id_claimnote__{item}", note)
        desk.set_input_files(f"#id_upload__evidence__{item}", [_pdf(f"bukti-{item}.pdf")])
    desk.set_input_files("#id_upload__document__bukti-dukung", [_pdf("bukti-dukung.pdf")])
    desk.set_input_files("#id_upload__statement__sk-pengelola", [_pdf("sk-pengelola.pdf")])
    desk.set_input_files("#id_upload__statement__kebenaran-data", [_pdf("pernyataan.pdf")])
    desk.wait_for_timeout(1700)  # the autosave waits for a pause in typing
    desk.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.includes('Tersimpan')")
    flows.submit_entry_form(desk, entry)
    claims = flows.main_text(desk)
    assert "Terintegrasi penuh (100)" in claims and "Semua kanal direkap di SP4N-LAPOR!." in claims
    assert "bukti-kanal.pdf" in claims
    journey.shoot(desk, "02-operator-entri")
    others = _other_entries(edition, organiser)

    # -- Administrative check; evaluation team and jury seated; verification opened -----
    flows.pass_administrative_check(office, journey, edition, [entry, *others])
    verifier = flows.seat_judge(edition, name="Ajib Prasetyo", unsur="birokrasi",
                                affiliation="Kementerian PANRB", panels=["Tim Evaluasi"])
    evaluator = flows.seat_judge(edition, name="Dian Rubianty", unsur="ombudsman",
                                 affiliation="Ombudsman Republik Indonesia",
                                 panels=["Tim Evaluasi"])
    chair = flows.seat_judge(edition, name="Azwar Abubakar", role="ketua", unsur="birokrasi",
                             affiliation="Menteri PANRB periode 2011-2014",
                             panels=["Dewan Juri"])
    judge = flows.seat_judge(edition, name="Meuthia Ganie-Rochman", panels=["Dewan Juri"])
    first, second = edition.stages.order_by("order")
    office.goto(journey.url("jury:manage", edition.slug))
    office.click(f"form[action='{reverse('jury:stage_open', args=[edition.slug, first.key])}']"
                 " button")
    assert f"{first.name} dibuka untuk penilaian." in flows.messages_text(office)
    first.refresh_from_db()
    # Each form is verified by one member of the team.
    _assign(first, {verifier: [entry, others[0]], evaluator: others[1:]}, secretariat)
    _score_through_services(first, evaluator, others[1:])
    _score_through_services(first, verifier, others[:1])

    # -- The verifier reads claim, explanation and evidence, and records verified levels -
    bench = journey.page_as(verifier.user)
    bench.goto(journey.url("jury:home"))
    assert "1 dari 2 lembar penilaian telah dikirim" in flows.main_text(bench)
    flows.open_sheet_from_home(bench, journey, first, entry)
    sheet = flows.main_text(bench)
    assert "Verifikasi penilaian mandiri" in sheet
    assert "Tingkat yang diklaim peserta: Terintegrasi penuh (100)" in sheet
    assert "Penjelasan: Semua kanal direkap di SP4N-LAPOR!." in sheet
    evidence = entry.documents.get(kind="evidence", slot="kanal")
    link = bench.locator(
        f"a[href^='{reverse('participation:document', args=[evidence.pk])}']").last
    assert link.inner_text() == "Unduh"
    assert _download(bench, journey, link) == pdf_bytes()
    journey.shoot(bench, "03-verifikator-lembar")
    for item, level, _note in CLAIMS:
        # The recap of every channel is missing: one level lower than claimed.
        verified = LEVELS[item][level - 1 if item == "kanal" else level]
        with bench.expect_response(lambda response: response.url.endswith("/simpan/")):
            bench.check(f"input[name='score-{item}'][value='{verified}']")
    flows.submit_and_lock(bench, first, entry)

    # -- The secretariat sees claimed beside verified, then closes and confirms ----------
    office.goto(journey.url("jury:stage_progress", edition.slug, first.key))
    office.locator("tr", has_text=entry.code).locator("a:has-text('Ajib Prasetyo')").click()
    assert "Tingkat yang diklaim" in flows.main_text(office)
    assert "Selisih" in flows.main_text(office)
    kanal = office.locator("tr", has_text="Kanal pengaduan terintegrasi SP4N-LAPOR!")
    assert [kanal.locator("td").nth(n).inner_text().split("\n")[0] for n in (2, 3, 4)] == [
        "Terintegrasi penuh (100)", "Terhubung SP4N-LAPOR! (70)", "-30"]
    assert "bukti-kanal.pdf" in kanal.inner_text()
    policy = office.locator("tr", has_text="Kebijakan pengelolaan pengaduan")
    assert "sesuai klaim" in policy.inner_text()
    journey.shoot(office, "04-penyelenggara-klaim-dan-verifikasi")
    proposed = flows.close_stage(office, journey, edition, first)
    assert ("Instansi Pemerintah Umum: 2 dari 2 entri lolos ke tahap berikutnya (kuota 30)."
            in proposed)
    assert "Ajib Prasetyo: 81,500" in office.inner_text(f"#entry-{entry.code}")
    flows.confirm_stage(office, journey, edition, first,
                        notes="Rapat pleno Tim Evaluasi KemenPAN-RB, Ombudsman RI dan KSP.")
    office.goto(journey.url("jury:manage", edition.slug))
    office.click(f"form[action='{reverse('jury:stage_open', args=[edition.slug, second.key])}']"
                 " button")
    assert f"{second.name} dibuka untuk penilaian." in flows.messages_text(office)
    second.refresh_from_db()
    finalists = [entry, *others]
    _assign(second, {chair: finalists, judge: finalists}, secretariat)
    _score_through_services(second, chair, finalists, share=0.8)
    _score_through_services(second, judge, others, share=0.6)

    # -- A judge of the jury reads the entry and its documents and scores it, on a phone -
    jury = journey.page_as(judge.user, phone=True)
    flows.open_sheet_from_home(jury, journey, second, entry)
    assert "Pengaduan warga lewat LAPOR! ditindaklanjuti sampai kelurahan." in \
        flows.main_text(jury)
    statement = entry.documents.get(slot="sk-pengelola")
    link = jury.locator(
        f"a[href^='{reverse('participation:document', args=[statement.pk])}']").last
    assert _download(jury, journey, link) == pdf_bytes()
    journey.shoot(jury, "05-juri-lembar")
    flows.fill_scores(jury, {"inovasi": 90, "dampak": "88.5", "keberlanjutan": 85,
                             "replikasi": 80})
    flows.submit_and_lock(jury, second, entry)
    journey.shoot(jury, "06-juri-penugasan")

    # -- Closed; the chair reads the jury's scores side by side; confirmed ---------------
    proposed = flows.close_stage(office, journey, edition, second)
    row = office.inner_text(f"#entry-{entry.code}")
    assert "Azwar Abubakar: 80,000" in row and "Meuthia Ganie-Rochman: 86,550" in row
    lectern = journey.page_as(chair.user)
    side_by_side = flows.chair_opens_consolidation(lectern, journey, second)
    assert "Meuthia Ganie-Rochman: 86,550" in side_by_side, side_by_side
    journey.shoot(lectern, "07-ketua-nilai-berdampingan")
    flows.confirm_stage(office, journey, edition, second)

    # -- Results decided and published; the certificates made ---------------------------
    office.goto(journey.url("web:edition_dashboard", edition.slug))
    office.click(f"a[href='{reverse('jury:final_results', args=[edition.slug])}']")
    winner = office.locator("tr", has_text=entry.code).inner_text()
    # The verification's score beside the jury's, which makes the final score.
    assert "81,500" in winner and "83,275" in winner and "Terbaik 1" in winner
    journey.shoot(office, "08-penyelenggara-hasil-akhir")
    flows.life_cycle_step(office, journey, edition, "Umumkan hasil")
    assert "Status penyelenggaraan kini “Hasil diumumkan”." in flows.messages_text(office)
    entry.refresh_from_db()
    assert entry.state == EntryState.WINNER
    flows.design_certificates(
        office, journey, edition, place_and_date="Jakarta, {date}",
        signatories=["Tjahjo Kumolo | Menteri PANRB | NIP. 19570101 198001 1 001"])
    archive = flows.generate_certificates(office, journey, edition)
    assert "4 penghargaan memperoleh piagam" in flows.main_text(office)
    assert "Terbaik 1, Instansi Pemerintah Umum" in office.locator(
        "tr", has_text="Pemerintah Kota Bandung").inner_text()
    journey.shoot(office, "09-penyelenggara-piagam")
    address = flows.decode_certificate_qr(
        flows.certificate_from_zip(archive, "pemerintah-kota-bandung"), tmp_path)

    # -- Whoever scans the QR code sees the award confirmed; the results are public ------
    citizen = journey.page_for_citizen()
    text = flows.open_certificate_address(citizen, journey, address)
    assert citizen.inner_text("[data-result] .badge") == "Sah"
    assert (f"Pemerintah Kota Bandung menerima Terbaik 1, Instansi Pemerintah Umum dalam "
            f"{title}.") in text, text
    journey.shoot(citizen, "10-warga-cek-piagam")
    citizen.goto(journey.url("public:results", edition.slug))
    assert "Hasil akhir belum diumumkan." not in flows.main_text(citizen)
    assert "Terbaik 1" in citizen.locator(
        "tr", has_text="Pemerintah Kota Bandung").first.inner_text()
    journey.shoot(citizen, "11-warga-hasil")
