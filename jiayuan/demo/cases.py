"""A season of cases for the demo city, written through the case services.

Unlike the registry (bulk-loaded), cases go through the real services, so every demo case has the
timeline, audit events, deadlines and escalations a real one would have. Each case follows a
"story" drawn from a seeded Random: most are fixed, verified, closed out and rated; some are
rejected, closed as unfounded or duplicate, referred to a department, sent back after a failed
verification, reopened after a poor rating, or still open (some overdue, which the deadline sweep
at the end escalates). A share of the cases is at the demo logins' estates, so every demo login
has a ledger to look at. Acting bodies are named after the real organisations of the region.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jiayuan.accounts.choices import Role
from jiayuan.cases.choices import Outcome, Source, State, Urgency
from jiayuan.cases.models import Case
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_file,
    case_rate,
    case_rectify,
    case_refer,
    case_reject,
    case_reopen,
    case_send_back,
    case_start,
    case_verify,
    deadlines_sweep,
)
from jiayuan.cases.services.notify import body_name
from jiayuan.core.actor import Actor, ClientPrincipal
from jiayuan.core.exceptions import DomainError
from jiayuan.core.scoping import Scope
from jiayuan.demo.people import People
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset
from jiayuan.regions.models import Department

# (story, weight). A story names the furthest step the case reaches.
STORIES: tuple[tuple[str, int], ...] = (
    ("fixed_rated", 40),
    ("fixed", 8),
    ("unfounded", 5),
    ("rejected", 4),
    ("duplicate", 3),
    ("referred", 4),
    ("sent_back", 4),
    ("reopened", 3),
    ("rectified", 6),
    ("in_progress", 10),
    ("dispatched", 6),
    ("submitted", 7),
)
OPEN_STORIES = {"rectified", "in_progress", "dispatched", "submitted", "referred", "sent_back", "reopened"}
SOURCES = (
    (Source.HOTLINE_12345, 45),
    (Source.QR_CODE, 20),
    (Source.COMMUNITY_PATROL, 15),
    (Source.INSPECTION, 6),
    (Source.RANDOM_CHECK, 4),
    (Source.MEDIA, 3),
    (Source.MAILBOX, 4),
    (Source.API, 3),
)
DESCRIPTIONS = {
    "everyday": (
        "楼道堆放杂物长期无人清理",
        "小区垃圾桶满溢,异味严重",
        "单元门禁损坏一周未修",
        "地下车库照明损坏",
    ),
    "non_performance": ("物业人员不按合同约定巡查", "报修后三天无人上门", "公共区域保洁频次明显不足"),
    "owners_interests": ("公共收益未向业主公示", "停车位收费标准未公示"),
}
FALLBACK_DESCRIPTIONS = ("业主反映该问题已持续多日,请尽快处理", "现场查看情况属实,请责任单位整改")


@dataclass
class DemoCaseReport:
    cases: int = 0
    escalations: int = 0


def body_actor(name: str) -> Actor:
    """An acting body of the demo (a community committee, an enterprise ...), named in the timeline."""
    return Actor(
        user=ClientPrincipal(username=name),
        scope=Scope(everything=True),
        roles=frozenset({Role.SYSTEM_ADMIN}),
    )


class CaseSeeder:
    def __init__(
        self,
        *,
        rng: random.Random,
        people: People,
        today: dt.date,
        estates: Sequence[Estate],
        focus: Sequence[Estate],
        body_names: Callable[[Estate], tuple[str, str]],
    ) -> None:
        self.rng = rng
        self.people = people
        self.now = timezone.make_aware(dt.datetime.combine(today, dt.time(10)))
        self.estates = list(estates)
        self.focus = list(focus)
        self.body_names = body_names
        self.preset = active_preset()
        self.categories = list(self.preset.categories.values())
        # The departments cases are referred to: enforcement first, as the documents have it.
        self.departments = list(
            Department.objects.filter(kind__in=("enforcement", "police", "market_regulation")).order_by("pk")
        )

    def seed(self, count: int) -> DemoCaseReport:
        report = DemoCaseReport()
        for index in range(count):
            estate = self.pick_estate(index)
            story = self.rng.choices([s for s, _w in STORIES], weights=[w for _s, w in STORIES])[0]
            self.tell(estate, story)
            report.cases += 1
        report.escalations = deadlines_sweep(now=self.now)["escalated"]
        return report

    def pick_estate(self, index: int) -> Estate:
        # A third of the cases at the demo logins' estates, so each login has a ledger to show.
        if self.focus and index % 3 == 0:
            return self.focus[(index // 3) % len(self.focus)]
        return self.rng.choice(self.estates)

    def pick_category(self) -> Any:
        everyday = [c for c in self.categories if c.group == "everyday"]
        pool = everyday if everyday and self.rng.random() < 0.7 else self.categories
        return self.rng.choice(pool)

    def description(self, group: str) -> str:
        return self.rng.choice(DESCRIPTIONS.get(group, FALLBACK_DESCRIPTIONS))

    def tell(self, estate: Estate, story: str) -> Case:
        """File one case and take it as far as its story goes, at plausible past times."""
        community_name, subdistrict_name = self.body_names(estate)
        community, supervisor = body_actor(community_name), body_actor(subdistrict_name)
        open_case = story in OPEN_STORIES
        age = self.rng.uniform(0.3, 25) if open_case else self.rng.uniform(10, 150)
        clock = self.now - dt.timedelta(days=age)
        category = self.pick_category()
        source = self.rng.choices([s for s, _w in SOURCES], weights=[w for _s, w in SOURCES])[0]
        case = case_file(
            actor=community,
            estate=estate,
            category=category.code,
            description=self.description(category.group),
            source=source,
            urgency=Urgency.URGENT if self.rng.random() < 0.08 else Urgency.NORMAL,
            complainant_name=self.people.name() if source != Source.COMMUNITY_PATROL else "",
            complainant_phone=self.people.mobile() if source != Source.COMMUNITY_PATROL else "",
            confirm_not_duplicate=True,
            now=clock,
        )
        steps = Steps(case=case, clock=clock, now=self.now, rng=self.rng)
        if story == "submitted":
            return case
        if story == "rejected":
            return steps.do(
                case_reject, community, reason="经核实不属于物业管理问题,已告知诉求人向相关部门反映"
            )
        steps.do(case_accept, community)
        if story in ("unfounded", "duplicate"):
            return self.close_unfounded(steps, community, story)
        handler = self.dispatch(steps, community)
        if story == "dispatched":
            return steps.case
        if story == "referred":
            return self.refer(steps, supervisor) or steps.case
        steps.do(case_start, handler, responsible_person=self.people.name())
        if story == "in_progress":
            return steps.case
        steps.do(
            case_rectify, handler, measures="已安排人员现场处理并完成整改", evidence="整改前后照片已上传"
        )
        if story == "rectified":
            return steps.case
        if story == "sent_back":
            steps.do(case_send_back, supervisor, reason="现场复核问题仍存在,请继续整改")
            return steps.case
        steps.do(case_verify, supervisor)
        steps.do(case_close_out, supervisor, outcome=Outcome.FIXED)
        if story == "fixed":
            return steps.case
        poor = story == "reopened" or self.rng.random() < 0.1
        steps.do(case_rate, community, rating=self.rng.choice((1, 2)) if poor else self.rng.choice((4, 5, 5)))
        if story == "reopened":
            steps.do(case_reopen, community, reason="问题反复出现,诉求人不满意")
        return steps.case

    def close_unfounded(self, steps: Steps, community: Actor, story: str) -> Case:
        if story == "duplicate":
            earlier = (
                Case.objects.filter(estate=steps.case.estate, created_at__lt=steps.case.created_at)
                .exclude(pk=steps.case.pk)
                .order_by("-created_at")
                .first()
            )
            if earlier is not None:
                return steps.do(
                    case_close_out,
                    community,
                    outcome=Outcome.DUPLICATE,
                    note="与前案为同一问题",
                    duplicate_of=earlier,
                )
        return steps.do(
            case_close_out, community, outcome=Outcome.UNFOUNDED, note="经现场核实,反映情况不属实"
        )

    def dispatch(self, steps: Steps, community: Actor) -> Actor:
        """Dispatch by the responsibility list; an estate without a contract goes to its community."""
        try:
            steps.do(case_dispatch, community)
        except DomainError:
            steps.do(case_dispatch, community, handler="community", reason="小区无物业服务企业,由社区代管")
        return body_actor(body_name(steps.case))

    def refer(self, steps: Steps, supervisor: Actor) -> Case | None:
        department = self.rng.choice(self.departments) if self.departments else None
        if department is None or steps.case.state not in (State.DISPATCHED,):
            return None
        return steps.do(case_refer, supervisor, department=department, reason="涉及违法行为,移交执法部门处理")


@dataclass
class Steps:
    """Moves one case along at increasing past times, never later than `now`."""

    case: Case
    clock: dt.datetime
    now: dt.datetime
    rng: random.Random

    def do(self, service: Callable[..., Case], actor: Actor, **kwargs: Any) -> Case:
        self.clock = min(self.clock + dt.timedelta(hours=self.rng.uniform(2, 60)), self.now)
        self.case = service(actor=actor, case=self.case, version=self.case.version, now=self.clock, **kwargs)
        return self.case
