"""The warehouse built by dbt for two centres in two regions: a client's district, region and centre's
region come from the reference data, not from a list of one region's districts."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import duckdb
import pytest

from pipelines.home import Home
from reach.build import run_dbt
from support.raw_rows import Delivery, client, write_raw

pytestmark = pytest.mark.slow

AUG = date(2022, 8, 15)


def deliveries() -> list[Delivery]:
    ulk, lbk = Delivery(1, centre="ULK"), Delivery(2, centre="LBK")
    client(ulk, "ulk-own01", district="CZ0426")  # Teplice, in the Ústí Region
    client(ulk, "ulk-lib01", district="CZ0513")  # Liberec: another centre's region
    client(ulk, "ulk-unk01", district=None)
    client(lbk, "lbk-lib01", district="CZ0513")  # Liberec, in LBK's own region
    client(lbk, "lbk-prg01", district="CZ0100")
    for delivery, event_id, district in ((ulk, "ulk-event", "CZ0513"), (lbk, "lbk-event", "CZ0513")):
        delivery.add("events", event_id=event_id, event_type="lecture_public", event_date=AUG, district=district,
                     audience="public", participants=20, participants_foreign=5, deleted=False)
    return [ulk, lbk]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[duckdb.DuckDBPyConnection]:
    home = Home(tmp_path_factory.mktemp("region_marts")).ensure()
    write_raw(home, *deliveries())
    build_db = home.builds_dir / "regions.duckdb"
    run_dbt(home, build_db, home.builds_dir / "target")  # dbt build: seeds, models, data and unit tests
    con = duckdb.connect(str(build_db), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, sql: str) -> list[tuple[Any, ...]]:
    return con.execute(sql).fetchall()


def test_district_is_where_the_client_lives_and_the_centres_region_decides_in_centre_region(
    built: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(built, """select client_key, district, residence_district_code, region, centre_region,
                                 in_centre_region from dim_client order by client_key""") == [
        ("LBK:lbk-lib01", "CZ0513", "CZ0513", "CZ051", "CZ051", "yes"),
        ("LBK:lbk-prg01", "CZ0100", "CZ0100", "CZ010", "CZ051", "no"),
        ("ULK:ulk-lib01", "CZ0513", "CZ0513", "CZ051", "CZ042", "no"),
        ("ULK:ulk-own01", "CZ0426", "CZ0426", "CZ042", "CZ042", "yes"),
        ("ULK:ulk-unk01", "unknown", "unknown", "unknown", "CZ042", "unknown"),
    ]


def test_events_keep_their_district_and_compare_its_region_with_their_centres(
    built: duckdb.DuckDBPyConnection,
) -> None:
    assert rows(built, """select event_key, district, region, centre_region, in_centre_region
                          from fct_events order by 1""") == [
        ("LBK:lbk-event", "CZ0513", "CZ051", "CZ051", "yes"),
        ("ULK:ulk-event", "CZ0513", "CZ051", "CZ042", "no"),
    ]


def test_dim_region_and_dim_centre(built: duckdb.DuckDBPyConnection) -> None:
    assert rows(built, "select count(*) from dim_region where code <> 'unknown'") == [(14,)]
    assert rows(built, """select name, name_en, population, population_year, foreign_residents,
                                 foreign_residents_year, foreign_residents_basis
                          from dim_region where code = 'CZ042'""") == [
        ("Ústecký kraj", "Ústí nad Labem Region", 798_898, 2021, 61_437, 2022, "published")]
    assert rows(built, "select foreign_residents from dim_region where code = 'CZ051'") == [(None,)]
    assert rows(built, "select count(*), count(distinct region_code) from dim_centre") == [(14, 14)]
    assert rows(built, "select region_name, project_code, project_from from dim_centre where code = 'ULK'") == [
        ("Ústecký kraj", "AMIF/31/03", date(2022, 8, 1))]
    assert rows(built, "select region_code from dim_district where code = 'CZ0513'") == [("CZ051",)]
