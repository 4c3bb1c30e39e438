"""At a stage where the whole panel scores every entry (an interview, a jury round), a
member with a conflict of interest recuses: the other members score the entry, nobody is
e-mailed, closing is not held up, the entry needs one judge fewer, and the organiser, the
judge and the minutes say so. At a stage where each entry has its own judges, the judge
is replaced instead (tests/judging/test_reviewer_replacement.py)."""

from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from sayembara.common.models import AuditEvent
from sayembara.competitions.enums import StageStatus
from sayembara.judging.models import Assignment, ReviewerWithdrawal, StageResult
from sayembara.judging.services.assignments import assign_balanced, assign_everyone
from sayembara.judging.services.conflicts import declare_conflict
from sayembara.judging.services.sheets import save_sheet, submit_sheet
from sayembara.template_format import parse_template
from tests.factories_judging import (
    SMALL_TEMPLATE,
    make_edition,
    make_entry,
    make_institution,
    make_judge,
    make_organiser_user,
    open_stage,
)

pytestmark = pytest.mark.django_db

_editions = iter(range(9000, 10000))


def _panel_stage(*, judges: int = 3, entries: int = 1, min_judges: int = 1):
    """The proposal stage of a small edition, open, the whole panel given every entry."""
    text = SMALL_TEMPLATE.format(n=next(_editions), top_n=2).replace(
        "    advance: {scope: category, top_n: 2}\n",
        "    advance: {scope: category, top_n: 2}\n"
        f"    aggregation: {{min_judges: {min_judges}}}\n", 1)
    edition = make_edition(template=parse_template(text, source="uji.yaml"))
    stage = open_stage(edition.stages.get(key="proposal"))
    panel = [make_judge(edition, name=f"Juri {name}") for name in
             ("Anom", "Bagus", "Cahya", "Dewi")[:judges]]
    made = [make_entry(edition, category_key="desa",
                       institution=make_institution(edition, kind="desa"))
            for _ in range(entries)]
    assign_everyone(stage=stage, actor="test")
    return edition, stage, made, panel


def _submit(stage, judge, entry, value="80"):
    save_sheet(stage=stage, judge=judge, entry=entry, values={"manfaat": value}, actor="test")
    submit_sheet(stage=stage, judge=judge, entry=entry, actor="test")


def test_a_panel_member_reads_that_declaring_a_conflict_is_a_recusal(client):
    _edition, stage, (entry,), (anom, *_others) = _panel_stage()
    client.force_login(anom.user)
    url = reverse("jury:conflict_declare", args=[stage.pk, entry.pk])
    page = client.get(url).content.decode()
    assert (f"You recuse from scoring entry {entry.code} at {stage.name}: it leaves your list "
            "and the other panel members score it.") in page
    assert "given to another judge" not in page

    page = client.post(url, {"reason": "Kepala desa ini kerabat saya."}, follow=True)
    text = page.content.decode()
    assert (f"The conflict of interest is recorded and you recuse from {entry.code} at "
            f"{stage.name}: the other panel members score it.") in text
    assert "The secretariat will give it to another judge" not in text
    assert f'href="{reverse("jury:sheet", args=[stage.pk, entry.pk])}"' not in text


def test_a_recusal_e_mails_nobody_and_the_organiser_reads_it_on_the_progress_page(
        client, django_capture_on_commit_callbacks):
    edition, stage, (entry,), (anom, bagus, cahya) = _panel_stage()
    organiser = make_organiser_user(edition)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        declare_conflict(judge=anom, entry=entry, reason="Kerabat kepala desa.",
                         actor=anom.user)
    assert mail.outbox == []
    assert set(Assignment.objects.filter(stage=stage, entry=entry)
               .values_list("judge__name", flat=True)) == {bagus.name, cahya.name}
    assert not ReviewerWithdrawal.objects.exists()
    event = AuditEvent.objects.get(action="judge.conflict_declared")
    assert event.after["recused_at_stages"] == [stage.pk]

    client.force_login(organiser)
    text = client.get(reverse("jury:stage_progress", args=[edition.slug, stage.key])
                      ).content.decode()
    assert ("Juri Anom recused for a conflict of interest; the other panel members score the "
            "entry.") in text
    assert "needs another judge" not in text
    assert "withdrew" not in text
    panel = client.get(reverse("jury:stage_panel", args=[edition.slug, stage.key])
                       ).content.decode()
    assert ("Every judge scores every entry at this stage: a judge with a conflict of interest "
            "recuses from that entry, and the other judges score it.") in panel


def test_a_panel_stage_with_a_recusal_closes_and_the_minutes_say_who_recused(client):
    from sayembara.documents.services.papers import berita_acara_pdf
    from tests.documents.test_papers import pdf_to_text

    edition, stage, (entry, other), (anom, bagus, cahya) = _panel_stage(entries=2)
    declare_conflict(judge=anom, entry=entry, reason="Kerabat kepala desa.", actor=anom.user)
    for judge in (bagus, cahya):
        _submit(stage, judge, entry)
    for judge in (anom, bagus, cahya):
        _submit(stage, judge, other, "70")
    client.force_login(make_organiser_user(edition))
    url = reverse("jury:stage_close", args=[edition.slug, stage.key])
    page = client.get(url).content.decode()
    assert "Recusals" in page
    assert f"<strong>{entry.code}</strong> · {entry.title}: Juri Anom recused" in page
    assert "nobody was free to take them over" not in page

    closed = client.post(url)
    assert closed.status_code == 302
    stage.refresh_from_db()
    assert stage.status == StageStatus.CLOSED
    assert f"<strong>{entry.code}</strong> · {entry.title}: Juri Anom recused" in (
        client.get(url).content.decode())
    assert StageResult.objects.get(stage=stage, entry=entry).judges_count == 2
    minutes = " ".join(pdf_to_text(berita_acara_pdf(stage=stage)).split())
    assert ("A member of the panel recused for a conflict of interest and did not score this "
            f"entry; it was scored by the other members: Juri Anom from {entry.code}."
            ) in minutes
    assert "fewer judges" not in minutes


def test_a_recusal_lowers_the_minimum_number_of_judges_for_that_entry_only():
    from sayembara.documents.services.papers import berita_acara_pdf
    from sayembara.judging.services.closing import close_stage
    from tests.documents.test_papers import pdf_to_text

    _edition, stage, (recused, short), (anom, bagus, cahya) = _panel_stage(
        entries=2, min_judges=3)
    declare_conflict(judge=anom, entry=recused, reason="Kerabat.", actor="test")
    for judge in (bagus, cahya):
        _submit(stage, judge, recused)
        _submit(stage, judge, short, "70")
    close_stage(stage=stage, actor="test", allow_incomplete=True, bootstrap=0)
    scored = StageResult.objects.get(stage=stage, entry=recused)
    missing = StageResult.objects.get(stage=stage, entry=short)
    assert (scored.score, scored.judges_count) == (80, 2)
    assert missing.score is None
    assert missing.reason_text == "Not scored: 2 counted judges' sheets, at least 3 needed."
    minutes = " ".join(pdf_to_text(berita_acara_pdf(stage=stage)).split())
    assert ("An entry needs at least 3 judges' scores, less one for each member who recused "
            "from it.") in minutes


def test_a_panel_member_recusing_leaves_an_entry_unscored_with_the_recusal_named():
    from sayembara.judging.services.closing import close_stage

    _edition, stage, (entry,), (anom, bagus, cahya, dewi) = _panel_stage(
        judges=4, min_judges=4)
    declare_conflict(judge=anom, entry=entry, reason="Kerabat.", actor="test")
    for judge in (bagus, cahya):
        _submit(stage, judge, entry)
    close_stage(stage=stage, actor="test", allow_incomplete=True, bootstrap=0)
    result = StageResult.objects.get(stage=stage, entry=entry)
    assert result.score is None
    assert result.reason_text == (
        "Not scored: 2 counted judges' sheets, at least 3 needed (the panel members who "
        "recused for a conflict of interest, 1, are not needed).")


def test_a_stage_assigned_per_entry_after_a_panel_assignment_replaces_again():
    edition, stage, (entry,), (anom, bagus, cahya) = _panel_stage()
    Assignment.objects.filter(stage=stage).delete()
    assign_balanced(stage=stage, per_entry=2, actor="test", seed=1)
    leaving = Assignment.objects.filter(stage=stage, entry=entry).first().judge
    declare_conflict(judge=leaving, entry=entry, reason="Kerabat.", actor="test")
    withdrawal = ReviewerWithdrawal.objects.get()
    assert withdrawal.judge == leaving and withdrawal.replacement is not None
    stage.refresh_from_db()
    assert not stage.whole_panel
    assert Assignment.objects.filter(stage=stage, entry=entry).count() == 2


def test_the_results_bundle_carries_the_recusal_and_recomputes_the_same(tmp_path: Path):
    from sayembara.judging.services.bundle import export_edition_bundle
    from sayembara.judging.services.closing import close_stage
    from sayembara.ranking.bundle import verify_bundle

    edition, stage, (recused, short), (anom, bagus, cahya) = _panel_stage(
        entries=2, min_judges=3)
    declare_conflict(judge=anom, entry=recused, reason="Kerabat.", actor="test")
    for judge in (bagus, cahya):
        _submit(stage, judge, recused)
        _submit(stage, judge, short, "70")
    close_stage(stage=stage, actor="test", allow_incomplete=True, bootstrap=0)
    out = tmp_path / "paket"
    export_edition_bundle(edition=edition, out_dir=out, keep_judge_names=True, actor="test")
    assert (out / "inputs" / "recusals.csv").read_text() == (
        f"stage,entry,judge\nproposal,{recused.code},Juri Anom\n")
    assert verify_bundle(out).identical
