"""What is checked when an entry is submitted: completeness against the entry form and
eligibility against the template's rules. Every refusal names its rule and says why."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara.common.timefmt import format_date
from sayembara.competitions.models import Edition
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import ACTIVE_STATES, DocumentKind, EntryState
from sayembara.entries.models import Entry, Institution, PastWinner
from sayembara.entries.validators import (
    check_video_length,
    check_video_url,
    count_words,
    duration_range,
    word_limit_sentence,
)
from sayembara.template_format.model import PastWinners, Template


@dataclass(frozen=True)
class Refusal:
    """One reason an entry cannot be submitted: the rule, and a sentence saying why."""

    rule: str
    message: str
    #: The part of the entry at fault ("category", "group"), for forms and imports.
    field: str = ""

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


class SubmissionRefused(Exception):
    """Raised with every refusal found, so the participant can fix them all at once."""

    def __init__(self, refusals: list[Refusal]):
        super().__init__("; ".join(str(refusal) for refusal in refusals))
        self.refusals = refusals


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day of the month ``months`` months earlier (the last day when shorter)."""
    month_index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(month_index, 12)
    month += 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, candidate))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _date(value: dt.date) -> str:
    return format_date(value)


def normalise_title(title: str) -> str:
    return " ".join(title.casefold().split())


def check_submission(entry: Entry) -> list[Refusal]:
    """Every reason ``entry`` cannot be submitted now (empty when it can)."""
    template = template_of(entry.edition)
    return check_completeness(entry, template) + check_eligibility(entry, template)


# --------------------------------------------------------------------------------------------
# Completeness
# --------------------------------------------------------------------------------------------


def check_completeness(entry: Entry, template: Template) -> list[Refusal]:
    form = template.entry_form
    refusals: list[Refusal] = []
    if not entry.title.strip():
        refusals.append(Refusal(_("Title"), _("The entry has no title. Give it one.")))
    proposal = entry.proposal or {}
    for section in form.sections:
        text = (proposal.get(section.id) or "").strip()
        if section.required and not text:
            refusals.append(Refusal(
                _("Required proposal section"),
                _("The section “%(title)s” is empty. Write it before submitting.")
                % {"title": section.title},
            ))
        elif section.max_words is not None and count_words(text) > section.max_words:
            words = count_words(text)
            refusals.append(Refusal(
                _("Word limit"),
                word_limit_sentence(section.title, words, section.max_words),
            ))
    uploaded = {(kind, slot) for kind, slot in entry.documents.values_list("kind", "slot")}
    affirmed = set(entry.affirmations.values_list("statement", flat=True))
    for statement in form.statements:
        if not statement.required:
            continue
        if statement.document and (DocumentKind.STATEMENT, statement.id) not in uploaded:
            refusals.append(Refusal(
                _("Required statement"),
                _("The signed statement “%(title)s” is not uploaded. Upload the signed and "
                  "stamped document.") % {"title": statement.title},
            ))
        elif not statement.document and statement.id not in affirmed:
            refusals.append(Refusal(
                _("Required statement"),
                _("The statement “%(title)s” is not affirmed. Tick it to affirm it.")
                % {"title": statement.title},
            ))
    for spec in form.documents:
        if spec.required and (DocumentKind.DOCUMENT, spec.id) not in uploaded:
            refusals.append(Refusal(
                _("Required document"),
                _("The document “%(title)s” is not uploaded.") % {"title": spec.title},
            ))
    claims = {claim.item: claim for claim in entry.claims.all()}
    for item in form.self_assessment:
        if item.id not in claims:
            refusals.append(Refusal(
                _("Self-assessment"),
                _("The question “%(question)s” has no answer. Choose the level your evidence "
                  "proves.") % {"question": item.question},
            ))
        elif item.evidence_required and (DocumentKind.EVIDENCE, item.id) not in uploaded:
            refusals.append(Refusal(
                _("Self-assessment"),
                _("The answer to “%(question)s” has no evidence. Upload the document that "
                  "proves the level you chose.") % {"question": item.question},
            ))
    video = form.video
    if video is not None:
        if not entry.video_url:
            if video.required:
                refusals.append(Refusal(_("Video"), _("The video link is missing.")))
        else:
            try:
                check_video_url(entry.video_url, hosts=video.hosts)
                if entry.video_seconds is None and (video.min_seconds or video.max_seconds):
                    raise ValidationError(
                        _("Give the length of the video; this competition accepts videos of "
                          "%(range)s.") % {"range": duration_range(video.min_seconds,
                                                                   video.max_seconds)}
                    )
                check_video_length(entry.video_seconds, min_seconds=video.min_seconds,
                                   max_seconds=video.max_seconds)
            except ValidationError as error:
                refusals.extend(Refusal(_("Video"), message) for message in error.messages)
    return refusals


# --------------------------------------------------------------------------------------------
# Eligibility
# --------------------------------------------------------------------------------------------


def check_eligibility(entry: Entry, template: Template) -> list[Refusal]:
    refusals: list[Refusal] = []
    rules = template.eligibility
    institution = entry.institution

    for months, rule in (
        (rules.min_innovation_age_months, _("Minimum age of the innovation")),
        (rules.min_system_running_months, _("Minimum time the system has been running")),
    ):
        if months is None:
            continue
        latest = months_before(template.closing_date, months)
        if entry.innovation_started_on is None:
            refusals.append(Refusal(rule, ngettext(
                "Give the date the innovation has been in use since; it must be on or before "
                "%(latest)s (%(months)s month before the closing date %(closing)s).",
                "Give the date the innovation has been in use since; it must be on or before "
                "%(latest)s (%(months)s months before the closing date %(closing)s).", months
            ) % {"latest": _date(latest), "months": months,
                 "closing": _date(template.closing_date)}))
        elif entry.innovation_started_on > latest:
            refusals.append(Refusal(rule, ngettext(
                "The innovation has been in use since %(started)s; the rules ask for at least "
                "%(months)s month before the closing date %(closing)s, so it must have "
                "started on or before %(latest)s.",
                "The innovation has been in use since %(started)s; the rules ask for at least "
                "%(months)s months before the closing date %(closing)s, so it must have "
                "started on or before %(latest)s.", months
            ) % {"started": _date(entry.innovation_started_on), "months": months,
                 "closing": _date(template.closing_date), "latest": _date(latest)}))

    if rules.max_entries_per_institution is not None:
        others = list(
            Entry.objects.filter(edition_id=entry.edition_id, institution_id=institution.pk,
                                 state__in=ACTIVE_STATES)
            .exclude(pk=entry.pk).values_list("code", flat=True)
        )
        if len(others) >= rules.max_entries_per_institution:
            refusals.append(Refusal(_("Entries per institution"), ngettext(
                "%(institution)s already has %(count)s entry in this edition (%(codes)s); "
                "the rules allow at most %(limit)s. Withdraw it first.",
                "%(institution)s already has %(count)s entries in this edition (%(codes)s); "
                "the rules allow at most %(limit)s. Withdraw one of them first.", len(others),
            ) % {"institution": institution.name, "count": len(others),
                 "codes": ", ".join(others), "limit": rules.max_entries_per_institution}))

    if rules.refuse_duplicate_titles and entry.title.strip():
        wanted = normalise_title(entry.title)
        for code, title in (
            Entry.objects.filter(edition_id=entry.edition_id, state__in=ACTIVE_STATES)
            .exclude(pk=entry.pk).values_list("code", "title")
        ):
            if normalise_title(title) == wanted:
                refusals.append(Refusal(_("Duplicate title"), _(
                    "Entry %(code)s already has the title “%(title)s”. Give this entry a "
                    "title of its own."
                ) % {"code": code, "title": title}))
                break

    refusals.extend(check_placement(
        template=template, edition=entry.edition, category_key=entry.category.key,
        group_key=entry.group.key if entry.group_id is not None else None,
        applicant=Applicant(name=institution.name, kind=institution.kind, pk=institution.pk),
        advice=_("Choose another category or group, or ask the organiser to correct the "
                 "registry or add the win to the list of past winners."),
    ))
    return refusals


@dataclass(frozen=True)
class Applicant:
    """Who enters: an institution of the registry (``pk``) or a row about to become one."""

    name: str
    kind: str
    pk: int | None = None


def check_placement(
    *,
    template: Template,
    edition: Edition,
    category_key: str,
    group_key: str | None,
    applicant: Applicant,
    advice: str = "",
    winners: dict[str, set[int]] | None = None,
) -> list[Refusal]:
    """May ``applicant`` enter the category and group? Checked when a draft is started, when
    rows are imported and when an entry is submitted, with the same sentences.

    ``advice`` is appended to each refusal (what the reader can do). ``winners`` caches,
    per group id, the institutions that qualify for a group reserved for past winners
    (many rows of one import share it).
    """
    refusals: list[Refusal] = []
    type_names = {kind.id: kind.name for kind in template.institution_types}

    def kind_name(kind: str) -> str:
        return type_names.get(kind, kind)

    def refuse(field: str, rule: str, why: str) -> None:
        refusals.append(Refusal(rule, f"{why} {advice}".strip(), field))

    try:
        category = template.category(category_key)
    except KeyError:
        return refusals
    if category.institution_types and applicant.kind not in category.institution_types:
        refuse("category", _("Institution types of the category"), _(
            "The category %(category)s is open to %(allowed)s; %(institution)s is registered "
            "as %(kind)s."
        ) % {"category": category.name,
             "allowed": ", ".join(kind_name(k) for k in category.institution_types),
             "institution": applicant.name, "kind": kind_name(applicant.kind)})
    if group_key is None:
        return refusals
    try:
        group = template.group(group_key)
    except KeyError:
        return refusals
    if group.categories and category.id not in group.categories:
        refuse("group", _("Group and category"), _(
            "The group %(group)s is not part of the category %(category)s."
        ) % {"group": group.name, "category": category.name})
    if group.institution_types and applicant.kind not in group.institution_types:
        refuse("group", _("Institution types of the group"), _(
            "The group %(group)s is open to %(allowed)s; %(institution)s is registered as "
            "%(kind)s."
        ) % {"group": group.name,
             "allowed": ", ".join(kind_name(k) for k in group.institution_types),
             "institution": applicant.name, "kind": kind_name(applicant.kind)})
    rule = group.past_winners
    if rule is not None:
        if winners is not None and group.id in winners:
            qualified = winners[group.id]
        else:
            qualified = past_winner_ids(
                edition=edition, rule=rule,
                institution_ids=None if winners is not None else [applicant.pk or 0])
            if winners is not None:
                winners[group.id] = qualified
        if applicant.pk is None or applicant.pk not in qualified:
            years = ", ".join(str(year) for year in rule.years)
            if rule.max_rank:
                why = _("The group %(group)s is reserved for institutions ranked %(rank)s or "
                        "better in %(competition)s in %(years)s; %(institution)s is not among "
                        "them.")
            else:
                why = _("The group %(group)s is reserved for winners of %(competition)s in "
                        "%(years)s; %(institution)s is not among them.")
            refuse("group", _("Group reserved for past winners"), why % {
                "group": group.name, "rank": rule.max_rank,
                "competition": edition.competition.name, "years": years,
                "institution": applicant.name})
    return refusals


def past_winner_ids(*, edition: Edition, rule: PastWinners,
                    institution_ids: list[int] | None = None) -> set[int]:
    """The institutions that won the edition's competition in one of ``rule.years`` (among
    ``institution_ids`` when given).

    Read from the final results of those years' editions in Sayembara, and from the imported
    list of past winners for years run elsewhere.
    """
    from sayembara.judging.models import FinalResult

    results = FinalResult.objects.filter(
        edition__competition_id=edition.competition_id, edition__year__in=rule.years,
    )
    imported = PastWinner.objects.filter(
        competition_id=edition.competition_id, year__in=rule.years,
    )
    if institution_ids is not None:
        results = results.filter(entry__institution_id__in=institution_ids)
        imported = imported.filter(institution_id__in=institution_ids)
    if rule.max_rank is not None:
        results = results.filter(rank__lte=rule.max_rank)
        imported = imported.filter(rank__lte=rule.max_rank)
    else:
        results = results.filter(
            Q(award_tier__isnull=False) | ~Q(award_label="") | Q(entry__state=EntryState.WINNER)
        )
    return (set(results.values_list("entry__institution_id", flat=True))
            | set(imported.values_list("institution_id", flat=True)))


def won_before(*, institution: Institution, edition: Edition, rule: PastWinners) -> bool:
    """Did the institution win the edition's competition in one of ``rule.years``?"""
    return institution.pk in past_winner_ids(edition=edition, rule=rule,
                                             institution_ids=[institution.pk])
