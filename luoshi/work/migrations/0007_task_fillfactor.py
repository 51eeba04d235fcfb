"""PostgreSQL: leave 15% of each page of work_task free, so that an urge updates a task in place.

A batch urge adds one to urge_count (and sets updated_at) on thousands of tasks. Neither column is indexed,
so PostgreSQL can update each row in place (a HOT update) and leave the table's 18 indexes alone, but only
when the row's page has room for the new version. With the default fillfactor of 100 a page written in bulk
has none, and every updated row costs an entry in every index. bench/urge.py on PostgreSQL, 5,000 tasks of
100,000, three runs each, alternating: 0.82–0.96 s at fillfactor 85 against 0.99–1.07 s at 100.

The setting applies to pages written from now on; `VACUUM FULL work_task` rewrites the existing ones (it
locks the table: do it in a maintenance window). SQLite has no such setting: nothing to do there.
"""

from django.db import migrations


def set_fillfactor(apps, schema_editor, value="85"):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE work_task SET (fillfactor = {value})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE work_task RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("work", "0006_extension_granted_deadline")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
