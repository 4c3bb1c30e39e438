from django.urls import reverse
from django.utils.translation import gettext as _

from sayembara.accounts.selectors.roles import scopes_of


def navigation(request):
    """The main menu, built from what the signed-in user may do."""
    user = getattr(request, "user", None)
    items = [(reverse("web:home"), _("Home"))]
    if user is not None and user.is_authenticated:
        scopes = scopes_of(user)
        if scopes.platform_admin:
            items.append((reverse("web:organisers"), _("Organisers")))
            items.append((reverse("web:administrators"), _("Platform administrators")))
        if scopes.organiser_ids or scopes.auditor_edition_ids:
            items.append((reverse("web:editions"), _("Editions")))
        if scopes.organiser_ids:
            items.append((reverse("web:edition_create"), _("New edition")))
            items.append((reverse("web:security_events"), _("Security events")))
            items.append((reverse("web:api_tokens"), _("API tokens")))
        if scopes.judge_edition_ids or scopes.verifier_edition_ids:
            items.append((reverse("jury:home"), _("My assignments")))
        if scopes.operator_institution_ids:
            items.append((reverse("participation:home"), _("My entries")))
        if scopes.admin_lokal_institution_ids:
            items.append((reverse("participation:admin_lokal"), _("Local admin")))
    items.append((reverse("public:index"), _("Competitions")))
    items.append((reverse("public:catalogue"), _("Innovation catalogue")))
    path = getattr(request, "path", "")
    return {
        "nav_items": [
            {"url": url, "label": label,
             "active": path == url or (url != "/" and path.startswith(url))}
            for url, label in items
        ]
    }
