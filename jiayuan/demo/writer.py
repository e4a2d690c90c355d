"""Writing generated rows fast: ids handed out before insertion, COPY on PostgreSQL, bulk_create elsewhere.

The loader knows a row's id before it writes it (a unit's ownerships name the unit), so ids come
from `Ids`: on PostgreSQL a block reserved from the table's sequence (safe beside other writers);
on SQLite the next free ids, which is safe because the seed holds the database's write lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.db import connection, models

BLOCK = 10_000  # the largest block of ids reserved at once; blocks start small and double
BATCH = 2_000


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Ids:
    """Hands out primary keys per model, reserving them in blocks."""

    def __init__(self, models_by_key: dict[str, type[models.Model]]) -> None:
        self.models = models_by_key
        self.next: dict[str, int] = {}
        self.end: dict[str, int] = {}
        self.block: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        value = self.next.get(key, 0)
        if value >= self.end.get(key, 0):
            # Small tables should not leave a long gap in their sequence: grow the block as used.
            size = self.block[key] = min(self.block.get(key, 32) * 2, BLOCK)
            value = self.reserve(key, size)
            self.end[key] = value + size
        self.next[key] = value + 1
        return value

    def reserve(self, key: str, count: int) -> int:
        """The first of `count` consecutive ids nobody else will use."""
        model = self.models[key]
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if is_postgresql():
                sequence = "pg_get_serial_sequence(%s, 'id')"
                cursor.execute(
                    f"SELECT setval({sequence}, nextval({sequence}) + %s - 1)", [table, table, count]
                )
                return int(cursor.fetchone()[0]) - count + 1
            if key in self.end:  # SQLite: we hold the write lock, so our previous block is the max
                return self.end[key]
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
            return int(cursor.fetchone()[0]) + 1


def column_names(model: type[models.Model]) -> dict[str, str]:
    """Database column by attribute name (estate_id -> estate_id, number -> number ...)."""
    return {f.attname: f.column for f in model._meta.concrete_fields}


def copy_rows(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """COPY rows (tuples in the order of `columns`, attribute names) into the model's table."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column_names(model)[c]) for c in columns)
    sql = f"COPY {quote(model._meta.db_table)} ({names}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def sqlite_value(value: Any) -> Any:
    """What Django would store on SQLite: decimals and dates as text."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def insert_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """One executemany INSERT: on SQLite ten times faster than building model instances."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(column_names(model)[c]) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({marks})"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[sqlite_value(v) for v in row] for row in rows])


def write_rows(model: type[models.Model], columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert rows with explicit ids: COPY on PostgreSQL, executemany on SQLite, bulk_create elsewhere."""
    if not rows:
        return
    if is_postgresql():
        copy_rows(model, columns, rows)
    elif connection.vendor == "sqlite":
        insert_rows(model, columns, rows)
    else:
        objects = [model(**dict(zip(columns, row, strict=True))) for row in rows]
        model._default_manager.bulk_create(objects, batch_size=BATCH)


@contextmanager
def foreign_keys_validated_after(bulk_models: Sequence[type[models.Model]]) -> Iterator[None]:
    """On PostgreSQL, drop the foreign keys of the bulk tables for the load and add them back after.

    Adding a foreign key checks all rows in one join, instead of one lookup per row as COPY goes
    (what pg_restore does too). It runs inside the seed's transaction: on error, the constraints
    come back with the rollback.
    """
    if not is_postgresql():
        yield
        return
    quote = connection.ops.quote_name
    tables = [model._meta.db_table for model in bulk_models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY 1, 2",
            [tables],
        )
        constraints = cursor.fetchall()
        for table, name, _ in constraints:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
    yield
    with connection.cursor() as cursor:
        for table, name, definition in constraints:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")
