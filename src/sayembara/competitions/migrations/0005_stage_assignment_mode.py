from django.db import migrations, models


def from_the_audit_log(apps, schema_editor):
    """Stages whose last automatic assignment gave every entry to every judge."""
    Stage = apps.get_model("competitions", "Stage")
    AuditEvent = apps.get_model("common", "AuditEvent")
    last: dict[str, str] = {}
    for object_id, action in (
        AuditEvent.objects.filter(
            object_type="competitions.stage",
            action__in=["assignments.everyone", "assignments.balanced"],
        ).order_by("seq").values_list("object_id", "action")
    ):
        last[object_id] = action
    everyone = [int(pk) for pk, action in last.items()
                if action == "assignments.everyone" and pk.isdigit()]
    Stage.objects.filter(pk__in=everyone).update(assignment_mode="everyone")


class Migration(migrations.Migration):

    dependencies = [
        ("common", "0003_shared_counters"),
        ("competitions", "0004_uji_publik_dates"),
    ]

    operations = [
        migrations.AddField(
            model_name="stage",
            name="assignment_mode",
            field=models.CharField(
                choices=[("assigned", "Judges assigned per entry"),
                         ("everyone", "Every judge scores every entry")],
                default="assigned", max_length=20, verbose_name="assignment mode",
            ),
        ),
        migrations.RunPython(from_the_audit_log, migrations.RunPython.noop),
    ]
