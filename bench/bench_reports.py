"""Time of `reach report ministry` and `reach report board` (PDF and PPTX) at two scales.

    .venv/bin/python bench/bench_reports.py [--repeat 3] [--scales regional national]
        [--home-regional DIR] [--home-national DIR] [--cache DIR]

Scales (12 months from 2022-08, generator seed 7), as bench/bench_metrics.py: regional ~4,400
clients (one centre's region-year, facts.md), national ~44,000 (SUZ's 10 regions in 2024). A
warehouse is generated, loaded and built through the public APIs into `--cache` (reused while
its parameters match) unless a home is given.

Each report runs the real CLI in-process (`pipelines.cli.main`) for the whole project year; the
first run and the median of `--repeat` runs are reported. For the board pack the phases are
timed too (figures from the metric API, chart rendering with Chromium, writing the file).
Writes bench/results/reports.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

RESULTS = ROOT / "bench" / "results" / "reports.json"
SCALES = {"regional": 4_400, "national": 44_000}
MONTHS = 12
START = date(2022, 8, 1)
PERIOD = ("2022-08-01", "2023-07-31")


def build_home(root: Path, clients: int) -> Path:
    """Generate, load and build a warehouse (or reuse the one built with the same parameters)."""
    from pipelines.build import build_warehouse
    from pipelines.generate import Manifest, generate_sample
    from pipelines.home import Home
    from pipelines.ingest import load_paths

    marker = root / "bench-params.json"
    params = {"clients": clients, "months": MONTHS, "seed": 7}
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


def run_report(home: Path, kind: str, out: Path, *extra: str) -> float:
    from pipelines.cli import main

    started = time.perf_counter()
    code = main(["--home", str(home), "report", kind, "--from", PERIOD[0], "--to", PERIOD[1],
                 "--out", str(out), *extra])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"reach report {kind} failed with exit status {code}")
    return elapsed


def board_phases(home: Path, out_dir: Path) -> dict[str, float]:
    """The board pack's phases, timed separately (same calls as write_board_pack)."""
    from pipelines.home import Home
    from pipelines.metrics import open_warehouse
    from pipelines.targets import load_targets
    from reports.board.charts import build_figures, render
    from reports.board.data import gather_board
    from reports.board.highlights import highlights
    from reports.board.pdf import write_pdf

    times: dict[str, float] = {}
    con = open_warehouse(Home(home))
    try:
        started = time.perf_counter()
        data = gather_board(con, load_targets(), date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]))
        times["figures_from_metric_api_s"] = time.perf_counter() - started
    finally:
        con.close()
    started = time.perf_counter()
    charts = {c.key: c for c in render(build_figures(data, "cs"), out_dir / "charts", "cs")}
    times["charts_with_chromium_s"] = time.perf_counter() - started
    started = time.perf_counter()
    write_pdf(data, charts, highlights(data, "cs"), "cs", out_dir / "phases.pdf")
    times["pdf_layout_s"] = time.perf_counter() - started
    return {k: round(v, 3) for k, v in times.items()}


def measure(home: Path, repeat: int) -> dict[str, object]:
    cases = {
        "ministry_xlsx": ("ministry", "ministry.xlsx", ()),
        "board_pdf_cs": ("board", "board.pdf", ()),
        "board_pptx_en": ("board", "board.pptx", ("--lang", "en")),
    }
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="reach-bench-reports-") as folder:
        out_dir = Path(folder)
        for name, (kind, file_name, extra) in cases.items():
            runs = [run_report(home, kind, out_dir / file_name, *extra) for _ in range(repeat)]
            figures[name] = {
                "first_s": round(runs[0], 3),
                "median_s": round(statistics.median(runs), 3),
                "runs": repeat,
                "bytes": (out_dir / file_name).stat().st_size,
            }
            print(f"  {name}: first {runs[0]:.2f} s, median {statistics.median(runs):.2f} s", flush=True)
        figures["board_phases"] = board_phases(home, out_dir)
    return figures


def warehouse_rows(home: Path) -> dict[str, int]:
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]  # type: ignore[index]
                for t in ("dim_client", "fct_activities", "fct_contacts", "fct_course_enrolments", "fct_outcomes")}
    finally:
        con.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", nargs="+", choices=list(SCALES), default=list(SCALES))
    parser.add_argument("--home-regional", type=Path)
    parser.add_argument("--home-national", type=Path)
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "reach-bench-reports")
    args = parser.parse_args()

    results: dict[str, object] = {
        "what": "reach report ministry (.xlsx) and board (.pdf cs, .pptx en) for the project year, "
                "CLI in-process; first run and median of repeated runs; board phases timed separately",
        "date": date.today().isoformat(),
        "period": list(PERIOD),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(),
                    "note": "shared by several engineers' processes; figures are indicative"},
        "repeat": args.repeat,
        "scales": {},
    }
    for scale in args.scales:
        given = getattr(args, f"home_{scale}")
        home = given or build_home(args.cache / scale, SCALES[scale])
        print(f"{scale}: {home}", flush=True)
        results["scales"][scale] = {  # type: ignore[index]
            "clients_generated": SCALES[scale], "rows": warehouse_rows(home), "reports": measure(home, args.repeat),
        }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
