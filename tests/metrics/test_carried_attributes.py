"""The client facts' copies of the client's attributes (macro client_attributes, docs/decisions.md):
the same values as dim_client's, and the same figures whether the metric layer reads them or joins
dim_client (a warehouse built before the copies existed)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.access import EVERYTHING, Scope
from pipelines.home import Home
from pipelines.metrics.catalogue import DIMENSIONS
from pipelines.metrics.engine import carried_attributes, compute
from pipelines.metrics.protection import Protection
from pipelines.metrics.query import MetricQuery
from pipelines.metrics.sql import CARRIED_PREFIX, FAMILIES, Family, family_sql

CLIENT_FACTS = [FAMILIES[f].table for f in Family if FAMILIES[f].names_people]


def _carried_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    client = {c for (c,) in con.execute("SELECT column_name FROM information_schema.columns "
                                        "WHERE table_name = 'dim_client'").fetchall()}
    return [c for (c,) in con.execute("SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                                      "ORDER BY ordinal_position", [table]).fetchall()
            if c.startswith(CARRIED_PREFIX) and c.removeprefix(CARRIED_PREFIX) in client]


@pytest.mark.parametrize("table", CLIENT_FACTS)
def test_every_client_fact_row_carries_its_clients_attributes(table: str, published_home: Home) -> None:
    with duckdb.connect(str(published_home.warehouse_db), read_only=True) as con:
        carried = _carried_columns(con, table)
        # Every attribute a client dimension or the district scope reads from dim_client.
        assert {c.removeprefix(CARRIED_PREFIX) for c in carried} == {
            "nationality", "district", "region", "in_centre_region", "target_group", "sex", "birth_year",
            "residence_status", "residence_district_code"}
        unlike = " OR ".join(f"f.{c} IS DISTINCT FROM d.{c.removeprefix(CARRIED_PREFIX)}" for c in carried)
        [(rows, differing)] = con.execute(
            f"SELECT count(*), count(*) FILTER (WHERE d.client_key IS NULL OR {unlike}) "
            f"FROM {table} f LEFT JOIN dim_client d ON d.client_key = f.client_key").fetchall()
    assert rows > 0 and differing == 0


@pytest.fixture(scope="module")
def without_copies(published_home: Home, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The published warehouse with the facts' copies dropped, as a file built before them has it."""
    path = tmp_path_factory.mktemp("without-copies") / "warehouse.duckdb"
    shutil.copy(published_home.warehouse_db, path)
    with duckdb.connect(str(path)) as con:
        for table in CLIENT_FACTS:
            for column in _carried_columns(con, table):
                con.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        assert not any(_carried_columns(con, table) for table in CLIENT_FACTS)
    return path


def _answers(path: Path, scopes: list[Scope], districts: tuple[str, ...]) -> dict[tuple, object]:
    answers: dict[tuple, object] = {}
    with duckdb.connect(str(path), read_only=True) as con:
        for scope in scopes:
            for by in [(), *[(d.name,) for d in DIMENSIONS], ("month", "target_group"), ("district", "age_band")]:
                for where in ({}, {"district": districts}):
                    for protection in Protection:
                        query = MetricQuery(date_from=date(2022, 8, 1), date_to=date(2023, 1, 31), by=by,
                                            where=where, protection=protection, scope=scope)
                        try:
                            result = compute(con, query)
                        except Exception as error:  # a combination no metric applies to: the same refusal
                            answers[(scope, by, str(where), protection)] = repr(error)
                            continue
                        answers[(scope, by, str(where), protection)] = (result.frame.rows(), result.flags.rows())
    return answers


def test_the_figures_are_the_same_read_from_the_copies_or_joined(published_home: Home, without_copies: Path) -> None:
    with duckdb.connect(str(published_home.warehouse_db), read_only=True) as con:
        codes = [c for (c,) in con.execute("SELECT DISTINCT residence_district_code FROM dim_client "
                                           "WHERE residence_district_code IS NOT NULL ORDER BY 1").fetchall()]
        districts = tuple(d for (d,) in con.execute("SELECT DISTINCT district FROM dim_client ORDER BY 1 LIMIT 2"
                                                    ).fetchall())
    scopes = [EVERYTHING, Scope(centres=frozenset({"ULK"}), districts=frozenset(codes[:1]))]
    carried = _answers(published_home.warehouse_db, scopes, districts)
    joined = _answers(without_copies, scopes, districts)
    assert carried == joined
    # ... and the two really took the two ways: the copies where the facts have them, the join where not.
    for path, join in ((published_home.warehouse_db, False), (without_copies, True)):
        with duckdb.connect(str(path), read_only=True) as con:
            read = family_sql(Family.ACTIVITIES, date(2022, 8, 1), date(2023, 1, 31), ("nationality",), {},
                              ["clients_reached"], scope=scopes[1], carried=carried_attributes(con, Family.ACTIVITIES))
        assert ("JOIN dim_client c" in read.text) is join, read.text
    assert sum(not isinstance(answer, str) for answer in carried.values()) > 100  # most are figures, not refusals
