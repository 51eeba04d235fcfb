"""The trail may lose an entry only to an archive: DELETE is allowed when an archive covers the entry and it is
older than 180 days, UPDATE never. The archive list itself is append-only."""

from django.db import migrations

RETENTION = "180 days"

PG_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'DELETE'
            AND OLD.seq <= COALESCE((SELECT MAX(upto_seq) FROM audit_auditarchive), 0)
            AND OLD."at" < now() - interval '{RETENTION}' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION '留痕记录不可修改或删除(只有已归档且满180天的记录可以移出)';
       END; $$ LANGUAGE plpgsql""",
    """CREATE FUNCTION audit_archive_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '留痕归档记录不可修改或删除'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_archive_append_only BEFORE UPDATE OR DELETE ON audit_auditarchive
       FOR EACH ROW EXECUTE FUNCTION audit_archive_refuse_change()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_archive_append_only ON audit_auditarchive",
    "DROP FUNCTION IF EXISTS audit_archive_refuse_change()",
    """CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '留痕记录不可修改或删除'; END; $$ LANGUAGE plpgsql""",
]
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN OLD.seq > COALESCE((SELECT MAX(upto_seq) FROM audit_auditarchive), 0)
         OR OLD."at" > datetime('now', '-{RETENTION}')
       BEGIN SELECT RAISE(ABORT, '留痕记录不可删除(只有已归档且满180天的记录可以移出)'); END""",
    """CREATE TRIGGER audit_archive_no_update BEFORE UPDATE ON audit_auditarchive BEGIN
       SELECT RAISE(ABORT, '留痕归档记录不可修改'); END""",
    """CREATE TRIGGER audit_archive_no_delete BEFORE DELETE ON audit_auditarchive BEGIN
       SELECT RAISE(ABORT, '留痕归档记录不可删除'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_archive_no_delete",
    "DROP TRIGGER IF EXISTS audit_archive_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry BEGIN
       SELECT RAISE(ABORT, '留痕记录不可删除'); END""",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_archive")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
