"""The 14 Czech regions (kraje, NUTS 3), from seeds/ref_regions.csv.

The codes and Czech names are pycountry's ISO 3166-2:CZ regions (checked by tests/reference); the
English names are the statistical office's, which pycountry does not carry, so the seed is kept by
hand rather than generated.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from pipelines.reference.seeds import read_seed

REGIONS_SEED = "ref_regions.csv"


@dataclass(frozen=True)
class Region:
    code: str  # NUTS 3, e.g. CZ051
    iso_code: str  # ISO 3166-2, e.g. CZ-51
    name_cs: str
    name_en: str

    def name(self, lang: str = "cs") -> str:
        return self.name_en if lang == "en" else self.name_cs


@cache
def regions() -> tuple[Region, ...]:
    rows = read_seed(REGIONS_SEED)
    return tuple(sorted((Region(r["code"], r["iso_code"], r["name_cs"], r["name_en"]) for r in rows),
                        key=lambda r: r.code))


def region_by_code(code: str) -> Region:
    for region in regions():
        if region.code == code:
            return region
    raise KeyError(code)
