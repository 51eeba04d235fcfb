"""The trail may lose an entry only to an archive: DELETE is allowed when an archive covers the entry and it is
older than 180 days, UPDATE never. The archive list itself is append-only."""

from django.db import migrations

from luoshi.audit.triggers import pg_refuse, run_per_vendor, sqlite_refuse

RETENTION = "180 days"

# The archive list refuses every change: one trigger on PostgreSQL, one per event on SQLite.
ARCHIVE_PG = pg_refuse(
    table="audit_auditarchive", trigger="audit_archive_append_only", function="audit_archive_refuse_change",
    message="留痕归档记录不可修改或删除", events="UPDATE OR DELETE",
)  # fmt: skip
ARCHIVE_SQLITE_UPDATE = sqlite_refuse(
    table="audit_auditarchive", trigger="audit_archive_no_update", message="留痕归档记录不可修改"
)
ARCHIVE_SQLITE_DELETE = sqlite_refuse(
    table="audit_auditarchive", trigger="audit_archive_no_delete", message="留痕归档记录不可删除", event="DELETE"
)

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
    *ARCHIVE_PG[0],
]
PG_BACKWARD = [
    *ARCHIVE_PG[1],
    """CREATE OR REPLACE FUNCTION audit_entry_refuse_change() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION '留痕记录不可修改或删除'; END; $$ LANGUAGE plpgsql""",
]
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry
       WHEN OLD.seq > COALESCE((SELECT MAX(upto_seq) FROM audit_auditarchive), 0)
         OR OLD."at" > datetime('now', '-{RETENTION}')
       BEGIN SELECT RAISE(ABORT, '留痕记录不可删除(只有已归档且满180天的记录可以移出)'); END""",
    *ARCHIVE_SQLITE_UPDATE[0],
    *ARCHIVE_SQLITE_DELETE[0],
]
SQLITE_BACKWARD = [
    *ARCHIVE_SQLITE_DELETE[1],
    *ARCHIVE_SQLITE_UPDATE[1],
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry BEGIN
       SELECT RAISE(ABORT, '留痕记录不可删除'); END""",
]


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_archive")]

    operations = [
        run_per_vendor(
            {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        ),
    ]
