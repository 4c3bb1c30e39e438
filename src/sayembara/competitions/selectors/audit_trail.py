"""The decisions of an edition as its organiser reads them back from the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _

from sayembara.common.models import AuditEvent

#: The events of an edition that record a decision of its secretariat, each with what the
#: organiser reads. Per-entry and per-sheet events (saves, submissions, state changes) are
#: left out: they are shown on the entry and scoring pages.
DECISIONS = {
    "edition.created": _("Edition created"),
    "edition.status_changed": _("Status of the edition changed"),
    "edition.rules_changed": _("Rules changed"),
    "edition.rules_frozen": _("Rules frozen"),
    "edition.rules_reopened": _("Rules reopened"),
    "edition.forwarding_changed": _("Forwarding to the next-level competition changed"),
    "entries.past_winners_imported": _("Past winners imported"),
    "judge.added": _("Judge added"),
    "panels.created": _("Panels formed"),
    "assignments.balanced": _("Entries assigned to the judges"),
    "assignments.everyone": _("Entries assigned to the judges"),
    "stage.opened": _("Stage opened for scoring"),
    "stage.closed": _("Stage closed"),
    "stage.confirmed": _("Stage confirmed"),
    "stage.decision_recorded": _("Decision (penetapan) recorded"),
    "results.computed": _("Results computed"),
    "results.publication_changed": _("Publication of the results changed"),
    "ballot.created": _("Favourite vote set up"),
    "certificates.design_changed": _("Certificate design changed"),
    "certificates.generation_started": _("Certificates being made"),
    "certificates.generated": _("Certificates made"),
    "certificates.issued": _("Certificates issued"),
}


def _who(event: AuditEvent) -> str:
    """The person's name while the account exists, else what the log kept (an e-mail
    address); the system and the command line by those words."""
    if event.actor is not None:
        return event.actor.display_name or event.actor_label
    if event.actor_label == "system":
        return str(_("System"))
    if event.actor_label.startswith("cli:"):
        return str(_("Command line"))
    return event.actor_label


@dataclass(frozen=True)
class Decision:
    number: int
    when: datetime
    who: str
    what: str
    stage: str
    reason: str


def edition_decisions(edition_id: int, *, limit: int = 200) -> list[Decision]:
    """Newest first: the decisions recorded for the edition, in two queries."""
    from sayembara.competitions.models import Stage

    events = list(AuditEvent.objects.filter(edition_id=edition_id, action__in=DECISIONS)
                  .select_related("actor").order_by("-seq")[:limit])
    stage_ids = {e.object_id for e in events if e.object_type == "competitions.stage"}
    stages = {str(pk): name for pk, name in
              Stage.objects.filter(edition_id=edition_id, pk__in=[int(i) for i in stage_ids
                                                                  if i.isdigit()])
              .values_list("pk", "name")}
    return [Decision(number=e.seq, when=e.created_at, who=_who(e),
                     what=str(DECISIONS[e.action]),
                     stage=stages.get(e.object_id, "") if e.object_type == "competitions.stage"
                     else "", reason=e.reason)
            for e in events]
