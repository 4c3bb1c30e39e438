"""Putting entries forward to the next level's competition run by another organiser: the
sender's page per edition, the receiver's inbox and settings, one referral's page with the
entry's documents and history, and the decision."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sayembara.common.params import is_plain_int
from sayembara.common.permissions import requires
from sayembara.competitions.services.editions import template_of
from sayembara.entries.enums import FORWARDABLE_STATES, DocumentKind, EntryState, ReferralStatus
from sayembara.entries.models import Entry, Referral
from sayembara.entries.services.carrying import mentoring_log
from sayembara.entries.services.entries import EntryStateError
from sayembara.entries.services.referrals import (
    decide_referral,
    forward_entry_to,
    receiving_editions,
    set_forwarding,
    withdraw_referral,
)
from sayembara.participation.forms import (
    ForwardingSettingsForm,
    PutForwardForm,
    ReferralDecisionForm,
)
from sayembara.participation.loaders import edition_from_slug, referral_from_pk

_STATE_ORDER = {EntryState.WINNER: 0, EntryState.FINALIST: 1, EntryState.IN_STAGE: 2,
                EntryState.PASSED_ADMIN: 3, EntryState.ELIMINATED: 4}


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def edition_put_forward(request, slug):
    """The sending organiser's page: entries of the edition that can go on, the editions of
    other organisers that take them, and what became of those already put forward."""
    from sayembara.judging.models import FinalResult

    edition = request.checked_object
    candidates = Entry.objects.filter(edition=edition, state__in=FORWARDABLE_STATES)
    targets = receiving_editions(organiser_id=edition.organiser_id)
    chosen = request.GET.get("entri", "")
    form = PutForwardForm(request.POST or None, entries=candidates, editions=targets,
                          initial={"entries": [int(chosen)] if is_plain_int(chosen) else []})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = []
        for entry in data["entries"]:
            try:
                forward_entry_to(entry=entry, edition=data["to_edition"], note=data["note"],
                                 actor=request.user)
            except EntryStateError as error:
                messages.warning(request, str(error))
            else:
                done.append(entry.code)
        if done:
            messages.success(request, _("Put forward to %(edition)s: %(codes)s.")
                             % {"edition": data["to_edition"].title, "codes": ", ".join(done)})
        return redirect("participation:edition_put_forward", slug=edition.slug)
    awards = {r.entry_id: r for r in FinalResult.objects.filter(edition=edition)}
    rows = sorted(candidates.select_related("institution", "category"),
                  key=lambda e: (_STATE_ORDER.get(e.state, 9),
                                 getattr(awards.get(e.pk), "rank", None) or 10**6, e.code))
    sent = list(Referral.objects.filter(entry__edition=edition)
                .select_related("entry", "to_edition", "to_edition__organiser"))
    already = {r.entry_id for r in sent
               if r.status in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED)}
    return render(request, "participation/referral_send.html", {
        "edition": edition, "form": form, "has_targets": targets.exists(),
        "rows": [(entry, awards.get(entry.pk)) for entry in rows], "sent": sent,
        "already": already,
    })


@requires("competitions.manage_edition", loader=edition_from_slug)
@require_http_methods(["GET", "POST"])
def referral_inbox(request, slug):
    """The receiving organiser's page: whether the edition takes entries put forward, and
    those sent to it."""
    edition = request.checked_object
    form = ForwardingSettingsForm(request.POST or None, initial={
        "accepts": edition.accepts_forwarded_entries, "note": edition.forwarding_note})
    if request.method == "POST" and form.is_valid():
        set_forwarding(edition=edition, accepts=form.cleaned_data["accepts"],
                       note=form.cleaned_data["note"], actor=request.user)
        messages.success(request, _("The setting is saved."))
        return redirect("participation:referral_inbox", slug=edition.slug)
    referrals = (Referral.objects.filter(to_edition=edition)
                 .exclude(status=ReferralStatus.WITHDRAWN)
                 .select_related("entry", "entry__institution", "entry__edition",
                                 "entry__edition__organiser", "accepted_entry"))
    return render(request, "participation/referral_inbox.html", {
        "edition": edition, "form": form,
        "pending": [r for r in referrals if r.status == ReferralStatus.PENDING],
        "decided": [r for r in referrals if r.status != ReferralStatus.PENDING],
    })


def _stage_results(entry: Entry):
    from sayembara.judging.models import FinalResult, StageResult

    stages = (StageResult.objects.filter(entry=entry).select_related("stage")
              .order_by("stage__order"))
    return list(stages), FinalResult.objects.filter(entry=entry).first()


@requires("entries.view_referral", loader=referral_from_pk)
def referral_detail(request, pk):
    """One entry put forward, as its sender and its receiver see it: the entry with its
    documents, state history, results and mentoring log, and the decision."""
    referral = request.checked_object
    entry = referral.entry
    template = template_of(entry.edition)
    stage_results, final = _stage_results(entry)
    receiver = request.user.has_perm("entries.decide_referral", referral)
    sections = [(section, (entry.proposal or {}).get(section.id, ""))
                for section in template.entry_form.sections
                if (entry.proposal or {}).get(section.id)]
    form = None
    if receiver and referral.status == ReferralStatus.PENDING:
        same = referral.to_edition.organiser.institutions.filter(
            name__iexact=entry.institution.name).first()
        form = ReferralDecisionForm(edition=referral.to_edition,
                                    initial={"institution": same})
    return render(request, "participation/referral_detail.html", {
        "referral": referral, "entry": entry, "edition": entry.edition,
        "receiver": receiver,
        "sender": request.user.has_perm("entries.withdraw_referral", referral),
        "history": entry.state_changes.select_related("actor"),
        "documents": entry.documents.exclude(kind=DocumentKind.CARRIED).order_by("kind", "slot"),
        "sections": sections, "stage_results": stage_results, "final": final,
        "mentoring": mentoring_log(entry), "form": form,
    })


@requires("entries.decide_referral", loader=referral_from_pk)
@require_POST
def referral_decide(request, pk):
    referral = request.checked_object
    form = ReferralDecisionForm(request.POST, edition=referral.to_edition)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("participation:referral", pk=referral.pk)
    data = form.cleaned_data
    try:
        referral, carried = decide_referral(
            referral=referral, accept=data["decision"] == "accept", actor=request.user,
            reason=data["reason"], category=data["category"], group=data["group"],
            institution=data["institution"])
    except EntryStateError as error:
        messages.error(request, str(error))
        return redirect("participation:referral", pk=referral.pk)
    if carried is None:
        messages.success(request, _("Entry %(code)s was declined; the sender is told.")
                         % {"code": referral.entry.code})
        return redirect("participation:referral_inbox", slug=referral.to_edition.slug)
    messages.success(request, _("Entry %(code)s was accepted as draft %(new)s; the sender is "
                                "told.") % {"code": referral.entry.code,
                                            "new": carried.entry.code})
    for text in carried.uploads_needed + carried.warnings:
        messages.warning(request, text)
    return redirect("participation:entry_detail", pk=carried.entry.pk)


@requires("entries.withdraw_referral", loader=referral_from_pk)
@require_POST
def referral_withdraw(request, pk):
    referral = request.checked_object
    try:
        withdraw_referral(referral=referral, actor=request.user)
    except EntryStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The entry was withdrawn from %(edition)s.")
                         % {"edition": referral.to_edition.title})
    return redirect("participation:edition_put_forward", slug=referral.entry.edition.slug)
