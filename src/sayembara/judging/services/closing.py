"""Opening and closing stages: the engine's proposed list, overrides with a written reason
(penetapan), confirmation that moves entries on or out, and the participants' e-mails."""

from __future__ import annotations

from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.addresses import public_url
from sayembara.common.services.audit import record_event
from sayembara.competitions.enums import EditionStatus, StageStatus
from sayembara.competitions.models import Stage
from sayembara.competitions.services.editions import template_of
from sayembara.competitions.services.status import (
    EditionStatusError,
    advance_edition_status,
    step_problems,
)
from sayembara.entries import reasons as entry_reasons
from sayembara.entries.enums import EntryState
from sayembara.entries.models import Entry
from sayembara.entries.services.entries import set_entry_state
from sayembara.judging.enums import Decision, SheetStatus
from sayembara.judging.models import (
    Assignment,
    FinalResult,
    ScoreSheet,
    StageClosing,
    StageDecision,
    StageResult,
    TieOrder,
)
from sayembara.judging.selectors.progress import EntryProgress, short_of_a_judge
from sayembara.judging.selectors.reasons import TEXT_REASON
from sayembara.judging.services.assignments import Waiting, sheet_in, stage_waiting
from sayembara.judging.services.compute import compute_stage_results
from sayembara.judging.services.errors import JudgingError


def _confirmed(stage: Stage) -> StageClosing | None:
    return StageClosing.objects.filter(stage=stage, confirmed_at__isnull=False).first()


def _refuse_confirmed(stage: Stage) -> None:
    if _confirmed(stage) is not None:
        raise JudgingError(
            _("The list of %(stage)s is already confirmed (penetapan); it can no longer "
              "change.") % {"stage": stage.name}
        )


@transaction.atomic
def open_stage(*, stage: Stage, actor: Any) -> Stage:
    """Open a stage for scoring. At the first stage, entries that passed the administrative
    check enter the stage."""
    given = stage
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(_("%(stage)s is closed and cannot be opened again.")
                           % {"stage": stage.name})
    if stage.status == StageStatus.OPEN:
        return stage
    problems = step_problems(stage.edition, EditionStatus.JUDGING)
    if problems:
        raise JudgingError(" ".join(problems))
    earlier = Stage.objects.filter(edition_id=stage.edition_id, order__lt=stage.order)
    unconfirmed = [s.name for s in earlier if _confirmed(s) is None]
    if unconfirmed:
        raise JudgingError(
            _("Confirm the list of %(stages)s before opening %(stage)s.")
            % {"stages": ", ".join(unconfirmed), "stage": stage.name}
        )
    if not earlier.exists():
        for entry in Entry.objects.filter(edition_id=stage.edition_id,
                                          state=EntryState.PASSED_ADMIN):
            set_entry_state(entry=entry, to_state=EntryState.IN_STAGE, actor=actor, stage=stage,
                            reason_code=entry_reasons.ENTERED_FIRST_STAGE)
    Stage.objects.filter(pk=stage.pk).update(status=StageStatus.OPEN)
    stage.status = given.status = StageStatus.OPEN
    advance_edition_status(edition=stage.edition, status=EditionStatus.JUDGING, actor=actor)
    record_event(actor=actor, action="stage.opened", obj=stage, object_type="competitions.stage",
                 edition_id=stage.edition_id, after={"stage": stage.key})
    return stage


def unsubmitted_sheets(stage: Stage) -> int:
    """Assignments of the stage whose sheet is not submitted."""
    return Assignment.objects.filter(stage=stage).filter(~Exists(sheet_in(stage))).count()


def describe_waiting(waiting: list[Waiting], limit: int = 12) -> str:
    """Which entries wait for whom, in one sentence (the first ``limit`` entries)."""
    parts = []
    for item in waiting[:limit]:
        if item.judges:
            parts.append(_("%(entry)s waits for %(judges)s") % {
                "entry": item.entry.code, "judges": ", ".join(item.judges)})
        else:
            parts.append(_("%(entry)s waits for an extra judge, and none is assigned (add a "
                           "judge to the stage and give them the entry)")
                         % {"entry": item.entry.code})
    text = "; ".join(parts)
    if len(waiting) > limit:
        more = len(waiting) - limit
        text += "; " + ngettext("and %(count)s more entry", "and %(count)s more entries",
                                more) % {"count": more}
    return text


def _left_by(row: EntryProgress) -> list[str]:
    """The judges who left an entry that nobody took over from."""
    return [left for left, taker in row.withdrawals if not taker]


def describe_short(short: list[EntryProgress]) -> str:
    """Which entries wait for a judge to take over from whom, in one sentence."""
    return "; ".join(
        _("%(entry)s waits for a judge to take over from %(judges)s")
        % {"entry": row.code, "judges": ", ".join(_left_by(row))} for row in short)


@transaction.atomic
def close_stage(*, stage: Stage, actor: Any, seed: int | None = None,
                allow_incomplete: bool = False, bootstrap: int | None = None,
                fewer_judges_reason: str | None = None) -> StageClosing:
    """Close a stage: no more scoring, submitted sheets locked, the engine run.

    Refused while an entry waits for the extra judge the engine asks for (the
    third-reviewer rule); while an entry is short of a judge (one left it for a conflict
    of interest and nobody took over) unless the organiser chooses to close with fewer
    judges for it and writes why (``fewer_judges_reason``, kept on the closing, in the
    audit event and in the minutes); and while sheets are still unsubmitted unless
    ``allow_incomplete`` (those sheets then do not count). Each refusal names the entries
    and whom they wait for. The proposed list is then shown for confirmation.
    """
    given = stage
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(_("%(stage)s is already closed.") % {"stage": stage.name})
    waiting = stage_waiting(stage)
    needs_extra = [w for w in waiting if w.extra_judge]
    if needs_extra:
        raise JudgingError(
            _("%(stage)s cannot be closed yet: the first judges of these entries disagree "
              "beyond the threshold of the rules, and the extra judge's scores are still "
              "needed. %(waiting)s.") % {"stage": stage.name,
                                         "waiting": describe_waiting(needs_extra)})
    short = short_of_a_judge(stage)
    if short and fewer_judges_reason is None:
        raise JudgingError(
            _("%(stage)s cannot be closed yet: a judge left these entries (a conflict of "
              "interest) and nobody has taken them over, so each has fewer judges than the "
              "others. %(waiting)s. Give each to another judge under Panel and assignments, "
              "or choose to close with fewer judges for them and write why.")
            % {"stage": stage.name, "waiting": describe_short(short)},
            problems={"fewer_judges": _("Tick to close with fewer judges for these entries.")},
        )
    reason = (fewer_judges_reason or "").strip() if short else ""
    if short and not reason:
        raise JudgingError(
            _("Write why %(stage)s is closed with fewer judges for %(entries)s; the reason "
              "is kept with the closing and in the minutes.")
            % {"stage": stage.name, "entries": ", ".join(row.code for row in short)},
            problems={"fewer_judges_reason": _("This field is required.")},
        )
    fewer = [{"entry": row.code, "left": _left_by(row)} for row in short]
    missing = sum(len(item.judges) for item in waiting)  # the unsubmitted sheets
    if missing and not allow_incomplete:
        raise JudgingError(
            ngettext("%(count)s assigned score sheet of %(stage)s is not submitted yet: "
                     "%(waiting)s. Remind the judge, or confirm that you close the stage "
                     "without it (it will not count).",
                     "%(count)s assigned score sheets of %(stage)s are not submitted yet: "
                     "%(waiting)s. Remind the judges, or confirm that you close the stage "
                     "without them (they will not count).", missing)
            % {"count": missing, "stage": stage.name, "waiting": describe_waiting(waiting)},
            problems={"allow_incomplete": _("Tick to close without the missing sheets.")},
        )
    now = timezone.now()
    ScoreSheet.objects.filter(stage=stage, status=SheetStatus.SUBMITTED).update(
        status=SheetStatus.LOCKED)
    Stage.objects.filter(pk=stage.pk).update(status=StageStatus.CLOSED, closed_at=now)
    stage.status, stage.closed_at = StageStatus.CLOSED, now
    given.status, given.closed_at = StageStatus.CLOSED, now
    closing, _created = StageClosing.objects.get_or_create(stage=stage)
    closing.closed_by = actor if getattr(actor, "pk", None) else None
    closing.fewer_judges, closing.fewer_judges_reason = fewer, reason
    closing.save(update_fields=["closed_by", "fewer_judges", "fewer_judges_reason"])
    record_event(actor=actor, action="stage.closed", obj=stage, object_type="competitions.stage",
                 edition_id=stage.edition_id,
                 after={"stage": stage.key, "unsubmitted_sheets": missing,
                        **({"fewer_judges": fewer} if fewer else {})},
                 reason=reason)
    return recompute_stage(stage=stage, actor=actor, seed=seed, bootstrap=bootstrap)


@transaction.atomic
def recompute_stage(*, stage: Stage, actor: Any, seed: int | None = None,
                    bootstrap: int | None = None) -> StageClosing:
    """Run the engine again (after an override or a correction) and keep its summary."""
    _refuse_confirmed(stage)
    closing, _created = StageClosing.objects.get_or_create(stage=stage)
    seed = closing.seed if seed is None and closing.computed_at else seed
    options = {} if bootstrap is None else {"bootstrap": bootstrap}
    compute_stage_results(stage=stage, actor=actor, seed=seed, **options)
    closing.refresh_from_db()
    return closing


@transaction.atomic
def decide_entry(*, stage: Stage, entry: Entry, decision: str, reason: str, actor: Any
                 ) -> StageDecision | None:
    """Override the rule for one entry (advance, eliminate, disqualify) with a written
    reason, or remove the override (``decision`` empty); the engine runs again."""
    _refuse_confirmed(stage)
    stage.refresh_from_db(fields=["status", "closed_at"])
    if stage.status != StageStatus.CLOSED:
        raise JudgingError(_("Close %(stage)s first; decisions are taken on the proposed list.")
                           % {"stage": stage.name})
    if entry.edition_id != stage.edition_id:
        raise JudgingError(_("The entry does not belong to this edition."))
    existing = StageDecision.objects.filter(stage=stage, entry=entry).first()
    if not decision:
        if existing is not None:
            existing.delete()
            record_event(actor=actor, action="stage.decision_removed", obj=stage,
                         object_type="competitions.stage", edition_id=stage.edition_id,
                         before={"entry": entry.code, "decision": existing.decision,
                                 "reason": existing.reason}, reason=reason.strip())
            recompute_stage(stage=stage, actor=actor)
        return None
    if decision not in Decision.values:
        raise JudgingError(_("Choose a decision: goes on, does not go on or disqualified."),
                           problems={"decision": _("Choose a decision.")})
    if not reason.strip():
        raise JudgingError(
            _("Write the reason for the decision on %(entry)s; a decision that departs from "
              "the rules is recorded with its reason in the minutes.") % {"entry": entry.code},
            problems={"reason": _("This field is required.")},
        )
    before = ({"decision": existing.decision, "reason": existing.reason}
              if existing is not None else None)
    row, _created = StageDecision.objects.update_or_create(
        stage=stage, entry=entry,
        defaults={"decision": decision, "reason": reason.strip(),
                  "actor": actor if getattr(actor, "pk", None) else None},
    )
    record_event(actor=actor, action="stage.decision_recorded", obj=stage,
                 object_type="competitions.stage", edition_id=stage.edition_id, before=before,
                 after={"entry": entry.code, "decision": decision}, reason=reason.strip())
    recompute_stage(stage=stage, actor=actor)
    return row


def last_computed_stage(edition: Any) -> Stage | None:
    """The last stage the engine has run for (the one whose run stores the final ranking)."""
    return (Stage.objects.filter(edition=edition, closing__computed_at__isnull=False)
            .order_by("-order").first())


@transaction.atomic
def record_tie_order(*, edition: Any, orders: dict[int, int], reason: str, actor: Any,
                     ranking: str = "final") -> list[TieOrder]:
    """Record the jury's order (1 first) for entries the tie-break chain left tied in the
    final ranking (or in a special award, ``ranking`` its id), with the reason; the engine
    runs again and its ``recorded_decision`` step places them."""
    stage = last_computed_stage(edition)
    if stage is None:
        raise JudgingError(_("The final ranking has not been computed yet."))
    _refuse_confirmed(stage)
    entries = {e.pk: e for e in Entry.objects.filter(edition=edition, pk__in=list(orders))}
    if len(entries) != len(orders) or len(orders) < 2:
        raise JudgingError(_("Choose the tied entries of this edition to put in order."))
    if sorted(orders.values()) != list(range(1, len(orders) + 1)):
        raise JudgingError(
            _("Give the %(count)s tied entries the places 1 to %(count)s, each place once.")
            % {"count": len(orders)},
            problems={"order": _("Each place once, from 1.")},
        )
    if not reason.strip():
        raise JudgingError(
            _("Write the reason for the order; it is recorded with the decision."),
            problems={"reason": _("This field is required.")},
        )
    rows = []
    for entry_id, order in sorted(orders.items(), key=lambda item: item[1]):
        row, _created = TieOrder.objects.update_or_create(
            edition=edition, ranking=ranking, entry=entries[entry_id],
            defaults={"order": order, "reason": reason.strip(),
                      "actor": actor if getattr(actor, "pk", None) else None},
        )
        rows.append(row)
    record_event(actor=actor, action="ranking.tie_order_recorded", obj=edition,
                 edition_id=edition.pk, after={"ranking": ranking,
                        "order": [entries[row.entry_id].code for row in rows]},
                 reason=reason.strip())
    recompute_stage(stage=stage, actor=actor)
    return rows


def _next_stage(stage: Stage) -> Stage | None:
    return (Stage.objects.filter(edition_id=stage.edition_id, order__gt=stage.order)
            .order_by("order").first())


def _is_last(stage: Stage | None) -> bool:
    return stage is not None and not Stage.objects.filter(
        edition_id=stage.edition_id, order__gt=stage.order).exists()



def _stage_reason(decision: Any, result: Any) -> dict[str, Any]:
    """Why an entry moves at a stage's confirmation, for ``set_entry_state``: the written
    reason of a decision, else the engine's reason as a code (shown in the reader's
    language)."""
    if decision is not None:
        return {"reason": decision.reason}
    if result is None:
        return {"reason_code": entry_reasons.NOT_SCORED}
    if result.reason_code and result.reason_code != TEXT_REASON:
        return {"reason_code": entry_reasons.ENGINE, "reason": result.reason_text,
                "reason_params": {"code": result.reason_code,
                                  "params": result.reason_params or {}}}
    return {"reason": result.reason_text}


@transaction.atomic
def confirm_stage(*, stage: Stage, actor: Any, notes: str = "") -> StageClosing:
    """Confirm the proposed list (penetapan): entries go on or stop, and each participant is
    told by e-mail. Refused while a tie at the cut waits for a decision."""
    stage = Stage.objects.select_for_update().select_related("edition").get(pk=stage.pk)
    if stage.status != StageStatus.CLOSED:
        raise JudgingError(_("Close %(stage)s before confirming its list.")
                           % {"stage": stage.name})
    _refuse_confirmed(stage)
    closing = recompute_stage(stage=stage, actor=actor)
    open_ties = closing.summary.get("open_ties") or []
    if open_ties:
        raise JudgingError(
            _("Entries %(entries)s are tied at the cut and the tie-break chain could not "
              "separate them. Record a decision (with its reason) for each of them, then "
              "confirm.") % {"entries": ", ".join(" = ".join(t) for t in open_ties)}
        )
    results = {r.entry_id: r for r in StageResult.objects.filter(stage=stage)}
    decisions = {d.entry_id: d for d in StageDecision.objects.filter(stage=stage)}
    from sayembara.judging.selectors.jury import stage_entries

    entries = list(stage_entries(stage).select_related("institution"))
    known = {e.pk for e in entries}
    entries += [e for e in Entry.objects.filter(pk__in=[pk for pk in results if pk not in known])]
    next_stage = _next_stage(stage)
    last = next_stage is None
    uji = template_of(stage.edition).public.uji_publik
    finalists_here = uji is not None and uji.after_stage == stage.key
    finals = ({f.entry_id: f for f in FinalResult.objects.filter(edition=stage.edition)}
              if last else {})
    moved = []
    for entry in entries:
        result = results.get(entry.pk)
        decision = decisions.get(entry.pk)
        why = _stage_reason(decision, result)
        if entry.state == EntryState.PASSED_ADMIN:
            entry = set_entry_state(entry=entry, to_state=EntryState.IN_STAGE, actor=actor,
                                    stage=stage, reason_code=entry_reasons.ENTERED_STAGE)
        if decision is not None and decision.decision == Decision.DISQUALIFY:
            target, target_stage = EntryState.DISQUALIFIED, stage
        elif decision is not None and decision.decision == Decision.ELIMINATE:
            target, target_stage = EntryState.ELIMINATED, stage
        elif last:
            final = finals.get(entry.pk)
            has_award = final is not None and bool(final.award_tier_id or final.award_label)
            target, target_stage = (EntryState.WINNER if has_award else EntryState.FINALIST,
                                    stage)
        elif result is not None and result.advanced:
            to_last = _is_last(next_stage)
            target = EntryState.FINALIST if (to_last or finalists_here) else EntryState.IN_STAGE
            target_stage = next_stage
        else:
            target, target_stage = EntryState.ELIMINATED, stage
        if entry.state == target and target != EntryState.IN_STAGE:
            if target_stage != stage and entry.current_stage_id != target_stage.pk:
                # A finalist moving on as a finalist: the life cycle has no finalist ->
                # finalist step, so it passes through "being assessed" at the next stage.
                entry = set_entry_state(entry=entry, to_state=EntryState.IN_STAGE, actor=actor,
                                        stage=target_stage, **why)
                entry = set_entry_state(entry=entry, to_state=target, actor=actor,
                                        stage=target_stage, **why)
                moved.append(entry.pk)
            continue
        set_entry_state(entry=entry, to_state=target, actor=actor, stage=target_stage, **why)
        moved.append(entry.pk)
    closing.confirmed_at = timezone.now()
    closing.confirmed_by = actor if getattr(actor, "pk", None) else None
    closing.notes = notes.strip()
    closing.save(update_fields=["confirmed_at", "confirmed_by", "notes"])
    if last:
        try:
            advance_edition_status(edition=stage.edition, status=EditionStatus.FINISHED,
                                   actor=actor)
        except EditionStatusError as error:
            raise JudgingError(str(error)) from error
    record_event(actor=actor, action="stage.confirmed", obj=stage,
                 object_type="competitions.stage", edition_id=stage.edition_id,
                 after={"stage": stage.key, "advanced": sorted(
                     r.entry.code for r in StageResult.objects.filter(
                         stage=stage, advanced=True).select_related("entry")),
                        "decisions": {d.entry.code: d.decision for d in decisions.values()}},
                 reason=notes.strip())
    from sayembara.judging.tasks import send_stage_outcome

    for entry_id in moved:
        transaction.on_commit(
            lambda entry_id=entry_id: send_stage_outcome.enqueue(stage.pk, entry_id))
    return closing


def outcome_recipients(entry: Entry) -> list[str]:
    emails = [entry.institution.email] if entry.institution.email else []
    if entry.created_by_id and entry.created_by.email:
        emails.append(entry.created_by.email)
    return sorted(set(emails))


def _result_reason(result: StageResult) -> str:
    """The engine's reason in the reader's language, its score shown by the one rule."""
    return result.reason_text


def deliver_outcome(*, stage_id: int, entry_id: int) -> None:
    """E-mail the participant whether the entry went on (and why, in the engine's words)."""
    stage = Stage.objects.select_related("edition").get(pk=stage_id)
    entry = Entry.objects.select_related("institution", "created_by").get(pk=entry_id)
    recipients = outcome_recipients(entry)
    if not recipients:
        return
    result = StageResult.objects.filter(stage=stage, entry=entry).first()
    decision = StageDecision.objects.filter(stage=stage, entry=entry).first()
    passed = entry.state in (EntryState.IN_STAGE, EntryState.FINALIST, EntryState.WINNER) and \
        (result is not None and result.advanced)
    if entry.state == EntryState.WINNER:
        final = FinalResult.objects.filter(entry=entry).first()
        headline = _("Congratulations: %(entry)s is among the winners of %(edition)s%(award)s.") % {
            "entry": entry.title, "edition": stage.edition.title,
            "award": f" ({final.award_label})" if final and final.award_label else ""}
    elif passed:
        headline = _("%(entry)s passed %(stage)s and goes on to the next stage.") % {
            "entry": entry.title, "stage": stage.name}
    else:
        headline = _("%(entry)s did not pass %(stage)s.") % {"entry": entry.title,
                                                             "stage": stage.name}
    why = decision.reason if decision else (_result_reason(result) if result else "")
    subject = _("%(edition)s: result of %(stage)s") % {"edition": stage.edition.title,
                                                      "stage": stage.name}
    body = headline + "\n\n" + (_("Reason: %(reason)s") % {"reason": why} if why else "") + \
        "\n\n" + _("Entry number: %(code)s") % {"code": entry.code} + "\n" + \
        _("Status and history:\n%(link)s\n") % {
            "link": public_url("participation:entry_detail", entry.pk)}
    send_mail(subject, body, None, recipients)
