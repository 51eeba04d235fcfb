"""Test helpers for the trace: editing it behind the application's back, as an intruder with database access would."""

from contextlib import contextmanager
from importlib import import_module

from django.db import connection

_guards = import_module("luoshi.audit.migrations.0004_archive_guards")
_login_guards = import_module("luoshi.org.migrations.0006_login_log_append_only")

_SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update",
    "DROP TRIGGER IF EXISTS audit_entry_no_delete",
    "DROP TRIGGER IF EXISTS audit_archive_no_update",
    "DROP TRIGGER IF EXISTS audit_archive_no_delete",
    "DROP TRIGGER IF EXISTS org_loginevent_no_update",
    "DROP TRIGGER IF EXISTS org_loginevent_no_delete",
]
_SQLITE_CREATE = [
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry BEGIN
       SELECT RAISE(ABORT, '留痕记录不可修改'); END""",
    *[statement for statement in _guards.SQLITE_FORWARD if not statement.startswith("DROP")],
    *_login_guards.SQLITE_FORWARD,
]

_TRIGGERS = {
    "sqlite": (_SQLITE_DROP, _SQLITE_CREATE),
    "postgresql": (
        # As a superuser would: ordinary triggers do not fire for a replication session.
        ["SET CONSTRAINTS ALL IMMEDIATE", "SET session_replication_role = replica"],
        ["SET session_replication_role = origin"],
    ),
}


@contextmanager
def guard_lifted():
    """Drop the append-only triggers for the block, and put them back after."""
    drop, create = _TRIGGERS[connection.vendor]
    with connection.cursor() as cursor:
        for statement in drop:
            cursor.execute(statement)
    try:
        yield connection
    finally:
        with connection.cursor() as cursor:
            for statement in create:
                cursor.execute(statement)


def wipe_trace() -> None:
    """Empty the trace after a test that commits (transactional_db): SQLite's flush DELETEs, which the triggers refuse."""
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_auditarchive")
        cursor.execute("DELETE FROM audit_chainhead")
        cursor.execute("DELETE FROM org_loginevent")
