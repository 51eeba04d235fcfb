"""Inserting many rows fast, on SQLite and PostgreSQL alike.

Django's bulk_create prepares every value through the SQL compiler, which costs
more than the database does once a batch holds 100,000 tasks and their
assignments and timeline. This inserts the same model instances with one
executemany per table: each field's own `get_db_prep_save` converts the value
(dates, aware datetimes, JSON), so what is stored is what bulk_create would
store. Primary keys are allocated first, so the caller's instances have them:

- PostgreSQL: nextval() of the column's sequence, one call for the whole batch;
- SQLite: after the largest id ever used (AUTOINCREMENT's sqlite_sequence too), which is safe because
  Luoshi's SQLite transactions are IMMEDIATE: a writer holds the lock from its first statement.

Call it inside transaction.atomic(). Fields computed on save (auto_now) are not supported: Luoshi's models
use defaults instead.
"""

from collections.abc import Sequence

from django.db import connections, models

_BATCH = 5000


def _allocate_ids(model: type[models.Model], count: int, connection) -> list[int]:
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, column, count]
            )
            return [row[0] for row in cursor.fetchall()]
        quoted = connection.ops.quote_name(table)
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) FROM {quoted}")
        largest = cursor.fetchone()[0]
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            largest = max(largest, row[0] if row else 0)
        return list(range(largest + 1, largest + 1 + count))


# Text, numbers, booleans and integer keys go to both drivers as they are; every other field (dates, aware
# datetimes, JSON, UUIDs) converts through its own get_db_prep_save.
def _as_str(value):
    return None if value is None else str(value)


def _same(value):
    return value


def _converter(field: models.Field, connection):
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        if isinstance(target, models.IntegerField):  # AutoField and BigAutoField are IntegerFields
            return _same
    elif isinstance(field, (models.CharField, models.TextField)):
        return _as_str
    elif isinstance(field, (models.IntegerField, models.BooleanField)):
        return _same
    prepare = field.get_db_prep_save
    if isinstance(field, models.DateField):  # DateTimeField too: a batch repeats a few dates and one "now"
        cache: dict = {}

        def convert(value):
            if value not in cache:
                cache[value] = prepare(value, connection)
            return cache[value]

        return convert
    return lambda value: prepare(value, connection)


def _insert(model: type[models.Model], count: int, values, using: str) -> list[int]:
    """Allocate `count` keys and INSERT the rows `values(fields, converters, ids)` yields; returns the keys."""
    connection = connections[using]
    opts = model._meta
    fields = [field for field in opts.concrete_fields if not field.primary_key and not field.generated]
    ids = _allocate_ids(model, count, connection)
    converters = [_converter(field, connection) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(column) for column in [opts.pk.column, *(field.column for field in fields)])
    placeholders = ", ".join(["%s"] * (len(fields) + 1))
    sql = f"INSERT INTO {quote(opts.db_table)} ({columns}) VALUES ({placeholders})"
    rows = list(values(fields, converters, ids))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _BATCH):
            cursor.executemany(sql, rows[start : start + _BATCH])
    return ids


def insert_many(model: type[models.Model], objs: Sequence[models.Model], *, using: str = "default") -> None:
    """INSERT `objs` (instances of `model`, pk unset) and give each its primary key."""
    if not objs:
        return

    def values(fields, converters, ids):
        pairs = [(field.attname, convert) for field, convert in zip(fields, converters, strict=True)]
        for obj, pk in zip(objs, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = using
            yield (pk, *[convert(getattr(obj, attname)) for attname, convert in pairs])

    _insert(model, len(objs), values, using)


def insert_rows(model: type[models.Model], rows: Sequence[dict], *, using: str = "default") -> list[int]:
    """INSERT rows given as {attname: value} (task_id, not task), without building model instances.

    A field a row leaves out takes its default, worked out once for the batch (so one timezone.now()).
    Returns the new primary keys, in order.
    """
    if not rows:
        return []

    def values(fields, converters, ids):
        defaults = [field.get_default() for field in fields]
        columns = [
            (field.attname, convert, default)
            for field, convert, default in zip(fields, converters, defaults, strict=True)
        ]
        for row, pk in zip(rows, ids, strict=True):
            yield (pk, *[convert(row.get(attname, default)) for attname, convert, default in columns])

    return _insert(model, len(rows), values, using)
