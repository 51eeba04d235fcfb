"""Exit 0 when the PostgreSQL server of DATABASE_URL answers, 1 otherwise."""

import os
import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(os.environ["DATABASE_URL"])
try:
    # The server's maintenance database: the test database itself is made by the tests.
    psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=5,
    ).close()
except psycopg.Error as exc:
    print(f"PostgreSQL unreachable: {exc}", file=sys.stderr)
    sys.exit(1)
