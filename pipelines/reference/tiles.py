"""Where each district of a region (seeds/ref_district_tiles.csv), and each region of the country, sits on
the schematic tile map.

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


# The 14 regions on the national tile map, (column, row; row 0 is north), laid out as on the real map
# of Czechia: Ústí, Liberec and Hradec Králové along the northern border, Prague inside Central Bohemia,
# Moravia in the east. Stated here once; the dashboard's region map reads only this.
_REGION_TILES: dict[str, tuple[float, float]] = {
    "CZ042": (1.0, 0.0), "CZ051": (2.0, 0.0), "CZ052": (3.0, 0.0),
    "CZ041": (0.0, 1.0), "CZ020": (1.0, 1.0), "CZ010": (2.0, 1.0), "CZ053": (3.0, 1.0), "CZ071": (4.0, 1.0),
    "CZ080": (5.0, 1.0),
    "CZ032": (0.0, 2.0), "CZ031": (1.0, 2.0), "CZ063": (2.0, 2.0), "CZ064": (3.0, 2.0), "CZ072": (4.0, 2.0),
}


def region_tiles() -> dict[str, tuple[float, float]]:
    """Region code (NUTS 3) -> (column, row; row 0 is north) of each of the 14 regions, north-west first."""
    return dict(sorted(_REGION_TILES.items(), key=lambda item: (item[1][1], item[1][0])))
