"""The digest covers every column; existing rows are re-chained in the new canonical form.

The form before this migration left out `at`, `object_repr` and the actor's id. Every existing row
is numbered (`seq`) and its digest recomputed in id order with the new form, once, before any
checkpoint exists (checkpoints arrive in 0004), so `manage.py audit verify` passes on a database
that was intact before. A chain that was already broken is re-chained as it stands: check it with
the previous release's `chain_breaks` before migrating if that matters. The guards that refuse
updates are lifted for the rewrite and put back after it, SQLite's now refusing deletes as well.

The functions below are frozen copies of the canonical forms as of this migration: later changes
to jiayuan/audit/chain.py must not change what this migration does.
"""

import datetime as dt
import hashlib
import json

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

BATCH = 2000

PG_UPDATE_GUARD = "audit_event_append_only"
SQLITE_GUARDS = [
    """CREATE TRIGGER audit_event_append_only BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END""",
    """CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END""",
]


def canonical(payload):
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, cls=DjangoJSONEncoder)


def digest_v2(row, previous):
    payload = {
        "id": row.id,
        "seq": row.seq,
        "at": row.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": row.actor_id,
        "actor_username": row.actor_username,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "object_repr": row.object_repr,
        "reason": row.reason,
        "data": row.data,
        "previous": previous,
    }
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def digest_v1(row, previous):
    payload = {
        "previous": previous,
        "actor": row.actor_username,
        "action": row.action,
        "object_type": row.object_type,
        "object_id": row.object_id,
        "reason": row.reason,
        "data": row.data,
    }
    return hashlib.sha256(canonical(payload).encode()).hexdigest()


def lift_guards(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent DISABLE TRIGGER {PG_UPDATE_GUARD}")
        elif schema_editor.connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_append_only")
            cursor.execute("DROP TRIGGER IF EXISTS audit_event_no_delete")


def put_back_guards(apps, schema_editor, *, with_delete=True):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"ALTER TABLE audit_auditevent ENABLE TRIGGER {PG_UPDATE_GUARD}")
        elif schema_editor.connection.vendor == "sqlite":
            for statement in SQLITE_GUARDS if with_delete else SQLITE_GUARDS[:1]:
                cursor.execute(statement)


def put_back_update_guard(apps, schema_editor):
    put_back_guards(apps, schema_editor, with_delete=False)


def rechain(digest):
    def apply(apps, schema_editor):
        AuditEvent = apps.get_model("audit", "AuditEvent")
        previous, seq, last_id = "", 0, 0
        while True:
            batch = list(AuditEvent.objects.filter(id__gt=last_id).order_by("id")[:BATCH])
            if not batch:
                return
            for row in batch:
                seq += 1
                row.seq = seq
                row.digest = digest(row, previous)
                previous = row.digest
            AuditEvent.objects.bulk_update(batch, ["seq", "digest"])
            last_id = batch[-1].id

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0002_append_only_in_the_database"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(lift_guards, put_back_update_guard),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(default=0, editable=False, verbose_name="number in the chain"),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="at",
            field=models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="at"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RunPython(rechain(digest_v2), rechain(digest_v1)),
        migrations.RunPython(put_back_guards, lift_guards),
    ]
