"""Run the suites: `run_gate` inside `reach build`, `run_check` for `reach check`.

Where results go (docs/quality.md):
- run_gate: main.quality_runs / main.quality_results in the build file (so a published warehouse
  carries its own gate results), plus <home>/quality/runs/<run_id>.json, the HTML summary
  (<home>/quality/data_docs/) and GX's own Data Docs of the run (<home>/quality/gx_data_docs/);
- run_check: meta.quality_runs / meta.quality_results in <home>/raw.duckdb (the published
  warehouse is opened read-only), plus the same files.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from expectations.engine import CHUNK_ROWS, DUCKDB_MEMORY_LIMIT, Engine, Target
from expectations.gx_docs import write_gx_data_docs
from expectations.html_report import write_html_summary
from expectations.results import GateResult, Outcome, store
from expectations.spec import SuiteSpec, load_suites
from pipelines.database import attach, identifier
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.raw_views import create_current_views, create_kept_views

log = logging.getLogger(__name__)

RAW_ALIAS = "raw"
WAREHOUSE_ALIAS = "published"
VIEWS_ALIAS = "gate_views"  # in-memory catalog of the kept and current views (never written to a file)


def _run_id(context: str, now: datetime) -> str:
    return f"{context}-{now:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _limit_memory(con: duckdb.DuckDBPyConnection) -> None:
    # SET rather than a connect-time config: another connection of this process to the same file
    # (with its own config) would otherwise refuse to share the database instance.
    con.execute(f"SET memory_limit = '{DUCKDB_MEMORY_LIMIT}'")


def _attached(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT database_name FROM duckdb_databases()").fetchall()}


def _target(con: duckdb.DuckDBPyConnection, raw_catalog: str, mart_catalog: str) -> Target:
    """The suites' placeholders on `con`, with the kept and current views of the raw layer in an
    in-memory catalog (pipelines/raw_views.py: what counts)."""
    con.execute(f"ATTACH ':memory:' AS {VIEWS_ALIAS}")
    create_kept_views(con, raw_catalog=raw_catalog, into_catalog=VIEWS_ALIAS, raw_schema="kept",
                      meta_schema="kept_meta")
    create_current_views(con, kept_schema=f"{VIEWS_ALIAS}.kept", into=f"{VIEWS_ALIAS}.current")
    quoted = identifier(raw_catalog)
    return Target(raw=f"{quoted}.raw", meta=f"{quoted}.meta", mart_catalog=mart_catalog,
                  kept=f"{VIEWS_ALIAS}.kept", kept_meta=f"{VIEWS_ALIAS}.kept_meta", current=f"{VIEWS_ALIAS}.current")


def _validate(con: duckdb.DuckDBPyConnection, target: Target, suites: list[SuiteSpec],
              chunk_rows: int, progress: Callable[[int, int], None] | None = None) -> list[Outcome]:
    return Engine(con, target, chunk_rows=chunk_rows).validate_all(suites, progress)


def _write_files(home: Home, result: GateResult, suites: list[SuiteSpec]) -> None:
    runs = home.quality_dir / "runs"
    runs.mkdir(parents=True, exist_ok=True)
    (runs / f"{result.run_id}.json").write_text(result.to_json(), encoding="utf-8")
    try:
        gx_index: Path | None = write_gx_data_docs(home.quality_dir, result, suites)
    except Exception as error:  # the gate's verdict is stored already; the pages are a view of it
        log.warning("GX Data Docs of run %s were not written: %s", result.run_id, error, exc_info=True)
        gx_index = None
    write_html_summary(home.quality_dir / "data_docs", result, gx_index)


def run_gate(build_db: Path, home: Home, suites: list[SuiteSpec] | None = None,
             chunk_rows: int = CHUNK_ROWS, progress: Callable[[int, int], None] | None = None) -> GateResult:
    """Validate a freshly built warehouse file (marts) and the raw layer it was built from.

    Writes the results into the build file and the quality folder; the caller publishes only if
    `result.passed` (no error-severity expectation failed). `progress(suites done, suites)` before
    each suite and after the last (the build's progress, pipelines/build_progress.py).
    """
    if not build_db.exists():
        raise ReachError(f"The build file {build_db} does not exist; nothing to check.")
    started = _now()
    suites = load_suites() if suites is None else suites
    con = duckdb.connect(str(build_db))
    try:
        _limit_memory(con)
        if RAW_ALIAS not in _attached(con):
            attach(con, home.raw_db, RAW_ALIAS, read_only=True)
        build_catalog = str(con.execute("SELECT current_database()").fetchall()[0][0])
        target = _target(con, RAW_ALIAS, build_catalog)
        outcomes = _validate(con, target, suites, chunk_rows, progress)
        result = GateResult(_run_id("build", started), "build", str(build_db), started, _now(), outcomes)
        store(con, "main", result)
    finally:
        con.close()
    home.quality_dir.mkdir(parents=True, exist_ok=True)
    _write_files(home, result, suites)
    return result


def run_check(home: Home, suites: list[SuiteSpec] | None = None, chunk_rows: int = CHUNK_ROWS) -> GateResult:
    """Validate the published warehouse and the raw layer; append results to raw.duckdb meta.*."""
    if not home.warehouse_db.exists():
        raise ReachError(f"No published warehouse at {home.warehouse_db}; run `reach build` first.")
    if not home.raw_db.exists():
        raise ReachError(f"No raw layer at {home.raw_db}; run `reach load` first.")
    started = _now()
    suites = load_suites() if suites is None else suites
    try:
        con = duckdb.connect(str(home.raw_db))
    except duckdb.Error as error:
        raise ReachError(f"Cannot open {home.raw_db} to record the check ({error}); is a load running?") from error
    try:
        _limit_memory(con)
        attach(con, home.warehouse_db, WAREHOUSE_ALIAS, read_only=True)
        raw_name = str(con.execute("SELECT current_database()").fetchall()[0][0])
        target = _target(con, raw_name, WAREHOUSE_ALIAS)
        outcomes = _validate(con, target, suites, chunk_rows)
        result = GateResult(_run_id("check", started), "check", str(home.warehouse_db), started, _now(), outcomes)
        store(con, "meta", result)
    finally:
        con.close()
    home.quality_dir.mkdir(parents=True, exist_ok=True)
    _write_files(home, result, suites)
    return result
