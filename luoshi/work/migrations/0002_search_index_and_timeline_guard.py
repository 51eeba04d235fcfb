"""The full-text index over Task.search_text, and a trigger that refuses any UPDATE of the timeline.

Written per database (work/search.py explains the index):
- PostgreSQL: a GIN index on to_tsvector('simple', search_text); a trigger function for the timeline.
- SQLite: an FTS5 table with external content and triggers that keep it in step; a RAISE trigger.
"""

from django.db import migrations

PG_FORWARD = [
    "CREATE INDEX task_search_gin ON work_task USING gin (to_tsvector('simple'::regconfig, search_text))",
    """CREATE FUNCTION work_timeline_refuse_update() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '留痕记录不可修改'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER work_timeline_no_update BEFORE UPDATE ON work_timelineentry
       FOR EACH ROW EXECUTE FUNCTION work_timeline_refuse_update()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS work_timeline_no_update ON work_timelineentry",
    "DROP FUNCTION IF EXISTS work_timeline_refuse_update()",
    "DROP INDEX IF EXISTS task_search_gin",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE work_task_fts USING fts5(
       search_text, content='work_task', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER work_task_fts_insert AFTER INSERT ON work_task BEGIN
       INSERT INTO work_task_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER work_task_fts_delete AFTER DELETE ON work_task BEGIN
       INSERT INTO work_task_fts(work_task_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER work_task_fts_update AFTER UPDATE OF search_text ON work_task BEGIN
       INSERT INTO work_task_fts(work_task_fts, rowid, search_text) VALUES ('delete', old.id, old.search_text);
       INSERT INTO work_task_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    "INSERT INTO work_task_fts(work_task_fts) VALUES ('rebuild')",
    """CREATE TRIGGER work_timeline_no_update BEFORE UPDATE ON work_timelineentry BEGIN
       SELECT RAISE(ABORT, '留痕记录不可修改'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS work_timeline_no_update",
    "DROP TRIGGER IF EXISTS work_task_fts_update",
    "DROP TRIGGER IF EXISTS work_task_fts_delete",
    "DROP TRIGGER IF EXISTS work_task_fts_insert",
    "DROP TABLE IF EXISTS work_task_fts",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("work", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
