from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.common.fields import OrderedJSONField
from sayembara.competitions.enums import ZONEINFO_NAMES, EditionStatus, TimeZone


class Organiser(models.Model):
    """The tenant: a BRIDA, a Balitbang, a Bagian Organisasi, a ministry secretariat."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    region_name = models.CharField(_("region"), max_length=200, blank=True)
    region_code = models.CharField(_("Kemendagri region code"), max_length=20, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=4, choices=TimeZone.choices, default=TimeZone.WIB
    )
    logo = models.FileField(_("logo"), upload_to="organisers/", blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")

    def __str__(self) -> str:
        return self.name


class Competition(models.Model):
    """A recurring competition (Mangupura Award, Krenova, KIPP) held in yearly editions."""

    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="competitions")
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("competition")
        verbose_name_plural = _("competitions")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "slug"], name="competition_slug_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Edition(models.Model):
    """One year of a competition.

    ``rules`` holds the validated template data (``sayembara.template_format``): the single
    source of every rule that decides results. The rows of categories, stages, rubrics,
    criteria and award tiers are materialised from it by
    ``services.editions.materialise_rules`` so that entries and scores can refer to them.
    Once the first entry, score or vote exists the rules are frozen (``rules_frozen_at``)
    and change only through ``services.editions.reopen_rules``.
    """

    competition = models.ForeignKey(Competition, on_delete=models.PROTECT, related_name="editions")
    # Denormalised from the competition: every permission check scopes by organiser.
    organiser = models.ForeignKey(Organiser, on_delete=models.PROTECT, related_name="editions")
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    timezone = models.CharField(_("time zone"), max_length=4, choices=TimeZone.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=EditionStatus.choices, default=EditionStatus.DRAFT
    )
    template_name = models.CharField(_("template"), max_length=100, blank=True)
    rules = OrderedJSONField(_("rules"), default=dict)
    rules_version = models.PositiveIntegerField(default=1)
    rules_frozen_at = models.DateTimeField(null=True, blank=True)
    submission_opens_at = models.DateTimeField(_("submissions open"), null=True, blank=True)
    submission_deadline = models.DateTimeField(_("submission deadline"), null=True, blank=True)
    # Other organisers may put their entries forward to this edition (the next level's
    # competition); the note tells them what to send.
    accepts_forwarded_entries = models.BooleanField(
        _("accepts entries put forward by other organisers"), default=False)
    forwarding_note = models.TextField(_("note for organisers who put entries forward"),
                                       blank=True)
    # The uji publik window as the organiser set it (first and last day, in the edition's
    # time zone); empty: from the day after the stage's list is confirmed, for the
    # template's number of days.
    uji_publik_opens_on = models.DateField(_("uji publik opens on"), null=True, blank=True)
    uji_publik_closes_on = models.DateField(_("uji publik closes on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "title"]
        verbose_name = _("edition")
        verbose_name_plural = _("editions")
        constraints = [
            models.UniqueConstraint(fields=["competition", "year"], name="edition_year_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def zoneinfo(self) -> ZoneInfo:
        return ZoneInfo(ZONEINFO_NAMES[TimeZone(self.timezone)])

    @property
    def final_scale_label(self) -> str:
        """"of 700" beside a final score in a rubric's own points; empty on 0..100."""
        from sayembara.competitions.models.rules import final_scale_of, scale_label

        return scale_label(final_scale_of(self.rules or {}))

    @property
    def rules_frozen(self) -> bool:
        return self.rules_frozen_at is not None


class TimelinePhase(models.Model):
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="timeline")
    key = models.SlugField(max_length=60)
    label = models.CharField(_("phase"), max_length=200)
    starts_on = models.DateField(_("starts"), null=True, blank=True)
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "key"], name="timeline_key_unique")
        ]

    def __str__(self) -> str:
        return self.label


class RulesReopening(models.Model):
    """An explicit, logged reopening of frozen rules, saying what it affects."""

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="reopenings")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"))
    affects = models.TextField(_("what it affects"))
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.edition} {self.created_at:%Y-%m-%d}"
