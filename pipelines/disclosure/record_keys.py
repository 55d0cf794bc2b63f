"""Record keys in the build file (disclosure.md, rule 1): every person and every record gets one.

Run by `reach build` after dbt and before the gate, on the new build file only. The secret is
passed to DuckDB as two query parameters (secret.hmac_parameters) and never written anywhere:
what the build file gains are the keys and the secret's fingerprint.

- `dim_client.record_key`: the person's key, `[0, key_range)`; `dim_client.person_code` =
  (the client's rank by client_key) * key_range + record_key: one number per person, so a
  count of distinct people can carry `sum(DISTINCT person_code) % key_range`, the sum of the
  distinct people's keys, beside it in the same aggregate (pipelines/metrics/cell_key.py).
- every fact table naming a client gets the client's `person_code`; every fact table of
  records (contacts, enrolments, participations, outcomes, events) its record's `record_key`.
- across centres a client is the same person only through the linkage key (metrics.md):
  `dim_client.national_key` is `linkage:` and the linkage key where the client has one, else the
  client_key; `national_code` is person_code's counterpart over national keys (one number per
  person, whichever centres served them, its key the HMAC of the national key), carried by every
  fact table naming a client. `dim_person` has one row per national code with the person's first
  registration; `people_linkage` says per centre whether every one of its clients has a linkage key
  (only then may counts over several centres count each person once: pipelines/metrics/linkage.py).
- `disclosure_meta`: the fingerprint of the secret and the key range, so the next build can
  tell a lost or replaced secret (secret.secret_for_build).
- `disclosure_ptable`: the perturbation table the figures of this file are published with, as
  key intervals (ptable.Ptable.intervals), so readers look it up instead of building it.

The keys are added as columns and filled in place, so readers see the rows in the order dbt wrote them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from pipelines.database import insert_rows
from pipelines.disclosure.ptable import cached_ptable, ptable
from pipelines.disclosure.secret import fingerprint, hmac_parameters, record_key_sql
from pipelines.errors import ReachError

META_TABLE = "disclosure_meta"
PTABLE_TABLE = "disclosure_ptable"
PERSON_TABLE = "dim_person"
LINKAGE_TABLE = "people_linkage"
# Who a client is across centres: the linkage key where delivered, else the centre's own client.
NATIONAL_KEY_SQL = "coalesce('linkage:' || t.linkage_key, t.client_key)"
# The columns this module adds, with their types (dim_client gets all four; facts the codes and record_key).
KEY_TYPES = {"record_key": "INTEGER", "person_code": "BIGINT", "national_key": "VARCHAR", "national_code": "BIGINT"}


@dataclass(frozen=True)
class Keyed:
    """One fact table: the kind word and key column of its record keys (None: people only)."""

    table: str
    record_kind: str | None
    record_column: str | None
    names_client: bool = True


FACTS = (
    Keyed("fct_activities", None, None),  # counted only as people (clients reached)
    Keyed("fct_contacts", "contact", "contact_key"),
    Keyed("fct_course_enrolments", "enrolment", "enrolment_key"),
    Keyed("fct_event_participation", "participation", "participation_key"),
    Keyed("fct_outcomes", "outcome", "outcome_key"),
    Keyed("fct_events", "event", "event_key", names_client=False),
)


def recorded_fingerprint(warehouse_db: Path) -> str | None:
    """The fingerprint the published warehouse recorded; None before its first build with keys."""
    if not warehouse_db.exists():
        return None
    try:
        with duckdb.connect(str(warehouse_db), read_only=True) as con:
            found = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' "
                                "AND table_name = ?", [META_TABLE]).fetchall()[0][0]
            if not found:
                return None
            rows = con.execute(f"SELECT fingerprint FROM {META_TABLE}").fetchall()
    except duckdb.Error as error:
        raise ReachError(f"The published warehouse {warehouse_db} cannot be read ({error}).") from None
    return str(rows[0][0]) if rows else None


def add_record_keys(build_db: Path, secret: bytes, ptable_cache: Path | None = None) -> None:
    """Add the record keys and the fingerprint to the new build file (see the module's docstring);
    `ptable_cache`: where the perturbation table is kept between builds (ptable.cached_ptable)."""
    table = ptable() if ptable_cache is None else cached_ptable(ptable_cache)
    key_range = table.parameters.key_range
    parameters = hmac_parameters(secret)
    with duckdb.connect(str(build_db)) as con:
        _add_client_codes(con, key_range, parameters)
        _add_people_tables(con)
        for fact in FACTS:
            _add_fact_keys(con, fact, key_range, parameters)
        con.execute(f"CREATE OR REPLACE TABLE {META_TABLE} AS SELECT $fingerprint AS fingerprint, "
                    "$key_range::INTEGER AS key_range", {"fingerprint": fingerprint(secret), "key_range": key_range})
        con.execute(f"CREATE OR REPLACE TABLE {PTABLE_TABLE} (row_count INTEGER, first_key INTEGER, "
                    "last_key INTEGER, deviation INTEGER)")
        insert_rows(con, PTABLE_TABLE, ("row_count", "first_key", "last_key", "deviation"),
                    [list(i) for i in table.intervals()])
        con.execute("CHECKPOINT")


def _add_client_codes(con: duckdb.DuckDBPyConnection, key_range: int, parameters: dict[str, object]) -> None:
    """dim_client's record_key, person_code, national_key and national_code (the module's docstring),
    added as columns and filled by one UPDATE (see `_add_columns`)."""
    person_key = record_key_sql("client", "t.client_key", key_range)
    national_person_key = record_key_sql("client", "k.national_key", key_range)
    _add_columns(con, "dim_client", list(KEY_TYPES))
    # The ranks make each code unique per person; modulo the key range a code is the person's key.
    # Without a linkage key the national key is the client_key, whose key record_key already is.
    con.execute(f"""
        UPDATE dim_client AS d
        SET record_key = c.record_key, person_code = c.person_code, national_key = c.national_key,
            national_code = c.national_code
        FROM (SELECT k.client_key, k.record_key, k.national_key,
                     (dense_rank() OVER (ORDER BY k.client_key))::BIGINT * {key_range} + k.record_key AS person_code,
                     (dense_rank() OVER (ORDER BY k.national_key))::BIGINT * {key_range} + CASE
                         WHEN k.linkage_key IS NULL THEN k.record_key ELSE {national_person_key} END AS national_code
              FROM (SELECT t.client_key, t.linkage_key, {person_key}::INTEGER AS record_key,
                           {NATIONAL_KEY_SQL} AS national_key
                    FROM dim_client t) k) c
        WHERE c.client_key = d.client_key
    """, parameters)


def _add_fact_keys(con: duckdb.DuckDBPyConnection, fact: Keyed, key_range: int,
                   parameters: dict[str, object]) -> None:
    """A fact table's person_code and national_code (from dim_client) and record_key, by one UPDATE."""
    columns: list[str] = []
    assignments: list[str] = []
    if fact.names_client:
        columns += ["person_code", "national_code"]
        assignments += ["person_code = p.person_code", "national_code = p.national_code"]
    if fact.record_kind and fact.record_column:
        columns.append("record_key")
        sql = record_key_sql(fact.record_kind, f"t.{fact.record_column}", key_range)
        assignments.append(f"record_key = {sql}::INTEGER")
    _add_columns(con, fact.table, columns)
    # client_key is dim_client's key, so each row matches at most one client; a row naming no
    # client (or one dim_client lacks) keeps NULL codes, which the check below refuses.
    joined = "FROM dim_client p WHERE p.client_key = t.client_key" if fact.names_client else ""
    con.execute(f"UPDATE {fact.table} AS t SET {', '.join(assignments)} {joined}",
                parameters if fact.record_kind else {})
    if fact.names_client:
        missing = con.execute(f"SELECT count(*) FROM {fact.table} WHERE person_code IS NULL").fetchall()
        if missing[0][0]:
            raise ReachError(f"{missing[0][0]} row(s) of {fact.table} name a client dim_client lacks; "
                             "their record keys cannot be made (the build was not published).")


def _add_people_tables(con: duckdb.DuckDBPyConnection) -> None:
    """dim_person and people_linkage (see the module's docstring)."""
    con.execute(f"CREATE OR REPLACE TABLE {PERSON_TABLE} AS SELECT national_code AS person_code, "
                "any_value(national_key) AS national_key, min(registered_on) AS registered_on "
                "FROM dim_client GROUP BY national_code ORDER BY national_code")
    con.execute(f"CREATE OR REPLACE TABLE {LINKAGE_TABLE} AS SELECT centre, count(*) AS clients, "
                "count(linkage_key) AS linked_clients FROM dim_client GROUP BY centre ORDER BY centre")


def _add_columns(con: duckdb.DuckDBPyConnection, table: str, columns: list[str]) -> None:
    """Append the empty KEY_TYPES `columns` to `table` (a table of this module's, never user text).

    Adding columns and filling them by UPDATE writes only the new columns at the checkpoint and
    keeps the rows where dbt wrote them; rewriting the whole table with them (CREATE OR REPLACE
    ... AS SELECT) copies every column (a 3.2 M-row, 12-column table: 4.3 s against 1.0 s,
    docs/performance.md).
    """
    for name in columns:
        con.execute(f"ALTER TABLE {table} ADD COLUMN {name} {KEY_TYPES[name]}")
