"""The direct-identifier scan of the built warehouse: no column named, and no text value holding,
personal data.

Column names are matched with the suite's patterns (expectations/suites/mart_identifiers.yml,
on the name folded to lower case). Text values go through the detector the loader uses
(pipelines/privacy/identifiers.py), so the patterns, name lists and the birth-number checksum
are stated once: the DISTINCT values of every scanned VARCHAR column are read into Python
(text columns hold few distinct values) and each offending value becomes one failing key,
masked so the results never copy the identifier they found. Columns of keys and hashes are
skipped by the suite's explicit list.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import duckdb

from pipelines.privacy.identifiers import identifier_kind, mask

if TYPE_CHECKING:
    from expectations.engine import Target

_FETCH_ROWS = 10_000  # distinct values are read in batches, never a whole column at once


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _scanned_columns(con: duckdb.DuckDBPyConnection, target: Target,
                     options: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(schema, table, column, data type) of every scanned table's columns."""
    schemas = list(options.get("schemas", ["main"]))
    excluded = set(options.get("exclude_tables", ()))
    placeholders = ", ".join("?" for _ in schemas)
    rows = con.execute(
        "SELECT table_schema, table_name, column_name, data_type FROM information_schema.columns "
        f"WHERE table_catalog = ? AND table_schema IN ({placeholders}) "
        "ORDER BY table_schema, table_name, ordinal_position",
        [target.mart_catalog, *schemas],
    ).fetchall()
    return [row for row in rows if row[1] not in excluded]


def _offending_values(con: duckdb.DuckDBPyConnection, relation: str, column: str) -> list[tuple[str, str]]:
    """(kind, value) for each distinct value of `column` that holds a direct identifier."""
    cursor = con.cursor()  # a cursor of its own: the engine may be streaming on the connection
    cursor.execute(f"SELECT DISTINCT {_ident(column)} FROM {relation} WHERE {_ident(column)} IS NOT NULL")
    found: list[tuple[str, str]] = []
    while batch := cursor.fetchmany(_FETCH_ROWS):
        for (value,) in batch:
            kind = identifier_kind(value)
            if kind:
                found.append((kind, value))
    return found


def identifier_failures(con: duckdb.DuckDBPyConnection, target: Target, options: dict[str, Any]) -> list[str]:
    """One failing key per identifier-like column name, and per distinct identifier-holding value."""
    column_patterns = {kind: re.compile(p) for kind, p in options["column_name_patterns"].items()}
    skipped = set(options.get("skip_value_columns", ()))
    failures: list[str] = []
    for schema, table, column, data_type in _scanned_columns(con, target, options):
        where = table if schema == "main" else f"{schema}.{table}"
        failures += [f"{where}.{column}: column name looks like {kind}"
                     for kind, pattern in column_patterns.items() if pattern.search(column.lower())]
        if data_type != "VARCHAR" or column in skipped:
            continue
        relation = f"{_ident(target.mart_catalog)}.{_ident(schema)}.{_ident(table)}"
        failures += [f"{where}.{column} looks like {kind} (value masked: {mask(value)})"
                     for kind, value in _offending_values(con, relation, column)]
    return failures


def identifier_scan_query(con: duckdb.DuckDBPyConnection, target: Target, options: dict[str, Any]) -> str:
    """SQL with one row (`failing_key`) per identifier-like column name or value in the warehouse."""
    failures = identifier_failures(con, target, options)
    if not failures:
        return "SELECT NULL::VARCHAR AS failing_key WHERE false"
    rows = ", ".join(f"({_quote(failure)})" for failure in failures)
    return f"SELECT failing_key FROM (VALUES {rows}) AS found(failing_key)"
