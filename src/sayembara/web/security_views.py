"""The organiser's page of security events (read from the audit log)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from sayembara.common.permissions import requires
from sayembara.common.services.security import (
    LOGIN_LOCKED,
    LOGIN_UNLOCKED,
    PASSWORD_CHANGED,
    PASSWORD_RESET,
    RECOVERY_CODE_USED,
    RECOVERY_CODES_CREATED,
    TWO_STEP_DISABLED,
    TWO_STEP_ENABLED,
    TWO_STEP_RESET,
    TWO_STEP_THROTTLED,
    UPLOAD_REFUSED,
)
from sayembara.competitions.models import Edition
from sayembara.competitions.selectors.security import KINDS, security_events, security_scope
from sayembara.entries.selectors.deadlines import format_deadline
from sayembara.entries.validators import format_size

PAGE_SIZE = 50
KIND_LABELS = {
    "masuk": gettext_lazy("Sign-in and passwords"),
    "dua-langkah": gettext_lazy("Two-step verification"),
    "unggahan": gettext_lazy("Refused files"),
}


@dataclass(frozen=True)
class EventRow:
    when: str
    what: str
    who: str
    detail: str
    edition: str


def _count(value: Any) -> tuple[int, dict[str, Any]]:
    """A number from an event for ngettext, and its text ("?" when it is missing)."""
    if isinstance(value, int):
        return value, {"count": value}
    return 2, {"count": "?"}


def _what(event: Any) -> str:
    after = event.after or {}
    minutes, shown_minutes = _count(after.get("minutes"))
    failures, shown_failures = _count(after.get("failures"))
    attempts, shown_attempts = _count(after.get("attempts"))
    if event.action == LOGIN_LOCKED:
        return _("The account %(account)s was locked after %(failures)s, for %(minutes)s.") % {
            "account": after.get("username") or event.object_id,
            "failures": ngettext("%(count)s wrong password", "%(count)s wrong passwords",
                                 failures) % shown_failures,
            "minutes": ngettext("%(count)s minute", "%(count)s minutes", minutes)
            % shown_minutes}
    if event.action in TWO_STEP_ENABLED:
        return _("Two-step verification was switched on.")
    if event.action in TWO_STEP_DISABLED:
        return _("Two-step verification was switched off.")
    if event.action == LOGIN_UNLOCKED:
        return _("Sign-in of %(account)s was unlocked by the secretariat.") % {
            "account": after.get("username") or event.object_id}
    if event.action == TWO_STEP_THROTTLED:
        return _("Two-step codes for %(account)s were refused for %(minutes)s after "
                 "%(attempts)s.") % {
            "account": event.actor_label or event.object_id,
            "attempts": ngettext("%(count)s wrong code", "%(count)s wrong codes", attempts)
            % shown_attempts,
            "minutes": ngettext("%(count)s minute", "%(count)s minutes", minutes)
            % shown_minutes}
    if event.action == RECOVERY_CODES_CREATED:
        return _("New recovery codes were made (the earlier ones no longer work).")
    if event.action == RECOVERY_CODE_USED:
        return _("A recovery code was used to sign in (%(left)s left).") % {
            "left": after.get("left", "?")}
    if event.action == TWO_STEP_RESET:
        return _("Two-step verification of %(account)s was reset by the secretariat.") % {
            "account": after.get("username") or event.object_id}
    if event.action == PASSWORD_CHANGED:
        return _("The password was changed.")
    if event.action == PASSWORD_RESET:
        return _("A new password was set from an e-mailed link.")
    if event.action == UPLOAD_REFUSED:
        size = after.get("size")
        return _("The file “%(name)s” (%(size)s) for “%(purpose)s” was refused.") % {
            "name": after.get("name", ""), "purpose": after.get("purpose", ""),
            "size": format_size(size) if isinstance(size, int) else "?"}
    return _("Another security event was recorded.")


def _who(event: Any) -> str:
    if event.action == UPLOAD_REFUSED and (event.after or {}).get("source") == "uji_publik":
        return _("A member of the public (uji publik)")
    if event.actor_label in ("", "system"):
        return _("The system")
    return event.actor_label


def _detail(event: Any) -> str:
    after = event.after or {}
    parts = [event.reason] if event.reason else []
    if after.get("ip"):
        parts.append(_("From address %(ip)s.") % {"ip": after["ip"]})
    return " ".join(parts)


@dataclass(frozen=True)
class _Zone:
    """What format_deadline needs of an edition: a zone and its abbreviation."""

    zoneinfo: Any
    timezone: str


def rows_of(events: list[Any], organisers: list[Any]) -> list[EventRow]:
    editions = {e.pk: e for e in Edition.objects.filter(
        pk__in={event.edition_id for event in events if event.edition_id})}
    fallback = _zone_of(organisers[0]) if organisers else None
    rows = []
    for event in events:
        edition = editions.get(event.edition_id)
        zone = edition or fallback
        rows.append(EventRow(
            when=format_deadline(event.created_at, zone) if zone else str(event.created_at),
            what=_what(event), who=_who(event), detail=_detail(event),
            edition=edition.title if edition else ""))
    return rows


def _zone_of(organiser: Any) -> _Zone:
    from zoneinfo import ZoneInfo

    from sayembara.competitions.enums import ZONEINFO_NAMES, TimeZone

    return _Zone(ZoneInfo(ZONEINFO_NAMES[TimeZone(organiser.timezone)]), organiser.timezone)


@requires("competitions.view_security_events")
def security_events_page(request):
    """Lockouts, two-step changes and refused files of the organiser's editions and people."""
    kind = request.GET.get("jenis", "")
    kind = kind if kind in KINDS else ""
    scope = security_scope(request.user)
    page = Paginator(security_events(request.user, kind=kind), PAGE_SIZE).get_page(
        request.GET.get("hal"))
    return render(request, "web/security_events.html", {
        "page": page, "rows": rows_of(list(page.object_list), scope.organisers),
        "kind": kind, "kinds": list(KIND_LABELS.items()), "organisers": scope.organisers,
    })


# -- the members' accounts: two-step status, and a reset after checking who asks ---------------

def _person(request, pk):
    from django.http import Http404

    from sayembara.accounts.models import User

    person = User.objects.filter(pk=pk, is_active=True).first()
    if person is None:
        raise Http404
    return person


@requires("competitions.view_security_events")
def security_accounts(request):
    """The accounts working in the organiser's competitions, with their two-step status."""
    from django.db.models import Count, Exists, OuterRef, Q

    from sayembara.accounts.models import TOTPDevice
    from sayembara.accounts.services.lockout import is_account_locked
    from sayembara.competitions.selectors.security import people_in_scope

    people = people_in_scope(request.user).annotate(
        two_step=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
        codes_left=Count("recovery_codes", filter=Q(recovery_codes__used_at__isnull=True),
                         distinct=True),
    )
    query = (request.GET.get("q") or "").strip()[:100]
    if query:
        people = people.filter(Q(username__icontains=query) | Q(full_name__icontains=query)
                               | Q(email__icontains=query))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("hal"))
    rows = [{"person": person, "locked": is_account_locked(person.username)}
            for person in page.object_list]
    return render(request, "web/security_accounts.html",
                  {"page": page, "rows": rows, "query": query})


@requires("competitions.reset_two_step", loader=_person)
def security_reset_two_step(request, pk):
    """Reset a member's two-step verification (a lost phone) after checking who asks."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from sayembara.accounts.forms import ResetTwoStepForm
    from sayembara.accounts.models import TOTPDevice
    from sayembara.accounts.services.security import TwoStepError, reset_two_step

    person = request.checked_object
    form = ResetTwoStepForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            reset_two_step(actor=request.user, user=person,
                           how_checked=form.cleaned_data["how_checked"])
        except TwoStepError as refused:
            form.add_error("how_checked", refused.message)
        else:
            messages.success(request, _(
                "Two-step verification of %(name)s is reset. At their next sign-in they set "
                "it up again with their phone.") % {"name": person.display_name})
            return redirect("web:security_accounts")
    if form.errors:
        status = 400
    return render(request, "web/security_reset_two_step.html", {
        "person": person, "form": form,
        "has_two_step": TOTPDevice.objects.filter(user=person, confirmed=True).exists(),
    }, status=status)


@requires("competitions.unlock_sign_in", loader=_person)
def security_unlock_sign_in(request, pk):
    """Lift a member's sign-in lockout at once (they called the secretariat); audited."""
    from django.contrib import messages
    from django.shortcuts import redirect
    from django.views.decorators.http import require_POST

    from sayembara.accounts.services.lockout import unlock_by_organiser

    @require_POST
    def unlock(request):
        person = request.checked_object
        unlock_by_organiser(actor=request.user, user=person)
        messages.success(request, _("%(name)s can sign in again.") % {
            "name": person.display_name})
        return redirect("web:security_accounts")

    return unlock(request)
