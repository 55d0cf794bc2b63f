"""Read-only access to the published warehouse."""

from __future__ import annotations

import duckdb

from pipelines.errors import ReachError
from pipelines.home import Home


def open_warehouse(home: Home) -> duckdb.DuckDBPyConnection:
    """A read-only connection to <home>/warehouse.duckdb; a clear error when nothing is published yet."""
    path = home.warehouse_db
    if not path.exists():
        raise ReachError(
            f"No published warehouse in {home.root} (expected {path}): run reach load and then reach build first."
        )
    try:
        return duckdb.connect(str(path), read_only=True)
    except duckdb.Error as error:
        raise ReachError(f"The published warehouse {path} cannot be opened read-only: {error}") from error
