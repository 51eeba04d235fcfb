"""The database guards that keep a trace append-only (留痕), as migrations write them, for PostgreSQL and SQLite.

A migration lists its statements per database, forward and backward, and hands them to `run_per_vendor`.
An append-only guard is `pg_refuse` (a function that raises, and a row trigger that calls it) and
`sqlite_refuse` (a trigger per refused event). Another database runs none of them.

Migrations call these: what they return is what an old migration creates on a new database, so a
change here must not change the statements (a new kind of guard is a new function).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.db import migrations

Statements = Mapping[str, Sequence[str]]


def run_per_vendor(forward: Statements, backward: Statements) -> migrations.RunPython:
    """A migration operation that runs the statements of the database it migrates, in order, and reverses."""
    return migrations.RunPython(_runner(forward), _runner(backward))


def _runner(statements_by_vendor: Statements):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def _quoted(message: str) -> str:
    return "'" + message.replace("'", "''") + "'"


def pg_refuse(
    *, table: str, trigger: str, function: str, message: str | None, events: str = "UPDATE"
) -> tuple[list[str], list[str]]:
    """PostgreSQL: a row trigger BEFORE `events` (UPDATE, or UPDATE OR DELETE) on `table` that calls `function`.

    With a `message`, the function is created here and raises it; without, the trigger reuses a function
    an earlier migration created. Returns the (forward, backward) statements.
    """
    forward, backward = [], [f"DROP TRIGGER IF EXISTS {trigger} ON {table}"]
    if message is not None:
        forward.append(
            f"CREATE FUNCTION {function}() RETURNS trigger AS $$\n"
            f"BEGIN RAISE EXCEPTION {_quoted(message)}; END; $$ LANGUAGE plpgsql"
        )
        backward.append(f"DROP FUNCTION IF EXISTS {function}()")
    forward.append(f"CREATE TRIGGER {trigger} BEFORE {events} ON {table}\nFOR EACH ROW EXECUTE FUNCTION {function}()")
    return forward, backward


def sqlite_refuse(*, table: str, trigger: str, message: str, event: str = "UPDATE") -> tuple[list[str], list[str]]:
    """SQLite: a trigger BEFORE `event` (UPDATE or DELETE) on `table` that aborts with `message`.

    Returns the (forward, backward) statements.
    """
    return (
        [f"CREATE TRIGGER {trigger} BEFORE {event} ON {table} BEGIN\nSELECT RAISE(ABORT, {_quoted(message)}); END"],
        [f"DROP TRIGGER IF EXISTS {trigger}"],
    )
