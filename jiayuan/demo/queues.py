"""Work for every demo login on the day the demo is seeded, whatever that day is.

The season of cases (`demo.cases`) is drawn at random, so on a given day a login's queue might be
empty: no case due soon on a Sunday before a holiday, none escalated to the district. These cases
are placed on purpose, relative to the seeding moment, so that each queue has items: awaiting
acceptance, overdue, due soon, awaiting verification and close-out, reopened, poorly rated,
escalated to each level (at the showcase estate, which the community, subdistrict, district and
committee logins see); referred to the demo department; at the demo enterprise to start, to rectify
and sent back; and the demo owner's own complaints, one closed and waiting for their rating.

Deadlines run in working days for most categories, so a filing time is searched for (`filed_for`)
whose deadline falls where the story needs it; the hour-based deadlines of urgent cases are used
where a window must be hit exactly (due soon, each level of escalation). Everything goes through
the case services, so each case has its timeline and audit events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from jiayuan.accounts.models import User
from jiayuan.cases.choices import Outcome, Source, Urgency
from jiayuan.cases.deadlines import accept_due, rectify_due
from jiayuan.cases.models import Case
from jiayuan.cases.services import (
    case_accept,
    case_close_out,
    case_dispatch,
    case_escalate,
    case_file,
    case_rate,
    case_rectify,
    case_refer,
    case_reopen,
    case_send_back,
    case_start,
    case_verify,
)
from jiayuan.cases.services.notify import body_name
from jiayuan.core.actor import Actor, actor_for
from jiayuan.core.exceptions import DomainError
from jiayuan.demo.cases import body_actor, describe_problem
from jiayuan.demo.people import People
from jiayuan.estates.models import Estate
from jiayuan.policy.loader import active_preset
from jiayuan.regions.models import Department

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
# The hours a case waits between one step and the next in these stories.
STEP = 2 * HOUR
# The seeding moment is 10:00 of the seeding day (`CaseSeeder.now`), but people look at the demo
# all day: what is due soon falls due between midnight and 02:00 of the next day (within the
# national preset's 24 due-soon hours from about 02:00 to midnight; a preset with a shorter
# window gets a window that ends before its own, `soon_window`), and what is overdue fell due
# before midnight.
SOON_UNTIL = 16 * HOUR
LATE_BY = 12 * HOUR


def soon_window(hours: float) -> tuple[dt.timedelta, dt.timedelta]:
    """When, after the seeding moment, a case "due soon" falls due: two hours ending at `SOON_UNTIL`,
    or an hour before the preset's due-soon window closes if that is sooner."""
    until = min(SOON_UNTIL, dt.timedelta(hours=hours) - HOUR)
    return until - 2 * HOUR, until


@dataclass
class Clock:
    """One case's steps, each `STEP` after the last, starting from its filing."""

    case: Case
    at: dt.datetime

    def do(
        self, service: Callable[..., Case], actor: Actor, *, at: dt.datetime | None = None, **kw: Any
    ) -> Case:
        self.at = at if at is not None else self.at + STEP
        self.case = service(actor=actor, case=self.case, version=self.case.version, now=self.at, **kw)
        return self.case


class QueueSeeder:
    """The cases that give every demo login's queue items on the seeding day (see the module)."""

    def __init__(
        self,
        *,
        rng: Any,
        people: People,
        now: dt.datetime,
        showcase: Estate,
        enterprise_estate: Estate | None,
        department: Department | None,
        owner: User | None,
        body_names: Callable[[Estate], tuple[str, str]],
    ) -> None:
        self.rng, self.people, self.now = rng, people, now
        self.showcase, self.enterprise_estate = showcase, enterprise_estate
        self.department, self.owner = department, owner
        self.body_names = body_names
        self.preset = active_preset()
        self.soon = soon_window(self.preset.data.cases.due_soon.hours)
        self.count = 0

    # --- helpers ---------------------------------------------------------------------------------

    def enterprise_categories(self, estate: Estate) -> list[Any]:
        """Everyday categories the responsibility list sends to the estate's enterprise."""
        path = estate.community.path
        return [
            c
            for c in self.preset.categories.values()
            if c.group == "everyday" and self.preset.responsibility_for(c.code, path).handler == "enterprise"
        ]

    def category(self, estate: Estate) -> Any:
        pool = self.enterprise_categories(estate) or list(self.preset.categories.values())
        return self.rng.choice(pool)

    def filed_for(
        self,
        category: Any,
        urgency: str,
        *,
        due_after: dt.datetime,
        due_before: dt.datetime,
        acceptance: bool = False,
    ) -> dt.datetime | None:
        """A filing time whose rectification (or acceptance) deadline falls between the two moments,
        the latest such hour before `due_before` (deadlines in working days skip holidays)."""
        line = self.preset.deadline_for(category.code, urgency)
        due_of = accept_due if acceptance else rectify_due
        filed = min(due_before, self.now - HOUR).replace(minute=0, second=0, microsecond=0)
        for _hour in range(24 * 60):
            due = due_of(line, filed)
            if due_after <= due <= due_before:
                return filed
            filed -= HOUR
        return None

    def file(
        self,
        estate: Estate,
        at: dt.datetime,
        *,
        category: Any = None,
        urgency: str = Urgency.NORMAL,
        complainant: User | None = None,
        source: str = Source.HOTLINE_12345,
    ) -> Clock:
        """File a case at `at`: by the community for a caller, or by `complainant` themselves."""
        category = category or self.category(estate)
        community = body_actor(self.body_names(estate)[0])
        case = case_file(
            actor=actor_for(complainant) if complainant is not None else community,
            estate=estate,
            category=category.code,
            description=describe_problem(self.rng, category),
            source=source,
            urgency=urgency,
            complainant_name=complainant.display_name if complainant else self.people.name(),
            complainant_phone=complainant.phone if complainant else self.people.mobile(),
            confirm_not_duplicate=True,
            now=at,
        )
        self.count += 1
        return Clock(case=case, at=at)

    def bodies(self, estate: Estate) -> tuple[Actor, Actor]:
        community, subdistrict = self.body_names(estate)
        return body_actor(community), body_actor(subdistrict)

    @staticmethod
    def dispatch(clock: Clock, community: Actor, *, at: dt.datetime | None = None) -> Actor:
        """Dispatch by the responsibility list (an estate with no enterprise: to its community);
        the handler's actor."""
        try:
            clock.do(case_dispatch, community, at=at)
        except DomainError:
            clock.do(
                case_dispatch,
                community,
                at=at,
                handler="community",
                reason="小区无物业服务企业，由社区代管。",
            )
        return body_actor(body_name(clock.case))

    def to_work(self, clock: Clock, estate: Estate) -> Actor:
        """Accept, dispatch by the responsibility list, and start: the handler's actor."""
        community, _supervisor = self.bodies(estate)
        clock.do(case_accept, community)
        handler = self.dispatch(clock, community)
        clock.do(case_start, handler, responsible_person=self.people.name())
        return handler

    def closed(self, clock: Clock, estate: Estate, *, closed_at: dt.datetime) -> None:
        """Take a case through rectification and verification to its close-out at `closed_at`."""
        _community, supervisor = self.bodies(estate)
        handler = self.to_work(clock, estate)
        clock.do(
            case_rectify, handler, measures="已安排人员到现场处理，问题已解决。", evidence="处理前后照片。"
        )
        clock.do(case_verify, supervisor)
        clock.do(case_close_out, supervisor, outcome=Outcome.FIXED, at=closed_at)

    # --- the stories -----------------------------------------------------------------------------

    def seed(self) -> int:
        now, estate = self.now, self.showcase
        self.officers_queue(now, estate)
        self.escalated(now, estate)
        if self.department is not None:
            self.referred(now, estate)
        if self.enterprise_estate is not None:
            self.enterprise_queue(now, self.enterprise_estate)
        if self.owner is not None:
            self.owners_complaints(now, estate, self.owner)
        return self.count

    def officers_queue(self, now: dt.datetime, estate: Estate) -> None:
        community, supervisor = self.bodies(estate)
        # Awaiting acceptance, days left (a low-urgency matter); due soon; overdue (not accepted in time).
        self.file(estate, now - 2 * HOUR, urgency=Urgency.LOW)
        category = self.category(estate)
        soon = self.filed_for(
            category,
            Urgency.NORMAL,
            due_after=now + self.soon[0],
            due_before=now + self.soon[1],
            acceptance=True,
        )
        if soon is not None:
            self.file(estate, soon, category=category)
        category = self.category(estate)
        late = self.filed_for(
            category, Urgency.NORMAL, due_after=now - 30 * HOUR, due_before=now - LATE_BY, acceptance=True
        )
        if late is not None:
            self.file(estate, late, category=category)
        # Awaiting verification, awaiting close-out.
        clock = self.file(estate, now - 3 * DAY)
        handler = self.to_work(clock, estate)
        clock.do(case_rectify, handler, measures="已更换损坏部件并清理现场。", evidence="维修后照片。")
        clock = self.file(estate, now - 4 * DAY)
        handler = self.to_work(clock, estate)
        clock.do(case_rectify, handler, measures="已组织人员集中清理。", evidence="清理后照片。")
        clock.do(case_verify, supervisor)
        # Poorly rated; reopened after a poor rating.
        clock = self.file(estate, now - 12 * DAY)
        self.closed(clock, estate, closed_at=now - 3 * DAY)
        clock.do(case_rate, community, rating=1, at=now - 2 * DAY)
        clock = self.file(estate, now - 14 * DAY)
        self.closed(clock, estate, closed_at=now - 4 * DAY)
        clock.do(case_rate, community, rating=2, at=now - 3 * DAY)
        clock.do(case_reopen, community, reason="问题又出现了，诉求人不满意。", at=now - DAY)

    def escalated(self, now: dt.datetime, estate: Estate) -> None:
        """Overdue cases escalated to the subdistrict, the district and the city (督办), one each.

        Urgent cases: their deadline is in hours, so it can be placed exactly; each level is reached
        `interval_hours` after the last, and the deadline is placed so that the seed's closing
        sweep finds nothing more to do."""
        escalation = self.preset.data.cases.escalation
        if not escalation.enabled:
            return
        interval = dt.timedelta(hours=escalation.interval_hours)
        for level in (1, 2, 3):
            category = self.category(estate)
            due_before = now - (level - 1) * interval - LATE_BY
            due_after = due_before - interval / 2
            filed = self.filed_for(category, Urgency.URGENT, due_after=due_after, due_before=due_before)
            if filed is None:
                continue
            clock = self.file(estate, filed, category=category, urgency=Urgency.URGENT)
            clock.do(case_accept, self.bodies(estate)[0], at=filed + HOUR / 2)
            handler = self.dispatch(clock, self.bodies(estate)[0], at=filed + HOUR)
            clock.do(case_start, handler, at=filed + 2 * HOUR)
            due = clock.case.deadline
            for reached in range(level):
                case_escalate(case_id=clock.case.pk, now=due + HOUR + reached * interval)

    def referred(self, now: dt.datetime, estate: Estate) -> None:
        """Cases referred to the demo department: one due in days, one due soon."""
        assert self.department is not None
        _community, supervisor = self.bodies(estate)
        category = self.category(estate)
        soon = self.filed_for(
            category, Urgency.URGENT, due_after=now + self.soon[0], due_before=now + self.soon[1]
        )
        for filed, urgency in ((now - 2 * DAY, Urgency.NORMAL), (soon, Urgency.URGENT)):
            if filed is None:
                continue
            clock = self.file(estate, filed, category=category, urgency=urgency)
            clock.do(case_accept, self.bodies(estate)[0], at=filed + HOUR / 2)
            clock.do(
                case_refer,
                supervisor,
                department=self.department,
                reason="涉嫌违法行为，移交职能部门依法处理。",
                at=filed + HOUR,
            )

    def enterprise_queue(self, now: dt.datetime, estate: Estate) -> None:
        """At the demo enterprise: a case to start, one to rectify due soon, one sent back."""
        community, supervisor = self.bodies(estate)
        clock = self.file(estate, now - DAY)
        clock.do(case_accept, community)
        self.dispatch(clock, community)
        category = self.category(estate)
        filed = self.filed_for(
            category, Urgency.URGENT, due_after=now + self.soon[0], due_before=now + self.soon[1]
        )
        if filed is not None:
            clock = self.file(estate, filed, category=category, urgency=Urgency.URGENT)
            clock.do(case_accept, community, at=filed + HOUR / 2)
            handler = self.dispatch(clock, community, at=filed + HOUR)
            clock.do(case_start, handler, at=filed + 2 * HOUR)
        clock = self.file(estate, now - 3 * DAY)
        handler = self.to_work(clock, estate)
        clock.do(case_rectify, handler, measures="已清理完毕。", evidence="清理后照片。")
        clock.do(case_send_back, supervisor, reason="现场复核仍有问题，请继续整改。", at=now - 5 * HOUR)

    def owners_complaints(self, now: dt.datetime, estate: Estate, owner: User) -> None:
        """The demo owner's own complaints: one being handled, one closed and waiting for a rating."""
        clock = self.file(estate, now - DAY, complainant=owner, source=Source.QR_CODE)
        community, _supervisor = self.bodies(estate)
        clock.do(case_accept, community)
        self.dispatch(clock, community)
        clock = self.file(estate, now - 8 * DAY, complainant=owner, source=Source.QR_CODE)
        self.closed(clock, estate, closed_at=now - DAY)
