"""Builds over generated, loaded samples: the published marts agree with an independent
Python reading of the raw layer (latest wins, retractions, cascades, orphans)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.generate import generate_sample
from pipelines.home import Home
from pipelines.ingest import load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from reach.build import build_warehouse
from reach.commands.demo import deliveries_in

pytestmark = pytest.mark.slow

CONTRACT_MARTS = {
    "dim_client", "fct_contacts", "fct_course_enrolments", "fct_event_participation", "fct_events", "fct_outcomes",
    "fct_activities", "dim_country", "dim_district", "dim_service", "dim_outcome", "dim_date", "mart_deliveries",
    "mart_load_files", "mart_quarantine", "mart_branch_month_contacts",
}


def raw_rows(home: Home, table: str) -> list[dict[str, Any]]:
    with connect_raw_layer(str(home.raw_db), read_only=True) as con:
        cursor = con.execute(f"select * from raw.{table}")
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def latest(rows: Iterable[dict[str, Any]], *key: str) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The oracle of "latest delivery wins": the highest (_load_seq, _source_row) per centre + key."""
    current: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        identity = (row["_centre"], *(row[k] for k in key))
        held = current.get(identity)
        if held is None or (row["_load_seq"], row["_source_row"]) > (held["_load_seq"], held["_source_row"]):
            current[identity] = row
    return current


def expected_keys(home: Home) -> tuple[set[str], set[str], set[str]]:
    """(client keys, contact keys, orphan contact keys) as the contracts define them."""
    clients = latest(raw_rows(home, "clients"), "client_id")
    delivered = {(centre, cid) for centre, cid in clients}
    retracted = {(centre, cid) for (centre, cid), row in clients.items() if row["deleted"]}
    live_clients = {f"{centre}:{cid}" for centre, cid in delivered - retracted}
    contacts = latest(raw_rows(home, "contacts"), "contact_id")
    live_contacts, orphans = set(), set()
    for (centre, contact_id), row in contacts.items():
        owner = (centre, row["client_id"])
        if row["deleted"] or owner in retracted:
            continue
        (live_contacts if owner in delivered else orphans).add(f"{centre}:{contact_id}")
    return live_clients, live_contacts, orphans


def published(home: Home, sql: str) -> list[tuple[Any, ...]]:
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_published_sample_holds_the_contract_marts(published_home: Home) -> None:
    tables = {row[0] for row in published(published_home, "select table_name from duckdb_tables() "
                                                          "where schema_name = 'main'")}
    assert tables >= CONTRACT_MARTS
    assert published(published_home, "select count(*) from duckdb_views() where not internal") == [(0,)]
    for table in ("dim_client", "fct_contacts", "fct_activities", "fct_events"):
        assert published(published_home, f"select count(*) from {table}")[0][0] > 0, table


def test_published_sample_agrees_with_the_raw_layer(published_home: Home) -> None:
    clients, contacts, orphans = expected_keys(published_home)
    assert {r[0] for r in published(published_home, "select client_key from dim_client")} == clients
    assert {r[0] for r in published(published_home, "select contact_key from fct_contacts")} == contacts
    assert {r[0] for r in published(published_home, "select contact_key from intermediate.int_contacts "
                                                    "where is_orphan")} == orphans


@pytest.fixture(scope="module")
def messy_home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    root = tmp_path_factory.mktemp("messy")
    generate_sample(root / "sample", clients=200, months=4, start=date(2022, 8, 1), seed=3, messy=True)
    home = Home(root / "home").ensure()
    load_paths(home, [Path(p) for p in deliveries_in(root / "sample")], centre="ULK")
    build_warehouse(home)
    return home


def test_messy_sample_builds_and_publishes(messy_home: Home) -> None:
    clients, contacts, orphans = expected_keys(messy_home)
    assert orphans, "the messy sample is expected to hold at least one orphan contact"
    assert {r[0] for r in published(messy_home, "select client_key from dim_client")} == clients
    assert {r[0] for r in published(messy_home, "select contact_key from fct_contacts")} == contacts
    orphan_rows = published(messy_home, "select count(*) from mart_quarantine "
                                        "where kind = 'orphan' and file_kind = 'kontakty'")
    assert orphan_rows == [(len(orphans),)]
    assert [p for p in messy_home.builds_dir.iterdir() if p.suffix == ".duckdb"] == []


def test_messy_sample_quarantine_is_copied(messy_home: Home) -> None:
    with connect_raw_layer(str(messy_home.raw_db), read_only=True) as con:
        loaded = con.execute("select count(*) from meta.quarantine").fetchone()
    assert published(messy_home, "select count(*) from mart_quarantine where kind = 'quarantine'") == [loaded]
