"""The record of value imports (留痕) is never updated: the database refuses, as for the tasks' timeline."""

from django.db import migrations

FORWARD = {
    "postgresql": [
        """CREATE FUNCTION rankings_value_import_refuse_update() RETURNS trigger AS $$
           BEGIN RAISE EXCEPTION '留痕记录不可修改'; END; $$ LANGUAGE plpgsql""",
        """CREATE TRIGGER rankings_value_import_no_update BEFORE UPDATE ON rankings_valueimport
           FOR EACH ROW EXECUTE FUNCTION rankings_value_import_refuse_update()""",
    ],
    "sqlite": [
        """CREATE TRIGGER rankings_value_import_no_update BEFORE UPDATE ON rankings_valueimport BEGIN
           SELECT RAISE(ABORT, '留痕记录不可修改'); END""",
    ],
}
BACKWARD = {
    "postgresql": [
        "DROP TRIGGER IF EXISTS rankings_value_import_no_update ON rankings_valueimport",
        "DROP FUNCTION IF EXISTS rankings_value_import_refuse_update()",
    ],
    "sqlite": ["DROP TRIGGER IF EXISTS rankings_value_import_no_update"],
}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("rankings", "0001_initial")]

    operations = [migrations.RunPython(_run(FORWARD), _run(BACKWARD))]
