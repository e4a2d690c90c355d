"""The heavy part of the demo city, generated estate by estate: buildings, units, owners, ownerships.

Rows are plain tuples in the column order of `COLUMNS`, with ids drawn from `Ids` so that a unit's
ownerships can name it before anything is written. Nothing is kept after an estate is done except
its totals and a small sample of owners (for its committees), so memory stays flat at any scale.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from jiayuan.demo.people import People
from jiayuan.demo.plan import DeveloperPlan, EstatePlan
from jiayuan.demo.yinchuan import NINGXIA_ID_AREAS, OTHER_ID_AREAS
from jiayuan.estates.choices import OwnerKind
from jiayuan.estates.models import unit_sort_key

Row = tuple[object, ...]

COLUMNS: dict[str, tuple[str, ...]] = {
    "building": ("id", "estate_id", "number", "floors"),
    "unit": ("id", "estate_id", "building_id", "number", "exclusive_area", "sort_key"),
    "owner": ("id", "kind", "name", "phone", "id_number"),
    "ownership": ("id", "owner_id", "unit_id", "since"),
}
SAMPLE_SIZE = 12
CO_OWNED = 0.12  # share of units held by two people
SECOND_UNIT = 0.05  # share of units bought by someone who already owns one in the estate


@dataclass
class Batch:
    """Rows waiting to be written, by table."""

    building: list[Row] = field(default_factory=list)
    unit: list[Row] = field(default_factory=list)
    owner: list[Row] = field(default_factory=list)
    ownership: list[Row] = field(default_factory=list)

    def clear(self) -> None:
        for rows in (self.building, self.unit, self.owner, self.ownership):
            rows.clear()


@dataclass
class EstateTotals:
    units: int = 0
    area_cents: int = 0


class UnitStream:
    """Generates the units of one estate after another into a Batch."""

    def __init__(
        self,
        *,
        rng: random.Random,
        people: People,
        today: dt.date,
        next_id: Callable[[str], int],
        developer_owner_ids: list[int],
    ) -> None:
        self.rng = rng
        self.people = people
        self.today = today
        self.next_id = next_id
        self.developer_owner_ids = developer_owner_ids
        self.areas: dict[int, Decimal] = {}
        self.counts = {"building": 0, "unit": 0, "owner": 0, "ownership": 0}
        # The estate being generated, and the people who already own a unit in it.
        self.batch = Batch()
        self.owned: list[int] = []

    @staticmethod
    def developer_rows(developers: list[DeveloperPlan], ids: list[int]) -> list[Row]:
        return [
            (owner_id, OwnerKind.ORGANISATION.value, d.name, d.phone, d.uscc)
            for owner_id, d in zip(ids, developers, strict=True)
        ]

    def area(self, cents: int) -> Decimal:
        value = self.areas.get(cents)
        if value is None:
            value = self.areas[cents] = Decimal(cents).scaleb(-2)
        return value

    def estate(self, plan: EstatePlan, batch: Batch) -> EstateTotals:
        """Append the buildings, units, owners and ownerships of one estate to the batch."""
        rng = self.rng
        totals = EstateTotals()
        self.batch = batch
        self.owned = []
        plan.owner_sample.clear()
        per_building = plan.floors * plan.stairs * plan.per_floor
        remaining = plan.units
        number = 0
        low, high = plan.area_cents
        while remaining > 0:
            number += 1
            building_id = self.next_id("building")
            batch.building.append((building_id, plan.id, str(number), plan.floors))
            # Units in one stack (same staircase and position) share a floor plan, so an area.
            stacks = {
                (s, p): rng.randint(low, high)
                for s in range(1, plan.stairs + 1)
                for p in range(1, plan.per_floor + 1)
            }
            take = min(per_building, remaining)
            remaining -= take
            positions = [
                (s, f, p)
                for s in range(1, plan.stairs + 1)
                for f in range(1, plan.floors + 1)
                for p in range(1, plan.per_floor + 1)
            ][:take]
            for s, f, p in positions:
                unit_id = self.next_id("unit")
                cents = stacks[(s, p)]
                unit_number = f"{s}-{f}{p:02d}"
                batch.unit.append(
                    (
                        unit_id,
                        plan.id,
                        building_id,
                        unit_number,
                        self.area(cents),
                        unit_sort_key(str(number), unit_number),
                    )
                )
                totals.area_cents += cents
                self.own(plan, unit_id)
            totals.units += take
        self.counts["building"] += number
        self.counts["unit"] += totals.units
        return totals

    def own(self, plan: EstatePlan, unit_id: int) -> None:
        """Give a unit its owners: the developer (unsold), a new buyer, or one who owns another."""
        rng = self.rng
        if plan.developer is not None and rng.random() < plan.unsold:
            self.ownership(self.developer_owner_ids[plan.developer], unit_id, plan.delivered)
            return
        since = self.since(plan.delivered)
        if self.owned and rng.random() < SECOND_UNIT:
            owner_id = rng.choice(self.owned)
        else:
            owner_id = self.new_owner(plan)
        self.ownership(owner_id, unit_id, since)
        if rng.random() < CO_OWNED:
            self.ownership(self.new_owner(plan), unit_id, since)

    def since(self, delivered: dt.date) -> dt.date:
        rng = self.rng
        span = max((self.today - delivered).days, 1)
        offset = rng.randint(0, min(180, span)) if rng.random() < 0.75 else rng.randint(0, span)
        return min(delivered + dt.timedelta(days=offset), self.today)

    def new_owner(self, plan: EstatePlan) -> int:
        rng, people = self.rng, self.people
        owner_id = self.next_id("owner")
        draw = rng.random()
        if draw < 0.7:
            area = plan.district.code
        elif draw < 0.85:
            area = rng.choice(NINGXIA_ID_AREAS)
        else:
            area = rng.choice(OTHER_ID_AREAS)
        name, phone = people.name(), people.mobile()
        self.batch.owner.append(
            (owner_id, OwnerKind.PERSON.value, name, phone, people.id_number(area, self.today))
        )
        self.owned.append(owner_id)
        if len(plan.owner_sample) < SAMPLE_SIZE:
            plan.owner_sample.append((owner_id, name, phone))
        self.counts["owner"] += 1
        return owner_id

    def ownership(self, owner_id: int, unit_id: int, since: dt.date) -> None:
        self.batch.ownership.append((self.next_id("ownership"), owner_id, unit_id, since))
        self.counts["ownership"] += 1
