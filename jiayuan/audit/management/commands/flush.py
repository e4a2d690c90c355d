"""Django's `flush`, able to empty the audit tables on SQLite as it can on PostgreSQL.

The database refuses to delete audit rows (migrations 0003, 0004). PostgreSQL's flush empties
tables with TRUNCATE, which row triggers do not see (a separate privilege, like dropping the
table); SQLite's flush deletes row by row, which its triggers refuse. So on SQLite this command
lifts the audit tables' triggers for the flush and puts them back after it, whatever happens:
emptying the whole database (the tests do it between transactional tests) stays possible, deleting
some audit rows does not.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections

AUDIT_TABLES = ("audit_auditevent", "audit_auditcheckpoint", "audit_auditverification")


def audit_triggers(connection: Any) -> list[tuple[str, str]]:
    """(name, SQL) of the SQLite triggers on the audit tables."""
    placeholders = ", ".join(["%s"] * len(AUDIT_TABLES))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({placeholders})",
            list(AUDIT_TABLES),
        )
        return list(cursor.fetchall())


class Command(FlushCommand):
    def handle(self, **options: Any) -> None:
        connection = connections[options.get("database") or DEFAULT_DB_ALIAS]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        triggers = audit_triggers(connection)
        with connection.cursor() as cursor:
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
