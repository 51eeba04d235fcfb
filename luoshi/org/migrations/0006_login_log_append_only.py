"""The login log is evidence: the database refuses to change an event (only its link to a user may be cleared)
and to delete one unless an archive covers it and it is older than 180 days."""

from django.db import migrations

PG_FORWARD = [
    """CREATE FUNCTION org_loginevent_refuse_change() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE'
            AND NEW."at" = OLD."at" AND NEW.kind = OLD.kind AND NEW.username = OLD.username
            AND NEW.ip IS NOT DISTINCT FROM OLD.ip AND NEW.user_agent = OLD.user_agent THEN
           RETURN NEW;
         END IF;
         IF TG_OP = 'DELETE'
            AND OLD.id <= COALESCE((SELECT MAX(login_upto_id) FROM audit_auditarchive), 0)
            AND OLD."at" < now() - interval '180 days' THEN
           RETURN OLD;
         END IF;
         RAISE EXCEPTION '登录日志不可修改或删除(只有已归档且满180天的记录可以移出)';
       END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER org_loginevent_append_only BEFORE UPDATE OR DELETE ON org_loginevent
       FOR EACH ROW EXECUTE FUNCTION org_loginevent_refuse_change()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS org_loginevent_append_only ON org_loginevent",
    "DROP FUNCTION IF EXISTS org_loginevent_refuse_change()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER org_loginevent_no_update BEFORE UPDATE OF "at", kind, username, ip, user_agent
       ON org_loginevent BEGIN SELECT RAISE(ABORT, '登录日志不可修改'); END""",
    """CREATE TRIGGER org_loginevent_no_delete BEFORE DELETE ON org_loginevent
       WHEN OLD.id > COALESCE((SELECT MAX(login_upto_id) FROM audit_auditarchive), 0)
         OR OLD."at" > datetime('now', '-180 days')
       BEGIN SELECT RAISE(ABORT, '登录日志不可删除(只有已归档且满180天的记录可以移出)'); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS org_loginevent_no_delete",
    "DROP TRIGGER IF EXISTS org_loginevent_no_update",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("org", "0005_apitoken_password_fingerprint"), ("audit", "0004_archive_guards")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
