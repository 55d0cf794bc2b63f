"""The record keys a real build adds (pipelines/disclosure/record_keys.py), checked row by row against
HMAC-SHA256 computed in Python and against dim_client, on the file the pipeline published."""

from __future__ import annotations

import duckdb
import pytest

from pipelines.disclosure.record_keys import FACTS
from pipelines.disclosure.secret import read_secret, record_key
from pipelines.home import Home

KEY_COLUMNS = {"record_key": "INTEGER", "person_code": "BIGINT", "national_code": "BIGINT"}


@pytest.fixture(scope="module")
def con(published_home: Home) -> duckdb.DuckDBPyConnection:
    connection = duckdb.connect(str(published_home.warehouse_db), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def key_range(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT key_range FROM disclosure_meta").fetchall()[0][0])


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[tuple[str, str]]:
    return con.execute("SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'main' "
                       "AND table_name = ? ORDER BY column_index", [table]).fetchall()


def test_every_client_has_its_hmac_key_and_codes_unique_per_person(published_home: Home,
                                                                   con: duckdb.DuckDBPyConnection,
                                                                   key_range: int) -> None:
    secret = read_secret(published_home)
    assert secret is not None
    rows = con.execute("SELECT client_key, linkage_key, record_key, person_code, national_key, national_code "
                       "FROM dim_client").fetchall()
    assert len(rows) > 100
    assert _columns(con, "dim_client")[-4:] == [("record_key", "INTEGER"), ("person_code", "BIGINT"),
                                                 ("national_key", "VARCHAR"), ("national_code", "BIGINT")]
    for client_key, linkage_key, key, person_code, national_key, national_code in rows:
        assert key == record_key(secret, "client", client_key, key_range)
        assert person_code % key_range == key
        assert national_key == (f"linkage:{linkage_key}" if linkage_key else client_key)
        assert national_code % key_range == record_key(secret, "client", national_key, key_range)
    assert len({row[3] for row in rows}) == len(rows)  # one person code per client
    by_national_key = {}
    for row in rows:
        by_national_key.setdefault(row[4], set()).add(row[5])
    assert all(len(codes) == 1 for codes in by_national_key.values())
    assert len({row[5] for row in rows}) == len(by_national_key)  # one national code per person


@pytest.mark.parametrize("fact", FACTS, ids=lambda fact: fact.table)
def test_every_fact_row_carries_its_clients_codes_and_its_own_hmac_key(fact, published_home: Home,
                                                                       con: duckdb.DuckDBPyConnection,
                                                                       key_range: int) -> None:
    secret = read_secret(published_home)
    assert secret is not None
    expected = [(name, KEY_COLUMNS[name]) for name in ("person_code", "national_code") if fact.names_client]
    if fact.record_kind:
        expected.append(("record_key", "INTEGER"))
    assert _columns(con, fact.table)[-len(expected):] == expected  # appended after dbt's columns
    total = con.execute(f"SELECT count(*) FROM {fact.table}").fetchall()[0][0]
    assert total > 0
    if fact.names_client:
        mismatched = con.execute(f"""
            SELECT count(*) FROM {fact.table} t LEFT JOIN dim_client p ON p.client_key = t.client_key
            WHERE t.person_code IS DISTINCT FROM p.person_code OR t.national_code IS DISTINCT FROM p.national_code
               OR t.person_code IS NULL""").fetchall()[0][0]
        assert mismatched == 0
    if fact.record_kind:
        rows = con.execute(f"SELECT {fact.record_column}, record_key FROM {fact.table}").fetchall()
        assert all(key == record_key(secret, fact.record_kind, str(value), key_range) for value, key in rows)
