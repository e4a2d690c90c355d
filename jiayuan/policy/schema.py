"""The shape of a policy preset. Every rule of the regime is data here; every rule names its clause.

A preset file is TOML. Unknown keys, wrong types and out-of-range values are refused. Later issues
add sections (deadlines, deductions, ladders, ratings, quorums) as new fields of `Preset`.

A clause is one or more citations joined by "; ". A citation is a source document's key and
section (`YC §5(一)1`, `ZT §4(四)8`), a national law's article (`Civil Code art. 278`), or
`[choice] ...` for a value the documents do not fix and we chose (say why, and what it leans on).
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
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


def parse_decimal(value: object) -> Decimal:
    """A number written as a string ("2.5") or an integer; a TOML float is refused (not exact)."""
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a decimal number") from None
    else:
        raise ValueError('write a decimal as a string, e.g. "2.5" (a float is not exact)')
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


Code = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=48)]
Dec = Annotated[Decimal, BeforeValidator(parse_decimal)]
Points = Annotated[Decimal, BeforeValidator(parse_decimal), Field(ge=0, le=1000)]
Rate = Annotated[Decimal, BeforeValidator(parse_decimal), Field(ge=0, le=1)]
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
    version: Annotated[str, StringConstraints(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]*$", max_length=32)]
    effective_date: date
    effective_clause: Clause


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


# ---------------------------------------------------------------------------------------------
# Violations, credit, sanctions, ratings (RULES §2-§5, §7): the data the rules engine
# (jiayuan.rules) evaluates. Each rule names the consequences it orders by kind.

# The consequence kinds every preset knows (issue 11); a preset may declare more in
# `[[consequence_kinds]]`. A kind that is "estate-bound" acts on one estate (a rectification order,
# a removal): a rule about an enterprise orders it at the estates concerned, the others once.
CONSEQUENCE_KINDS = (
    "credit_deduction",
    "interview",
    "rectification_order",
    "replace_project_manager",
    "star_downgrade",
    "not_up_to_standard",
    "removal",
    "blacklist",
    "risk_warning_letter",
    "tender_ban",
    "owners_assembly",
    "rectification_commitment",
    "commendation",
    "key_target",
    "more_inspections",
    "credit_platform_push",
    "referral",
)
ESTATE_BOUND_KINDS = frozenset(
    {
        "rectification_order",
        "replace_project_manager",
        "star_downgrade",
        "not_up_to_standard",
        "removal",
        "owners_assembly",
        "rectification_commitment",
        "key_target",
        "more_inspections",
    }
)
Actor = Literal["enterprise", "project_manager", "owners_committee"]
Kinds = Annotated[list[Code], Field(min_length=1)]


class ConsequenceKind(Strict):
    """A consequence kind a preset adds to the fixed ones (e.g. a public notice, 公示)."""

    code: Code
    name: Text
    name_en: Text
    estate_bound: bool = False
    clause: Clause


class Deduction(Strict):
    """Credit points a confirmed violation costs, with where the figure comes from."""

    points: Points
    clause: Clause


class Referral(Strict):
    """The department kind a violation is referred to (移交), e.g. YC §5(一) last sentence."""

    department: Code
    clause: Clause


class ViolationType(Strict):
    """One entry of the violation catalogue (违规事项).

    `actor` is who commits it: an enterprise (its project manager may be named with it), a
    project manager alone, or an owners' committee. `category` is the case category that proposes
    it. `ladder_item` (1-9) makes it count towards the nine-prohibitions ladder. `deduction` is the
    default credit deduction of the actor, `project_manager_deduction` that of the project manager
    named with an enterprise's violation (SH §2(二)3).
    """

    code: Code
    category: Code | None = None
    name: Text
    name_en: Text
    actor: Actor = "enterprise"
    ladder_item: Annotated[int, Field(ge=1, le=9)] | None = None
    deduction: Deduction | None = None
    project_manager_deduction: Deduction | None = None
    referral: Referral | None = None
    clause: Clause

    @model_validator(mode="after")
    def ladder_is_for_enterprises(self) -> ViolationType:
        if self.ladder_item is not None and self.actor != "enterprise":
            raise ValueError("ladder_item: the nine prohibitions bind enterprises (actor must be enterprise)")
        if self.project_manager_deduction is not None and self.actor != "enterprise":
            raise ValueError("project_manager_deduction: only for an enterprise's violation")
        return self


class Rung(Strict):
    """A rung of the ladder: from `count` items (or incidents) on, these consequences."""

    count: Annotated[int, Field(ge=1, le=50)]
    consequences: Kinds
    clause: Clause


class Ladder(Strict):
    """The nine-prohibitions ladder (YC §5(一)).

    `count`: distinct items or incidents; `window`: counted per calendar year or over all time;
    `scope`: per enterprise or per enterprise and estate; `estates`: where the estate-bound
    consequences of a rung act (the estates with counted violations, or every estate served).
    Each rung's consequences come once, when the count first reaches it; a higher rung adds to
    the lower ones, already ordered.
    """

    enabled: bool
    count: Literal["distinct_items", "incidents"]
    count_clause: Clause
    window: Literal["calendar_year", "all"]
    window_clause: Clause
    scope: Literal["enterprise", "estate"]
    estates: Literal["violated", "served"]
    estates_clause: Clause
    rungs: Annotated[list[Rung], Field(min_length=1)]
    clause: Clause

    @field_validator("rungs")
    @classmethod
    def rungs_climb(cls, value: list[Rung]) -> list[Rung]:
        counts = [rung.count for rung in value]
        if counts != sorted(set(counts)):
            raise ValueError(f"counts must rise strictly, rung by rung (got {counts})")
        return value


class CreditBase(Strict):
    """The score every enterprise (and project manager) starts the year with."""

    value: Annotated[Decimal, BeforeValidator(parse_decimal), Field(gt=0, le=1000)]
    clause: Clause


class CreditBand(Strict):
    """A band of the yearly score: from `min` (inclusive) up to the next band's; the last has none."""

    code: Code
    name: Text
    name_en: Text
    min: Dec | None = None
    clause: Clause


class CreditLine(Strict):
    """A year's score below `below` (strictly) orders these consequences (ZT §5(三))."""

    enabled: bool
    below: Dec
    consequences: Kinds
    clause: Clause


class CreditConsecutive(Strict):
    """Scores below `below` in `years` consecutive years order these consequences (ZT §5(三))."""

    enabled: bool
    below: Dec
    years: Annotated[int, Field(ge=2, le=10)]
    consequences: Kinds
    clause: Clause


class CreditAccumulated(Strict):
    """Deductions accumulated within a year reaching `threshold` order these (KD §3(四)1)."""

    enabled: bool
    threshold: Annotated[Decimal, BeforeValidator(parse_decimal), Field(gt=0, le=1000)]
    consequences: Kinds
    clause: Clause


class Credit(Strict):
    """Yearly credit evaluation (RULES §4): score = base - deductions + bonuses of the year."""

    base: CreditBase
    bands: Annotated[list[CreditBand], Field(min_length=1)]
    warning: CreditLine
    consecutive: CreditConsecutive
    accumulated: CreditAccumulated

    @field_validator("bands")
    @classmethod
    def bands_descend(cls, value: list[CreditBand]) -> list[CreditBand]:
        mins = [band.min for band in value]
        if mins[-1] is not None or any(m is None for m in mins[:-1]):
            raise ValueError("every band but the last gives its min; the last (the lowest) gives none")
        given = [m for m in mins if m is not None]
        if any(a <= b for a, b in itertools.pairwise(given)):
            raise ValueError("mins must fall strictly from the first band to the last")
        return value


class Blacklist(Strict):
    """How long a blacklist entry lasts, and whether it bars tenders (KD §3(一)1)."""

    term_years: Annotated[int, Field(ge=1, le=20)]
    term_clause: Clause
    bars_tenders: bool
    clause: Clause


class TenderBan(Strict):
    """Tender offences (不招标、陪标、串标、围标、恶意低价): notice and a ban of `years` (KD §3(一)1)."""

    enabled: bool
    years: Annotated[int, Field(ge=1, le=20)]
    items: list[Code]
    consequences: Kinds
    clause: Clause


class Warnings(Strict):
    """`count` warnings in all (累计) order these consequences (KD §3(五))."""

    enabled: bool
    count: Annotated[int, Field(ge=1, le=20)]
    consequences: Kinds
    clause: Clause


class RefusalToLeave(Strict):
    """A dismissed enterprise that will not leave (YUN §4(二)): push and report while unresolved."""

    enabled: bool
    consequences: Kinds
    report_to: Code | None = None
    clause: Clause


class SatisfactionBand(Strict):
    """A band of the yearly satisfaction rate: from `min` (inclusive) up to the next band's."""

    code: Code
    name: Text
    name_en: Text
    min: Rate | None = None
    consequences: list[Code] = Field(default_factory=list)
    clause: Clause


class Satisfaction(Strict):
    """The yearly owners' satisfaction survey and its bands (KD §3(四)2); `target` is KD §2's."""

    enabled: bool
    target: Rate
    target_clause: Clause
    bands: Annotated[list[SatisfactionBand], Field(min_length=1)]
    clause: Clause

    @field_validator("bands")
    @classmethod
    def bands_rise(cls, value: list[SatisfactionBand]) -> list[SatisfactionBand]:
        mins = [band.min for band in value]
        if mins[0] is not None or any(m is None for m in mins[1:]):
            raise ValueError("the first band (the lowest) gives no min; every other band gives one")
        given = [m for m in mins if m is not None]
        if any(a >= b for a, b in itertools.pairwise(given)):
            raise ValueError("mins must rise strictly from the first band to the last")
        return value


class StarIndicator(Strict):
    """What a star rating scores, with its weight (the weights add up to 100)."""

    code: Code
    name: Text
    name_en: Text
    weight: Points
    clause: Clause


class StarBand(Strict):
    """A weighted score from `min` (inclusive) gives `stars`; 0 is "not up to standard"."""

    stars: Annotated[int, Field(ge=0, le=10)]
    min: Points | None = None
    clause: Clause


class StarLow(Strict):
    """Ratings at or below `at_most` stars order these consequences (YC §5(二))."""

    enabled: bool
    at_most: Annotated[int, Field(ge=0, le=10)]
    consequences: Kinds
    clause: Clause


class StarFailing(Strict):
    """A rating of 0 stars ("not up to standard") orders these consequences (YC §5(二))."""

    enabled: bool
    consequences: Kinds
    clause: Clause


class StarRepeat(Strict):
    """`times` consecutive rounds at or below `at_most` stars order these (YC §5(二))."""

    enabled: bool
    at_most: Annotated[int, Field(ge=0, le=10)]
    times: Annotated[int, Field(ge=2, le=10)]
    consequences: Kinds
    clause: Clause


class StarTarget(Strict):
    """A yearly target: `count` estates newly reaching `stars` (KD §2)."""

    year: Annotated[int, Field(ge=1990, le=2100)]
    stars: Annotated[int, Field(ge=1, le=10)]
    count: Annotated[int, Field(ge=0, le=100000)]
    clause: Clause


class StarRating(Strict):
    """Service-quality star rating of estates (物业服务质量星级化评定, YC §5(二))."""

    max_stars: Annotated[int, Field(ge=1, le=10)]
    clause: Clause
    indicators: Annotated[list[StarIndicator], Field(min_length=1)]
    bands: Annotated[list[StarBand], Field(min_length=2)]
    low: StarLow
    failing: StarFailing
    repeat: StarRepeat
    targets: list[StarTarget] = Field(default_factory=list)

    @model_validator(mode="after")
    def scale_is_whole(self) -> StarRating:
        problems = []
        total = sum((i.weight for i in self.indicators), Decimal(0))
        if total != 100:
            problems.append(f"indicators: weights add up to {total}, not 100")
        stars = [band.stars for band in self.bands]
        if stars != list(range(self.max_stars, -1, -1)):
            problems.append(f"bands: give stars {self.max_stars} down to 0, in that order (got {stars})")
        mins = [band.min for band in self.bands]
        if mins[-1] is not None or any(m is None for m in mins[:-1]):
            problems.append("bands: every band but 0 stars gives its min; 0 stars gives none")
        given = [m for m in mins if m is not None]
        if any(a <= b for a, b in itertools.pairwise(given)):
            problems.append("bands: mins must fall strictly with the stars")
        for rule in (self.low, self.repeat):
            if rule.at_most > self.max_stars:
                problems.append(f"at_most {rule.at_most} is above max_stars {self.max_stars}")
        if problems:
            raise ValueError("\n".join(problems))
        return self


class ServiceGradeEntry(Strict):
    """A service grade (物业服务等级) of this city; `min_stars` is the rating the grade asks for."""

    grade: Annotated[int, Field(ge=1, le=9)]
    name: Text
    name_en: Text
    min_stars: Annotated[int, Field(ge=0, le=10)] | None = None
    clause: Clause


class ViolationAppeal(Strict):
    """How long after confirmation a violation may be appealed (once), to the housing bureau."""

    days: Annotated[int, Field(ge=1, le=365)]
    clause: Clause


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
    consequence_kinds: list[ConsequenceKind] = Field(default_factory=list)
    violations: list[ViolationType]
    violation_appeal: ViolationAppeal
    ladder: Ladder
    credit: Credit
    blacklist: Blacklist
    tender_ban: TenderBan
    warnings: Warnings
    refusal_to_leave: RefusalToLeave
    satisfaction: Satisfaction
    star_rating: StarRating
    service_grades: Annotated[list[ServiceGradeEntry], Field(min_length=1)]

    @model_validator(mode="after")
    def references_resolve(self) -> Preset:
        problems = duplicate_codes(self)
        problems += rule_references(self)
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


def rule_references(preset: Preset) -> list[str]:
    """The violation catalogue and the rules name known categories, departments, items and kinds."""
    problems = []
    categories = {c.code for c in preset.categories}
    departments = {d.code for d in preset.departments}
    items = {v.code for v in preset.violations}
    kinds = set(CONSEQUENCE_KINDS)
    for kind in preset.consequence_kinds:
        if kind.code in kinds:
            problems.append(f"consequence_kinds[{kind.code}]: already a built-in kind")
    kinds |= {k.code for k in preset.consequence_kinds}
    for item in preset.violations:
        where = f"violations[{item.code}]"
        if item.category is not None and item.category not in categories:
            problems.append(f"{where}.category: unknown category {item.category!r}")
        if item.referral is not None and item.referral.department not in departments:
            problems.append(f"{where}.referral.department: unknown department {item.referral.department!r}")
    for code in preset.tender_ban.items:
        if code not in items:
            problems.append(f"tender_ban.items: unknown violation {code!r}")
    report_to = preset.refusal_to_leave.report_to
    if report_to is not None and report_to not in departments:
        problems.append(f"refusal_to_leave.report_to: unknown department {report_to!r}")
    ordered: list[tuple[str, list[str]]] = [
        *((f"ladder.rungs[{r.count}].consequences", r.consequences) for r in preset.ladder.rungs),
        ("credit.warning.consequences", preset.credit.warning.consequences),
        ("credit.consecutive.consequences", preset.credit.consecutive.consequences),
        ("credit.accumulated.consequences", preset.credit.accumulated.consequences),
        ("tender_ban.consequences", preset.tender_ban.consequences),
        ("warnings.consequences", preset.warnings.consequences),
        ("refusal_to_leave.consequences", preset.refusal_to_leave.consequences),
        *((f"satisfaction.bands[{b.code}].consequences", b.consequences) for b in preset.satisfaction.bands),
        ("star_rating.low.consequences", preset.star_rating.low.consequences),
        ("star_rating.failing.consequences", preset.star_rating.failing.consequences),
        ("star_rating.repeat.consequences", preset.star_rating.repeat.consequences),
    ]
    for where, named in ordered:
        for kind_code in named:
            if kind_code not in kinds:
                problems.append(f"{where}: unknown consequence kind {kind_code!r}")
        if len(set(named)) != len(named):
            problems.append(f"{where}: names a kind twice")
    grades = [g.grade for g in preset.service_grades]
    if len(set(grades)) != len(grades):
        problems.append("service_grades: a grade is given twice")
    for grade in preset.service_grades:
        if grade.min_stars is not None and grade.min_stars > preset.star_rating.max_stars:
            problems.append(f"service_grades[{grade.grade}].min_stars: above star_rating.max_stars")
    return problems


def duplicate_codes(preset: Preset) -> list[str]:
    problems = []
    for field, items in (
        ("departments", preset.departments),
        ("category_groups", preset.category_groups),
        ("categories", preset.categories),
        ("violations", preset.violations),
        ("consequence_kinds", preset.consequence_kinds),
    ):
        codes = [item.code for item in items]
        for code in sorted({c for c in codes if codes.count(c) > 1}):
            problems.append(f"{field}[{code}]: duplicate code")
    return problems
