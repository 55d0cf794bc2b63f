"""Oracle: two centres in two regions, figures by district, region and in_centre_region worked out by hand.

ULK is the Ústí Region's centre (CZ042), LBK the Liberec Region's (CZ051): their regions come from the
reference (seeds/ref_centres.csv), not from a list of districts. Period 1 Aug - 31 Oct 2022, exact figures.

ULK's clients (one 60-minute contact each, unless said):
- U1 lives in Ústí nad Labem (CZ0427, CZ042), contact 5 Aug;
- U2 lives in Teplice (CZ0426, CZ042), two contacts, 1 and 20 Sep;
- U3 lives in Liberec (CZ0513, CZ051): a ULK client living in the other centre's region; contact 3 Sep;
- U4 did not state a district (unknown), contact 1 Oct.
LBK's clients:
- L1 lives in Liberec (CZ0513), contact 10 Aug;
- L2 lives in Semily (CZ0514, CZ051), contact 10 Sep;
- L3 lives in Prague (CZ0100, CZ010), contact 10 Oct;
- L4 lives in Liberec, contact 5 Nov: after the period, never counted.
Events: ULK holds one in Liberec (20 people, 12 Sep), LBK one in Liberec (30 people, 14 Sep).
Denominators given to this home: CZ0427 2,000 and CZ0513 5,000 foreign residents; regions CZ042
10,000 and CZ051 20,000; none for Teplice, Semily, Prague or the Prague region.

By hand:
- per centre by district: ULK CZ0426 1, CZ0427 1, CZ0513 1, unknown 1; LBK CZ0100 1, CZ0513 1, CZ0514 1;
- per centre by region: ULK CZ042 2 (U1, U2), CZ051 1 (U3), unknown 1; LBK CZ010 1 (L3), CZ051 2 (L1, L2);
- outside the centre's region (in_centre_region = no): ULK 1 (U3), LBK 1 (L3); in it: ULK 2, LBK 2;
  ULK's unknown-district client is unknown there too;
- both centres (no linkage key: U3 and L1 are two people): Liberec district 2, Liberec Region 3;
- reach per 1,000: CZ0427 1 x 1000 / 2000 = 0.5, CZ0513 2 x 1000 / 5000 = 0.4, others none; by region
  CZ042 2 x 1000 / 10000 = 0.2, CZ051 3 x 1000 / 20000 = 0.15;
- contacts by region: ULK CZ042 3 (U1 1 + U2 2), CZ051 1, unknown 1; LBK CZ010 1, CZ051 2;
- event attendance: both events in the Liberec Region (CZ051): ULK's 20 outside its region, LBK's 30 in it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import duckdb
import pytest

from pipelines.access import EVERYTHING, Scope
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from pipelines.reference.centres import centre
from support.marts import MartBuilder, home_with_marts

FROM, TO = date(2022, 8, 1), date(2022, 10, 31)
EXACT = Protection.EXACT


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    marts = MartBuilder("ULK")
    for client, district, *days in (("U1", "CZ0427", date(2022, 8, 5)),
                                    ("U2", "CZ0426", date(2022, 9, 1), date(2022, 9, 20)),
                                    ("U3", "CZ0513", date(2022, 9, 3)),
                                    ("U4", "unknown", date(2022, 10, 1))):
        _client(marts, client, district, days)
    marts.event("EU", "lecture_public", date(2022, 9, 12), district="CZ0513", participants=20)
    marts.centre = "LBK"
    for client, district, *days in (("L1", "CZ0513", date(2022, 8, 10)), ("L2", "CZ0514", date(2022, 9, 10)),
                                    ("L3", "CZ0100", date(2022, 10, 10)), ("L4", "CZ0513", date(2022, 11, 5))):
        _client(marts, client, district, days)
    marts.event("EL", "lecture_public", date(2022, 9, 14), district="CZ0513", participants=30)
    residents = {"CZ0427": 2000, "CZ0513": 5000, "CZ042": 10_000, "CZ051": 20_000}
    connection = open_warehouse(home_with_marts(tmp_path_factory.mktemp("two_regions"), marts, residents))
    yield connection
    connection.close()


def _client(marts: MartBuilder, client: str, district: str, days: list[date]) -> None:
    marts.client(f"{client}0000", registered_on=date(2022, 1, 1), district=district)
    for index, day in enumerate(days):
        marts.contact(f"{client}-c{index}", f"{client}0000", day)


def rows(con: duckdb.DuckDBPyConnection, metrics: tuple[str, ...], by: tuple[str, ...],
         where: dict[str, tuple[str, ...]] | None = None, scope: Scope = EVERYTHING) -> list[dict[str, object]]:
    return compute(con, MetricQuery(FROM, TO, metrics, by=by, where=where or {}, protection=EXACT,
                                    scope=scope)).frame.to_dicts()


def test_the_centres_regions_come_from_the_reference() -> None:
    assert (centre("ULK").region_code, centre("LBK").region_code) == ("CZ042", "CZ051")


def test_per_centre_by_district_is_where_the_clients_live(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, ("clients_reached",), ("centre", "district")) == [
        {"centre": "LBK", "district": "CZ0100", "clients_reached": 1},
        {"centre": "LBK", "district": "CZ0513", "clients_reached": 1},
        {"centre": "LBK", "district": "CZ0514", "clients_reached": 1},
        {"centre": "ULK", "district": "CZ0426", "clients_reached": 1},
        {"centre": "ULK", "district": "CZ0427", "clients_reached": 1},
        {"centre": "ULK", "district": "CZ0513", "clients_reached": 1},  # U3: a ULK client living in Liberec
        {"centre": "ULK", "district": "unknown", "clients_reached": 1},
    ]


def test_per_centre_by_region(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, ("clients_reached", "contacts"), ("centre", "region")) == [
        {"centre": "LBK", "region": "CZ010", "clients_reached": 1, "contacts": 1},
        {"centre": "LBK", "region": "CZ051", "clients_reached": 2, "contacts": 2},
        {"centre": "ULK", "region": "CZ042", "clients_reached": 2, "contacts": 3},
        {"centre": "ULK", "region": "CZ051", "clients_reached": 1, "contacts": 1},
        {"centre": "ULK", "region": "unknown", "clients_reached": 1, "contacts": 1},
    ]


def test_outside_the_centres_region_is_derived_from_the_centres_region(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, ("clients_reached",), ("centre", "in_centre_region")) == [
        {"centre": "LBK", "in_centre_region": "no", "clients_reached": 1},  # L3 lives in Prague
        {"centre": "LBK", "in_centre_region": "yes", "clients_reached": 2},
        {"centre": "ULK", "in_centre_region": "no", "clients_reached": 1},  # U3 lives in Liberec
        {"centre": "ULK", "in_centre_region": "unknown", "clients_reached": 1},
        {"centre": "ULK", "in_centre_region": "yes", "clients_reached": 2},
    ]
    # Filtered: both centres' clients living outside their centre's region, U3 and L3.
    assert rows(con, ("clients_reached",), (), {"in_centre_region": ("no",)}) == [{"clients_reached": 2}]


def test_both_centres_together_and_a_filter_on_the_other_region(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, ("clients_reached", "reach_per_1000_foreign"), ("region",)) == [
        {"region": "CZ010", "clients_reached": 1, "reach_per_1000_foreign": None},
        {"region": "CZ042", "clients_reached": 2, "reach_per_1000_foreign": 0.2},
        {"region": "CZ051", "clients_reached": 3, "reach_per_1000_foreign": 0.15},
        {"region": "unknown", "clients_reached": 1, "reach_per_1000_foreign": None},
    ]
    by_district = {r["district"]: (r["clients_reached"], r["reach_per_1000_foreign"])
                   for r in rows(con, ("clients_reached", "reach_per_1000_foreign"), ("district",))}
    assert by_district == {"CZ0100": (1, None), "CZ0426": (1, None), "CZ0427": (1, 0.5), "CZ0513": (2, 0.4),
                           "CZ0514": (1, None), "unknown": (1, None)}
    # ULK's coordinator sees U3 in the Liberec Region, never LBK's clients there.
    assert rows(con, ("clients_reached",), ("centre",), {"region": ("CZ051",)}, Scope(frozenset({"ULK"}))) == [
        {"centre": "ULK", "clients_reached": 1}]


def test_events_by_region_and_in_centre_region(con: duckdb.DuckDBPyConnection) -> None:
    assert rows(con, ("event_attendance",), ("centre", "region", "in_centre_region")) == [
        {"centre": "LBK", "region": "CZ051", "in_centre_region": "yes", "event_attendance": 30},
        {"centre": "ULK", "region": "CZ051", "in_centre_region": "no", "event_attendance": 20},
    ]
