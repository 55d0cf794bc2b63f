"""`reach build`: dbt into a new file, the quality gate, then an atomic publish.

1. dbt (`seed` + `run` + `test`, as one `dbt build`) writes <home>/builds/<build-id>.duckdb
   with <home>/raw.duckdb attached read-only as database `raw`.
2. The quality gate (expectations.runner.run_gate) validates that file.
3. os.replace renames it onto <home>/warehouse.duckdb: readers see the old warehouse or the
   new one, never a half-built one. Any failure leaves the published warehouse untouched.

dbt's target path and logs stay under the home, so concurrent builds of different homes
(tests, benchmarks) never share a folder.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb

from pipelines.errors import QualityGateFailed, ReachError
from pipelines.home import Home

PROJECT_DIR = Path(__file__).resolve().parents[1]  # the repo root holds dbt_project.yml
DBT_THREADS = 2
FAILED_SUFFIX = ".failed.duckdb"

# dbt reads its profile from environment variables and keeps global state: one build at a
# time per process.
_DBT_LOCK = threading.Lock()


class GateOutcome(Protocol):
    passed: bool

    def summary(self) -> str: ...


@dataclass
class DbtOutcome:
    models: int = 0
    seeds: int = 0
    tests_passed: int = 0
    tests_warned: int = 0
    failures: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BuildSummary:
    build_id: str
    published: Path
    dbt: DbtOutcome
    gate_summary: str
    seconds: float
    dbt_seconds: float
    gate_seconds: float

    def text(self) -> str:
        return (
            f"Build {self.build_id}: {self.dbt.seeds} seeds and {self.dbt.models} models built, "
            f"{self.dbt.tests_passed} dbt tests passed"
            + (f" ({self.dbt.tests_warned} with warnings)" if self.dbt.tests_warned else "")
            + f".\nQuality gate: {self.gate_summary}\n"
            f"Published {self.published} in {self.seconds:.1f} s "
            f"(dbt {self.dbt_seconds:.1f} s, gate {self.gate_seconds:.1f} s)."
        )


Gate = Callable[[Path, Home], GateOutcome]


def run_quality_gate(build_db: Path, home: Home) -> GateOutcome:
    """The Great Expectations gate of expectations/runner.py on the new build file."""
    try:
        from expectations.runner import run_gate
    except ModuleNotFoundError as error:
        if error.name not in ("expectations.runner", "expectations"):
            raise
        raise ReachError(
            "The quality gate (expectations/runner.py) is not installed, so the build in "
            f"{build_db} was not checked and not published."
        ) from None
    return run_gate(build_db, home)


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def build_warehouse(home: Home, *, gate: Gate | None = None) -> BuildSummary:
    """Build, check and publish the warehouse of `home`; raise ReachError if anything fails.

    `gate` defaults to run_quality_gate; the quality tests pass a wrapper that damages the
    build file first and then runs that same real gate.
    """
    gate = gate or run_quality_gate
    started = time.perf_counter()
    home.ensure()
    if not home.raw_db.exists():
        raise ReachError(f"Nothing is loaded in {home.root}: {home.raw_db} does not exist. Run `reach load` first.")
    build_id = new_build_id()
    build_db = home.builds_dir / f"{build_id}.duckdb"
    target_dir = home.builds_dir / f"{build_id}.target"
    try:
        outcome = run_dbt(home, build_db, target_dir)
        dbt_done = time.perf_counter()
        gate_result = gate(build_db, home)
        gate_done = time.perf_counter()
        if not gate_result.passed:
            raise QualityGateFailed(
                f"The quality gate failed, the warehouse was not published (the previous one is "
                f"unchanged): {gate_result.summary()}"
            )
        assert_self_contained(build_db)
    except BaseException:
        _keep_failed(home, build_db)
        raise
    finally:
        shutil.rmtree(target_dir, ignore_errors=True)
    publish(build_db, home.warehouse_db)
    _tidy_builds(home)
    return BuildSummary(build_id, home.warehouse_db, outcome, gate_result.summary(),
                        seconds=time.perf_counter() - started, dbt_seconds=dbt_done - started,
                        gate_seconds=gate_done - dbt_done)


def run_dbt(home: Home, build_db: Path, target_dir: Path) -> DbtOutcome:
    """`dbt build` (seeds, models, tests) into `build_db`; ReachError naming what failed."""
    from dbt.cli.main import dbtRunner

    args = [
        "build",
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(home.logs_dir),
        "--threads", str(DBT_THREADS),
        "--quiet",
    ]
    with _DBT_LOCK, _dbt_environment(home, build_db):
        try:
            result = dbtRunner().invoke(args)
        finally:
            _close_dbt_database()
    outcome = _read_results(result.result)
    if result.exception is not None:
        raise ReachError(
            f"dbt could not build the warehouse ({type(result.exception).__name__}: {result.exception}). "
            f"The previous warehouse is unchanged; details are in {home.logs_dir / 'dbt.log'}."
        )
    if not result.success or outcome.failures:
        listed = "; ".join(outcome.failures[:10]) or "see the log"
        more = f" (and {len(outcome.failures) - 10} more)" if len(outcome.failures) > 10 else ""
        raise ReachError(
            f"dbt build failed, the warehouse was not published (the previous one is unchanged): "
            f"{listed}{more}. Details are in {home.logs_dir / 'dbt.log'}."
        )
    return outcome


def generate_docs(home: Home, target_dir: Path, database: Path | None = None) -> Path:
    """`dbt docs generate --static` into `target_dir` (offline); returns the static HTML page.

    The catalog is read from a copy of `database` (default: the published warehouse), so the
    published file is never opened for writing.
    """
    from dbt.cli.main import dbtRunner

    source = database or home.warehouse_db
    if not source.exists():
        raise ReachError(f"There is no warehouse at {source} to document; run `reach build` first.")
    target_dir.mkdir(parents=True, exist_ok=True)
    catalog_db = target_dir / "catalog.duckdb"
    shutil.copyfile(source, catalog_db)
    args = ["docs", "generate", "--static",
            "--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR),
            "--target-path", str(target_dir), "--log-path", str(home.logs_dir), "--quiet"]
    try:
        with _DBT_LOCK, _dbt_environment(home, catalog_db):
            try:
                result = dbtRunner().invoke(args)
            finally:
                _close_dbt_database()
    finally:
        catalog_db.unlink(missing_ok=True)
        catalog_db.with_name(catalog_db.name + ".wal").unlink(missing_ok=True)
    if not result.success:
        raise ReachError(f"dbt docs generate failed ({result.exception or 'see the log'}); "
                         f"details are in {home.logs_dir / 'dbt.log'}.")
    return target_dir / "static_index.html"


@contextmanager
def _dbt_environment(home: Home, build_db: Path) -> Iterator[None]:
    values = {"REACH_BUILD_DB": str(build_db), "REACH_RAW_DB": str(home.raw_db)}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _close_dbt_database() -> None:
    """dbt-duckdb keeps its DuckDB instance open for the process; close it so the build file
    is checkpointed and can be opened read-only, renamed and built again."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _read_results(run_result: object) -> DbtOutcome:
    outcome = DbtOutcome()
    for node_result in getattr(run_result, "results", None) or []:
        node = node_result.node
        status = str(node_result.status)
        kind = str(node.resource_type)
        if status in ("error", "fail", "runtime error"):
            outcome.failures.append(_describe_failure(node_result))
        elif kind == "model":
            outcome.models += 1
        elif kind == "seed":
            outcome.seeds += 1
        elif kind in ("test", "unit_test"):
            outcome.tests_passed += 1
            outcome.tests_warned += status == "warn"
        elif status == "skipped":
            outcome.failures.append(f"{kind} {node.name}: skipped")
    return outcome


def _describe_failure(node_result: object) -> str:
    """'test accepted_values on stg_contacts.service: 1 failing row' rather than dbt's node name."""
    node = node_result.node
    metadata = getattr(node, "test_metadata", None)
    if metadata is not None:
        attached = (getattr(node, "attached_node", None) or "").rsplit(".", 1)[-1] or "?"
        column = getattr(node, "column_name", None)
        where = f"{attached}.{column}" if column else attached
        failures = getattr(node_result, "failures", None)
        rows = f"{failures} failing row{'s' if failures != 1 else ''}" if failures else str(node_result.status)
        return f"test {metadata.name} on {where}: {rows}"
    message = " ".join(str(node_result.message or node_result.status).split())
    return f"{node.resource_type} {node.name}: {message}"


def assert_self_contained(build_db: Path) -> None:
    """Published files hold tables only: a view would name the build's catalog or the raw layer."""
    with duckdb.connect(str(build_db), read_only=True) as con:
        views = con.execute(
            "select schema_name || '.' || view_name from duckdb_views() where not internal"
        ).fetchall()
    if views:
        names = ", ".join(v[0] for v in views)
        raise ReachError(f"The build left views ({names}); every warehouse model must be a table.")


def publish(build_db: Path, warehouse_db: Path) -> None:
    """Atomic on one filesystem: readers get the old file or the new one, never a partial one."""
    wal = build_db.with_name(build_db.name + ".wal")
    if wal.exists():  # checkpointed by dbt's close; a leftover WAL means the build is not whole
        raise ReachError(f"The build file {build_db} was not closed cleanly; not published.")
    os.replace(build_db, warehouse_db)


def _keep_failed(home: Home, build_db: Path) -> None:
    """Keep only the latest failed build for inspection, named *.failed.duckdb."""
    for old in home.builds_dir.glob(f"*{FAILED_SUFFIX}"):
        old.unlink(missing_ok=True)
    if build_db.exists():
        build_db.replace(build_db.with_name(build_db.name.removesuffix(".duckdb") + FAILED_SUFFIX))
    build_db.with_name(build_db.name + ".wal").unlink(missing_ok=True)


def _tidy_builds(home: Home) -> None:
    """After a publish, only the last failed build (if any) stays in builds/."""
    for path in home.builds_dir.iterdir():
        if path.name.endswith(FAILED_SUFFIX):
            continue
        if path.suffix in (".duckdb", ".wal") and not _in_progress(path):
            path.unlink(missing_ok=True)


def _in_progress(path: Path) -> bool:
    """A build file another process may still be writing (modified in the last hour)."""
    return time.time() - path.stat().st_mtime < 3600
