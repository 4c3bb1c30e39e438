"""The platform administrator of the demo: one account that reaches the administration."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sayembara.competitions.services.editions import get_or_create_organiser
from sayembara.demo.seed import ACTOR, DEMO_PASSWORD, seed_platform_admin
from tests.demo.conftest import run_again


def _admin_and_an_organiser(*, summary, log):
    seed_platform_admin(summary=summary, log=log)
    get_or_create_organiser(name="BRIDA Kabupaten Badung", actor=ACTOR, timezone_code="WITA",
                            region_name="Kabupaten Badung, Bali")


SEED = _admin_and_an_organiser
pytestmark = pytest.mark.django_db


def test_the_demo_lists_its_platform_administrator_first(seeded):
    username, description = seeded.summary.accounts[0]
    assert username == "admin-platform"
    assert description == "Platform administrator (organisers and their secretariat)"


def test_the_platform_administrator_signs_in_and_sees_the_organisers(seeded, client):
    signed_in = client.post(reverse("accounts:login"),
                            {"username": "admin-platform", "password": DEMO_PASSWORD})
    assert signed_in.status_code == 302
    organisers = client.get(reverse("web:organisers"))
    assert organisers.status_code == 200
    assert "BRIDA Kabupaten Badung" in organisers.content.decode()
    administrators = client.get(reverse("web:administrators")).content.decode()
    assert "Administrator Platform Sayembara" in administrators


def test_the_platform_administrator_is_made_once(seeded):
    rerun = run_again(seed_platform_admin)
    assert rerun.after == rerun.before
    assert rerun.summary.accounts == seeded.summary.accounts[:1]
