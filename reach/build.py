"""`reach build`: dbt into a new file, the quality gate, then an atomic publish.

1. dbt (`seed` + `run` + `test`, as one `dbt build`) writes <home>/builds/<build-id>.duckdb
   with <home>/raw.duckdb attached read-only as database `raw`. Incrementally where it can: the new
   file starts as a copy of the published warehouse's intermediate tables and seeds, the seeds are
   not loaded again and the incremental models resolve only what new deliveries touched; from
   scratch (`--full-refresh`) with --full, after a set-aside or restore, or a change of the project
   (reach/build_state.py).
2. Record keys (pipelines/disclosure/record_keys.py): every person and record of the new file gets
   its key from the home's perturbation secret, which never reaches dbt, a log or the file (only
   its fingerprint does; a lost secret stops the build before dbt runs, naming the way out).
3. The quality gate (expectations.runner.run_gate) validates that file; its libraries were imported
   in a background thread while dbt ran (expectations/warm.py).
4. os.replace renames it onto <home>/warehouse.duckdb: readers see the old warehouse or the
   new one, never a half-built one. Any failure leaves the published warehouse untouched.

These are the steps a progress callback hears (pipelines/build_progress.py: each step as it
starts, dbt's nodes and the gate's suites as they finish, then `published`); the Deliveries page
shows them.

dbt reads the raw layer through views without the deliveries set aside (pipelines/raw_views.py),
written per build. dbt writes under fixed names (builds/building.duckdb, builds/building.sources.duckdb;
the build lock makes them one build's) and the new file is renamed to its build id afterwards, so the
profile dbt sees stays the same from build to build and dbt's partial parsing can reuse the manifest
kept in <home>/dbt_state (dbt itself reparses what changed: a model, a macro, the project file, the
dbt version). dbt's target path and logs stay under the home, so
concurrent builds of different homes (tests, benchmarks) never share a folder; one home builds one
at a time (<home>/build.lock), and a build that gets the lock removes what builds killed earlier
left in builds/. Running out of disk space is one clear message; the published file stays as it was.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import io
import logging
import os
import shutil
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb

from pipelines.build_progress import DBT, GATE, PUBLISH, PUBLISHED, RECORD_KEYS, BuildProgress, BuildReport
from pipelines.changes import record_headlines
from pipelines.delivery_calendar import record_brought
from pipelines.disclosure.ptable import CACHE_FOLDER
from pipelines.disclosure.record_keys import add_record_keys, recorded_fingerprint
from pipelines.disclosure.secret import replace_secret, secret_for_build
from pipelines.errors import QualityGateFailed, ReachError
from pipelines.home import Home
from pipelines.raw_views import write_source_views
from reach.build_state import (
    INCREMENTAL_EXCLUDE,
    plan_build,
    record_inputs,
    start_from_published,
    take_incremental_work,
)

PROJECT_DIR = Path(__file__).resolve().parents[1]  # the repo root holds dbt_project.yml
DBT_THREADS = 2
FAILED_SUFFIX = ".failed.duckdb"
TARGET_SUFFIX = ".target"
SOURCES_FILE = "sources.duckdb"  # the views dbt reads as its sources (generate_docs: in its target folder)
BUILDING_FILE = "building.duckdb"  # what dbt writes, in builds/, renamed to <build-id>.duckdb when done
BUILDING_SOURCES_FILE = "building.sources.duckdb"
PARTIAL_PARSE_FILE = "partial_parse.msgpack"  # dbt's parsed project, in the target path

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
    kind: str = ""  # full or incremental, and why (reach/build_state.py)
    seeds_kept: bool = False  # incremental: the seeds taken over from the published warehouse, not loaded
    # incremental model -> (records resolved again, rows written); empty in a full build
    incremental_work: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class BuildSummary:
    build_id: str
    published: Path
    dbt: DbtOutcome
    gate_summary: str
    seconds: float
    dbt_seconds: float
    gate_seconds: float
    removed_leftovers: tuple[str, ...] = ()  # files of builds that were killed, removed at the start

    def text(self) -> str:
        leftovers = (f"Removed {len(self.removed_leftovers)} file(s) left by builds that did not finish: "
                     f"{', '.join(self.removed_leftovers)}.\n" if self.removed_leftovers else "")
        return leftovers + (
            f"Build {self.build_id}, {self.dbt.kind}: "
            + (f"{self.dbt.models} models built (seeds unchanged, kept), " if self.dbt.seeds_kept
               else f"{self.dbt.seeds} seeds and {self.dbt.models} models built, ")
            + f"{self.dbt.tests_passed} dbt tests passed"
            + (f" ({self.dbt.tests_warned} with warnings)" if self.dbt.tests_warned else "")
            + "".join(f"; {model}: {resolved:,} records resolved again, {written:,} rows written"
                      for model, (resolved, written) in self.dbt.incremental_work.items())
            + f".\nQuality gate: {self.gate_summary}\n"
            f"Published {self.published} in {self.seconds:.1f} s "
            f"(dbt {self.dbt_seconds:.1f} s, gate {self.gate_seconds:.1f} s)."
        )


Gate = Callable[[Path, Home], GateOutcome]


def run_quality_gate(build_db: Path, home: Home,
                     progress: Callable[[int, int], None] | None = None) -> GateOutcome:
    """The Great Expectations gate of expectations/runner.py on the new build file;
    `progress(suites done, suites)` after each suite."""
    try:
        from expectations.runner import run_gate
    except ModuleNotFoundError as error:
        if error.name not in ("expectations.runner", "expectations"):
            raise
        raise ReachError(
            "The quality gate (expectations/runner.py) is not installed, so the build in "
            f"{build_db} was not checked and not published."
        ) from None
    return run_gate(build_db, home, progress=progress)


def _start_gate_imports() -> Callable[[], None]:
    """The gate's libraries imported in a background thread while dbt runs (expectations/warm.py);
    returns the wait for them. Nothing to wait for where the gate is not installed (the gate says so)."""
    try:
        from expectations.warm import start_importing
    except ModuleNotFoundError:
        return lambda: None
    return start_importing().wait


def new_build_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def build_warehouse(home: Home, *, gate: Gate | None = None, full: bool = False,
                    new_perturbation_secret: bool = False, progress: BuildReport | None = None) -> BuildSummary:
    """Build, check and publish the warehouse of `home`; raise ReachError if anything fails.

    `gate` defaults to run_quality_gate; the quality tests pass a wrapper that damages the
    build file first and then runs that same real gate. `full` parses the dbt project anew.
    `new_perturbation_secret` starts again with a new secret (every published figure changes once):
    the way out of a lost one. `progress` hears the build's steps (pipelines/build_progress.py).
    """
    report = progress or (lambda _: None)

    def counted_gate(build_db: Path, of: Home) -> GateOutcome:
        return run_quality_gate(build_db, of, lambda done, total: report(BuildProgress(GATE, done, total)))

    gate = gate or counted_gate
    started = time.perf_counter()
    try:
        home.ensure()
        if not home.raw_db.exists():
            raise ReachError(f"Nothing is loaded in {home.root}: {home.raw_db} does not exist. "
                             "Run `reach load` first.")
        with build_lock(home):
            removed = remove_leftovers(home)
            secret = (replace_secret(home) if new_perturbation_secret
                      else secret_for_build(home, recorded_fingerprint(home.warehouse_db)))
            return _build(home, gate, started, removed, full, secret, report)
    except QualityGateFailed:
        raise  # its summary quotes delivered text, which must not be read as a disk error
    except Exception as error:  # whichever library hit the full disk (DuckDB, dbt, GX, the OS)
        if is_out_of_space(error):
            raise ReachError(out_of_space_message(home)) from None
        raise


def _build(home: Home, gate: Gate, started: float, removed: tuple[str, ...], full: bool,
           secret: bytes, report: BuildReport) -> BuildSummary:
    build_id = new_build_id()
    build_db = home.builds_dir / f"{build_id}.duckdb"
    target_dir = home.builds_dir / f"{build_id}{TARGET_SUFFIX}"
    try:
        report(BuildProgress(DBT))
        plan = plan_build(home, PROJECT_DIR, full=full)
        from dbt.cli.main import dbtRunner  # noqa: F401 - dbt's imports done before the gate's start
        gate_imports_done = _start_gate_imports()
        outcome = run_dbt(home, build_db, target_dir, full=full, incremental=plan.incremental,
                          progress=lambda done, total: report(BuildProgress(DBT, done, total)))
        outcome.kind = plan.text()
        record_inputs(build_db, plan.fingerprint)  # what the next build compares with
        report(BuildProgress(RECORD_KEYS))
        add_record_keys(build_db, secret, home.root / CACHE_FOLDER)
        dbt_done = time.perf_counter()
        report(BuildProgress(GATE))
        gate_imports_done()
        gate_result = gate(build_db, home)
        gate_done = time.perf_counter()
        if not gate_result.passed:
            raise QualityGateFailed(
                f"The quality gate failed, the warehouse was not published (the previous one is "
                f"unchanged): {gate_result.summary()}"
            )
        report(BuildProgress(PUBLISH))
        assert_self_contained(build_db)
        record_headlines(build_db, home)  # this build's headline figures, for "what changed" (pipelines/changes.py)
        record_brought(build_db, home)  # what its deliveries brought, for the delivery calendar
    except BaseException as error:
        if is_out_of_space(error) and not isinstance(error, QualityGateFailed):
            _discard(build_db)  # a partial file only takes the space the next attempt needs
        else:
            _keep_failed(home, build_db)
        raise
    finally:
        shutil.rmtree(target_dir, ignore_errors=True)
    publish(build_db, home.warehouse_db)
    _tidy_builds(home)
    report(BuildProgress(PUBLISHED))
    return BuildSummary(build_id, home.warehouse_db, outcome, gate_result.summary(),
                        seconds=time.perf_counter() - started, dbt_seconds=dbt_done - started,
                        gate_seconds=gate_done - dbt_done, removed_leftovers=removed)


@contextmanager
def build_lock(home: Home) -> Iterator[None]:
    """One build per home at a time: an exclusive flock on <home>/build.lock for the whole build.

    The kernel drops the lock when its holder dies (kill -9 included), so a free lock means that no
    build of this home is running and everything in builds/ but the kept failed build is stale.
    """
    fd = os.open(home.build_lock, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "unknown"
            raise ReachError(f"Another `reach build` of {home.root} is running (process {holder}); "
                             "wait for it to finish, then build again.") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def remove_leftovers(home: Home) -> tuple[str, ...]:
    """Delete what builds that are no longer running left in builds/ (their .duckdb, .wal and
    .target); keeps the last failed build. Call only while holding build_lock."""
    removed = []
    for path in sorted(home.builds_dir.iterdir()):
        if FAILED_SUFFIX in path.name:
            continue
        if path.is_dir() and path.name.endswith(TARGET_SUFFIX):
            shutil.rmtree(path, ignore_errors=True)
        elif path.is_file() and path.name.endswith((".duckdb", ".duckdb.wal", ".duckdb.tmp")):
            path.unlink(missing_ok=True)
        else:
            continue
        removed.append(path.name)
    return tuple(removed)


# errno values and DuckDB/dbt message texts that mean the file system is full (or a file-size
# limit was reached); dbt reports a model's DuckDB error only as text.
_NO_SPACE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG}
_NO_SPACE_TEXTS = ("no space left on device", "disk quota exceeded", "file too large", "not enough space on")


def is_out_of_space(error: BaseException) -> bool:
    """Whether `error`, or an error it was raised from, is the file system running out of space."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, OSError) and current.errno in _NO_SPACE_ERRNOS:
            return True
        if any(text in str(current).lower() for text in _NO_SPACE_TEXTS):
            return True
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
    return False


def out_of_space_message(home: Home) -> str:
    try:
        free = f"{shutil.disk_usage(home.root).free / 2**20:,.0f} MiB free"
    except OSError:
        free = "free space unknown"
    size = (f"; the published warehouse is {home.warehouse_db.stat().st_size / 2**20:,.0f} MiB, and a build "
            "writes a new one beside it plus its working files" if home.warehouse_db.exists() else "")
    return (f"The disk holding {home.root} is full ({free}{size}). The build was stopped and its files "
            f"removed; the published warehouse is unchanged. Free some space and run `reach build` again.")


def run_dbt(home: Home, build_db: Path, target_dir: Path, *, full: bool = False,
            incremental: bool = False, progress: Callable[[int, int], None] | None = None) -> DbtOutcome:
    """`dbt build` (seeds, models, tests) into `build_db`; ReachError naming what failed.

    Call under build_lock (dbt writes under fixed names in builds/). `full` parses the project from
    scratch instead of reusing the kept manifest. `incremental` starts from the published warehouse
    (reach/build_state.py) and leaves the seeds, their own tests and the unit tests out (they are the published
    file's); otherwise every seed and model is built from scratch (--full-refresh).
    `progress(nodes done, nodes)`: when dbt starts the first node, then after each node.
    """
    from dbt.cli.main import dbtRunner

    args = [
        "build",
        "--project-dir", str(PROJECT_DIR),
        "--profiles-dir", str(PROJECT_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(home.logs_dir),
        "--threads", str(DBT_THREADS),
        "--no-partial-parse" if full else "--partial-parse",
        "--no-write-json",  # the results are read in-process; the target folder is removed afterwards
        "--quiet",
    ] + (["--exclude", *INCREMENTAL_EXCLUDE] if incremental else ["--full-refresh"])
    dbt_db = home.builds_dir / BUILDING_FILE
    sources_db = home.builds_dir / BUILDING_SOURCES_FILE
    kept_manifest = _kept_manifest(home)
    target_dir.mkdir(parents=True, exist_ok=True)
    if kept_manifest.exists() and not full:
        shutil.copyfile(kept_manifest, target_dir / PARTIAL_PARSE_FILE)
    if incremental:
        start_from_published(home.warehouse_db, dbt_db)
    with _DBT_LOCK, _dbt_environment(home, dbt_db, sources_db), _dbt_console() as console:
        try:
            result = dbtRunner(callbacks=[_node_counter(progress)] if progress else None).invoke(args)
        finally:
            _close_dbt_database()
            _discard(sources_db)
            if dbt_db.exists():
                os.replace(dbt_db, build_db)
            wal = dbt_db.with_name(dbt_db.name + ".wal")
            if wal.exists():
                os.replace(wal, build_db.with_name(build_db.name + ".wal"))
    parsed = target_dir / PARTIAL_PARSE_FILE
    if result.exception is None and parsed.exists():
        kept_manifest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(parsed, kept_manifest.with_suffix(".tmp"))
        os.replace(kept_manifest.with_suffix(".tmp"), kept_manifest)
    outcome = _read_results(result.result, build_db)
    outcome.seeds_kept = incremental
    if result.exception is None and build_db.exists():
        outcome.incremental_work = take_incremental_work(build_db)
    printed = console.getvalue()
    if printed and not is_out_of_space(ReachError(printed)):  # a full disk gets one message, not dbt's traceback
        sys.stderr.write(printed)
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


def _node_counter(progress: Callable[[int, int], None]) -> Callable[[object], None]:
    """A dbt event callback counting as dbt's own "k of N" lines do: N from the first LogStartLine, one
    done at each NodeFinished but an ephemeral model's (never run, not in N). dbt calls it for every
    event whatever --quiet says, from its threads."""
    lock = threading.Lock()
    counts = {"done": 0, "total": 0}

    def on_event(event: object) -> None:
        name = event.info.name  # type: ignore[attr-defined]
        if name not in ("LogStartLine", "NodeFinished"):
            return
        data = event.data  # type: ignore[attr-defined]
        with lock:
            if name == "LogStartLine":
                if counts["total"]:
                    return
                counts["total"] = int(data.total)
            elif data.node_info.materialized == "ephemeral":
                return
            else:
                counts["done"] += 1
            progress(counts["done"], max(counts["total"], counts["done"]))  # in the lock: reports in order

    return on_event


def _kept_manifest(home: Home) -> Path:
    """dbt's parsed project kept between builds, one per checkout of the project (its path in the name)."""
    checkout = hashlib.sha256(str(PROJECT_DIR).encode()).hexdigest()[:12]
    return home.dbt_state_dir / f"{checkout}-{PARTIAL_PARSE_FILE}"


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
    sources_db = target_dir / SOURCES_FILE
    try:
        with _DBT_LOCK, _dbt_environment(home, catalog_db, sources_db):
            try:
                result = dbtRunner().invoke(args)
            finally:
                _close_dbt_database()
    finally:
        for leftover in (catalog_db, sources_db):
            leftover.unlink(missing_ok=True)
            leftover.with_name(leftover.name + ".wal").unlink(missing_ok=True)
    if not result.success:
        raise ReachError(f"dbt docs generate failed ({result.exception or 'see the log'}); "
                         f"details are in {home.logs_dir / 'dbt.log'}.")
    return target_dir / "static_index.html"


@contextmanager
def _dbt_environment(home: Home, build_db: Path, sources_db: Path) -> Iterator[None]:
    """The variables profiles.yml reads, and the source views it attaches (written here first)."""
    sources_db.parent.mkdir(parents=True, exist_ok=True)
    write_source_views(home.raw_db, sources_db)
    values = {"REACH_BUILD_DB": str(build_db), "REACH_RAW_DB": str(home.raw_db),
              "REACH_SOURCES_DB": str(sources_db)}
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


@contextmanager
def _dbt_console() -> Iterator[io.StringIO]:
    """What dbt prints (errors only, with --quiet), held back so the caller decides whether to show it;
    and no "--- Logging error ---" tracebacks when dbt's log file cannot be written (a full disk)."""
    console = io.StringIO()
    raising = logging.raiseExceptions
    logging.raiseExceptions = False
    try:
        with redirect_stdout(console), redirect_stderr(console):
            yield console
    finally:
        logging.raiseExceptions = raising


def _close_dbt_database() -> None:
    """dbt-duckdb keeps its DuckDB instance open for the process; close it so the build file
    is checkpointed and can be opened read-only, renamed and built again."""
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    with DuckDBConnectionManager._LOCK:
        if DuckDBConnectionManager._ENV is not None:
            DuckDBConnectionManager._ENV.close()
            DuckDBConnectionManager._ENV = None


def _read_results(run_result: object, build_db: Path) -> DbtOutcome:
    outcome = DbtOutcome()
    for node_result in getattr(run_result, "results", None) or []:
        node = node_result.node
        status = str(node_result.status)
        kind = str(node.resource_type)
        if status in ("error", "fail", "runtime error"):
            outcome.failures += _describe_failure(node_result, build_db)
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


def _describe_failure(node_result: object, build_db: Path) -> list[str]:
    """'test relationships on fct_activities.service: 1 failing row' rather than dbt's node name: one
    line per broken rule of a model's keys test (data_tests/generic/keys.sql)."""
    node = node_result.node
    metadata = getattr(node, "test_metadata", None)
    if metadata is None:
        message = " ".join(str(node_result.message or node_result.status).split())
        return [f"{node.resource_type} {node.name}: {message}"]
    attached = (getattr(node, "attached_node", None) or "").rsplit(".", 1)[-1] or "?"
    failures = getattr(node_result, "failures", None)
    if metadata.name == KEYS_TEST and failures and build_db.exists():
        return [f"test {rule} on {attached}.{column}: {_rows(count)}"
                for rule, column, count in broken_key_rules(node, build_db)]
    column = getattr(node, "column_name", None)
    where = f"{attached}.{column}" if column else attached
    return [f"test {metadata.name} on {where}: {_rows(failures) if failures else node_result.status}"]


def _rows(count: int) -> str:
    return f"{count} failing row{'s' if count != 1 else ''}"


KEYS_TEST = "keys"  # the one generic test a model's keys and relationships are declared in


def broken_key_rules(node: object, database: Path) -> list[tuple[str, str, int]]:
    """(rule, column(s), failing rows) of a failed keys test: its compiled query run again, read-only,
    on the file it ran on (attached under the catalog name the query names)."""
    catalog = str(node.database)  # type: ignore[attr-defined]
    with duckdb.connect() as con:
        quoted = str(database).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS \"{catalog}\" (READ_ONLY)")
        rows = con.execute(f"select rule, column_name, failing_rows from ({node.compiled_code}) "  # type: ignore[attr-defined]
                           "order by rule, column_name").fetchall()
    return [(rule, column, int(count)) for rule, column, count in rows]


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


def _discard(build_db: Path) -> None:
    build_db.unlink(missing_ok=True)
    build_db.with_name(build_db.name + ".wal").unlink(missing_ok=True)


def _keep_failed(home: Home, build_db: Path) -> None:
    """Keep only the latest failed build for inspection, named *.failed.duckdb."""
    for old in home.builds_dir.glob(f"*{FAILED_SUFFIX}"):
        old.unlink(missing_ok=True)
    if build_db.exists():
        build_db.replace(build_db.with_name(build_db.name.removesuffix(".duckdb") + FAILED_SUFFIX))
    build_db.with_name(build_db.name + ".wal").unlink(missing_ok=True)


def _tidy_builds(home: Home) -> None:
    """After a publish (still under the build lock), only the last failed build (if any) stays in builds/."""
    remove_leftovers(home)
