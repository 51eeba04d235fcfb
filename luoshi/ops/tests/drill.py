"""What the backup tests share: a scratch database beside the test database, and the manage.py of a subprocess."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


@contextmanager
def scratch_database(tmp_path: Path, suffix: str):
    """A new, empty database of the same engine as the test database: yields its DATABASE_URL; dropped after."""
    if connection.vendor == "sqlite":
        path = tmp_path / f"{suffix}.sqlite3"
        yield f"sqlite:///{path}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_{suffix}"
    admin = _pg_admin(params)
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    port = params.get("PORT") or 5432
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_admin(params) -> dict:
    admin = {"dbname": "postgres", "user": params.get("USER"), "password": params.get("PASSWORD")}
    admin["host"], admin["port"] = params.get("HOST"), params.get("PORT")
    return {key: value for key, value in admin.items() if value}


def table_counts(url: str) -> dict[str, int]:
    """Every table's row count in the database at `url`, read directly (not through Django)."""
    if url.startswith("sqlite"):
        names = [row[0] for row in query(url, "SELECT name FROM sqlite_master WHERE type='table'")]
        names = [name for name in names if not name.startswith("sqlite_")]
    else:
        names = [row[0] for row in query(url, "SELECT tablename FROM pg_tables WHERE schemaname='public'")]
    return {name: query(url, f'SELECT COUNT(*) FROM "{name}"')[0][0] for name in names}


def query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    if url.startswith("sqlite"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql, params).fetchall()
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
        return conn.execute(sql.replace("?", "%s"), params or None).fetchall()


def manage(*args: str, database_url: str, media_root: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """Run manage.py in a subprocess against another database and media folder, as an operator would."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "LUOSHI_MEDIA_ROOT": str(media_root),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
