"""An edition moves through its life cycle, each move logged; each step forward checks
what must be true first and is asked about, naming the step."""

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


def _jump(edition, status):
    """Put the edition at ``status`` directly (these tests are not about getting there)."""
    from sayembara.competitions.models import Edition

    Edition.objects.filter(pk=edition.pk).update(status=status)
    edition.refresh_from_db()


def test_set_edition_status_backwards_needs_a_reason(edition):
    _jump(edition, EditionStatus.PUBLISHED)
    with pytest.raises(EditionStatusError, match="needs a written reason"):
        set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test",
                       reason="Objection upheld; the final stage is scored again.")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.JUDGING


def test_advance_edition_status_never_moves_back(edition):
    _jump(edition, EditionStatus.FINISHED)
    advance_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.FINISHED


def test_advance_edition_status_reads_the_database_not_a_stale_copy(edition):
    from sayembara.competitions.models import Edition

    stale = Edition.objects.get(pk=edition.pk)
    _jump(edition, EditionStatus.PUBLISHED)
    advance_edition_status(edition=stale, status=EditionStatus.JUDGING, actor="test")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.PUBLISHED


def test_dashboard_status_control_moves_the_edition_and_refuses_going_back_silently(
        edition, client):
    from django.urls import reverse

    from tests.factories import UserFactory, grant

    organiser = UserFactory()
    grant(organiser, "organiser", organiser=edition.organiser)
    client.force_login(organiser)
    url = reverse("web:edition_status", kwargs={"slug": edition.slug})
    dashboard = reverse("web:edition_dashboard", kwargs={"slug": edition.slug})
    page = client.get(dashboard).content.decode()
    assert url in page and '<button type="submit" id="next-step">Open registration' in page

    asked = client.post(url, {"status": "open"}).content.decode()
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT  # not before the answer
    assert f"Open registration: {edition.title}?" in asked
    assert "Yes: Open registration" in asked

    response = client.post(url, {"status": "open", "confirmed": "1"}, follow=True)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert "The edition is now “Open for entries”." in response.content.decode()

    response = client.post(url, {"status": "draft", "reason": "", "confirmed": "1"},
                           follow=True)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.OPEN
    assert "needs a written reason" in response.content.decode()

    asked = client.post(url, {"status": "draft", "reason": "Salah tanggal"}).content.decode()
    assert "Go back to “Being prepared”" in asked and "Salah tanggal" in asked
    client.post(url, {"status": "draft", "reason": "Salah tanggal", "confirmed": "1"})
    edition.refresh_from_db()
    assert edition.status == EditionStatus.DRAFT


def test_stage_opening_confirming_and_publication_move_the_edition_forward():
    from sayembara.documents.services.publication import update_publication
    from sayembara.judging.services.assignments import assign
    from sayembara.judging.services.closing import close_stage, confirm_stage, open_stage
    from sayembara.judging.services.sheets import save_sheet, submit_sheet
    from tests.factories_judging import make_edition, make_entry, make_institution, make_judge

    edition = make_edition()
    proposal, interview = edition.stages.order_by("order")
    entry = make_entry(edition, category_key="desa",
                       institution=make_institution(edition, kind="desa"))
    judge = make_judge(edition)
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor="test")
    open_stage(stage=proposal, actor="test")
    edition.refresh_from_db()
    assert edition.status == EditionStatus.JUDGING
    for stage in (proposal, interview):
        if stage is interview:
            open_stage(stage=stage, actor="test")
        assign(stage=stage, judge=judge, entry=entry, actor="test")
        rubric = stage.rubric_for(entry.category_id)
        values = {c.key: c.max_score for c in rubric.criteria.all()}
        save_sheet(stage=stage, judge=judge, entry=entry, values=values, actor="test")
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="test")
        close_stage(stage=stage, actor="test", bootstrap=0)
        confirm_stage(stage=stage, actor="test")
        edition.refresh_from_db()
        assert edition.status == (EditionStatus.FINISHED if stage is interview
                                  else EditionStatus.JUDGING)
    update_publication(edition=edition, actor="test", publish_results=True)
    edition.refresh_from_db()
    assert edition.status == EditionStatus.PUBLISHED
