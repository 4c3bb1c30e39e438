"""Score sheets leave half of each page free on PostgreSQL.

A sheet is rewritten many times while a judge types (each autosave) and once more when its
stage closes (submitted -> locked, every sheet of the stage at once). With room on the same
page PostgreSQL rewrites a row in place without touching the table's six indexes (a
"heap-only tuple" update): closing a national stage of 250,000 sheets does about a tenth of
the work. Pages written before this migration keep their old filling until the table is
rewritten (``VACUUM FULL judging_scoresheet``); new pages get the room at once.
"""

from django.db import migrations


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE judging_scoresheet SET (fillfactor = 50)")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE judging_scoresheet RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("judging", "0010_stage_closed_with_fewer_judges")]

    operations = [migrations.RunPython(leave_room, fill_pages, elidable=False)]
