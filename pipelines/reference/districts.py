"""The 77 Czech districts (76 okresy + Hlavní město Praha), from pycountry's ISO 3166-2:CZ.

District codes are the CZ-NUTS/LAU1 codes the statistics office uses (CZ0513 Liberec ...),
built from ISO 3166-2 codes (CZ-513 -> CZ0513; Prague CZ-10 -> CZ0100). Each district lies in
exactly one region (NUTS 3, its code's first five characters; pipelines/reference/regions.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pycountry

from pipelines.contract import UNKNOWN
from pipelines.normalise import fold_value

PRAGUE_NAME = "Hlavní město Praha"


@dataclass(frozen=True)
class District:
    code: str  # CZ0513
    iso_code: str  # CZ-513
    name: str  # Czech name
    region_code: str  # NUTS 3, e.g. CZ051
    region_name: str


def _nuts3(iso_region: str) -> str:
    return "CZ0" + iso_region.removeprefix("CZ-")


@cache
def districts() -> tuple[District, ...]:
    subdivisions = list(pycountry.subdivisions.get(country_code="CZ"))
    regions = {s.code: s.name for s in subdivisions if s.type in ("Region", "Capital city")}
    result = []
    for sub in subdivisions:
        if sub.type == "District":
            result.append(District(
                code="CZ0" + sub.code.removeprefix("CZ-"),
                iso_code=sub.code,
                name=sub.name,
                region_code=_nuts3(sub.parent_code),
                region_name=regions[sub.parent_code],
            ))
        elif sub.type == "Capital city":
            result.append(District("CZ0100", sub.code, PRAGUE_NAME, "CZ010", PRAGUE_NAME))
    result.sort(key=lambda d: d.code)
    assert len(result) == 77, f"expected 77 districts, pycountry gave {len(result)}"
    return tuple(result)


@cache
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for d in districts():
        table[fold_value(d.name)] = d.code
        table[fold_value(d.code)] = d.code
    table[fold_value("Praha")] = "CZ0100"
    table[fold_value("Praha, Hlavní město")] = "CZ0100"
    return table


def resolve_district(value: str | None) -> str | None:
    """District name (or code) -> district code; empty -> "unknown"; unrecognised -> None."""
    if value is None or not value.strip():
        return UNKNOWN
    return _lookup().get(fold_value(value))


def district_by_code(code: str) -> District:
    return next(d for d in districts() if d.code == code)


def districts_of_region(region_code: str) -> tuple[District, ...]:
    return tuple(d for d in districts() if d.region_code == region_code)
