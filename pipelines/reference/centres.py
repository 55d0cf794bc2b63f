"""The product's centres (seeds/ref_centres.csv): code, name, operator, region and project.

A delivery belongs to one centre, named at load (export-format.md, Deliveries); the code must be
one of these. The seed is kept by hand: the operator adds or corrects a centre there. A row's
`basis` says whether its project code and period come from a source (`source`) or the row is an
illustrative placeholder for a regional centre whose project the product does not know
(`illustrative`: no project code or period is invented).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache

from pipelines.errors import ReachError
from pipelines.reference.districts import District, districts_of_region
from pipelines.reference.regions import Region, region_by_code
from pipelines.reference.seeds import read_seed

CENTRES_SEED = "ref_centres.csv"
BASES = ("source", "illustrative")


@dataclass(frozen=True)
class Centre:
    code: str  # e.g. LBK
    name: str
    operator: str
    region_code: str  # NUTS 3 of the region the centre serves
    project_code: str | None
    project_from: date | None
    project_to: date | None
    basis: str  # source | illustrative
    source: str

    @property
    def region(self) -> Region:
        return region_by_code(self.region_code)

    def districts(self) -> tuple[District, ...]:
        """The districts of the centre's region: a client living elsewhere is outside the region."""
        return districts_of_region(self.region_code)

    @property
    def period(self) -> str:
        """`2022-08-01 – 2023-07-31`, or empty when the seed gives no project period."""
        if self.project_from is None or self.project_to is None:
            return ""
        return f"{self.project_from.isoformat()} – {self.project_to.isoformat()}"


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@cache
def centres() -> tuple[Centre, ...]:
    return tuple(
        Centre(
            code=row["code"], name=row["name"], operator=row["operator"], region_code=row["region_code"],
            project_code=row["project_code"] or None, project_from=_date(row["project_from"]),
            project_to=_date(row["project_to"]), basis=row["basis"], source=row["source"],
        )
        for row in read_seed(CENTRES_SEED)
    )


def known_codes() -> tuple[str, ...]:
    return tuple(c.code for c in centres())


def centre(code: str) -> Centre:
    """The centre with `code` (case and surrounding space ignored); a ReachError listing the known codes."""
    wanted = code.strip().upper()
    for candidate in centres():
        if candidate.code == wanted:
            return candidate
    raise ReachError(
        f"Unknown centre code '{code.strip()}': the known centres are {', '.join(known_codes())} "
        f"(seeds/{CENTRES_SEED}; `reach centres` lists them). Add a new centre to that seed first."
    )


def centre_districts(code: str) -> dict[str, str]:
    """District code -> Czech name of the districts of the centre's region."""
    return {d.code: d.name for d in centre(code).districts()}
