"""The project's URLs plus `bench/bare-file/`: a bare Django view writing the three rows of a filing
(the case, its timeline entry, an audit event) in one transaction, with no authentication, scope,
validation, duplicate check, number counter, audit chain or notification. The floor of filing."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import threading

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.utils import timezone
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


urlpatterns = [path("bench/bare-file/", bare_file), *project_urlpatterns]
