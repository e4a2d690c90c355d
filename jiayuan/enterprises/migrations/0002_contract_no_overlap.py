"""The database refuses a second contract in force for an estate on any day.

PostgreSQL: an exclusion constraint over (estate, date range) for counting contracts.
SQLite: triggers that abort an insert or update that would overlap.
"""

from django.db import migrations

COUNTING = "('active', 'terminated')"

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    f"""ALTER TABLE enterprises_servicecontract ADD CONSTRAINT contract_no_overlap
        EXCLUDE USING gist (estate_id WITH =, daterange(start_date, end_date, '[]') WITH &&)
        WHERE (status IN {COUNTING})""",
]
PG_BACKWARD = ["ALTER TABLE enterprises_servicecontract DROP CONSTRAINT contract_no_overlap"]


def sqlite_trigger(event: str, same_row: str) -> str:
    return f"""
    CREATE TRIGGER contract_no_overlap_{event.lower()} BEFORE {event} ON enterprises_servicecontract
    WHEN NEW.status IN {COUNTING}
    BEGIN
        SELECT RAISE(ABORT, 'contract_no_overlap: the estate has another contract in force then')
        WHERE EXISTS (
            SELECT 1 FROM enterprises_servicecontract c
            WHERE c.estate_id = NEW.estate_id {same_row}
              AND c.status IN {COUNTING}
              AND (c.end_date IS NULL OR c.end_date >= NEW.start_date)
              AND (NEW.end_date IS NULL OR c.start_date <= NEW.end_date)
        );
    END"""


SQLITE_FORWARD = [sqlite_trigger("INSERT", ""), sqlite_trigger("UPDATE", "AND c.id <> NEW.id")]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS contract_no_overlap_insert",
    "DROP TRIGGER IF EXISTS contract_no_overlap_update",
]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
