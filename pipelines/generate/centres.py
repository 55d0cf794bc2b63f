"""Centres of the national sample: which region each serves, how large it is, where its
clients live and where its offices are (`reach generate --centres`).

PROVISIONAL: the centres' reference data (seeds/ref_centres.csv, pipelines/reference/centres.py)
is being added by another change. Until it lands, CENTRE_REGIONS below is the small marked
mapping the generator uses; replace it with that reader (code -> region code) once it exists.
The districts of each region come from pipelines.reference.districts (pycountry).

Centre sizes follow the regions' foreign residents. Only the Ústí Region's figure is sourced
(ČSÚ, 61,437 on 31 Dec 2022, facts.md); the others are ESTIMATES of the same year's order of
magnitude, scaled so that they sum to about the 1.0-1.1 million foreigners living in Czechia
(Ministry of the Interior, end of 2022-2024, facts.md). Replace them with the ČSÚ table
"Cizinci v ČR" by region when the reference data carries it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from pipelines.errors import ReachError
from pipelines.generate import distributions as dist
from pipelines.reference.districts import PRAGUE_NAME, districts

# code -> (NUTS 3 region, main office district, foreign residents 31 Dec 2022). PROVISIONAL, see above.
CENTRE_REGIONS: dict[str, tuple[str, str, int]] = {
    "PHA": ("CZ010", "CZ0100", 355_000),  # estimate
    "STC": ("CZ020", "CZ0207", 150_000),  # estimate; Mladá Boleslav: the region's seat is Prague
    "JHC": ("CZ031", "CZ0311", 38_000),  # estimate
    "PLK": ("CZ032", "CZ0323", 62_000),  # estimate
    "KVK": ("CZ041", "CZ0412", 28_000),  # estimate
    "ULK": ("CZ042", dist.MAIN_OFFICE_DISTRICT, 61_437),  # ČSÚ 2022 (facts.md); the regional sample's office
    "LBK": ("CZ051", "CZ0513", 33_000),  # estimate
    "HKK": ("CZ052", "CZ0521", 38_000),  # estimate
    "PAK": ("CZ053", "CZ0532", 40_000),  # estimate
    "VYS": ("CZ063", "CZ0632", 22_000),  # estimate
    "JHM": ("CZ064", "CZ0642", 98_000),  # estimate
    "OLK": ("CZ071", "CZ0712", 28_000),  # estimate
    "ZLK": ("CZ072", "CZ0724", 21_000),  # estimate
    "MSK": ("CZ080", "CZ0806", 48_000),  # estimate
}
ALL_CENTRES = tuple(CENTRE_REGIONS)
# Clients per centre-year at the default national scale (SUZ 2024: ~4,400 per region-year, facts.md).
CLIENTS_PER_CENTRE_YEAR = 4_400

OUTSIDE_SHARE = 0.03  # clients living outside the centre's region (estimate)
NOT_STATED_SHARE = 0.02  # district not stated (estimate, as the Ústí sample's 700 of 40,000)
_MAIN_WEIGHT = 4.0  # the main office's district holds about 4 times a typical district's foreigners (estimate)
_NO_OWN_SEAT = ("-venkov", "-jih", "-sever", "-východ", "-západ")


@dataclass(frozen=True)
class CentreProfile:
    """Where a centre's clients live and which offices they visit (codes as distributions.py uses)."""

    code: str
    region_code: str
    district: dist.Weights  # district of residence; "" = not stated
    seats: dict[str, str]  # district code -> the town written as municipality / office
    branch: dist.Weights  # offices (towns that are district seats)
    event_district: dist.Weights  # where the centre holds events (its own region)


def seat_of(name: str) -> str:
    """The town a district is named after ("" for districts run from another town, e.g. Praha-východ)."""
    if name == PRAGUE_NAME:
        return "Praha"
    if name.endswith(_NO_OWN_SEAT):
        return ""
    return name.removesuffix("-město")


def _usti() -> CentreProfile:
    """The regional sample as it always was (distributions.py), so `reach generate` stays unchanged."""
    region = CENTRE_REGIONS["ULK"][0]
    own = {d.code for d in districts() if d.region_code == region}
    events = dist.Weights.of({
        code: weight for code, weight in zip(dist.DISTRICT.codes, dist.DISTRICT.weights, strict=True)
        if code in own
    })
    return CentreProfile("ULK", region, dist.DISTRICT, dist.DISTRICT_SEAT, dist.BRANCH, events)


@cache
def profile(code: str) -> CentreProfile:
    """The profile of centre `code` (one of ALL_CENTRES)."""
    if code == "ULK":
        return _usti()
    region, main, _ = CENTRE_REGIONS[code]
    own = [d for d in districts() if d.region_code == region]
    # Residents: the main office's district weighs most; the share outside goes to Prague and
    # the main districts of the other regions (where foreigners mostly live).
    inside = {d.code: (_MAIN_WEIGHT if d.code == main else 1.0) for d in own}
    total_inside = sum(inside.values())
    scale = (1 - OUTSIDE_SHARE - NOT_STATED_SHARE) / total_inside
    weights = {c: w * scale for c, w in inside.items()}
    others = [m for c, (r, m, _) in CENTRE_REGIONS.items() if r != region]
    for district in others:
        weights[district] = OUTSIDE_SHARE / len(others)
    weights[""] = NOT_STATED_SHARE
    names = {d.code: d.name for d in districts()}
    seats = {c: seat_of(names[c]) for c in weights if c}
    # Offices: the main district's town, then up to two other district towns of the region.
    towns = [seat_of(names[main]), *[s for d in own if d.code != main and (s := seat_of(d.name))][:2]]
    branch = dist.Weights.of(dict(zip(towns, (60.0, 25.0, 15.0)[:len(towns)], strict=True)))
    events = dist.Weights.of(inside)
    return CentreProfile(code, region, dist.Weights.of(weights), seats, branch, events)


def parse_centres(text: str) -> list[str]:
    """`ULK,LBK` or `all` -> centre codes in the national order (each once)."""
    wanted = ALL_CENTRES if text.strip().lower() == "all" else [c.strip().upper() for c in text.split(",") if c.strip()]
    unknown = [c for c in wanted if c not in CENTRE_REGIONS]
    if unknown or not wanted:
        raise ReachError(
            f"unknown centre code(s) {', '.join(unknown) or '(none given)'}; known centres: "
            f"{', '.join(ALL_CENTRES)} (or all)."
        )
    return [c for c in ALL_CENTRES if c in set(wanted)]


def default_clients(centres: list[str], months: int) -> int:
    """About 4,400 clients per centre-year (facts.md), for the centres and months asked."""
    return max(len(centres), round(CLIENTS_PER_CENTRE_YEAR * len(centres) * months / 12))


def split_clients(total: int, centres: list[str]) -> dict[str, int]:
    """`total` clients over `centres` in proportion to their regions' foreign residents
    (largest remainder, so the parts sum to `total`; every centre gets at least one)."""
    if total < len(centres):
        raise ReachError(f"--clients must be at least the number of centres ({len(centres)}); got {total}.")
    weights = np.array([CENTRE_REGIONS[c][2] for c in centres], dtype=float)
    spare = total - len(centres)
    exact = spare * weights / weights.sum()
    parts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - parts), kind="stable")
    parts[order[: spare - parts.sum()]] += 1
    return {c: int(p) + 1 for c, p in zip(centres, parts, strict=True)}
