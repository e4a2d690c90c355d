"""Loading the demo city into an empty database (what `manage.py seed` runs).

This is a loader, not a use case: it writes the models directly — bulk_create, and COPY on
PostgreSQL for buildings, units, owners and ownerships — instead of calling the services, all in
one transaction, and records a single audit event `demo.seeded` with the counts. The data is
synthetic and deterministic: `jiayuan.demo.generator` explains how.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection, transaction

from jiayuan.accounts.models import Organisation, User
from jiayuan.audit.services import record_event
from jiayuan.core.actor import system_actor
from jiayuan.demo import yinchuan as place
from jiayuan.demo.bodies import Bodies, BodyPlanner
from jiayuan.demo.campaigns import seed_campaign
from jiayuan.demo.cases import CaseSeeder
from jiayuan.demo.generator import Planner
from jiayuan.demo.logins import DEMO_LOGINS, Person, create_logins
from jiayuan.demo.organisations import (
    Organisations,
    community_committee_name,
    create_departments,
    create_organisations,
    subdistrict_office_name,
)
from jiayuan.demo.plan import EstatePlan, Scale
from jiayuan.demo.queues import QueueSeeder
from jiayuan.demo.stream import COLUMNS, Batch, UnitStream
from jiayuan.demo.writer import Ids, foreign_keys_validated_after, is_postgresql, write_rows
from jiayuan.enterprises.models import Enterprise, ProjectManager, ServiceContract
from jiayuan.estates.models import Building, Estate, Owner, Ownership, Unit
from jiayuan.governance.choices import Post
from jiayuan.policy.loader import PolicyPreset
from jiayuan.regions.choices import LEVEL_ORDER, Level
from jiayuan.regions.models import Department, Region

FLUSH_UNITS = 20_000  # write the streamed rows every this many units
ANALYZE_TABLES = (Estate, Building, Unit, Owner, Ownership, ServiceContract, Organisation)


@dataclass
class SeedReport:
    preset: str
    scale: str
    seed: int
    today: dt.date
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class Loader:
    def __init__(
        self,
        *,
        preset: PolicyPreset,
        scale: Scale,
        seed: int,
        today: dt.date,
        password: str,
        progress: Callable[[str], None] | None = None,
    ) -> None:
        self.preset = preset
        self.password = password
        self.seed = seed
        self.progress = progress or (lambda message: None)
        self.planner = Planner(seed=seed, scale=scale, today=today)
        self.report = SeedReport(preset=preset.name, scale=scale.name, seed=seed, today=today)
        self.counts = self.report.counts
        self.ids = Ids(
            {"estate": Estate, "building": Building, "unit": Unit, "owner": Owner, "ownership": Ownership}
        )
        self.regions: dict[str, Region] = {}
        self.departments: list[Department] = []
        self.demo_orgs: dict[str, Organisation] = {}
        self.enterprises: list[Enterprise] = []
        self.developer_owner_ids: list[int] = []
        self.estate_plans: list[EstatePlan] = []
        self.estates: list[Estate] = []
        self.bodies = Bodies()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.report.seconds[name] = round(time.perf_counter() - started, 3)
        self.progress(f"  {name}: {self.report.seconds[name]:.1f} s")

    def run(self) -> SeedReport:
        with transaction.atomic():
            if is_postgresql():
                # Check foreign keys row by row as COPY goes (rows come in dependency order)
                # instead of queueing millions of deferred checks until commit.
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with self.phase("regions and departments"):
                self.load_regions()
                self.departments = create_departments(self.preset, list(self.regions.values()), self.seed)
                self.counts["departments"] = len(self.departments)
            with self.phase("enterprises"):
                self.load_enterprises()
            bulk = [Building, Unit, Owner, Ownership]
            with self.phase("estates, buildings, units, owners"), foreign_keys_validated_after(bulk):
                self.load_estates()
            with self.phase("contracts"):
                self.load_contracts()
            with self.phase("owner bodies"):
                self.load_bodies()
            with self.phase("organisations and logins"):
                self.load_organisations_and_logins()
            with self.phase("cases"):
                self.load_cases()
            with self.phase("campaigns"):
                city = self.regions[place.CITY_CODE]
                _campaign, self.counts["campaign_cases"] = seed_campaign(city=city, today=self.planner.today)
            with self.phase("audit"):
                record_event(actor=system_actor(), action="demo.seeded", data=self.audit_data())
            if is_postgresql():
                with self.phase("analyze"), connection.cursor() as cursor:
                    for model in ANALYZE_TABLES:
                        cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
        return self.report

    def audit_data(self) -> dict[str, object]:
        report = self.report
        return {
            "preset": report.preset,
            "scale": report.scale,
            "seed": report.seed,
            "today": report.today.isoformat(),
            "counts": dict(self.counts),
        }

    def load_regions(self) -> None:
        plans = self.planner.plan_regions()
        for level in LEVEL_ORDER:
            rows = []
            for plan in plans:
                if plan.level != level:
                    continue
                parent = self.regions[plan.parent] if plan.parent else None
                path = f"{parent.path if parent else ''}{plan.code}/"
                rows.append(
                    Region(code=plan.code, name=plan.name, level=plan.level, parent=parent, path=path)
                )
            for region in Region.objects.bulk_create(rows, batch_size=1000):
                self.regions[region.code] = region
        self.counts["regions"] = len(self.regions)

    def load_enterprises(self) -> None:
        planner = self.planner
        rows = [
            Enterprise(
                uscc=plan.uscc,
                name=plan.name,
                legal_representative=plan.legal_representative,
                registered_region=self.regions[plan.district],
                address=plan.address,
                phone=plan.phone,
            )
            for plan in planner.plan_enterprises()
        ]
        self.enterprises = Enterprise.objects.bulk_create(rows, batch_size=1000)
        self.counts["enterprises"] = len(self.enterprises)
        # Developers hold the unsold units: organisation owners, keyed by their USCC.
        self.developer_owner_ids = [self.ids("owner") for _ in planner.developers]
        write_rows(
            Owner, COLUMNS["owner"], UnitStream.developer_rows(planner.developers, self.developer_owner_ids)
        )

    def load_estates(self) -> None:
        planner = self.planner
        self.estate_plans = planner.plan_estates()
        stream = UnitStream(
            rng=planner.rng,
            people=planner.people,
            today=planner.today,
            next_id=self.ids,
            developer_owner_ids=self.developer_owner_ids,
        )
        batch = Batch()
        pending: list[Estate] = []
        for plan in self.estate_plans:
            plan.id = self.ids("estate")
            totals = stream.estate(plan, batch)
            estate = Estate(
                id=plan.id,
                name=plan.name,
                address=plan.address,
                community=self.regions[plan.community.code],
                management_mode=plan.mode,
                estate_type=plan.estate_type,
                year_built=plan.year_built,
                latitude=plan.latitude,
                longitude=plan.longitude,
                unit_count=totals.units,
                total_exclusive_area=Decimal(totals.area_cents).scaleb(-2),
            )
            pending.append(estate)
            self.estates.append(estate)
            if len(batch.unit) >= FLUSH_UNITS:
                self.flush(pending, batch)
        self.flush(pending, batch)
        self.counts["estates"] = len(self.estates)
        self.counts["buildings"] = stream.counts["building"]
        self.counts["units"] = stream.counts["unit"]
        self.counts["owners"] = stream.counts["owner"] + len(self.developer_owner_ids)
        self.counts["ownerships"] = stream.counts["ownership"]

    @staticmethod
    def flush(pending: list[Estate], batch: Batch) -> None:
        """Write what the stream produced, parents first."""
        Estate.objects.bulk_create(pending, batch_size=1000)
        pending.clear()
        write_rows(Building, COLUMNS["building"], batch.building)
        write_rows(Unit, COLUMNS["unit"], batch.unit)
        write_rows(Owner, COLUMNS["owner"], batch.owner)
        write_rows(Ownership, COLUMNS["ownership"], batch.ownership)
        batch.clear()

    def load_contracts(self) -> None:
        """Contracts with their project managers: one manager per enterprise and estate."""
        fake, people = self.planner.fake, self.planner.people
        managers: dict[tuple[int, int], ProjectManager] = {}
        ordered: list[ProjectManager] = []
        for plan in self.estate_plans:
            for contract in plan.contracts:
                key = (contract.enterprise, plan.index)
                if key not in managers:
                    managers[key] = ProjectManager(
                        enterprise=self.enterprises[contract.enterprise],
                        name=fake.name(),
                        phone=people.mobile(),
                        certificate_number=f"宁物项{contract.start.year}{len(ordered) + 1:05d}",
                    )
                    ordered.append(managers[key])
        ProjectManager.objects.bulk_create(ordered, batch_size=1000)
        contracts = [
            ServiceContract(
                enterprise=self.enterprises[contract.enterprise],
                estate_id=plan.id,
                project_manager=managers[(contract.enterprise, plan.index)],
                kind=contract.kind,
                start_date=contract.start,
                end_date=contract.end,
                service_grade=contract.grade,
                fee_per_m2_month=contract.fee,
                filing_number=contract.filing_number,
                filing_date=contract.filing_date,
                status=contract.status,
            )
            for plan in self.estate_plans
            for contract in plan.contracts
        ]
        ServiceContract.objects.bulk_create(contracts, batch_size=1000)
        self.counts["project_managers"] = len(ordered)
        self.counts["service_contracts"] = len(contracts)

    def load_bodies(self) -> None:
        offices: dict[str, tuple[str, str]] = {}
        for region in self.regions.values():
            if region.level == Level.COMMUNITY:
                parent = self.regions[region.path.split("/")[-3]]
                offices[region.code] = (
                    community_committee_name(region.name),
                    subdistrict_office_name(parent.name),
                )
        warning = self.preset.data.governance.term_warning.days
        self.bodies = BodyPlanner(self.planner, warning_days=warning, offices=offices).plan(self.estate_plans)
        self.bodies.write()
        self.counts["owners_assemblies"] = len(self.bodies.assemblies)
        self.counts["owners_committees"] = len(self.bodies.committees)
        self.counts["owners_committee_members"] = len(self.bodies.members)
        self.counts["management_committees"] = len(self.bodies.management)
        self.counts["management_committee_members"] = len(self.bodies.management_members)

    def load_organisations_and_logins(self) -> None:
        orgs = create_organisations(
            regions=list(self.regions.values()),
            departments=self.departments,
            enterprises=self.enterprises,
            committees=self.bodies.committees,
            assemblies=self.bodies.assemblies,
            estates_by_id={estate.pk: estate for estate in self.estates},
        )
        self.counts["organisations"] = orgs.count
        people = self.demo_people()
        self.demo_orgs = self.demo_organisations(orgs)
        users = create_logins(password=self.password, organisations=self.demo_orgs, people=people)
        owner = self.bodies.showcase_owner
        assert owner is not None
        owner_user = next(
            u for u, login in zip(users, DEMO_LOGINS, strict=True) if login.username == "demo_owner"
        )
        Owner.objects.filter(pk=owner[0]).update(user=owner_user)
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(users)

    def load_cases(self) -> None:
        """A season of cases through the services, a third at the demo logins' estates, and the
        cases that give each demo login work on the seeding day (`demo.queues`)."""
        showcase = self.estates[0]
        served = set(
            ServiceContract.objects.in_force_on(self.planner.today)
            .filter(enterprise=self.enterprises[0])
            .values_list("estate_id", flat=True)
        )
        subdistrict = showcase.community.path.split("/")[-3]
        focus = [showcase] + [
            e for e in self.estates[1:] if e.pk in served or e.community.path.split("/")[-3] == subdistrict
        ]
        seeder = CaseSeeder(
            rng=self.planner.rng,
            people=self.planner.people,
            today=self.planner.today,
            estates=self.estates,
            focus=focus,
            body_names=self.acting_bodies,
        )
        queues = QueueSeeder(
            rng=self.planner.rng,
            people=self.planner.people,
            now=seeder.now,
            showcase=showcase,
            enterprise_estate=next((e for e in self.estates if e.pk in served), None),
            department=self.demo_orgs["demo_department"].department,
            owner=User.objects.filter(username="demo_owner").first(),
            body_names=self.acting_bodies,
        )
        result = seeder.seed(self.planner.scale.cases, then=queues.seed)
        self.counts["cases"] = result.cases
        self.counts["case_escalations"] = result.escalations

    def acting_bodies(self, estate: Estate) -> tuple[str, str]:
        """The names of the community committee and the subdistrict office over an estate."""
        community = estate.community
        subdistrict = self.regions[community.path.split("/")[-3]]
        return community_committee_name(community.name), subdistrict_office_name(subdistrict.name)

    def demo_organisations(self, orgs: Organisations) -> dict[str, Organisation]:
        """Where each demo login sits: around the showcase estate (the first estate of 兴庆区)."""
        showcase = self.estates[0]
        community = self.regions[self.estate_plans[0].community.code]
        subdistrict_code = community.path.split("/")[-3]
        district = place.DISTRICTS[0].full_code
        assert orgs.platform is not None
        return {
            "demo_city": orgs.bureaus[place.CITY_CODE],
            "demo_district": orgs.bureaus[district],
            "demo_subdistrict": orgs.offices[subdistrict_code],
            "demo_community": orgs.offices[community.code],
            "demo_department": self.demo_department(orgs, district),
            "demo_enterprise": orgs.enterprises[self.enterprises[0].pk],
            "demo_committee": orgs.committees[showcase.pk],
            "demo_owner": orgs.assemblies[showcase.pk],
            "demo_auditor": orgs.bureaus[place.CITY_CODE],
            "demo_admin": orgs.platform,
        }

    @staticmethod
    def demo_department(orgs: Organisations, district: str) -> Organisation:
        """The police of the district, or of the city where the catalogue puts police at city level
        (the department that receives the referrals); without police, a district department."""
        for key in ((district, "police"), (place.CITY_CODE, "police")):
            if key in orgs.departments:
                return orgs.departments[key]
        ranked = sorted(orgs.departments, key=lambda key: (key[0] != district, key))
        if not ranked:
            raise ValueError("The policy preset lists no departments, so there is none for demo_department.")
        return orgs.departments[ranked[0]]

    def demo_people(self) -> dict[str, Person]:
        fake, people = self.planner.fake, self.planner.people
        result = {login.username: Person(fake.name(), people.mobile()) for login in DEMO_LOGINS}
        committee = self.bodies.showcase_committee
        director = next(
            (m for m in self.bodies.members if m.committee is committee and m.post == Post.DIRECTOR), None
        )
        if director is not None:
            result["demo_committee"] = Person(director.name, director.phone)
        owner = self.bodies.showcase_owner
        if owner is not None:
            result["demo_owner"] = Person(owner[1], owner[2])
        return result


def seed_city(
    *,
    preset: PolicyPreset,
    scale: Scale,
    seed: int,
    today: dt.date,
    password: str,
    progress: Callable[[str], None] | None = None,
) -> SeedReport:
    """Load the demo city into an empty database in one transaction; return counts and timings."""
    if (
        Region.objects.exists()
        or User.objects.filter(username__in=[d.username for d in DEMO_LOGINS]).exists()
    ):
        raise ValueError("The database already has data: the seed loads an empty database.")
    return Loader(
        preset=preset, scale=scale, seed=seed, today=today, password=password, progress=progress
    ).run()
