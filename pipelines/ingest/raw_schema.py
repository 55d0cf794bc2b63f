"""DDL of the raw layer: the loaded history (raw.*) and load records (meta.*) in raw.duckdb.

The raw tables hold every version of every record ever delivered, typed and mapped to
canonical codes, with lineage. The warehouse (dbt) resolves "latest delivery wins" from
`_load_seq` (higher = loaded later) and, within one delivery, `_source_row`.
"""

from __future__ import annotations

import duckdb

from pipelines.contract import FILES, ColumnType, ExportFile
from pipelines.database import attach

SQL_TYPES = {
    ColumnType.CLIENT_ID: "VARCHAR",
    ColumnType.KEY: "VARCHAR",
    ColumnType.TEXT: "VARCHAR",
    ColumnType.ENUM: "VARCHAR",
    ColumnType.COUNTRY: "VARCHAR",
    ColumnType.DISTRICT: "VARCHAR",
    ColumnType.DATE: "DATE",
    ColumnType.INTEGER: "INTEGER",
    ColumnType.DECIMAL: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.LINKAGE_KEY: "VARCHAR",
}

# Lineage carried by every raw row.
LINEAGE_COLUMNS = {
    "_centre": "VARCHAR NOT NULL",  # centre code given at load
    "_delivery_id": "VARCHAR NOT NULL",  # meta.deliveries.delivery_id
    "_load_seq": "BIGINT NOT NULL",  # order of loading; the latest wins
    "_file_name": "VARCHAR NOT NULL",  # file name as delivered
    "_file_sha256": "VARCHAR NOT NULL",
    "_source_row": "INTEGER NOT NULL",  # row as a spreadsheet shows it: header = 1, data from 2
    "_loaded_at": "TIMESTAMP NOT NULL",
}

META_DDL = """
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.deliveries (
    delivery_id VARCHAR PRIMARY KEY,   -- sha256 over centre + sorted (file kind, file sha256)
    centre VARCHAR NOT NULL,
    load_seq BIGINT NOT NULL UNIQUE,
    source VARCHAR NOT NULL,           -- path as given to `reach load`
    loaded_at TIMESTAMP NOT NULL,
    files INTEGER NOT NULL,
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta.load_files (
    delivery_id VARCHAR NOT NULL,
    centre VARCHAR NOT NULL,
    load_seq BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    file_kind VARCHAR,                 -- export file stem (klienti, ...); NULL if not recognised
    file_sha256 VARCHAR,
    file_format VARCHAR,               -- csv | xlsx
    encoding VARCHAR,                  -- utf-8 | utf-8-sig | cp1250 | iso-8859-2 (csv)
    delimiter VARCHAR,                 -- ; or , (csv)
    status VARCHAR NOT NULL,           -- loaded | rejected | ignored
    message VARCHAR,                   -- why rejected/ignored
    rows_read BIGINT NOT NULL,
    rows_loaded BIGINT NOT NULL,
    rows_quarantined BIGINT NOT NULL,
    warnings BIGINT NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS meta.quarantine (
    delivery_id VARCHAR NOT NULL,
    centre VARCHAR NOT NULL,
    load_seq BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    file_kind VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    source_row INTEGER NOT NULL,
    column_name VARCHAR,               -- header as delivered; NULL for whole-row reasons
    value VARCHAR,
    reason VARCHAR NOT NULL,
    record VARCHAR NOT NULL,           -- the whole row as delivered, JSON {header: cell}
    loaded_at TIMESTAMP NOT NULL
);
CREATE TABLE IF NOT EXISTS meta.load_warnings (
    delivery_id VARCHAR NOT NULL,
    centre VARCHAR NOT NULL,
    load_seq BIGINT NOT NULL,
    file_name VARCHAR NOT NULL,
    file_kind VARCHAR,
    source_row INTEGER,                -- NULL for file-level warnings (unknown column)
    column_name VARCHAR,
    value VARCHAR,
    kind VARCHAR NOT NULL,             -- unknown_value | unknown_column | orphan | duplicate_key | ...
    message VARCHAR NOT NULL,
    loaded_at TIMESTAMP NOT NULL
);
"""


def raw_table_ddl(export: ExportFile) -> str:
    columns = [f"{c.name} {SQL_TYPES[c.type]}" for c in export.columns]
    columns += [f"{name} {sql}" for name, sql in LINEAGE_COLUMNS.items()]
    body = ",\n    ".join(columns)
    return f"CREATE TABLE IF NOT EXISTS raw.{export.table} (\n    {body}\n);"


def create_raw_layer(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw and meta schemas and tables if they do not exist (idempotent)."""
    con.execute("CREATE SCHEMA IF NOT EXISTS raw;")
    for export in FILES:
        con.execute(raw_table_ddl(export))
        # A raw layer made before a column joined the contract (raw.clients.linkage_key) gains it, empty.
        for column in export.columns:
            con.execute(f"ALTER TABLE raw.{export.table} "
                        f"ADD COLUMN IF NOT EXISTS {column.name} {SQL_TYPES[column.type]}")
    con.execute(META_DDL)


RAW_CATALOG = "raw_layer"


def connect_raw_layer(path: str, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """A connection in which `raw.<table>` and `meta.<table>` name the tables of the raw.duckdb at `path`.

    Opened directly, a file called raw.duckdb gives its catalog the name `raw`, which makes the
    schema name `raw` ambiguous; attached under another name and made current, it does not.
    """
    con = duckdb.connect()
    attach(con, path, RAW_CATALOG, read_only=read_only)  # the path as a parameter, never pasted into SQL
    con.execute(f"USE {RAW_CATALOG}")
    return con
