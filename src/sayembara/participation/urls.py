from django.urls import path

from sayembara.participation.views import entries, referrals, registry, review

app_name = "participation"

urlpatterns = [
    path("", entries.home, name="home"),
    path("undangan/<str:token>/", registry.accept_invitation_view, name="accept_invitation"),
    # Entries
    path("penyelenggaraan/<slug:slug>/entri-baru/", entries.entry_start, name="entry_start"),
    path("entri/<int:pk>/", entries.entry_detail, name="entry_detail"),
    path("entri/<int:pk>/ubah/", entries.entry_edit, name="entry_edit"),
    path("entri/<int:pk>/simpan-otomatis/", entries.entry_autosave, name="entry_autosave"),
    path("entri/<int:pk>/kirim/", entries.entry_submit, name="entry_submit"),
    path("entri/<int:pk>/tarik/", entries.entry_withdraw, name="entry_withdraw"),
    path("entri/<int:pk>/buka-kembali/", entries.entry_reopen, name="entry_reopen"),
    path("berkas/<int:pk>/", entries.document_download, name="document"),
    path("berkas/<int:pk>/hapus/", entries.document_delete, name="document_delete"),
    path("salinan/<int:pk>/pakai/", entries.copy_use, name="copy_use"),
    path("salinan/<int:pk>/abaikan/", entries.copy_dismiss, name="copy_dismiss"),
    # Admin Lokal and organiser on one entry
    path("entri/<int:pk>/teruskan/", review.entry_forward, name="entry_forward"),
    path("entri/<int:pk>/kembalikan/", review.entry_return, name="entry_return"),
    path("entri/<int:pk>/seleksi/", review.entry_check, name="entry_check"),
    path("entri/<int:pk>/perpanjangan/", review.entry_extension, name="entry_extension"),
    path("entri/<int:pk>/pendampingan/", review.entry_mentoring, name="entry_mentoring"),
    path("entri/<int:pk>/bawa/", review.entry_carry, name="entry_carry"),
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
    path("usulan/<int:pk>/", referrals.referral_detail, name="referral"),
    path("usulan/<int:pk>/putuskan/", referrals.referral_decide, name="referral_decide"),
    path("usulan/<int:pk>/tarik/", referrals.referral_withdraw, name="referral_withdraw"),
    # Registry and accounts
    path("penyelenggara/<slug:slug>/instansi/", registry.registry, name="registry"),
    path("penyelenggara/<slug:slug>/instansi/impor/", registry.registry_import,
         name="registry_import"),
    path("instansi/<int:pk>/", registry.institution_detail, name="institution"),
    path("instansi/<int:pk>/undang/", registry.institution_invite, name="institution_invite"),
    path("instansi/<int:pk>/unit-baru/", registry.institution_add_unit,
         name="institution_add_unit"),
    path("keanggotaan/<int:pk>/hapus/", registry.membership_remove, name="membership_remove"),
    path("undangan-terkirim/<int:pk>/batal/", registry.invitation_revoke,
         name="invitation_revoke"),
]
