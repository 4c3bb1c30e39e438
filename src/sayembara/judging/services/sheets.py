"""Score sheets: drafts saved as the judge types, submission (which locks), corrections.

Every function here refuses, with a sentence saying what to do, a score outside its
criterion's range, a score for an entry the judge is not assigned to or is conflicted with,
a change after the stage closed and a change from a tab that is behind another one; a
refused request changes nothing, so nothing already saved is lost.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sayembara.common.formats import rounded
from sayembara.common.params import shown
from sayembara.common.services.audit import record_event
from sayembara.common.timetext import moment_text
from sayembara.competitions.enums import StageStatus
from sayembara.competitions.models import Criterion, Stage
from sayembara.competitions.services.editions import freeze_rules
from sayembara.entries.models import Entry
from sayembara.judging.enums import SheetStatus
from sayembara.judging.models import Assignment, Judge, Score, ScoreCorrection, ScoreSheet
from sayembara.judging.selectors.rubrics import CriterionSpec, criterion_specs
from sayembara.judging.services.assignments import check_same_edition
from sayembara.judging.services.conflicts import conflict_message, conflict_of
from sayembara.judging.services.errors import JudgingError, StaleSheet

DECIMAL_PLACES = 3


def _plain(value: Decimal) -> str:
    """A score as people write it: 7.5, not 7.500."""
    text = format(value.normalize(), "f")
    return text


#: A score as typed: an optional sign, at most 9 digits, at most 9 decimals.
_SCORE_TEXT = re.compile(r"^[+-]?[0-9]{1,9}(\.[0-9]{1,9})?$|^[+-]?\.[0-9]{1,9}$")


def parse_score(raw: Any) -> Decimal | None:
    """A score from a form or an API: '', None -> None; '7,5' and '7.5' -> Decimal('7.5').

    Raises ValueError for anything that is not a finite number.
    """
    if raw is None:
        return None
    if isinstance(raw, Decimal):
        value = raw
    elif isinstance(raw, int | float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(",", ".")
        if not text:
            return None
        if not _SCORE_TEXT.match(text):
            # Exponents (1e999999), long digit runs and anything else a person does not type
            # as a score; Decimal would accept some of them and then overflow or print a
            # million digits back.
            raise ValueError(text)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(str(raw))
    return value


def check_value(spec: CriterionSpec, raw: Any) -> tuple[Decimal | None, str | None]:
    """The parsed score of one criterion, or the sentence saying why it is refused."""
    criterion = spec.criterion
    try:
        value = parse_score(raw)
    except ValueError:
        return None, _(
            "“%(value)s” is not a number. Give %(criterion)s a score from %(min)s to %(max)s, "
            "for example %(max)s."
        ) % {"value": shown(raw), "criterion": criterion.name,
             "min": _plain(criterion.min_score),
             "max": _plain(criterion.max_score)}
    if value is None:
        return None, None
    if value < criterion.min_score or value > criterion.max_score:
        return None, _(
            "%(value)s is outside the range of %(criterion)s: give a score from %(min)s to "
            "%(max)s."
        ) % {"value": _plain(value), "criterion": criterion.name,
             "min": _plain(criterion.min_score), "max": _plain(criterion.max_score)}
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > DECIMAL_PLACES:
        return None, _(
            "%(value)s has more than %(places)s decimal places; round the score of "
            "%(criterion)s to at most %(places)s."
        ) % {"value": _plain(value), "criterion": criterion.name, "places": DECIMAL_PLACES}
    allowed = spec.allowed_values()
    if allowed is not None and value not in allowed:
        return None, _(
            "%(criterion)s is scored by evidence level: choose one of %(allowed)s "
            "(you gave %(value)s)."
        ) % {"criterion": criterion.name, "value": _plain(value),
             "allowed": ", ".join(_plain(v) for v in allowed)}
    if spec.step and (value - criterion.min_score) % spec.step != 0:
        return None, _(
            "%(criterion)s is scored in steps of %(step)s; %(value)s is not one of them."
        ) % {"criterion": criterion.name, "step": _plain(spec.step), "value": _plain(value)}
    return value, None


def check_ticks(spec: CriterionSpec, raw: Any) -> tuple[Decimal | None, list[str], str | None]:
    """(display score, items ticked, problem) of a checklist criterion.

    ``raw`` is the list of the ids of the items ticked (None: not scored yet). The score
    comes from the engine's checklist rule; the stored value is only shown, rounded.
    """
    from fractions import Fraction

    from sayembara.scoring.spec import Criterion as EngineCriterion
    from sayembara.scoring.spec import CriterionKind, Item

    criterion = spec.criterion
    if raw is None:
        return None, [], None
    if isinstance(raw, str | Decimal | int | float):
        return None, [], _(
            "%(criterion)s is a checklist: tick the items that are present instead of giving "
            "a number."
        ) % {"criterion": criterion.name}
    ticked = [str(key) for key in raw]
    known = {item.key for item in spec.items}
    unknown = [key for key in ticked if key not in known]
    if unknown:
        return None, [], _(
            "%(criterion)s has no checklist item “%(item)s”; the items are %(items)s."
        ) % {"criterion": criterion.name, "item": unknown[0], "items": ", ".join(sorted(known))}
    engine_criterion = EngineCriterion(
        key=criterion.key, weight=criterion.weight, kind=CriterionKind.CHECKLIST,
        scale_min=criterion.min_score, scale_max=criterion.max_score,
        items=tuple(Item(key=item.key, points=item.points) for item in spec.items),
    )
    score: Fraction = engine_criterion.score_of_items(tuple(ticked))
    shown = rounded(score, 3)  # stored to the field's three decimals, halves up
    ordered = [item.key for item in spec.items if item.key in set(ticked)]
    return shown, ordered, None


def check_stage_open(stage: Stage) -> None:
    """Refuse (JudgingError) unless the stage is open: scores are given only between the
    secretariat opening the stage and closing it. The refusal says when it opens or closed."""
    if stage.status == StageStatus.OPEN:
        return
    edition = stage.edition
    if stage.status == StageStatus.CLOSED:
        raise JudgingError(
            _("%(stage)s closed on %(when)s; scores can no longer be given or changed there. "
              "Ask the secretariat if a score must be corrected.")
            % {"stage": stage.name, "when": moment_text(stage.closed_at, edition) or "—"}
        )
    if stage.starts_at is not None and stage.starts_at > timezone.now():
        raise JudgingError(
            _("%(stage)s is not open for scoring yet; it opens on %(when)s. Your scores can "
              "be given from then on.")
            % {"stage": stage.name, "when": moment_text(stage.starts_at, edition)}
        )
    if stage.starts_at is not None:
        raise JudgingError(
            _("%(stage)s is not open for scoring yet: it was planned to open on %(when)s, "
              "and the secretariat has not opened it. Scores can be given once it does.")
            % {"stage": stage.name, "when": moment_text(stage.starts_at, edition)}
        )
    raise JudgingError(
        _("%(stage)s is not open for scoring yet; the secretariat will tell you when it "
          "opens.") % {"stage": stage.name}
    )


def check_can_score(*, stage: Stage, judge: Judge, entry: Entry) -> None:
    """Refuse (JudgingError) unless the judge may score the entry at the stage now."""
    check_same_edition(stage=stage, judge=judge, entry=entry)
    check_stage_open(stage)
    kind = conflict_of(judge=judge, entry=entry)
    if kind:
        raise JudgingError(conflict_message(judge=judge, entry=entry, kind=kind))
    if not Assignment.objects.filter(stage=stage, judge=judge, entry=entry).exists():
        raise JudgingError(
            _("Entry %(entry)s is not assigned to %(judge)s at %(stage)s, so it cannot be "
              "scored. Ask the secretariat to assign it if this is a mistake.")
            % {"entry": entry.code, "judge": judge.name, "stage": stage.name}
        )
    if judge.pledge_accepted_at is None:
        raise JudgingError(
            _("Accept the integrity pledge (pakta integritas) before giving your first score.")
        )


def _specs_for(stage: Stage, entry: Entry) -> dict[str, CriterionSpec]:
    rubric = stage.rubric_for(entry.category_id)
    if rubric is None:
        raise JudgingError(
            _("%(stage)s has no rubric for the category of entry %(entry)s; the secretariat "
              "must complete the rules first.") % {"stage": stage.name, "entry": entry.code}
        )
    return {spec.key: spec for spec in criterion_specs(stage=stage, rubric=rubric)}


def _validate(specs: Mapping[str, CriterionSpec], values: Mapping[str, Any],
              comments: Mapping[str, str]) -> tuple[dict[str, Decimal | None],
                                                     dict[str, list[str]]]:
    problems: dict[str, str] = {}
    parsed: dict[str, Decimal | None] = {}
    ticks: dict[str, list[str]] = {}
    for key in list(values) + [k for k in comments if k not in values]:
        if key not in specs:
            problems[key] = _(
                "This rubric has no criterion “%(key)s”; the criteria are %(keys)s."
            ) % {"key": key, "keys": ", ".join(specs)}
    for key, raw in values.items():
        if key not in specs:
            continue
        if specs[key].kind == "checklist":
            value, ticked, problem = check_ticks(specs[key], raw)
            ticks[key] = ticked
        else:
            value, problem = check_value(specs[key], raw)
        if problem:
            problems[key] = problem
        else:
            parsed[key] = value
    if problems:
        first = next(iter(problems.values()))
        message = first if len(problems) == 1 else _(
            "%(count)s scores were refused and nothing was saved: %(first)s"
        ) % {"count": len(problems), "first": first}
        raise JudgingError(message, problems=problems)
    return parsed, ticks


def _locked_sheet(*, stage: Stage, judge: Judge, entry: Entry) -> ScoreSheet:
    sheet, _created = ScoreSheet.objects.get_or_create(stage=stage, judge=judge, entry=entry)
    return ScoreSheet.objects.select_for_update().get(pk=sheet.pk)


def _refuse_if_submitted(sheet: ScoreSheet, stage: Stage) -> None:
    if sheet.status != SheetStatus.DRAFT:
        raise JudgingError(
            _("This score sheet was already submitted on %(when)s and is locked; nothing was "
              "changed. Ask the secretariat for a correction if a score is wrong.")
            % {"when": moment_text(sheet.submitted_at, stage.edition) or "—"}
        )


def _check_version(sheet: ScoreSheet, expected_version: int | None, editor: str = "") -> None:
    """Refuse a change based on an older version, unless every save since came from the
    same page (``editor``): its autosave got there first and its answer is still on the
    way. A save from another tab or window in between is always refused."""
    if editor and editor == sheet.last_editor:
        return
    if expected_version is not None and int(expected_version) != sheet.version:
        raise StaleSheet(
            _("This score sheet was changed in another tab or window after you opened it, so "
              "your change was not saved. Reload the page to see the latest scores, then enter "
              "your change again.")
        )


@transaction.atomic
def save_sheet(
    *,
    stage: Stage,
    judge: Judge,
    entry: Entry,
    values: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    actor: Any,
    expected_version: int | None = None,
    overall_comment: str | None = None,
    editor: str = "",
) -> ScoreSheet:
    """Save draft scores (``values`` by criterion key; None clears a score) and comments.

    Only the criteria named are changed. Checks: the stage is not closed, the entry is
    assigned to the judge, there is no conflict, the pledge is accepted, every value fits
    its criterion of the entry's rubric variant (range, evidence levels, step), the sheet is
    still a draft and, with ``expected_version``, nobody changed it since (a save that
    changes nothing passes: it cannot overwrite anything). The edition's rules freeze with
    its first score. Returns the sheet with its new ``version``.
    """
    comments = dict(comments or {})
    check_can_score(stage=stage, judge=judge, entry=entry)
    specs = _specs_for(stage, entry)
    parsed, ticks = _validate(specs, values, comments)
    sheet = _locked_sheet(stage=stage, judge=judge, entry=entry)
    _refuse_if_submitted(sheet, stage)

    existing = {score.criterion_id: score for score in sheet.scores.all()}
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    to_create: list[Score] = []
    to_update: list[Score] = []
    for key in dict.fromkeys(list(parsed) + list(comments)):
        criterion = specs[key].criterion
        score = existing.get(criterion.pk)
        new_value = parsed[key] if key in parsed else (score.value if score else None)
        new_checked = ticks[key] if key in ticks else (score.checked if score else [])
        new_comment = comments[key].strip() if key in comments else (score.comment if score
                                                                     else "")
        if score is None:
            if new_value is None and not new_comment:
                continue
            to_create.append(Score(sheet=sheet, criterion=criterion, value=new_value,
                                   comment=new_comment, checked=new_checked))
            before[key] = None
        else:
            if (score.value == new_value and score.comment == new_comment
                    and score.checked == new_checked):
                continue
            before[key] = {"value": score.value, "comment": score.comment}
            if score.checked or new_checked:
                before[key]["checked"] = score.checked
            score.value, score.comment, score.checked = new_value, new_comment, new_checked
            to_update.append(score)
        after[key] = {"value": new_value, "comment": new_comment}
        if new_checked:
            after[key]["checked"] = new_checked
    comment_changed = overall_comment is not None and overall_comment.strip() != sheet.comment
    if not (to_create or to_update or comment_changed):
        # What was sent is already stored (an autosave of the same page got there first):
        # nothing can be overwritten, so an older version is no reason to refuse.
        return sheet
    _check_version(sheet, expected_version, editor)
    Score.objects.bulk_create(to_create)
    if to_update:
        Score.objects.bulk_update(to_update, ["value", "comment", "checked"])
    fields = ["version", "last_editor", "updated_at"]
    sheet.last_editor = editor[:32]
    if comment_changed:
        before["_comment"], after["_comment"] = sheet.comment, overall_comment.strip()
        sheet.comment = overall_comment.strip()
        fields.append("comment")
    sheet.version += 1
    sheet.save(update_fields=fields)
    if stage.edition.rules_frozen_at is None and any(v is not None for v in parsed.values()):
        freeze_rules(edition=stage.edition, actor=actor, cause="first score")
    record_event(actor=actor, action="sheet.saved", obj=sheet, object_type="judging.scoresheet",
                 edition_id=stage.edition_id, before=before, after=after)
    return sheet


def missing_criteria(*, sheet: ScoreSheet, specs: Mapping[str, CriterionSpec]) -> list[str]:
    given = {s.criterion_id for s in sheet.scores.all() if s.value is not None}
    return [key for key, spec in specs.items() if spec.criterion.pk not in given]


@transaction.atomic
def submit_sheet(
    *,
    stage: Stage,
    judge: Judge,
    entry: Entry,
    actor: Any,
    expected_version: int | None = None,
    editor: str = "",
) -> ScoreSheet:
    """Submit the sheet: from now on its scores are locked and change only by correction.

    Refuses a sheet already submitted (a second submit from another tab), a stale version,
    an empty sheet, and missing criteria when the rubric's policy is ``block``.
    """
    check_can_score(stage=stage, judge=judge, entry=entry)
    specs = _specs_for(stage, entry)
    sheet = _locked_sheet(stage=stage, judge=judge, entry=entry)
    _refuse_if_submitted(sheet, stage)
    _check_version(sheet, expected_version, editor)
    missing = missing_criteria(sheet=sheet, specs=specs)
    rubric = stage.rubric_for(entry.category_id)
    if len(missing) == len(specs):
        raise JudgingError(_("The sheet has no scores yet; give the scores, then submit."))
    if missing and (rubric.missing_policy or "block") == "block":
        names = ", ".join(specs[key].criterion.name for key in missing)
        raise JudgingError(
            _("Score every criterion before submitting; still missing: %(names)s.")
            % {"names": names},
            problems={key: _("This criterion needs a score.") for key in missing},
        )
    sheet.status = SheetStatus.SUBMITTED
    sheet.submitted_at = timezone.now()
    sheet.version += 1
    sheet.save(update_fields=["status", "submitted_at", "version", "updated_at"])
    _check_third_reviewer(stage=stage, entry=entry, actor=actor)
    record_event(
        actor=actor, action="sheet.submitted", obj=sheet, object_type="judging.scoresheet",
        edition_id=stage.edition_id,
        after={"stage": stage.key, "judge": judge.pk, "entry": entry.code,
               "scores": {specs_key: str(s.value) if s.value is not None else None
                          for specs_key, s in _scores_by_key(sheet, specs).items()},
               "missing": missing},
    )
    return sheet


def _check_third_reviewer(*, stage: Stage, entry: Entry, actor: Any) -> None:
    """With the third-reviewer rule, once the first reviewers have all submitted, ask the
    engine whether they disagree beyond the threshold and, if so, assign one more judge."""
    from sayembara.judging.services.assignments import add_extra_reviewer, third_reviewer_rule

    rule = third_reviewer_rule(stage)
    if rule is None:
        return
    submitted = ScoreSheet.objects.filter(
        stage=stage, entry=entry, status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED]
    ).count()
    if submitted < int(rule.get("reviewers", 2)):
        return
    from sayembara.judging.services.compute import check_disagreement

    item = check_disagreement(stage=stage, entry=entry)
    if item is not None and item.needs_extra_judge:
        add_extra_reviewer(stage=stage, entry=entry, actor=actor)


def _scores_by_key(sheet: ScoreSheet, specs: Mapping[str, CriterionSpec]) -> dict[str, Score]:
    by_id = {s.criterion_id: s for s in sheet.scores.all()}
    return {key: by_id[spec.criterion.pk] for key, spec in specs.items()
            if spec.criterion.pk in by_id}


@transaction.atomic
def correct_score(
    *,
    stage: Stage,
    judge: Judge,
    entry: Entry,
    criterion_key: str,
    value: Any,
    reason: str,
    actor: Any,
    comment: str | None = None,
) -> ScoreCorrection:
    """Change one score of a submitted sheet, with a reason (kept with the old value).

    Refused without a reason, for a draft (the judge just edits it), for a value that does
    not fit the criterion, and once the stage's results are confirmed (penetapan).
    """
    if not (reason or "").strip():
        raise JudgingError(
            _("Say why the score is corrected; the reason is kept with the old and new value."),
            problems={"reason": _("This field is required.")},
        )
    check_same_edition(stage=stage, judge=judge, entry=entry)
    from sayembara.judging.models import StageClosing

    if StageClosing.objects.filter(stage=stage, confirmed_at__isnull=False).exists():
        raise JudgingError(
            _("The results of %(stage)s were confirmed; scores can no longer be corrected "
              "there.") % {"stage": stage.name}
        )
    specs = _specs_for(stage, entry)
    if criterion_key not in specs:
        raise JudgingError(
            _("This rubric has no criterion “%(key)s”; the criteria are %(keys)s.")
            % {"key": criterion_key, "keys": ", ".join(specs)}
        )
    spec = specs[criterion_key]
    new_checked: list[str] | None = None
    if spec.kind == "checklist":
        new_value, new_checked, problem = check_ticks(spec, value)
    else:
        new_value, problem = check_value(spec, value)
    if problem:
        raise JudgingError(problem, problems={criterion_key: problem})
    sheet = ScoreSheet.objects.select_for_update().filter(
        stage=stage, judge=judge, entry=entry
    ).first()
    if sheet is None or sheet.status == SheetStatus.DRAFT:
        raise JudgingError(
            _("Only submitted scores are corrected; a draft is changed by the judge on the "
              "scoring page.")
        )
    score, _created = Score.objects.get_or_create(sheet=sheet, criterion=spec.criterion)
    old_value, old_comment = score.value, score.comment
    if old_value == new_value and (comment is None or comment == old_comment):
        raise JudgingError(
            _("%(criterion)s already has the score %(value)s; nothing to correct.")
            % {"criterion": spec.criterion.name,
               "value": _plain(new_value) if new_value is not None else "—"}
        )
    score.value = new_value
    if new_checked is not None:
        score.checked = new_checked
    if comment is not None:
        score.comment = comment.strip()
    score.save(update_fields=["value", "comment", "checked"])
    correction = ScoreCorrection.objects.create(
        score=score, old_value=old_value, new_value=new_value, reason=reason.strip(),
        actor=actor if getattr(actor, "pk", None) else None,
    )
    sheet.version += 1
    sheet.save(update_fields=["version", "updated_at"])
    record_event(
        actor=actor, action="score.corrected", obj=sheet, object_type="judging.scoresheet",
        edition_id=stage.edition_id,
        before={"criterion": criterion_key, "value": old_value, "comment": old_comment},
        after={"criterion": criterion_key, "value": new_value, "comment": score.comment},
        reason=reason.strip(),
    )
    return correction


def criterion_by_key(*, stage: Stage, entry: Entry, key: str) -> Criterion:
    return _specs_for(stage, entry)[key].criterion
