from django.db import models
from django.utils.translation import gettext_lazy as _


class JuryRole(models.TextChoices):
    KETUA = "ketua", _("Chair (ketua)")
    SEKRETARIS = "sekretaris", _("Secretary (sekretaris)")
    ANGGOTA = "anggota", _("Member (anggota)")
    KEHORMATAN = "kehormatan", _("Honorary judge (juri kehormatan)")


class Unsur(models.TextChoices):
    """The body a judge comes from."""

    AKADEMISI = "akademisi", _("Academia")
    OMBUDSMAN = "ombudsman", _("Ombudsman")
    BKN = "bkn", _("BKN")
    BPKP = "bpkp", _("BPKP")
    NGO = "ngo", _("NGO")
    BIROKRASI = "birokrasi", _("Bureaucracy")
    MEDIA = "media", _("Media")
    PRAKTISI = "praktisi", _("Practitioner")
    LAINNYA = "lainnya", _("Other")


class SheetStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    LOCKED = "locked", _("Locked")


class ConflictKind(models.TextChoices):
    AUTOMATIC = "automatic", _("Own, parent or child institution")
    DECLARED = "declared", _("Declared by the judge")
    SET_BY_ORGANISER = "organiser", _("Set by the organiser")


class Decision(models.TextChoices):
    """A manual decision on an entry at a stage (penetapan), always with a reason."""

    ADVANCE = "advance", _("Goes on")
    ELIMINATE = "eliminate", _("Does not go on")
    DISQUALIFY = "disqualify", _("Disqualified")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Not sent yet")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    FAILED = "failed", _("Could not be sent")


class FieldFinding(models.TextChoices):
    PROVEN = "proven", _("Proven")
    PARTLY = "partly", _("Partly proven")
    NOT_PROVEN = "not_proven", _("Not proven")


class FeedbackKind(models.TextChoices):
    SUPPORT = "support", _("Support")
    OBJECTION = "objection", _("Objection")


class RulingOutcome(models.TextChoices):
    PENDING = "pending", _("Awaiting a ruling")
    UPHELD = "upheld", _("Objection upheld")
    DISMISSED = "dismissed", _("Objection dismissed")
    NOTED = "noted", _("Noted")
