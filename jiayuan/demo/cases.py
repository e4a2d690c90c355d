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
# What residents write, per everyday category (most demo cases are everyday ones), in plain words.
DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "everyday_cleaning": ("楼道堆放杂物，很久没人清理。", "单元楼梯和扶手积灰严重，保洁很少来打扫。"),
    "everyday_garbage_collection": (
        "小区垃圾桶满了两天没人清运，气味很大。",
        "垃圾站周边散落垃圾，招来蚊蝇。",
    ),
    "everyday_repairs": ("单元门禁坏了一周，报修后一直没人来修。", "地下车库照明坏了好几盏，晚上很黑。"),
    "everyday_elevator": ("电梯这几天经常停运，老人上下楼很困难。", "电梯运行时有异响，担心安全。"),
    "everyday_parking": ("小区道路上乱停车，消防车道被堵。", "外来车辆随意进出，业主车位经常被占。"),
    "everyday_noise": ("楼上每天夜里很晚还在大声吵闹，影响休息。", "邻居装修周末一早就开始打钻。"),
    "everyday_pets": ("有人遛狗不拴绳，还不清理狗粪。", "楼道里养狗，夜里一直叫。"),
    "everyday_greening": ("小区绿化带杂草丛生，很久没人修剪。", "树木枯死没有补种，草坪被踩成了土路。"),
    "everyday_security": ("小区门岗经常没人值守，陌生人随意进出。", "监控坏了很久，车棚里电动车被偷。"),
    "everyday_renovation_waste": ("装修垃圾堆在楼下好几天没人清走。", "有人把装修垃圾倒在绿化带里。"),
    "everyday_fee_query": ("物业费涨了，但没有看到任何公示和说明。", "想知道物业费里包含哪些服务项目。"),
    "everyday_water_supply": ("家里水压很低，高层几乎没水。", "自来水发黄，已经好几天了。"),
    "everyday_power_supply": ("单元楼道经常跳闸停电。", "楼里这周停电三次，没有提前通知。"),
    "everyday_gas_supply": ("楼道里闻到燃气味，担心泄漏。", "燃气表坏了，报修后没人上门。"),
    "everyday_heating": ("暖气不热，室温只有十几度。", "暖气管道漏水，楼下天花板被泡。"),
    "everyday_telecom": ("小区宽带经常断网。", "有线电视信号不好，很多频道看不了。"),
    "everyday_other": ("小区公告栏信息很久没有更新。", "希望物业在小区里多设几个休息座椅。"),
}
# For the other categories (regulation wording, rarer in the demo): the category's own name in a
# sentence, so that a description always matches its category.
DESCRIBED_BY_NAME = (
    "业主反映小区存在“{name}”的问题，已经持续一段时间，请尽快核实处理。",
    "来电反映：{name}。希望有关单位尽快查处。",
    "社区巡查发现“{name}”的情况，需要责任单位整改。",
)


def describe_problem(rng: random.Random, category: Any) -> str:
    """A resident's description that matches the category: its own words, or its name in a sentence."""
    own = DESCRIPTIONS.get(category.code)
    if own:
        return rng.choice(own)
    return rng.choice(DESCRIBED_BY_NAME).format(name=category.name)


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

    def seed(self, count: int, *, then: Callable[[], int] | None = None) -> DemoCaseReport:
        """`count` cases drawn at random, then those `then` files (it returns how many), then the
        deadline sweep over all of them at the seeding moment."""
        report = DemoCaseReport()
        for index in range(count):
            estate = self.pick_estate(index)
            story = self.rng.choices([s for s, _w in STORIES], weights=[w for _s, w in STORIES])[0]
            self.tell(estate, story)
            report.cases += 1
        if then is not None:
            report.cases += then()
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

    def description(self, category: Any) -> str:
        return describe_problem(self.rng, category)

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
            description=self.description(category),
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
                case_reject, community, reason="经核实不属于物业管理问题，已告知诉求人向相关部门反映。"
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
            case_rectify, handler, measures="已安排人员现场处理并完成整改。", evidence="整改前后照片已上传。"
        )
        if story == "rectified":
            return steps.case
        if story == "sent_back":
            steps.do(case_send_back, supervisor, reason="现场复核问题仍存在，请继续整改。")
            return steps.case
        steps.do(case_verify, supervisor)
        steps.do(case_close_out, supervisor, outcome=Outcome.FIXED)
        if story == "fixed":
            return steps.case
        poor = story == "reopened" or self.rng.random() < 0.1
        steps.do(case_rate, community, rating=self.rng.choice((1, 2)) if poor else self.rng.choice((4, 5, 5)))
        if story == "reopened":
            steps.do(case_reopen, community, reason="问题反复出现，诉求人不满意。")
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
                    note="与前案为同一问题。",
                    duplicate_of=earlier,
                )
        return steps.do(
            case_close_out, community, outcome=Outcome.UNFOUNDED, note="经现场核实，反映情况不属实。"
        )

    def dispatch(self, steps: Steps, community: Actor) -> Actor:
        """Dispatch by the responsibility list; an estate without a contract goes to its community."""
        try:
            steps.do(case_dispatch, community)
        except DomainError:
            steps.do(case_dispatch, community, handler="community", reason="小区无物业服务企业，由社区代管。")
        return body_actor(body_name(steps.case))

    def refer(self, steps: Steps, supervisor: Actor) -> Case | None:
        department = self.rng.choice(self.departments) if self.departments else None
        if department is None or steps.case.state not in (State.DISPATCHED,):
            return None
        return steps.do(
            case_refer, supervisor, department=department, reason="涉及违法行为，移交执法部门处理。"
        )


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
