"""What must be true before each step of an edition's life cycle: registration open before
judging, every stage confirmed before the results are decided, the final results computed
before they are published; each step is asked about on the dashboard."""

import pytest
from django.urls import reverse

from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.competitions.services.status import (
    EditionStatusError,
    set_edition_status,
    step_problems,
)
from sayembara.documents.services.publication import update_publication
from sayembara.judging.models import FinalResult
from sayembara.judging.services.closing import open_stage
from sayembara.judging.services.errors import JudgingError
from tests.factories_judging import make_edition, make_organiser_user
from tests.factories_public import confirm_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():
    return make_edition()


def _at(edition, status):
    Edition.objects.filter(pk=edition.pk).update(status=status)
    edition.refresh_from_db()


def _final_result(edition):
    entry_category = edition.categories.order_by("order").first()
    from tests.factories_judging import make_entry

    entry = make_entry(edition, category_key=entry_category.key)
    return FinalResult.objects.create(edition=edition, entry=entry, category=entry_category,
                                      rank=1, total="90.00")


def test_opening_registration_needs_nothing_but_the_answer(edition):
    assert step_problems(edition, EditionStatus.OPEN) == []
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor="test")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.OPEN


def test_judging_needs_registration_opened_first(edition):
    with pytest.raises(EditionStatusError, match="Registration has not been opened yet"):
        set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.DRAFT
    set_edition_status(edition=edition, status=EditionStatus.OPEN, actor="test")
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.JUDGING


def test_a_stage_cannot_open_while_the_edition_is_being_prepared(edition):
    stage = edition.stages.order_by("order").first()
    with pytest.raises(JudgingError, match="Registration has not been opened yet"):
        open_stage(stage=stage, actor="test")
    stage.refresh_from_db()
    assert stage.status == "pending"


def test_results_are_decided_only_once_every_stage_is_confirmed(edition):
    _at(edition, EditionStatus.JUDGING)
    proposal, interview = edition.stages.order_by("order")
    with pytest.raises(EditionStatusError) as refused:
        set_edition_status(edition=edition, status=EditionStatus.FINISHED, actor="test")
    assert f"not confirmed yet: {proposal.name}, {interview.name}." in str(refused.value)
    confirm_stage(proposal)
    problems = step_problems(edition, EditionStatus.FINISHED)
    assert problems == [f"The results are decided only once the list of every stage is "
                        f"confirmed (penetapan); not confirmed yet: {interview.name}."]
    confirm_stage(interview)
    set_edition_status(edition=edition, status=EditionStatus.FINISHED, actor="test")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.FINISHED


def test_results_are_published_only_once_computed(edition):
    for stage in edition.stages.all():
        confirm_stage(stage)
    _at(edition, EditionStatus.FINISHED)
    with pytest.raises(EditionStatusError, match="final results have not been computed"):
        set_edition_status(edition=edition, status=EditionStatus.PUBLISHED, actor="test")
    with pytest.raises(EditionStatusError, match="final results have not been computed"):
        update_publication(edition=edition, actor="test", publish_results=True)
    _final_result(edition)
    update_publication(edition=edition, actor="test", publish_results=True)
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.PUBLISHED


def test_one_click_from_preparation_to_published_is_refused_with_every_reason(edition):
    with pytest.raises(EditionStatusError) as refused:
        set_edition_status(edition=edition, status=EditionStatus.PUBLISHED, actor="test")
    text = str(refused.value)
    assert "cannot move to “Results published” yet" in text
    assert "Registration has not been opened yet" in text
    assert "not confirmed yet" in text and "final results have not been computed" in text
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.DRAFT


def test_going_back_has_no_conditions_but_a_reason(edition):
    _at(edition, EditionStatus.PUBLISHED)
    set_edition_status(edition=edition, status=EditionStatus.JUDGING, actor="test",
                       reason="Keberatan uji publik diterima.")
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.JUDGING


def test_dashboard_names_what_is_missing_before_the_next_step(edition, client):
    client.force_login(make_organiser_user(edition))
    _at(edition, EditionStatus.JUDGING)
    page = client.get(reverse("web:edition_dashboard", args=[edition.slug])).content.decode()
    assert "Before “Decide the results”:" in page
    assert "not confirmed yet" in page
    assert 'id="next-step"' not in page
    response = client.post(reverse("web:edition_status", args=[edition.slug]),
                           {"status": "finished", "confirmed": "1"}, follow=True)
    assert "not confirmed yet" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.JUDGING


def test_dashboard_asks_before_publishing_and_publishes_on_yes(
        edition, client, django_capture_on_commit_callbacks):
    client.force_login(make_organiser_user(edition))
    for stage in edition.stages.all():
        confirm_stage(stage)
    _final_result(edition)
    _at(edition, EditionStatus.FINISHED)
    url = reverse("web:edition_status", args=[edition.slug])
    asked = client.post(url, {"status": "published"}).content.decode()
    assert f"Publish the results: {edition.title}?" in asked
    assert "becomes “Results published”" in asked
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.FINISHED
    client.post(url, {"status": "published", "confirmed": "1"})
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.PUBLISHED
    # What the step promised: the public results page shows them.
    results = client.get(reverse("public:results", args=[edition.slug])).content.decode()
    assert "not published yet" not in results
    # Going back withdraws them from the public again.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"status": "finished", "confirmed": "1",
                          "reason": "Keberatan uji publik diterima."})
    results = client.get(reverse("public:results", args=[edition.slug])).content.decode()
    assert "The finalists and results are not published yet." in results


def test_publication_page_refuses_to_publish_results_not_computed(edition, client):
    client.force_login(make_organiser_user(edition))
    _at(edition, EditionStatus.JUDGING)
    response = client.post(reverse("public:manage", args=[edition.slug]),
                           {"breakdown": "total", "publish_results": "on"})
    assert "cannot move to “Results published” yet" in response.content.decode()
    assert Edition.objects.get(pk=edition.pk).status == EditionStatus.JUDGING
