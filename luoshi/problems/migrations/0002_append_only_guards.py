"""Triggers that refuse rewriting 来龙去脉 and a recorded 三重一大 decision (a correction is a new record)."""

from django.db import migrations

TABLES = {"problems_problemhistory": "来龙去脉只能添加,不能改写", "problems_collectivedecision": "集体决策一经记录不得修改"}

PG_FORWARD = [
    statement
    for table, message in TABLES.items()
    for statement in (
        f"""CREATE FUNCTION {table}_refuse_update() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{message}'; END; $$ LANGUAGE plpgsql""",
        f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_refuse_update()""",
    )
]
PG_BACKWARD = [
    statement
    for table in TABLES
    for statement in (
        f"DROP TRIGGER IF EXISTS {table}_no_update ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_refuse_update()",
    )
]
SQLITE_FORWARD = [
    f"""CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table} BEGIN
        SELECT RAISE(ABORT, '{message}'); END"""
    for table, message in TABLES.items()
]
SQLITE_BACKWARD = [f"DROP TRIGGER IF EXISTS {table}_no_update" for table in TABLES]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("problems", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
