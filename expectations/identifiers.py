"""The direct-identifier scan: no mart column named, and no mart value shaped, like personal data.

The patterns live in the suite file (expectations/suites/mart_identifiers.yml) so reviewers see
them; this module turns them into one DuckDB query returning a row per offending column or
value (column names are matched after folding to lower-case ASCII).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    from expectations.engine import Target


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _scanned_relations(con: duckdb.DuckDBPyConnection, target: Target,
                       options: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    prefixes = tuple(options.get("table_prefixes", ("dim_", "fct_", "mart_")))
    excluded = set(options.get("exclude_tables", ()))
    rows = con.execute(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_catalog = ? AND table_schema = 'main' ORDER BY table_name, ordinal_position",
        [target.mart_catalog],
    ).fetchall()
    relations: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        if table.startswith(prefixes) and table not in excluded:
            relations.setdefault(table, []).append((column, data_type))
    return relations


def identifier_scan_query(con: duckdb.DuckDBPyConnection, target: Target, options: dict[str, Any]) -> str:
    """SQL with one row (`failing_key`) per identifier-like column name or value in the marts."""
    column_patterns: dict[str, str] = options["column_name_patterns"]
    value_patterns: dict[str, str] = options["value_patterns"]
    # Columns whose values are machine digests (file hashes, delivery ids): hex runs, not people.
    skip_values = re.compile(options.get("skip_value_columns_matching", "(?!)"))
    parts: list[str] = []
    for table, columns in _scanned_relations(con, target, options).items():
        for column, data_type in columns:
            folded = _quote(column.lower())
            for kind, pattern in column_patterns.items():
                parts.append(
                    f"SELECT {_quote(f'{table}.{column}: column name looks like {kind}')} AS failing_key "
                    f"WHERE regexp_matches({folded}, {_quote(pattern)})"
                )
            if data_type != "VARCHAR" or skip_values.search(column):
                continue
            # One scan per column: any pattern selects the row, the CASE names the first that matched.
            # The value is masked so the results never copy the identifier they found.
            quoted = f'"{column}"'
            any_pattern = "|".join(f"(?:{p})" for p in value_patterns.values())
            kind_case = " ".join(f"WHEN regexp_matches({quoted}, {_quote(p)}) THEN {_quote(k)}"
                                 for k, p in value_patterns.items())
            parts.append(
                f"SELECT {_quote(f'{table}.{column} looks like ')} || (CASE {kind_case} END) "
                f"|| ' (value masked: ' || left({quoted}, 2) || '…, ' || length({quoted}) || ' chars)' "
                f"AS failing_key FROM {target.mart}.\"{table}\" WHERE regexp_matches({quoted}, {_quote(any_pattern)})"
            )
    if not parts:
        return "SELECT NULL::VARCHAR AS failing_key WHERE false"
    return "\nUNION ALL\n".join(parts)
