"""The rules engine: one pure function from a preset and a set of facts to the consequences.

`evaluate(preset, facts)` reads nothing else (no database, no clock) and returns a `Result`: every
consequence with its kind, subject, estate, the preset key of the rule (`rule`), its clause, the
facts it rests on (`evidence`) and the [choice] readings it depends on, plus each subject's credit
score by year. The order is fixed (subject, estate, date, rule, kind, evidence), so evaluating the
same facts twice, or the same facts in another order, gives the same result. All arithmetic is
Decimal. `diff(a, b)` compares two results (another preset over the same facts: what-if).

What each rule does, with its clause: docs/rules.md.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jiayuan.policy.loader import PolicyPreset
from jiayuan.policy.schema import ESTATE_BOUND_KINDS
from jiayuan.rules.facts import Facts, Violation, check_against

ZERO = Decimal(0)


@dataclass(frozen=True)
class Consequence:
    """One thing a rule orders: `kind` against `subject` (at `estate`), because of `evidence`."""

    kind: str
    subject: str | None
    estate: str | None
    rule: str
    clause: str
    evidence: tuple[str, ...]
    on: date | None = None
    until: date | None = None
    points: Decimal | None = None
    department: str | None = None
    readings: tuple[str, ...] = ()

    def sort_key(self) -> tuple[Any, ...]:
        return (
            self.subject or "",
            self.estate or "",
            self.on or date.min,
            self.rule,
            self.kind,
            self.evidence,
            self.points or ZERO,
        )

    def substance(self) -> tuple[Any, ...]:
        """What a what-if compares: the act itself, not the rule or clause that orders it."""
        return (self.subject, self.estate, self.kind, self.on, self.until, self.points, self.department)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "subject": self.subject,
            "estate": self.estate,
            "rule": self.rule,
            "clause": self.clause,
            "evidence": list(self.evidence),
            "on": self.on.isoformat() if self.on else None,
            "until": self.until.isoformat() if self.until else None,
            "points": str(self.points) if self.points is not None else None,
            "department": self.department,
            "readings": list(self.readings),
        }


@dataclass(frozen=True)
class Score:
    """A subject's credit score of a year: published (`computed` false) or base - deductions + bonuses."""

    subject: str
    year: int
    score: Decimal
    band: str
    computed: bool
    deductions: Decimal
    bonuses: Decimal

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "year": self.year,
            "score": str(self.score),
            "band": self.band,
            "computed": self.computed,
            "deductions": str(self.deductions),
            "bonuses": str(self.bonuses),
        }


@dataclass(frozen=True)
class Result:
    preset: str
    version: str
    as_of: date
    consequences: tuple[Consequence, ...]
    scores: tuple[Score, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "preset": self.preset,
            "version": self.version,
            "as_of": self.as_of.isoformat(),
            "consequences": [c.as_json() for c in self.consequences],
            "scores": [s.as_json() for s in self.scores],
        }


def evaluate(preset: PolicyPreset, facts: Facts) -> Result:
    """The consequences `preset` orders over `facts`, in a fixed order; `FactsError` if they do not fit."""
    check_against(facts, preset)
    engine = _Engine(preset, facts)
    found = engine.run()
    return Result(
        preset=preset.name,
        version=preset.version,
        as_of=facts.as_of,
        consequences=tuple(sorted(found, key=Consequence.sort_key)),
        scores=tuple(engine.scores),
    )


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


def stars_text(stars: int) -> str:
    return "not up to standard" if stars == 0 else f"{stars} star{'s' if stars != 1 else ''}"


class _Engine:
    def __init__(self, preset: PolicyPreset, facts: Facts) -> None:
        self.preset = preset
        self.data = preset.data
        self.facts = facts
        self.found: list[Consequence] = []
        self.scores: list[Score] = []
        self.estate_bound = set(ESTATE_BOUND_KINDS) | {
            k.code for k in self.data.consequence_kinds if k.estate_bound
        }
        kinds = facts.subject_kinds
        self.enterprises = sorted(ref for ref, kind in kinds.items() if kind == "enterprise")
        self.rated = sorted(ref for ref, kind in kinds.items() if kind != "owners_committee")

    def run(self) -> list[Consequence]:
        self.violation_records()
        self.credit()
        self.ladder()
        self.tender_ban()
        self.warnings()
        self.refusals()
        self.satisfaction()
        self.stars()
        self.blacklist_bars_tenders()
        return self.found

    # --- helpers ------------------------------------------------------------------------------

    def emit(
        self,
        kinds: Iterable[str],
        *,
        subject: str | None,
        estates: Sequence[str] | None,
        rule: str,
        clause: str,
        evidence: Iterable[str],
        on: date | None = None,
        readings: Iterable[str] = (),
        at_estate: str | None = None,
    ) -> None:
        """Each kind once for the subject, or at each of `estates` if the kind is estate-bound.

        `at_estate` puts every kind at that one estate (a rule about an estate: a survey, a rating).
        An estate-bound kind with no estate to act at is not ordered.
        """
        evidence = tuple(evidence)
        readings = tuple(readings)
        for kind in kinds:
            if at_estate is not None:
                places: Sequence[str | None] = [at_estate]
            elif kind in self.estate_bound:
                places = list(estates or [])
            else:
                places = [None]
            for estate in places:
                until = None
                extra: tuple[str, ...] = ()
                if kind == "blacklist" and on is not None:
                    until = add_years(on, self.data.blacklist.term_years)
                    extra = (self.data.blacklist.term_clause,)
                self.found.append(
                    Consequence(
                        kind=kind,
                        subject=subject,
                        estate=estate,
                        rule=rule,
                        clause=clause,
                        evidence=evidence,
                        on=on,
                        until=until,
                        readings=readings + extra,
                    )
                )

    @staticmethod
    def violation_order(v: Violation) -> tuple[Any, ...]:
        return (v.on, v.item, v.estate, v.subject, v.project_manager or "", v.ref or "", v.points or ZERO)

    # --- violations: deductions and referrals ---------------------------------------------------

    def violation_records(self) -> None:
        for v in sorted(self.facts.violations, key=self.violation_order):
            item = self.preset.violations[v.item]
            evidence = (v.describe(),)
            if item.deduction is not None:
                readings = ("points as confirmed with the violation",) if v.points is not None else ()
                self.found.append(
                    Consequence(
                        kind="credit_deduction",
                        subject=v.subject,
                        estate=v.estate,
                        rule=f"violations[{item.code}].deduction",
                        clause=item.deduction.clause,
                        evidence=evidence,
                        on=v.on,
                        points=v.points if v.points is not None else item.deduction.points,
                        readings=readings,
                    )
                )
            if v.project_manager is not None and item.project_manager_deduction is not None:
                self.found.append(
                    Consequence(
                        kind="credit_deduction",
                        subject=v.project_manager,
                        estate=v.estate,
                        rule=f"violations[{item.code}].project_manager_deduction",
                        clause=item.project_manager_deduction.clause,
                        evidence=evidence,
                        on=v.on,
                        points=item.project_manager_deduction.points,
                    )
                )
            if item.referral is not None:
                self.found.append(
                    Consequence(
                        kind="referral",
                        subject=v.subject,
                        estate=v.estate,
                        rule=f"violations[{item.code}].referral",
                        clause=item.referral.clause,
                        evidence=evidence,
                        on=v.on,
                        department=item.referral.department,
                    )
                )

    # --- credit ---------------------------------------------------------------------------------

    def credit(self) -> None:
        """Scores by year, then the score lines (ZT §5(三)) and the accumulated deductions (KD §3(四)1)."""
        credit = self.data.credit
        events: dict[tuple[str, int], list[tuple[date, Decimal, str]]] = defaultdict(list)
        for c in self.found:
            if c.kind == "credit_deduction" and c.subject is not None and c.on is not None and c.points:
                events[(c.subject, c.on.year)].append((c.on, -c.points, c.evidence[0]))
        for b in self.facts.bonuses:
            bonus = f"bonus of {b.points} to {b.subject} on {b.on.isoformat()}"
            events[(b.subject, b.on.year)].append((b.on, b.points, bonus))
        published = {(s.subject, s.year): s.score for s in self.facts.credit_scores}
        self.crossed: dict[tuple[str, int], date] = {}
        years_of: dict[str, set[int]] = defaultdict(set)
        for subject, year in [*events, *published]:
            years_of[subject].add(year)
        for subject in self.rated:
            years_of[subject].add(self.facts.as_of.year)
        self.score_of: dict[tuple[str, int], Score] = {}
        for subject in sorted(years_of):
            for year in sorted(years_of[subject]):
                lines = sorted(events.get((subject, year), []))
                deductions = sum((-p for _, p, _ in lines if p < 0), ZERO)
                bonuses = sum((p for _, p, _ in lines if p > 0), ZERO)
                if (subject, year) in published:
                    value, computed = published[(subject, year)], False
                    self.crossed[(subject, year)] = min(date(year, 12, 31), self.facts.as_of)
                else:
                    value, computed = credit.base.value - deductions + bonuses, True
                    self.crossed[(subject, year)] = self.crossing(lines, credit.warning.below)
                score = Score(subject, year, value, self.band(value), computed, deductions, bonuses)
                self.score_of[(subject, year)] = score
                self.scores.append(score)
        self.credit_lines()
        self.accumulated(events)

    def crossing(self, lines: list[tuple[date, Decimal, str]], below: Decimal) -> date:
        """The date of the last event that took the running score from the line to below it."""
        running = self.data.credit.base.value
        when = self.facts.as_of
        for day, delta, _ in lines:
            before, running = running, running + delta
            if before >= below > running:
                when = day
        return when

    def band(self, value: Decimal) -> str:
        for band in self.data.credit.bands:
            if band.min is None or value >= band.min:
                return band.code
        return self.data.credit.bands[-1].code

    def score(self, subject: str, year: int) -> Score:
        found = self.score_of.get((subject, year))
        if found is not None:
            return found
        base = self.data.credit.base.value
        return Score(subject, year, base, self.band(base), True, ZERO, ZERO)

    @staticmethod
    def describe_score(s: Score) -> str:
        if not s.computed:
            return f"credit score of {s.subject} for {s.year}: {s.score} (published)"
        return (
            f"credit score of {s.subject} for {s.year}: {s.score} "
            f"(computed: base - {s.deductions} deducted + {s.bonuses} bonus)"
        )

    def credit_lines(self) -> None:
        warning, consecutive = self.data.credit.warning, self.data.credit.consecutive
        for subject in self.enterprises:
            served = self.facts.served_estates(subject)
            years = sorted(y for (s, y) in self.score_of if s == subject)
            for year in years:
                s = self.score(subject, year)
                if warning.enabled and s.score < warning.below:
                    self.emit(
                        warning.consequences,
                        subject=subject,
                        estates=served,
                        rule="credit.warning",
                        clause=warning.clause,
                        evidence=[self.describe_score(s)],
                        on=self.crossed[(subject, year)],
                    )
                run = [self.score(subject, y) for y in range(year - consecutive.years + 1, year + 1)]
                if consecutive.enabled and all(r.score < consecutive.below for r in run):
                    self.emit(
                        consecutive.consequences,
                        subject=subject,
                        estates=served,
                        rule="credit.consecutive",
                        clause=consecutive.clause,
                        evidence=[self.describe_score(r) for r in run],
                        on=self.crossed[(subject, year)],
                    )

    def accumulated(self, events: dict[tuple[str, int], list[tuple[date, Decimal, str]]]) -> None:
        rule = self.data.credit.accumulated
        if not rule.enabled:
            return
        for subject in self.enterprises:
            for (who, _year), lines in sorted(events.items()):
                if who != subject:
                    continue
                total, evidence = ZERO, []
                for day, delta, what in sorted(lines):
                    if delta >= 0:
                        continue
                    total -= delta
                    evidence.append(what)
                    if total >= rule.threshold:
                        self.emit(
                            rule.consequences,
                            subject=subject,
                            estates=self.facts.served_estates(subject),
                            rule="credit.accumulated",
                            clause=rule.clause,
                            evidence=[*evidence, f"deducted {total} of the threshold {rule.threshold}"],
                            on=day,
                        )
                        break

    # --- the nine-prohibitions ladder (YC §5(一)) -------------------------------------------------

    def ladder(self) -> None:
        ladder = self.data.ladder
        if not ladder.enabled:
            return
        items = {code: v.ladder_item for code, v in self.preset.violations.items() if v.ladder_item}
        groups: dict[tuple[Any, ...], list[Violation]] = defaultdict(list)
        for v in self.facts.violations:
            if v.item in items:
                period = v.on.year if ladder.window == "calendar_year" else 0
                place = v.estate if ladder.scope == "estate" else ""
                groups[(v.subject, period, place)].append(v)
        readings = (ladder.count_clause, ladder.window_clause, ladder.estates_clause)
        rungs = ladder.rungs
        for (subject, _period, _place), violations in sorted(groups.items()):
            seen: set[int | None] = set()
            count, next_rung = 0, 0
            violated: set[str] = set()
            evidence: list[str] = []
            for v in sorted(violations, key=self.violation_order):
                evidence.append(v.describe())
                violated.add(v.estate)
                if ladder.count == "distinct_items" and items[v.item] in seen:
                    continue
                seen.add(items[v.item])
                count += 1
                while next_rung < len(rungs) and rungs[next_rung].count <= count:
                    rung = rungs[next_rung]
                    estates = (
                        sorted(violated)
                        if ladder.estates == "violated"
                        else self.facts.served_estates(subject)
                    )
                    self.emit(
                        rung.consequences,
                        subject=subject,
                        estates=estates,
                        rule=f"ladder.rungs[{rung.count}]",
                        clause=rung.clause,
                        evidence=[*evidence, f"count: {count} ({ladder.count.replace('_', ' ')})"],
                        on=v.on,
                        readings=readings,
                    )
                    next_rung += 1

    # --- tender offences, warnings, refusal to leave -----------------------------------------------

    def tender_ban(self) -> None:
        rule = self.data.tender_ban
        if not rule.enabled:
            return
        for v in sorted(self.facts.violations, key=self.violation_order):
            if v.item not in rule.items:
                continue
            for kind in rule.consequences:
                self.found.append(
                    Consequence(
                        kind=kind,
                        subject=v.subject,
                        estate=v.estate if kind in self.estate_bound else None,
                        rule="tender_ban",
                        clause=rule.clause,
                        evidence=(v.describe(),),
                        on=v.on,
                        until=add_years(v.on, rule.years) if kind == "tender_ban" else None,
                    )
                )

    def warnings(self) -> None:
        rule = self.data.warnings
        if not rule.enabled:
            return
        by_subject: dict[str, list[Any]] = defaultdict(list)
        for w in self.facts.warnings:
            by_subject[w.subject].append(w)
        for subject, warnings in sorted(by_subject.items()):
            ordered = sorted(warnings, key=lambda w: (w.on, w.estate or ""))
            if len(ordered) < rule.count:
                continue
            counted = ordered[: rule.count]
            places = {w.estate for w in counted}
            estates = self.facts.served_estates(subject) if None in places else sorted(p for p in places if p)
            self.emit(
                rule.consequences,
                subject=subject,
                estates=estates,
                rule="warnings",
                clause=rule.clause,
                evidence=[
                    f"warning to {w.subject}{f' at {w.estate}' if w.estate else ''} on {w.on.isoformat()}"
                    for w in counted
                ],
                on=counted[-1].on,
            )

    def refusals(self) -> None:
        rule = self.data.refusal_to_leave
        if not rule.enabled:
            return
        as_of = self.facts.as_of
        for x in sorted(self.facts.refusals_to_leave, key=lambda x: (x.since, x.subject, x.estate)):
            if x.resolved is not None and x.resolved <= as_of:
                continue
            evidence = [f"{x.subject} refuses to leave {x.estate} since {x.since.isoformat()}, unresolved"]
            self.emit(
                rule.consequences,
                subject=x.subject,
                estates=None,
                rule="refusal_to_leave",
                clause=rule.clause,
                evidence=evidence,
                on=x.since,
                at_estate=x.estate,
            )
            if rule.report_to is not None:
                self.found.append(
                    Consequence(
                        kind="referral",
                        subject=x.subject,
                        estate=x.estate,
                        rule="refusal_to_leave.report_to",
                        clause=rule.clause,
                        evidence=tuple(evidence),
                        on=x.since,
                        department=rule.report_to,
                    )
                )

    # --- estates: satisfaction and stars ----------------------------------------------------------

    def satisfaction(self) -> None:
        rule = self.data.satisfaction
        if not rule.enabled:
            return
        for s in sorted(self.facts.satisfaction, key=lambda s: (s.estate, s.year)):
            band = rule.bands[0]
            for candidate in rule.bands:
                if candidate.min is not None and s.rate >= candidate.min:
                    band = candidate
            self.emit(
                band.consequences,
                subject=self.facts.estate_enterprise(s.estate),
                estates=None,
                rule=f"satisfaction.bands[{band.code}]",
                clause=band.clause,
                evidence=[f"satisfaction at {s.estate} in {s.year}: {s.rate}"],
                at_estate=s.estate,
            )

    def stars(self) -> None:
        rating = self.data.star_rating
        by_estate: dict[str, list[Any]] = defaultdict(list)
        for r in self.facts.star_ratings:
            by_estate[r.estate].append(r)
        for estate, ratings in sorted(by_estate.items()):
            subject = self.facts.estate_enterprise(estate)
            ordered = sorted(ratings, key=lambda r: r.round)
            for index, r in enumerate(ordered):
                evidence = [f"star rating of {estate} in round {r.round}: {stars_text(r.stars)}"]
                if rating.low.enabled and r.stars <= rating.low.at_most:
                    self.emit(
                        rating.low.consequences,
                        subject=subject,
                        estates=None,
                        rule="star_rating.low",
                        clause=rating.low.clause,
                        evidence=evidence,
                        at_estate=estate,
                    )
                if rating.failing.enabled and r.stars == 0:
                    self.emit(
                        rating.failing.consequences,
                        subject=subject,
                        estates=None,
                        rule="star_rating.failing",
                        clause=rating.failing.clause,
                        evidence=evidence,
                        at_estate=estate,
                    )
                repeat = rating.repeat
                window = ordered[index - repeat.times + 1 : index + 1] if index + 1 >= repeat.times else []
                if repeat.enabled and window and all(w.stars <= repeat.at_most for w in window):
                    self.emit(
                        repeat.consequences,
                        subject=subject,
                        estates=None,
                        rule="star_rating.repeat",
                        clause=repeat.clause,
                        evidence=[
                            f"star rating of {estate} in round {w.round}: {stars_text(w.stars)}"
                            for w in window
                        ],
                        at_estate=estate,
                        readings=("rounds ordered by their label (2025, 2026 ...; 2026-1, 2026-2 ...)",),
                    )

    def blacklist_bars_tenders(self) -> None:
        """A blacklisted enterprise may not bid for the blacklist's term (KD §3(一)1)."""
        rule = self.data.blacklist
        if not rule.bars_tenders:
            return
        for c in list(self.found):
            if c.kind == "blacklist" and c.on is not None:
                self.found.append(
                    Consequence(
                        kind="tender_ban",
                        subject=c.subject,
                        estate=None,
                        rule="blacklist.bars_tenders",
                        clause=rule.clause,
                        evidence=(*c.evidence, f"blacklisted by {c.rule} from {c.on.isoformat()}"),
                        on=c.on,
                        until=c.until,
                        readings=(rule.term_clause,),
                    )
                )


# --- what-if ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    subject: str | None
    estate: str | None
    added: tuple[Consequence, ...]
    removed: tuple[Consequence, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "estate": self.estate,
            "added": [c.as_json() for c in self.added],
            "removed": [c.as_json() for c in self.removed],
        }


@dataclass(frozen=True)
class Diff:
    before: Result
    after: Result
    changes: tuple[Change, ...]
    scores: tuple[tuple[str, int, Decimal | None, Decimal | None], ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "from": {"preset": self.before.preset, "version": self.before.version},
            "to": {"preset": self.after.preset, "version": self.after.version},
            "as_of": self.after.as_of.isoformat(),
            "changes": [c.as_json() for c in self.changes],
            "scores": [
                {
                    "subject": subject,
                    "year": year,
                    "from": str(a) if a is not None else None,
                    "to": str(b) if b is not None else None,
                }
                for subject, year, a, b in self.scores
            ],
        }


def diff(before: Result, after: Result) -> Diff:
    """What `after` orders that `before` does not (added) and the reverse (removed), per subject
    and estate. Consequences are compared by what they do (kind, subject, estate, dates, points,
    department), not by the rule or clause that orders them; scores by value."""
    counts_before = Counter(c.substance() for c in before.consequences)
    counts_after = Counter(c.substance() for c in after.consequences)
    added: dict[tuple[str, str], list[Consequence]] = defaultdict(list)
    removed: dict[tuple[str, str], list[Consequence]] = defaultdict(list)
    for source, surplus, sink in (
        (after.consequences, counts_after - counts_before, added),
        (before.consequences, counts_before - counts_after, removed),
    ):
        left = Counter(surplus)
        for c in source:
            if left[c.substance()] > 0:
                left[c.substance()] -= 1
                sink[(c.subject or "", c.estate or "")].append(c)
    changes = []
    for key in sorted(set(added) | set(removed)):
        plus, minus = added.get(key, []), removed.get(key, [])
        subject = (plus or minus)[0].subject
        estate = (plus or minus)[0].estate
        changes.append(Change(subject, estate, tuple(plus), tuple(minus)))
    scores_before = {(s.subject, s.year): s.score for s in before.scores}
    scores_after = {(s.subject, s.year): s.score for s in after.scores}
    score_changes = tuple(
        (subject, year, scores_before.get((subject, year)), scores_after.get((subject, year)))
        for subject, year in sorted(set(scores_before) | set(scores_after))
        if scores_before.get((subject, year)) != scores_after.get((subject, year))
    )
    return Diff(before, after, tuple(changes), score_changes)
