"""The full-text index over Document.search_text, built as the task index is (work/search.py).

- PostgreSQL: a stored tsvector column with a GIN index, queried with phraseto_tsquery;
- SQLite: an FTS5 table with external content, kept in step by triggers.
"""

from django.db import migrations

from luoshi.audit.triggers import run_per_vendor

PG_FORWARD = [
    """ALTER TABLE library_document ADD COLUMN search_vector tsvector GENERATED ALWAYS AS
       (to_tsvector('simple'::regconfig, search_text)) STORED""",
    "CREATE INDEX library_document_search_vector ON library_document USING gin (search_vector)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS library_document_search_vector",
    "ALTER TABLE library_document DROP COLUMN IF EXISTS search_vector",
]
SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE library_document_fts USING fts5(
       search_text, content='library_document', content_rowid='id', tokenize='unicode61')""",
    """CREATE TRIGGER library_document_fts_insert AFTER INSERT ON library_document BEGIN
       INSERT INTO library_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
    """CREATE TRIGGER library_document_fts_delete AFTER DELETE ON library_document BEGIN
       INSERT INTO library_document_fts(library_document_fts, rowid, search_text)
       VALUES ('delete', old.id, old.search_text); END""",
    """CREATE TRIGGER library_document_fts_update AFTER UPDATE OF search_text ON library_document BEGIN
       INSERT INTO library_document_fts(library_document_fts, rowid, search_text)
       VALUES ('delete', old.id, old.search_text);
       INSERT INTO library_document_fts(rowid, search_text) VALUES (new.id, new.search_text); END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS library_document_fts_update",
    "DROP TRIGGER IF EXISTS library_document_fts_delete",
    "DROP TRIGGER IF EXISTS library_document_fts_insert",
    "DROP TABLE IF EXISTS library_document_fts",
]


class Migration(migrations.Migration):
    dependencies = [("library", "0001_initial")]

    operations = [
        run_per_vendor(
            {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD},
            {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD},
        )
    ]
