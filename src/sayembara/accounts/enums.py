from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    ADMIN_LOKAL = "admin_lokal", _("Local admin")
    OPERATOR = "operator", _("Participant operator")
    JUDGE = "judge", _("Judge")
    FIELD_VERIFIER = "field_verifier", _("Field verifier")
    AUDITOR = "auditor", _("Auditor")
    # Creates organisers and invites their first secretariat account; holds no key to any
    # organiser's editions, entries or scores.
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")


class TokenScope(models.TextChoices):
    """What an API token may do (``/api/v1/organiser/``)."""

    READ = "read", _("Read entries, editions and the audit chain head")
    IMPORT = "import", _("Import institutions and entries")
    EXPORT = "export", _("Export scores and the results bundle")
