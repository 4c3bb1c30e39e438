"""Anyone can download a published edition's results bundle and recompute it."""

import io
import zipfile

import pytest
from django.urls import reverse

from sayembara.competitions.enums import EditionStatus
from sayembara.competitions.models import Edition
from sayembara.documents.services.publication import update_publication
from sayembara.judging.services.closing import close_stage, confirm_stage
from sayembara.ranking.bundle import verify_bundle
from tests.factories_judging import scored_stage
from tests.judging.test_closing import _score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_edition():
    edition, stage, entries, judges = scored_stage(entries_per_category=3, judges=3)
    _score_all(stage, entries, judges)
    close_stage(stage=stage, actor="sekretariat", bootstrap=0)
    confirm_stage(stage=stage, actor="sekretariat")
    # Published directly: these tests are about the bundle, not the life cycle.
    Edition.objects.filter(pk=edition.pk).update(status=EditionStatus.PUBLISHED)
    edition.refresh_from_db()
    return edition, judges


def test_results_bundle_is_refused_until_results_are_published(client, closed_edition):
    edition, _judges = closed_edition
    url = reverse("public:results_bundle", kwargs={"slug": edition.slug})
    update_publication(edition=edition, actor="test", publish_finalists=True)
    assert client.get(reverse("public:results", kwargs={"slug": edition.slug})).status_code == 200
    assert client.get(url).status_code == 404


def test_results_bundle_verifies_and_hides_judge_names(client, closed_edition, tmp_path):
    edition, judges = closed_edition
    update_publication(edition=edition, actor="test", publish_finalists=True,
                       publish_results=True)
    results_page = client.get(reverse("public:results", kwargs={"slug": edition.slug}))
    url = reverse("public:results_bundle", kwargs={"slug": edition.slug})
    assert url in results_page.content.decode()

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    archive.extractall(tmp_path)
    root = tmp_path / f"{edition.slug}-bundle"
    assert verify_bundle(root).identical
    text = "".join((root / name).read_text() for name in ("inputs/judges.csv",
                                                           "inputs/scores.csv"))
    assert all(judge.name not in text for judge in judges)
    assert client.get(url).content == response.content  # served again from the same file
