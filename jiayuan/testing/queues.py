"""A test world with work in every role's queue (jiayuan/core/queues.py), through the services.

`fill_queues(world)` files cases at the test world's estates and drives them to the states each
role acts on; call it twice for twice the items (the home page's query count must not change).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jiayuan.cases import services
from jiayuan.cases.models import Case
from jiayuan.core.actor import Actor, actor_for
from jiayuan.intake.services import intake_file

# Routed to the estate's enterprise, and to the police, by every shipped preset.
ENTERPRISE_CATEGORY = "everyday_cleaning"
POLICE_CATEGORY = "po_animals"
OWNER_PHONE = "13912345678"  # the phone of every owner record of the test world


def actor(world: Any, persona: str) -> Actor:
    user = world.users[persona]
    user.__dict__.pop("_jiayuan_actor", None)
    return actor_for(user)


@dataclass
class QueueCases:
    late: Case  # submitted ten days ago: its acceptance is overdue
    submitted: Case  # submitted an hour ago
    to_start: Case  # dispatched to enterprise x
    sent_back: Case  # in progress again at enterprise x, its rectification sent back
    rectified: Case  # rectified by enterprise x, awaiting verification
    referred: Case  # dispatched to the district A police
    closed: Case  # the owner's complaint by the QR pages (their phone), closed out, not rated
    reopened: Case  # the owner's complaint, closed out and reopened by them
    poorly_rated: Case  # the owner's complaint, closed out and rated 1


def fill_queues(world: Any, *, now: dt.datetime) -> QueueCases:
    sub = actor(world, "subdistrict_a1_officer")
    ent = actor(world, "enterprise_x_staff")
    owner = actor(world, "owner_of_a1a_101")
    a1a = world.estates["estate_a1a"]

    def file(by: Actor, *, category: str = ENTERPRISE_CATEGORY, at: dt.datetime = now, **extra: Any) -> Case:
        return services.case_file(
            actor=by,
            estate=a1a,
            category=category,
            description="楼道垃圾三天无人清理",
            source=extra.pop("source", "hotline_12345"),
            complainant_phone=extra.pop("phone", "13812345678"),
            confirm_not_duplicate=True,
            now=at,
            **extra,
        )

    def step(service: Any, by: Actor, case: Case, **extra: Any) -> Case:
        fresh = Case.objects.get(pk=case.pk)
        return service(actor=by, case=fresh, version=fresh.version, now=now, **extra)

    def dispatched(category: str = ENTERPRISE_CATEGORY) -> Case:
        case = step(services.case_accept, sub, file(sub, category=category))
        return step(services.case_dispatch, sub, case)

    def rectified() -> Case:
        case = step(services.case_start, ent, dispatched())
        return step(services.case_rectify, ent, case, measures="已清理", evidence="照片")

    late = file(sub, at=now - dt.timedelta(days=10))
    services.case_escalate(case_id=late.pk, now=now)  # to the subdistrict (督办)
    submitted = file(sub)
    to_start = dispatched()
    sent_back = step(services.case_send_back, sub, rectified(), reason="未清理干净")
    waiting = rectified()
    referred = dispatched(POLICE_CATEGORY)

    def owners_closed(case: Case | None = None) -> Case:
        case = step(services.case_accept, sub, case or file(owner, source="qr_code", phone=OWNER_PHONE))
        return step(services.case_close_out, sub, case, outcome="unfounded", note="经核实不属实")

    by_phone, _open_case = intake_file(
        estate=a1a, phone=OWNER_PHONE, category=ENTERPRISE_CATEGORY, description="电梯里有垃圾"
    )
    closed = owners_closed(by_phone)
    reopened = step(services.case_reopen, owner, owners_closed(), reason="问题仍在")
    poorly_rated = step(services.case_rate, owner, owners_closed(), rating=1)
    return QueueCases(late, submitted, to_start, sent_back, waiting, referred, closed, reopened, poorly_rated)
