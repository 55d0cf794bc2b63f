"""Quality gate time and peak memory at two scales; writes bench/results/gate.json.

    .venv/bin/python bench/bench_gate.py [--scale regional|national|both] [--work DIR] [--repeats N]

The raw layer is prepared as bench/bench_build.py does (regional: generate_sample + load_paths,
3,000 clients over 12 months; national: its documented SQL fast path, 600,000 clients and
3,000,000 contacts over 120 months), dbt builds the marts into a build file (reach.build.run_dbt,
no gate), and then `expectations.runner.run_gate` runs on that file in its own process. Peak memory
is that process's resident set size sampled every 50 ms with psutil (imports of Great
Expectations included); time is wall-clock of the gate call alone, measured inside the process.
The gate runs `--repeats` times (each in a fresh process, on the same build file), each run with
the machine's 1-minute load average before it; `gate` is the run with the median time, `gate_p50`
/ `gate_p95` over all runs.

The floor is DuckDB computing the same figures on the same connection setup (the gate's views of
the raw layer, its memory limit): per suite one query counting the rows and, per row expectation,
the rows it would find unexpected (`floor_sql`), and each check's query counted once. It is
measured in this process right before the gate runs; `floor.counts_match` says whether DuckDB's
counts equal the gate's (the GX expectations' semantics restated in SQL for the floor only; the
gate itself is decided by GX).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import RESULTS_DIR, ROOT, host, read_results, run_sampled, write_results
from bench_build import SCALES, prepare_regional, raw_counts, write_national_raw

RESULTS = RESULTS_DIR / "gate.json"

# The report goes to a file: DuckDB may draw its progress bar on stdout during a long query.
GATE_SCRIPT = """
import json, sys, time
from pathlib import Path
from expectations.engine import CHUNK_ROWS
from expectations.runner import run_gate
from pipelines.home import Home
started = time.perf_counter()
result = run_gate(Path(sys.argv[1]), Home(Path(sys.argv[2])))
seconds = time.perf_counter() - started
rows = {o.suite: o.element_count for o in result.outcomes if o.element_count}
counts = {f"{o.suite}.{o.expectation}": o.unexpected_count for o in result.outcomes}
Path(sys.argv[3]).write_text(json.dumps({
    "gate_seconds": round(seconds, 1), "passed": result.passed, "chunk_rows": CHUNK_ROWS,
    "expectations": len(result.outcomes), "errors": len(result.errors),
    "warnings": len(result.warnings), "rows_validated_per_suite": rows,
    "failed": [o.line()[:300] for o in [*result.errors, *result.warnings]], "counts": counts}))
"""


def load_average() -> float:
    return round(os.getloadavg()[0], 2)


def measure_gate(build_db: Path, home: Path) -> dict[str, object]:
    report_file = build_db.with_suffix(".gate.json")
    report_file.unlink(missing_ok=True)
    load_before = load_average()
    child = run_sampled([sys.executable, "-c", GATE_SCRIPT, str(build_db), str(home), str(report_file)], 0.05,
                        cwd=ROOT)
    report = json.loads(report_file.read_text()) if child.returncode == 0 else {"error": child.stderr[-2000:]}
    return report | {"process_seconds": round(child.seconds, 1), "peak_rss_mb": round(child.peak_rss_bytes / 2**20, 1),
                     "load_average_1min_before": load_before}


def _sql_list(values: list[object]) -> str:
    """Values as SQL text literals, as DuckDB casts them to VARCHAR (true, not True)."""
    return ", ".join("'" + (str(v).lower() if isinstance(v, bool) else str(v)).replace("'", "''") + "'"
                     for v in values)


def unexpected_sql(expect: str, kwargs: dict[str, object]) -> str:
    """The rows a row expectation finds unexpected, as a SQL condition (for the floor only)."""
    column = f'"{kwargs.get("column")}"'
    if expect == "expect_column_values_to_not_be_null":
        return f"{column} IS NULL"
    if expect == "expect_column_values_to_be_between":
        bounds = [f"{column} < {kwargs['min_value']}" if kwargs.get("min_value") is not None else None,
                  f"{column} > {kwargs['max_value']}" if kwargs.get("max_value") is not None else None]
        return " OR ".join(b for b in bounds if b)
    if expect == "expect_column_values_to_be_in_set":
        return f"{column} IS NOT NULL AND CAST({column} AS VARCHAR) NOT IN ({_sql_list(kwargs['value_set'])})"
    if expect == "expect_column_values_to_not_be_in_set":
        return f"CAST({column} AS VARCHAR) IN ({_sql_list(kwargs['value_set'])})"
    if expect == "expect_column_values_to_match_regex":
        return f"{column} IS NOT NULL AND NOT regexp_matches({column}, {_sql_list([kwargs['regex']])})"
    if expect == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = f'"{kwargs["column_A"]}"', f'"{kwargs["column_B"]}"'
        return f"NOT ({a} {'>=' if kwargs.get('or_equal') else '>'} {b})"  # NULL (a value missing): ignored
    raise ValueError(f"no floor SQL for {expect}")


def floor_sql(suite: object, target: object) -> str:
    """One query: the suite's rows and, per row expectation, its unexpected rows."""
    from expectations.engine import ROW_LABEL

    wanted = list(dict.fromkeys(c for e in suite.expectations for c in e.columns))
    select = [f"CAST({suite.row_label or 'NULL'} AS VARCHAR) AS {ROW_LABEL}"]
    select += [f"{suite.columns[c]} AS {c}" if c in suite.columns else f'"{c}"' for c in wanted]
    counts = ["count(*)"] + [f"count(*) FILTER (WHERE {unexpected_sql(e.expect, e.kwargs)})"
                             for e in suite.expectations]
    return target.sql(f"SELECT {', '.join(counts)} FROM (SELECT {', '.join(select)} FROM {suite.table})")


def measure_floor(build_db: Path, home: Path) -> dict[str, object]:
    """DuckDB alone computing the gate's counts (module docs)."""
    import duckdb

    from expectations.identifiers import identifier_scan_query
    from expectations.runner import RAW_ALIAS, _limit_memory, _target
    from expectations.spec import load_suites
    from pipelines.database import attach

    load_before = load_average()
    started = time.perf_counter()
    con = duckdb.connect(str(build_db))  # as the gate opens it (an in-memory catalog is attached)
    counts: dict[str, int] = {}
    unreadable: list[str] = []
    try:
        _limit_memory(con)
        attach(con, home / "raw.duckdb", RAW_ALIAS, read_only=True)
        target = _target(con, RAW_ALIAS, str(con.execute("SELECT current_database()").fetchall()[0][0]))
        for suite in load_suites():
            try:
                if suite.expectations:
                    row = con.execute(floor_sql(suite, target)).fetchall()[0]
                    counts |= {f"{suite.name}.{e.id}": int(n)
                               for e, n in zip(suite.expectations, row[1:], strict=True)}
            except duckdb.Error:  # the gate reports such a table as an exception on every rule
                unreadable.append(suite.name)
            for check in suite.checks:
                sql = identifier_scan_query(con, target, check.options) if check.kind == "identifier_scan" \
                    else target.sql(check.query or "")
                try:
                    counts[f"{suite.name}.{check.id}"] = int(
                        con.execute(f"SELECT count(*) FROM ({sql})").fetchall()[0][0])
                except duckdb.Error:
                    unreadable.append(f"{suite.name}.{check.id}")
    finally:
        con.close()
    return {"duckdb_seconds": round(time.perf_counter() - started, 2), "load_average_1min_before": load_before,
            "what": "DuckDB alone: per suite one query counting rows and each row expectation's unexpected rows, "
                    "each check's query counted once (same views and memory limit as the gate)",
            "counts": counts, "not_computed": unreadable}


def measure(build_db: Path, home: Path, repeats: int) -> dict[str, object]:
    """The floor, then the gate `repeats` times; the median run and p50/p95, each with its load."""
    floor = measure_floor(build_db, home)
    runs = [measure_gate(build_db, home) for _ in range(repeats)]
    seconds = sorted(r.get("gate_seconds", float("nan")) for r in runs)
    median = sorted(runs, key=lambda r: r.get("gate_seconds", float("inf")))[(len(runs) - 1) // 2]
    gate_counts = median.pop("counts", {})
    for run in runs:
        run.pop("counts", None)
    floor_counts = floor.pop("counts")
    mismatches = {k: {"duckdb": n, "gate": gate_counts.get(k)} for k, n in floor_counts.items()
                  if gate_counts.get(k) != n}
    floor |= {"counts_match": not mismatches, "mismatches": mismatches}
    p95 = seconds[min(len(seconds) - 1, round(0.95 * (len(seconds) - 1)))]
    return {"gate": median, "gate_p50": statistics.median(seconds), "gate_p95": p95,
            "runs": [{k: r.get(k) for k in ("gate_seconds", "process_seconds", "peak_rss_mb",
                                            "load_average_1min_before")} for r in runs],
            "floor": floor, "ratio_p50_to_floor": round(statistics.median(seconds) / floor["duckdb_seconds"], 1)}


def run_scale(scale: str, work: Path, repeats: int, reuse: bool = False) -> dict[str, object]:
    from pipelines.home import Home
    from reach.build import run_dbt

    home = Home(work / f"{scale}-gate-home")
    build_db = home.builds_dir / "bench.duckdb"
    params = SCALES[scale]
    dbt_seconds = None
    if not (reuse and build_db.exists()):
        shutil.rmtree(home.root, ignore_errors=True)
        if scale == "regional":
            prepare_regional(home.root, work)
        else:
            write_national_raw(home.root, params["clients"], params["contacts"], params["months"])
        home.ensure()
        started = time.perf_counter()
        run_dbt(home, build_db, home.builds_dir / "target")
        dbt_seconds = round(time.perf_counter() - started, 1)
        print(f"{scale}: marts built in {dbt_seconds:.0f} s; running the gate", flush=True)
    measured = measure(build_db, home.root, repeats)
    print(f"{scale}: {measured}", flush=True)
    return {"target": params, "raw_rows": raw_counts(home.root), "dbt_seconds": dbt_seconds,
            "build_mb": round(build_db.stat().st_size / 2**20, 1)} | measured


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("regional", "national", "both"), default="regional")
    parser.add_argument("--work", type=Path, default=Path("/tmp/reach-bench-gate"))
    parser.add_argument("--repeats", type=int, default=3, help="gate runs per scale (each in its own process)")
    parser.add_argument("--reuse", action="store_true",
                        help="measure the build file left in --work by an earlier run (dbt_seconds then null)")
    args = parser.parse_args()
    scales = ["regional", "national"] if args.scale == "both" else [args.scale]
    for scale in scales:
        args.work.mkdir(parents=True, exist_ok=True)
        measured = run_scale(scale, args.work, args.repeats, args.reuse)
        results = read_results(RESULTS)  # read again: a run of the other scale may have written meanwhile
        results["machine"] = host()
        results[scale] = measured | {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
        write_results(RESULTS, results)
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
