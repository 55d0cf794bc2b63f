"""Where a report's figures come from: deliveries used, data as of, and the quality gate's verdict.

These are load and quality records of the published warehouse (mart_deliveries and the gate's
tables), not figures: the figures themselves come only from the metric API.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import duckdb

from pipelines.access import Scope


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


def read_deliveries(con: duckdb.DuckDBPyConnection, scope: Scope) -> tuple[Delivery, ...]:
    """The deliveries of the centres in `scope` (a report names only the deliveries its figures rest on)."""
    if "mart_deliveries" not in _tables(con):
        return ()
    parameters = {} if scope.everything else {f"c{i}": code for i, code in enumerate(sorted(scope.centres))}
    within = "" if scope.everything else (
        f"WHERE centre IN ({', '.join(f'${key}' for key in parameters)}) " if parameters else "WHERE FALSE ")
    rows = con.execute(
        "SELECT centre, load_seq, source, loaded_at, files, rows_loaded, rows_quarantined "
        f"FROM mart_deliveries {within}ORDER BY load_seq", parameters,
    ).fetchall()
    return tuple(Delivery(*row) for row in rows)


def read_quality(con: duckdb.DuckDBPyConnection) -> QualityStatus:
    """The latest quality run recorded in the published warehouse (quality_runs / quality_results,
    expectations/results.py): passed, passed with warnings, or failed, and the failed expectations."""
    if not {"quality_runs", "quality_results"} <= _tables(con):
        return QualityStatus("not_checked", detail="the warehouse holds no quality-gate record")
    run = con.execute(
        "SELECT run_id, finished_at, passed, warnings_failed FROM quality_runs ORDER BY finished_at DESC LIMIT 1"
    ).fetchone()
    if run is None:
        return QualityStatus("not_checked", detail="the quality gate has not run on this warehouse")
    run_id, finished_at, passed, warnings_failed = run
    failed = tuple(
        f"{suite}.{name}" for suite, name in con.execute(
            "SELECT suite, expectation FROM quality_results WHERE run_id = ? AND NOT success "
            "ORDER BY severity, suite, expectation", [run_id],
        ).fetchall()
    )
    status = "failed" if not passed else "warnings" if warnings_failed else "passed"
    return QualityStatus(status=status, checked_at=finished_at, failed_checks=failed)


def read_provenance(con: duckdb.DuckDBPyConnection, scope: Scope) -> Provenance:
    deliveries = read_deliveries(con, scope)
    return Provenance(
        deliveries=deliveries,
        quality=read_quality(con),
        quarantined_rows=sum(d.rows_quarantined for d in deliveries),
    )
