"""The shape of a policy preset. Every rule of the regime is data here; every rule names its clause.

A preset file is TOML. Unknown keys, wrong types and out-of-range values are refused. Later issues
add sections (deadlines, deductions, ladders, ratings, quorums) as new fields of `Preset`.

A clause is one or more citations joined by "; ". A citation is a source document's key and
section (`YC §5(一)1`, `ZT §4(四)8`), a national law's article (`Civil Code art. 278`), or
`[choice] ...` for a value the documents do not fix and we chose (say why, and what it leans on).
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

DOCUMENT_KEYS = ("YC", "YUN", "SH", "ZT", "KD")
CITATION_PATTERN = re.compile(
    r"^("
    rf"({'|'.join(DOCUMENT_KEYS)}) §\d\S*( \S.*)?"  # a section of a source document
    r"|[A-Z][A-Za-z' ]+ art\. \d+\S*( \S.*)?"  # an article of a national law or regulation
    r")$"
)
CHOICE = "[choice] "
HANDLER_PATTERN = re.compile(
    r"^(enterprise|community|subdistrict|district_housing|city_housing|department:[a-z][a-z0-9_]*)$"
)
HANDLER_FORMS = "enterprise, community, subdistrict, district_housing, city_housing or department:<code>"


def check_clause(value: str) -> str:
    """Citations joined by "; ", optionally ending with "[choice] <why>" (free text to the end)."""
    citations, choice, reason = value.partition(CHOICE)
    if choice and not reason.strip():
        raise ValueError("'[choice]' must say why")
    citations = citations.removesuffix("; ") if choice else citations
    for citation in citations.split("; ") if citations else []:
        if not CITATION_PATTERN.match(citation):
            raise ValueError(
                f"{citation!r} is not a citation: write 'YC §5(一)1' (a document key "
                f"{'/'.join(DOCUMENT_KEYS)} and section), 'Civil Code art. 278', or '[choice] why'; "
                "join several with '; '"
            )
    return value


def check_handler(value: str) -> str:
    if not HANDLER_PATTERN.match(value):
        raise ValueError(f"{value!r} is not a handler: must be {HANDLER_FORMS}")
    return value


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Clause = Annotated[str, StringConstraints(min_length=2, max_length=160), AfterValidator(check_clause)]
Handler = Annotated[str, AfterValidator(check_handler)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=400)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Meta(Strict):
    """Which document the preset follows. `extends` names the preset it is layered over."""

    key: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    name: Code
    title: Text
    issuer: Text
    year: Annotated[int, Field(ge=1990, le=2100)]
    extends: str | None = None


class HandlerLabel(Strict):
    """What a city calls one of the fixed handling bodies (街道, 街镇, 乡镇 ...)."""

    name: Text
    name_en: Text
    clause: Clause


class Handlers(Strict):
    """Labels of the handlers that are not departments; departments are named in `departments`."""

    enterprise: HandlerLabel
    community: HandlerLabel
    subdistrict: HandlerLabel
    district_housing: HandlerLabel
    city_housing: HandlerLabel


class Department(Strict):
    """A department kind that receives referred cases, with its remit (ZT §4(四))."""

    code: Code
    name: Text
    name_en: Text
    remit: Text
    level: Literal["city", "district"] = "district"
    clause: Clause


class CategoryGroup(Strict):
    """A heading of the catalogue: one list of a source document (the nine prohibitions ...)."""

    code: Code
    name: Text
    name_en: Text
    clause: Clause


class Category(Strict):
    """A problem category: one entry of the catalogue that complaints and violations use.

    `applies_to` is the actor whose conduct the category is about; `nine_prohibitions_item` marks
    the entries that count towards the ladder of YC §5(一).
    """

    code: Code
    group: Code
    name: Text
    name_en: Text
    description: Annotated[str, StringConstraints(max_length=400)] = ""
    applies_to: Literal["enterprise", "owners_committee", "owner", "developer", "any"] = "enterprise"
    nine_prohibitions_item: Annotated[int, Field(ge=1, le=9)] | None = None
    clause: Clause


class Responsibility(Strict):
    """A line of the responsibility list (权责清单): category x region -> handling body.

    `region` is a division code (6, 9 or 12 digits; the line applies in that subtree) or "" for
    the whole city. `handler` leads (牵头); `assist` lists the bodies that cooperate (配合), in the
    same forms: enterprise, community, subdistrict, district_housing, city_housing or
    department:<code>.
    """

    category: Code
    region: Annotated[str, StringConstraints(pattern=r"^(\d{6}|\d{9}|\d{12})?$")] = ""
    handler: Handler
    assist: list[Handler] = Field(default_factory=list)
    clause: Clause

    @field_validator("assist")
    @classmethod
    def assist_is_a_set(cls, value: list[str]) -> list[str]:
        dupes = sorted({h for h in value if value.count(h) > 1})
        if dupes:
            raise ValueError(f"names {', '.join(dupes)} twice")
        return value

    @model_validator(mode="after")
    def lead_does_not_assist_itself(self) -> Responsibility:
        if self.handler in self.assist:
            raise ValueError(f"assist: {self.handler!r} already leads this line")
        return self

    @property
    def ident(self) -> str:
        """How messages name the line: the category, and `@region` for a regional line."""
        return f"{self.category}@{self.region}" if self.region else self.category

    @property
    def region_code(self) -> str:
        """The region as a full 12-digit division code ("" for the whole city)."""
        return self.region.ljust(12, "0") if self.region else ""

    @property
    def department_code(self) -> str | None:
        return department_of(self.handler)

    @property
    def bodies(self) -> list[str]:
        """The lead and then the assisting bodies."""
        return [self.handler, *self.assist]


def department_of(handler: str) -> str | None:
    return handler.split(":", 1)[1] if handler.startswith("department:") else None


class TermWarning(Strict):
    """How long before the end of an owner body's term it shows as ending soon."""

    days: Annotated[int, Field(ge=1, le=365)]
    clause: Clause


class Governance(Strict):
    term_warning: TermWarning


Urgency = Literal["urgent", "normal", "low"]
URGENCIES = ("urgent", "normal", "low")
# Levels a case escalates to (督办), from the estate's community upwards.
ESCALATION_LEVELS = ("subdistrict", "district", "city")


class CaseNumbering(Strict):
    """The human case number is `{prefix}-{year}-{serial:06d}`."""

    prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,5}$")]
    clause: Clause


class CaseDeadline(Strict):
    """Time allowed to accept and to rectify a case of a category (or group) and urgency.

    `applies_to` is a category code, a category group code, or "*" (every category); the most
    specific line wins. Rectification is given either in hours or in working days (Monday to
    Friday, less public holidays, plus make-up working days: `jiayuan.workdays.calendar`).
    """

    applies_to: Annotated[str, StringConstraints(pattern=r"^(\*|[a-z][a-z0-9_]*)$", max_length=48)]
    urgency: Urgency
    accept_hours: Annotated[int, Field(ge=1, le=720)]
    rectify_hours: Annotated[int, Field(ge=1, le=8760)] | None = None
    rectify_working_days: Annotated[int, Field(ge=1, le=365)] | None = None
    clause: Clause

    @model_validator(mode="after")
    def one_rectify_period(self) -> CaseDeadline:
        if (self.rectify_hours is None) == (self.rectify_working_days is None):
            raise ValueError("give exactly one of rectify_hours and rectify_working_days")
        return self


class DueSoon(Strict):
    """How long before a deadline a case shows as due soon (and its handler is reminded)."""

    hours: Annotated[int, Field(ge=1, le=720)]
    clause: Clause


class ReopenWindow(Strict):
    """How long after close-out the complainant may reopen a case."""

    days: Annotated[int, Field(ge=0, le=365)]
    clause: Clause


class FollowLink(Strict):
    """How long a link to follow a case, sent by text message, keeps working (days from sending).

    An expired link offers to text a fresh one to the case's own phone.
    """

    days: Annotated[int, Field(ge=1, le=3650)]
    clause: Clause


class Escalation(Strict):
    """Overdue cases escalate one level up (督办): subdistrict, then district, then city.

    The first escalation comes when the deadline passes, each further one `interval_hours` later,
    up to `top`.
    """

    enabled: bool
    interval_hours: Annotated[int, Field(ge=1, le=8760)]
    top: Literal["subdistrict", "district", "city"]
    clause: Clause


class PoorRating(Strict):
    """Ratings run 1-5; at or below `max` the supervisor sees the rating as poor."""

    max: Annotated[int, Field(ge=1, le=4)]
    clause: Clause


class Cases(Strict):
    """Complaints and the rectification ledger (RULES §6). A city that sets `deadlines` replaces
    the whole list."""

    numbering: CaseNumbering
    deadlines: list[CaseDeadline]
    due_soon: DueSoon
    reopen_window: ReopenWindow
    follow_link: FollowLink
    escalation: Escalation
    poor_rating: PoorRating

    @model_validator(mode="after")
    def deadlines_are_complete(self) -> Cases:
        problems = []
        seen: set[tuple[str, str]] = set()
        for line in self.deadlines:
            if (line.applies_to, line.urgency) in seen:
                problems.append(f"deadlines[{line.applies_to}/{line.urgency}]: given twice")
            seen.add((line.applies_to, line.urgency))
        for urgency in URGENCIES:
            if ("*", urgency) not in seen:
                problems.append(f'deadlines: no default line (applies_to = "*") for urgency {urgency!r}')
        if problems:
            raise ValueError("\n".join(problems))
        return self


class CodeTtl(Strict):
    """How long a phone verification code stays valid, in minutes."""

    value: Annotated[int, Field(ge=1, le=60)]
    clause: Clause


class CodeMaxAttempts(Strict):
    """How many wrong entries a verification code takes before it is locked."""

    value: Annotated[int, Field(ge=1, le=10)]
    clause: Clause


class CodesPerPhone(Strict):
    """How many verification codes one phone number may be sent in a period."""

    value: Annotated[int, Field(ge=1, le=100)]
    clause: Clause


class Notifications(Strict):
    """SMS verification codes for the no-account complaint intake (RULES §6: a rate limit per phone)."""

    code_ttl_minutes: CodeTtl
    code_max_attempts: CodeMaxAttempts
    codes_per_phone_per_hour: CodesPerPhone
    codes_per_phone_per_day: CodesPerPhone

    @model_validator(mode="after")
    def hour_within_day(self) -> Notifications:
        if self.codes_per_phone_per_hour.value > self.codes_per_phone_per_day.value:
            raise ValueError("codes_per_phone_per_hour: more than codes_per_phone_per_day")
        return self


class OwnerProblem(Strict):
    """One line of the owner's phone list: a problem in plain words, and the catalogue category an
    officer sees it under (the regulation's wording)."""

    category: Code
    name: Text
    name_en: Text


class OwnerProblemGroup(Strict):
    """A heading of the owner's list (设施坏了, 安全隐患 ...), with its problems in the order shown."""

    name: Text
    name_en: Text
    problems: Annotated[list[OwnerProblem], Field(min_length=1)]


class Intake(Strict):
    """What an owner chooses from on the phone (QR code) complaint form: a short list of everyday
    problems in plain words, grouped, each mapped to one catalogue category; `other` (其他问题) is
    always shown last. A city that sets `groups` replaces the whole list and cites its own clause.
    """

    groups: Annotated[list[OwnerProblemGroup], Field(min_length=1)]
    other: OwnerProblem
    clause: Clause

    @property
    def problems(self) -> list[OwnerProblem]:
        """Every problem in the order shown: the groups', then `other`."""
        return [*(problem for group in self.groups for problem in group.problems), self.other]

    @model_validator(mode="after")
    def each_category_and_group_once(self) -> Intake:
        problems = []
        names = [group.name for group in self.groups]
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"intake.groups[{name}]: a second group of this name")
        codes = [problem.category for problem in self.problems]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"intake: category {code!r} is offered twice (one plain name per category)")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class Preset(Strict):
    """A whole preset, after `extends` has been merged. Cross-references are checked here."""

    meta: Meta
    governance: Governance
    cases: Cases
    notifications: Notifications
    intake: Intake
    handlers: Handlers
    departments: list[Department]
    category_groups: list[CategoryGroup]
    categories: list[Category]
    responsibilities: list[Responsibility]

    @model_validator(mode="after")
    def references_resolve(self) -> Preset:
        problems = duplicate_codes(self)
        groups = {g.code for g in self.category_groups}
        for category in self.categories:
            if category.group not in groups:
                problems.append(f"categories[{category.code}].group: unknown group {category.group!r}")
        categories = {c.code for c in self.categories}
        departments = {d.code for d in self.departments}
        seen: set[tuple[str, str]] = set()
        for line in self.responsibilities:
            where = f"responsibilities[{line.ident}]"
            if line.category not in categories:
                problems.append(f"{where}.category: unknown category {line.category!r}")
            for key, handlers in (("handler", [line.handler]), ("assist", line.assist)):
                for handler in handlers:
                    code = department_of(handler)
                    if code is not None and code not in departments:
                        problems.append(f"{where}.{key}: unknown department {code!r}")
            if (line.category, line.region_code) in seen:
                problems.append(f"{where}: a second line for this category and region")
            seen.add((line.category, line.region_code))
        for deadline in self.cases.deadlines:
            if deadline.applies_to != "*" and deadline.applies_to not in categories | groups:
                problems.append(
                    f"cases.deadlines[{deadline.applies_to}/{deadline.urgency}].applies_to: "
                    "not a category or category group"
                )
        for group in self.intake.groups:
            for problem in group.problems:
                if problem.category not in categories:
                    problems.append(
                        f"intake.groups[{group.name}].problems[{problem.name}].category: "
                        f"unknown category {problem.category!r}"
                    )
        if self.intake.other.category not in categories:
            problems.append(f"intake.other.category: unknown category {self.intake.other.category!r}")
        routed = {line.category for line in self.responsibilities if not line.region}
        for code in sorted(categories - routed):
            problems.append(f'categories[{code}]: no city-wide line (region "") in responsibilities')
        if problems:
            raise ValueError("\n".join(problems))
        return self


def duplicate_codes(preset: Preset) -> list[str]:
    problems = []
    for field, items in (
        ("departments", preset.departments),
        ("category_groups", preset.category_groups),
        ("categories", preset.categories),
    ):
        codes = [item.code for item in items]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"{field}[{code}]: duplicate code")
    return problems
