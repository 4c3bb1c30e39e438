"""The organiser's API: tokens with scopes, never across organisers, every use audited."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from sayembara.accounts.models import ApiToken
from sayembara.common.models import AuditEvent
from sayembara.entries.models import Entry, Institution
from tests.api.helpers import bearer, organiser_with_token
from tests.factories_public import entry, public_edition

pytestmark = pytest.mark.django_db


def test_a_token_reads_its_organisers_entries_and_each_use_is_audited(client):
    organiser, user, new = organiser_with_token(scopes=["read"])
    edition = public_edition(organiser=organiser)
    entry(edition, title="Layanan Jemput Bola", state="in_stage")
    url = f"/api/v1/organiser/editions/{edition.slug}/entries"
    response = client.get(url, **bearer(new.secret))
    assert response.status_code == 200
    item = response.json()["items"][0]
    assert item["title"] == "Layanan Jemput Bola" and item["state"] == "in_stage"
    used = AuditEvent.objects.filter(action="api.token_used").order_by("-seq").first()
    assert used.after["path"] == url and used.after["status"] == 200
    assert used.edition_id == edition.pk and used.actor_id == user.pk
    editions = client.get("/api/v1/organiser/editions", **bearer(new.secret)).json()
    assert editions["items"][0]["entries"] == 1
    head = client.get("/api/v1/organiser/audit/head", **bearer(new.secret)).json()
    assert head["seq"] == AuditEvent.objects.order_by("-seq").first().seq - 1


def test_the_token_is_stored_only_as_a_digest(client):
    _organiser, _user, new = organiser_with_token()
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith("sym_")
    assert new.secret not in {stored.digest, stored.prefix, stored.name}
    assert stored.digest != new.secret and len(stored.digest) == 64


def test_another_organisers_edition_is_not_found(client):
    _mine, _user, new = organiser_with_token()
    theirs = public_edition()
    entry(theirs)
    for path in ("entries", "scores", "bundle"):
        response = client.get(f"/api/v1/organiser/editions/{theirs.slug}/{path}",
                              **bearer(new.secret))
        assert response.status_code == 404, path
    listed = client.get("/api/v1/organiser/editions", **bearer(new.secret)).json()
    assert listed["count"] == 0


def test_missing_wrong_revoked_and_expired_tokens_are_refused(client):
    organiser, user, new = organiser_with_token()
    url = "/api/v1/organiser/editions"
    assert client.get(url).status_code == 401
    assert client.get(url, **bearer(new.secret + "x")).status_code == 401
    assert client.get(url, **bearer(new.secret)).status_code == 200
    ApiToken.objects.filter(pk=new.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(url, **bearer(new.secret))
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    _o, _u, other = organiser_with_token(organiser=organiser)
    from sayembara.accounts.services.api_tokens import revoke_token

    revoke_token(user=user, token=other.token)
    assert client.get(url, **bearer(other.secret)).status_code == 401


def test_a_token_whose_creator_left_the_organiser_is_refused(client):
    organiser, user, new = organiser_with_token()
    user.memberships.all().delete()
    assert client.get("/api/v1/organiser/editions", **bearer(new.secret)).status_code == 401


def test_a_scope_the_token_lacks_is_refused_with_a_reason(client):
    organiser, _user, new = organiser_with_token(scopes=["read"])
    edition = public_edition(organiser=organiser)
    response = client.get(f"/api/v1/organiser/editions/{edition.slug}/scores",
                          **bearer(new.secret))
    assert response.status_code == 403
    assert response.json()["detail"]
    response = client.post("/api/v1/organiser/registry/import", {"rows": [{}]},
                           content_type="application/json", **bearer(new.secret))
    assert response.status_code == 403


def _import(client, secret, body):
    return client.post("/api/v1/organiser/registry/import", body,
                       content_type="application/json", **bearer(secret))


def test_import_reports_every_problem_by_row_and_writes_nothing(client):
    organiser, _user, new = organiser_with_token(scopes=["import"])
    response = _import(client, new.secret, {"commit": True, "rows": [
        {"name": "Dinas Kesehatan", "type": "perangkat_daerah", "email": "dinkes@badung.go.id"},
        {"name": "Puskesmas Mengwi", "type": "perangkat_daerah", "parent": "Dinas Tiada"},
        {"name": "Puskesmas Kuta", "type": "perangkat_daerah", "email": "bukan-surel"},
    ]})
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert {(p["row"], p["column"]) for p in problems} >= {(1, "parent"), (2, "e-mail")}
    assert all(p["message"] for p in problems)
    assert not Institution.objects.filter(organiser=organiser).exists()


def test_import_dry_run_then_commit_with_entries(client):
    organiser, _user, new = organiser_with_token(scopes=["import", "read"])
    edition = public_edition(organiser=organiser, status="open")
    category = edition.categories.order_by("order").first()
    kind = (category.institution_types or ["perangkat_daerah"])[0]
    rows = [{"name": "Dinas Kominfo", "type": kind, "email": "kominfo@badung.go.id",
             "title": "Satu Data Badung", "category": category.key}]
    dry = _import(client, new.secret, {"edition": edition.slug, "rows": rows})
    assert dry.status_code == 200, dry.json()
    assert dry.json()["committed"] is False and dry.json()["institutions_created"] == 1
    assert not Institution.objects.filter(organiser=organiser).exists()
    done = _import(client, new.secret, {"edition": edition.slug, "commit": True, "rows": rows})
    assert done.status_code == 200 and done.json()["entries_created"] == 1
    assert Entry.objects.get(edition=edition).title == "Satu Data Badung"


def test_export_scores_and_the_results_bundle(client, tmp_path):
    from tests.judging.test_bundle_export import _two_closed_stages

    edition, _stages, _judges = _two_closed_stages()
    _organiser, _user, new = organiser_with_token(organiser=edition.organiser,
                                                  scopes=["export"])
    scores = client.get(f"/api/v1/organiser/editions/{edition.slug}/scores",
                        **bearer(new.secret)).json()
    assert scores["count"] > 0
    assert {"stage", "judge", "entry", "criterion", "score"} <= set(scores["items"][0])
    response = client.get(f"/api/v1/organiser/editions/{edition.slug}/bundle",
                          **bearer(new.secret))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    zipfile.ZipFile(io.BytesIO(response.content)).extractall(tmp_path)
    from sayembara.ranking.bundle import verify_bundle

    assert verify_bundle(tmp_path / f"{edition.slug}-bundle").identical


def test_entries_list_keeps_a_constant_number_of_queries(client, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    organiser, _user, new = organiser_with_token(scopes=["read"])
    edition = public_edition(organiser=organiser)
    entry(edition)
    url = f"/api/v1/organiser/editions/{edition.slug}/entries"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url, **bearer(new.secret)).status_code == 200
        return len(captured)

    few = count()
    for _ in range(15):
        entry(edition)
    assert count() == few


def test_a_token_used_too_often_waits_with_retry_after(client, settings):
    settings.SAYEMBARA_API_RATE = 3
    _organiser, _user, new = organiser_with_token(scopes=["read"])
    statuses = [client.get("/api/v1/organiser/audit/head", **bearer(new.secret)).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/organiser/audit/head", **bearer(new.secret))
    assert int(refused["Retry-After"]) >= 1 and refused.json()["detail"]
