"""What happens to entries after they are written: deadline extensions, the administrative
check, reminders, invitations, past winners and mentoring."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sayembara.entries.enums import CheckOutcome, InvitationRole


class DeadlineExtension(models.Model):
    """A later deadline for one entry, or for every entry of the edition (``entry`` empty)."""

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="deadline_extensions"
    )
    entry = models.ForeignKey(
        "entries.Entry", null=True, blank=True, on_delete=models.CASCADE,
        related_name="deadline_extensions",
    )
    until = models.DateTimeField(_("new deadline"))
    reason = models.TextField(_("reason"))
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")

    def __str__(self) -> str:
        return f"{self.edition_id}/{self.entry_id or '*'} → {self.until:%Y-%m-%d %H:%M}"


class AdministrativeCheck(models.Model):
    """One decision of the administrative check (seleksi administrasi) on an entry."""

    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="admin_checks"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=CheckOutcome.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("administrative check")
        verbose_name_plural = _("administrative checks")

    def __str__(self) -> str:
        return f"{self.entry_id}: {self.outcome}"


class Reminder(models.Model):
    """A reminder e-mail sent to a mandatory participant that had not submitted yet."""

    edition = models.ForeignKey(
        "competitions.Edition", on_delete=models.CASCADE, related_name="reminders"
    )
    institution = models.ForeignKey(
        "entries.Institution", on_delete=models.CASCADE, related_name="reminders"
    )
    recipients = models.JSONField(default=list)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.institution_id} @ {self.created_at:%Y-%m-%d}"


class Invitation(models.Model):
    """An invitation by e-mail to become operator or Admin Lokal of an institution.

    The link carries a signed token naming this invitation and its ``nonce``; it works once
    (``accepted_at``), until ``expires_at``, and stops working when revoked or re-sent.
    """

    organiser = models.ForeignKey(
        "competitions.Organiser", on_delete=models.CASCADE, related_name="invitations"
    )
    institution = models.ForeignKey(
        "entries.Institution", on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=InvitationRole.choices)
    nonce = models.CharField(max_length=32)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"))
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["institution", "email"])]

    def __str__(self) -> str:
        return f"{self.email} → {self.institution}"


class PastWinner(models.Model):
    """A winner of an earlier year of a competition, imported when that year was not run in
    Sayembara (its FinalResult rows are read otherwise)."""

    competition = models.ForeignKey(
        "competitions.Competition", on_delete=models.CASCADE, related_name="past_winners"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    institution = models.ForeignKey(
        "entries.Institution", on_delete=models.CASCADE, related_name="past_wins"
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    award = models.CharField(_("award"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "rank"]
        verbose_name = _("past winner")
        verbose_name_plural = _("past winners")
        constraints = [
            models.UniqueConstraint(
                fields=["competition", "year", "institution"], name="past_winner_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.institution_id} {self.year} #{self.rank or '-'}"


class MentoringNote(models.Model):
    """One session of mentoring (pendampingan) of an entry."""

    entry = models.ForeignKey(
        "entries.Entry", on_delete=models.CASCADE, related_name="mentoring_notes"
    )
    held_on = models.DateField(_("date"))
    mentor = models.CharField(_("mentor"), max_length=200)
    notes = models.TextField(_("notes"))
    next_step = models.TextField(_("next step"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("mentoring note")
        verbose_name_plural = _("mentoring notes")

    def __str__(self) -> str:
        return f"{self.entry_id} {self.held_on}: {self.mentor}"
