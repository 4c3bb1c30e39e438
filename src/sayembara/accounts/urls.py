from django.urls import path

from sayembara.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("dua-langkah/", views.totp_verify, name="totp_verify"),
    path("dua-langkah/atur/", views.totp_setup, name="totp_setup"),
]
