"""Engine errors as sentences for people, pointing at the input line that caused them.

The engine (which cannot translate) raises errors with a code, parameters and, for a score
row, the row's index; this module turns them into an
:class:`~sayembara.ranking.csvinput.InputFileError` with the file, line, column and value,
or into a translated sentence when no line is involved.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from django.utils.translation import gettext as _

from sayembara import scoring

from .csvinput import InputFileError, Source


def _score_message(code: str, p: dict[str, object], first: int | None) -> tuple[str, str]:
    """(column, sentence) for an engine error about a score row."""
    if code == "score_out_of_range":
        return "score", _(
            "The score of criterion %(criterion)s must lie between %(minimum)s and %(maximum)s."
        ) % p
    if code == "score_step":
        return "score", _(
            "The score of criterion %(criterion)s must be a multiple of %(step)s.") % p
    if code == "score_not_a_level":
        return "score", _(
            "The score of criterion %(criterion)s must be the score of one of its levels "
            "(%(allowed)s).") % p
    if code == "duplicate_score":
        return "criterion", _(
            "Judge %(judge)s already scored criterion %(criterion)s of entry %(entry)s at "
            "stage %(stage)s on line %(first)s; keep one line.") % {**p, "first": first}
    if code == "missing_criterion":
        return "criterion", _(
            "Judge %(judge)s left criterion %(criteria)s of entry %(entry)s unscored at stage "
            "%(stage)s, and the rubric %(rubric)s does not allow a missing criterion; add the "
            "score.") % p
    if code == "scores_for_absent_entry":
        return "entry", _(
            "Entry %(entry)s has scores at stage %(stage)s but did not reach that stage; "
            "remove them or record a decision that advances it.") % p
    if code == "stage_not_for_category":
        return "entry", _(
            "The stage %(stage)s does not score entries of category %(category)s.") % p
    return "criterion", str(p.get("message", ""))


def _first_duplicate_line(inputs: scoring.Inputs, source: Source, row: int) -> int | None:
    t = inputs.scores
    same = np.flatnonzero(
        (t.stage == t.stage[row]) & (t.judge == t.judge[row]) & (t.entry == t.entry[row])
        & (t.criterion == t.criterion[row]))
    if same.size and int(same[0]) != row:
        return int(source.score_lines[int(same[0])])
    return None


def explain(error: scoring.ScoringError, inputs: scoring.Inputs, source: Source) -> Exception:
    """The error to show for an engine error raised on these inputs."""
    p = dict(error.params)
    if isinstance(error, scoring.InputError) and error.row is not None:
        row = error.row
        first = _first_duplicate_line(inputs, source, row) if error.code == (
            "duplicate_score") else None
        column, message = _score_message(error.code, {**p, "message": str(error)}, first)
        value: str | None
        if column == "score":
            value = source.score_values[int(source.score_value_index[row])]
        elif column == "entry":
            value = inputs.entries[int(inputs.scores.entry[row])].key
        else:
            value = str(p.get("criterion") or p.get("criteria") or "") or None
        return InputFileError(path=source.scores_path, line=int(source.score_lines[row]),
                              column=column, value=value, message=message)
    if error.code == "decision_for_absent_entry" and source.decisions_path:
        line = source.decision_lines.get((str(p["stage"]), str(p["entry"])))
        return InputFileError(path=source.decisions_path, line=line, column="entry",
                              value=str(p["entry"]), message=_(
            "The entry %(entry)s did not reach stage %(stage)s, so no decision can be taken "
            "about it there.") % p)
    if error.code == "scores_after_pending_stage":
        return InputFileError(path=source.scores_path, line=None, column="stage",
                              value=str(p["stage"]), message=_(
            "The stage %(stage)s has scores but an earlier stage has none yet; score the "
            "stages in order.") % p)
    if isinstance(error, scoring.SpecError):
        return ValueError(_("The template cannot be used by the scoring engine: %(problem)s")
                          % {"problem": str(error)})
    return ValueError(_("The inputs were refused: %(problem)s") % {"problem": str(error)})


def calibration_refusal(code: str | None, groups: Sequence[Sequence[str]]) -> str:
    """Why the engine refused to calibrate, as sentences in the active language.

    ``code`` is the engine's refusal code; ``groups`` are the names of the judges of each
    separate group (largest first), as the caller shows judges (names on pages, keys in the
    command line's summary).
    """
    if code == "disconnected" and len(groups) > 1:
        if all(len(group) == 1 for group in groups):
            return _(
                "Calibration was not possible: no two judges scored a common entry "
                "(%(judges)s), so a judge who marks more strictly cannot be told apart from a "
                "judge who happened to score weaker entries.") % {
                "judges": ", ".join(group[0] for group in groups)} + " " + _(
                "To make it possible, have some entries scored by two judges or more.")
        listed = "; ".join(
            _("group %(number)s: %(judges)s") % {"number": n, "judges": ", ".join(group)}
            for n, group in enumerate(groups, start=1))
        why = _(
            "Calibration was not possible: the judges fall into %(count)s groups that never "
            "scored a common entry (%(groups)s), so a difference in marking between the groups "
            "cannot be told apart from a difference in the quality of their entries.") % {
            "count": len(groups), "groups": listed}
        return why + " " + _(
            "To make it possible, have some entries of each group scored by a judge of another "
            "group as well.")
    if code == "no_sheets":
        return _("Calibration was not possible: there are no submitted sheets to calibrate.")
    return _("Calibration was not possible for these scores.")
