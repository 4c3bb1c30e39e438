"""9.3: on a stage that verifies a self-assessment the verifier reads, for each item, the
level the participant claimed, the explanation and the evidence file, and records the
verified level beside it; the secretariat reads both levels side by side with the
difference."""

import pytest
from django.urls import reverse

from sayembara.entries.enums import DocumentKind
from sayembara.entries.models import SelfAssessmentClaim
from sayembara.judging.models import ScoreSheet
from tests.factories_judging import make_organiser_user, scored_stage, small_template
from tests.jury.test_documents import store_document

pytestmark = pytest.mark.django_db

SELF_ASSESSMENT = """
entry_form:
  self_assessment:
    - {id: dasar-hukum, question: "Apa dasar hukum inovasi ini?", rubric: proposal-opd,
       criterion: bukti}
"""


@pytest.fixture
def setting(monkeypatch):
    import tests.factories_judging as factories

    template = small_template(extra=SELF_ASSESSMENT)
    monkeypatch.setattr(factories, "small_template", lambda **_kw: template)
    edition, stage, entries, judges = scored_stage(entries_per_category=1, judges=1)
    entry = next(e for e in entries if e.category.key == "opd")
    SelfAssessmentClaim.objects.create(entry=entry, item="dasar-hukum", level=2,
                                       label="Peraturan Daerah", score=100,
                                       note="Perda Nomor 3 Tahun 2022 tentang layanan ini.")
    evidence = store_document(entry, kind=DocumentKind.EVIDENCE, slot="dasar-hukum",
                              name="perda-3-2022.pdf")
    return edition, stage, entry, judges[0], evidence


def test_verifier_reads_the_claim_its_explanation_and_evidence_beside_the_levels(client,
                                                                                  setting):
    _edition, stage, entry, judge, evidence = setting
    client.force_login(judge.user)
    page = client.get(reverse("jury:sheet", args=[stage.pk, entry.pk])).content.decode()
    assert "Verification of the self-assessment" in page
    assert "Apa dasar hukum inovasi ini?" in page
    assert "Level claimed by the participant" in page and "<strong>Peraturan Daerah</strong>" \
        in page
    assert "Perda Nomor 3 Tahun 2022 tentang layanan ini." in page
    document_url = reverse("participation:document", args=[evidence.pk])
    assert f'href="{document_url}"' in page and f'href="{document_url}?unduh=1"' in page
    assert client.get(document_url).status_code == 200
    assert "claimed by the participant" in page  # the claimed level is marked in the list


def test_secretariat_reads_claimed_and_verified_levels_with_the_difference(client, setting):
    from sayembara.judging.services.sheets import save_sheet, submit_sheet

    edition, stage, entry, judge, evidence = setting
    save_sheet(stage=stage, judge=judge, entry=entry, actor="s",
               values={"kebaruan": "7", "bukti": "70"})
    submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    sheet = ScoreSheet.objects.get(stage=stage, judge=judge, entry=entry)
    client.force_login(make_organiser_user(edition))
    page = client.get(reverse("jury:sheet_detail", args=[sheet.pk])).content.decode()
    row = page[page.index("<td>Bukti dukung</td>"):]
    row = row[:row.index("</tr>")]
    assert "Peraturan Daerah <span class=\"muted small\">(100)</span>" in row
    assert "Perda Nomor 3 Tahun 2022" in row
    assert "Peraturan Kepala Daerah <span class=\"muted small\">(70)</span>" in row
    assert '<span class="badge bad">-30</span>' in row
    assert reverse("participation:document", args=[evidence.pk]) in row
    assert "Level claimed" in page and "Level verified" in page and "Difference" in page
