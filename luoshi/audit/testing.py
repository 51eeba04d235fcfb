"""Test helpers for the trace: editing it behind the application's back, as an intruder with database access would."""

from contextlib import contextmanager

from django.db import connection

_TRIGGERS = {
    "sqlite": (
        ["DROP TRIGGER IF EXISTS audit_entry_no_update", "DROP TRIGGER IF EXISTS audit_entry_no_delete"],
        [
            """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry BEGIN
               SELECT RAISE(ABORT, '留痕记录不可修改'); END""",
            """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_auditentry BEGIN
               SELECT RAISE(ABORT, '留痕记录不可删除'); END""",
        ],
    ),
    "postgresql": (
        # As a superuser would: ordinary triggers do not fire for a replication session.
        ["SET CONSTRAINTS ALL IMMEDIATE", "SET session_replication_role = replica"],
        ["SET session_replication_role = origin"],
    ),
}


@contextmanager
def guard_lifted():
    """Drop the append-only trigger for the block, and put it back after."""
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
    """Empty the trace after a test that commits (transactional_db): SQLite's flush DELETEs, which the trigger refuses."""
    with guard_lifted() as conn, conn.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
        cursor.execute("DELETE FROM audit_chainhead")
