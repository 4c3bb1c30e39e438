from django.urls import path

from sayembara.jury.views import closing, field, judge, manage, redaction

app_name = "jury"

_seat = "tahap/<id:stage_id>/entri/<id:entry_id>/"
_manage = "kelola/<slug:slug>/"
_stage = _manage + "tahap/<slug:stage_key>/"

urlpatterns = [
    # The judge's side.
    path("", judge.home, name="home"),
    path("undangan/<str:token>/", judge.invitation, name="invitation"),
    path("<slug:slug>/pakta-integritas/", judge.pledge, name="pledge"),
    path(_seat, judge.sheet, name="sheet"),
    path(_seat + "simpan/", judge.sheet_autosave, name="sheet_autosave"),
    path(_seat + "kirim/", judge.sheet_submit, name="sheet_submit"),
    path(_seat + "konflik/", judge.conflict_declare, name="conflict_declare"),
    path(_seat + "lapangan/", field.field_visit, name="field_visit"),
    path(_seat + "lapangan/bukti/", field.field_evidence, name="field_evidence"),
    path("lembar/<id:pk>/", judge.sheet_detail, name="sheet_detail"),
    path("lapangan/bukti/<id:pk>/", field.field_evidence_file, name="field_evidence_file"),
    # The secretariat's side.
    path(_manage, manage.manage, name="manage"),
    path(_manage + "juri/", manage.judges, name="judges"),
    path(_manage + "juri/<id:judge_id>/undang/", manage.judge_invite, name="judge_invite"),
    path(_manage + "konflik/", manage.conflicts, name="conflicts"),
    path(_manage + "hasil/", closing.results, name="final_results"),
    path(_manage + "hasil/urutan-nilai-sama/", closing.final_tie, name="final_tie"),
    path(_manage + "uji-publik/", closing.objections, name="objections"),
    path("kelola/uji-publik/<id:pk>/", closing.ruling, name="ruling"),
    path("kelola/uji-publik/<id:pk>/lampiran/", closing.objection_attachment,
         name="objection_attachment"),
    path("kelola/lembar/<id:pk>/koreksi/", manage.correct, name="correct_score"),
    path("kelola/berkas/<id:pk>/salinan-tersamar/", redaction.redacted_copy,
         name="redacted_copy"),
    path(_stage + "panel/", manage.stage_panel, name="stage_panel"),
    path(_stage + "progres/", manage.stage_progress, name="stage_progress"),
    path(_stage + "pengingat/", manage.remind, name="remind"),
    path(_stage + "jadwal/", manage.schedule, name="schedule"),
    path(_stage + "berita-acara-lapangan/", field.field_minutes, name="field_minutes"),
    path(_stage + "rekap/", closing.stage_results, name="stage_results"),
    path(_stage + "hitung/", closing.stage_compute, name="stage_compute"),
    path(_stage + "buka/", closing.stage_open, name="stage_open"),
    path(_stage + "tutup/", closing.stage_close, name="stage_close"),
    path(_stage + "penetapan/", closing.stage_decide, name="stage_decide"),
    path(_stage + "tetapkan/", closing.stage_confirm, name="stage_confirm"),
]
