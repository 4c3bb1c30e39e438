from django.urls import path

from sayembara.participation.views import entries, referrals, registry, review

app_name = "participation"

urlpatterns = [
    path("", entries.home, name="home"),
    path("undangan/<str:token>/", registry.accept_invitation_view, name="accept_invitation"),
    # Entries
    path("penyelenggaraan/<slug:slug>/entri-baru/", entries.entry_start, name="entry_start"),
    path("entri/<id:pk>/", entries.entry_detail, name="entry_detail"),
    path("entri/<id:pk>/ubah/", entries.entry_edit, name="entry_edit"),
    path("entri/<id:pk>/simpan-otomatis/", entries.entry_autosave, name="entry_autosave"),
    path("entri/<id:pk>/kirim/", entries.entry_submit, name="entry_submit"),
    path("entri/<id:pk>/tarik/", entries.entry_withdraw, name="entry_withdraw"),
    path("entri/<id:pk>/buka-kembali/", entries.entry_reopen, name="entry_reopen"),
    path("entri/<id:pk>/piagam/<str:code>/", entries.entry_certificate,
         name="entry_certificate"),
    path("berkas/<id:pk>/", entries.document_download, name="document"),
    path("berkas/<id:pk>/hapus/", entries.document_delete, name="document_delete"),
    path("salinan/<id:pk>/pakai/", entries.copy_use, name="copy_use"),
    path("salinan/<id:pk>/abaikan/", entries.copy_dismiss, name="copy_dismiss"),
    # Admin Lokal and organiser on one entry
    path("entri/<id:pk>/teruskan/", review.entry_forward, name="entry_forward"),
    path("entri/<id:pk>/kembalikan/", review.entry_return, name="entry_return"),
    path("entri/<id:pk>/seleksi/", review.entry_check, name="entry_check"),
    path("entri/<id:pk>/perpanjangan/", review.entry_extension, name="entry_extension"),
    path("entri/<id:pk>/pendampingan/", review.entry_mentoring, name="entry_mentoring"),
    path("entri/<id:pk>/bawa/", review.entry_carry, name="entry_carry"),
    path("admin-lokal/", review.admin_lokal_home, name="admin_lokal"),
    # Organiser, per edition
    path("penyelenggaraan/<slug:slug>/seleksi-administrasi/", review.check_list,
         name="check_list"),
    path("penyelenggaraan/<slug:slug>/peserta-wajib/", review.tracker, name="tracker"),
    path("penyelenggaraan/<slug:slug>/peserta-wajib/ingatkan/", review.tracker_remind,
         name="tracker_remind"),
    path("penyelenggaraan/<slug:slug>/perpanjangan/", review.edition_extension,
         name="edition_extension"),
    path("penyelenggaraan/<slug:slug>/pemenang-terdahulu/", review.past_winners,
         name="past_winners"),
    # Putting entries forward to the next level's competition (another organiser)
    path("penyelenggaraan/<slug:slug>/usulkan/", referrals.edition_put_forward,
         name="edition_put_forward"),
    path("penyelenggaraan/<slug:slug>/usulan-masuk/", referrals.referral_inbox,
         name="referral_inbox"),
    path("usulan/<id:pk>/", referrals.referral_detail, name="referral"),
    path("usulan/<id:pk>/putuskan/", referrals.referral_decide, name="referral_decide"),
    path("usulan/<id:pk>/tarik/", referrals.referral_withdraw, name="referral_withdraw"),
    # Registry and accounts
    path("penyelenggara/<slug:slug>/instansi/", registry.registry, name="registry"),
    path("penyelenggara/<slug:slug>/instansi/impor/", registry.registry_import,
         name="registry_import"),
    path("instansi/<id:pk>/", registry.institution_detail, name="institution"),
    path("instansi/<id:pk>/undang/", registry.institution_invite, name="institution_invite"),
    path("instansi/<id:pk>/unit-baru/", registry.institution_add_unit,
         name="institution_add_unit"),
    path("keanggotaan/<id:pk>/hapus/", registry.membership_remove, name="membership_remove"),
    path("undangan-terkirim/<id:pk>/batal/", registry.invitation_revoke,
         name="invitation_revoke"),
]
