"""Official papers generated from the database: berita acara per stage, the draft SK
penetapan pemenang and the rekap nilai workbook. Numbers are the stored results of the
engine (``judging.StageResult`` / ``FinalResult``) and the judges' stored scores; nothing
is recomputed here."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from sayembara.common.formats import SCORE_PLACES
from sayembara.common.services.audit import current_head, record_event
from sayembara.common.timefmt import format_date
from sayembara.competitions.models import Edition, Stage
from sayembara.competitions.services.editions import template_of
from sayembara.documents.services.typst_render import render_pdf
from sayembara.entries.selectors.wording import entry_words
from sayembara.judging.enums import JuryRole, SheetStatus
from sayembara.judging.models import (
    FinalResult,
    Judge,
    PanelMember,
    Score,
    StageClosing,
    StageResult,
)
from sayembara.judging.selectors.score_columns import score_headings
from sayembara.ranking.cells import xlsx_row

#: How the score workbook shows a score cell (the value itself stays unrounded).
SCORE_FORMAT = "0." + "0" * SCORE_PLACES


def fmt_money(value: Decimal | None) -> str:
    if not value:
        return "–"
    return "Rp" + f"{value.quantize(Decimal(1)):,}".replace(",", ".")


def _today(edition: Edition) -> str:
    return format_date(timezone.now(), edition)


def chain_head_data(edition: Edition) -> dict[str, str]:
    """The audit chain head a document carries when it is made: a sentence and the
    ``SEQ:HASH`` text that ``sayembara audit verify --head`` takes."""
    from sayembara.entries.selectors.deadlines import format_deadline

    head = current_head()
    return {
        "chain_label": _("Audit log chain head when this document was made: event %(seq)s, "
                         "%(when)s. Anyone can check that the log was not rewritten since:")
        % {"seq": number_format(head.seq, force_grouping=True),
           "when": format_deadline(head.at, edition) if head.at else "–"},
        "chain_head": f"{head.seq}:{head.hash}",
    }


def _issued(*, actor: Any, action: str, edition: Edition, data: dict[str, Any],
            **details: Any) -> None:
    """Record that a document was made, with the chain head printed on it."""
    if actor is not None:
        record_event(actor=actor, action=action, obj=edition, edition_id=edition.pk,
                     after={**details, "audit_head": data["chain_head"]})


def stage_members(stage: Stage) -> list[dict[str, str]]:
    """The judges of a stage: its panels' members, or else whoever submitted sheets."""
    members = (PanelMember.objects.filter(panel__stage=stage).select_related("judge")
               .order_by("judge__name"))
    seen: dict[int, dict[str, str]] = {}
    for member in members:
        seen.setdefault(member.judge_id, {
            "name": member.judge.name, "role": member.get_role_display(),
            "unsur": member.judge.get_unsur_display(),
        })
    if not seen:
        for judge in Judge.objects.filter(
            sheets__stage=stage, sheets__status__in=[SheetStatus.SUBMITTED, SheetStatus.LOCKED]
        ).distinct().order_by("name"):
            seen[judge.pk] = {"name": judge.name, "role": judge.get_role_display(),
                              "unsur": judge.get_unsur_display()}
    order = {JuryRole.KETUA.label: 0, JuryRole.SEKRETARIS.label: 1, JuryRole.ANGGOTA.label: 2}
    return sorted(seen.values(), key=lambda m: (order.get(m["role"], 3), m["name"]))


def stage_method(stage: Stage, edition: Edition) -> list[str]:
    """The stage's rules in plain sentences (from the template)."""
    from sayembara.documents.services.plain_rules import stage_sentences

    template = template_of(edition)
    try:
        spec = template.stage(stage.key)
    except KeyError:
        return [stage.name]
    return stage_sentences(template, spec)


def fewer_judges_sentences(stage: Stage) -> list[str]:
    """The entries the stage was closed with fewer judges for, and the reason written."""
    closing = StageClosing.objects.filter(stage=stage).first()
    if closing is None or not closing.fewer_judges:
        return []
    entries = "; ".join(_("%(entry)s (%(judges)s withdrew)") % {
        "entry": item["entry"], "judges": ", ".join(item["left"])}
        for item in closing.fewer_judges)
    return [_("A judge left these entries for a conflict of interest and nobody was free to "
              "take them over; the stage was closed with fewer judges for them: %(entries)s. "
              "Reason: %(reason)s") % {"entries": entries,
                                       "reason": closing.fewer_judges_reason}]


def recusal_sentences(stage: Stage) -> list[str]:
    """The panel members who recused from entries for a conflict of interest (a stage the
    whole panel scores), and how those entries were scored."""
    from sayembara.entries.models import Entry
    from sayembara.judging.selectors.recusals import recused_judges

    recused = recused_judges(stage)
    if not recused:
        return []
    names = dict(Judge.objects.filter(pk__in={pk for ids in recused.values() for pk in ids})
                 .values_list("pk", "name"))
    codes = dict(Entry.objects.filter(pk__in=recused).values_list("pk", "code"))
    parts = "; ".join(
        _("%(judges)s from %(entry)s") % {
            "judges": ", ".join(sorted(names[pk] for pk in ids)), "entry": codes[entry_id]}
        for entry_id, ids in sorted(recused.items(), key=lambda item: codes[item[0]]))
    out = [ngettext(
        "A member of the panel recused for a conflict of interest and did not score this "
        "entry; it was scored by the other members: %(recusals)s.",
        "Members of the panel recused for a conflict of interest and did not score these "
        "entries; each was scored by the other members: %(recusals)s.",
        len(recused)) % {"recusals": parts}]
    try:
        least = template_of(stage.edition).stage(stage.key).aggregation.min_judges
    except KeyError:
        least = 1
    if least > 1:
        out.append(ngettext(
            "An entry needs at least %(count)s judge's scores, less one for each member who "
            "recused from it.",
            "An entry needs at least %(count)s judges' scores, less one for each member who "
            "recused from it.", least) % {"count": least})
    return out


#: The last rows of a berita acara's results go onto the signatures' page with them, so the
#: signatures never stand on a page of their own.
ROWS_WITH_SIGNATURES = 3


def berita_acara_pdf(*, stage: Stage, actor: Any = None) -> bytes:
    from sayembara.judging.selectors.board import ranks_by_running_total

    edition = stage.edition
    results = (StageResult.objects.filter(stage=stage)
               .select_related("entry", "entry__institution", "entry__category")
               .order_by("entry__category__order", "rank", "entry__code"))
    # The table is in the order of the rank; a stage that ranks by the running total shows
    # that total beside its own score, so the order can be read from the columns.
    running = ranks_by_running_total(stage)
    headings = score_headings(running_total=running)
    categories: dict[int, dict[str, Any]] = {}
    for result in results:
        if result.advanced is None:
            outcome = "–"
        else:
            outcome = _("advances") if result.advanced else _("stops")
        categories.setdefault(result.entry.category_id, {
            "name": result.entry.category.name, "rows": []})["rows"].append({
                "cells": [str(result.rank or "–"), result.entry.code,
                          str(result.judges_count), result.score_text,
                          *([result.selection_text] if running else []), outcome],
                "institution": result.entry.institution.name, "title": result.entry.title})
    members = stage_members(stage)
    data = {
        "organiser": edition.organiser.name,
        "title": _("MINUTES OF THE ASSESSMENT"),
        "subtitle": f"{stage.name} — {edition.title}",
        "opening": _("On %(date)s the assessment team of %(edition)s completed the stage "
                     "“%(stage)s”. The members present, the method and the results "
                     "are recorded below.")
                   % {"date": _today(edition), "edition": edition.title, "stage": stage.name},
        "members_heading": _("Members present"),
        "member_header": [_("No."), _("Name"), _("Role"), pgettext("the body a judge comes from",
                                                            "From")],
        "members": members,
        "method_heading": _("Method"),
        "method": stage_method(stage, edition) + recusal_sentences(stage)
        + fewer_judges_sentences(stage),
        "results_heading": _("Results"),
        # Rank, No., the participant and its entry (as the template names it), the numbers.
        "result_header": [headings.rank, _("No."), _("Participant and %(entry)s") % {
                              "entry": entry_words(template_of(edition)).noun}, _("Judges"),
                          with_scale(headings.own, stage.scale_label),
                          *([with_scale(headings.running, final_scale_label(edition))]
                            if running else []),
                          _("Outcome")],
        "numeric_columns": [0, 3, 4, 5] if running else [0, 3, 4],
        "ranking_note": _("Within each category the entries are ranked by the running total: "
                          "the weighted stage scores so far, each multiplied by its weight.")
        if running else _("Within each category the entries are ranked by the stage score."),
        # Widths in cm of every column but the participant's (which takes the rest), the
        # same in every table so that a table split before the signatures stays aligned.
        "column_widths": [1.6, 1.6, None, 1.0, 1.6, *([2.3] if running else []), 1.7],
        "categories": _with_signature_rows(list(categories.values())),
        "no_results": _("The engine has not stored results for this stage yet."),
        "closing": _("These minutes are made truthfully, to be used as appropriate."),
        "place_and_date": f"{edition.organiser.region_name or edition.organiser.name}, "
                          f"{_today(edition)}",
        "footer": f"{edition.title} · {stage.name} · ",
        **chain_head_data(edition),
    }
    _issued(actor=actor, action="documents.minutes_issued", edition=edition, data=data,
            stage=stage.key)
    return render_pdf("berita_acara.typ", data)


def with_scale(header: str, label: str) -> str:
    """A column heading with the scale of its scores ("Stage score (of 700)") when they are
    in a rubric's own points."""
    return f"{header} ({label})" if label else header


def final_scale_label(edition: Edition) -> str:
    """"of 700" for a final score in a rubric's own points; empty on 0..100."""
    from sayembara.competitions.models.rules import final_scale_of, scale_label

    return scale_label(final_scale_of(edition.rules or {}))


def _with_signature_rows(categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Mark which rows of the last category go onto the signatures' page: the whole table
    when it is short (``kept``), else its last few rows (``tail``, split from ``rows``; both
    parts print as one table when they fit on one page)."""
    if not categories:
        return categories
    last = categories[-1]
    if len(last["rows"]) <= ROWS_WITH_SIGNATURES:
        last["kept"] = True
    else:
        last["rows"], last["tail"] = (last["rows"][:-ROWS_WITH_SIGNATURES],
                                      last["rows"][-ROWS_WITH_SIGNATURES:])
    return categories


def final_rows(edition: Edition) -> list[tuple[Any, list[FinalResult]]]:
    results = (FinalResult.objects.filter(edition=edition)
               .select_related("entry", "entry__institution", "category", "award_tier")
               .order_by("category__order", "rank", "entry__code"))
    grouped: dict[int, tuple[Any, list[FinalResult]]] = {}
    for result in results:
        grouped.setdefault(result.category_id, (result.category, []))[1].append(result)
    return list(grouped.values())


def sk_draft_pdf(*, edition: Edition, actor: Any = None) -> bytes:
    from sayembara.documents.selectors.awards import listed_award, ranking_units

    organiser = edition.organiser
    units = ranking_units(edition)
    categories = []
    for category, results in final_rows(edition):
        rows = [[str(r.rank or "–"), r.entry.institution.name, r.entry.title,
                 r.total_text, listed_award(r, units, category.name) or "–",
                 fmt_money(r.prize)]
                for r in results
                if r.award_label or r.award_tier_id or (r.details or {}).get("special_awards")]
        if rows:
            categories.append({"name": category.name, "rows": rows})
    data = {
        "draft_mark": _("DRAFT"),
        "issuer": _("Head of %(organiser)s") % {"organiser": organiser.name},
        "decree_title": _("DECREE"),
        "number_line": _("NUMBER: ........ / ........ / %(year)s") % {"year": edition.year},
        "about": _("ON"),
        "subject": _("The winners of %(edition)s") % {"edition": edition.title},
        "considering_label": _("Considering"),
        "considering": [
            _("that %(edition)s has been held to encourage innovation and better public "
              "services;") % {"edition": edition.title},
            _("that the assessment team has completed every stage of the assessment, as "
              "recorded in the minutes of each stage;"),
            _("that, based on the considerations above, the winners need to be established "
              "by decree."),
        ],
        "recalling_label": _("Recalling"),
        "recalling": [_("........ (the legal basis of the competition);"),
                      _("........ (the regulation that establishes the organiser).")],
        "deciding": _("HAS DECIDED"),
        "establish_label": _("To establish"),
        "articles": [
            {"label": _("FIRST"),
             "text": _("The winners of %(edition)s are as listed in the annex to this decree.")
             % {"edition": edition.title}},
            {"label": _("SECOND"),
             "text": _("The winners receive the awards and prizes listed in the annex.")},
            {"label": _("THIRD"),
             "text": _("This decree takes effect on the date it is signed.")},
        ],
        "place_and_date": f"{organiser.region_name or '........'}, ........",
        "signer_title": _("Head of %(organiser)s,") % {"organiser": organiser.name},
        "signer_name": "........................................",
        "annex_title": _("ANNEX: THE WINNERS OF %(edition)s") % {"edition": edition.title.upper()},
        "annex_header": [_("Rank"), _("Participant"),
                         entry_words(template_of(edition)).heading,
                         with_scale(_("Final score"), final_scale_label(edition)),
                         _("Award"), _("Prize")],
        "numeric_columns": [0, 3, 5],
        "categories": categories,
        **chain_head_data(edition),
    }
    _issued(actor=actor, action="documents.decree_draft_issued", edition=edition, data=data)
    return render_pdf("sk.typ", data)


def _sheet_title(text: str, used: set[str]) -> str:
    cleaned = "".join(ch for ch in text if ch not in "[]:*?/\\")[:31] or "Sheet"
    title, n = cleaned, 2
    while title in used:
        suffix = f" {n}"
        title = cleaned[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def rekap_xlsx(*, edition: Edition) -> bytes:
    """The score workbook: final results, each stage's results and every judge's scores.

    Stage and final totals are the engine's stored Decimal values, written unrounded so the
    workbook matches the published results exactly; their cells show ``SCORE_PLACES``
    decimals, which a spreadsheet rounds halves up like every page and document.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from sayembara.judging.selectors.board import ranks_by_running_total
    from sayembara.judging.selectors.stage_figures import display_reason, unit_names

    workbook = Workbook(write_only=True)
    used: set[str] = set()
    bold = Font(bold=True)

    def header(sheet, names):
        sheet.append(xlsx_row(sheet, names, font=bold))

    def row(sheet, values, scores=()):
        cells = xlsx_row(sheet, values)
        for index in scores:
            cells[index].number_format = SCORE_FORMAT
        sheet.append(cells)

    final = workbook.create_sheet(_sheet_title(_("Final results"), used))
    header(final, [_("Category"), _("Rank"), _("Entry no."), _("Participant"),
                   entry_words(template_of(edition)).heading,
                   _("Final score"), _("Award"), _("Prize (Rp)"), _("Engine version")])
    for category, results in final_rows(edition):
        for r in results:
            row(final, [category.name, r.rank, r.entry.code, r.entry.institution.name,
                        r.entry.title, r.total, r.award_label, r.prize, r.engine_version],
                scores=(5,))

    stages = list(edition.stages.order_by("order"))
    units = unit_names(edition)
    for stage in stages:
        sheet = workbook.create_sheet(_sheet_title(f"{stage.order + 1}. {stage.name}", used))
        # A stage ranked by the running total shows it beside its own score.
        running = ranks_by_running_total(stage)
        headings = score_headings(running_total=running)
        header(sheet, [_("Category"), headings.rank, _("Entry no."), _("Participant"),
                       headings.own, *([headings.running] if running else []),
                       _("Raw score"), _("Calibrated score"), _("Judges"),
                       _("Advanced"), _("Reason")])
        for r in (StageResult.objects.filter(stage=stage)
                  .select_related("entry", "entry__institution", "entry__category")
                  .order_by("entry__category__order", "rank", "entry__code")):
            selection = (r.details or {}).get("selection")
            row(sheet, [r.entry.category.name, r.rank, r.entry.code, r.entry.institution.name,
                        r.score,
                        *([Decimal(selection) if selection else r.score] if running else []),
                        r.raw, r.calibrated, r.judges_count,
                        "" if r.advanced is None else (_("yes") if r.advanced else _("no")),
                        display_reason(r.reason_code, r.reason_params, units)],
                scores=(4, 5, 6, 7) if running else (4, 5, 6))

        scores = workbook.create_sheet(_sheet_title(f"{stage.order + 1}. " + _("Scores") +
                                                    f" {stage.name}", used))
        header(scores, [_("Category"), _("Entry no."), _("Judge"), _("Criterion"), _("Weight"),
                        _("Score"), _("Sheet status"), _("Comment")])
        rows = (Score.objects.filter(sheet__stage=stage)
                .select_related("sheet__entry__category", "sheet__judge", "criterion")
                .order_by("sheet__entry__category__order", "sheet__entry__code",
                          "sheet__judge__name", "criterion__order"))
        for s in rows.iterator(chunk_size=2000):
            row(scores, [s.sheet.entry.category.name, s.sheet.entry.code, s.sheet.judge.name,
                         s.criterion.name, s.criterion.weight, s.value,
                         s.sheet.get_status_display(), s.comment])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


