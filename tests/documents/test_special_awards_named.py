"""Special awards by criterion are named wherever awards are: the certificates, the SK
draft's annex, the public results and the public entry page."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from django.urls import reverse

from sayembara.documents.selectors.public import results_of
from sayembara.documents.services.certificates import awards_of
from sayembara.documents.services.papers import sk_draft_pdf
from sayembara.template_format.model import SpecialAward
from tests import factories_public as f

from .test_papers import pdf_to_text

pytestmark = pytest.mark.django_db

NAME = "Terbaik Manajemen Perubahan"


@pytest.fixture
def awarded():
    template = f.public_template()
    stage = template.stages[1]
    rubric = template.rubric(stage.rubric_for(template.categories[0].id))
    special = SpecialAward(id="perubahan", name=NAME, stage=stage.id,
                           criterion=rubric.criteria[0].id, winners=1)
    template = dataclasses.replace(
        template, awards=dataclasses.replace(template.awards, special=(special,)))
    edition = f.public_edition(template=template)
    category = edition.categories.order_by("order").first()
    winner, other, special_only = (f.entry(edition, category=category, title=f"Inovasi {n}")
                                   for n in range(3))
    f.final_result(winner, rank=1, total="90", tier_key="peringkat-1-3",
                   prize=Decimal("15000000"))
    f.final_result(other, rank=2, total="80", tier_key="peringkat-1-3", special=(NAME,))
    f.final_result(special_only, rank=11, total="60", special=(NAME,))
    return edition, winner, other, special_only


def test_certificates_and_the_sk_draft_name_the_special_award(awarded):
    edition, _winner, other, special_only = awarded
    labels = {(a.entry_id, a.label) for a in awards_of(edition)}
    assert (other.pk, NAME) in labels and (special_only.pk, NAME) in labels
    text = " ".join(pdf_to_text(sk_draft_pdf(edition=edition)).split())
    assert special_only.institution.name in text  # no rank tier, named for its special award
    assert NAME in text


def test_public_results_and_entry_page_name_the_special_award(awarded, client):
    edition, _winner, other, special_only = awarded
    f.publish(edition)
    rows = {row.entry_id: row for group in results_of(edition)["categories"]
            for row in group.rows}
    assert NAME in rows[other.pk].award and NAME in rows[special_only.pk].award
    page = client.get(reverse("public:entry", args=[special_only.pk])).content.decode()
    assert NAME in page
