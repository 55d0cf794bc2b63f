"""Load throughput: `reach load` (polars -> DuckDB with every contract rule) against a bare
DuckDB `read_csv` of the same files, on generated deliveries with ~1,000,000 contacts.

    .venv/bin/python bench/bench_load.py [--contacts 1000000] [--data DIR] [--months 12]

Each measured step runs in its own process, so peak memory (that child's resident set size,
sampled with psutil) is the step's own. Writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import RESULTS_DIR, machine, run_sampled, write_results

CONTACTS_PER_CLIENT = 4.65  # what the generator writes over 12 months (measured: 995,150 for 212,766)
RESULTS = RESULTS_DIR / "load.json"


def generate(data: Path, contacts: int, months: int) -> dict[str, int]:
    """Generate (or reuse) a clean sample with about `contacts` contacts; rows per export file."""
    from pipelines.generate import Manifest, generate_sample

    clients = round(contacts / CONTACTS_PER_CLIENT)
    marker = data / "bench-params.json"
    params = {"clients": clients, "months": months, "seed": 7}
    if not (marker.exists() and json.loads(marker.read_text()) == params):
        shutil.rmtree(data, ignore_errors=True)
        started = time.perf_counter()
        generate_sample(data, clients=clients, months=months, start=date(2022, 8, 1), seed=7)
        print(f"generated {clients:,} clients in {time.perf_counter() - started:.0f} s", flush=True)
        marker.write_text(json.dumps(params))
    manifest = Manifest.read(data)
    rows: dict[str, int] = {}
    for delivery in manifest.deliveries:
        for entry in delivery.files:
            rows[entry.table] = rows.get(entry.table, 0) + entry.rows
    return rows


def step_loader(data: Path, home: Path) -> None:
    from pipelines.generate import Manifest
    from pipelines.home import Home
    from pipelines.ingest import load_paths

    started = time.perf_counter()
    reports = load_paths(Home(home), Manifest.read(data).delivery_paths())
    print(json.dumps({"work_seconds": round(time.perf_counter() - started, 2),
                      "loaded": sum(r.rows_loaded for r in reports),
                      "quarantined": sum(r.rows_quarantined for r in reports)}))


def step_duckdb(data: Path, home: Path, per_kind: bool) -> None:
    """The floor: DuckDB's own CSV reader (auto-detecting) into one table per file kind, either
    one read_csv per file (as the loader reads them) or one read_csv per kind over all deliveries."""
    import duckdb

    from pipelines.contract import FILES
    from pipelines.generate import Manifest

    started = time.perf_counter()
    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "bare.duckdb"))
    deliveries = Manifest.read(data).delivery_paths()
    for export in FILES:
        paths = [str(d / f"{export.name}.csv") for d in deliveries if (d / f"{export.name}.csv").exists()]
        if per_kind:
            con.execute(f"CREATE TABLE {export.table} AS SELECT * FROM read_csv(?, header = true, "
                        "union_by_name = true)", [paths])
            continue
        for number, path in enumerate(paths):
            source = "read_csv(?, header = true)"  # the path as a parameter, never pasted into SQL
            if number == 0:
                con.execute(f"CREATE TABLE {export.table} AS SELECT * FROM {source}", [path])
            else:
                con.execute(f"INSERT INTO {export.table} BY NAME SELECT * FROM {source}", [path])
    loaded = sum(con.execute(f"SELECT count(*) FROM {e.table}").fetchall()[0][0] for e in FILES)
    con.close()
    print(json.dumps({"work_seconds": round(time.perf_counter() - started, 2), "loaded": loaded}))


def measure(step: str, data: Path) -> dict[str, float]:
    """Run one step in a fresh process: wall time (with interpreter start and imports), the step's
    own work time, and the peak RSS of that process sampled every 20 ms with psutil (ru_maxrss
    would carry the parent's high-water mark over fork)."""
    with tempfile.TemporaryDirectory(prefix=f"bench-load-{step}-") as home:
        child = run_sampled([sys.executable, __file__, "--step", step, "--data", str(data), "--home", home], 0.02,
                            stderr=None)
    if child.returncode != 0:
        raise SystemExit(f"step {step} failed with status {child.returncode}")
    result = json.loads(child.stdout.strip().splitlines()[-1])
    return {"seconds": round(child.seconds, 2), "peak_rss_mib": round(child.peak_rss_bytes / 2**20, 1), **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "reach-bench-load")
    parser.add_argument("--step", choices=("loader", "duckdb_per_file", "duckdb_per_kind"))
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.step == "loader":
        return step_loader(args.data, args.home)
    if args.step:
        return step_duckdb(args.data, args.home, per_kind=args.step == "duckdb_per_kind")

    rows = generate(args.data, args.contacts, args.months)
    total = sum(rows.values())
    bytes_on_disk = sum(p.stat().st_size for p in args.data.rglob("*.csv"))
    per_file = measure("duckdb_per_file", args.data)
    per_kind = measure("duckdb_per_kind", args.data)
    loader = measure("loader", args.data)
    for result in (per_file, per_kind, loader):
        result["rows_per_second"] = round(total / result["work_seconds"])
    report = {
        "what": "reach load (all contract rules, quarantine, lineage, one transaction per delivery) "
                "vs bare DuckDB read_csv of the same CSV files",
        "date": date.today().isoformat(),
        "machine": machine(),
        "sample": {"contacts": rows.get("kontakty", 0), "rows_total": total, "rows_by_file": rows,
                   "deliveries": args.months, "csv_mib": round(bytes_on_disk / 2**20, 1)},
        "loader": loader,
        "duckdb_read_csv_per_file": per_file,
        "duckdb_read_csv_per_kind": per_kind,
        # Work time, imports excluded; > 1: the loader takes that many times as long as the bare read.
        "time_ratio_loader_vs_duckdb_per_file": round(loader["work_seconds"] / per_file["work_seconds"], 2),
        "time_ratio_loader_vs_duckdb_per_kind": round(loader["work_seconds"] / per_kind["work_seconds"], 2),
    }
    write_results(RESULTS, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
