"""The favourite vote and comments: one-time codes, proof of work, votes."""

from __future__ import annotations

from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sayembara.common.clientip import client_ip
from sayembara.common.permissions import PUBLIC, requires
from sayembara.common.redirects import safe_next
from sayembara.competitions.enums import TimeZone
from sayembara.public.loaders import public_edition, public_entry
from sayembara.public.views import VOTER_COOKIE, current_voter_id
from sayembara.voting.errors import Refused
from sayembara.voting.models import Ballot, Voter
from sayembara.voting.selectors.votes import ballot_id_for, live_counts, voting_state
from sayembara.voting.services import pow, ratelimit
from sayembara.voting.services.comments import post_comment
from sayembara.voting.services.voters import (
    VOTER_TOKEN_MAX_AGE,
    verify_code,
    voter_token,
)
from sayembara.voting.services.voters import (
    request_code as send_code,
)
from sayembara.voting.services.votes import cast_vote


def _refusal_response(request, refused: Refused, *, template: str, context: dict):
    context = context | {"error": refused.message}
    response = render(request, template, context, status=refused.status)
    if refused.retry_after:
        response["Retry-After"] = str(refused.retry_after)
    return response


@requires(PUBLIC)
@never_cache
@require_GET
def challenge(request):
    purpose = request.GET.get("purpose", "")
    if purpose not in pow.PURPOSES:
        return JsonResponse({"message": _("Ask for a challenge for a vote or a code.")},
                            status=400)
    return JsonResponse(pow.issue_challenge(purpose=purpose).data)


@requires(PUBLIC)
@require_POST
def request_code(request):
    address = request.POST.get("address", "")
    next_url = safe_next(request, reverse("public:index"))
    zone = request.POST.get("zone", "")
    zone = zone if zone in TimeZone.values else ""
    context = {"address": address, "next": next_url, "zone": zone}
    try:
        send_code(address=address, ip=client_ip(request),
                  proof=request.POST.get(pow.FIELD, ""), zone=zone)
    except Refused as refused:
        return _refusal_response(request, refused, template="public/voter_code.html",
                                 context=context | {"step": "address"})
    return render(request, "public/voter_code.html", context | {"step": "code", "sent": True})


@requires(PUBLIC)
@require_POST
def verify(request):
    address = request.POST.get("address", "")
    next_url = safe_next(request, reverse("public:index"))
    try:
        voter = verify_code(address=address, code=request.POST.get("code", ""))
    except Refused as refused:
        return _refusal_response(request, refused, template="public/voter_code.html",
                                 context={"address": address, "next": next_url, "step": "code"})
    response = HttpResponseRedirect(next_url)
    response.set_cookie(VOTER_COOKIE, voter_token(voter), max_age=VOTER_TOKEN_MAX_AGE,
                        httponly=True, samesite="Lax", secure=request.is_secure())
    return response


@requires(PUBLIC)
@require_POST
def sign_out(request):
    response = HttpResponseRedirect(safe_next(request, reverse("public:index")))
    response.delete_cookie(VOTER_COOKIE)
    return response


@requires(PUBLIC, loader=public_edition)
@never_cache
def ballot(request, slug):
    edition = request.checked_object
    ballot = get_object_or_404(Ballot, edition=edition)
    voter_id = current_voter_id(request)
    voter = Voter.objects.filter(pk=voter_id).first() if voter_id else None
    candidates = list(ballot.candidates.select_related("entry", "entry__institution",
                                                       "entry__category")
                      .order_by("entry__category__order", "order"))
    live = live_counts(ballot) if ballot.show_live_counts else None
    counts = live.counts if live else {}
    voted = set()
    if voter is not None:
        voted = set(ballot.votes.filter(voter=voter).values_list("entry_id", flat=True))
    groups: dict[int, dict] = {}
    for candidate in candidates:
        entry = candidate.entry
        key = entry.category_id if ballot.scope == "category" else 0
        group = groups.setdefault(key, {"name": entry.category.name if key else ballot.name,
                                        "unit": key, "rows": []})
        group["rows"].append({"entry": entry, "votes": counts.get(entry.pk, 0),
                              "mine": entry.pk in voted})
    for group in groups.values():
        group["done"] = any(row["mine"] for row in group["rows"])
    return render(request, "public/ballot.html", {
        "edition": edition, "ballot": ballot, "state": voting_state(ballot),
        "voter": voter, "groups": list(groups.values()),
        "counted_at": live.counted_at if live else None,
    })


@requires(PUBLIC)
@require_POST
def cast(request, slug):
    """Record a vote; answers JSON (status 201, or 4xx/429 with the reason)."""
    ballot_id = ballot_id_for(slug)
    try:
        if ballot_id is None:
            raise Refused(_("This competition has no favourite vote."), status=404)
        entry_id = _int(request.POST.get("entry"))
        if entry_id is None:
            raise Refused(_("Choose the entry you vote for."))
        cast_vote(ballot_id=ballot_id, voter_id=current_voter_id(request), entry_id=entry_id,
                  ip=client_ip(request), proof=request.POST.get(pow.FIELD, ""))
    except Refused as refused:
        response = JsonResponse({"ok": False, "message": refused.message}, status=refused.status)
        if refused.retry_after:
            response["Retry-After"] = str(refused.retry_after)
        return response
    return JsonResponse({"ok": True, "message": _("Thank you, your vote is recorded.")},
                        status=201)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@requires(PUBLIC, loader=public_edition)
@require_POST
def uji_publik_feedback(request, slug):
    """Support or an objection about a finalist (the judging app checks and stores it)."""
    from sayembara.entries.models import Entry
    from sayembara.judging.services.errors import JudgingError
    from sayembara.judging.services.public import submit_public_feedback
    from sayembara.public.views import uji_publik_context

    edition = request.checked_object
    data = request.POST
    entry = Entry.objects.filter(edition=edition, pk=_int(data.get("entry"))).first()
    problems: dict[str, str] = {}
    try:
        ratelimit.hit(f"feedback-ip:{client_ip(request)}", limit=10, window=3600)
        pow.check_solution(payload=data.get(pow.FIELD, ""), purpose="feedback")
        if entry is None:
            raise Refused(_("Choose the finalist your message is about."))
        submit_public_feedback(entry=entry, kind=data.get("kind", ""),
                               name=data.get("name", ""), email=data.get("email", ""),
                               phone=data.get("phone", ""), text=data.get("text", ""),
                               attachment=request.FILES.get("attachment"))
    except Refused as refused:
        problems, status, message = {}, refused.status, refused.message
    except JudgingError as error:
        problems, status, message = error.problems, 400, error.message
    else:
        return redirect(reverse("public:uji_publik", kwargs={"slug": edition.slug})
                        + "?pesan=terkirim#kirim")
    context = uji_publik_context(edition) | {"error": message, "problems": problems,
                                             "form": data}
    return render(request, "public/uji_publik.html", context, status=status)


@requires(PUBLIC, loader=public_entry)
@require_POST
def comment(request, pk):
    entry = request.checked_object
    try:
        post_comment(entry=entry, voter_id=current_voter_id(request),
                     body=request.POST.get("body", ""), ip=client_ip(request),
                     display_name=request.POST.get("display_name", ""))
    except Refused as refused:
        return _refusal_response(request, refused, template="public/comment_result.html",
                                 context={"entry": entry, "body": request.POST.get("body", "")})
    return redirect(reverse("public:entry", kwargs={"pk": entry.pk}) + "?komentar=terkirim")
