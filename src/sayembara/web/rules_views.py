"""Edition setup in the browser: the rules overview, section editors, YAML, freezing.

Every change goes through ``competitions.services.editions.update_rules``, which validates
the whole rules like a template file; its problems are shown next to the fields they name.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.common.permissions import requires
from sayembara.common.redirects import safe_next
from sayembara.competitions.services.editions import (
    EditionError,
    freeze_rules,
    reopen_rules,
    template_of,
    update_rules,
)
from sayembara.documents.services.plain_rules import award_names as tier_award_names
from sayembara.entries.selectors.types import check_types
from sayembara.judging.selectors.rules_text import disagreement_sentence
from sayembara.template_format import TemplateError, parse_template
from sayembara.template_format.blank import BLANK
from sayembara.template_format.cli import describe_advancement
from sayembara.template_format.loader import builtin_title
from sayembara.web import rules_conditions as conditions
from sayembara.web.loaders import edition_from_slug
from sayembara.web.rules_forms import (
    COMBINE,
    COMPARISON_LABELS,
    MEASURES,
    SECTIONS,
    DisagreementHeaderForm,
    ReopenForm,
    RulesYamlForm,
    Section,
    attach_problems,
    build_editor,
    empty_row,
    new_rules,
    parse_path,
    problem_text,
    rubric_section,
    set_at,
)

MANAGE = "competitions.manage_edition"
MAX_ROWS = 200


def _rules_context(edition: Any, **extra: Any) -> dict[str, Any]:
    return {
        "edition": edition,
        "open_reopening": edition.reopenings.filter(closed_at__isnull=True)
        .select_related("actor").first(),
        "reopen_form": extra.pop("reopen_form", None) or ReopenForm(),
        **extra,
    }


def _rules_url(edition: Any) -> str:
    return reverse("web:edition_rules", kwargs={"slug": edition.slug})


def _unit_names(template: Any, advance: Any) -> dict[str, str]:
    """Display names of the groups or categories a stage's quotas count by."""
    if advance is None or not advance.quotas:
        return {}
    units = template.groups if advance.scope == "group" else template.categories
    return {unit.id: unit.name or unit.id for unit in units}


def _overview(request, edition: Any, reopen_form: ReopenForm | None = None):
    template = template_of(edition)
    stages = [(stage, describe_advancement(stage.advance, _unit_names(template, stage.advance)),
               disagreement_sentence(stage.disagreement.to_data()) if stage.disagreement
               else "")
              for stage in template.stages]
    # Types and categories are shown by the names the template gives them, never by id.
    type_names = {kind.id: kind.name for kind in template.institution_types}
    category_names = {category.id: category.name for category in template.categories}
    categories = [(category, ", ".join(type_names.get(t, t) for t in category.institution_types))
                  for category in template.categories]
    # Each rank's award spelled out ("Juara 1, Juara 2 dan Juara 3"), never the pattern
    # with its {rank} placeholder.
    tiers = [(tier, ", ".join(category_names.get(c, c) for c in tier.categories),
              tier_award_names(tier) if tier.rank_name and tier.rank_to > tier.rank_from else "")
             for tier in template.awards.tiers]
    stage_names = {stage.id: stage.name for stage in template.stages}
    criterion_names = {c.id: c.name for rubric in template.rubrics for c in rubric.criteria}
    award_names = {award.id: award.name for award in template.awards.special}
    award_names["tiers"] = _("rank tiers")
    specials = [(award, stage_names.get(award.stage, award.stage),
                 criterion_names.get(award.criterion, award.criterion),
                 ", ".join(award_names.get(x, x) for x in award.exclude))
                for award in template.awards.special]
    return render(request, "web/rules.html", _rules_context(
        edition, template=template, stages=stages, reopen_form=reopen_form,
        reopenings=edition.reopenings.select_related("actor"), categories=categories,
        tiers=tiers, specials=specials, blank_start=edition.template_name == BLANK,
        template_title=builtin_title(edition.template_name),
        type_check=check_types(edition),
    ))


@requires(MANAGE, loader=edition_from_slug)
def edition_rules(request, slug):
    return _overview(request, request.checked_object)


def _edit_section(request, edition: Any, section: Section):
    rules = edition.rules
    frozen = edition.rules_frozen
    if request.method == "GET" and request.htmx and "row" in request.GET:
        try:
            index = int(request.GET["row"])
        except ValueError:
            raise Http404 from None
        if not 0 <= index < MAX_ROWS:
            raise Http404
        return render(request, "web/_rules_row_added.html", {
            "form": empty_row(section, rules, index), "section": section,
            "next_index": index + 1,
        })
    errors: list[str] = []
    if request.method == "POST":
        editor = build_editor(section, rules, data=request.POST, frozen=frozen)
        if frozen:
            errors.append(_("Nothing was saved: the rules are frozen. Reopen them below, "
                            "saying why and what the change affects, then save again."))
        elif section.read_only:
            errors.append(str(section.read_only))
        elif request.POST.get("rules_version") != str(edition.rules_version):
            errors.append(_("Nothing was saved: the rules were changed meanwhile (in another "
                            "tab or by someone else). Open this page again to see them, "
                            "then make your change."))
        elif editor.is_valid():
            data, row_forms = new_rules(editor)
            if not editor.other_problems:  # e.g. a rubric's points its siblings cannot follow
                try:
                    update_rules(edition=edition, data=data, actor=request.user)
                except TemplateError as error:
                    attach_problems(editor, error.problems, row_forms)
                except EditionError as error:
                    errors.append(str(error))
                else:
                    messages.success(request, _("The rules were saved."))
                    return redirect(request.path)
    else:
        try:
            extra = max(0, min(int(request.GET.get("extra", 0)), 20))
        except ValueError:
            extra = 0
        editor = build_editor(section, rules, frozen=frozen, extra_rows=extra)
    return render(request, "web/rules_section.html", _rules_context(
        edition, section=section, editor=editor, errors=errors,
        failed=request.method == "POST",
        other_problems=[problem_text(p) for p in editor.other_problems],
        extra_next=editor.formset.total_form_count() - editor.formset.initial_form_count() + 1,
    ))


@requires(MANAGE, loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def rules_section(request, slug, section):
    found = SECTIONS.get(section)
    if found is None:
        raise Http404
    return _edit_section(request, request.checked_object, found)


@requires(MANAGE, loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def rules_disagreement(request, slug, stage):
    """The disagreement rule of one stage: a simple difference, or conditions combined by
    and/or and nested in groups (a tree, see ``rules_conditions``), and the further
    reviewer."""
    edition = request.checked_object
    rules = edition.rules
    found = next(((index, item) for index, item in enumerate(rules.get("stages") or [])
                  if isinstance(item, dict) and item.get("id") == stage), None)
    if found is None:
        raise Http404
    index, stage_data = found
    base = ("stages", index, "disagreement")
    rule = stage_data.get("disagreement") or {}
    frozen = edition.rules_frozen
    errors: list[str] = []
    other: list[str] = []
    changed = False
    initial = DisagreementHeaderForm.initial_from(rule)
    if request.method == "POST":
        tree = conditions.tree_from_post(request.POST)
        change = request.POST.get("change")
        if change and not frozen:
            # add or remove a condition or a group: nothing is saved, what was typed stays
            tree = conditions.apply_change(tree, change)
            changed = True
            header = DisagreementHeaderForm(initial={
                **initial, **{name: request.POST.get(f"head-{name}") for name in
                              ("threshold", "reviewers")},
                "third_reviewer": bool(request.POST.get("head-third_reviewer"))},
                prefix="head")
        else:
            header = DisagreementHeaderForm(data=request.POST, initial=initial, prefix="head",
                                            frozen=frozen)
            when = conditions.clean(tree)
            if frozen:
                errors.append(_("Nothing was saved: the rules are frozen. Reopen them below, "
                                "saying why and what the change affects, then save again."))
            elif request.POST.get("rules_version") != str(edition.rules_version):
                errors.append(_("Nothing was saved: the rules were changed meanwhile (in "
                                "another tab or by someone else). Open this page again to "
                                "see them, then make your change."))
            elif header.is_valid() and not conditions.has_errors(tree):
                data = copy.deepcopy(rules)
                new_rule = header.write(rule)
                set_at(new_rule, ("when",), when)
                if (new_rule.get("threshold") is None and not when
                        and not new_rule.get("third_reviewer")):
                    data["stages"][index].pop("disagreement", None)  # no rule at all
                else:
                    data["stages"][index]["disagreement"] = new_rule
                try:
                    update_rules(edition=edition, data=data, actor=request.user)
                except TemplateError as error:
                    other = _attach_disagreement(error.problems, base, header, tree)
                except EditionError as error:
                    errors.append(str(error))
                else:
                    messages.success(request, _("The rules were saved."))
                    return redirect(request.path)
    else:
        tree = conditions.tree_from_data(rule.get("when"))
        header = DisagreementHeaderForm(initial=initial, prefix="head", frozen=frozen)
    return render(request, "web/rules_disagreement.html", _rules_context(
        edition, stage=stage_data, header=header, tree=tree, errors=errors,
        other_problems=other, changed=changed,
        failed=request.method == "POST" and not changed,
        saved_rule=disagreement_sentence(rule) if rule else "",
        measures=list(MEASURES.items()), comparisons=list(COMPARISON_LABELS.items()),
        combines=list(COMBINE.items()),
    ))


def _attach_disagreement(problems: list[Any], base: tuple[Any, ...], header: Any,
                         tree: Any) -> list[str]:
    """Put each problem beside the field or condition it names; the others are returned."""
    rest: list[str] = []
    for problem in problems:
        path = parse_path(problem.path)
        relative = path[len(base):] if path[:len(base)] == base else None
        if relative and relative[0] == "when" and conditions.attach(tree, relative[1:],
                                                                  problem.message):
            continue
        name = header.field_for(relative) if relative else None
        if name is not None:
            header.add_error(name, problem.message)
        else:
            rest.append(problem_text(problem))
    return rest


@requires(MANAGE, loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def rules_rubric(request, slug, rubric):
    edition = request.checked_object
    found = rubric_section(edition.rules, rubric)
    if found is None:
        raise Http404
    return _edit_section(request, edition, found)


def rules_yaml_text(edition: Any) -> str:
    header = _("# Rules of %(title)s (version %(version)s). Format: docs/templates.md") % {
        "title": edition.title, "version": edition.rules_version}
    body = yaml.safe_dump(template_of(edition).to_data(), sort_keys=False, allow_unicode=True,
                          width=100, default_flow_style=False)
    return f"{header}\n{body}"


@requires(MANAGE, loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def rules_yaml(request, slug):
    edition = request.checked_object
    problems: list[str] = []
    if request.method == "POST":
        form = RulesYamlForm(request.POST)
        if edition.rules_frozen:
            problems.append(_("Nothing was saved: the rules are frozen. Reopen them below, "
                              "saying why and what the change affects, then save again."))
        elif form.is_valid():
            try:
                template = parse_template(form.cleaned_data["text"], source=f"{edition.slug}.yaml")
                update_rules(edition=edition, data=template.to_data(), actor=request.user)
            except TemplateError as error:
                problems = [problem_text(problem) for problem in error.problems]
            except EditionError as error:
                problems = [str(error)]
            else:
                messages.success(request, _("The rules were saved."))
                return redirect("web:rules_yaml", slug=edition.slug)
    else:
        form = RulesYamlForm(initial={"text": rules_yaml_text(edition)})
    form.fields["text"].widget.attrs["readonly"] = edition.rules_frozen
    return render(request, "web/rules_yaml.html", _rules_context(
        edition, form=form, problems=problems))


@requires("competitions.audit_edition", loader=edition_from_slug)
def rules_download(request, slug):
    edition = request.checked_object
    response = HttpResponse(rules_yaml_text(edition), content_type="application/yaml; "
                                                                   "charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{edition.slug}-rules.yaml"'
    return response


@requires(MANAGE, loader=edition_from_slug)
@require_POST
def rules_reopen(request, slug):
    edition = request.checked_object
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopen_rules(edition=edition, actor=request.user, **form.cleaned_data)
        except EditionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("The rules are open for changes. Freeze them again "
                                        "when you are done."))
        return redirect(safe_next(request, _rules_url(edition)))
    return _overview(request, edition, reopen_form=form)


@requires(MANAGE, loader=edition_from_slug)
@require_POST
def rules_freeze(request, slug):
    edition = request.checked_object
    freeze_rules(edition=edition, actor=request.user, cause="reopening ended by the organiser")
    messages.success(request, _("The rules are frozen again."))
    return redirect(safe_next(request, _rules_url(edition)))


@requires(MANAGE, loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def rules_types(request, slug):
    """The rules' institution types against the organiser's registry, with the mapping of
    each unmatched type onto a type of the registry."""
    from sayembara.competitions.services.institution_types import map_institution_types
    from sayembara.entries.selectors.types import type_choices

    edition = request.checked_object
    check = check_types(edition)
    choices = type_choices(edition.organiser)
    kinds = [kind for kind, _label in choices]
    chosen = {kind_id: request.POST.get(f"map-{kind_id}", "") for kind_id, _n in check.unmatched}
    problem = ""
    if request.method == "POST":
        if any(value and value not in kinds for value in chosen.values()):
            problem = _("Choose one of the listed registry types.")
        else:
            try:
                map_institution_types(edition=edition, mapping=chosen, actor=request.user)
            except (EditionError, TemplateError) as error:
                problem = (str(error) if isinstance(error, EditionError) else
                           "; ".join(problem_text(p) for p in error.problems))
            else:
                messages.success(request, _("The institution types of the rules now match "
                                            "the registry."))
                return redirect("web:rules_types", slug=edition.slug)
    labels = dict(choices)
    registry = [(labels.get(kind, kind), count) for kind, count in check.unknown]
    rows = [(kind_id, name, chosen.get(kind_id, "")) for kind_id, name in check.unmatched]
    return render(request, "web/rules_types.html", _rules_context(
        edition, check=check, rows=rows, registry=registry, problem=problem,
        choices=choices))
