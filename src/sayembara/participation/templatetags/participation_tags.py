"""Template filters of the participant pages."""

from django import template

from sayembara.entries.enums import EntryState
from sayembara.entries.selectors.deadlines import format_deadline
from sayembara.entries.validators import format_duration, format_size

register = template.Library()

_BADGES = {
    EntryState.DRAFT: "",
    EntryState.SUBMITTED: "",
    EntryState.FORWARDED: "",
    EntryState.RETURNED: "warn",
    EntryState.WITHDRAWN: "warn",
    EntryState.PASSED_ADMIN: "ok",
    EntryState.FAILED_ADMIN: "bad",
    EntryState.IN_STAGE: "",
    EntryState.ELIMINATED: "bad",
    EntryState.FINALIST: "ok",
    EntryState.WINNER: "ok",
    EntryState.DISQUALIFIED: "bad",
}


@register.filter
def in_zone(moment, edition):
    """A moment as the edition's participants read it, e.g. ``31 Mei 2024, 16.00 WITA``."""
    if not moment:
        return ""
    return format_deadline(moment, edition)


@register.filter
def type_name(kind, names):
    """An institution type as people read it: ``{{ institution.kind|type_name:type_names }}``."""
    from sayembara.entries.selectors.types import type_label

    return type_label(kind or "", names or {})


@register.filter
def state_badge(state):
    return _BADGES.get(state, "")


@register.filter
def filesize(size):
    return format_size(size or 0)


@register.filter
def duration(seconds):
    return format_duration(seconds) if seconds else ""


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def check_text(check):
    """The reasons and note of an administrative check as one sentence list."""
    from sayembara.entries.services.process import describe_check

    return describe_check(check.reasons, check.note)


@register.inclusion_tag("participation/_entry_onward.html", takes_context=True)
def entry_onward(context, entry):
    """Where ``entry`` goes next: put forward to the next level's competition, carried into
    another edition. Any page of one entry can place it with ``{% entry_onward entry %}``."""
    from sayembara.entries.enums import FORWARDABLE_STATES

    user = context["request"].user
    may_forward = user.has_perm("entries.put_forward", entry)
    return {
        "entry": entry,
        "referrals": entry.referrals.select_related("to_edition", "to_edition__organiser"),
        "perms_put_forward": may_forward,
        "can_put_forward": may_forward and entry.state in FORWARDABLE_STATES,
    }


@register.filter
def entries_heading(edition):
    """What the edition's competition calls its entries, as a heading or a link: "Inovasi" by
    default, "Dokumen kinerja" when the template names them so (``entry_form.entry_noun``)."""
    from sayembara.competitions.services.editions import template_of
    from sayembara.entries.selectors.wording import entry_words

    return entry_words(template_of(edition)).heading
