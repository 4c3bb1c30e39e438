"""An uji publik that can be run: the organiser sets its days, the results page shows the
finalists put to the public, and whoever sent support or an objection hears the ruling."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.judging.enums import FeedbackKind, RulingOutcome
from sayembara.judging.services.closing import close_stage, confirm_stage
from sayembara.judging.services.errors import JudgingError
from sayembara.judging.services.public import (
    rule_on_feedback,
    set_uji_publik_dates,
    submit_public_feedback,
    uji_publik_window,
)
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from sayembara.template_format import load_template
from tests.factories_judging import (
    default_values,
    make_edition,
    make_entry,
    make_judge,
    make_organiser_user,
    open_stage,
    small_template,
)

pytestmark = pytest.mark.django_db


def _edition():
    template = small_template(top_n=1, extra="""
public:
  uji_publik: {after_stage: proposal, days: 5}
""")
    edition = make_edition(template=template)
    stage = open_stage(edition.stages.get(key="proposal"))
    judge = make_judge(edition)
    entries = [make_entry(edition, category_key="opd", title=title)
               for title in ("Layanan Keliling Malam", "Antrean Daring")]
    from sayembara.judging.services.assignments import assign

    for index, entry in enumerate(entries):
        assign(stage=stage, judge=judge, entry=entry, actor="s")
        save_sheet(stage=stage, judge=judge, entry=entry, actor="s",
                   values=default_values(0, index, "opd"))
        submit_sheet(stage=stage, judge=judge, entry=entry, actor="s")
    close_stage(stage=stage, actor="s", bootstrap=0)
    return edition, stage, entries


def _send(entry, kind=FeedbackKind.OBJECTION, now=None):
    return submit_public_feedback(entry=entry, kind=kind, name="Ni Made Warga",
                                  email="warga@contoh.id", text="Inovasi belum berjalan.",
                                  now=now)


def test_the_organiser_sets_the_days_and_the_window_follows_them():
    edition, stage, entries = _edition()
    first, last = dt.date(2030, 3, 2), dt.date(2030, 3, 9)
    set_uji_publik_dates(edition=edition, opens_on=first, closes_on=last, actor="s")
    window = uji_publik_window(edition)
    assert window.opens_at is None  # not before the finalists are confirmed
    assert (window.first_day, window.last_day) == (first, last)
    confirm_stage(stage=stage, actor="s")
    window = uji_publik_window(edition)
    zone = edition.zoneinfo
    assert window.opens_at == dt.datetime(2030, 3, 2, 0, 0, tzinfo=zone)
    assert window.closes_at == dt.datetime(2030, 3, 9, 23, 59, 59, tzinfo=zone)
    with pytest.raises(JudgingError, match="The public-test window opens on 2 March 2030"):
        _send(entries[0], now=dt.datetime(2030, 3, 1, 23, 0, tzinfo=zone))
    assert _send(entries[0], now=dt.datetime(2030, 3, 9, 20, 0, tzinfo=zone)).pk
    with pytest.raises(JudgingError, match="closed on 9 March 2030"):
        _send(entries[0], now=dt.datetime(2030, 3, 10, 0, 1, tzinfo=zone))
    event = AuditEvent.objects.filter(action="uji_publik.dates_set").get()
    assert event.after == {"opens_on": "2030-03-02", "closes_on": "2030-03-09"}


def test_without_days_the_window_follows_the_template():
    edition, stage, _entries = _edition()
    closing = confirm_stage(stage=stage, actor="s")
    window = uji_publik_window(edition)
    day_after = closing.confirmed_at.astimezone(edition.zoneinfo).date() + dt.timedelta(days=1)
    assert window.opens_at.date() == day_after
    assert window.closes_at.date() == day_after + dt.timedelta(days=4)


@pytest.mark.parametrize(("opens_on", "closes_on", "message"), [
    (dt.date(2030, 3, 2), None, "Give both the first and the last day"),
    (None, dt.date(2030, 3, 2), "Give both the first and the last day"),
    (dt.date(2030, 3, 9), dt.date(2030, 3, 2), "comes before its first day"),
])
def test_days_that_do_not_make_a_window_are_refused(opens_on, closes_on, message):
    edition, _stage, _entries = _edition()
    with pytest.raises(JudgingError, match=message):
        set_uji_publik_dates(edition=edition, opens_on=opens_on, closes_on=closes_on,
                             actor="s")
    edition.refresh_from_db()
    assert edition.uji_publik_opens_on is None


def test_an_edition_without_uji_publik_refuses_days():
    edition = make_edition()
    with pytest.raises(JudgingError, match="has no public-test window"):
        set_uji_publik_dates(edition=edition, opens_on=dt.date(2030, 3, 2),
                             closes_on=dt.date(2030, 3, 3), actor="s")


def test_the_objections_page_saves_the_days_and_keeps_a_refused_entry(client):
    edition, _stage, _entries = _edition()
    client.force_login(make_organiser_user(edition))
    url = reverse("jury:objections", args=[edition.slug])
    response = client.post(url, {"opens_on": "2030-03-09", "closes_on": "2030-03-02"})
    page = response.content.decode()
    assert "comes before its first day" in page
    assert 'value="2030-03-09"' in page and 'value="2030-03-02"' in page
    response = client.post(url, {"opens_on": "2030-03-02", "closes_on": "2030-03-09"},
                           follow=True)
    assert "The days of the uji publik are saved." in response.content.decode()
    assert "2 March 2030" in response.content.decode()
    edition.refresh_from_db()
    assert edition.uji_publik_closes_on == dt.date(2030, 3, 9)


def test_the_results_page_shows_the_finalists_under_uji_publik(client):
    from sayembara.competitions.models import Edition

    edition, stage, entries = _edition()
    Edition.objects.filter(pk=edition.pk).update(status="judging")
    results = reverse("public:results", args=[edition.slug])
    assert "The finalists and results are not published yet." in \
        client.get(results).content.decode()
    confirm_stage(stage=stage, actor="s")
    page = client.get(results).content.decode()
    assert "Finalists under uji publik" in page
    assert "Layanan Keliling Malam" in page and "Antrean Daring" not in page
    assert "The finalists and results are not published yet." not in page
    assert reverse("public:uji_publik", args=[edition.slug]) in page


def test_the_sender_hears_the_ruling_by_email_with_the_sites_address(
        settings, django_capture_on_commit_callbacks):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.example.go.id"
    edition, stage, entries = _edition()
    closing = confirm_stage(stage=stage, actor="s")
    objection = _send(entries[0], now=closing.confirmed_at + dt.timedelta(days=1))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        rule_on_feedback(feedback=objection, outcome=RulingOutcome.DISMISSED,
                         ruling="Verifikasi lapangan membuktikan inovasi berjalan sejak 2022.",
                         actor="s")
    message, = mail.outbox
    assert message.to == ["warga@contoh.id"]
    assert message.subject == (f"[{edition.title}] Ruling on your objection about "
                               f"{entries[0].code}")
    assert "Ruling: Objection dismissed" in message.body
    assert "Verifikasi lapangan membuktikan inovasi berjalan sejak 2022." in message.body
    assert f"https://sayembara.example.go.id/publik/{edition.slug}/uji-publik/" in message.body
    with django_capture_on_commit_callbacks(execute=True):  # the same ruling again: no mail
        rule_on_feedback(feedback=objection, outcome=RulingOutcome.DISMISSED,
                         ruling="Verifikasi lapangan membuktikan inovasi berjalan sejak 2022.",
                         actor="s")
    assert len(mail.outbox) == 1


def test_the_national_complaint_competition_has_its_uji_publik():
    rule = load_template("pengaduan-2020").public.uji_publik
    assert (rule.after_stage, rule.days) == ("evaluasi", 5)
