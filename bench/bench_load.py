"""Load throughput: `reach load` (polars -> DuckDB with every contract rule) against a bare
DuckDB `read_csv` of the same files, on generated deliveries with ~1,000,000 contacts.

    .venv/bin/python bench/bench_load.py [--contacts 1000000] [--data DIR] [--months 12]

Each measured step runs in its own process, so peak memory (ru_maxrss of that child) is the
step's own. Writes bench/results/load.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONTACTS_PER_CLIENT = 4.7  # what the generator writes over 12 months (measured on 2,000 clients)
RESULTS = ROOT / "bench" / "results" / "load.json"


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

    reports = load_paths(Home(home), Manifest.read(data).delivery_paths())
    print(json.dumps({"loaded": sum(r.rows_loaded for r in reports),
                      "quarantined": sum(r.rows_quarantined for r in reports)}))


def step_duckdb(data: Path, home: Path) -> None:
    """The floor: DuckDB's own CSV reader, auto-detecting, into one table per file kind."""
    import duckdb

    from pipelines.contract import FILES
    from pipelines.generate import Manifest

    home.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(home / "bare.duckdb"))
    loaded = 0
    for delivery in Manifest.read(data).delivery_paths():
        for export in FILES:
            path = delivery / f"{export.name}.csv"
            if not path.exists():
                continue
            source = f"read_csv('{path}', header = true)"
            exists = con.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [export.table]
            ).fetchall()[0][0]
            if exists:
                con.execute(f"INSERT INTO {export.table} BY NAME SELECT * FROM {source}")
            else:
                con.execute(f"CREATE TABLE {export.table} AS SELECT * FROM {source}")
    for export in FILES:
        loaded += con.execute(f"SELECT count(*) FROM {export.table}").fetchall()[0][0]
    con.close()
    print(json.dumps({"loaded": loaded}))


def measure(step: str, data: Path) -> dict[str, float]:
    """Run one step in a fresh process; wall time and that process's peak RSS."""
    with tempfile.TemporaryDirectory(prefix=f"bench-load-{step}-") as home:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--step", step, "--data", str(data), "--home", home],
                              check=True, capture_output=True, text=True)
        seconds = time.perf_counter() - started
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = json.loads(done.stdout.strip().splitlines()[-1])
    # ru_maxrss of children is the max over all children so far; steps run largest-last is not
    # guaranteed, so report it only when this child raised it.
    return {"seconds": round(seconds, 2), "peak_rss_mib": round(peak_kib / 1024, 1) if peak_kib > before else None,
            **result}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "reach-bench-load")
    parser.add_argument("--step", choices=("loader", "duckdb"))
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.step == "loader":
        return step_loader(args.data, args.home)
    if args.step == "duckdb":
        return step_duckdb(args.data, args.home)

    rows = generate(args.data, args.contacts, args.months)
    total = sum(rows.values())
    bytes_on_disk = sum(p.stat().st_size for p in args.data.rglob("*.csv"))
    # DuckDB first: its peak is lower, so the loader's peak (if higher) is still attributable.
    bare = measure("duckdb", args.data)
    loader = measure("loader", args.data)
    for result in (bare, loader):
        result["rows_per_second"] = round(total / result["seconds"])
    report = {
        "what": "reach load (all contract rules, quarantine, lineage, one transaction per delivery) "
                "vs bare DuckDB read_csv of the same CSV files",
        "date": date.today().isoformat(),
        "machine": {"python": platform.python_version(), "cpus": __import__("os").cpu_count(),
                    "note": "shared by several engineers' processes; figures are indicative"},
        "sample": {"contacts": rows.get("kontakty", 0), "rows_total": total, "rows_by_file": rows,
                   "deliveries": args.months, "csv_mib": round(bytes_on_disk / 2**20, 1)},
        "loader": loader,
        "duckdb_read_csv": bare,
        "time_ratio_loader_vs_duckdb": round(loader["seconds"] / bare["seconds"], 2),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2) + "\n")
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
