"""The database itself refuses to rewrite an audit event (等保 2.0: tamper-evident audit).

PostgreSQL: a trigger refuses UPDATE and DELETE (TRUNCATE, used by test flushes and restores,
is a separate privilege). SQLite: a trigger refuses UPDATE; DELETE is refused by the model, since
Django's flush on SQLite deletes rows one table at a time.
"""

from django.db import migrations

PG_FORWARD = [
    """CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only';
    END;
    $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]
PG_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_event_append_only ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
]
SQLITE_FORWARD = [
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END"""
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS audit_event_append_only"]


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(
            run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
            run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        )
    ]
