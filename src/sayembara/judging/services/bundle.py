"""An edition's results bundle, exported from the database.

The bundle holds exactly what the engine used for the edition's stored results: the rules
(``template.yaml``, from ``Edition.rules``), the entries, the counted scores (submitted or
locked sheets, conflicts left out), the judges with their roles, the public votes, the
organisers' decisions and the panel members' recusals, each as the CSV file ``sayembara
rank`` reads. The rows are turned back from the engine inputs that
:func:`~sayembara.judging.services.compute.build_inputs` prepares, so the bundle cannot
drift from the computation it documents; the results are then computed from the written
files with the seed and bootstrap replicates the stored results used, and ``sayembara
bundle verify DIR`` recomputes them.

Judges are identified by their names in the input tables (made unique with a number when
two share a name), which :func:`~sayembara.ranking.bundle.write_bundle` replaces by stable
pseudonyms unless the names are explicitly kept.
"""

from __future__ import annotations

import decimal
from collections import Counter
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import yaml
from django.utils.translation import gettext as _

from sayembara import scoring
from sayembara.common.services.audit import current_head, record_event
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.judging.enums import JuryRole, SheetStatus
from sayembara.judging.models import Judge, Score, StageClosing
from sayembara.judging.services.compute import BOOTSTRAP, EngineInputs, build_inputs
from sayembara.judging.services.errors import JudgingError
from sayembara.ranking.bridge import HONORARY_ROLE
from sayembara.ranking.bundle import MANIFEST, BundleInputs, sha256_file, write_bundle
from sayembara.ranking.csvinput import InputFileError
from sayembara.template_format import TemplateError, parse_template

#: Panel roles as the judges file writes them (the honorary role is the template's).
CSV_ROLES = {
    JuryRole.KETUA: "ketua",
    JuryRole.SEKRETARIS: "sekretaris",
    JuryRole.ANGGOTA: "anggota",
    JuryRole.KEHORMATAN: HONORARY_ROLE,
}


def template_text(edition: Edition) -> str:
    """The edition's rules as template YAML text; refused when the text would not read
    back as the same template."""
    text = yaml.safe_dump(edition.rules, sort_keys=False, allow_unicode=True)
    try:
        same = parse_template(text, source="template.yaml") == template_of(edition)
    except TemplateError:
        same = False
    if not same:
        raise JudgingError(_(
            "The rules of %(edition)s cannot be written as a template that reads back the "
            "same; check the edition's rules with the edition setup page before exporting.")
            % {"edition": edition.title})
    return text


def used_seed_and_bootstrap(edition: Edition) -> tuple[int, int]:
    """The seed and bootstrap replicates of the edition's latest computation (the year and
    the default replicates when nothing has been computed yet)."""
    closing = (StageClosing.objects.filter(stage__edition=edition, computed_at__isnull=False)
               .order_by("-computed_at", "-pk").first())
    if closing is None:
        return edition.year, BOOTSTRAP
    replicates = (closing.summary or {}).get("bootstrap")
    return int(closing.seed), int(replicates) if isinstance(replicates, int) else BOOTSTRAP


def decimal_text(value: Fraction) -> str:
    """A score as a plain decimal that reads back as exactly ``value``."""
    with decimal.localcontext() as context:
        context.prec = 60
        number = Decimal(value.numerator) / Decimal(value.denominator)
    if Fraction(number) != value:
        raise JudgingError(_("The score %(value)s has no exact decimal form, so it cannot be "
                             "written to the scores file.") % {"value": str(value)})
    return format(number.normalize(), "f")


def _judge_names(judge_ids: list[int]) -> dict[int, str]:
    """Judge id -> a unique identifier made of the judge's name; judges who share a name
    are numbered in order of their ids ("Name (1)", "Name (2)")."""
    names = dict(Judge.objects.filter(pk__in=judge_ids).values_list("pk", "name"))
    counts = Counter(" ".join(str(n).split()) for n in names.values())
    taken: set[str] = set()
    out: dict[int, str] = {}
    seen: Counter[str] = Counter()
    for pk in sorted(judge_ids):
        base = " ".join(str(names.get(pk, "")).split()) or f"j{pk}"
        seen[base] += 1
        name = base if counts[base] <= 1 and base not in taken else f"{base} ({seen[base]})"
        while name in taken:
            seen[base] += 1
            name = f"{base} ({seen[base]})"
        taken.add(name)
        out[pk] = name
    return out


def _pseudonyms_in_engine_order(prepared: EngineInputs) -> dict[str, str]:
    """Judge identifier in the bundle -> pseudonym J01, J02... numbered in the order of the
    engine's judge keys, the order in which the stored bootstrap drew each entry's sheets;
    so the bundle recomputes the stored rank intervals and P(top N) exactly."""
    names = _judge_names(list(prepared.judges.values()))
    keys = sorted(prepared.judges)
    width = max(2, len(str(len(keys))))
    return {names[prepared.judges[key]]: f"J{i + 1:0{width}d}" for i, key in enumerate(keys)}


def bundle_inputs(*, edition: Edition, prepared: EngineInputs | None = None) -> BundleInputs:
    """The input tables of the edition's bundle, turned back from the engine's inputs."""
    prepared = prepared or build_inputs(edition=edition)
    competition, inputs = prepared.competition, prepared.inputs
    names = _judge_names(list(prepared.judges.values()))
    judge_rows = dict(Judge.objects.filter(edition=edition).values_list("pk", "role"))
    affiliation = dict(Judge.objects.filter(edition=edition).values_list("pk", "affiliation"))

    entries = [{"entry": e.key, "category": e.category, "group": e.group or "",
                **dict(e.attributes)} for e in inputs.entries]
    judges = []
    for judge in inputs.judges:
        pk = prepared.judges[judge.key]
        role = HONORARY_ROLE if judge.honorary else CSV_ROLES.get(judge_rows[pk], "anggota")
        if role == HONORARY_ROLE and not judge.honorary:
            role = "anggota"  # honorary in name only: the engine counted the judge in full
        judges.append({"judge": names[pk], "role": role,
                       "institution": " ".join((affiliation.get(pk) or "").split())})

    ticks = _checklist_ticks(edition)
    table = inputs.scores
    scores = []
    for i in range(len(table)):
        stage = competition.stages[int(table.stage[i])]
        entry = inputs.entries[int(table.entry[i])]
        pk = prepared.judges[inputs.judges[int(table.judge[i])].key]
        rubric = competition.rubric(stage.rubric_for(entry.category))
        criterion = rubric.criteria[int(table.criterion[i])]
        value = Fraction(int(table.value[i]), table.denominator)
        if criterion.kind is scoring.CriterionKind.CHECKLIST:
            ticked = ticks.get((stage.key, pk, entry.key, criterion.key), ())
            if criterion.score_of_items(ticked) != value:
                raise JudgingError(_(
                    "The checklist score of %(criterion)s for %(entry)s at %(stage)s does not "
                    "match its ticked items; recompute the stage before exporting.")
                    % {"criterion": criterion.key, "entry": entry.key, "stage": stage.key})
            text = "|".join(ticked)
        else:
            text = decimal_text(value)
        scores.append({"stage": stage.key, "judge": names[pk], "entry": entry.key,
                       "criterion": criterion.key, "score": text})
    votes = [{"entry": e.key, "votes": inputs.votes[e.key]} for e in inputs.entries
             if e.key in inputs.votes]
    decisions = []
    for d in inputs.decisions:
        row: dict[str, Any] = {"stage": d.stage, "entry": d.entry,
                               "decision": d.action.value, "reason": d.reason}
        if d.order is not None:
            row["order"] = d.order
        decisions.append(row)
    recusals = [{"stage": r.stage, "entry": r.entry, "judge": names[prepared.judges[r.judge]]}
                for r in inputs.recusals]
    return BundleInputs(entries=entries, scores=scores, judges=judges, votes=votes,
                        decisions=decisions, recusals=recusals)


def _checklist_ticks(edition: Edition) -> dict[tuple[str, int, str, str], tuple[str, ...]]:
    """(stage key, judge id, entry code, criterion key) -> the items ticked, for every
    counted checklist score of the edition."""
    rows = Score.objects.filter(
        sheet__stage__edition=edition, criterion__kind="checklist", value__isnull=False,
        sheet__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED],
    ).values_list("sheet__stage__key", "sheet__judge_id", "sheet__entry__code",
                  "criterion__key", "checked")
    return {(stage, judge, entry, criterion): tuple(str(c) for c in (checked or ()))
            for stage, judge, entry, criterion, checked in rows}


def export_edition_bundle(*, edition: Edition, out_dir: Path | str,
                          keep_judge_names: bool = False, seed: int | None = None,
                          bootstrap: int | None = None, actor: Any) -> dict[str, Any]:
    """Write the edition's results bundle into ``out_dir`` (new or empty) and return the
    results it holds. ``seed`` and ``bootstrap`` default to those of the stored results.
    Judges are pseudonymised in the order the stored bootstrap drew them, so the bundle
    recomputes every stored figure; with ``keep_judge_names`` the bootstrap draws follow the
    names' order, and rank intervals and P(top N) may differ slightly from the stored ones.

    ``bundle.json`` records the audit chain head at the time of export, so the bundle is
    also an anchor of the chain (``sayembara audit verify --bundle``).

    Raises FileExistsError when the folder is not empty, JudgingError when the edition's
    data cannot be written as a bundle.
    """
    out_dir = Path(out_dir)
    used_seed, used_bootstrap = used_seed_and_bootstrap(edition)
    seed = used_seed if seed is None else seed
    bootstrap = used_bootstrap if bootstrap is None else bootstrap
    if bootstrap < 0:
        raise JudgingError(_("The number of bootstrap replicates must be 0 or more."))
    text = template_text(edition)
    prepared = build_inputs(edition=edition)
    tables = bundle_inputs(edition=edition, prepared=prepared)
    head = current_head()
    try:
        data = write_bundle(out_dir=out_dir, template_data=text, inputs=tables, seed=seed,
                            bootstrap=bootstrap, keep_judge_names=keep_judge_names,
                            judge_pseudonyms=_pseudonyms_in_engine_order(prepared),
                            extra_meta={"audit_head": head.as_dict()})
    except InputFileError as error:
        raise JudgingError(_("The bundle could not be written: %(problem)s")
                           % {"problem": error.format()}) from error
    except (TemplateError, ValueError) as error:
        raise JudgingError(_("The bundle could not be written: %(problem)s")
                           % {"problem": str(error)}) from error
    record_event(actor=actor, action="results.bundle_exported", obj=edition,
                 object_type="competitions.edition", edition_id=edition.pk,
                 after={"folder": str(out_dir), "seed": data["seed"], "bootstrap": bootstrap,
                        "engine": data["engine_version"], "complete": data["complete"],
                        "judges_pseudonymised": not keep_judge_names,
                        "audit_head": f"{head.seq}:{head.hash}",
                        "manifest_sha256": sha256_file(out_dir / MANIFEST)})
    return data
