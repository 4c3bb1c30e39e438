from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionType(models.TextChoices):
    """Common kinds; a template may name others, so the field is free text with these hints."""

    PERANGKAT_DAERAH = "perangkat_daerah", _("Regional agency (OPD)")
    KELURAHAN = "kelurahan", _("Urban ward (kelurahan)")
    DESA = "desa", _("Village government (desa)")
    KECAMATAN = "kecamatan", _("District (kecamatan)")
    BUMD = "bumd", _("Regional company (BUMD)")
    BUMN = "bumn", _("State company (BUMN)")
    RSUD = "rsud", _("Regional hospital (RSUD)")
    PDAM = "pdam", _("Water company (PDAM)")
    SCHOOL = "sekolah", _("School")
    MINISTRY = "kementerian", _("Ministry")
    AGENCY = "lembaga", _("National agency")
    PROVINCE = "provinsi", _("Provincial government")
    REGENCY = "kabupaten", _("Regency government")
    CITY = "kota", _("City government")
    SERVICE_UNIT = "unit_pelayanan", _("Service unit (UPP)")
    OTHER = "lainnya", _("Other")


class EntryState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    FORWARDED = "forwarded", _("Forwarded by local admin")
    RETURNED = "returned", _("Returned for correction")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    PASSED_ADMIN = "passed_admin", _("Passed the administrative check")
    FAILED_ADMIN = "failed_admin", _("Did not pass the administrative check")
    IN_STAGE = "in_stage", _("Being assessed")
    ELIMINATED = "eliminated", _("Did not go on")
    FINALIST = "finalist", _("Finalist")
    WINNER = "winner", _("Winner")
    DISQUALIFIED = "disqualified", _("Disqualified")


# The states a set_entry_state call may move an entry between.
ALLOWED_TRANSITIONS: dict[str, set[str]] = {
    EntryState.DRAFT: {EntryState.SUBMITTED, EntryState.WITHDRAWN},
    EntryState.SUBMITTED: {
        EntryState.FORWARDED,
        EntryState.RETURNED,
        EntryState.WITHDRAWN,
        EntryState.PASSED_ADMIN,
        EntryState.FAILED_ADMIN,
    },
    EntryState.FORWARDED: {
        EntryState.RETURNED,
        EntryState.PASSED_ADMIN,
        EntryState.FAILED_ADMIN,
        EntryState.WITHDRAWN,
    },
    EntryState.RETURNED: {EntryState.SUBMITTED, EntryState.WITHDRAWN, EntryState.DRAFT},
    EntryState.WITHDRAWN: {EntryState.DRAFT},
    EntryState.PASSED_ADMIN: {
        EntryState.IN_STAGE,
        EntryState.FAILED_ADMIN,
        EntryState.DISQUALIFIED,
    },
    EntryState.FAILED_ADMIN: {EntryState.PASSED_ADMIN},
    EntryState.IN_STAGE: {
        EntryState.IN_STAGE,
        EntryState.ELIMINATED,
        EntryState.FINALIST,
        EntryState.WINNER,
        EntryState.DISQUALIFIED,
    },
    EntryState.ELIMINATED: {EntryState.IN_STAGE},
    EntryState.FINALIST: {
        EntryState.IN_STAGE,
        EntryState.WINNER,
        EntryState.ELIMINATED,
        EntryState.DISQUALIFIED,
    },
    EntryState.WINNER: {EntryState.FINALIST, EntryState.DISQUALIFIED},
    EntryState.DISQUALIFIED: {EntryState.PASSED_ADMIN},
}


# Where an entry can be edited by its institution's operator.
EDITABLE_STATES: frozenset[str] = frozenset({EntryState.DRAFT, EntryState.RETURNED})
# Entries that count as taking part (for caps per institution, duplicates and trackers).
ACTIVE_STATES: frozenset[str] = frozenset(
    set(EntryState.values) - {EntryState.DRAFT, EntryState.WITHDRAWN}
)
# Entries waiting for the organiser's administrative check.
AWAITING_CHECK_STATES: frozenset[str] = frozenset({EntryState.SUBMITTED, EntryState.FORWARDED})
# Entries that can still be withdrawn by their institution before the deadline.
WITHDRAWABLE_STATES: frozenset[str] = frozenset(
    {EntryState.DRAFT, EntryState.SUBMITTED, EntryState.FORWARDED, EntryState.RETURNED}
)


class DocumentKind(models.TextChoices):
    """What an uploaded file answers in the entry form."""

    DOCUMENT = "document", _("Document")
    STATEMENT = "statement", _("Signed statement")
    EVIDENCE = "evidence", _("Evidence for a self-assessment item")
    CARRIED = "carried", _("Carried over from an earlier entry")


class CheckOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")


class CheckReason(models.TextChoices):
    """Reasons an organiser can give in the administrative check (seleksi administrasi)."""

    MISSING_DOCUMENTS = "missing_documents", _("Required documents are missing")
    UNREADABLE_DOCUMENTS = "unreadable_documents", _("Documents cannot be opened or read")
    INCOMPLETE_PROPOSAL = "incomplete_proposal", _("The proposal is incomplete")
    STATEMENT_MISSING = "statement_missing", _("A required statement is missing or unsigned")
    INELIGIBLE_INSTITUTION = "ineligible_institution", _(
        "The institution may not enter this category or group"
    )
    INNOVATION_TOO_YOUNG = "innovation_too_young", _("The innovation has not run long enough")
    VIDEO_PROBLEM = "video_problem", _("The video cannot be viewed or breaks the length rule")
    DUPLICATE = "duplicate", _("The entry duplicates another entry")
    OUT_OF_SCOPE = "out_of_scope", _("The entry is not a public-service innovation")
    OTHER = "other", _("Other reason (see the note)")


class InvitationRole(models.TextChoices):
    OPERATOR = "operator", _("Participant operator")
    ADMIN_LOKAL = "admin_lokal", _("Local admin")


class ReferralStatus(models.TextChoices):
    """Where an entry put forward to another organiser's edition stands."""

    PENDING = "pending", _("Waiting for a decision")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn by the sender")


# Entries an organiser may put forward to the next level's competition: past the
# administrative check and not disqualified.
FORWARDABLE_STATES: frozenset[str] = frozenset({
    EntryState.PASSED_ADMIN, EntryState.IN_STAGE, EntryState.ELIMINATED, EntryState.FINALIST,
    EntryState.WINNER,
})
