"""The fifteen most used pages pass axe-core (the accessibility engine, injected into Debian's
Chromium through Playwright) with no serious or critical violation, at desktop and phone size.

The pages are those of the demo's Mangupura Award (2023 published, 2024 being judged), seen by
the people who use them most: a citizen, the organiser's secretariat, a judge and an operator.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from sayembara.competitions.models import Edition
from sayembara.demo.seed import seed_mangupura
from sayembara.entries.models import Entry
from sayembara.judging.models import Assignment
from tests.conftest import new_page, signed_in_page

SEED = seed_mangupura
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": (1366, 768), "phone": (390, 844)}
SEVERE = {"serious", "critical"}


def _pages(seeded) -> list[tuple[str, str, str]]:
    """(who, what, address) of the fifteen pages."""
    from django.contrib.auth import get_user_model

    now = seeded.edition
    past = Edition.objects.get(competition=now.competition, year=now.year - 1)
    first, second, _third = now.stages.order_by("order")
    judge = get_user_model().objects.get(username="juri2")
    seat = Assignment.objects.filter(stage=second, judge__user=judge).select_related(
        "entry").first()
    operator_entry = Entry.objects.filter(
        edition=now, institution__memberships__user__username="operator").first()
    return [
        ("anonymous", "public home", reverse("public:index")),
        ("anonymous", "published results", reverse("public:results", args=[past.slug])),
        ("anonymous", "innovation catalogue", reverse("public:catalogue")),
        ("anonymous", "certificate check", reverse("public:certificate_lookup")),
        ("anonymous", "sign in", reverse("accounts:login")),
        ("penyelenggara", "dashboard", reverse("web:home")),
        ("penyelenggara", "edition", reverse("web:edition_dashboard", args=[now.slug])),
        ("penyelenggara", "rules", reverse("web:edition_rules", args=[now.slug])),
        ("penyelenggara", "stage recap", reverse("jury:stage_results",
                                                 args=[now.slug, first.key])),
        ("penyelenggara", "stage progress", reverse("jury:stage_progress",
                                                    args=[now.slug, second.key])),
        ("penyelenggara", "charts", reverse("public:charts", args=[past.slug])),
        ("juri2", "judge's list", reverse("jury:home")),
        ("juri2", "scoring sheet", reverse("jury:sheet", args=[second.pk, seat.entry_id])),
        ("operator", "operator's list", reverse("participation:home")),
        ("operator", "entry", reverse("participation:entry_detail", args=[operator_entry.pk])),
    ]


def _severe(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    found = []
    for violation in results.response["violations"]:
        if violation.get("impact") in SEVERE:
            targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
            found.append(f"{violation['id']} ({violation['impact']}): {violation['help']} "
                         f"at {targets}")
    return found


def test_most_used_pages_have_no_serious_accessibility_violation(seeded, live_server, browser,
                                                                  settings):
    from django.contrib.auth import get_user_model

    settings.ALLOWED_HOSTS = ["*"]
    # The charts page as first seen, while the worker draws: its tables stand in.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    pages = _pages(seeded)
    assert len(pages) == 15
    problems = []
    for who, what, address in pages:
        for size, (width, height) in SIZES.items():
            if who == "anonymous":
                context, page = new_page(browser, width=width, height=height)
            else:
                user = get_user_model().objects.get(username=who)
                context, page = signed_in_page(browser, live_server, user, width=width,
                                               height=height)
            response = page.goto(live_server.url + address)
            assert response.status == 200, (who, what, address, response.status)
            problems += [f"{what} as {who} ({size}): {item}" for item in _severe(page)]
            context.close()
    assert problems == [], "\n".join(problems)
