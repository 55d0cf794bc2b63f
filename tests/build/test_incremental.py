"""An incremental build publishes the same marts as a build from scratch, and does less work.

One home takes a sequence of deliveries built one after the other (a delivery set aside, a
correction of an earlier month's record, a client's change of district, an orphan's client
arriving, a retraction of a client cascading to their records, a retracted contact); a copy of it
is then built from scratch (`reach build --full`). Every table of the main and intermediate
schemas, and of the seeds' (`reference`, which an incremental build takes over), must hold the same
rows (EXCEPT ALL both ways), and the incremental builds must have
resolved only the records the new deliveries touched (counted by the replace_keys strategy).
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines import audit
from pipelines.deliveries import set_aside
from pipelines.home import Home
from reach.build import build_warehouse
from reach.cli import main
from support.raw_rows import Delivery, client, query, write_raw

pytestmark = pytest.mark.slow

GATE_RECORDS = ("quality_runs", "quality_results")  # the gate's run records carry their times
BASE_CLIENTS = [f"base{i:02d}" for i in range(20)]  # clients no later delivery touches
BASE_CONTACTS = 3  # per base client


def contact(delivery: Delivery, contact_id: str, client_id: str, day: date, **values: object) -> Delivery:
    defaults = {"service": "social_counselling", "topic": "residence", "mode": "in_person", "duration_min": 45,
                "branch": "Ústí nad Labem", "interpreted": False, "deleted": False}
    return delivery.add("contacts", contact_id=contact_id, client_id=client_id, contact_date=day,
                        **(defaults | values))


def outcome(delivery: Delivery, outcome_id: str, client_id: str, day: date, **values: object) -> Delivery:
    defaults = {"outcome": "employment_found", "verified": True, "deleted": False}
    return delivery.add("outcomes", outcome_id=outcome_id, client_id=client_id, outcome_date=day,
                        **(defaults | values))


def august() -> Delivery:
    d = Delivery(1)
    for name in ["anna-01", "boris-01", "cyril-01", *BASE_CLIENTS]:
        client(d, name)
    for name in BASE_CLIENTS:
        for n in range(BASE_CONTACTS):
            contact(d, f"{name}-k{n}", name, date(2022, 8, 2 + n))
    contact(d, "a1", "anna-01", date(2022, 8, 3))
    contact(d, "b1", "boris-01", date(2022, 8, 4))
    contact(d, "c1", "cyril-01", date(2022, 8, 5))
    contact(d, "g1", "gustav-01", date(2022, 8, 6))  # an orphan: gustav-01 is not delivered yet
    outcome(d, "oa", "anna-01", date(2022, 8, 20))
    outcome(d, "oc", "cyril-01", date(2022, 8, 21))
    return d


def mistaken_september() -> Delivery:
    """Set aside after it was built: its rows must stop counting."""
    d = Delivery(2)
    contact(d, "a2", "anna-01", date(2022, 9, 1))
    contact(d, "b1", "boris-01", date(2022, 8, 4), duration_min=500)
    client(d, "boris-01", sex="male")
    return d


def september() -> Delivery:
    d = Delivery(3)
    contact(d, "a3", "anna-01", date(2022, 9, 2))
    contact(d, "b3", "boris-01", date(2022, 9, 3))
    return d


def october() -> Delivery:
    d = Delivery(4)
    contact(d, "a1", "anna-01", date(2022, 8, 3), service="legal_counselling", duration_min=90)  # August corrected
    contact(d, "a4", "anna-01", date(2022, 10, 1))
    client(d, "boris-01", district="CZ0421")  # moved: every fact of boris-01 follows in the derived columns
    client(d, "gustav-01", citizenship="VN", residence_status="long_term")  # the orphan's client arrives
    return d


def november() -> Delivery:
    d = Delivery(5)
    client(d, "cyril-01", deleted=True)  # retracted: c1 and oc go with him
    contact(d, "a3", "anna-01", date(2022, 9, 2), deleted=True)
    contact(d, "b5", "boris-01", date(2022, 11, 2))
    return d


def tables(con: duckdb.DuckDBPyConnection, catalog: str) -> dict[str, list[str]]:
    rows = con.execute(
        "SELECT schema_name || '.' || table_name, column_name FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name IN ('main', 'intermediate', 'reference') "
        "ORDER BY schema_name, table_name, column_index", [catalog]).fetchall()
    out: dict[str, list[str]] = {}
    for table, column in rows:
        if table.split(".")[1] not in GATE_RECORDS:
            out.setdefault(table, []).append(column)
    return out


def differences(left: Path, right: Path) -> dict[str, tuple[int, int]]:
    """table -> (rows only in left, rows only in right), for the tables whose rows differ."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH '{left}' AS l (READ_ONLY)")  # paths of the test's own temporary folder
        con.execute(f"ATTACH '{right}' AS r (READ_ONLY)")
        assert tables(con, "l") == tables(con, "r"), "the same tables with the same columns"
        found = {}
        for table in tables(con, "l"):
            only = [con.execute(f"SELECT count(*) FROM (SELECT * FROM {a}.{table} EXCEPT ALL "
                                f"SELECT * FROM {b}.{table})").fetchall()[0][0] for a, b in (("l", "r"), ("r", "l"))]
            if any(only):
                found[table] = (only[0], only[1])
        return found
    finally:
        con.close()


def test_incremental_builds_publish_what_a_full_build_does(tmp_path: Path) -> None:
    home = Home(tmp_path / "incremental").ensure()
    write_raw(home, august())
    first = build_warehouse(home)
    assert first.dbt.kind.startswith("full build (no published warehouse")
    assert first.dbt.seeds > 0 and not first.dbt.seeds_kept

    write_raw(home, mistaken_september())
    assert build_warehouse(home).dbt.kind.startswith("incremental build (1 new delivery")
    assert query(home, "SELECT count(*) FROM fct_contacts WHERE contact_id = 'a2'") == [(1,)]
    set_aside(home, Delivery(2).delivery_id, "wrong month", audit.Actor("tester", "operator", "local"))

    write_raw(home, september())
    after_set_aside = build_warehouse(home)
    assert after_set_aside.dbt.kind == "full build (a delivery was set aside since the last build)"

    write_raw(home, october())
    october_build = build_warehouse(home)
    assert october_build.dbt.kind.startswith("incremental build (1 new delivery")
    # Resolved again: a1 and a4 (delivered), b1 and b3 (boris-01 re-delivered), g1 (gustav-01 arrived).
    assert october_build.dbt.incremental_work["int_contacts"] == (5, 5)
    assert october_build.dbt.incremental_work["int_clients_latest"] == (2, 2)
    assert query(home, "SELECT count(*) FROM intermediate.int_contacts") == [(len(BASE_CLIENTS) * BASE_CONTACTS + 7,)]

    write_raw(home, november())
    november_build = build_warehouse(home)
    # a3 and b5 delivered; c1 (cyril-01 retracted); b1, b3 not: boris-01 was not delivered again.
    assert november_build.dbt.incremental_work["int_contacts"] == (3, 1)
    assert november_build.dbt.incremental_work["int_outcomes"] == (1, 0)
    # The seeds came with the published file (compared with the full build's below), not from dbt.
    assert november_build.dbt.seeds_kept and november_build.dbt.seeds == 0

    # What the sequence must have done, so the comparison below compares something.
    assert query(home, "SELECT service, duration_min FROM fct_contacts WHERE contact_id = 'a1'") == [
        ("legal_counselling", 90)]
    assert query(home, "SELECT contact_id FROM fct_contacts WHERE client_key IN ('ULK:anna-01', 'ULK:boris-01', "
                       "'ULK:cyril-01', 'ULK:gustav-01') ORDER BY 1") == [("a1",), ("a4",), ("b1",), ("b3",), ("b5",),
                                                                    ("g1",)]
    assert query(home, "SELECT district, sex FROM dim_client WHERE client_id = 'boris-01'") == [("CZ0421", "female")]
    assert query(home, "SELECT count(*) FROM fct_outcomes") == [(1,)]

    scratch = Home(tmp_path / "scratch")
    shutil.copytree(home.root, scratch.root)
    assert main(["--home", str(scratch.root), "build", "--full"]) == 0
    assert differences(home.warehouse_db, scratch.warehouse_db) == {}


def test_a_changed_project_builds_from_scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import reach.build_state as build_state

    home = Home(tmp_path / "home").ensure()
    write_raw(home, august())
    build_warehouse(home)
    assert build_warehouse(home).dbt.kind.startswith("incremental build (0 new deliveries")
    monkeypatch.setattr(build_state, "project_fingerprint", lambda _project: "0" * 64)  # as if a seed changed
    summary = build_warehouse(home)
    assert summary.dbt.kind == "full build (the dbt project, its seeds or the dbt version changed)"
    assert summary.dbt.incremental_work == {}
