from django.urls import include, path
from django.views.i18n import set_language

from sayembara.common import health
from sayembara.common.permissions import PUBLIC, requires

handler500 = "sayembara.common.health.server_error"

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/setlang/", requires(PUBLIC)(set_language), name="set_language"),
    path("akun/", include("sayembara.accounts.urls")),
    path("peserta/", include("sayembara.participation.urls")),
    path("juri/", include("sayembara.jury.urls")),
    path("publik/", include("sayembara.public.urls")),
    path("api/", include(("sayembara.api.urls", "api"), namespace="api")),
    path("", include("sayembara.web.urls")),
]
