"""Where a report's figures come from: deliveries used, data as of, and the quality gate's verdict.

These are load and quality records of the published warehouse (mart_deliveries and the gate's
tables), not figures: the figures themselves come only from the metric API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb


@dataclass(frozen=True)
class Delivery:
    centre: str
    load_seq: int
    source: str
    loaded_at: datetime
    files: int
    rows_loaded: int
    rows_quarantined: int


@dataclass(frozen=True)
class QualityStatus:
    status: str  # passed | warnings | failed | not_checked
    checked_at: datetime | None = None
    failed_checks: tuple[str, ...] = ()
    detail: str = ""


@dataclass(frozen=True)
class Provenance:
    deliveries: tuple[Delivery, ...]
    quality: QualityStatus
    quarantined_rows: int = 0
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def data_as_of(self) -> datetime | None:
        return max((d.loaded_at for d in self.deliveries), default=None)


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall()
    return {name for (name,) in rows}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = 'main' AND table_name = ?",
        [table],
    ).fetchall()
    return {name for (name,) in rows}


def read_deliveries(con: duckdb.DuckDBPyConnection) -> tuple[Delivery, ...]:
    if "mart_deliveries" not in _tables(con):
        return ()
    rows = con.execute(
        "SELECT centre, load_seq, source, loaded_at, files, rows_loaded, rows_quarantined "
        "FROM mart_deliveries ORDER BY load_seq"
    ).fetchall()
    return tuple(Delivery(*row) for row in rows)


def read_quality(con: duckdb.DuckDBPyConnection) -> QualityStatus:
    """The latest gate run recorded in the published warehouse (mart_quality_runs, docs/quality.md)."""
    tables = _tables(con)
    if "mart_quality_runs" not in tables:
        return QualityStatus("not_checked", detail="the warehouse holds no quality-gate record")
    columns = _columns(con, "mart_quality_runs")
    order = "checked_at" if "checked_at" in columns else "rowid"
    row = con.execute(f"SELECT * FROM mart_quality_runs ORDER BY {order} DESC LIMIT 1").fetchone()
    if row is None:
        return QualityStatus("not_checked", detail="the quality gate has not run on this warehouse")
    record = dict(zip([d[0] for d in con.description], row, strict=True))
    failed: tuple[str, ...] = ()
    if "mart_quality_results" in tables and {"success", "expectation"} <= _columns(con, "mart_quality_results"):
        failed = tuple(
            name for (name,) in con.execute(
                "SELECT DISTINCT expectation FROM mart_quality_results WHERE NOT success ORDER BY 1"
            ).fetchall()
        )
    return QualityStatus(
        status=str(record.get("status") or ("failed" if failed else "passed")),
        checked_at=record.get("checked_at"),
        failed_checks=failed,
    )


def read_provenance(con: duckdb.DuckDBPyConnection) -> Provenance:
    deliveries = read_deliveries(con)
    return Provenance(
        deliveries=deliveries,
        quality=read_quality(con),
        quarantined_rows=sum(d.rows_quarantined for d in deliveries),
    )
