"""Time of `reach report ministry` and `reach report board` (PDF and PPTX) at two scales.

    .venv/bin/python bench/bench_reports.py [--repeat 3] [--scales regional national]
        [--home-regional DIR] [--home-national DIR] [--cache DIR]

Scales (12 months from 2022-08, generator seed 7), as bench/_common.py sets them: regional ~4,400
clients (one centre's region-year, facts.md), national ~44,000 (SUZ's 10 regions in 2024). A
warehouse is generated, loaded and built through the public APIs into `--cache` (reused while
its parameters match) unless a home is given.

Each report runs the real CLI in-process (`reach.cli.main`) for the whole project year; the
first run and the median of `--repeat` runs are reported. For the board pack the phases are
timed too (figures from the metric API, chart rendering with Chromium, writing the file).
Writes bench/results/reports.json.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import PERIOD, RESULTS_DIR, SCALES, add_scale_arguments, machine, scale_home, warehouse_rows, write_results

RESULTS = RESULTS_DIR / "reports.json"


def run_report(home: Path, kind: str, out: Path, *extra: str) -> float:
    from reach.cli import main

    started = time.perf_counter()
    code = main(["--home", str(home), "report", kind, "--from", PERIOD[0], "--to", PERIOD[1],
                 "--out", str(out), *extra])
    elapsed = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"reach report {kind} failed with exit status {code}")
    return elapsed


def board_phases(home: Path, out_dir: Path) -> dict[str, float]:
    """The board pack's phases, timed separately (same calls as write_board_pack)."""
    from pipelines.access import EVERYTHING
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
        data = gather_board(con, load_targets(), date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]),
                            scope=EVERYTHING)
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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    add_scale_arguments(parser, Path(tempfile.gettempdir()) / "reach-bench-reports")
    args = parser.parse_args()

    results: dict[str, object] = {
        "what": "reach report ministry (.xlsx) and board (.pdf cs, .pptx en) for the project year, "
                "CLI in-process; first run and median of repeated runs; board phases timed separately",
        "date": date.today().isoformat(),
        "period": list(PERIOD),
        "machine": machine(),
        "repeat": args.repeat,
        "scales": {},
    }
    for scale in args.scales:
        home, _ = scale_home(args, scale, args.cache)
        print(f"{scale}: {home}", flush=True)
        results["scales"][scale] = {  # type: ignore[index]
            "clients_generated": SCALES[scale], "rows": warehouse_rows(home / "warehouse.duckdb"),
            "reports": measure(home, args.repeat),
        }
    write_results(RESULTS, results)
    print(f"written {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
