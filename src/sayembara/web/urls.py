from django.urls import path

from sayembara.web import api_token_views, platform_views, rules_views, security_views, views

app_name = "web"

edition = "penyelenggaraan/<slug:slug>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("penyelenggaraan/", views.editions, name="editions"),
    path("penyelenggaraan/baru/", views.edition_create, name="edition_create"),
    path("administrasi/penyelenggara/", platform_views.organisers, name="organisers"),
    path("administrasi/penyelenggara/<id:pk>/", platform_views.organiser_detail,
         name="organiser_detail"),
    path("administrasi/administrator/", platform_views.administrators, name="administrators"),
    path("administrasi/administrator/<id:pk>/cabut/", platform_views.administrator_revoke,
         name="administrator_revoke"),
    path("keamanan/", security_views.security_events_page, name="security_events"),
    path("keamanan/akun/", security_views.security_accounts, name="security_accounts"),
    path("keamanan/akun/<id:pk>/reset-dua-langkah/", security_views.security_reset_two_step,
         name="security_reset_two_step"),
    path("keamanan/akun/<id:pk>/buka-masuk/", security_views.security_unlock_sign_in,
         name="security_unlock_sign_in"),
    path("token-api/", api_token_views.api_tokens, name="api_tokens"),
    path("token-api/<id:pk>/cabut/", api_token_views.api_token_revoke, name="api_token_revoke"),
    path(edition, views.edition_dashboard, name="edition_dashboard"),
    path(f"{edition}status/", views.edition_status, name="edition_status"),
    path(f"{edition}aturan/", rules_views.edition_rules, name="edition_rules"),
    path(f"{edition}aturan/yaml/", rules_views.rules_yaml, name="rules_yaml"),
    path(f"{edition}aturan/unduh/", rules_views.rules_download, name="rules_download"),
    path(f"{edition}aturan/buka-kembali/", rules_views.rules_reopen, name="rules_reopen"),
    path(f"{edition}aturan/bekukan/", rules_views.rules_freeze, name="rules_freeze"),
    path(f"{edition}aturan/rubrik/<slug:rubric>/", rules_views.rules_rubric,
         name="rules_rubric"),
    path(f"{edition}aturan/ketidaksepakatan/<slug:stage>/", rules_views.rules_disagreement,
         name="rules_disagreement"),
    path(f"{edition}aturan/cocokkan-jenis-instansi/", rules_views.rules_types,
         name="rules_types"),
    path(f"{edition}aturan/<slug:section>/", rules_views.rules_section, name="rules_section"),
]
