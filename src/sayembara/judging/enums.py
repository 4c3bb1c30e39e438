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
