"""Which stages are field visits is written in the template, not guessed from names."""

import pytest

from sayembara.competitions.services.editions import create_edition, get_or_create_organiser
from sayembara.judging.selectors.sheets import is_field_stage
from sayembara.template_format import load_template

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("template", "field_stages"),
    [
        ("mangupura-2024", ["verifikasi-lapangan"]),
        ("krenova-magelang-2017", ["penilaian-4"]),
        ("kipp-pemalang-2020", []),
    ],
)
def test_is_field_stage_follows_the_template(template, field_stages):
    organiser = get_or_create_organiser(name="Penyelenggara Uji", actor="test")
    edition = create_edition(template=load_template(template), year=2030, organiser=organiser,
                             actor="test")
    assert [s.key for s in edition.stages.order_by("order") if is_field_stage(s)] == field_stages
