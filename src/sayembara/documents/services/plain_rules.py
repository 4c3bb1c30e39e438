"""An edition's rules in plain sentences, written from its validated template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sayembara import scoring
from sayembara.template_format.model import Stage, Template


def _n(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return text.replace(".", ",")


def _money(value: Decimal) -> str:
    return "Rp " + f"{value.quantize(Decimal(1)):,}".replace(",", ".")


AGGREGATION = {
    "mean": lambda a: _("The judges' scores are averaged."),
    "median": lambda a: _("The middle score of the judges (the median) counts."),
    "trimmed_mean": lambda a: ngettext(
        "When at least %(judges)s judges score an entry, the highest and the lowest score "
        "are dropped and the rest averaged.",
        "When at least %(judges)s judges score an entry, the %(trim)s highest and %(trim)s "
        "lowest scores are dropped and the rest averaged.", a.trim
    ) % {"judges": a.trim_from_judges, "trim": a.trim},
}

TIE_BREAKS = {
    "heaviest_stage": lambda: _("the score of the heaviest stage"),
    "heaviest_criterion": lambda: _("the score of the heaviest criterion"),
    "head_to_head": lambda: _("which of the two most judges who scored both preferred"),
    "untrimmed_mean": lambda: _("the average of all judges' scores"),
    "median": lambda: _("the median of the judges' scores"),
    "recorded_decision": lambda: _("a recorded decision of the jury"),
    "lot": lambda: _("a lot drawn from a published seed"),
}


def stage_sentences(template: Template, stage: Stage) -> list[str]:
    out = []
    if stage.kind == "weighted":
        out.append(_("This stage counts for %(weight)s%% of the final score.")
                   % {"weight": _n(stage.weight)})
    else:
        out.append(_("This stage only decides who goes on; its score is not added to the "
                     "final score."))
    if stage.score_source == "public_votes":
        out.append(_("The score comes from the public vote."))
    elif stage.score_source == "self_assessment":
        out.append(_("Participants assess themselves with evidence; evaluators check each "
                     "claim."))
    rubric_ids = {stage.rubric_for(c) for c in template.stage_categories(stage)} - {None}
    for rubric_id in sorted(rubric_ids):
        rubric = template.rubric(rubric_id)
        if rubric.scale == 100:
            parts = ", ".join(f"{c.name} ({_n(c.weight)}%)" for c in rubric.criteria)
            out.append(_("%(rubric)s: %(criteria)s.")
                       % {"rubric": rubric.name, "criteria": parts})
        else:
            parts = ", ".join(_("%(name)s (%(points)s points)")
                              % {"name": c.name, "points": _n(c.weight)}
                              for c in rubric.criteria)
            out.append(_("%(rubric)s, scored in points out of %(scale)s: %(criteria)s.")
                       % {"rubric": rubric.name, "scale": _n(rubric.scale), "criteria": parts})
    if stage.is_judged:
        out.append(AGGREGATION[stage.aggregation.method](stage.aggregation))
        if stage.aggregation.min_judges > 1:
            out.append(_("An entry is scored once at least %(count)s judges have scored it.")
                       % {"count": stage.aggregation.min_judges})
    if stage.disagreement is not None:
        from sayembara.judging.selectors.rules_text import disagreement_sentence

        sentence = disagreement_sentence(stage.disagreement.to_data())
        if sentence:
            out.append(sentence)
    if stage.can_only_lower:
        out.append(_("This stage can lower an entry's score but never raise it."))
    if stage.blind:
        out.append(_("Judges do not see who the participant is."))
    advance = stage.advance
    if advance is not None:
        unit = {"category": _("per category"), "group": _("per group"),
                "overall": _("overall")}[advance.scope]
        if advance.top_n:
            out.append(ngettext("The best entry %(unit)s goes on.",
                                "The best %(count)s entries %(unit)s go on.",
                                advance.top_n * advance.multiplier)
                       % {"count": advance.top_n * advance.multiplier, "unit": unit})
        names = {item.id: item.name for item in template.groups + template.categories}
        for quota in advance.quotas:
            if quota.count == 0:
                out.append(_("No entry of %(unit)s goes on at this stage.")
                           % {"unit": names.get(quota.unit, quota.unit)})
                continue
            out.append(ngettext("%(count)s entry of %(unit)s goes on.",
                                "%(count)s entries of %(unit)s go on.",
                                quota.count * advance.multiplier)
                       % {"count": quota.count * advance.multiplier,
                          "unit": names.get(quota.unit, quota.unit)})
        if advance.passing_grade is not None:
            out.append(_("An entry needs at least %(grade)s points to go on.")
                       % {"grade": _n(advance.passing_grade)})
        if advance.ties == "admit_all":
            out.append(_("Entries tied at the cut all go on."))
    return out


def award_names(tier: Any) -> str:
    """"Juara 1, Juara 2 dan Juara 3" for a tier naming each rank, else the tier's name."""
    if not tier.rank_name or tier.rank_from == tier.rank_to:
        return tier.name
    engine_tier = scoring.AwardTier(key=tier.id, name=tier.name, rank_from=tier.rank_from,
                                    rank_to=tier.rank_to, rank_name=tier.rank_name)
    names = [engine_tier.award_for(rank) for rank in range(tier.rank_from, tier.rank_to + 1)]
    if len(names) > 4:
        return _("%(first)s to %(last)s") % {"first": names[0], "last": names[-1]}
    if len(names) == 2:
        return _("%(first)s and %(last)s") % {"first": names[0], "last": names[1]}
    # Translators: a list of three or more; Indonesian writes "A, B, dan C".
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}


def rules_in_plain_words(template: Template) -> dict[str, list]:
    """Sections of sentences: who may enter, stages, ties, awards, public participation."""
    who = []
    for category in template.categories:
        who.append(category.name + (f": {category.description}" if category.description else ""))
    eligibility = template.eligibility
    if eligibility.min_innovation_age_months:
        months = eligibility.min_innovation_age_months
        who.append(ngettext("The innovation must have been in use for at least %(months)s "
                            "month by the closing date.",
                            "The innovation must have been in use for at least %(months)s "
                            "months by the closing date.", months) % {"months": months})
    if eligibility.max_entries_per_institution:
        who.append(ngettext("Each institution may enter once.",
                            "Each institution may enter at most %(count)s times.",
                            eligibility.max_entries_per_institution)
                   % {"count": eligibility.max_entries_per_institution})
    stages = [{"name": stage.name, "sentences": stage_sentences(template, stage)}
              for stage in template.stages]
    ties = [_("Entries with equal scores are separated by, in order: %(chain)s.")
            % {"chain": "; ".join(TIE_BREAKS[m]() for m in template.tie_break)}]
    awards = []
    for tier in template.awards.tiers:
        what = [award_names(tier)]
        if tier.trophy:
            what.append(_("a trophy"))
        if tier.certificate:
            what.append(_("a certificate"))
        if tier.prize:
            what.append(_money(tier.prize))
        if tier.rank_from == tier.rank_to:
            awards.append(_("Rank %(rank)s: %(what)s.") % {"rank": tier.rank_from,
                                                           "what": ", ".join(what)})
        else:
            awards.append(_("Ranks %(ranks)s: %(what)s.") % {
                "ranks": f"{tier.rank_from}–{tier.rank_to}", "what": ", ".join(what)})
    top = _n(final_scale(template))
    for band in template.awards.predicates + template.awards.grades:
        awards.append(_("%(name)s: final score from %(min)s to %(max)s.")
                      % {"name": band.name, "min": _n(band.min) if band.min is not None else "0",
                         "max": _n(band.max) if band.max is not None else top})
    favourite = template.awards.favourite
    if favourite is not None:
        sentence = _("%(name)s: decided by the public vote.") % {"name": favourite.name}
        if favourite.exclude_jury_winners:
            sentence += " " + _("An entry that won a jury award cannot also take it.")
        awards.append(sentence)
    names = {award.id: award.name for award in template.awards.special}
    for award in template.awards.special:
        stage = template.stage(award.stage)
        criterion = _criterion_name(template, stage, award.criterion)
        sentence = ngettext(
            "%(name)s: the best entry of each category on %(criterion)s at %(stage)s.",
            "%(name)s: the %(count)s best entries of each category on %(criterion)s at "
            "%(stage)s.", award.winners,
        ) % {"name": award.name, "count": award.winners, "criterion": criterion,
             "stage": stage.name}
        passed_over = [names.get(key, key) if key != "tiers" else _("a rank award")
                       for key in award.exclude]
        if passed_over:
            sentence += " " + _("Entries holding %(awards)s are passed over.") % {
                "awards": _joined(passed_over)}
        awards.append(sentence)
    public = []
    if template.public.uji_publik:
        public.append(ngettext("After the finalists of %(stage)s are announced, anyone may "
                               "support or object to a finalist for %(days)s day.",
                               "After the finalists of %(stage)s are announced, anyone may "
                               "support or object to a finalist for %(days)s days.",
                               template.public.uji_publik.days)
                      % {"stage": template.stage(template.public.uji_publik.after_stage).name,
                         "days": template.public.uji_publik.days})
    if template.public.favourite_vote:
        public.append(_("The public votes for its favourite; each person confirms their "
                        "e-mail address and has one vote per category."))
    return {"who": who, "stages": stages, "ties": ties, "awards": awards, "public": public}


def _criterion_name(template: Template, stage: Stage, criterion_id: str) -> str:
    for category in template.stage_categories(stage):
        rubric_id = stage.rubric_for(category)
        if rubric_id is None:
            continue
        for criterion in template.rubric(rubric_id).criteria:
            if criterion.id == criterion_id:
                return criterion.name
    return criterion_id


def final_scale(template: Template) -> Decimal:
    """The scale of the final score: the weighted stages' rubrics' (100 by default)."""
    judged = [stage for stage in template.stages if stage.is_judged]
    weighted = [stage for stage in template.weighted_stages if stage.is_judged]
    for stage in weighted or judged[-1:]:
        rubric_id = stage.rubric_for(template.stage_categories(stage)[0])
        if rubric_id is not None:
            return template.rubric(rubric_id).scale
    return Decimal(100)


def _joined(names: list[str]) -> str:
    """"A", "A dan B", "A, B dan C"."""
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return _("%(first)s and %(last)s") % {"first": names[0], "last": names[1]}
    return _("%(names)s and %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
