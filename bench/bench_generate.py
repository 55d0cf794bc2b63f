"""Sample-generator speed and memory: `generate_sample` at several sizes, clean and messy.

    .venv/bin/python bench/bench_generate.py [--sizes 3000,200000,1000000] [--messy-sizes 3000,200000]

Each run is its own process, so the peak memory (ru_maxrss of that child) is the run's own.
Writes bench/results/generate.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import RESULTS_DIR, ROOT, write_results

RESULTS = RESULTS_DIR / "generate.json"

_CHILD = """
import json, resource, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from pipelines.generate import generate_sample
started = time.perf_counter()
manifest = generate_sample(Path({out!r}), clients={clients}, months=12, seed=7, messy={messy})
seconds = time.perf_counter() - started
rows = {{}}
for delivery in manifest.deliveries:
    for entry in delivery.files:
        rows[entry.table] = rows.get(entry.table, 0) + entry.rows
print(json.dumps({{"seconds": round(seconds, 2), "rows": rows,
                  "irregularities": len(manifest.irregularities), "revisions": len(manifest.revisions),
                  "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)}}))
"""


def run(clients: int, messy: bool, scratch: Path) -> dict[str, object]:
    out = scratch / f"sample-{clients}-{messy}"
    code = _CHILD.format(root=str(ROOT), out=str(out), clients=clients, messy=messy)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - started
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out, ignore_errors=True)
    return {
        "clients": clients, "months": 12, "messy": messy, **figures, "wall_seconds": round(wall, 2),
        "bytes_written": size,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="3000,200000,1000000")
    parser.add_argument("--messy-sizes", default="3000,200000")
    parser.add_argument("--scratch", default=None, help="folder for the samples (default: a temp folder)")
    args = parser.parse_args()
    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="bench-generate-"))
    clean = [(int(n), False) for n in args.sizes.split(",") if n]
    messy = [(int(n), True) for n in args.messy_sizes.split(",") if n]
    plan = sorted(clean + messy)
    runs = []
    for clients, messy in plan:
        figures = run(clients, messy, scratch)
        print(json.dumps(figures), flush=True)
        runs.append(figures)
    write_results(RESULTS, {
        "benchmark": "generate_sample", "python": platform.python_version(), "machine": platform.machine(),
        "cpus": os.cpu_count(), "runs": runs,
    }, indent=1)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
