"""An edition's rules read back from the database exactly as written, key order included."""

import pytest

from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import (
    create_edition,
    get_or_create_organiser,
    template_of,
)
from sayembara.template_format import load_template

pytestmark = pytest.mark.django_db


def test_rules_keep_key_order_through_the_database():
    template = load_template("mangupura-2024")
    organiser = get_or_create_organiser(name="BRIDA Kabupaten Badung", actor="test")
    edition = create_edition(template=template, year=2024, organiser=organiser, actor="test")
    stored = Edition.objects.get(pk=edition.pk)
    stage = stored.rules["stages"][0]
    assert list(stage["rubric_by_category"]) == ["kelurahan", "desa"]
    assert list(stored.rules)[:3] == ["name", "competition", "title"]
    assert template_of(stored) == template
