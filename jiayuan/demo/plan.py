"""The plan of the demo city as data: sizes, and what the planner decides before anything is written."""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass, field
from decimal import Decimal

from jiayuan.demo import yinchuan as place

YEAR = 365


@dataclass(frozen=True)
class Scale:
    """How big the city is. A pair is a random range per parent; an int is a city-wide total."""

    name: str
    subdistricts: tuple[int, int] | None  # per district; None: all the real ones
    communities: tuple[int, int] | int
    estates: tuple[int, int] | int
    units: float | int  # a float scales the natural estate sizes; an int is the city total
    enterprises: int
    developers: int
    cases: int  # filed through the case services, so each has its full timeline


SCALES = {
    "demo": Scale("demo", (2, 3), (2, 3), (2, 4), 0.15, 24, 6, 105),
    "city": Scale("city", None, 400, 2500, 1_000_000, 600, 40, 300),
}


@dataclass
class RegionPlan:
    code: str
    name: str
    level: str
    parent: str | None
    district: place.District | None = None
    centre: tuple[float, float] = (0.0, 0.0)


@dataclass
class EnterprisePlan:
    index: int
    uscc: str
    name: str
    legal_representative: str
    district: str  # 12-digit code of the district it is registered in
    address: str
    phone: str


@dataclass
class DeveloperPlan:
    name: str
    uscc: str
    phone: str


@dataclass
class ContractPlan:
    enterprise: int
    kind: str
    start: dt.date
    end: dt.date | None
    status: str
    grade: int
    fee: Decimal
    filing_number: str
    filing_date: dt.date | None


@dataclass
class EstatePlan:
    index: int
    community: RegionPlan
    district: place.District
    name: str
    address: str
    mode: str
    estate_type: str
    year_built: int
    delivered: dt.date
    latitude: Decimal
    longitude: Decimal
    units: int
    floors: int
    stairs: int
    per_floor: int
    area_cents: tuple[int, int]
    developer: int | None
    unsold: float
    contracts: list[ContractPlan] = field(default_factory=list)
    # Filled in by the stream: the row id and a few of its owners (id, name, phone).
    id: int = 0
    owner_sample: list[tuple[int, str, str]] = field(default_factory=list)


def apportion(total: int, weights: list[float], minimum: int = 1) -> list[int]:
    """Split `total` into len(weights) integers >= minimum, proportional to the weights."""
    spare = total - minimum * len(weights)
    scale = sum(weights)
    shares = [spare * w / scale for w in weights]
    counts = [minimum + math.floor(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: (-(shares[i] - math.floor(shares[i])), i))
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def weighted(rng: random.Random, options: list[tuple[str, float]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]
