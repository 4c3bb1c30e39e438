"""Krenova OPD dan BUMD Kota Magelang from start to end in a real browser, in Indonesian:
six assessment rounds (an administrative checklist that filters, then five weighted rounds
with the Top 15 and the five best), the assessment team and the jury each with a chair,
and the winner put forward to the province's Krenova, run by another organiser.

Balitbang's secretariat creates the edition from the built-in template and opens
registration; the operator of Disdukcapil writes the proposal, uploads its statements and
evidence and submits; the assessment team's chair opens every document and ticks the
administrative checklist; the secretariat opens, closes and confirms each round; the jury
chair scores round V on a phone and reads the scores side by side; the results are
published and the certificate's QR code opens its verification page; the winner goes to
the province, whose secretariat reads it with its documents and history and accepts it; the
catalogue shows where the innovation went next. Krenova has no public vote."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sayembara.entries.enums import EntryState, ReferralStatus
from sayembara.entries.models import Entry, Referral
from sayembara.judging.models import FinalResult
from tests.journeys import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIM_PENILAI = "Tim Penilai"
DEWAN_JURI = "Dewan Juri"
PELAYANAN = "Pelayanan langsung kepada masyarakat"
TITLE = "Dukcapil Jemput Bola ke Kelurahan"


def _round(office, journey, edition, stage, scores, notes):
    """A round the journey does not look into: opened and assigned by the secretariat,
    scored through the services, closed and confirmed by the secretariat."""
    flows.open_stage_and_assign(office, journey, edition, stage)
    flows.score_through_services(stage, scores)
    flows.close_stage(office, journey, edition, stage)
    flows.confirm_stage(office, journey, edition, stage, notes=notes)


def test_krenova_rounds_to_certificate_and_forwarding_to_the_province(journey, tmp_path):
    today = timezone.localdate()
    year = today.year + 1
    organiser, secretariat = flows.make_organiser(
        "Balitbang Kota Magelang", region="Kota Magelang, Jawa Tengah", time_zone="WIB",
        secretariat="Sekretariat Krenova Balitbang")
    dukcapil, dinkes, rsud = flows.make_institutions(organiser, "opd", [
        "Dinas Kependudukan dan Pencatatan Sipil", "Dinas Kesehatan", "RSUD Tidar"])
    operator = flows.make_operator(dukcapil, "Rina Operator Disdukcapil")

    # The secretariat creates the edition from the template and opens registration.
    office = journey.page_as(secretariat)
    edition = flows.create_edition_from_template(
        office, journey, template="krenova-magelang-2017",
        competition="Krenova OPD dan BUMD Kota Magelang", year=year)
    flows.open_registration_from(office, journey, edition, opens=today)
    journey.shoot(office, "01-penyelenggara-dasbor")

    # The operator of Disdukcapil writes the proposal and submits it with its documents.
    from sayembara.competitions.services.editions import template_of

    form = template_of(edition).entry_form
    desk = journey.page_as(operator, phone=True)
    entry = flows.start_entry(desk, journey, edition, title=TITLE, category=PELAYANAN)
    flows.fill_proposal(desk, {
        section.id: f"{section.title}: petugas Disdukcapil melayani perekaman KTP-el dan "
                    "akta di kantor kelurahan setiap pekan." for section in form.sections},
        started_on=today.replace(year=today.year - 3))
    flows.upload_documents(desk, entry, {
        "statement:sk-inovasi": ("sk-kepala-dinas.pdf",
                                 flows.document_pdf("SK Kepala Dinas", "Disdukcapil")),
        "statement:kesediaan-replikasi": ("kesediaan-replikasi.pdf",
                                          flows.document_pdf("Pernyataan kesediaan")),
        "document:bukti-pendukung": ("laporan-jemput-bola.pdf",
                                     flows.document_pdf("Laporan pelaksanaan", "2024-2026")),
    })
    flows.submit_entry_form(desk, entry)
    assert entry.documents.count() == 3
    journey.shoot(desk, "02-operator-entri")

    # Two other agencies submit too (not this journey's subject).
    others = [flows.make_submitted_entry(edition, unit, title=title, category_key=key,
                                         actor=secretariat)
              for unit, title, key in ((dinkes, "Posyandu Digital", "tik-pelayanan"),
                                       (rsud, "Antrean Daring RSUD", "pelayanan-langsung"))]
    entries = [entry, *others]
    flows.pass_administrative_check(office, journey, edition, entries)

    # The assessment team (rounds I-IV) and the jury (rounds V-VI), each with its chair.
    team_chair = flows.seat_judge(edition, name="Dr. Ir. Joko Prasetyo", role="ketua",
                                  unsur="birokrasi", affiliation="Balitbang Kota Magelang",
                                  panels=[TIM_PENILAI], pledge=False)
    assessor = flows.seat_judge(edition, name="Sri Wahyuni", unsur="akademisi",
                                panels=[TIM_PENILAI], account=False)
    jury_chair = flows.seat_judge(edition, name="Prof. Dr. Bambang Sutrisno", role="ketua",
                                  affiliation="Universitas Tidar", panels=[DEWAN_JURI],
                                  pledge=False)
    juror = flows.seat_judge(edition, name="Ir. Hartono", unsur="birokrasi",
                             panels=[DEWAN_JURI], account=False)
    rounds = list(edition.stages.order_by("order"))
    assert len(rounds) == 6

    def sheets(stage, judges, shares):
        return {(judge, one): share for judge in judges
                for one, share in zip(entries, shares, strict=True)}

    # Round I: the team's chair opens every document and ticks the checklist.
    first = rounds[0]
    flows.open_stage_and_assign(office, journey, edition, first)
    bench = journey.page_as(team_chair.user)
    flows.accept_pledge(bench, journey, edition)
    flows.open_sheet_from_home(bench, journey, first, entry)
    downloaded = flows.download_every_document(bench, entry)
    assert sorted(downloaded) == ["kesediaan-replikasi.pdf", "laporan-jemput-bola.pdf",
                                  "sk-kepala-dinas.pdf"]
    flows.open_first_document_inline(bench, journey)
    assert "Semua bagian proposal terisi" in flows.main_text(bench)
    flows.tick_checklist(bench, "kelengkapan", ["proposal-lengkap", "sk", "replikasi", "bukti"])
    journey.shoot(bench, "03-tim-penilai-lembar")
    flows.submit_and_lock(bench, first, entry)
    flows.score_through_services(first, {
        **{(team_chair, one): 1 for one in others},
        **{(assessor, one): 1 for one in entries}})
    flows.close_stage(office, journey, edition, first)
    flows.confirm_stage(office, journey, edition, first, notes="Semua proposal lengkap.")

    # Rounds II-IV by the assessment team.
    team = [team_chair, assessor]
    _round(office, journey, edition, rounds[1], sheets(rounds[1], team, (0.85, 0.7, 0.6)),
           "Substansi proposal dinilai.")
    _round(office, journey, edition, rounds[2], sheets(rounds[2], team, (0.8, 0.75, 0.6)),
           "Presentasi selesai.")
    _round(office, journey, edition, rounds[3], sheets(rounds[3], team, (0.9, 0.8, 0.7)),
           "Top 15 ditetapkan.")

    # Round V: the jury chair scores Disdukcapil's presentation on a phone.
    fifth = rounds[4]
    flows.open_stage_and_assign(office, journey, edition, fifth)
    chair_page = journey.page_as(jury_chair.user, phone=True)
    flows.accept_pledge(chair_page, journey, edition)
    flows.open_sheet_from_home(chair_page, journey, fifth, entry)
    flows.fill_scores(chair_page, flows.criterion_values(fifth, entry, 0.85))
    flows.submit_and_lock(chair_page, fifth, entry)
    flows.score_through_services(fifth, {
        **{(jury_chair, one): share for one, share in zip(others, (0.7, 0.65), strict=True)},
        **sheets(fifth, [juror], (0.8, 0.72, 0.6))})
    flows.close_stage(office, journey, edition, fifth)
    consolidation = flows.chair_opens_consolidation(chair_page, journey, fifth)
    assert "Perbandingan nilai" in consolidation and others[0].code in consolidation
    chair_page.click(f"main a:has-text('{PELAYANAN}')")  # one category at a time
    # On a phone each judge's total is among the card's details, unfolded by its button.
    chair_page.locator(f"#entry-{entry.code}").get_by_role("button", name="Rincian").click()
    consolidation = flows.main_text(chair_page)
    assert entry.code in consolidation and others[1].code in consolidation, consolidation
    assert "Prof. Dr. Bambang Sutrisno: " in consolidation and "Ir. Hartono: " in consolidation
    journey.shoot(chair_page, "04-ketua-dewan-juri-konsolidasi")
    flows.confirm_stage(office, journey, edition, fifth, notes="Top 15 presentasi.")

    # Round VI, the interview, decides the five best.
    _round(office, journey, edition, rounds[5],
           sheets(rounds[5], [jury_chair, juror], (0.88, 0.7, 0.62)),
           "Lima besar dan Top 3 ditetapkan.")
    edition.refresh_from_db()
    assert edition.status == "finished"

    # The results, published from the dashboard; Disdukcapil first.
    winner = FinalResult.objects.get(entry=entry)
    assert winner.rank == 1
    office.goto(journey.url("jury:final_results", edition.slug))
    results = flows.main_text(office)
    assert flows.id_number(winner.total) in results, results
    journey.shoot(office, "05-penyelenggara-hasil")
    flows.life_cycle_step(office, journey, edition, "Umumkan hasil")
    entry.refresh_from_db()
    assert entry.state == EntryState.WINNER

    # The certificate's QR code opens the page naming the award.
    flows.design_certificates(office, journey, edition, place_and_date="Magelang, {date}",
                              signatories=["Dr. Ir. Joko Prasetyo | Kepala Balitbang Kota "
                                           "Magelang | NIP. 19680817 199303 1 006",
                                           "Ir. Sigit Widyonindito | Wali Kota Magelang |"])
    archive = flows.generate_certificates(office, journey, edition)
    address = flows.decode_certificate_qr(
        flows.certificate_from_zip(archive, "kependudukan"), tmp_path)
    citizen = journey.page_for_citizen()
    verified = flows.open_certificate_address(citizen, journey, address)
    assert "Juara 1" in verified and "Dinas Kependudukan dan Pencatatan Sipil" in verified
    assert edition.title in verified
    journey.shoot(citizen, "06-warga-verifikasi-piagam")

    # The province runs its own Krenova and takes entries put forward by cities.
    province, province_secretariat = flows.make_organiser(
        "BRIDA Provinsi Jawa Tengah", region="Provinsi Jawa Tengah", time_zone="WIB",
        secretariat="Sekretariat Krenova BRIDA Jateng")
    provincial = journey.page_as(province_secretariat)
    higher = flows.create_edition_from_template(
        provincial, journey, template="krenova-magelang-2017",
        competition="Lomba Krenova Provinsi Jawa Tengah", year=year)
    flows.open_registration_from(provincial, journey, higher, opens=today)
    flows.take_forwarded_entries(provincial, journey, higher,
                                 note="Kabupaten/kota mengusulkan paling banyak tiga inovasi.")

    # Magelang puts its winner forward; the province reads it and accepts it.
    flows.put_forward(office, journey, edition, entry, higher,
                      note="Juara 1 Krenova Kota Magelang; narahubung Balitbang.")
    journey.shoot(office, "07-penyelenggara-usulkan")
    shown = flows.open_referral(provincial, journey, higher, entry)
    assert "Dinas Kependudukan dan Pencatatan Sipil" in shown and "Juara 1" in shown, shown
    for name in ("sk-kepala-dinas.pdf", "laporan-jemput-bola.pdf"):
        assert name in shown
    # The history speaks of the stage's entries, not of the engine's "overall" pool.
    assert "Peringkat 1 dalam semua entri tahap ini" in shown and "overall" not in shown, shown
    link = provincial.locator("main a:has-text('laporan-jemput-bola.pdf')").get_attribute("href")
    answer = provincial.request.get(journey.live_server.url + link)
    assert answer.status == 200 and answer.body().startswith(b"%PDF")
    journey.shoot(provincial, "08-provinsi-usulan")
    flows.decide_referral(provincial, accept=True, category=PELAYANAN,
                          reason="Memenuhi syarat; lanjut ke penilaian provinsi.")
    referral = Referral.objects.get(entry=entry)
    assert referral.status == ReferralStatus.ACCEPTED
    carried = Entry.objects.get(edition=higher)
    assert f"diterima sebagai draf {carried.code}" in flows.messages_text(provincial)
    assert carried.title == TITLE and carried.documents.exists()

    # Magelang sees the outcome; the catalogue shows where the innovation went next.
    office.goto(journey.url("participation:edition_put_forward", edition.slug))
    assert "Diterima" in flows.main_text(office), flows.main_text(office)
    citizen.goto(journey.url("public:entry", entry.pk))
    went_on = flows.main_text(citizen)
    assert f"Berlanjut ke\n{higher.title}" in went_on or (
        "Berlanjut ke" in went_on and higher.title in went_on), went_on
    journey.shoot(citizen, "09-warga-katalog-inovasi")
