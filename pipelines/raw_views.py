"""Which loaded rows count: the one definition the build (dbt sources) and the gate share.

The raw layer is append-only: every version of every record stays in raw.duckdb forever. What
counts is narrower, in two steps:

- **kept**: the rows of every delivery that is not set aside (`reach deliveries set-aside`,
  register in `meta.set_aside_deliveries`, pipelines/deliveries.py). Applies to the raw tables
  and to the load records (meta.*) that name a delivery.
- **current**: of the kept rows, the latest version of each record ("latest wins":
  `_load_seq DESC, _source_row DESC` per (`_centre`, key columns), as the staging macro
  `latest_version` resolves it), without retracted records (`Smazáno`) and, for records naming
  a client, without those of a retracted client (the cascade of `client_child_latest`).

dbt reads `kept` through its sources (a per-build file of views, `write_source_views`), so a set-aside
delivery's rows stop counting everywhere in the warehouse; the raw-layer gate rules evaluate
`current` (and `kept` for per-delivery and load-record warnings), so a later corrected delivery
lifts a rule that an earlier delivery broke (docs/quality.md).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.contract import FILES, ExportFile
from pipelines.database import attach, identifier

RAW_SCHEMA = "raw"
META_SCHEMA = "meta"
SET_ASIDE_TABLE = "set_aside_deliveries"  # in META_SCHEMA of raw.duckdb
# The name dbt's profile gives raw.duckdb; the source views refer to it (profiles.yml).
RAW_LAYER_ALIAS = "raw_layer"
LATEST_ORDER = "_load_seq DESC, _source_row DESC"


def _tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> dict[str, set[str]]:
    """Tables of catalog.schema with their column names."""
    rows = con.execute(
        "SELECT table_name, column_name FROM duckdb_columns() WHERE database_name = ? AND schema_name = ?",
        [catalog, schema],
    ).fetchall()
    tables: dict[str, set[str]] = {}
    for table, column in rows:
        tables.setdefault(table, set()).add(column)
    return tables


def _kept_select(source: str, columns: set[str], register: str | None) -> str:
    """SELECT of a table's rows without those of set-aside deliveries."""
    column = "_delivery_id" if "_delivery_id" in columns else "delivery_id" if "delivery_id" in columns else None
    if register is None or column is None:
        return f"SELECT * FROM {source}"
    return f"SELECT * FROM {source} WHERE {column} NOT IN (SELECT delivery_id FROM {register})"


def create_kept_views(con: duckdb.DuckDBPyConnection, *, raw_catalog: str, into_catalog: str,
                      raw_schema: str = RAW_SCHEMA, meta_schema: str = META_SCHEMA) -> None:
    """Views `into_catalog.raw_schema.<raw table>` and `into_catalog.meta_schema.<meta table>`
    over the raw layer attached as `raw_catalog`, without the rows of set-aside deliveries."""
    raw_tables = _tables(con, raw_catalog, RAW_SCHEMA)
    meta_tables = _tables(con, raw_catalog, META_SCHEMA)
    register = (f"{identifier(raw_catalog)}.{META_SCHEMA}.{SET_ASIDE_TABLE}"
                if SET_ASIDE_TABLE in meta_tables else None)
    meta_tables.pop(SET_ASIDE_TABLE, None)
    for from_schema, to_schema, tables in ((RAW_SCHEMA, raw_schema, raw_tables),
                                           (META_SCHEMA, meta_schema, meta_tables)):
        target = f"{identifier(into_catalog)}.{identifier(to_schema)}"
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {target}")
        for table, columns in sorted(tables.items()):
            source = f"{identifier(raw_catalog)}.{from_schema}.{identifier(table)}"
            con.execute(f"CREATE OR REPLACE VIEW {target}.{identifier(table)} AS "
                        + _kept_select(source, columns, register))


def _latest(source: str, export: ExportFile) -> str:
    keys = [c.name for c in export.key_columns]
    # A row without a key cannot be superseded (the loader quarantines those): each one stays.
    unkeyed = " OR ".join(f"{k} IS NULL" for k in keys)
    return (f"SELECT * FROM {source} QUALIFY row_number() OVER "
            f"(PARTITION BY _centre, {', '.join(keys)} ORDER BY {LATEST_ORDER}) = 1 OR {unkeyed}")


def current_select(kept_schema: str, export: ExportFile) -> str:
    """The current records of one raw table, from its kept view in `kept_schema` (catalog.schema)."""
    sql = f"SELECT latest.* FROM ({_latest(f'{kept_schema}.{export.table}', export)}) AS latest"
    sql += " WHERE NOT coalesce(latest.deleted, false)"
    if any(c.references_client for c in export.columns):
        clients = next(f for f in FILES if f.table == "clients")
        register = _latest(f"{kept_schema}.{clients.table}", clients)
        sql += (f" AND NOT EXISTS (SELECT 1 FROM ({register}) AS register WHERE register._centre = latest._centre"
                " AND register.client_id = latest.client_id AND coalesce(register.deleted, false))")
    return sql


def create_current_views(con: duckdb.DuckDBPyConnection, *, kept_schema: str, into: str) -> None:
    """Views `into.<raw table>` (into = catalog.schema, quoted) of the current records."""
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {into}")
    for export in FILES:
        view = f"{into}.{identifier(export.table)}"
        con.execute(f"CREATE OR REPLACE VIEW {view} AS {current_select(kept_schema, export)}")


def write_source_views(raw_db: Path, path: Path) -> None:
    """A DuckDB file of views `raw.<table>` and `meta.<table>` over raw.duckdb (attached as
    RAW_LAYER_ALIAS) without set-aside deliveries: what dbt reads as its sources."""
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        attach(con, raw_db, RAW_LAYER_ALIAS, read_only=True)
        catalog = str(con.execute("SELECT current_database()").fetchall()[0][0])
        create_kept_views(con, raw_catalog=RAW_LAYER_ALIAS, into_catalog=catalog)
        con.execute(f"DETACH {RAW_LAYER_ALIAS}")
    finally:
        con.close()
