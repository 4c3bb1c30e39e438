from django.urls import path

from sayembara.public import manage, views, vote

app_name = "public"

urlpatterns = [
    # First: the endpoint that takes every vote should not try thirty patterns before it.
    path("<slug:slug>/suara/pilih/", vote.cast, name="vote"),
    path("", views.index, name="index"),
    path("katalog/", views.catalogue, name="catalogue"),
    path("inovasi/<id:pk>/", views.entry_detail, name="entry"),
    path("inovasi/<id:pk>/komentar/", vote.comment, name="comment"),
    path("piagam/", views.certificate_lookup, name="certificate_lookup"),
    path("piagam/<str:code>/", views.certificate, name="certificate"),
    path("tantangan/", vote.challenge, name="challenge"),
    path("pemilih/kode/", vote.request_code, name="request_code"),
    path("pemilih/verifikasi/", vote.verify, name="verify"),
    path("pemilih/keluar/", vote.sign_out, name="voter_sign_out"),
    path("kelola/<slug:slug>/", manage.hub, name="manage"),
    path("kelola/<slug:slug>/suara/", manage.ballot_settings, name="manage_ballot"),
    path("kelola/<slug:slug>/anomali/", manage.anomalies, name="anomalies"),
    path("kelola/<slug:slug>/komentar/", manage.moderation, name="moderation"),
    path("kelola/<slug:slug>/komentar/<id:pk>/", manage.moderate, name="moderate"),
    path("kelola/<slug:slug>/piagam/", manage.certificates, name="certificates"),
    path("kelola/<slug:slug>/piagam/contoh.pdf", manage.certificate_preview,
         name="certificate_preview"),
    path("kelola/<slug:slug>/piagam/proses/<id:pk>/", manage.batch_progress,
         name="batch_progress"),
    path("kelola/<slug:slug>/piagam/proses/<id:pk>/unduh/", manage.batch_download,
         name="batch_download"),
    path("kelola/<slug:slug>/berita-acara/<slug:stage>/", manage.berita_acara,
         name="berita_acara"),
    path("kelola/<slug:slug>/sk-pemenang.pdf", manage.sk_draft, name="sk_draft"),
    path("kelola/<slug:slug>/rekap-nilai.xlsx", manage.rekap, name="rekap"),
    path("kelola/<slug:slug>/grafik/", manage.charts_page, name="charts"),
    path("kelola/<slug:slug>/integritas-log/", manage.audit_integrity, name="audit_integrity"),
    path("<slug:slug>/", views.edition, name="edition"),
    path("<slug:slug>/hasil/", views.results, name="results"),
    path("<slug:slug>/hasil/bundel.zip", views.results_bundle, name="results_bundle"),
    path("<slug:slug>/uji-publik/", views.uji_publik, name="uji_publik"),
    path("<slug:slug>/uji-publik/kirim/", vote.uji_publik_feedback, name="uji_publik_feedback"),
    path("<slug:slug>/suara/", vote.ballot, name="ballot"),
]
