"""The brief's timeline (留痕) is never updated: the database refuses, as for the tasks' timeline."""

from django.db import migrations

FORWARD = {
    "postgresql": [
        """CREATE FUNCTION reports_brief_event_refuse_update() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '留痕记录不可修改'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER reports_brief_event_no_update BEFORE UPDATE ON reports_briefevent
           FOR EACH ROW EXECUTE FUNCTION reports_brief_event_refuse_update()""",
    ],
    "sqlite": [
        """CREATE TRIGGER reports_brief_event_no_update BEFORE UPDATE ON reports_briefevent BEGIN
           SELECT RAISE(ABORT, '留痕记录不可修改'); END""",
    ],
}
BACKWARD = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS reports_brief_event_no_update ON reports_briefevent",
        "DROP FUNCTION IF EXISTS reports_brief_event_refuse_update()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS reports_brief_event_no_update"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
