"""From a competition template to the scoring engine's rules.

The engine (:mod:`sayembara.scoring`) has its own input specification so that it depends on
nothing else; this module is the one place that translates a validated
:class:`~sayembara.template_format.model.Template` into a
:class:`~sayembara.scoring.Competition`. The translation is field for field; the notes below
are the only choices it makes:

* an ordinal criterion's evidence levels are keyed by their label;
* a stage scored from ``public_votes`` becomes a votes stage (score ``100 x votes / the most
  votes in the category``); ``self_assessment`` stages are scored by evaluators like judges;
* the template's ``calibration`` (model and regularisation, judge offsets with
  regularisation 1 by default) and each stage's ``aggregation.min_judges`` pass unchanged;
* a judge whose role is ``juri_kehormatan`` is honorary.
"""

from __future__ import annotations

from sayembara import scoring
from sayembara.template_format.model import (
    Advancement,
    Condition,
    Criterion,
    Rubric,
    ScoreBand,
    Stage,
    Template,
)

#: The panel role whose scores count only when a stage says so.
HONORARY_ROLE = "juri_kehormatan"


def _criterion(criterion: Criterion) -> scoring.Criterion:
    return scoring.Criterion(
        key=criterion.id,
        weight=criterion.weight,
        kind=scoring.CriterionKind(criterion.kind),
        scale_min=criterion.scale_min,
        scale_max=criterion.scale_max,
        step=criterion.step,
        levels=tuple(scoring.Level(key=level.label, score=level.score)
                     for level in criterion.levels),
        items=tuple(scoring.Item(key=item.id, points=item.points) for item in criterion.items),
    )


def _rubric(rubric: Rubric) -> scoring.Rubric:
    return scoring.Rubric(
        key=rubric.id,
        criteria=tuple(_criterion(c) for c in rubric.criteria),
        normalisation=scoring.Normalisation(rubric.normalisation),
        missing=scoring.MissingPolicy(rubric.missing),
        scale=rubric.scale,
    )


def engine_rubric(rubric: Rubric) -> scoring.Rubric:
    """The engine's form of one rubric of a template (for a single sheet's total)."""
    return _rubric(rubric)


def _advancement(rule: Advancement | None) -> scoring.Advancement | None:
    if rule is None:
        return None
    return scoring.Advancement(
        scope=scoring.Scope(rule.scope),
        top_n=rule.top_n,
        quotas=tuple(scoring.Quota(unit=q.unit, seats=q.count) for q in rule.quotas),
        passing_grade=rule.passing_grade,
        multiplier=rule.multiplier,
        ties=scoring.TiePolicy(rule.ties),
    )


def _condition(condition: Condition | None) -> scoring.Condition | None:
    if condition is None:
        return None
    comparisons = condition.comparisons
    name, value = comparisons[0] if comparisons else (None, None)
    return scoring.Condition(
        measure=scoring.Measure(condition.measure) if condition.measure else None,
        comparison=scoring.Comparison(name) if name else None,
        value=value,
        all=tuple(_c for c in condition.all if (_c := _condition(c)) is not None),
        any=tuple(_c for c in condition.any if (_c := _condition(c)) is not None),
    )


def _stage(template: Template, stage: Stage) -> scoring.Stage:
    categories = template.stage_categories(stage)
    rubrics: tuple[tuple[str, str], ...] = ()
    if stage.is_judged:
        pairs = []
        for category in categories:
            rubric = stage.rubric_for(category)
            if rubric is not None:
                pairs.append((category, rubric))
        rubrics = tuple(pairs)
    agg = stage.aggregation
    disagreement = None
    if stage.disagreement is not None:
        disagreement = scoring.Disagreement(
            threshold=stage.disagreement.threshold,
            third_reviewer=stage.disagreement.third_reviewer,
            reviewers=stage.disagreement.reviewers,
            when=_condition(stage.disagreement.when),
        )
    return scoring.Stage(
        key=stage.id,
        kind=scoring.StageKind(stage.kind),
        weight=stage.weight,
        source=scoring.Source.JUDGES if stage.is_judged else scoring.Source.VOTES,
        rubrics=rubrics,
        categories=tuple(stage.categories),
        aggregation=scoring.Aggregation(
            method=scoring.Method(agg.method),
            trim=agg.trim,
            trim_from=agg.trim_from_judges,
            count_honorary=stage.honorary_scores_count,
            min_judges=agg.min_judges,
            disagreement=disagreement,
        ),
        can_only_lower=stage.can_only_lower,
        official=scoring.Official(stage.official_score),
        advancement=_advancement(stage.advance),
    )


def _band(band: ScoreBand) -> scoring.Band:
    return scoring.Band(
        name=band.name, minimum=band.min, maximum=band.max,
        minimum_exclusive=band.min_exclusive, maximum_exclusive=band.max_exclusive,
        prize=band.prize, certificate=band.certificate,
    )


def competition_from_template(template: Template) -> scoring.Competition:
    """The engine's rules for a validated template."""
    awards = template.awards
    favourite = None
    if awards.favourite is not None:
        fav = awards.favourite
        favourite = scoring.Favourite(
            name=fav.name, winners=fav.winners, scope=scoring.Scope(fav.scope),
            exclude_jury_winners=fav.exclude_jury_winners, prize=fav.prize,
            certificate=fav.certificate, trophy=fav.trophy,
        )
    return scoring.Competition(
        key=template.name,
        categories=tuple(c.id for c in template.categories),
        groups=tuple(g.id for g in template.groups),
        rubrics=tuple(_rubric(r) for r in template.rubrics),
        stages=tuple(_stage(template, s) for s in template.stages),
        tie_breaks=tuple(scoring.TieBreak(step) for step in template.tie_break),
        award_scope=scoring.Scope(awards.ranking),
        tiers=tuple(
            scoring.AwardTier(
                key=t.id, name=t.name, rank_from=t.rank_from, rank_to=t.rank_to,
                trophy=t.trophy, certificate=t.certificate, prize=t.prize,
                categories=tuple(t.categories), rank_name=t.rank_name,
            )
            for t in awards.tiers
        ),
        grades=tuple(_band(b) for b in awards.grades),
        predicates=tuple(_band(b) for b in awards.predicates),
        favourite=favourite,
        special_awards=tuple(
            scoring.SpecialAward(
                key=a.id, name=a.name, stage=a.stage, criterion=a.criterion,
                winners=a.winners, categories=tuple(a.categories), exclude=tuple(a.exclude),
                prize=a.prize, certificate=a.certificate, trophy=a.trophy,
            )
            for a in awards.special
        ),
        calibration=scoring.Calibration(
            model=scoring.CalibrationModel(template.calibration.model),
            regularisation=template.calibration.regularisation,
        ),
    )
