"""Where each district of a region sits on the schematic tile map (seeds/ref_district_tiles.csv).

The seed places the districts of a region as on the real map. A region it does not place gets its
districts (pipelines/reference/districts.py) in code order, in rows of `DERIVED_COLUMNS`: every
centre's map draws all its districts, laid out by hand only where someone has done so.
"""

from __future__ import annotations

from functools import cache

from pipelines.reference.districts import districts_of_region
from pipelines.reference.seeds import read_seed

TILES_SEED = "ref_district_tiles.csv"
DERIVED_COLUMNS = 5


@cache
def _seeded() -> dict[str, tuple[float, float]]:
    return {row["district_code"]: (float(row["col"]), float(row["row"])) for row in read_seed(TILES_SEED)}


@cache
def district_tiles(region_code: str) -> dict[str, tuple[float, float]]:
    """District code -> (column, row; row 0 is north) of each district of the region, in map order."""
    codes = [d.code for d in districts_of_region(region_code)]
    seeded = _seeded()
    if codes and all(code in seeded for code in codes):
        return {code: seeded[code] for code in seeded if code in codes}  # the seed's order
    return {code: (float(i % DERIVED_COLUMNS), float(i // DERIVED_COLUMNS)) for i, code in enumerate(codes)}
