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

import io
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from sayembara.accounts.enums import Role
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import get_or_create_organiser
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry, Institution
from tests.conftest import new_page, signed_in_page
from tests.documents.test_certificate_qr import decode_qr, pdf_to_png
from tests.factories import UserFactory, grant
from tests.factories_entries import pdf_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
#: Where the screenshots go: JOURNEY_SCREENSHOTS, or the test's temporary folder.
SHOTS = "JOURNEY_SCREENSHOTS"

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


@pytest.fixture
def shoot(tmp_path):
    """Save a page as a person sees it on a desktop (1366×768) and on a phone (390×844)."""
    folder = Path(os.environ.get(SHOTS) or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)

    def save(page, name: str) -> None:
        size = page.viewport_size
        for width, height in ((1366, 768), (390, 844)):
            page.set_viewport_size({"width": width, "height": height})
            page.screenshot(path=str(folder / f"pengaduan-{name}-{width}.png"))
        page.set_viewport_size(size)

    return save


def _pdf(name):
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def _main(page) -> str:
    return page.inner_text("main")


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


def _seat_judges(edition, secretariat) -> dict:
    """Two evaluators of the Tim Evaluasi and two members of the Dewan Juri (its chair
    among them), each with an account, pledge accepted."""
    from sayembara.demo.krenova import Seat, seat_jury

    seats = (
        Seat("Ajib Prasetyo", "birokrasi", "anggota", "Kementerian PANRB", ("Tim Evaluasi",),
             username="verifikator-panrb"),
        Seat("Dian Rubianty", "ombudsman", "anggota", "Ombudsman Republik Indonesia",
             ("Tim Evaluasi",), username="evaluator-ombudsman"),
        Seat("Azwar Abubakar", "birokrasi", "ketua", "Menteri PANRB periode 2011-2014",
             ("Dewan Juri",), username="ketua-juri-panrb"),
        Seat("Meuthia Ganie-Rochman", "akademisi", "anggota", "Akademisi", ("Dewan Juri",),
             username="juri-panrb"),
    )
    judges = seat_jury(edition=edition, seats=seats, institutions={}, actor=secretariat)
    return dict(zip(["verifikator", "evaluator", "ketua", "juri"], judges, strict=True))


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


def _submit_sheet(page, stage, entry) -> None:
    """Kirim dan kunci, answered yes in the dialog that names the entry and the stage."""
    # Typed scores are saved after a pause; the last of those saves has answered.
    page.wait_for_timeout(1000)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.click("#submit-sheet")
    dialog = page.locator("#confirm-submit")
    dialog.wait_for(state="visible")
    assert "Kirim dan kunci lembar penilaian ini?" in dialog.inner_text()
    assert f"{entry.code} · {entry.title}" in dialog.inner_text()
    assert stage.name in dialog.inner_text()
    dialog.locator("button[data-answer=yes]").click()
    page.wait_for_url(f"**/juri/#entri-{stage.pk}-{entry.pk}")
    assert (f"Nilai Anda untuk {entry.code} pada {stage.name} telah dikirim dan dikunci."
            in _main(page))
    assert "Diajukan" in page.inner_text(f"#entri-{stage.pk}-{entry.pk}")


def _download(page, live_server, link) -> bytes:
    """What the browser receives from a document link (the same session's cookies)."""
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.ok, response.status
    return response.body()


def _stage_card(page, number: int):
    return page.locator("article", has_text=f"{number}. ")


def test_pengaduan_every_role_from_template_to_verified_certificate(live_server, browser,
                                                                   settings, tmp_path, shoot):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SAYEMBARA_PUBLIC_URL = live_server.url
    settings.LANGUAGE_CODE = "id"  # the product's default, as a person meets it
    # The edition of next year: its registration deadline (14 October) is still ahead.
    year = timezone.localdate().year + 1
    organiser = get_or_create_organiser(name="Kementerian PANRB", actor="uji",
                                        timezone_code="WIB", region_name="Nasional")
    secretariat = UserFactory(username="sekretariat-panrb",
                              full_name="Sekretariat Kompetisi Pengaduan")
    grant(secretariat, Role.ORGANISER, organiser=organiser)
    bandung = Institution.objects.create(organiser=organiser, name="Pemerintah Kota Bandung",
                                         kind="instansi_pemerintah")
    Institution.objects.create(organiser=organiser, name="Samsat Kota Bandung", kind="upp")
    operator = UserFactory(username="operator-bandung", full_name="Operator Kota Bandung")
    grant(operator, Role.OPERATOR, institution=bandung)

    # -- The secretariat creates the edition from the built-in template ------------------
    context, page = signed_in_page(browser, live_server, secretariat, width=1366, height=768)
    page.goto(live_server.url + "/")
    page.click("nav a:has-text('Penyelenggaraan baru')")
    page.fill("#id_competition", "Kompetisi Pengelolaan Pengaduan Pelayanan Publik")
    page.check("input[name=start][value=copy]")
    page.select_option("#id_template", "pengaduan-2020")
    page.fill("#id_year", str(year))
    page.click("button[type=submit]:has-text('Buat penyelenggaraan')")
    page.wait_for_selector(".messages")
    edition = Edition.objects.get()
    title = f"Kompetisi Pengelolaan Pengaduan Pelayanan Publik {year}"
    assert edition.title == title
    assert f"Penyelenggaraan {title} telah dibuat." in page.inner_text(".messages")
    rules = _main(page)
    assert "Verifikasi penilaian mandiri oleh Tim Evaluasi" in rules
    assert f"14 Oktober {year} pukul 23.59 WIB" in rules
    # Registration (and so submission) starts today rather than on 14 August.
    page.goto(live_server.url + reverse("web:rules_section", args=[edition.slug, "jadwal"]))
    page.fill("#id_rows-0-start", f"{timezone.localdate():%Y-%m-%d}")
    page.click("button[type=submit]:has-text('Simpan aturan')")
    page.wait_for_selector("text=Aturan telah disimpan.")
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click("#next-step")
    assert f"Buka pendaftaran: {title}?" in _main(page)
    page.click("#confirm-step")
    page.wait_for_selector(".messages")
    assert "Status penyelenggaraan kini “Pendaftaran dibuka”." in page.inner_text(".messages")
    shoot(page, "organiser-dashboard")
    context.close()

    # -- The operator of Kota Bandung answers the self-assessment and submits ------------
    context, page = signed_in_page(browser, live_server, operator, width=390, height=844)
    page.goto(live_server.url + reverse("participation:home"))
    assert title in _main(page) and f"14 Oktober {year} pukul 23.59 WIB" in _main(page)
    page.click(f"a[href='{reverse('participation:entry_start', args=[edition.slug])}']")
    page.select_option("#id_category", label="Instansi Pemerintah")
    page.select_option("#id_group", label="Instansi Pemerintah Umum")
    page.fill("#id_title", TITLE)
    page.click("button[type=submit]:has-text('Buat draf')")
    page.wait_for_selector("#entry-form")
    page.wait_for_load_state()  # deferred scripts (autosave) are running
    assert "Pilih tingkat tertinggi yang dibuktikan oleh bukti dukung Anda" in _main(page)
    page.fill("#id_innovation_started_on", f"{year - 3}-03-01")
    page.fill("#id_innovators", "Bagian Organisasi Setda Kota Bandung")
    page.fill("#id_summary", "Pengaduan warga lewat LAPOR! ditindaklanjuti sampai kelurahan.")
    for item, level, note in CLAIMS:
        page.select_option(f"#id_claim__{item}", index=level + 1)  # after "not answered"
        page.fill(f"#id_claimnote__{item}", note)
        page.set_input_files(f"#id_upload__evidence__{item}", [_pdf(f"bukti-{item}.pdf")])
    page.set_input_files("#id_upload__document__bukti-dukung", [_pdf("bukti-dukung.pdf")])
    page.set_input_files("#id_upload__statement__sk-pengelola", [_pdf("sk-pengelola.pdf")])
    page.set_input_files("#id_upload__statement__kebenaran-data", [_pdf("pernyataan.pdf")])
    page.wait_for_timeout(1700)  # the autosave waits for a pause in typing
    page.wait_for_function(
        "() => document.querySelector('#autosave-status').textContent.includes('Tersimpan')")
    shoot(page, "operator-form")
    page.click("button[name=action][value=submit]")
    page.wait_for_selector(".messages")
    assert page.locator("h1 .badge").inner_text() == "Diajukan"
    claims = page.inner_text("main")
    assert "Terintegrasi penuh (100)" in claims and "Semua kanal direkap di SP4N-LAPOR!." in claims
    assert "bukti-kanal.pdf" in claims
    shoot(page, "operator-entry")
    context.close()
    entry = Entry.objects.get(institution=bandung)
    assert entry.state == EntryState.SUBMITTED
    others = _other_entries(edition, organiser)

    # -- The secretariat passes the forms in the administrative check --------------------
    context, page = signed_in_page(browser, live_server, secretariat, width=1366, height=768)
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click(f"a[href='{reverse('participation:check_list', args=[edition.slug])}']")
    for one in [entry, *others]:
        page.check(f"input[name=entries][value='{one.pk}']")
    page.check("input[name=outcome][value=passed]")
    page.click("button:has-text('Catat untuk entri yang dicentang')")
    page.wait_for_selector(".messages")
    assert ("Dicatat untuk 4 entri: IP-001, IP-002, UPP-001, UPP-002."
            in page.inner_text(".messages"))

    # The evaluation team and the jury are seated; the verification opens.
    team = _seat_judges(edition, secretariat)
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click(f"a[href='{reverse('jury:manage', args=[edition.slug])}']")
    _stage_card(page, 1).locator("button:has-text('Buka penilaian')").click()
    page.wait_for_selector(".messages")
    first, second = edition.stages.order_by("order")
    assert f"{first.name} dibuka untuk penilaian." in page.inner_text(".messages")
    context.close()
    first.refresh_from_db()
    _assign(first, {team["verifikator"]: [entry, others[0]], team["evaluator"]: others[1:]},
            secretariat)
    _score_through_services(first, team["evaluator"], others[1:])
    _score_through_services(first, team["verifikator"], others[:1])

    # -- The verifier reads claim, explanation and evidence, and records verified levels -
    context, page = signed_in_page(browser, live_server, team["verifikator"].user,
                                   width=1366, height=768)
    page.goto(live_server.url + reverse("jury:home"))
    assert "1 dari 2 lembar penilaian telah dikirim" in _main(page)
    shoot(page, "verifier-home")
    page.click(f"a[href='{reverse('jury:sheet', args=[first.pk, entry.pk])}']")
    page.wait_for_load_state()
    sheet = _main(page)
    assert "Verifikasi penilaian mandiri" in sheet
    assert "Tingkat yang diklaim peserta: Terintegrasi penuh (100)" in sheet
    assert "Penjelasan: Semua kanal direkap di SP4N-LAPOR!." in sheet
    evidence = entry.documents.get(kind="evidence", slot="kanal")
    link = page.locator(
        f"a[href^='{reverse('participation:document', args=[evidence.pk])}']").last
    assert link.inner_text() == "Unduh"
    assert _download(page, live_server, link) == pdf_bytes()
    shoot(page, "verifier-sheet")
    for item, level, _note in CLAIMS:
        # The channel's recap of every channel is missing: one level lower than claimed.
        verified = LEVELS[item][level - 1 if item == "kanal" else level]
        with page.expect_response(lambda response: response.url.endswith("/simpan/")):
            page.check(f"input[name='score-{item}'][value='{verified}']")
    _submit_sheet(page, first, entry)
    context.close()

    # -- The secretariat sees claimed beside verified, then closes and confirms ----------
    context, page = signed_in_page(browser, live_server, secretariat, width=1366, height=768)
    page.goto(live_server.url + reverse("jury:manage", args=[edition.slug]))
    _stage_card(page, 1).locator("a:has-text('Kemajuan')").click()
    page.locator("tr", has_text=entry.code).locator("a:has-text('Ajib Prasetyo')").click()
    assert "Tingkat yang diklaim" in _main(page) and "Selisih" in _main(page)
    kanal = page.locator("tr", has_text="Kanal pengaduan terintegrasi SP4N-LAPOR!")
    assert [kanal.locator("td").nth(n).inner_text().split("\n")[0] for n in (2, 3, 4)] == [
        "Terintegrasi penuh (100)", "Terhubung SP4N-LAPOR! (70)", "-30"]
    assert "bukti-kanal.pdf" in kanal.inner_text()
    policy = page.locator("tr", has_text="Kebijakan pengelolaan pengaduan")
    assert "sesuai klaim" in policy.inner_text()
    shoot(page, "organiser-claims-verified")
    page.goto(live_server.url + reverse("jury:manage", args=[edition.slug]))
    _stage_card(page, 1).locator("a:has-text('Penutupan')").click()
    page.click("#close-stage")
    page.wait_for_selector("#confirm-stage")
    closing = _main(page)
    assert "Instansi Pemerintah Umum: 2 dari 2 entri lolos ke tahap berikutnya (kuota 30)." \
        in closing
    assert "Ajib Prasetyo: 81,500" in page.inner_text(f"#entry-{entry.code}")
    shoot(page, "organiser-closing")
    page.click("#confirm-stage")
    page.wait_for_selector(".messages")
    assert f"Daftar {first.name} telah ditetapkan" in page.inner_text(".messages")
    _stage_card(page, 2).locator("button:has-text('Buka penilaian')").click()
    page.wait_for_selector(".messages")
    assert f"{second.name} dibuka untuk penilaian." in page.inner_text(".messages")
    context.close()
    second.refresh_from_db()
    finalists = [entry, *others]
    _assign(second, {team["ketua"]: finalists, team["juri"]: finalists}, secretariat)
    _score_through_services(second, team["ketua"], finalists, share=0.8)
    _score_through_services(second, team["juri"], others, share=0.6)

    # -- A judge of the jury reads the entry's documents and scores it, on a phone -------
    context, page = signed_in_page(browser, live_server, team["juri"].user, width=390,
                                   height=844)
    page.goto(live_server.url + reverse("jury:home"))
    page.click(f"a[href='{reverse('jury:sheet', args=[second.pk, entry.pk])}']")
    page.wait_for_load_state()
    assert "Pengaduan warga lewat LAPOR! ditindaklanjuti sampai kelurahan." in _main(page)
    statement = entry.documents.get(slot="sk-pengelola")
    link = page.locator(
        f"a[href^='{reverse('participation:document', args=[statement.pk])}']").last
    assert _download(page, live_server, link) == pdf_bytes()
    shoot(page, "judge-sheet")
    for key, value in (("inovasi", "90"), ("dampak", "88,5"), ("keberlanjutan", "85"),
                       ("replikasi", "80")):
        page.fill(f"#score-{key}", value)
        page.keyboard.press("Enter")  # moves on to the next field
    page.wait_for_function(
        "() => document.querySelector('#save-status').textContent.includes('Tersimpan')")
    _submit_sheet(page, second, entry)
    shoot(page, "judge-home")
    context.close()

    # -- The chair follows the panel's stage from their own page -------------------------
    context, page = signed_in_page(browser, live_server, team["ketua"].user, width=1366,
                                   height=768)
    page.goto(live_server.url + reverse("jury:home"))
    page.click("a:has-text('Ketua dewan juri: nilai dewan juri pada tahap ini')")
    board = page.locator("tr", has_text=entry.code).inner_text()
    assert "2/2" in board and "Meuthia Ganie-Rochman ✓" in board
    shoot(page, "chair-board")
    context.close()

    # -- The secretariat closes and confirms the jury's stage and publishes --------------
    context, page = signed_in_page(browser, live_server, secretariat, width=1366, height=768)
    page.goto(live_server.url + reverse("jury:manage", args=[edition.slug]))
    _stage_card(page, 2).locator("a:has-text('Penutupan')").click()
    page.click("#close-stage")
    page.wait_for_selector("#confirm-stage")
    row = page.inner_text(f"#entry-{entry.code}")
    assert "Azwar Abubakar: 80,000" in row and "Meuthia Ganie-Rochman: 86,550" in row
    page.click("#confirm-stage")
    page.wait_for_selector(".messages")
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click(f"a[href='{reverse('jury:final_results', args=[edition.slug])}']")
    winner = page.locator("tr", has_text=entry.code).inner_text()
    # The verification's score beside the jury's, which makes the final score.
    assert "81,500" in winner and "83,275" in winner and "Terbaik 1" in winner
    shoot(page, "organiser-final-results")
    page.goto(live_server.url + reverse("web:edition_dashboard", args=[edition.slug]))
    page.click("#next-step")
    assert f"Umumkan hasil: {title}?" in _main(page)
    page.click("#confirm-step")
    page.wait_for_selector(".messages")
    assert "Status penyelenggaraan kini “Hasil diumumkan”." in page.inner_text(".messages")

    # The certificates: the design names place, date and signatory; then all are made.
    page.click(f"a[href='{reverse('public:certificates', args=[edition.slug])}']")
    page.fill("#id_place_and_date", "Jakarta, {date}")
    page.fill("#id_signatories", "Tjahjo Kumolo | Menteri PANRB | NIP. 19570101 198001 1 001")
    page.click("button:has-text('Simpan desain')")
    page.wait_for_selector(".messages")
    page.click("button:has-text('Buat semua piagam')")
    page.wait_for_selector("a:has-text('Unduh semua piagam (zip)')")
    assert "4 penghargaan memperoleh piagam" in _main(page)
    assert "Terbaik 1, Instansi Pemerintah Umum" in page.locator(
        "tr", has_text="Pemerintah Kota Bandung").inner_text()
    shoot(page, "organiser-certificates")
    archive = _download(page, live_server,
                        page.locator("a:has-text('Unduh semua piagam (zip)')"))
    with zipfile.ZipFile(io.BytesIO(archive)) as bundle:
        [name] = [n for n in bundle.namelist() if "pemerintah-kota-bandung" in n]
        certificate = bundle.read(name)
    [address] = decode_qr(pdf_to_png(certificate, tmp_path))
    assert address.startswith(live_server.url + "/publik/piagam/")
    context.close()

    # -- Anyone who scans the QR code sees the award confirmed; the results are public --
    context, page = new_page(browser, width=390, height=844)
    page.goto(address)
    assert page.inner_text("[data-result] .badge") == "Sah"
    assert (f"Pemerintah Kota Bandung menerima Terbaik 1, Instansi Pemerintah Umum dalam "
            f"{title}.") in page.inner_text("[data-result]")
    shoot(page, "citizen-certificate")
    page.goto(live_server.url + reverse("public:results", args=[edition.slug]))
    results = _main(page)
    assert "Hasil akhir belum diumumkan." not in results
    assert "Terbaik 1" in page.locator("tr", has_text="Pemerintah Kota Bandung").first.inner_text()
    shoot(page, "citizen-results")
    context.close()
