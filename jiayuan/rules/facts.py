"""The facts the rules engine reads, parsed from the JSON a user exports (docs/rules.md).

Parsing checks the shape (known keys, dates, decimal strings, references between the lists);
`check_against(facts, preset)` checks what depends on the preset (item codes, who may commit an
item, star counts). Both raise `FactsError`, one line per problem: `file: key: reason`, with list
entries named by position (`violations[2].item`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar

from jiayuan.policy.loader import PolicyPreset

T = TypeVar("T")


class FactsError(Exception):
    """A facts file that cannot be evaluated: each line names the file, the key and the reason."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Enterprise:
    ref: str
    name: str
    uscc: str


@dataclass(frozen=True)
class Estate:
    ref: str
    name: str
    enterprise: str | None


@dataclass(frozen=True)
class ProjectManager:
    ref: str
    name: str
    enterprise: str


@dataclass(frozen=True)
class OwnersCommittee:
    ref: str
    estate: str


@dataclass(frozen=True)
class Violation:
    """A confirmed violation of a catalogue item; `points` overrides the item's deduction."""

    subject: str
    estate: str
    item: str
    on: date
    project_manager: str | None = None
    points: Decimal | None = None
    ref: str | None = None

    def describe(self) -> str:
        who = self.subject
        if self.project_manager:
            who += f" (project manager {self.project_manager})"
        head = f"violation {self.ref}: " if self.ref else "violation "
        return f"{head}{self.item} by {who} at {self.estate} on {self.on.isoformat()}"


@dataclass(frozen=True)
class CreditScore:
    """A year's score as published (it stands for that year instead of the computed one)."""

    subject: str
    year: int
    score: Decimal


@dataclass(frozen=True)
class Bonus:
    """Points added to a subject's score of the year (a commendation, a repaired record)."""

    subject: str
    on: date
    points: Decimal
    reason: str = ""


@dataclass(frozen=True)
class StarRatingFact:
    estate: str
    round: str
    stars: int


@dataclass(frozen=True)
class SatisfactionFact:
    estate: str
    year: int
    rate: Decimal


@dataclass(frozen=True)
class WarningFact:
    subject: str
    on: date
    estate: str | None = None


@dataclass(frozen=True)
class RefusalToLeaveFact:
    """A dismissed enterprise that does not leave an estate, since a date, until `resolved`."""

    subject: str
    estate: str
    since: date
    resolved: date | None = None


@dataclass(frozen=True)
class Facts:
    as_of: date
    enterprises: tuple[Enterprise, ...] = ()
    estates: tuple[Estate, ...] = ()
    project_managers: tuple[ProjectManager, ...] = ()
    owners_committees: tuple[OwnersCommittee, ...] = ()
    violations: tuple[Violation, ...] = ()
    credit_scores: tuple[CreditScore, ...] = ()
    bonuses: tuple[Bonus, ...] = ()
    star_ratings: tuple[StarRatingFact, ...] = ()
    satisfaction: tuple[SatisfactionFact, ...] = ()
    warnings: tuple[WarningFact, ...] = ()
    refusals_to_leave: tuple[RefusalToLeaveFact, ...] = ()

    @property
    def subject_kinds(self) -> dict[str, str]:
        """Each subject's ref and what it is: enterprise, project_manager or owners_committee."""
        kinds = {c.ref: "owners_committee" for c in self.owners_committees}
        kinds.update({p.ref: "project_manager" for p in self.project_managers})
        kinds.update({e.ref: "enterprise" for e in self.enterprises})
        return kinds

    def served_estates(self, enterprise: str) -> list[str]:
        return sorted(e.ref for e in self.estates if e.enterprise == enterprise)

    def estate_enterprise(self, estate: str) -> str | None:
        return next((e.enterprise for e in self.estates if e.ref == estate), None)


# --- parsing --------------------------------------------------------------------------------------

LISTS = (
    "enterprises",
    "estates",
    "project_managers",
    "owners_committees",
    "violations",
    "credit_scores",
    "bonuses",
    "star_ratings",
    "satisfaction",
    "warnings",
    "refusals_to_leave",
)


class Reader:
    """Reads one object of the file, collecting problems instead of stopping at the first."""

    def __init__(self, problems: list[str], source: str, where: str, data: Any) -> None:
        self.problems = problems
        self.source = source
        self.where = where
        self.data = data if isinstance(data, dict) else {}
        if not isinstance(data, dict):
            self.fail("", "must be an object")

    def fail(self, key: str, reason: str) -> None:
        path = f"{self.where}.{key}" if key and self.where else key or self.where or "(document)"
        self.problems.append(f"{self.source}: {path}: {reason}")

    def known(self, *keys: str) -> None:
        for key in sorted(set(self.data) - set(keys)):
            self.fail(key, f"unknown key (expected {', '.join(keys)})")

    def get(self, key: str, convert: Callable[[Any], T], *, required: bool = True) -> T | None:
        if key not in self.data or self.data[key] is None:
            if required:
                self.fail(key, "missing")
            return None
        try:
            return convert(self.data[key])
        except ValueError as error:
            self.fail(key, str(error))
            return None


def text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("must be a non-empty string")
    return value


def a_date(value: Any) -> date:
    if not isinstance(value, str):
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"{value!r} is not a date: write YYYY-MM-DD") from None


def a_decimal(value: Any) -> Decimal:
    if not isinstance(value, str):
        raise ValueError(f'{value!r} is not a decimal string: write it quoted, e.g. "88.5"')
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a decimal number") from None
    if not number.is_finite():
        raise ValueError(f"{value!r} is not a finite number")
    return number


def a_rate(value: Any) -> Decimal:
    rate = a_decimal(value)
    if not 0 <= rate <= 1:
        raise ValueError(f"{value!r} is not a rate between 0 and 1 (0.55 for 55%)")
    return rate


def an_int(low: int, high: int) -> Callable[[Any], int]:
    def convert(value: Any) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise ValueError(f"{value!r} is not a whole number from {low} to {high}")
        return value

    return convert


def points(value: Any) -> Decimal:
    number = a_decimal(value)
    if number < 0:
        raise ValueError(f"{value!r} is negative: points are given as a positive number")
    return number


def parse_facts(data: Any, source: str = "facts") -> Facts:
    """The facts of a decoded JSON document; `FactsError` lists every problem found."""
    problems: list[str] = []
    top = Reader(problems, source, "", data)
    top.known("as_of", *LISTS)
    as_of = top.get("as_of", a_date)
    lists: dict[str, list[Reader]] = {}
    for name in LISTS:
        raw = top.data.get(name, [])
        if raw is None:
            raw = []
        if not isinstance(raw, list):
            top.fail(name, "must be a list")
            raw = []
        lists[name] = [Reader(problems, source, f"{name}[{i}]", item) for i, item in enumerate(raw)]
    parsed = {}
    for name, readers in lists.items():
        parsed[name] = [p for p in (PARSERS[name](r) for r in readers) if p is not None]
    if problems or as_of is None:
        raise FactsError(problems)
    facts = Facts(as_of=as_of, **{name: tuple(items) for name, items in parsed.items()})
    check_references(facts, lists, problems)
    if problems:
        raise FactsError(problems)
    return facts


def read_enterprise(r: Reader) -> Enterprise | None:
    r.known("ref", "name", "uscc")
    ref, name, uscc = r.get("ref", text), r.get("name", text), r.get("uscc", text, required=False)
    return Enterprise(ref, name, uscc or "") if ref and name else None


def read_estate(r: Reader) -> Estate | None:
    r.known("ref", "name", "enterprise")
    ref, name = r.get("ref", text), r.get("name", text)
    return Estate(ref, name, r.get("enterprise", text, required=False)) if ref and name else None


def read_project_manager(r: Reader) -> ProjectManager | None:
    r.known("ref", "name", "enterprise")
    ref, name, enterprise = r.get("ref", text), r.get("name", text), r.get("enterprise", text)
    return ProjectManager(ref, name, enterprise) if ref and name and enterprise else None


def read_committee(r: Reader) -> OwnersCommittee | None:
    r.known("ref", "estate")
    ref, estate = r.get("ref", text), r.get("estate", text)
    return OwnersCommittee(ref, estate) if ref and estate else None


def read_violation(r: Reader) -> Violation | None:
    r.known("ref", "subject", "estate", "item", "on", "project_manager", "points")
    subject, estate, item = r.get("subject", text), r.get("estate", text), r.get("item", text)
    on = r.get("on", a_date)
    pm = r.get("project_manager", text, required=False)
    pts = r.get("points", points, required=False)
    ref = r.get("ref", text, required=False)
    if subject and estate and item and on:
        return Violation(subject, estate, item, on, pm, pts, ref)
    return None


def read_score(r: Reader) -> CreditScore | None:
    r.known("subject", "year", "score")
    subject, year = r.get("subject", text), r.get("year", an_int(1990, 2100))
    score = r.get("score", a_decimal)
    return CreditScore(subject, year, score) if subject and year and score is not None else None


def read_bonus(r: Reader) -> Bonus | None:
    r.known("subject", "on", "points", "reason")
    subject, on, pts = r.get("subject", text), r.get("on", a_date), r.get("points", points)
    reason = r.get("reason", text, required=False) or ""
    return Bonus(subject, on, pts, reason) if subject and on and pts is not None else None


def read_star(r: Reader) -> StarRatingFact | None:
    r.known("estate", "round", "stars")
    estate, rnd, stars = r.get("estate", text), r.get("round", text), r.get("stars", an_int(0, 10))
    return StarRatingFact(estate, rnd, stars) if estate and rnd and stars is not None else None


def read_satisfaction(r: Reader) -> SatisfactionFact | None:
    r.known("estate", "year", "rate")
    estate, year, rate = r.get("estate", text), r.get("year", an_int(1990, 2100)), r.get("rate", a_rate)
    return SatisfactionFact(estate, year, rate) if estate and year and rate is not None else None


def read_warning(r: Reader) -> WarningFact | None:
    r.known("subject", "on", "estate")
    subject, on = r.get("subject", text), r.get("on", a_date)
    return WarningFact(subject, on, r.get("estate", text, required=False)) if subject and on else None


def read_refusal(r: Reader) -> RefusalToLeaveFact | None:
    r.known("subject", "estate", "since", "resolved")
    subject, estate, since = r.get("subject", text), r.get("estate", text), r.get("since", a_date)
    resolved = r.get("resolved", a_date, required=False)
    return RefusalToLeaveFact(subject, estate, since, resolved) if subject and estate and since else None


PARSERS: dict[str, Callable[[Reader], Any]] = {
    "enterprises": read_enterprise,
    "estates": read_estate,
    "project_managers": read_project_manager,
    "owners_committees": read_committee,
    "violations": read_violation,
    "credit_scores": read_score,
    "bonuses": read_bonus,
    "star_ratings": read_star,
    "satisfaction": read_satisfaction,
    "warnings": read_warning,
    "refusals_to_leave": read_refusal,
}


def check_references(facts: Facts, lists: dict[str, list[Reader]], problems: list[str]) -> None:
    """Refs are unique; every reference names a known entry of the right kind; no date after as_of."""
    kinds: dict[str, str] = {}
    for name, kind, refs in (
        ("enterprises", "enterprise", [e.ref for e in facts.enterprises]),
        ("project_managers", "project_manager", [p.ref for p in facts.project_managers]),
        ("owners_committees", "owners_committee", [c.ref for c in facts.owners_committees]),
    ):
        for reader, ref in zip(lists[name], refs, strict=True):
            if ref in kinds:
                reader.fail("ref", f"{ref!r} is given twice (subjects share one set of refs)")
            kinds[ref] = kind
    estates: set[str] = set()
    for reader, estate in zip(lists["estates"], facts.estates, strict=True):
        if estate.ref in estates:
            reader.fail("ref", f"{estate.ref!r} is given twice")
        estates.add(estate.ref)

    def need(reader: Reader, key: str, ref: str | None, allowed: Iterable[str], what: str) -> None:
        if ref is not None and ref not in allowed:
            reader.fail(key, f"unknown ref {ref!r} (not among the {what})")

    enterprises = {e.ref for e in facts.enterprises}
    subjects = set(kinds)
    for r, e in zip(lists["estates"], facts.estates, strict=True):
        need(r, "enterprise", e.enterprise, enterprises, "enterprises")
    for r, p in zip(lists["project_managers"], facts.project_managers, strict=True):
        need(r, "enterprise", p.enterprise, enterprises, "enterprises")
    for r, c in zip(lists["owners_committees"], facts.owners_committees, strict=True):
        need(r, "estate", c.estate, estates, "estates")
    for r, v in zip(lists["violations"], facts.violations, strict=True):
        need(r, "subject", v.subject, subjects, "enterprises, project managers and owners' committees")
        need(r, "estate", v.estate, estates, "estates")
        if v.project_manager is not None:
            pms = {p.ref for p in facts.project_managers if p.enterprise == v.subject}
            need(r, "project_manager", v.project_manager, pms, f"project managers of {v.subject}")
    dated: list[tuple[str, list[Reader], list[tuple[str, date | None]]]] = [
        ("violations", lists["violations"], [("on", v.on) for v in facts.violations]),
        ("bonuses", lists["bonuses"], [("on", b.on) for b in facts.bonuses]),
        ("warnings", lists["warnings"], [("on", w.on) for w in facts.warnings]),
        ("refusals", lists["refusals_to_leave"], [("since", x.since) for x in facts.refusals_to_leave]),
    ]
    for _name, readers, dates in dated:
        for reader, (key, when) in zip(readers, dates, strict=True):
            if when is not None and when > facts.as_of:
                reader.fail(key, f"{when.isoformat()} is after as_of ({facts.as_of.isoformat()})")
    for r, s in zip(lists["credit_scores"], facts.credit_scores, strict=True):
        need(r, "subject", s.subject, subjects, "enterprises and project managers")
        if s.year > facts.as_of.year:
            r.fail("year", f"{s.year} is after the year of as_of")
    seen_scores: set[tuple[str, int]] = set()
    for r, s in zip(lists["credit_scores"], facts.credit_scores, strict=True):
        if (s.subject, s.year) in seen_scores:
            r.fail("year", f"a second score of {s.subject} for {s.year}")
        seen_scores.add((s.subject, s.year))
    for r, b in zip(lists["bonuses"], facts.bonuses, strict=True):
        need(r, "subject", b.subject, subjects, "enterprises and project managers")
    for r, st in zip(lists["star_ratings"], facts.star_ratings, strict=True):
        need(r, "estate", st.estate, estates, "estates")
    seen_rounds: set[tuple[str, str]] = set()
    for r, st in zip(lists["star_ratings"], facts.star_ratings, strict=True):
        if (st.estate, st.round) in seen_rounds:
            r.fail("round", f"a second rating of {st.estate} in round {st.round!r}")
        seen_rounds.add((st.estate, st.round))
    seen_years: set[tuple[str, int]] = set()
    for r, sa in zip(lists["satisfaction"], facts.satisfaction, strict=True):
        need(r, "estate", sa.estate, estates, "estates")
        if sa.year > facts.as_of.year:
            r.fail("year", f"{sa.year} is after the year of as_of")
        if (sa.estate, sa.year) in seen_years:
            r.fail("year", f"a second survey of {sa.estate} for {sa.year}")
        seen_years.add((sa.estate, sa.year))
    for r, w in zip(lists["warnings"], facts.warnings, strict=True):
        need(r, "subject", w.subject, enterprises, "enterprises")
        need(r, "estate", w.estate, estates, "estates")
    for r, x in zip(lists["refusals_to_leave"], facts.refusals_to_leave, strict=True):
        need(r, "subject", x.subject, enterprises, "enterprises")
        need(r, "estate", x.estate, estates, "estates")
        if x.resolved is not None and x.resolved < x.since:
            r.fail("resolved", "is before since")


def check_against(facts: Facts, preset: PolicyPreset, source: str = "facts") -> None:
    """What the preset decides: known item codes, the actor each item binds, the star scale."""
    problems = []
    kinds = facts.subject_kinds
    max_stars = preset.data.star_rating.max_stars
    for index, v in enumerate(facts.violations):
        where = f"{source}: violations[{index}]"
        item = preset.violations.get(v.item)
        if item is None:
            problems.append(f"{where}.item: unknown item {v.item!r} (not in the catalogue of {preset.name})")
            continue
        kind = kinds.get(v.subject)
        if kind != item.actor:
            problems.append(f"{where}.subject: {v.subject!r} is a {kind}; {v.item} applies to: {item.actor}")
    for index, s in enumerate(facts.star_ratings):
        if s.stars > max_stars:
            problems.append(f"{source}: star_ratings[{index}].stars: {s.stars} is above {max_stars}")
    if problems:
        raise FactsError(problems)
