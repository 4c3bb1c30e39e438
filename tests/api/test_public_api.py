"""The public API: what the public pages show, as JSON, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories_public import entry, final_result, public_edition, publish

pytestmark = pytest.mark.django_db


def test_editions_and_one_edition_in_plain_data(client):
    edition = public_edition()
    listed = client.get("/api/v1/editions").json()
    assert [item["slug"] for item in listed["items"]] == [edition.slug]
    assert listed["count"] == 1 and listed["pages"] == 1
    one = client.get(f"/api/v1/editions/{edition.slug}").json()
    assert one["title"] == edition.title
    assert [c["key"] for c in one["categories"]] == list(
        edition.categories.order_by("order").values_list("key", flat=True))
    assert [s["key"] for s in one["stages"]] == list(
        edition.stages.order_by("order").values_list("key", flat=True))
    assert one["stages"][0]["weight"] and one["awards"]
    assert any(section["sentences"] for section in one["rules"])
    competitions = client.get("/api/v1/competitions").json()
    assert competitions["items"][0]["editions"] == [edition.slug]


def test_a_draft_edition_is_not_found(client):
    edition = public_edition(status="draft")
    response = client.get(f"/api/v1/editions/{edition.slug}")
    assert response.status_code == 404
    assert response.json()["detail"]


def test_results_only_once_published_with_the_chosen_breakdown(client):
    edition = public_edition()
    winner = entry(edition, state="winner", title="Mal Pelayanan Publik Digital")
    final_result(winner, rank=1, total="91.5", tier_key=edition.award_tiers.first().key)
    url = f"/api/v1/editions/{edition.slug}/results"
    assert client.get(url).json()["published"] is False
    publish(edition, breakdown="ranks")
    data = client.get(url).json()
    row = data["categories"][0]["rows"][0]
    assert data["published"] and data["breakdown"] == "ranks"
    assert row["title"] == "Mal Pelayanan Publik Digital" and row["rank"] == 1
    assert row["total"] is None  # ranks only: the organiser did not publish the totals


def test_catalogue_filters_as_on_its_page(client):
    edition = public_edition(year=2024)
    entry(edition, title="Sistem Antrean Puskesmas", region="Kecamatan Kuta, Kabupaten Badung")
    entry(edition, title="Aplikasi Pajak Daerah")
    entry(edition, title="Masih Draf", state="draft")
    found = client.get("/api/v1/catalogue", {"q": "antrean"}).json()
    assert [i["title"] for i in found["items"]] == ["Sistem Antrean Puskesmas"]
    by_region = client.get("/api/v1/catalogue",
                           {"region": "Kecamatan Kuta, Kabupaten Badung"}).json()
    assert [i["title"] for i in by_region["items"]] == ["Sistem Antrean Puskesmas"]
    everything = client.get("/api/v1/catalogue", {"year": 2024}).json()
    assert everything["count"] == 2  # the draft is not public
    filters = client.get("/api/v1/catalogue/filters").json()
    assert 2024 in filters["years"]


def test_bad_parameters_are_refused_with_a_reason(client):
    assert client.get("/api/v1/catalogue", {"year": "tahun lalu"}).status_code == 422
    assert client.get("/api/v1/editions", {"page": 0}).status_code == 422
    assert client.get("/api/v1/editions", {"page": 10**30}).status_code == 422
    response = client.get("/api/v1/catalogue", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_certificate_verification_by_code(client):
    response = client.get("/api/v1/certificates/ABCDE-FGHJK-12")
    assert response.status_code == 404
    assert response.json()["detail"]


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params or {}).status_code == 200
    return len(captured)


def test_paginated_lists_keep_a_constant_number_of_queries(client):
    edition = public_edition()
    entry(edition)
    client.get("/api/v1/catalogue/filters")  # warm the template cache of the edition
    small = {url: _queries(client, url) for url in (
        "/api/v1/catalogue", "/api/v1/editions", "/api/v1/competitions")}
    for _ in range(12):
        entry(public_edition(), state="winner")
    large = {url: _queries(client, url) for url in small}
    assert large == small


def test_an_unknown_parameter_is_refused_not_ignored(client):
    response = client.get("/api/v1/catalogue", {"tahun": 2024})
    assert response.status_code == 422
    assert "tahun" in response.json()["detail"][0]["msg"]
