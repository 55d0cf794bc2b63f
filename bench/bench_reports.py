"""Time of `reach report ministry` and `reach report board` (PDF and PPTX) at two scales.

    .venv/bin/python bench/bench_reports.py [--repeat 3] [--scales regional national]
        [--home-regional DIR] [--home-national DIR] [--cache DIR] [--cases NAME ...] [--no-phases]
        [--results FILE]

A given home is written to: its chart cache (`<home>/cache/board-charts/`) is emptied and filled.

Scales (12 months from 2022-08, generator seed 7), as bench/_common.py sets them: regional ~4,400
clients (one centre's region-year, facts.md), national ~44,000 (SUZ's 10 regions in 2024). A
warehouse is generated, loaded and built through the public APIs into `--cache` (reused while
its parameters match) unless a home is given.

Each report runs the real CLI in-process (`reach.cli.main`) for the whole project year; the
first run (imports and first queries included) and the median (p50) of `--repeat` runs are
reported, each beside its target (issue 14) with the ratio, and the load average. The board
pack is written as PDF, as PPTX and as both at once (`--out x.pdf --out x.pptx`: one Chromium
session), each with the chart cache beside the warehouse emptied before every run (a pack asked
for the first time: Chromium draws every chart), and PDF and PPTX again with the cache kept (the
same pack asked for again: no Chromium, reports/board/chart_cache.py), and the PDF with the
images kept but the notes of requests removed (a new build with the same figures: Chromium is
started in advance and stopped unused). For the board pack the
phases are timed too: the figures from the metric API (the
floor: the DuckDB queries of the same figures), Chromium's start (overlapping the figures), the
chart batch, the PDF layout. Writes bench/results/reports.json (scales not measured this run are
kept from the last run).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import (
    PERIOD,
    RESULTS_DIR,
    SCALES,
    add_scale_arguments,
    machine,
    read_results,
    scale_home,
    warehouse_rows,
    write_results,
)

RESULTS = RESULTS_DIR / "reports.json"
COLD, UNNOTED, KEPT = "emptied before each run", "images kept, notes of requests removed before each run", "kept"
# Issue 14's targets (seconds): regional year, national decade.
TARGETS = {"board": {"regional": 4.0, "national": 6.0}, "ministry": {"regional": 1.0, "national": 3.0}}


def run_report(home: Path, kind: str, outs: list[Path], *extra: str, cache: str = KEPT) -> float:
    """One `reach report` in-process; the board pack's chart cache `cache`: COLD (emptied first),
    UNNOTED (its images kept, the notes of requests removed: a new build with the same figures) or KEPT."""
    from reach.cli import main
    from reports.board.chart_cache import FOLDER

    if cache == COLD:
        shutil.rmtree(home / FOLDER, ignore_errors=True)
    elif cache == UNNOTED:
        for note in (home / FOLDER).glob("*.json"):
            note.unlink()
    targets = [a for out in outs for a in ("--out", str(out))]
    started = time.perf_counter()
    code = main(["--home", str(home), "report", kind, "--from", PERIOD[0], "--to", PERIOD[1], *targets, *extra])
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
    from reports.board.charts import ChartBrowser, build_figures, render
    from reports.board.data import gather_board
    from reports.board.highlights import highlights
    from reports.board.pdf import write_pdf

    times: dict[str, float] = {}
    con = open_warehouse(Home(home))
    started = time.perf_counter()
    browser = ChartBrowser()  # as write_board_packs: Chromium starts while the figures are gathered
    browser._opening.add_done_callback(lambda _: times.setdefault("chromium_up_after_s", time.perf_counter() - started))
    try:
        data = gather_board(con, load_targets(), date.fromisoformat(PERIOD[0]), date.fromisoformat(PERIOD[1]),
                            scope=EVERYTHING)
        times["figures_from_metric_api_s"] = time.perf_counter() - started
        figs = build_figures(data, "cs")
        times["plotly_figures_built_after_s"] = time.perf_counter() - started
        browser._opening.result()
        batch = time.perf_counter()
        charts = {c.key: c for c in render(figs, out_dir / "charts", "cs", browser)}
        times["chart_batch_s"] = time.perf_counter() - batch
    finally:
        browser.close()
        con.close()
    started = time.perf_counter()
    write_pdf(data, charts, highlights(data, "cs"), "cs", out_dir / "phases.pdf")
    times["pdf_layout_s"] = time.perf_counter() - started
    return {k: round(v, 3) for k, v in times.items()}


def _p95(runs: list[float]) -> float:
    ordered = sorted(runs)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


CASES = ("ministry_xlsx", "board_pdf_cs", "board_pptx_en", "board_pdf_and_pptx_cs",
         "board_pdf_cs_charts_cached", "board_pptx_en_charts_cached", "board_pdf_cs_charts_cached_not_noted")


def measure(home: Path, repeat: int, scale: str, only: tuple[str, ...] = (),
            phases: bool = True) -> dict[str, object]:
    # name: (kind, files, extra arguments, the chart cache before each run)
    cases = {
        "ministry_xlsx": ("ministry", ["ministry.xlsx"], (), KEPT),
        "board_pdf_cs": ("board", ["board.pdf"], (), COLD),
        "board_pptx_en": ("board", ["board.pptx"], ("--lang", "en"), COLD),
        "board_pdf_and_pptx_cs": ("board", ["both.pdf", "both.pptx"], (), COLD),
        "board_pdf_cs_charts_cached": ("board", ["board.pdf"], (), KEPT),
        "board_pptx_en_charts_cached": ("board", ["board.pptx"], ("--lang", "en"), KEPT),
        "board_pdf_cs_charts_cached_not_noted": ("board", ["board.pdf"], (), UNNOTED),
    }
    if only:
        cases = {name: case for name, case in cases.items() if name in only}
    figures: dict[str, object] = {}
    with tempfile.TemporaryDirectory(prefix="reach-bench-reports-") as folder:
        out_dir = Path(folder)
        for name, (kind, file_names, extra, cache) in cases.items():
            if kind == "board" and cache != COLD:  # the same pack asked before: its charts are in the cache
                run_report(home, kind, [out_dir / f for f in file_names], *extra)
            load_before = os.getloadavg()[0]
            runs = [run_report(home, kind, [out_dir / f for f in file_names], *extra, cache=cache)
                    for _ in range(repeat)]
            median, target = statistics.median(runs), TARGETS[kind][scale]
            figures[name] = {
                "first_s": round(runs[0], 3),
                "median_s": round(median, 3),
                "p95_s": round(_p95(runs), 3),
                "runs": repeat,
                "target_s": target,
                "ratio_median_to_target": round(median / target, 2),
                "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
                "bytes": sum((out_dir / f).stat().st_size for f in file_names),
            } | ({"chart_cache": cache} if kind == "board" else {})
            print(f"  {name}: first {runs[0]:.2f} s, median {median:.2f} s (target {target:g} s)", flush=True)
        if phases:
            figures["board_phases"] = board_phases(home, out_dir)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=CASES,
                        help="the cases to run (all by default)")
    parser.add_argument("--no-phases", action="store_true", help="skip the board pack's phases")
    parser.add_argument("--results", type=Path, default=RESULTS,
                        help=f"the JSON written (default {RESULTS.relative_to(RESULTS.parents[2])})")
    add_scale_arguments(parser, Path(tempfile.gettempdir()) / "reach-bench-reports")
    args = parser.parse_args()

    earlier = read_results(args.results).get("scales", {})
    results: dict[str, object] = {
        "what": "reach report ministry (.xlsx) and board (.pdf cs, .pptx en, both at once) for the project year, "
                "CLI in-process; first run, median and p95 of repeated runs beside the target; board packs with "
                "the chart cache emptied before each run (asked for the first time) and kept (asked again, "
                "*_charts_cached); board phases timed separately, charts drawn by Chromium (figures from the "
                "metric API = the floor of the DuckDB queries)",
        "date": date.today().isoformat(),
        "period": list(PERIOD),
        "machine": machine(load_average=True),
        "repeat": args.repeat,
        "scales": dict(earlier) if isinstance(earlier, dict) else {},
    }
    for scale in args.scales:
        home, _ = scale_home(args, scale, args.cache)
        print(f"{scale}: {home}", flush=True)
        results["scales"][scale] = {  # type: ignore[index]
            "date": date.today().isoformat(),
            "clients_generated": SCALES[scale], "rows": warehouse_rows(home / "warehouse.duckdb"),
            "reports": measure(home, args.repeat, scale, tuple(args.cases), not args.no_phases),
        }
    write_results(args.results, results)
    print(f"written {args.results}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
