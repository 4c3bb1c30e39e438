"""An edition moves through its life cycle, each move logged."""

import pytest

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.services.editions import create_edition, get_or_create_organiser
from sayembara.competitions.services.status import (
    EditionStatusError,
    advance_edition_status,
    set_edition_status,
)
from sayembara.template_format import load_template

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    organiser = get_or_create_organiser(name="Bagian Organisasi Pemalang", actor="test")
    return create_edition(template=load_template("kipp-pemalang-2020"), year=2026,
                          organiser=organiser, actor="test")


def test_set_edition_status_forward_is_logged(edition):
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor="test")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    event = AuditEvent.objects.filter(action="edition.status_changed").get()
    assert (event.before, event.after) == ({"status": "draft"}, {"status": "open"})


def test_set_edition_status_backwards_needs_a_reason(edition):
    set_edition_status(edition=edition, status=EditionStatus.PUBLISHED, actor="test")
    with pytest.raises(EditionStatusError, match="needs a written reason"):
        set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test",
                       reason="Objection upheld; the final stage is scored again.")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.JUDGING


def test_advance_edition_status_never_moves_back(edition):
    set_edition_status(edition=edition, status=EditionStatus.FINISHED, actor="test")
    advance_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINISHED
