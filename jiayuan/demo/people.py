"""Synthetic people for the demo city: names, mobile numbers and resident ID numbers.

Faker is too slow for a million owners, so names are drawn with the seeded `random.Random` from a
pool built once: Faker zh_CN's weighted surnames and a pool of given names made from its given-name
characters and some more. ID numbers follow GB 11643-1999 (area, birth date, sequence with the sex
in its parity, ISO 7064 MOD 11-2 check character) and are unique within one seed run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import random

from faker.providers.person.zh_CN import Provider as FakerPerson

from jiayuan.demo.yinchuan import GIVEN_CHARACTERS, MOBILE_PREFIXES, PHONE_AREA

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


def weighted_sum(digits: str, weights: tuple[int, ...]) -> int:
    return sum(map(operator.mul, map(int, digits), weights))


def id_check_character(first17: str) -> str:
    return ID_CHECK[weighted_sum(first17, ID_WEIGHTS) % 11]


def is_valid_id_number(value: str) -> bool:
    return len(value) == 18 and value[:17].isdigit() and id_check_character(value[:17]) == value[17]


class People:
    """Draws names, phones and unique ID numbers from one seeded Random."""

    GIVEN_POOL_SIZE = 4000

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.surnames = list(FakerPerson.last_names)
        self.surname_weights = list(itertools.accumulate(FakerPerson.last_names.values()))
        faker_given = list(FakerPerson.first_names)
        characters = sorted({n for n in faker_given if len(n) == 1} | set(GIVEN_CHARACTERS))
        pool: list[str] = []
        for _ in range(self.GIVEN_POOL_SIZE):
            draw = rng.random()
            if draw < 0.4:
                pool.append(rng.choice(faker_given))
            elif draw < 0.65:
                pool.append(rng.choice(characters))
            else:
                pool.append(rng.choice(characters) + rng.choice(characters))
        self.given = pool
        # Sequence numbers used so far, by birth date: an ID number is area + date + sequence, and
        # keying on the date alone keeps the numbers unique whatever the area, in little memory.
        self.sequences: dict[int, int] = {}
        # Weighted digit sums of the area and date parts, cached (there are few areas and dates).
        self.area_sums: dict[str, int] = {}
        self.dates: dict[int, tuple[str, int]] = {}

    def name(self) -> str:
        surname = self.rng.choices(self.surnames, cum_weights=self.surname_weights)[0]
        return surname + self.rng.choice(self.given)

    def mobile(self) -> str:
        return f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(100_000_000):08d}"

    def landline(self) -> str:
        return f"{PHONE_AREA}-{self.rng.randrange(5_000_000, 7_000_000)}"

    def id_number(self, area: str, today: dt.date, *, min_age: int = 22, max_age: int = 85) -> str:
        """A valid 18-digit resident ID number, born `min_age` to `max_age` years before `today`."""
        ordinal = today.toordinal() - self.rng.randint(min_age * 365, max_age * 365)
        sex = self.rng.randrange(2)
        while True:
            used = self.sequences.get(ordinal, 0)
            if used < 499:
                break
            ordinal -= 1
        self.sequences[ordinal] = used + 1
        # The sequence's parity is the sex (odd: male); 001-998.
        sequence = f"{used * 2 + 1 + sex:03d}"
        area_sum = self.area_sums.get(area)
        if area_sum is None:
            area_sum = self.area_sums[area] = weighted_sum(area, ID_WEIGHTS[:6])
        born = self.dates.get(ordinal)
        if born is None:
            text = f"{dt.date.fromordinal(ordinal):%Y%m%d}"
            born = self.dates[ordinal] = (text, weighted_sum(text, ID_WEIGHTS[6:14]))
        total = area_sum + born[1] + weighted_sum(sequence, ID_WEIGHTS[14:])
        return f"{area}{born[0]}{sequence}{ID_CHECK[total % 11]}"
