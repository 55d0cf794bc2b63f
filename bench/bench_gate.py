"""Quality gate time and peak memory at two scales; writes bench/results/gate.json.

    .venv/bin/python bench/bench_gate.py [--scale regional|national|both] [--work DIR]

The raw layer is prepared as bench/bench_build.py does (regional: generate_sample + load_paths,
3,000 clients over 12 months; national: its documented SQL fast path, 600,000 clients and
3,000,000 contacts over 120 months), dbt builds the marts into a build file (reach.build.run_dbt,
no gate), and then `expectations.runner.run_gate` runs on that file in its own process. Peak memory
is that process's resident set size sampled every 50 ms with psutil (imports of Great
Expectations included); time is wall-clock of the gate call alone, measured inside the process.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from _common import RESULTS_DIR, ROOT, host, read_results, run_sampled, write_results
from bench_build import SCALES, prepare_regional, raw_counts, write_national_raw

RESULTS = RESULTS_DIR / "gate.json"

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
print(json.dumps({"gate_seconds": round(seconds, 1), "passed": result.passed, "chunk_rows": CHUNK_ROWS,
                  "expectations": len(result.outcomes), "errors": len(result.errors),
                  "warnings": len(result.warnings), "rows_validated_per_suite": rows,
                  "failed": [o.line()[:300] for o in [*result.errors, *result.warnings]]}))
"""


def measure_gate(build_db: Path, home: Path) -> dict[str, object]:
    child = run_sampled([sys.executable, "-c", GATE_SCRIPT, str(build_db), str(home)], 0.05, cwd=ROOT)
    report = json.loads(child.stdout.strip().splitlines()[-1]) if child.returncode == 0 \
        else {"error": child.stderr[-2000:]}
    return report | {"process_seconds": round(child.seconds, 1), "peak_rss_mb": round(child.peak_rss_bytes / 2**20, 1)}


def run_scale(scale: str, work: Path) -> dict[str, object]:
    from pipelines.home import Home
    from reach.build import run_dbt

    home = Home(work / f"{scale}-gate-home")
    shutil.rmtree(home.root, ignore_errors=True)
    params = SCALES[scale]
    if scale == "regional":
        prepare_regional(home.root, work)
    else:
        write_national_raw(home.root, params["clients"], params["contacts"], params["months"])
    home.ensure()
    build_db = home.builds_dir / "bench.duckdb"
    started = time.perf_counter()
    run_dbt(home, build_db, home.builds_dir / "target")
    dbt_seconds = time.perf_counter() - started
    print(f"{scale}: marts built in {dbt_seconds:.0f} s; running the gate", flush=True)
    gate = measure_gate(build_db, home.root)
    print(f"{scale}: {gate}", flush=True)
    return {"target": params, "raw_rows": raw_counts(home.root), "dbt_seconds": round(dbt_seconds, 1),
            "build_mb": round(build_db.stat().st_size / 2**20, 1), "gate": gate}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=("regional", "national", "both"), default="regional")
    parser.add_argument("--work", type=Path, default=Path("/tmp/reach-bench-gate"))
    args = parser.parse_args()
    scales = ["regional", "national"] if args.scale == "both" else [args.scale]
    results = read_results(RESULTS)
    results["machine"] = host()
    for scale in scales:
        args.work.mkdir(parents=True, exist_ok=True)
        results[scale] = run_scale(scale, args.work) | {"measured_at": datetime.now(UTC).isoformat(timespec="seconds")}
        write_results(RESULTS, results)
    print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
