"""Load throughput: `reach load` (polars -> DuckDB with every contract rule) against a bare
DuckDB `read_csv` of the same files (the floor, measured in the same run), on generated
deliveries with ~1,000,000 contacts, on the regional year (bench/_common.py's 4,400 clients), and
on many small deliveries (one centre, 60 monthly deliveries of 3,000 clients: the fixed cost of a
delivery, as in the national sample's 120 deliveries per centre), timed per delivery too.

    .venv/bin/python bench/bench_load.py [--contacts 1000000] [--data DIR] [--months 12]
        [--repeat 3] [--skip-regional] [--many-months 60] [--skip-many]

Each measured step runs in its own process, so peak memory (that child's resident set size,
sampled with psutil) is the step's own; each is repeated and the median (p50) reported, with the
load average before and after. Issue 14's target: >= 200,000 rows/s and <= 1.5 x the floor.
Writes bench/results/load.json: the large sample at the top level (as before), the regional
year under "regional", the many deliveries under "many_deliveries".
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import MONTHS, RESULTS_DIR, SCALES, START, machine, run_sampled, write_results

TARGET_ROWS_PER_SECOND = 200_000
TARGET_RATIO_TO_FLOOR = 1.5
CONTACTS_PER_CLIENT = 4.65  # what the generator writes over 12 months (measured: 995,150 for 212,766)
RESULTS = RESULTS_DIR / "load.json"
MANY_CLIENTS = 3_000  # `reach generate`'s default: ~470 rows per monthly delivery
MANY_START = date(2018, 1, 1)  # 60 months end in 2022: no date after the day of loading


def generate(data: Path, contacts: int, months: int, clients: int | None = None, start: date = START) -> dict[str, int]:
    """Generate (or reuse) a clean sample with about `contacts` contacts (or `clients` clients);
    rows per export file."""
    from pipelines.generate import Manifest, generate_sample

    clients = clients or round(contacts / CONTACTS_PER_CLIENT)
    marker = data / "bench-params.json"
    params = {"clients": clients, "months": months, "seed": 7} | ({} if start == START else {"start": str(start)})
    if not (marker.exists() and json.loads(marker.read_text()) == params):
        shutil.rmtree(data, ignore_errors=True)
        started = time.perf_counter()
        generate_sample(data, clients=clients, months=months, start=start, seed=7)
        print(f"generated {clients:,} clients in {time.perf_counter() - started:.0f} s", flush=True)
        marker.write_text(json.dumps(params))
    manifest = Manifest.read(data)
    rows: dict[str, int] = {}
    for delivery in manifest.deliveries:
        for entry in delivery.files:
            rows[entry.table] = rows.get(entry.table, 0) + entry.rows
    return rows


def step_loader(data: Path, home: Path) -> None:
    """`reach load` itself (in-process, its summary sent to /dev/null), then the counts it loaded."""
    import contextlib

    import duckdb

    from pipelines.generate import Manifest
    from reach.cli import main

    paths = [str(p) for p in Manifest.read(data).delivery_paths()]
    # The CLI imports every command's module to build its parser (`reach build`'s pull in scipy):
    # start-up, timed apart so the work time excludes imports as the floor's does.
    started = time.perf_counter()
    import reach.progress  # noqa: F401  (rich)
    from reach.cli import build_parser
    from reach.commands import load as _load_command  # noqa: F401
    build_parser()
    startup = time.perf_counter() - started
    started = time.perf_counter()
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        code = main(["--home", str(home), "load", *paths, "--no-progress"])
    seconds = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"reach load failed with status {code}")
    con = duckdb.connect(str(home / "raw.duckdb"), read_only=True)
    [(loaded, quarantined)] = con.execute("SELECT sum(rows_loaded), sum(rows_quarantined) FROM meta.deliveries"
                                          ).fetchall()
    con.close()
    print(json.dumps({"work_seconds": round(seconds, 2), "cli_startup_seconds": round(startup, 2),
                      "loaded": int(loaded), "quarantined": int(quarantined)}))


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


def measure_once(step: str, data: Path) -> dict[str, float]:
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


def measure(step: str, data: Path, repeat: int = 1) -> dict[str, object]:
    """`repeat` runs of one step: the run with the median work time, all work times, the load average."""
    before = os.getloadavg()[0]
    runs = [measure_once(step, data) for _ in range(repeat)]
    median = statistics.median(r["work_seconds"] for r in runs)
    chosen = min(runs, key=lambda r: abs(r["work_seconds"] - median))
    return {**chosen, "work_seconds": round(median, 2), "work_seconds_runs": [r["work_seconds"] for r in runs],
            "load_average_1min": [round(before, 2), round(os.getloadavg()[0], 2)]}


def compare(data: Path, total: int, repeat: int, *, per_kind: bool, deliveries: int | None = None) -> dict[str, object]:
    """The loader beside the floor(s), measured in this run, with the ratios and the targets;
    with `deliveries`, each step's work time per delivery too."""
    # Interleaved so a change in the machine's load hits both alike.
    per_file = measure("duckdb_per_file", data, repeat)
    loader = measure("loader", data, repeat)
    steps = {"loader": loader, "duckdb_read_csv_per_file": per_file}
    if per_kind:
        steps["duckdb_read_csv_per_kind"] = measure("duckdb_per_kind", data, repeat)
    for result in steps.values():
        result["rows_per_second"] = round(total / result["work_seconds"])
        if deliveries:
            result["work_milliseconds_per_delivery"] = round(1000 * result["work_seconds"] / deliveries, 1)
    ratio = round(loader["work_seconds"] / per_file["work_seconds"], 2)
    figures: dict[str, object] = {**steps, "time_ratio_loader_vs_duckdb_per_file": ratio}
    if per_kind:
        figures["time_ratio_loader_vs_duckdb_per_kind"] = round(
            loader["work_seconds"] / steps["duckdb_read_csv_per_kind"]["work_seconds"], 2)
    figures["targets"] = {
        "rows_per_second_at_least": TARGET_ROWS_PER_SECOND, "met_rows_per_second": loader["rows_per_second"]
        >= TARGET_ROWS_PER_SECOND, "ratio_to_duckdb_per_file_at_most": TARGET_RATIO_TO_FLOOR,
        "met_ratio": ratio <= TARGET_RATIO_TO_FLOOR,
    }
    return figures


def sample_figures(data: Path, rows: dict[str, int], months: int) -> dict[str, object]:
    return {"contacts": rows.get("kontakty", 0), "rows_total": sum(rows.values()), "rows_by_file": rows,
            "deliveries": months, "csv_mib": round(sum(p.stat().st_size for p in data.rglob("*.csv")) / 2**20, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-regional", action="store_true")
    parser.add_argument("--many-months", type=int, default=60)
    parser.add_argument("--skip-many", action="store_true")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "reach-bench-load")
    parser.add_argument("--step", choices=("loader", "duckdb_per_file", "duckdb_per_kind"))
    parser.add_argument("--home", type=Path)
    args = parser.parse_args()
    if args.step == "loader":
        return step_loader(args.data, args.home)
    if args.step:
        return step_duckdb(args.data, args.home, per_kind=args.step == "duckdb_per_kind")

    report: dict[str, object] = {
        "what": "reach load (all contract rules, quarantine, lineage, one transaction per delivery; the CLI "
                "in-process, summary discarded) vs bare DuckDB read_csv of the same CSV files, measured in the "
                "same run; work time (imports excluded) p50 of --repeat runs; ratio > 1: the loader takes that "
                "many times as long as the bare read",
        "date": date.today().isoformat(),
        "machine": machine(load_average=True),
        "repeat": args.repeat,
    }
    if not args.skip_regional:
        regional = args.data.parent / f"{args.data.name}-regional"
        rows = generate(regional, 0, MONTHS, clients=SCALES["regional"])
        print(f"regional: {sum(rows.values()):,} rows", flush=True)
        report["regional"] = {"sample": sample_figures(regional, rows, MONTHS),
                              **compare(regional, sum(rows.values()), args.repeat, per_kind=False)}
    if not args.skip_many:
        many = args.data.parent / f"{args.data.name}-many"
        rows = generate(many, 0, args.many_months, clients=MANY_CLIENTS, start=MANY_START)
        print(f"many deliveries: {args.many_months} deliveries, {sum(rows.values()):,} rows", flush=True)
        report["many_deliveries"] = {
            "sample": sample_figures(many, rows, args.many_months),
            **compare(many, sum(rows.values()), args.repeat, per_kind=False, deliveries=args.many_months)}
    rows = generate(args.data, args.contacts, args.months)
    print(f"large: {sum(rows.values()):,} rows", flush=True)
    report |= {"sample": sample_figures(args.data, rows, args.months),
               **compare(args.data, sum(rows.values()), args.repeat, per_kind=True)}
    write_results(RESULTS, report)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
