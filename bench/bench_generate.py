"""Sample-generator memory and speed: `reach generate` at several sizes, regional and national.

    .venv/bin/python bench/bench_generate.py [--sizes 20000,60000,200000,300000]
        [--national-sizes 60000,200000,300000] [--messy-sizes 60000,200000] [--decade-sizes 60000]

Each run is `reach generate` in its own process (the real command, as a user runs it), its
resident set size sampled with psutil every 0.05 s; the machine's load average is recorded
before and after each run. The generator streams: a centre is made in chunks of
CHUNK_CLIENTS clients, so the peak should stay flat once a sample is larger than one chunk.
`summary` gives, per kind, the peak at the smallest and at the largest size whose largest
centre is beyond one chunk, and their ratio beside the ratio of the clients. Writes bench/results/generate.json.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
from pathlib import Path

from _common import RESULTS_DIR, ROOT, host, run_sampled, write_results

RESULTS = RESULTS_DIR / "generate.json"
REACH = str(Path(__import__("sys").executable).with_name("reach"))
SAMPLE_INTERVAL = 0.05

# Before the generator streamed (bench/results/generate.json of 2026-11-25, commit 65d7e4c,
# generate_sample in-process, ru_maxrss): every record of the period was held at once.
BEFORE_STREAMING = {
    "measured": "2026-11-25, commit 65d7e4c, 12 months, seed 7, ru_maxrss of a child running generate_sample",
    "peak_rss_mib": {"3000": 119, "200000": 602, "1000000": 2100},
    "messy_peak_rss_mib": {"3000": 124, "200000": 668},
}

KINDS = {  # kind -> (extra arguments, months)
    "regional": ([], 12),
    "regional_messy": (["--messy"], 12),
    "national": (["--centres", "all"], 12),
    "national_decade": (["--centres", "all", "--start", "2015-01"], 120),
}


def _written(out: Path) -> tuple[dict[str, int], int]:
    """Rows per contract file, from the manifests the run wrote (one per centre when national),
    and the clients of the largest centre (what one generator pass holds chunks of)."""
    national = out / "national-manifest.json"
    if national.exists():
        centres = json.loads(national.read_text(encoding="utf-8"))["centres"]
        folders, largest = [out / c["path"] for c in centres], max(c["clients"] for c in centres)
    else:
        folders, largest = [out], 0
    rows: dict[str, int] = {}
    for folder in folders:
        manifest = json.loads((folder / "generator-manifest.json").read_text(encoding="utf-8"))
        largest = largest or manifest["clients"]
        for delivery in manifest["deliveries"]:
            for entry in delivery["files"]:
                rows[entry["table"]] = rows.get(entry["table"], 0) + entry["rows"]
    return rows, largest


def run(kind: str, clients: int, scratch: Path) -> dict[str, object]:
    extra, months = KINDS[kind]
    out = scratch / f"{kind}-{clients}"
    args = [REACH, "generate", str(out), "--clients", str(clients), "--months", str(months), "--seed", "7", *extra]
    before = [round(x, 2) for x in os.getloadavg()]
    result = run_sampled(args, SAMPLE_INTERVAL, cwd=ROOT)
    after = [round(x, 2) for x in os.getloadavg()]
    if result.returncode:
        raise SystemExit(f"{' '.join(args)} failed:\n{result.stderr[-2000:]}")
    rows, largest = _written(out)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    shutil.rmtree(out, ignore_errors=True)
    return {
        "kind": kind, "clients": clients, "largest_centre_clients": largest, "months": months,
        "command": " ".join(["reach", *args[1:]]),
        "peak_rss_mib": round(result.peak_rss_bytes / 2**20), "seconds": round(result.seconds, 2),
        "rows": rows, "rows_total": sum(rows.values()), "bytes_written": size,
        "load_average_before": before, "load_average_after": after,
    }


def summary(runs: list[dict[str, object]], chunk: int) -> dict[str, object]:
    """Per kind: peak memory against clients, over the sizes whose largest centre is larger than one chunk."""
    out: dict[str, object] = {}
    for kind in KINDS:
        mine = sorted((r for r in runs if r["kind"] == kind), key=lambda r: r["clients"])  # type: ignore[arg-type,return-value]
        if not mine:
            continue
        beyond = [r for r in mine if r["largest_centre_clients"] > chunk] or mine  # type: ignore[operator]
        low, high = beyond[0], beyond[-1]
        out[kind] = {
            "peak_rss_mib_by_clients": {str(r["clients"]): r["peak_rss_mib"] for r in mine},
            "compared": [low["clients"], high["clients"]],
            "clients_ratio": round(high["clients"] / low["clients"], 2),  # type: ignore[operator]
            "peak_ratio": round(high["peak_rss_mib"] / low["peak_rss_mib"], 2),  # type: ignore[operator]
        }
    return out


def main() -> None:
    from pipelines.generate.sample import CHUNK_CLIENTS

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="20000,60000,200000,300000", help="regional sample sizes")
    parser.add_argument("--messy-sizes", default="60000,200000")
    parser.add_argument("--national-sizes", default="60000,200000,300000", help="--centres all, 12 months")
    parser.add_argument("--decade-sizes", default="60000", help="--centres all, 120 months from 2015-01")
    parser.add_argument("--scratch", default=None, help="folder for the samples (default: a temp folder)")
    args = parser.parse_args()
    scratch = Path(args.scratch or tempfile.mkdtemp(prefix="bench-generate-"))
    plan = [(kind, int(n)) for kind, sizes in (
        ("regional", args.sizes), ("regional_messy", args.messy_sizes), ("national", args.national_sizes),
        ("national_decade", args.decade_sizes),
    ) for n in sizes.split(",") if n]
    runs = []
    for kind, clients in plan:
        figures = run(kind, clients, scratch)
        print(json.dumps({k: figures[k] for k in ("kind", "clients", "peak_rss_mib", "seconds",
                                                  "load_average_before")}), flush=True)
        runs.append(figures)
    write_results(RESULTS, {
        "benchmark": "reach generate: peak memory (psutil-sampled RSS of the command's process) by size",
        "chunk_clients": CHUNK_CLIENTS, "sample_interval_seconds": SAMPLE_INTERVAL, **host(),
        "note": "shared machine (other processes running); seconds are indicative, memory is the figure",
        "summary": summary(runs, CHUNK_CLIENTS), "before_streaming": BEFORE_STREAMING, "runs": runs,
    }, indent=1)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
