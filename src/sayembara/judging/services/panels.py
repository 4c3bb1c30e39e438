"""Panels per stage: who sits on the jury of a stage and in which role."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sayembara.common.services.audit import record_event
from sayembara.competitions.models import Edition, Stage
from sayembara.competitions.services.editions import template_of
from sayembara.judging.enums import JuryRole
from sayembara.judging.models import Judge, Panel, PanelMember
from sayembara.judging.services.errors import JudgingError

#: Template panel roles -> jury roles of the database.
TEMPLATE_ROLES = {
    "ketua": JuryRole.KETUA,
    "sekretaris": JuryRole.SEKRETARIS,
    "anggota": JuryRole.ANGGOTA,
    "juri_kehormatan": JuryRole.KEHORMATAN,
}


@transaction.atomic
def materialise_panels(*, edition: Edition, actor: Any) -> list[Panel]:
    """One panel row per stage named by a template panel (idempotent)."""
    template = template_of(edition)
    stages = {stage.key: stage for stage in edition.stages.all()}
    created = []
    for panel in template.panels:
        for stage_key in panel.stages:
            stage = stages.get(stage_key)
            if stage is None:
                continue
            row, new = Panel.objects.get_or_create(stage=stage, name=panel.name)
            if new:
                created.append(row)
    if created:
        record_event(actor=actor, action="panels.created", obj=edition,
                     after={"panels": [[p.stage_id, p.name] for p in created]})
    return created


@transaction.atomic
def create_panel(*, stage: Stage, name: str, actor: Any) -> Panel:
    if not name.strip():
        raise JudgingError(_("Give the panel a name, for example “Dewan Juri”."))
    panel, created = Panel.objects.get_or_create(stage=stage, name=name.strip())
    if created:
        record_event(actor=actor, action="panel.created", obj=panel, object_type="judging.panel",
                     edition_id=stage.edition_id, after={"stage": stage.key, "name": panel.name})
    return panel


@transaction.atomic
def add_panel_member(*, panel: Panel, judge: Judge, actor: Any, role: str | None = None
                     ) -> PanelMember:
    """Seat a judge on a panel, in ``role`` (default: the judge's role in the edition)."""
    if panel.stage.edition_id != judge.edition_id:
        raise JudgingError(_("The judge and the panel belong to different editions."))
    role = role or judge.role
    if role not in JuryRole.values:
        raise JudgingError(_("“%(role)s” is not a jury role; use one of %(roles)s.")
                           % {"role": role, "roles": ", ".join(JuryRole.values)})
    member, created = PanelMember.objects.get_or_create(panel=panel, judge=judge,
                                                        defaults={"role": role})
    if not created and member.role != role:
        member.role = role
        member.save(update_fields=["role"])
        created = True
    if created:
        record_event(actor=actor, action="panel.member_set", obj=member,
                     object_type="judging.panelmember", edition_id=judge.edition_id,
                     after={"panel": panel.name, "stage": panel.stage.key, "judge": judge.pk,
                            "role": role})
    return member


@transaction.atomic
def remove_panel_member(*, panel: Panel, judge: Judge, actor: Any) -> None:
    deleted, _rows = PanelMember.objects.filter(panel=panel, judge=judge).delete()
    if deleted:
        record_event(actor=actor, action="panel.member_removed", object_type="judging.panel",
                     object_id=panel.pk, edition_id=judge.edition_id,
                     before={"judge": judge.pk, "panel": panel.name})
