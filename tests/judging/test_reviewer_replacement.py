"""An ordinary assigned judge who declares a conflict of interest is replaced at once by
another judge of the stage (the least loaded one without a conflict), so the entry keeps
its number of judges; when nobody is free the organisers hear it by e-mail at once, and
the progress page says so until someone takes the entry."""

import pytest
from django.core import mail
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import StageStatus
from sayembara.judging.models import Assignment
from sayembara.judging.services.assignments import assign, assign_balanced
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from tests.factories_judging import (
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    make_organiser_user,
    open_stage,
    small_template,
)

pytestmark = pytest.mark.django_db


def _stage(judges: int, entries: int = 4, per_entry: int = 2):
    edition = make_edition(template=small_template())
    stage = open_stage(edition.stages.get(key="proposal"))
    panel = [make_judge(edition, name=f"Juri {name}") for name in
             ("Anom", "Bagus", "Cahya", "Dewi", "Eka")[:judges]]
    made = [make_entry(edition, category_key="desa",
                       institution=make_institution(edition, kind="desa"))
            for _ in range(entries)]
    assign_balanced(stage=stage, per_entry=per_entry, actor="test", seed=1)
    return edition, stage, made, panel


def _judges_of(stage, entry):
    return set(Assignment.objects.filter(stage=stage, entry=entry)
               .values_list("judge__name", flat=True))


def _load(stage):
    counts = {}
    for name in Assignment.objects.filter(stage=stage).values_list("judge__name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    return counts


def test_the_least_loaded_free_judge_takes_the_entry_over(client):
    edition, stage, entries, panel = _stage(judges=4)
    entry = entries[0]
    before = _judges_of(stage, entry)
    leaving = next(j for j in panel if j.name in before)
    # One free judge is made busier, so the other free one is the least loaded.
    free = [j for j in panel if j.name not in before]
    busier, lighter = free
    extra_entry = make_entry(edition, category_key="desa",
                             institution=make_institution(edition, kind="desa"))
    assign(stage=stage, judge=busier, entry=extra_entry, actor="test")
    declare_conflict(judge=leaving, entry=entry, reason="Saya pendamping desa ini.",
                     actor=leaving.user)
    after = _judges_of(stage, entry)
    assert len(after) == len(before)
    assert leaving.name not in after and lighter.name in after
    event = AuditEvent.objects.get(action="assignment.reviewer_replaced")
    assert event.after["replacement"] == lighter.pk
    client.force_login(make_organiser_user(edition))
    page = client.get(reverse("jury:stage_progress", args=[edition.slug, stage.key]))
    text = page.content.decode()
    assert f"{leaving.name} withdrew (conflict of interest); {lighter.name} took over." in text
    assert "needs another judge" not in text


def test_a_judge_with_a_conflict_is_never_the_replacement():
    _edition, stage, entries, panel = _stage(judges=3, entries=1, per_entry=2)
    entry = entries[0]
    leaving, staying = (j for j in panel if j.name in _judges_of(stage, entry))
    free = next(j for j in panel if j.name not in _judges_of(stage, entry))
    declare_conflict(judge=free, entry=entry, reason="Kerabat.", actor="test",
                     by_organiser=True)
    mail.outbox.clear()
    declare_conflict(judge=leaving, entry=entry, reason="Kerabat juga.", actor="test")
    assert _judges_of(stage, entry) == {staying.name}


def test_the_organisers_are_told_at_once_when_nobody_is_free(
        client, settings, django_capture_on_commit_callbacks):
    settings.SAYEMBARA_PUBLIC_URL = "https://sayembara.example.go.id"
    edition, stage, entries, panel = _stage(judges=2, entries=1, per_entry=2)
    organiser = make_organiser_user(edition)
    entry = entries[0]
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declare_conflict(judge=panel[0], entry=entry, reason="Kerabat kepala desa.",
                         actor=panel[0].user)
    message, = mail.outbox
    assert message.to == [organiser.email]
    assert message.subject == (f"[{edition.title}] {entry.code} lost a judge at {stage.name} "
                               "and nobody is free")
    assert "Juri Anom declared a conflict of interest" in message.body
    assert "The entry now has 1 judge." in message.body
    assert (f"https://sayembara.example.go.id/juri/kelola/{edition.slug}/tahap/{stage.key}"
            "/progres/") in message.body
    assert AuditEvent.objects.filter(action="assignment.replacement_unavailable").exists()
    client.force_login(organiser)
    url = reverse("jury:stage_progress", args=[edition.slug, stage.key])
    text = client.get(url).content.decode()
    assert "Juri Anom withdrew (conflict of interest); no judge was free to take over." in text
    assert "needs another judge: the organisers were e-mailed" in text
    closing = reverse("jury:stage_close", args=[edition.slug, stage.key])
    page = client.get(closing).content.decode()
    assert "nobody was free to take them over" in page
    assert f"<strong>{entry.code}</strong>" in page and "(Juri Anom withdrew)" in page
    # The organiser adds a judge and gives them the entry: the warnings go.
    newcomer = make_judge(edition, name="Juri Baru")
    assign(stage=stage, judge=newcomer, entry=entry, actor=organiser)
    assert "needs another judge" not in client.get(url).content.decode()
    assert "nobody was free to take them over" not in client.get(closing).content.decode()


def test_closing_is_refused_while_an_entry_is_short_of_a_judge_unless_the_organiser_says_why(
        client):
    from sayembara.documents.services.papers import berita_acara_pdf
    from tests.documents.test_papers import pdf_to_text

    edition, stage, (entry,), (leaving, staying) = _stage(judges=2, entries=1, per_entry=2)
    declare_conflict(judge=leaving, entry=entry, reason="Kerabat kepala desa.",
                     actor=leaving.user)
    save_sheet(stage=stage, judge=staying, entry=entry, values={"manfaat": "80"}, actor="test")
    submit_sheet(stage=stage, judge=staying, entry=entry, actor="test")
    client.force_login(make_organiser_user(edition))
    url = reverse("jury:stage_close", args=[edition.slug, stage.key])
    page = client.get(url).content.decode()
    assert "The stage can be closed once each is given to another judge" in page
    assert f'href="{reverse("jury:stage_panel", args=[edition.slug, stage.key])}"' in page

    # Closing without choosing to is refused, naming the entry and whom it waits for.
    page = client.post(url).content.decode()
    assert (f"{stage.name} cannot be closed yet: a judge left these entries (a conflict of "
            "interest) and nobody has taken them over") in page
    assert f"{entry.code} waits for a judge to take over from Juri Anom." in page
    # Choosing it without a reason is refused too, and the box stays ticked.
    page = client.post(url, {"fewer_judges": "1", "fewer_judges_reason": "  "}
                       ).content.decode()
    assert (f"Write why {stage.name} is closed with fewer judges for {entry.code}; the reason "
            "is kept with the closing and in the minutes.") in page
    assert 'id="fewer-judges" checked' in page
    stage.refresh_from_db()
    assert stage.status == StageStatus.OPEN

    reason = "Tidak ada juri lain yang bebas konflik sebelum batas penetapan."
    closed = client.post(url, {"fewer_judges": "1", "fewer_judges_reason": reason})
    assert closed.status_code == 302
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED
    page = client.get(url).content.decode()
    assert "Closed with fewer judges" in page
    assert f"<strong>{entry.code}</strong> (Juri Anom withdrew)" in page
    assert f"Reason: {reason}" in page
    event = AuditEvent.objects.get(action="stage.closed")
    assert event.reason == reason
    assert event.after["fewer_judges"] == [{"entry": entry.code, "left": ["Juri Anom"]}]
    minutes = " ".join(pdf_to_text(berita_acara_pdf(stage=stage)).split())
    assert (f"the stage was closed with fewer judges for them: {entry.code} (Juri Anom "
            f"withdrew). Reason: {reason}") in minutes


def test_nothing_changes_at_a_closed_stage():
    _edition, stage, entries, panel = _stage(judges=3, entries=1, per_entry=2)
    entry = entries[0]
    leaving = next(j for j in panel if j.name in _judges_of(stage, entry))
    stage.status = StageStatus.CLOSED
    stage.save(update_fields=["status"])
    before = _load(stage)
    declare_conflict(judge=leaving, entry=entry, reason="Kerabat.", actor="test")
    after = _load(stage)
    assert sum(after.values()) == sum(before.values()) - 1
    assert not AuditEvent.objects.filter(action__in=["assignment.reviewer_replaced",
                                                     "assignment.replacement_unavailable"]
                                         ).exists()
