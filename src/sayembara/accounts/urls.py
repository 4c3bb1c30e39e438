from django.urls import path

from sayembara.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.login_view, name="login"),
    path("keluar/", views.logout_view, name="logout"),
    path("dua-langkah/", views.totp_verify, name="totp_verify"),
    path("dua-langkah/atur/", views.totp_setup, name="totp_setup"),
    path("sandi/lupa/", views.password_reset, name="password_reset"),
    path("sandi/lupa/terkirim/", views.password_reset_done, name="password_reset_done"),
    path("sandi/baru/<uidb64>/<token>/", views.password_reset_confirm,
         name="password_reset_confirm"),
    path("sandi/baru/selesai/", views.password_reset_complete,
         name="password_reset_complete"),
    path("sandi/ubah/", views.password_change, name="password_change"),
    path("undangan/<str:uidb64>/<str:token>/", views.invitation_accept,
         name="invitation_accept"),
]
