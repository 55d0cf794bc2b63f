"""What the benchmarks share: the cached sample warehouses of the query-side benches, row counts
of the marts, a child process's peak memory, the machine they ran on, and bench/results/*.json.

Importing it puts the repository root on sys.path, so a bench script can import the project.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RESULTS_DIR = ROOT / "bench" / "results"

# The query-side benches (metrics, reports, dashboard): 12 months from 2022-08, generator seed 7;
# regional ~4,400 clients (one centre's region-year, facts.md), national ~44,000 (SUZ's 10 regions).
SCALES = {"regional": 4_400, "national": 44_000}
MONTHS = 12
START = date(2022, 8, 1)
PERIOD = ("2022-08-01", "2023-07-31")
METRICS_CACHE = Path(tempfile.gettempdir()) / "reach-bench-metrics"  # the dashboard bench reuses it
MART_TABLES = ("dim_client", "fct_activities", "fct_contacts", "fct_course_enrolments", "fct_outcomes")

SHARED_MACHINE_NOTE = "shared by several engineers' processes; figures are indicative"


def _warehouse_code_version() -> str:
    """What a built warehouse depends on beyond the sample: the dbt project (models, macros, seeds,
    dbt version: reach.build_state's fingerprint) and the build's own steps after dbt."""
    import hashlib

    from reach.build_state import project_fingerprint

    digest = hashlib.sha256(project_fingerprint(ROOT).encode())
    for step in ("pipelines/disclosure/record_keys.py", "pipelines/disclosure/secret.py", "reach/build.py"):
        digest.update((ROOT / step).read_bytes())
    return digest.hexdigest()[:16]


def build_home(root: Path, clients: int) -> Path:
    """Generate, load and build a warehouse (or reuse the one built with the same parameters)."""
    from pipelines.generate import Manifest, generate_sample
    from pipelines.home import Home
    from pipelines.ingest import load_paths
    from reach.build import build_warehouse

    marker = root / "bench-params.json"
    # The warehouse's shape is part of the key: a cache built by older code (e.g. before record
    # keys) is rebuilt rather than measured.
    params = {"clients": clients, "months": MONTHS, "seed": 7, "warehouse": _warehouse_code_version()}
    home = Home(root / "home")
    if marker.exists() and json.loads(marker.read_text()) == params and home.warehouse_db.exists():
        return home.root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    started = time.perf_counter()
    generate_sample(root / "sample", clients=clients, months=MONTHS, start=START, seed=7)
    load_paths(home.ensure(), Manifest.read(root / "sample").delivery_paths())
    build_warehouse(home)
    print(f"built {clients:,} clients in {time.perf_counter() - started:.0f} s", flush=True)
    marker.write_text(json.dumps(params))
    return home.root


def add_scale_arguments(parser: argparse.ArgumentParser, cache: Path | None = None) -> None:
    """--scales and a --home-<scale> each (a published home to measure instead of a generated one);
    with `cache`, --cache: the folder the generated warehouses are kept in."""
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=list(SCALES))
    parser.add_argument("--home-regional", type=Path)
    parser.add_argument("--home-national", type=Path)
    if cache is not None:
        parser.add_argument("--cache", type=Path, default=cache)


def scale_home(args: argparse.Namespace, scale: str, cache: Path) -> tuple[Path, bool]:
    """The home to measure at `scale`: the one given with --home-<scale> (True), else the
    warehouse generated into `cache` (False)."""
    given = getattr(args, f"home_{scale}")
    return (Path(given), True) if given else (build_home(cache / scale, SCALES[scale]), False)


def warehouse_rows(database: Path, tables: tuple[str, ...] = MART_TABLES) -> dict[str, int]:
    """Rows per table of a warehouse file, opened read-only (table names from the benches only)."""
    import duckdb

    con = duckdb.connect(str(database), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # type: ignore[index]
    finally:
        con.close()


@dataclass(frozen=True)
class Sampled:
    """A finished child process: exit status, its output, wall-clock seconds and peak RSS."""

    returncode: int
    stdout: str
    stderr: str
    seconds: float
    peak_rss_bytes: int


def run_sampled(args: list[str], interval: float, **popen: Any) -> Sampled:
    """Run `args` in its own process and sample its resident set size every `interval` seconds
    with psutil (ru_maxrss would carry the parent's high-water mark over fork). stdout and stderr
    are captured unless `popen` says otherwise."""
    import psutil

    popen = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE} | popen
    started = time.perf_counter()
    process = subprocess.Popen(args, text=True, **popen)
    watched = psutil.Process(process.pid)
    peak = 0
    while process.poll() is None:
        with contextlib.suppress(psutil.Error):
            peak = max(peak, watched.memory_info().rss)
        time.sleep(interval)
    out, err = process.communicate()
    return Sampled(process.returncode, out or "", err or "", time.perf_counter() - started, peak)


def machine(*, load_average: bool = False) -> dict[str, object]:
    """The machine as the query-side and load benches record it."""
    figures: dict[str, object] = {"python": platform.python_version(), "cpus": os.cpu_count()}
    if load_average:
        figures["load_average_1min_at_start"] = round(os.getloadavg()[0], 2)
    return figures | {"note": SHARED_MACHINE_NOTE}


def host() -> dict[str, object]:
    """The machine as the build and gate benches record it (beside their earlier figures)."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}


def read_results(path: Path) -> dict[str, object]:
    """The figures written so far (benches that record one scale at a time update them)."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def write_results(path: Path, results: dict[str, object], indent: int = 2) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=indent, ensure_ascii=False) + "\n", encoding="utf-8")
