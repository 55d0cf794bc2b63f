"""The attack population of issue 13 and the attacker's reasoning, shared by the CLI and dashboard attack tests.

The attacker knows the method and the perturbation table but not the secret. For a published
count p the true counts it may come from are the table's preimage of p (`preimage`); a
difference of two published counts leaves every difference of their preimages feasible. For a sum
the same holds with the sums' rule (`publishable_sum`): every cell key is possible.
"""

from __future__ import annotations

from datetime import date
from functools import cache

from pipelines.disclosure.ptable import load_parameters, ptable
from pipelines.metrics.cell_key import perturbed_sums
from support.marts import MartBuilder

FROM, TO = date(2022, 8, 1), date(2022, 12, 31)
OTHERS = ("UA", "VN", "RU", "SY")  # every nationality of the big groups
LONE = "MN"  # the only Mongolian in CZ0421
LONE_DISTRICT = "CZ0421"
SMALL_GROUP = "international_protection"  # a target group of a person or two in every month
RARE_OUTCOME = "housing_secured"  # one outcome of this type
RARE_SERVICE = "interpreting"  # two people's contacts


def attack_marts() -> MartBuilder:
    """~220 clients in four districts, contacts in Aug-Dec 2022.

    - 160 of UA, VN, RU and SY in three districts, female and male, born 1960-1999, a quarter with an outcome;
    - 21 of unknown sex: 20 Ukrainians and one Czech (total minus every other nationality);
    - 25 Mongolians: 24 women born 1990 in CZ0427, and one man born 1987 in CZ0421 with an outcome (the one
      to profile);
    - 8 of the target group SMALL_GROUP, one or two each month (a monthly table's small row), two of them
      with an interpreting contact (RARE_SERVICE) and one with the only RARE_OUTCOME.
    """
    marts = MartBuilder()
    number = 0

    def person(nationality: str, district: str, sex: str = "female", *, outcome: str | None = None,
               birth_year: int = 1990, target_group: str = "ukrainian", interpreted: bool = False) -> None:
        nonlocal number
        number += 1
        client = f"K{number:05d}"
        marts.client(client, registered_on=date(2022, 1, 3), nationality=nationality, district=district, sex=sex,
                     birth_year=birth_year, target_group=target_group)
        month = 8 + number % 5
        marts.contact(f"{client}-a", client, date(2022, month, 3), duration_min=45 + number % 40)
        marts.contact(f"{client}-b", client, date(2022, month, 17), service="legal_counselling")
        if interpreted:
            marts.contact(f"{client}-i", client, date(2022, month, 24), service=RARE_SERVICE, interpreted=True)
        if outcome:
            marts.outcome(f"{client}-o", client, date(2022, month, 20), outcome)

    for index in range(160):
        person(OTHERS[index % 4], ("CZ0427", "CZ0425", "CZ0424")[index % 3], ("female", "male")[index % 2],
               outcome="employment_found" if index % 4 == 0 else None, birth_year=1960 + index % 40)
    for index in range(20):
        person("UA", "CZ0427", "unknown", birth_year=1999 + index % 3)  # unknown sex: 20 Ukrainians ...
    person("CZ", "CZ0427", "unknown")  # ... and one Czech
    for index in range(24):
        person(LONE, "CZ0427", outcome="employment_found" if index % 3 == 0 else None)
    person(LONE, LONE_DISTRICT, "male", outcome="employment_found", birth_year=1987)  # the one to profile
    for index in range(8):  # after the others, so their figures are those of the population above
        person("SY", "CZ0424", target_group=SMALL_GROUP, interpreted=index < 2,
               outcome=RARE_OUTCOME if index == 0 else None)
    return marts


@cache
def preimage(published: int) -> frozenset[int]:
    """Every true count the table could have published as `published` (some cell key leads there)."""
    table = ptable()
    return frozenset(n for n in range(max(published - 4, 0), published + 5)
                     for key in range(table.parameters.key_range) if table.perturb(n, key) == published)


def feasible_differences(a: int, b: int) -> set[int]:
    """What a true count may be that is the difference of the true counts behind published `a` and `b`."""
    return {x - y for x in preimage(a) for y in preimage(b) if x >= y}


@cache
def publishable(true_count: int) -> frozenset[int]:
    """Every count the table may publish for `true_count`, whatever the cell key (so whatever the secret)."""
    table = ptable()
    return frozenset(table.perturb(true_count, key) for key in range(table.parameters.key_range))


@cache
def publishable_sum(true_sum: float, largest: float, metric: str = "service_hours") -> frozenset[int]:
    """Every whole sum the method may publish for `true_sum` whose largest contribution of one person is
    `largest`, whatever the cell key (so whatever the secret): the published sums' rule, as the attacker knows it."""
    key_range = load_parameters().key_range
    every_key = range(key_range)
    sums = perturbed_sums([true_sum] * key_range, every_key, [largest] * key_range, metric, key_range)
    return frozenset(round(s) for s in sums if s is not None)
