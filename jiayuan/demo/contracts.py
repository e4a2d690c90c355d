"""The contract history of an estate: back-to-back contracts, the last one in force today.

An estate managed by an enterprise has exactly one contract in force on the anchor date; before it,
expired and terminated ones, early-stage first where the history reaches back to delivery. Some
estates managed otherwise had an enterprise that left.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from jiayuan.demo import yinchuan as place
from jiayuan.demo.plan import YEAR, ContractPlan, EnterprisePlan, EstatePlan, days
from jiayuan.enterprises.choices import ContractKind, ContractStatus
from jiayuan.estates.choices import ManagementMode

Pools = dict[str, tuple[list[int], list[float]]]


class ContractPlanner:
    """Draws contract histories with the planner's Random, in the planner's order."""

    def __init__(self, *, rng: random.Random, today: dt.date, enterprises: list[EnterprisePlan]) -> None:
        self.rng = rng
        self.today = today
        self.enterprises = enterprises
        self.filings: dict[int, int] = {}
        self.pools = self.enterprise_pools()

    def enterprise_pools(self) -> Pools:
        """Per district code (and "" for the whole city): enterprise indexes and cumulative weights."""
        rng = self.rng
        weights = [min(rng.paretovariate(1.2), 30.0) for _ in self.enterprises]
        if weights:
            weights[0] = sum(weights) * 0.04
        pools: Pools = {}
        for key in ["", *(d.full_code for d in place.DISTRICTS)]:
            members = [e.index for e in self.enterprises if not key or e.district == key]
            cumulative: list[float] = []
            total = 0.0
            for i in members:
                total += weights[i]
                cumulative.append(total)
            pools[key] = (members, cumulative)
        return pools

    def pick_enterprise(self, estate: EstatePlan) -> int:
        key = estate.district.full_code if self.rng.random() < 0.8 else ""
        pools = self.pools
        members, cumulative = pools[key] if pools[key][0] else pools[""]
        return self.rng.choices(members, cum_weights=cumulative)[0]

    def chain(self, estate: EstatePlan, *, current: int | None) -> list[ContractPlan]:
        """The contracts of an estate, oldest first, back to back: one in force today if the estate
        is managed by an enterprise; earlier ones expired or terminated; early-stage for new estates."""
        rng, today = self.rng, self.today
        if not self.enterprises:
            return []
        if estate.mode != ManagementMode.ENTERPRISE:
            # Some old estates had an enterprise that left; they are now managed otherwise.
            if (today - estate.delivered).days > 8 * YEAR and rng.random() < 0.3:
                start = max(estate.delivered, today - days(rng.randint(10 * YEAR, 14 * YEAR)))
                end = today - days(rng.randint(400, 1500))
                if end > start + days(YEAR):
                    ent = self.pick_enterprise(estate)
                    return [
                        self.contract(
                            estate, ent, ContractKind.REGULAR, start, end, ContractStatus.TERMINATED
                        )
                    ]
            return []
        chosen = current if current is not None else self.pick_enterprise(estate)
        if (today - estate.delivered).days < 3 * YEAR:
            end = max(
                estate.delivered + days(rng.randint(3 * YEAR, 5 * YEAR)), today + days(rng.randint(30, 400))
            )
            kind = ContractKind.EARLY_STAGE
            return [self.contract(estate, chosen, kind, estate.delivered, end, ContractStatus.ACTIVE)]
        start = max(estate.delivered, today - days(rng.randint(5 * YEAR, 12 * YEAR)))
        kind = ContractKind.EARLY_STAGE if start == estate.delivered else ContractKind.REGULAR
        chain: list[ContractPlan] = []
        while True:
            length = rng.randint(2, 3) if kind == ContractKind.EARLY_STAGE else rng.choice((2, 3, 3, 3, 5))
            end = start + days(length * YEAR - 1)
            if end >= today:
                # A few are open-ended, until either side gives notice.
                final_end = None if rng.random() < 0.05 else end
                chain.append(self.contract(estate, chosen, kind, start, final_end, ContractStatus.ACTIVE))
                return chain
            status = ContractStatus.ACTIVE  # expired: it ran its term
            if rng.random() < 0.2:
                status = ContractStatus.TERMINATED
                end = start + days(rng.randint(180, length * YEAR - 30))
            ent = chosen if rng.random() < 0.55 else self.pick_enterprise(estate)
            chain.append(self.contract(estate, ent, kind, start, end, status))
            start = end + days(1)
            kind = ContractKind.REGULAR

    def contract(
        self, estate: EstatePlan, enterprise: int, kind: str, start: dt.date, end: dt.date | None, status: str
    ) -> ContractPlan:
        rng = self.rng
        age = self.today.year - estate.year_built
        grades = (0.35, 0.5, 0.15) if age < 10 else (0.15, 0.55, 0.3) if age < 25 else (0.0, 0.3, 0.7)
        grade = rng.choices((1, 2, 3), weights=grades)[0]
        low, high = {1: (160, 280), 2: (100, 160), 3: (45, 100)}[grade]
        filing_number, filing_date = "", None
        if rng.random() < 0.9:
            serial = self.filings.get(start.year, 0) + 1
            self.filings[start.year] = serial
            filing_number = f"银物合备〔{start.year}〕{serial:04d}号"
            filing_date = min(start + days(rng.randint(0, 30)), self.today)
        return ContractPlan(
            enterprise=enterprise,
            kind=kind,
            start=start,
            end=end,
            status=status,
            grade=grade,
            fee=Decimal(rng.randint(low, high)).scaleb(-2),
            filing_number=filing_number,
            filing_date=filing_date,
        )
