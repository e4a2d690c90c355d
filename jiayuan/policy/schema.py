"""The shape of a policy preset. Every rule of the regime is data here; every rule names its clause.

A preset file is TOML. Unknown keys, wrong types and out-of-range values are refused. Later issues
add sections (deadlines, deductions, ladders, ratings, quorums) as new fields of `Preset`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Clause = Annotated[str, StringConstraints(min_length=2, max_length=120)]
HANDLER_PATTERN = re.compile(
    r"^(enterprise|community|subdistrict|district_housing|city_housing|department:[a-z][a-z0-9_]*)$"
)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Meta(Strict):
    key: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    name: Code
    title: str
    issuer: str
    year: Annotated[int, Field(ge=1990, le=2100)]
    extends: Code | None = None


class Department(Strict):
    """A department kind that receives referred cases, with its remit (ZT §4(四))."""

    code: Code
    name: str
    name_en: str
    remit: str
    level: Literal["city", "district"] = "district"
    clause: Clause


class CategoryGroup(Strict):
    code: Code
    name: str
    name_en: str
    clause: Clause


class Category(Strict):
    """A problem category: one entry of the catalogue that complaints and violations use."""

    code: Code
    group: Code
    name: str
    name_en: str
    applies_to: Literal["enterprise", "owners_committee", "owner", "developer", "any"] = "enterprise"
    nine_prohibitions_item: Annotated[int, Field(ge=1, le=9)] | None = None
    clause: Clause


class Responsibility(Strict):
    """A line of the responsibility list (权责清单): category x region -> handling body.

    `region` is a division code (the rule applies in that subtree) or "" for the whole city.
    `handler` is enterprise, community, subdistrict, district_housing, city_housing or
    department:<code>.
    """

    category: Code
    handler: str
    region: Annotated[str, StringConstraints(pattern=r"^(\d{6}|\d{9}|\d{12})?$")] = ""
    clause: Clause

    @field_validator("handler")
    @classmethod
    def handler_is_known_form(cls, value: str) -> str:
        if not HANDLER_PATTERN.match(value):
            raise ValueError(
                "must be enterprise, community, subdistrict, district_housing, city_housing "
                "or department:<code>"
            )
        return value

    @property
    def department_code(self) -> str | None:
        return self.handler.split(":", 1)[1] if self.handler.startswith("department:") else None


class TermWarning(Strict):
    """How long before the end of an owner body's term it shows as ending soon."""

    days: Annotated[int, Field(ge=1, le=365)]
    clause: Clause


class Governance(Strict):
    term_warning: TermWarning


class Preset(Strict):
    meta: Meta
    governance: Governance
    departments: list[Department]
    category_groups: list[CategoryGroup]
    categories: list[Category]
    responsibilities: list[Responsibility]

    @model_validator(mode="after")
    def references_resolve(self) -> Preset:
        for field, items in (
            ("departments", self.departments),
            ("category_groups", self.category_groups),
            ("categories", self.categories),
        ):
            codes = [item.code for item in items]
            dupes = sorted({c for c in codes if codes.count(c) > 1})
            if dupes:
                raise ValueError(f"{field}: duplicate code {', '.join(dupes)}")
        groups = {g.code for g in self.category_groups}
        for index, category in enumerate(self.categories):
            if category.group not in groups:
                raise ValueError(f"categories[{index}].group: unknown group {category.group!r}")
        categories = {c.code for c in self.categories}
        departments = {d.code for d in self.departments}
        seen: set[tuple[str, str]] = set()
        for index, line in enumerate(self.responsibilities):
            where = f"responsibilities[{index}]"
            if line.category not in categories:
                raise ValueError(f"{where}.category: unknown category {line.category!r}")
            if line.department_code and line.department_code not in departments:
                raise ValueError(f"{where}.handler: unknown department {line.department_code!r}")
            if (line.category, line.region) in seen:
                raise ValueError(f"{where}: a second line for {line.category!r} in region {line.region!r}")
            seen.add((line.category, line.region))
        unrouted = sorted(categories - {line.category for line in self.responsibilities if not line.region})
        if unrouted:
            raise ValueError(f"responsibilities: no city-wide line for {', '.join(unrouted)}")
        return self
