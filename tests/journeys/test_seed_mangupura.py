"""The Mangupura Award (Kabupaten Badung) from start to end in a real browser, in
Indonesian: three weighted stages (document verification 20 %, presentation 55 %, field
visit 25 %), a verification team for the first and the jury, chaired, for the other two.

BRIDA's secretariat creates the edition from the built-in template and opens registration;
the operator of Kelurahan Kuta submits the performance documents; a verifier opens every
document and scores; the secretariat closes and confirms each stage; the jury chair scores
the presentation and reads the scores side by side; the results are decided and published;
the certificate's QR code opens its verification page. Mangupura has no public vote."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sayembara.entries.enums import EntryState
from sayembara.judging.models import FinalResult
from tests.journeys import flows

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

KELURAHAN = ["Kelurahan Kuta", "Kelurahan Legian", "Kelurahan Seminyak"]
TIM_VERIFIKASI = "Tim Verifikasi Dokumen"
DEWAN_JURI = "Dewan Juri Mangupura Award"


def test_mangupura_award_from_template_to_verified_certificate(journey, tmp_path):
    today = timezone.localdate()
    year = today.year + 1
    organiser, secretariat = flows.make_organiser(
        "BRIDA Kabupaten Badung", region="Kabupaten Badung, Bali",
        secretariat="Ni Wayan Sekretariat BRIDA")
    kuta, legian, seminyak = flows.make_institutions(organiser, "kelurahan", KELURAHAN)
    operator = flows.make_operator(kuta, "I Made Operator Kelurahan Kuta")

    # The secretariat creates the edition from the template and opens registration.
    office = journey.page_as(secretariat)
    edition = flows.create_edition_from_template(
        office, journey, template="mangupura-2024", competition="Mangupura Award", year=year)
    flows.open_registration_from(office, journey, edition, opens=today)
    edition.refresh_from_db()
    assert edition.status == "open"
    journey.shoot(office, "01-penyelenggara-dasbor")

    # The operator of Kelurahan Kuta submits the prior year's performance documents.
    desk = journey.page_as(operator, phone=True)
    title = f"Dokumen Kinerja {year - 1} Kelurahan Kuta"
    entry = flows.start_entry(desk, journey, edition, title=title)
    from sayembara.competitions.services.editions import template_of

    specs = [spec for spec in template_of(edition).entry_form.documents if spec.required]
    assert len(specs) == 7
    flows.upload_documents(desk, entry, {
        f"document:{spec.id}": (f"{spec.id}-{year - 1}.pdf",
                                flows.document_pdf(spec.title, "Kelurahan Kuta"))
        for spec in specs})
    flows.submit_entry_form(desk, entry)
    assert entry.documents.count() == 7
    journey.shoot(desk, "02-operator-entri")

    # Two neighbours submit too (not this journey's subject).
    others = [flows.make_submitted_entry(edition, unit, title=f"Dokumen Kinerja {year - 1} "
                                         f"{unit.name}", category_key="kelurahan",
                                         actor=secretariat) for unit in (legian, seminyak)]
    entries = [entry, *others]
    flows.pass_administrative_check(office, journey, edition, entries)

    # The jury of the template's panels.
    verifier = flows.seat_judge(edition, name="Kadek Dwi Pratama", unsur="birokrasi",
                                affiliation="BRIDA Kabupaten Badung",
                                panels=[TIM_VERIFIKASI], pledge=False)
    second_verifier = flows.seat_judge(edition, name="Putu Eka Sanjaya", unsur="birokrasi",
                                       panels=[TIM_VERIFIKASI], account=False)
    chair = flows.seat_judge(edition, name="Prof. Dr. I Made Suwitra", role="ketua",
                             affiliation="Universitas Udayana", panels=[DEWAN_JURI],
                             pledge=False)
    jurors = [flows.seat_judge(edition, name=name, unsur=unsur, panels=[DEWAN_JURI],
                               account=False)
              for name, unsur in (("Ni Luh Putu Ayu Andari", "ombudsman"),
                                  ("Dewa Ayu Sri Utami", "bpkp"))]
    first, second, third = edition.stages.order_by("order")

    # Stage 1: the verifier opens every document of Kuta's entry and scores it.
    flows.open_stage_and_assign(office, journey, edition, first)
    bench = journey.page_as(verifier.user)
    flows.accept_pledge(bench, journey, edition)
    flows.open_sheet_from_home(bench, journey, first, entry)
    downloaded = flows.download_every_document(bench, entry)
    assert sorted(downloaded) == sorted(f"{spec.id}-{year - 1}.pdf" for spec in specs)
    flows.open_first_document_inline(bench, journey)
    kuta_first = flows.criterion_values(first, entry, 0.9)
    flows.fill_scores(bench, kuta_first)
    journey.shoot(bench, "03-verifikator-lembar")
    flows.submit_and_lock(bench, first, entry)
    journey.shoot(bench, "04-verifikator-penugasan")
    flows.score_through_services(first, {
        **{(verifier, other): share for other, share in zip(others, (0.7, 0.6), strict=True)},
        **{(second_verifier, one): share
           for one, share in zip(entries, (0.85, 0.75, 0.65), strict=True)}})
    flows.close_stage(office, journey, edition, first)
    flows.confirm_stage(office, journey, edition, first,
                        notes="Seluruh peserta lanjut ke presentasi.")
    for one in entries:
        one.refresh_from_db()
        assert one.current_stage_id == second.pk, one.state

    # Stage 2: the jury chair scores Kuta's presentation.
    flows.open_stage_and_assign(office, journey, edition, second)
    chair_page = journey.page_as(chair.user, phone=True)
    flows.accept_pledge(chair_page, journey, edition)
    flows.open_sheet_from_home(chair_page, journey, second, entry)
    flows.fill_scores(chair_page, flows.criterion_values(second, entry, 0.8))
    flows.submit_and_lock(chair_page, second, entry)
    flows.score_through_services(second, {
        **{(chair, other): share for other, share in zip(others, (0.75, 0.7), strict=True)},
        **{(juror, one): share for juror in jurors
           for one, share in zip(entries, (0.82, 0.78, 0.6), strict=True)}})
    flows.close_stage(office, journey, edition, second)
    # The chair consolidates: every score side by side, from their own page.
    consolidation = flows.chair_opens_consolidation(chair_page, journey, second)
    assert "Perbandingan nilai" in consolidation, consolidation
    for one in entries:
        assert one.code in consolidation
    journey.shoot(chair_page, "05-ketua-konsolidasi")
    flows.confirm_stage(office, journey, edition, second, notes="Seluruh finalis presentasi.")

    # Stage 3: the field visit (the jury's sheets through the services).
    flows.open_stage_and_assign(office, journey, edition, third)
    flows.score_through_services(third, {
        (juror, one): share for juror in [chair, *jurors]
        for one, share in zip(entries, (0.9, 0.7, 0.65), strict=True)})
    flows.close_stage(office, journey, edition, third)
    flows.confirm_stage(office, journey, edition, third,
                        notes="Verifikasi lapangan selesai; peringkat akhir ditetapkan.")

    # The results: Kuta first, with its total as the organiser reads it.
    winner = FinalResult.objects.get(entry=entry)
    assert winner.rank == 1
    office.goto(journey.url("jury:final_results", edition.slug))
    results = flows.main_text(office)
    assert flows.id_number(winner.total) in results, results
    # Nobody entered the other two categories: said so, not "not computed yet".
    assert results.count("Tidak ada entri kategori ini dalam peringkat akhir.") == 2, results
    assert "Belum dihitung" not in results
    journey.shoot(office, "06-penyelenggara-hasil")
    edition.refresh_from_db()
    assert edition.status == "finished"  # confirming the last stage decided the results
    # Published as the dashboard's last step, asked about first.
    flows.life_cycle_step(office, journey, edition, "Umumkan hasil")
    assert "Hasil diumumkan" in flows.messages_text(office)
    journey.shoot(office, "07-penyelenggara-dasbor-diumumkan")
    edition.refresh_from_db()
    assert edition.status == "published"
    entry.refresh_from_db()
    assert entry.state == EntryState.WINNER

    # The certificate: its QR code opens the verification page naming the award.
    flows.design_certificates(office, journey, edition, place_and_date="Mangupura, {date}",
                              signatories=["Dr. I Gede Wijaya | Kepala BRIDA Kabupaten Badung"
                                           " | NIP. 19750412 200212 1 004",
                                           "I Nyoman Adi Pramana | Bupati Badung |"])
    archive = flows.generate_certificates(office, journey, edition)
    journey.shoot(office, "08-penyelenggara-piagam")
    pdf = flows.certificate_from_zip(archive, "kuta")
    address = flows.decode_certificate_qr(pdf, tmp_path)
    citizen = journey.page_for_citizen()
    verified = flows.open_certificate_address(citizen, journey, address)
    assert "Juara 1, Kategori Kelurahan" in verified, verified
    assert "Kelurahan Kuta" in verified
    journey.shoot(citizen, "09-warga-verifikasi-piagam")

    # The public results name the winner with the same total.
    citizen.goto(journey.url("public:results", edition.slug))
    public = flows.main_text(citizen)
    assert "Kelurahan Kuta" in public and flows.id_number(winner.total) in public, public
    journey.shoot(citizen, "10-warga-hasil")
