"""Whether `reach build` may build incrementally, and what a build records for the next one.

An incremental build starts its new file as a copy of the published warehouse (a file copy runs at
disk speed; the published file is never opened for writing) and keeps only its `intermediate`
schema and the seeds (`reference`): the incremental models there (macros/incremental.sql) resolve
again only the records that deliveries loaded since then touched; the seeds are neither loaded nor
tested again (INCREMENTAL_EXCLUDE), since an incremental build means the seeds are the ones the published
file was built and tested with (they are part of the fingerprint); nor are dbt's unit tests run
again: they test the project's SQL on fixed inputs, never the data, and the fingerprint says the
project is the one they passed on; everything else dbt rebuilds as
before. Every build records
in `build_state.inputs` of its file the project's fingerprint and the deliveries it read, so the
next build can tell whether the published tables are a valid starting point. It is not when:

- `reach build --full` asks for a build from scratch;
- there is no published warehouse, or it records no build state (built before this existed);
- the dbt project changed: a model, macro, seed, test, the project or profile file, or the version
  of dbt, dbt-duckdb or DuckDB (a changed seed changes every model reading it);
- a delivery the published warehouse was built from was set aside since, or a delivery set aside
  then was restored (its rows sit below the watermark the incremental models read).
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import duckdb

from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer

STATE_SCHEMA = "build_state"
INPUTS_TABLE = f"{STATE_SCHEMA}.inputs"
WORK_TABLE = f"{STATE_SCHEMA}.incremental_work"  # written by the replace_keys strategy (macros/incremental.sql)
KEPT_SCHEMA = "intermediate"  # the incremental models' tables, which an incremental build takes over
SEEDS_SCHEMA = "reference"  # the seeds (dbt_project.yml), also taken over by an incremental build
# What `dbt build` leaves out in an incremental build: the seeds and every test with a seed among its
# parents (dbt's default "eager" indirect selection excludes a test with any excluded parent; today
# those are the seeds' own tests only: no model test or singular test refers to a seed), and the unit
# tests (the same project passed them in the build that published the file).
SEED_SELECTOR = "resource_type:seed"
INCREMENTAL_EXCLUDE = (SEED_SELECTOR, "resource_type:unit_test")
PROJECT_PARTS = ("models", "macros", "seeds", "data_tests", "dbt_project.yml", "profiles.yml")


@dataclass(frozen=True)
class BuildPlan:
    incremental: bool
    reason: str  # why this kind of build, for the summary
    fingerprint: str

    def text(self) -> str:
        return f"{'incremental' if self.incremental else 'full'} build ({self.reason})"


def project_fingerprint(project_dir: Path) -> str:
    """SHA-256 over the dbt project's files (path and content) and the versions that run them."""
    digest = hashlib.sha256()
    for package in ("dbt-core", "dbt-duckdb", "duckdb"):
        digest.update(f"{package}={version(package)}\n".encode())
    for part in PROJECT_PARTS:
        root = project_dir / part
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.exists() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(project_dir)).encode() + b"\0")
                digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def kept_deliveries(raw_db: Path) -> dict[str, int]:
    """delivery_id -> load_seq of the deliveries not set aside (what dbt's sources read)."""
    with connect_raw_layer(str(raw_db), read_only=True) as con:
        register = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
                               "AND schema_name = 'meta' AND table_name = 'set_aside_deliveries'").fetchall()[0][0]
        where = " WHERE delivery_id NOT IN (SELECT delivery_id FROM meta.set_aside_deliveries)" if register else ""
        return dict(con.execute(f"SELECT delivery_id, load_seq FROM meta.deliveries{where}").fetchall())


def recorded_inputs(warehouse_db: Path) -> tuple[str, dict[str, int]] | None:
    """(fingerprint, deliveries) the published warehouse was built from; None if it records none."""
    if not warehouse_db.exists():
        return None
    try:
        with duckdb.connect(str(warehouse_db), read_only=True) as con:
            rows = con.execute(f"SELECT fingerprint, delivery_id, load_seq FROM {INPUTS_TABLE}").fetchall()
    except duckdb.Error:  # no build_state schema: built before incremental builds existed
        return None
    if not rows:
        return None
    return rows[0][0], {delivery: seq for _, delivery, seq in rows if delivery is not None}


def plan_build(home: Home, project_dir: Path, *, full: bool) -> BuildPlan:
    fingerprint = project_fingerprint(project_dir)
    if full:
        return BuildPlan(False, "asked for with --full", fingerprint)
    recorded = recorded_inputs(home.warehouse_db)
    if recorded is None:
        return BuildPlan(False, "no published warehouse with a build state", fingerprint)
    recorded_fingerprint, before = recorded
    if recorded_fingerprint != fingerprint:
        return BuildPlan(False, "the dbt project, its seeds or the dbt version changed", fingerprint)
    now = kept_deliveries(home.raw_db)
    if set(before) - set(now):
        return BuildPlan(False, "a delivery was set aside since the last build", fingerprint)
    new = {delivery: seq for delivery, seq in now.items() if delivery not in before}
    if before and any(seq <= max(before.values()) for seq in new.values()):
        return BuildPlan(False, "a delivery set aside earlier was restored", fingerprint)
    return BuildPlan(True, f"{len(new)} new deliver{'y' if len(new) == 1 else 'ies'} since the last build",
                     fingerprint)


def start_from_published(warehouse_db: Path, build_db: Path) -> None:
    """The new build file as a copy of the published warehouse keeping only the tables of KEPT_SCHEMA
    and SEEDS_SCHEMA."""
    try:
        shutil.copyfile(warehouse_db, build_db)
        with duckdb.connect(str(build_db)) as con:
            catalog = con.execute("SELECT current_database()").fetchall()[0][0]
            tables = con.execute("SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = ? "
                                 "AND schema_name NOT IN (?, ?)", [catalog, KEPT_SCHEMA, SEEDS_SCHEMA]).fetchall()
            for schema, table in tables:  # names from the file's own catalog
                con.execute(f'DROP TABLE "{schema}"."{table}"')
            con.execute("CHECKPOINT")
    except BaseException:  # a full disk: the partial copy only takes the space the next attempt needs
        for leftover in (build_db, build_db.with_name(build_db.name + ".wal")):
            leftover.unlink(missing_ok=True)
        raise


def record_inputs(build_db: Path, fingerprint: str) -> None:
    """Record the fingerprint and the deliveries dbt read (mart_deliveries: the kept meta.deliveries)."""
    with duckdb.connect(str(build_db)) as con:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {STATE_SCHEMA}")
        con.execute(f"CREATE OR REPLACE TABLE {INPUTS_TABLE} AS SELECT $fingerprint AS fingerprint, "
                    "d.delivery_id, d.load_seq FROM (SELECT NULL AS anchor) AS one "
                    "LEFT JOIN main.mart_deliveries AS d ON true", {"fingerprint": fingerprint})
        con.execute("CHECKPOINT")


def take_incremental_work(build_db: Path) -> dict[str, tuple[int, int]]:
    """model -> (records resolved again, rows written) of this build's incremental models, removed
    from the file (a count of this build's work, not part of the warehouse); empty after a full
    build, in which every row of every model was written."""
    with duckdb.connect(str(build_db)) as con:
        try:
            rows = con.execute(f"SELECT model, sum(records_resolved), sum(rows_written) FROM {WORK_TABLE} "
                               "GROUP BY model ORDER BY model").fetchall()
        except duckdb.CatalogException:
            return {}
        con.execute(f"DROP TABLE {WORK_TABLE}")
        con.execute("CHECKPOINT")
    return {model: (int(resolved), int(written)) for model, resolved, written in rows}
