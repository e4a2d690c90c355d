"""Owner bodies of the demo city: owners' assemblies, owners' committees with their members, and
management committees where no owners' committee exists.

Committee members are owners of the estate (from the sample the stream kept). Some committees'
terms end within the preset's warning period, a few have run past it, so the warnings show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from jiayuan.demo.generator import Planner
from jiayuan.demo.plan import YEAR, EstatePlan, days
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.governance.choices import BodyStatus, Post
from jiayuan.governance.models import (
    ManagementCommittee,
    ManagementCommitteeMember,
    OwnersAssembly,
    OwnersCommittee,
    OwnersCommitteeMember,
)

OLD_TYPES = (EstateType.OLD_ESTATE, EstateType.REFORMED_PUBLIC)


@dataclass
class Bodies:
    assemblies: list[OwnersAssembly] = field(default_factory=list)
    committees: list[OwnersCommittee] = field(default_factory=list)
    members: list[OwnersCommitteeMember] = field(default_factory=list)
    management: list[ManagementCommittee] = field(default_factory=list)
    management_members: list[ManagementCommitteeMember] = field(default_factory=list)
    # The showcase estate's active committee and the owner (id) kept out of it for the demo owner.
    showcase_committee: OwnersCommittee | None = None
    showcase_owner: tuple[int, str, str] | None = None

    def write(self) -> None:
        """bulk_create in dependency order; members pick up their committee's id once it has one."""
        OwnersAssembly.objects.bulk_create(self.assemblies)
        OwnersCommittee.objects.bulk_create(self.committees)
        OwnersCommitteeMember.objects.bulk_create(self.members, batch_size=2000)
        ManagementCommittee.objects.bulk_create(self.management)
        ManagementCommitteeMember.objects.bulk_create(self.management_members, batch_size=2000)


class BodyPlanner:
    def __init__(self, planner: Planner, *, warning_days: int, offices: dict[str, tuple[str, str]]) -> None:
        """`offices`: by community code, the names of its community committee and subdistrict office."""
        self.p = planner
        self.rng = planner.rng
        self.today = planner.today
        self.warning_days = warning_days
        self.offices = offices
        self.bodies = Bodies()
        self.serial = 0

    def plan(self, estates: list[EstatePlan]) -> Bodies:
        rng, today = self.rng, self.today
        for estate in estates:
            showcase = estate.index == 0
            settled = (today - estate.delivered).days >= 2 * YEAR
            if not settled or len(estate.owner_sample) < 4:
                continue
            if estate.estate_type in OLD_TYPES:
                chance = 0.25
            elif estate.mode == ManagementMode.SELF_MANAGED:
                chance = 0.8
            else:
                chance = 0.5
            has_committee = False
            if showcase or rng.random() < chance:
                has_committee = showcase or rng.random() < 0.85
                self.assembly_and_committees(estate, with_committee=has_committee, showcase=showcase)
            if not has_committee:
                old_mode = estate.mode in (ManagementMode.QUASI_PROPERTY, ManagementMode.CUSTODIAL)
                if rng.random() < (0.25 if old_mode else 0.08):
                    self.management_committee(estate)
        return self.bodies

    def filing(self, start: dt.date) -> tuple[str, dt.date]:
        self.serial += 1
        return f"银业备〔{start.year}〕{self.serial:04d}号", min(
            start + days(self.rng.randint(5, 30)), self.today
        )

    def active_term_end(self, length: int, *, soon: bool) -> dt.date:
        rng, today = self.rng, self.today
        draw = rng.random()
        if soon or draw < 0.12:
            return today + days(rng.randint(7, self.warning_days))
        if draw < 0.16:  # past its term and not yet re-elected: still in office, overdue
            return today - days(rng.randint(1, 150))
        return today + days(rng.randint(self.warning_days + 1, length * YEAR - 1))

    def assembly_and_committees(self, estate: EstatePlan, *, with_committee: bool, showcase: bool) -> None:
        rng, today = self.rng, self.today
        earliest = estate.delivered + days(YEAR)
        established = min(estate.delivered + days(rng.randint(YEAR, 4 * YEAR)), today - days(60))
        if with_committee:
            length = rng.choice((3, 5, 5))
            end = self.active_term_end(length, soon=showcase)
            start = end - days(length * YEAR)
            if start < earliest and showcase:
                start = earliest  # a shortened first term, so that the showcase's still ends soon
            elif start < earliest:
                start = earliest + days(rng.randint(0, 200))
                end = start + days(length * YEAR)
            terms = [(start, end, BodyStatus.ACTIVE)]
            while len(terms) < 3:  # up to two earlier, ended terms
                previous_end = terms[-1][0] - days(1)
                previous_start = previous_end - days(length * YEAR)
                if previous_start < earliest:
                    break
                terms.append((previous_start, previous_end, BodyStatus.ENDED))
            established = max(terms[-1][0] - days(rng.randint(0, 30)), estate.delivered)
            candidates = estate.owner_sample[1:] if showcase else estate.owner_sample
            for term_start, term_end, status in reversed(terms):
                committee = self.owners_committee(estate, term_start, term_end, status, candidates)
                if showcase and status == BodyStatus.ACTIVE:
                    self.bodies.showcase_committee = committee
            if showcase:
                self.bodies.showcase_owner = estate.owner_sample[0]
        filed = established + days(rng.randint(10, 60)) if rng.random() < 0.8 else None
        self.bodies.assemblies.append(
            OwnersAssembly(
                estate_id=estate.id,
                established_on=established,
                rules_of_procedure_filed_on=min(filed, today) if filed else None,
            )
        )

    def owners_committee(
        self,
        estate: EstatePlan,
        start: dt.date,
        end: dt.date,
        status: str,
        candidates: list[tuple[int, str, str]],
    ) -> OwnersCommittee:
        rng = self.rng
        number, date = self.filing(start)
        committee = OwnersCommittee(
            estate_id=estate.id,
            term_start=start,
            term_end=end,
            status=status,
            filing_number=number,
            filing_date=date,
        )
        self.bodies.committees.append(committee)
        size = min(rng.choice((5, 5, 7, 7, 9)), len(candidates))
        chosen = rng.sample(candidates, size)
        for position, (owner_id, name, phone) in enumerate(chosen):
            post = Post.DIRECTOR if position == 0 else Post.DEPUTY_DIRECTOR if position <= 1 else Post.MEMBER
            self.bodies.members.append(
                OwnersCommitteeMember(
                    committee=committee, owner_id=owner_id, name=name, phone=phone, post=post
                )
            )
        return committee

    def management_committee(self, estate: EstatePlan) -> None:
        """A temporary committee led by the community committee, with owners' representatives."""
        rng, today, people = self.rng, self.today, self.p.people
        length = rng.choice((2, 3))
        start = today - days(rng.randint(30, length * YEAR - 30))
        end = start + days(length * YEAR)
        if rng.random() < 0.1:
            end = today + days(rng.randint(7, self.warning_days))
        number, date = self.filing(start)
        committee = ManagementCommittee(
            estate_id=estate.id,
            term_start=start,
            term_end=end,
            status=BodyStatus.ACTIVE,
            filing_number=number,
            filing_date=date,
        )
        self.bodies.management.append(committee)
        community_committee, subdistrict_office = self.offices[estate.community.code]
        staff = [
            (self.p.fake.name(), community_committee, Post.DIRECTOR),
            (self.p.fake.name(), subdistrict_office, Post.DEPUTY_DIRECTOR),
        ]
        for name, affiliation, post in staff:
            self.bodies.management_members.append(
                ManagementCommitteeMember(
                    committee=committee, name=name, post=post, phone=people.mobile(), affiliation=affiliation
                )
            )
        representatives = rng.sample(estate.owner_sample, min(rng.randint(3, 5), len(estate.owner_sample)))
        for owner_id, name, phone in representatives:
            self.bodies.management_members.append(
                ManagementCommitteeMember(
                    committee=committee, owner_id=owner_id, name=name, phone=phone, affiliation="业主代表"
                )
            )
