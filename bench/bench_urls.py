"""The project's URLs plus the bare views the app is measured against, over the same HTTP server:

- `bench/bare-file/`: writes the three rows of a filing (the case, its timeline entry, an audit
  event) in one transaction, with no authentication, scope, validation, duplicate check, number
  counter, audit chain or notification. The floor of filing.
- `bench/bare-file-statements/`: the same statements as the app's filing, hand-written (the token,
  the estate in scope, the duplicate check, the year's counter, the case, its timeline entry, the
  audit chain's lock and head, the audit event, the follow link, the text's outbox row), with none
  of the app's Python around them: what the database needs for the work filing must do.
- `bench/bare-ledger/` and `bench/bare-cases/`: the ledger page's rows and counts as a bare HTML
  table, and the API list's rows as bare JSON, each from the hand-written SQL of `floor.py` (the
  estates in reach given, as to the SQL floor): the floor of a list over HTTP.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import secrets
import threading
from typing import Any

from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.csrf import csrf_exempt

from config.urls import urlpatterns as project_urlpatterns
from jiayuan.audit.models import AuditEvent
from jiayuan.cases.models import Case, CaseEvent

# Bare cases are numbered in year 1, which no real case has, by process and a counter: unique
# without a query. The benchmark deletes them (and their events) when it is done.
BARE_YEAR = 1
_serials = itertools.count(1)
_lock = threading.Lock()


def bare_serial() -> int:
    with _lock:
        return (os.getpid() % 30_000) * 65_536 + next(_serials)


@csrf_exempt
def bare_file(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    now = timezone.now()
    serial = bare_serial()
    with transaction.atomic():
        case = Case.objects.create(
            number=f"BARE-{serial}",
            number_year=BARE_YEAR,
            number_serial=serial,
            estate_id=body["estate"],
            category=body["category"],
            description=body["description"],
            source=body["source"],
            complainant_name=body.get("complainant_name", ""),
            complainant_phone=body.get("complainant_phone", ""),
            accept_due_at=now,
            deadline=now,
            created_at=now,
            updated_at=now,
        )
        data = {"number": case.number, "category": case.category, "source": case.source}
        CaseEvent.objects.create(
            case=case,
            at=now,
            actor_name="bench",
            kind="transition",
            transition="file",
            to_state="submitted",
            data=data,
        )
        AuditEvent.objects.create(
            actor_username="bench",
            action="bench.bare_filed",
            object_type="cases.case",
            object_id=str(case.pk),
            object_repr=case.number,
            data=data,
            digest=hashlib.sha256(json.dumps(data).encode()).hexdigest(),
            seq=0,  # outside the chain: the floor takes no lock and reads no head
        )
    return JsonResponse({"id": case.pk, "number": case.number}, status=201)


# --- the same statements as the app's filing, hand-written ------------------------------------------


TOKEN_SQL = (
    "SELECT t.digest, t.token_key, t.user_id, t.expiry, u.id, u.username, u.is_active, u.access_version "
    "FROM knox_authtoken t JOIN accounts_user u ON u.id = t.user_id WHERE t.token_key = %s"
)
ESTATE_SQL = (
    "SELECT e.id, e.name, e.community_id, r.path FROM estates_estate e "
    "JOIN regions_region r ON r.id = e.community_id WHERE e.id = %s AND r.path LIKE %s"
)
DUPLICATE_SQL = (
    "SELECT number FROM cases_case WHERE category = %s AND estate_id = %s AND state IN "
    "('submitted', 'accepted', 'dispatched', 'in_progress', 'rectified', 'verified') "
    "ORDER BY created_at, id"
)
COUNTER_SQL = (
    "INSERT INTO cases_casenumbercounter (year, last) SELECT %s, COALESCE(MAX(number_serial), 0) + 1 "
    "FROM cases_case WHERE number_year = %s ON CONFLICT (year) DO UPDATE "
    "SET last = GREATEST(cases_casenumbercounter.last + 1, EXCLUDED.last) RETURNING last"
)
CASE_SQL = (
    "INSERT INTO cases_case (number, number_year, number_serial, estate_id, category, description, "
    "moderated_description, source, complainant_name, complainant_phone, urgency, state, outcome, "
    "handler_kind, responsible_person, responsible_phone, measures, evidence, accept_due_at, deadline, "
    "escalation_level, reopen_count, rating_comment, version, created_at, updated_at) VALUES "
    "(%s, %s, %s, %s, %s, %s, '', %s, %s, %s, 'normal', 'submitted', '', '', '', '', '', '', %s, %s, "
    "0, 0, '', 1, %s, %s) RETURNING id"
)
EVENT_SQL = (
    "INSERT INTO cases_caseevent (case_id, at, actor_id, actor_name, kind, transition, from_state, "
    "to_state, reason, data) VALUES (%s, %s, %s, %s, 'transition', 'file', '', 'submitted', '', %s)"
)
HEAD_SQL = (
    "SELECT nextval(pg_get_serial_sequence('audit_auditevent', 'id')), "
    "(SELECT digest FROM audit_auditevent ORDER BY id DESC LIMIT 1)"
)
AUDIT_SQL = (
    "INSERT INTO audit_auditevent (id, at, seq, actor_id, actor_username, action, object_type, "
    "object_id, object_repr, reason, data, digest) VALUES "
    "(%s, %s, 0, %s, %s, 'bench.bare_filed', 'cases.case', %s, %s, '', %s, %s)"
)
LINK_SQL = (
    "INSERT INTO cases_casefollowlink (case_id, digest, created_at, expires_at) VALUES (%s, %s, %s, %s)"
)
OUTBOX_SQL = (
    "INSERT INTO notifications_outboundmessage (channel, recipient, text, purpose, related_type, "
    "related_id, status, backend, created_at, error) VALUES "
    "('sms', %s, %s, 'case_update', 'cases.case', %s, 'queued', '', %s, '')"
)


@csrf_exempt
def bare_file_statements(request: HttpRequest) -> JsonResponse:
    body = json.loads(request.body)
    key = request.headers.get("Authorization", "").removeprefix("Bearer ")[:15]
    now = timezone.now()
    serial = bare_serial()
    number = f"BARE-{serial}"
    with connection.cursor() as cursor:
        cursor.execute(TOKEN_SQL, [key])
        user_id, username = cursor.fetchone()[4:6]
        cursor.execute(ESTATE_SQL, [body["estate"], os.environ.get("BENCH_SCOPE_PATH", "") + "%"])
        if cursor.fetchone() is None:
            return JsonResponse({"detail": "not found"}, status=404)
        with transaction.atomic():
            cursor.execute(DUPLICATE_SQL, [body["category"], body["estate"]])
            cursor.fetchall()
            cursor.execute(COUNTER_SQL, [BARE_YEAR, BARE_YEAR])
            data = json.dumps({"number": number, "category": body["category"], "source": body["source"]})
            cursor.execute(
                CASE_SQL,
                [number, BARE_YEAR, serial, body["estate"], body["category"], body["description"],
                 body["source"], body.get("complainant_name", ""), body.get("complainant_phone", ""),
                 now, now, now, now],
            )  # fmt: skip
            case_id = cursor.fetchone()[0]
            cursor.execute(EVENT_SQL, [case_id, now, user_id, username, data])
            cursor.execute("SELECT pg_advisory_xact_lock(1245796673)")
            cursor.execute(HEAD_SQL)
            audit_id, head = cursor.fetchone()
            digest = hashlib.sha256(f"{head}{data}".encode()).hexdigest()
            cursor.execute(AUDIT_SQL, [audit_id, now, user_id, username, str(case_id), number, data, digest])
            token = secrets.token_urlsafe(24)
            link = hashlib.sha256(token.encode()).hexdigest()
            cursor.execute(LINK_SQL, [case_id, link, now, now])
            text = (
                f"【家园】您的诉求已登记，编号 {number}。查看办理进度：http://127.0.0.1/report/case/{token}/"
            )
            cursor.execute(OUTBOX_SQL, [body.get("complainant_phone", ""), text, str(case_id), now])
    return JsonResponse({"id": case_id, "number": number}, status=201)


# --- the ledger's floor over HTTP ---------------------------------------------------------------------


def bare_rows(request: HttpRequest, *, counts: bool) -> tuple[list[tuple[Any, ...]], tuple[Any, ...] | None]:
    """The page's rows (and counts) by `floor.py`'s SQL for the query string; `after_at` and
    `after_id` continue after a row, as a cursor does."""
    import datetime as dt

    from floor import counts_sql, page_sql

    from jiayuan.policy.loader import active_preset

    estate_ids = [int(pk) for pk in os.environ["BENCH_ESTATE_IDS"].split(",")]
    query = request.META.get("QUERY_STRING", "")
    after = None
    if "after_at" in request.GET:
        after = (dt.datetime.fromisoformat(request.GET["after_at"]), int(request.GET["after_id"]))
    now = timezone.now()
    with connection.cursor() as cursor:
        sql, args = page_sql(query, estate_ids, now, after)
        cursor.execute(sql, args)
        rows = cursor.fetchall()
        total = None
        if counts:
            sql, args = counts_sql(query, estate_ids, now, active_preset().data.cases.poor_rating.max)
            cursor.execute(sql, args)
            total = cursor.fetchone()
    return rows, total


def bare_ledger(request: HttpRequest) -> HttpResponse:
    rows, total = bare_rows(request, counts=True)
    assert total is not None
    cells = "".join("<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>" for row in rows)
    counts = "".join(f"<li>{value}</li>" for value in total)
    html = f"<!doctype html><html><body><ul>{counts}</ul><table>{cells}</table></body></html>"
    return HttpResponse(html)


COLUMNS = (
    "id", "number", "version", "category", "description", "source", "urgency", "state", "outcome",
    "complainant_name", "complainant_phone", "handler_kind", "accept_due_at", "deadline", "rating",
    "escalation_level", "created_at", "closed_at", "estate_id", "estate", "community_id", "community",
)  # fmt: skip


def bare_cases(request: HttpRequest) -> JsonResponse:
    rows, _ = bare_rows(request, counts=False)
    return JsonResponse({"results": [dict(zip(COLUMNS, row, strict=True)) for row in rows]})


urlpatterns = [
    path("bench/bare-file/", bare_file),
    path("bench/bare-file-statements/", bare_file_statements),
    path("bench/bare-ledger/", bare_ledger),
    path("bench/bare-cases/", bare_cases),
    *project_urlpatterns,
]
