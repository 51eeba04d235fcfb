"""A trigger that refuses any UPDATE of a notice's trail (留痕), as work's timeline has."""

from django.db import migrations

FORWARD = {
    # work.0002 defined the function that refuses; the trigger reuses it.
    "postgresql": [
        """CREATE TRIGGER notify_noticetrail_no_update BEFORE UPDATE ON notify_noticetrail
           FOR EACH ROW EXECUTE FUNCTION work_timeline_refuse_update()"""
    ],
    "sqlite": [
        """CREATE TRIGGER notify_noticetrail_no_update BEFORE UPDATE ON notify_noticetrail BEGIN
           SELECT RAISE(ABORT, '留痕记录不可修改'); END"""
    ],
}
BACKWARD = {
    "postgresql": ["DROP TRIGGER IF EXISTS notify_noticetrail_no_update ON notify_noticetrail"],
    "sqlite": ["DROP TRIGGER IF EXISTS notify_noticetrail_no_update"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_initial"), ("work", "0002_search_index_and_timeline_guard")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
