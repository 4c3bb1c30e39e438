"""Creating editions and changing, freezing and reopening their rules."""

from __future__ import annotations

import copy
import json

import pytest

from sayembara.common.models import AuditEvent
from sayembara.competitions.services.editions import (
    EditionError,
    create_edition,
    reopen_rules,
    template_of,
    update_rules,
)
from sayembara.entries.services.entries import create_entry
from sayembara.template_format import TemplateError, list_builtin, load_template
from tests.factories import InstitutionFactory, OrganiserFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def actor():
    return UserFactory(username="admin-brida")


@pytest.fixture
def edition(actor):
    return create_edition(template=load_template("mangupura-2024"), year=2025,
                          organiser=OrganiserFactory(), actor=actor)


@pytest.mark.parametrize("name", [item.name for item in list_builtin()])
def test_create_edition_every_builtin_template_rules_read_back(name, actor):
    template = load_template(name)

    edition = create_edition(template=template, year=template.year + 1,
                             organiser=OrganiserFactory(), actor=actor)

    assert json.loads(json.dumps(edition.rules)) == edition.rules
    assert template_of(edition) == template.shifted_to_year(template.year + 1)
    assert [s.key for s in edition.stages.order_by("order")] == [s.id for s in template.stages]
    assert edition.categories.count() == len(template.categories)


def test_update_rules_year_change_refused(edition, actor):
    data = copy.deepcopy(edition.rules)
    data["year"] = 2026

    with pytest.raises(EditionError, match="this is the 2025 edition"):
        update_rules(edition=edition, data=data, actor=actor)


def test_update_rules_removing_a_category_with_entries_refused(edition, actor):
    reopen_rules_after_entry(edition, actor)
    data = copy.deepcopy(edition.rules)
    data["categories"] = [c for c in data["categories"] if c["id"] != "kelurahan"]
    for stage in data["stages"]:
        stage["rubric_by_category"].pop("kelurahan")

    with pytest.raises(TemplateError) as refused:
        update_rules(edition=edition, data=data, actor=actor)

    assert [p.message for p in refused.value.problems] == [
        'Category "Kategori Kelurahan" cannot be removed: 1 entry is in it. Keep the category, '
        "or move the entry to another category first."
    ]
    assert edition.categories.filter(key="kelurahan").exists()


def test_update_rules_unchanged_data_records_nothing(edition, actor):
    events = AuditEvent.objects.count()

    update_rules(edition=edition, data=copy.deepcopy(edition.rules), actor=actor)

    edition.refresh_from_db()
    assert (edition.rules_version, AuditEvent.objects.count()) == (1, events)


def test_reopen_rules_not_frozen_refused(edition, actor):
    with pytest.raises(EditionError, match="are not frozen"):
        reopen_rules(edition=edition, actor=actor, reason="x", affects="y")


def test_rules_freeze_again_with_the_next_entry_after_reopening(edition, actor):
    reopening = reopen_rules_after_entry(edition, actor)
    edition.refresh_from_db()
    assert not edition.rules_frozen

    institution = InstitutionFactory(organiser=edition.organiser, kind="desa")
    create_entry(edition=edition, institution=institution,
                 category=edition.categories.get(key="desa"), title="Desa Wisata", actor=actor)

    edition.refresh_from_db()
    reopening.refresh_from_db()
    assert edition.rules_frozen
    assert reopening.closed_at is not None


def reopen_rules_after_entry(edition, actor):
    institution = InstitutionFactory(organiser=edition.organiser, kind="kelurahan")
    create_entry(edition=edition, institution=institution,
                 category=edition.categories.get(key="kelurahan"), title="Kuta", actor=actor)
    return reopen_rules(edition=edition, actor=actor, reason="Kategori digabung.",
                        affects="Satu entri kelurahan.")
