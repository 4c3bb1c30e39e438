"""Every list page of the jury answers in the same number of queries at two sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sayembara.judging.enums import FeedbackKind
from sayembara.judging.models import Objection
from sayembara.judging.services.closing import close_stage
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.field import save_field_check, save_field_visit
from sayembara.judging.services.schedule import schedule_stage
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import default_values, make_judge, make_organiser_user, scored_stage

pytestmark = pytest.mark.django_db


def _world(per_category: int, judges: int):
    edition, stage, entries, panel = scored_stage(entries_per_category=per_category,
                                                  judges=judges)
    for j, judge in enumerate(panel):
        for entry in entries:
            same = [e for e in entries if e.category_id == entry.category_id]
            save_sheet(stage=stage, judge=judge, entry=entry,
                       values=default_values(j, same.index(entry), entry.category.key),
                       comments={"kebaruan": "ok"} if entry.category.key == "opd" else {},
                       actor="s")
            submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    extra = make_judge(edition)
    for entry in entries:
        declare_conflict(judge=extra, entry=entry, reason="Uji", actor="s", by_organiser=True)
        Objection.objects.create(entry=entry, kind=FeedbackKind.OBJECTION, name="W",
                                 email="w@example.id", text="Keberatan")
    start = dt.datetime(2024, 8, 26, 8, 0, tzinfo=edition.zoneinfo)
    schedule_stage(stage=stage, entries=entries, first_start=start, actor="s",
                   rooms=["Ruang A", "Ruang B"], presentation_minutes=7, questions_minutes=13)
    for entry in entries:
        visit = save_field_visit(stage=stage, entry=entry, actor="s",
                                 visited_on=dt.date(2024, 8, 1), visitors=panel)
        save_field_check(visit=visit, criterion_key=stage.rubric_for(entry.category_id)
                         .criteria.first().key, finding="proven", actor="s")
    close_stage(stage=stage, actor="s", bootstrap=50)
    return edition, stage, entries, panel


PAGES = [
    ("home", "judge", lambda e, s: reverse("jury:home")),
    ("manage", "organiser", lambda e, s: reverse("jury:manage", args=[e.slug])),
    ("judges", "organiser", lambda e, s: reverse("jury:judges", args=[e.slug])),
    ("conflicts", "organiser", lambda e, s: reverse("jury:conflicts", args=[e.slug])),
    ("objections", "organiser", lambda e, s: reverse("jury:objections", args=[e.slug])),
    ("final_results", "organiser", lambda e, s: reverse("jury:final_results", args=[e.slug])),
    ("stage_panel", "organiser", lambda e, s: reverse("jury:stage_panel", args=[e.slug, s.key])),
    ("stage_progress", "organiser",
     lambda e, s: reverse("jury:stage_progress", args=[e.slug, s.key])),
    ("schedule", "organiser", lambda e, s: reverse("jury:schedule", args=[e.slug, s.key])),
    ("field_minutes", "organiser",
     lambda e, s: reverse("jury:field_minutes", args=[e.slug, s.key])),
    ("stage_results", "organiser",
     lambda e, s: reverse("jury:stage_results", args=[e.slug, s.key])),
    ("stage_close", "organiser", lambda e, s: reverse("jury:stage_close", args=[e.slug, s.key])),
]


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker):
    """A small and a larger edition, built once for the module and rolled back at its end."""
    from django.db import transaction
    from django.test import override_settings

    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        built = []
        for per_category, judges in ((2, 2), (5, 4)):
            edition, stage, _entries, panel = _world(per_category, judges)
            built.append((edition, stage, panel[0].user, make_organiser_user(edition)))
        yield built
        transaction.set_rollback(True)


@pytest.mark.parametrize(("page", "role", "url"), PAGES, ids=[p[0] for p in PAGES])
def test_jury_list_page_query_count_does_not_grow(client, worlds, page, role, url):
    counts = []
    for edition, stage, judge_user, organiser_user in worlds:
        client.force_login(judge_user if role == "judge" else organiser_user)
        _count(client, url(edition, stage))  # warm the template and rules caches
        counts.append(_count(client, url(edition, stage)))
        client.logout()
    assert counts[0] == counts[1], f"{page}: {counts[0]} queries for the small edition, " \
                                   f"{counts[1]} for the larger one"
