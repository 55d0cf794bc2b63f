"""The national decade through the real path: `reach generate --centres all`, `reach load` per
centre, `reach build`; time and peak memory of each step.

    .venv/bin/python bench/bench_national.py [--scale 1.0] [--keep DIR]

Scale 1 is 600,000 clients over ten years (about 3,000,000 contacts) in all fourteen centres;
`--scale 0.1` runs 60,000 clients over the same ten years for a quick check. Each step is the
`reach` command a user runs, in a child process; its peak memory is the largest resident set
of the child and its descendants (dbt runs in processes of its own), sampled every 0.2 s with
psutil. The machine's load average is recorded before and after each step (the machine is
shared: figures are indicative). Writes bench/results/national.json.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil
from _common import RESULTS_DIR, ROOT, machine, read_results, write_results

RESULTS = RESULTS_DIR / "national.json"
FULL_CLIENTS = 600_000
MONTHS = 120
START = "2015-01"  # ten years of deliveries ending before the day of loading
SAMPLE_SECONDS = 0.2
REACH = [sys.executable, "-m", "reach.cli"]


def _tree_rss(process: psutil.Process) -> int:
    """Resident bytes of a process and all its descendants (0 for those gone meanwhile)."""
    total = 0
    for member in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.NoSuchProcess, psutil.AccessDenied):
            total += member.memory_info().rss
    return total


def run_step(name: str, arguments: list[str]) -> dict[str, object]:
    """Run `reach ARGUMENTS` and sample the memory of its process tree until it ends."""
    load_before = os.getloadavg()
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:  # a file, not a pipe: a long output never blocks
        child = subprocess.Popen([*REACH, *arguments], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, text=True)
        watched = psutil.Process(child.pid)
        peak = 0
        while child.poll() is None:
            try:
                peak = max(peak, _tree_rss(watched))
            except psutil.NoSuchProcess:
                break
            time.sleep(SAMPLE_SECONDS)
        child.wait()
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
    if child.returncode != 0:
        raise SystemExit(f"{name} failed (exit {child.returncode}):\n{output[-3000:]}")
    print(f"{name}: {seconds:.1f} s, peak {peak / 2**20:.0f} MiB", flush=True)
    return {
        "step": name, "command": "reach " + " ".join(arguments[2:] if arguments[0] == "--home" else arguments),
        "seconds": round(seconds, 1), "peak_rss_mib": round(peak / 2**20),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


def _rows(sample: Path) -> dict[str, int]:
    """Rows written per file over all centres (from the generator's manifests)."""
    national = json.loads((sample / "national-manifest.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = {}
    for centre in national["centres"]:
        manifest = json.loads((sample / centre["path"] / "generator-manifest.json").read_text(encoding="utf-8"))
        for delivery in manifest["deliveries"]:
            for entry in delivery["files"]:
                rows[entry["table"]] = rows.get(entry["table"], 0) + entry["rows"]
    return rows


def _last_delivery(home: Path) -> str:
    """The ID of the delivery loaded last (the newest month of the centre loaded last)."""
    import duckdb

    with duckdb.connect(str(home / "raw.duckdb"), read_only=True) as con:
        return str(con.execute("SELECT delivery_id FROM meta.deliveries ORDER BY load_seq DESC LIMIT 1")
                   .fetchone()[0])


def rebuild(source: Path) -> None:
    """The builds of a loaded national home (a copy of it; `source` is not written): a full build
    without its newest delivery, then the delivery restored and the incremental build after it, as
    a month's routine is: the target figure "`reach build` after one new monthly delivery"."""
    work = Path(tempfile.mkdtemp(prefix="reach-bench-rebuild-"))
    home = work / "home"
    try:
        shutil.copytree(source, home)
        newest = _last_delivery(home)
        reason = ["--reason", "bench: the month before the new delivery"]
        subprocess.run([*REACH, "--home", str(home), "deliveries", "set-aside", newest, *reason],
                       cwd=ROOT, check=True, capture_output=True)
        full = run_step("build --full without the newest delivery", ["--home", str(home), "build", "--full"])
        subprocess.run([*REACH, "--home", str(home), "deliveries", "restore", newest, *reason],
                       cwd=ROOT, check=True, capture_output=True)
        incremental = run_step("build after one new monthly delivery", ["--home", str(home), "build"])
    finally:
        shutil.rmtree(work, ignore_errors=True)
    results = read_results(RESULTS)
    results["rebuild"] = {
        "home": str(source), "delivery_restored": newest,
        "full_build": full, "build_after_new_month": incremental, "machine": machine(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    write_results(RESULTS, results)
    print(json.dumps({k: results["rebuild"][k]["seconds"] for k in ("full_build", "build_after_new_month")}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="share of the 600,000 clients (default 1)")
    parser.add_argument("--keep", type=Path, default=None, help="work in DIR and keep it (default: a temporary folder)")
    parser.add_argument("--rebuild", type=Path, default=None, metavar="HOME",
                        help="only the builds of an already loaded national home (see rebuild); kept in the "
                             "results beside the last whole run")
    args = parser.parse_args()
    if args.rebuild is not None:
        rebuild(args.rebuild)
        return
    clients = max(14, round(FULL_CLIENTS * args.scale))
    work = args.keep or Path(tempfile.mkdtemp(prefix="reach-bench-national-"))
    sample, home = work / "sample", work / "home"
    shutil.rmtree(home, ignore_errors=True)
    steps = [run_step("generate", ["--home", str(home), "generate", str(sample), "--centres", "all",
                                   "--clients", str(clients), "--months", str(MONTHS), "--start", START,
                                   "--seed", "7"])]
    national = json.loads((sample / "national-manifest.json").read_text(encoding="utf-8"))
    for centre in national["centres"]:
        steps.append(run_step(f"load {centre['code']}", ["--home", str(home), "load", str(sample / centre["path"]),
                                                         "--centre", centre["code"]]))
    steps.append(run_step("build", ["--home", str(home), "build"]))
    loads = [s for s in steps if str(s["step"]).startswith("load ")]
    result = {
        "scale": args.scale, "clients": clients, "months": MONTHS, "start": START, "centres": len(national["centres"]),
        "people_served_by_two_centres": national["shared_people"], "rows": _rows(sample),
        "summary": {
            "generate_seconds": steps[0]["seconds"], "generate_peak_rss_mib": steps[0]["peak_rss_mib"],
            "load_seconds_total": round(sum(float(s["seconds"]) for s in loads), 1),
            "load_peak_rss_mib_max": max(int(s["peak_rss_mib"]) for s in loads),
            "build_seconds": steps[-1]["seconds"], "build_peak_rss_mib": steps[-1]["peak_rss_mib"],
        },
        "steps": steps, "machine": machine(),
    }
    if "rebuild" in (earlier := read_results(RESULTS)):  # measured by --rebuild, separately: kept
        result["rebuild"] = earlier["rebuild"]
    write_results(RESULTS, result)
    print(json.dumps(result["summary"], indent=1))
    if args.keep is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
