"""Planning the demo city: regions, enterprises, developers, estates (and, through `contracts`, their
contract history).

Everything here is small (thousands of items at city scale) and kept in memory; the million units
are generated later, estate by estate, by `jiayuan.demo.stream`. All randomness comes from one
`random.Random(seed)` and one Faker zh_CN seeded with the same number, consumed in a fixed order
(lists only, never set or dict iteration of unordered data), and every date is computed from the
anchor date `today`: the same seed and anchor give the same city.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from decimal import Decimal

from faker import Faker

from jiayuan.demo import yinchuan as place
from jiayuan.demo.contracts import ContractPlanner
from jiayuan.demo.people import People
from jiayuan.demo.plan import (
    YEAR,
    DeveloperPlan,
    EnterprisePlan,
    EstatePlan,
    RegionPlan,
    Scale,
    apportion,
    days,
    weighted,
)
from jiayuan.enterprises.uscc import ALPHABET, build_uscc
from jiayuan.estates.choices import EstateType, ManagementMode
from jiayuan.regions.choices import Level


class Planner:
    """Draws the plan of the city. Call the plan_* methods in order: each consumes the Random."""

    def __init__(self, *, seed: int, scale: Scale, today: dt.date) -> None:
        self.scale = scale
        self.today = today
        self.rng = random.Random(seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(seed)
        self.people = People(self.rng)
        self.regions: list[RegionPlan] = []
        self.enterprises: list[EnterprisePlan] = []
        self.developers: list[DeveloperPlan] = []
        self.estates: list[EstatePlan] = []
        self.usccs: set[str] = set()

    # Regions -------------------------------------------------------------------------------------

    def plan_regions(self) -> list[RegionPlan]:
        rng = self.rng
        city = RegionPlan(place.CITY_CODE, place.CITY_NAME, Level.CITY, None)
        self.regions.append(city)
        subdistricts: list[RegionPlan] = []
        for district in place.DISTRICTS:
            d = RegionPlan(
                district.full_code, district.name, Level.DISTRICT, city.code, district, district.centre
            )
            self.regions.append(d)
            chosen = place.subdistrict_codes(district)
            if self.scale.subdistricts:
                k = rng.randint(*self.scale.subdistricts)
                picked = sorted(rng.sample(range(len(chosen)), k))
                chosen = [chosen[i] for i in picked]
            for code, name in chosen:
                s = RegionPlan(code, name, Level.SUBDISTRICT, d.code, district, district.centre)
                self.regions.append(s)
                subdistricts.append(s)
        counts = self.counts(self.scale.communities, [self.urban_weight(s) for s in subdistricts], 2)
        used: set[str] = set()
        for sub, count in zip(subdistricts, counts, strict=True):
            for j in range(count):
                name = self.unique(used, lambda: self.community_name())
                centre = self.jitter(sub.centre, 0.02)
                code = f"{sub.code[:9]}{j + 1:03d}"
                self.regions.append(RegionPlan(code, name, Level.COMMUNITY, sub.code, sub.district, centre))
        return self.regions

    def urban_weight(self, region: RegionPlan) -> float:
        base = 1.3 if region.name.endswith("街道") else 0.8 if region.name.endswith("镇") else 0.5
        return base * self.rng.uniform(0.7, 1.3)

    def counts(self, spec: tuple[int, int] | int, weights: list[float], minimum: int) -> list[int]:
        if isinstance(spec, tuple):
            return [self.rng.randint(*spec) for _ in weights]
        return apportion(spec, weights, minimum)

    def community_name(self) -> str:
        return f"{self.rng.choice(place.COMMUNITY_STEMS)}{self.rng.choice(place.COMMUNITY_SUFFIXES)}社区"

    def unique(self, used: set[str], draw: Callable[[], str], variants: tuple[str, ...] = ()) -> str:
        """A drawn name not used yet: redraw a few times, then add a variant (二期 ...), then a number."""
        name = ""
        for _ in range(8):
            name = draw()
            if name not in used:
                used.add(name)
                return name
        for suffix in (*variants, *(str(n) for n in range(2, 10_000))):
            if f"{name}{suffix}" not in used:
                used.add(f"{name}{suffix}")
                return f"{name}{suffix}"
        raise RuntimeError("no unique name left")  # pragma: no cover

    def jitter(self, centre: tuple[float, float], spread: float) -> tuple[float, float]:
        """A point near `centre` inside the map's box (redrawn, not clamped, so none pile up at an edge)."""
        (lat_lo, lat_hi), (lon_lo, lon_hi) = place.BOUNDS
        lat, lon = centre
        for _ in range(20):
            lat = centre[0] + self.rng.gauss(0, spread)
            lon = centre[1] + self.rng.gauss(0, spread)
            if lat_lo <= lat <= lat_hi and lon_lo <= lon <= lon_hi:
                return lat, lon
        return min(max(lat, lat_lo), lat_hi), min(max(lon, lon_lo), lon_hi)

    # Enterprises and developers ------------------------------------------------------------------

    def new_uscc(self, district_code: str) -> str:
        while True:
            serial = "MA7" + "".join(self.rng.choice(ALPHABET) for _ in range(6))
            code = build_uscc(district_code[:6], serial)
            if code not in self.usccs:
                self.usccs.add(code)
                return code

    def company_word(self) -> str:
        prefix = self.fake.company_prefix()
        return (
            prefix if len(prefix) == 2 and self.rng.random() < 0.3 else self.rng.choice(place.COMPANY_WORDS)
        )

    def plan_enterprises(self) -> list[EnterprisePlan]:
        rng = self.rng
        districts = [r for r in self.regions if r.level == Level.DISTRICT]
        weights = [
            sum(1 for c in self.regions if c.level == Level.COMMUNITY and c.district == d.district)
            for d in districts
        ]
        used: set[str] = set()
        for index in range(self.scale.enterprises):
            home = districts[0] if index == 0 else rng.choices(districts, weights=weights)[0]
            assert home.district is not None
            if index == 0:
                name = self.unique(used, lambda: f"宁夏{rng.choice(place.COMPANY_WORDS)}物业服务集团有限公司")
            else:
                name = self.unique(
                    used,
                    lambda: (
                        rng.choice(place.COMPANY_PLACES)
                        + self.company_word()
                        + rng.choice(place.ENTERPRISE_FORMS)
                    ),
                )
            road = rng.choice(home.district.roads)
            self.enterprises.append(
                EnterprisePlan(
                    index=index,
                    uscc=self.new_uscc(home.code),
                    name=name,
                    legal_representative=self.fake.name(),
                    district=home.code,
                    address=f"{place.CITY_NAME}{home.name}{road}{rng.randint(1, 399)}号",
                    phone=self.people.landline(),
                )
            )
        used_dev: set[str] = set()
        for _ in range(self.scale.developers):
            name = self.unique(
                used_dev, lambda: f"宁夏{rng.choice(place.COMPANY_WORDS)}{rng.choice(place.DEVELOPER_FORMS)}"
            )
            self.developers.append(
                DeveloperPlan(name, self.new_uscc(rng.choice(districts).code), self.people.landline())
            )
        return self.enterprises

    # Estates ---------------------------------------------------------------------------------------

    def plan_estates(self) -> list[EstatePlan]:
        rng = self.rng
        communities = [r for r in self.regions if r.level == Level.COMMUNITY]
        counts = self.counts(self.scale.estates, [rng.uniform(0.6, 1.4) for _ in communities], 1)
        contracts = ContractPlanner(rng=rng, today=self.today, enterprises=self.enterprises)
        used: set[str] = set()
        # The first estate of the first community of the first two districts is a showcase: a
        # commercial estate served by the flagship enterprise, so that the demo enterprise works in
        # two districts and the demo committee and owner live in a well-kept estate (estates[0]).
        showcases: list[str] = []
        for district in place.DISTRICTS[:2]:
            first = next((c for c in communities if c.district == district), None)
            if first is not None:
                showcases.append(first.code)
        for community, count in zip(communities, counts, strict=True):
            for j in range(count):
                showcase = j == 0 and community.code in showcases
                estate = self.plan_estate(len(self.estates), community, used, showcase=showcase)
                current = 0 if showcase else None
                estate.contracts = contracts.chain(estate, current=current)
                self.estates.append(estate)
        self.size_estates()
        return self.estates

    def plan_estate(self, index: int, community: RegionPlan, used: set[str], *, showcase: bool) -> EstatePlan:
        rng, today = self.rng, self.today
        district = community.district
        assert district is not None
        if showcase:
            era, year = "new", rng.randint(2008, min(2016, today.year - 3))
        else:
            era = weighted(rng, [("old", 0.22), ("mid", 0.33), ("new", 0.45)])
            low, high = {"old": (1985, 1999), "mid": (2000, 2010), "new": (2011, today.year - 1)}[era]
            year = rng.randint(low, max(low, high))
        estate_type = EstateType.COMMERCIAL if showcase else self.estate_type(era)
        mode = ManagementMode.ENTERPRISE if showcase else self.management_mode(era)
        old = estate_type in (EstateType.OLD_ESTATE, EstateType.REFORMED_PUBLIC)
        name = self.unique(used, lambda: self.estate_name(old), place.ESTATE_VARIANTS)
        lat, lon = self.jitter(community.centre, 0.004)
        delivered = dt.date(year, rng.randint(1, 12), rng.randint(1, 28))
        if delivered >= today:
            delivered = today - days(rng.randint(30, 300))
        raw_size, floors = self.natural_size(era, estate_type)
        has_developer = estate_type in (EstateType.COMMERCIAL, EstateType.AFFORDABLE, EstateType.RESETTLEMENT)
        recent = (today - delivered).days < 8 * YEAR
        return EstatePlan(
            index=index,
            community=community,
            district=district,
            name=name,
            address=f"{place.CITY_NAME}{district.name}{rng.choice(district.roads)}{rng.randint(1, 599)}号",
            mode=mode,
            estate_type=estate_type,
            year_built=delivered.year,
            delivered=delivered,
            latitude=Decimal(f"{lat:.6f}"),
            longitude=Decimal(f"{lon:.6f}"),
            units=raw_size,
            floors=floors,
            stairs=rng.randint(2, 4) if old else rng.randint(1, 2),
            per_floor=rng.choice((2, 2, 2, 3, 4)),
            area_cents=self.area_range(estate_type),
            developer=rng.randrange(len(self.developers)) if has_developer and self.developers else None,
            unsold=rng.uniform(0.0, 0.06) if has_developer and recent else 0.0,
        )

    def estate_type(self, era: str) -> str:
        options = {
            "old": [(EstateType.REFORMED_PUBLIC, 0.5), (EstateType.OLD_ESTATE, 0.4), (EstateType.OTHER, 0.1)],
            "mid": [
                (EstateType.COMMERCIAL, 0.70),
                (EstateType.AFFORDABLE, 0.12),
                (EstateType.RESETTLEMENT, 0.12),
                (EstateType.REFORMED_PUBLIC, 0.06),
            ],
            "new": [
                (EstateType.COMMERCIAL, 0.72),
                (EstateType.RESETTLEMENT, 0.16),
                (EstateType.AFFORDABLE, 0.12),
            ],
        }
        return weighted(self.rng, [(str(k), w) for k, w in options[era]])

    def management_mode(self, era: str) -> str:
        if era == "new":
            return ManagementMode.ENTERPRISE
        options = {
            "old": [
                (ManagementMode.ENTERPRISE, 0.40),
                (ManagementMode.QUASI_PROPERTY, 0.25),
                (ManagementMode.CUSTODIAL, 0.25),
                (ManagementMode.SELF_MANAGED, 0.10),
            ],
            "mid": [
                (ManagementMode.ENTERPRISE, 0.90),
                (ManagementMode.QUASI_PROPERTY, 0.05),
                (ManagementMode.SELF_MANAGED, 0.05),
            ],
        }
        return weighted(self.rng, [(str(k), w) for k, w in options[era]])

    def estate_name(self, old: bool) -> str:
        rng = self.rng
        if old and rng.random() < 0.7:
            form = rng.choice(place.OLD_ESTATE_FORMS)
            return form.format(unit=rng.choice(place.OLD_ESTATE_UNITS), stem=rng.choice(place.ESTATE_STEMS))
        return rng.choice(place.ESTATE_STEMS) + rng.choice(place.ESTATE_SUFFIXES)

    def natural_size(self, era: str, estate_type: str) -> tuple[int, int]:
        """A natural number of units and the floors of its buildings, by era and type."""
        rng = self.rng
        if era == "old":
            return rng.randint(60, 300), rng.choice((5, 6, 6, 7))
        if estate_type == EstateType.RESETTLEMENT:
            return rng.randint(400, 1500), rng.choice((11, 18, 18, 26))
        if estate_type == EstateType.AFFORDABLE:
            return rng.randint(300, 1200), rng.choice((11, 18, 26))
        if era == "mid":
            return rng.randint(200, 900), rng.choice((6, 6, 11, 11, 18))
        return rng.randint(300, 1800), rng.choice((11, 18, 18, 26, 33))

    @staticmethod
    def area_range(estate_type: str) -> tuple[int, int]:
        """Exclusive areas in hundredths of a square metre: 60-160 m², smaller in old estates."""
        if estate_type in (EstateType.OLD_ESTATE, EstateType.REFORMED_PUBLIC, EstateType.AFFORDABLE):
            return 6000, 9500
        if estate_type == EstateType.RESETTLEMENT:
            return 6500, 12000
        if estate_type == EstateType.COMMERCIAL:
            return 8500, 16000
        return 6000, 12000

    def size_estates(self) -> None:
        """Turn natural sizes into unit counts: scaled down (demo) or apportioned to the city total."""
        spec = self.scale.units
        if isinstance(spec, int):
            sizes = apportion(spec, [float(e.units) for e in self.estates], 12)
        else:
            sizes = [max(12, round(e.units * spec)) for e in self.estates]
        for estate, size in zip(self.estates, sizes, strict=True):
            estate.units = size
            # Small estates get low buildings: at least two buildings unless it is tiny.
            while estate.floors > 5 and estate.floors * estate.stairs * estate.per_floor > max(size // 2, 12):
                estate.floors -= 1
