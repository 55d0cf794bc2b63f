"""Latency of `reach metrics` for typical queries, beside the plain DuckDB query of the same figure.

    .venv/bin/python bench/bench_metrics.py [--repeat 21] [--scales regional national]
        [--home-regional DIR] [--home-national DIR]

Scales (12 months from 2022-08, generator seed 7): regional ~4,400 clients (one integration
centre's region-year, facts.md: SUZ centres average ~4,400 clients per region), national
~44,000 (SUZ's 10 regions in 2024). A warehouse is generated, loaded and built through the
public APIs into a cache folder (reused while its parameters match) unless a home is given.

Each query runs the real CLI in-process (`reach.cli.main`: parse, validate, open the
published file read-only, compute protected figures, print CSV) and, separately, a hand-written
DuckDB query of the same figure on a fresh read-only connection; both include opening the file.
The exact figures (compute with Protection.EXACT) are compared with the plain query's for
equality; the median of `--repeat` runs is reported and the ratio cli / plain is the figure of
merit. Beside it, on one connection kept open, the protected compute() against the exact one
(the cost of the cell key method; target at most 1.3x) and the plain query, the three
interleaved run by run so the shared machine's load hits them alike; each in wall-clock time
and in the process's CPU time (DuckDB's threads included), which a loaded machine's waiting
does not inflate. Writes bench/results/metrics.json.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from _common import (
    METRICS_CACHE,
    PERIOD,
    RESULTS_DIR,
    SCALES,
    add_scale_arguments,
    machine,
    scale_home,
    warehouse_rows,
    write_results,
)

RESULTS = RESULTS_DIR / "metrics.json"

# The plain queries: what an analyst would type against the marts for the same figures.
_ACTIVE = "active_from <= DATE '2023-07-31' AND active_to >= DATE '2022-08-01'"
_TO_YEAR = 2023


_IN_PERIOD = "BETWEEN DATE '2022-08-01' AND DATE '2023-07-31'"
_COURSES_RUN = "starts_on <= DATE '2023-07-31' AND course_active_to >= DATE '2022-08-01'"
_ALL_METRICS_SQL = f"""
SELECT
  (SELECT count(DISTINCT client_key) FROM fct_activities WHERE {_ACTIVE}) AS clients_reached,
  (SELECT count(DISTINCT a.client_key) FROM fct_activities a JOIN dim_client c USING (client_key)
     WHERE {_ACTIVE} AND c.registered_on {_IN_PERIOD}) AS new_clients,
  (SELECT count(*) FROM fct_contacts WHERE contact_date {_IN_PERIOD}) AS contacts,
  (SELECT round(sum(duration_min) / 60.0, 1) FROM fct_contacts WHERE contact_date {_IN_PERIOD}) AS service_hours,
  (SELECT count(DISTINCT client_key) FROM fct_course_enrolments WHERE {_COURSES_RUN}) AS course_participants,
  (SELECT count(*) FILTER (WHERE completed) FROM fct_course_enrolments WHERE {_COURSES_RUN}) AS course_completions,
  (SELECT count(*) FILTER (WHERE level_gain) FROM fct_course_enrolments WHERE {_COURSES_RUN}) AS level_gains,
  (SELECT sum(participants) FROM fct_events WHERE event_date {_IN_PERIOD}) AS event_attendance,
  (SELECT count(*) FROM fct_outcomes WHERE outcome_date {_IN_PERIOD}) AS outcomes,
  (SELECT count(DISTINCT client_key) FROM fct_outcomes WHERE outcome_date {_IN_PERIOD}) AS clients_with_outcome,
  (SELECT count(*) FROM fct_course_enrolments WHERE {_COURSES_RUN}) AS enrolments,
  (SELECT count(*) FILTER (WHERE interpreted) FROM fct_contacts WHERE contact_date {_IN_PERIOD})
     AS interpreted_contacts,
  (SELECT count(*) FROM fct_events WHERE event_date {_IN_PERIOD}) AS events,
  (SELECT sum(participants_foreign) FROM fct_events WHERE event_date {_IN_PERIOD}) AS event_participants_foreign,
  (SELECT count(DISTINCT client_key) FROM fct_contacts WHERE contact_date {_IN_PERIOD}) AS clients_contacted,
  (SELECT count(DISTINCT client_key) FILTER (WHERE level_gain) FROM fct_course_enrolments WHERE {_COURSES_RUN})
     AS clients_with_level_gain,
  (SELECT round(median(days_from_registration), 1) FROM fct_outcomes WHERE outcome_date {_IN_PERIOD})
     AS median_days_to_outcome
"""


@dataclass(frozen=True)
class Case:
    name: str
    cli_args: tuple[str, ...]
    plain_sql: str


CASES = (
    Case("total", ("--metric", "clients_reached"),
         f"SELECT count(DISTINCT client_key) AS clients_reached FROM fct_activities WHERE {_ACTIVE}"),
    Case("by_month", ("--metric", "clients_reached", "--by", "month"),
         f"""SELECT month, count(DISTINCT client_key) AS clients_reached FROM (
               SELECT client_key, strftime(unnest(generate_series(
                   date_trunc('month', greatest(active_from, DATE '2022-08-01')),
                   date_trunc('month', least(active_to, DATE '2023-07-31')), INTERVAL 1 MONTH)), '%Y-%m') AS month
               FROM fct_activities WHERE {_ACTIVE})
             GROUP BY month ORDER BY month"""),
    Case("by_nationality", ("--metric", "clients_reached", "--by", "nationality"),
         f"""SELECT c.nationality, count(DISTINCT a.client_key) AS clients_reached
             FROM fct_activities a JOIN dim_client c USING (client_key) WHERE {_ACTIVE}
             GROUP BY 1 ORDER BY 1"""),
    Case("by_district", ("--metric", "clients_reached", "--by", "district"),
         f"""SELECT c.district, count(DISTINCT a.client_key) AS clients_reached
             FROM fct_activities a JOIN dim_client c USING (client_key) WHERE {_ACTIVE}
             GROUP BY 1 ORDER BY 1"""),
    Case("by_service_target_group", ("--metric", "clients_reached", "--by", "service,target_group"),
         f"""SELECT a.service, c.target_group, count(DISTINCT a.client_key) AS clients_reached
             FROM fct_activities a JOIN dim_client c USING (client_key) WHERE {_ACTIVE}
             GROUP BY 1, 2 ORDER BY 1, 2"""),
    Case("hours_by_service", ("--metric", "service_hours", "--by", "service"),
         f"""SELECT service, round(coalesce(sum(duration_min), 0) / 60.0, 1) AS service_hours
             FROM fct_contacts WHERE contact_date {_IN_PERIOD} GROUP BY 1 ORDER BY 1"""),
    Case("all_metrics_total", (), _ALL_METRICS_SQL),
)


def run_cli(home: Path, case: Case) -> str:
    from reach.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["--home", str(home), "metrics", "--from", PERIOD[0], "--to", PERIOD[1], *case.cli_args])
    if status != 0:
        raise SystemExit(f"reach metrics failed for {case.name}")
    return out.getvalue()


def run_plain(home: Path, case: Case) -> list[tuple]:
    import duckdb

    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(case.plain_sql).fetchall()
    finally:
        con.close()


def warm(home: Path, case: Case, repeat: int) -> tuple[list[float], list[float], str]:
    """Medians on one open connection: protected compute(), exact compute() and the plain query,
    interleaved, in wall-clock seconds and in CPU seconds; and the exact result as the CLI prints it."""
    import duckdb

    from pipelines.access import EVERYTHING
    from pipelines.metrics import MetricQuery, Protection, compute
    from pipelines.metrics.output import to_csv
    from pipelines.metrics.query import parse_by, parse_where
    from reach.cli import build_parser

    args = build_parser().parse_args(["metrics", "--from", PERIOD[0], "--to", PERIOD[1], *case.cli_args])
    protected = MetricQuery(args.date_from, args.date_to, tuple(args.metric), parse_by(args.by),
                            parse_where(args.where), scope=EVERYTHING)
    exact = replace(protected, protection=Protection.EXACT)
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    try:
        actions = (lambda: compute(con, protected), lambda: compute(con, exact),
                   lambda: con.execute(case.plain_sql).fetchall())
        wall: list[list[float]] = [[], [], []]
        cpu: list[list[float]] = [[], [], []]
        for action in actions:
            action()  # warm: the first run reads the file's blocks
        for _ in range(repeat):
            for slot, action in enumerate(actions):
                started, cpu_started = time.perf_counter(), time.process_time()
                action()
                wall[slot].append(time.perf_counter() - started)
                cpu[slot].append(time.process_time() - cpu_started)
        printed = to_csv(compute(con, exact))
    finally:
        con.close()
    return [statistics.median(t) for t in wall], [statistics.median(t) for t in cpu], printed


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(first run seconds, median of `repeat` further runs, the last result)."""
    started = time.perf_counter()
    result = action()
    first = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return first, statistics.median(times), result


def same_figures(exact_csv: str, plain: list[tuple]) -> bool:
    """The exact figures' rows equal the plain query's (dimensions, then the figures it computes)."""
    rows = list(csv.reader(io.StringIO(exact_csv)))[1:]
    width = len(plain[0]) if plain else 0
    cli = [tuple(row[:width]) for row in rows]
    expected = [tuple("" if v is None else str(v) for v in row) for row in plain]
    return cli == expected


def bench_scale(home: Path, repeat: int) -> dict[str, object]:
    sizes = warehouse_rows(home / "warehouse.duckdb")
    cases = {}
    for case in CASES:
        cli_first, cli_median, cli_out = timed(lambda c=case: run_cli(home, c), repeat)
        plain_first, plain_median, plain_rows = timed(lambda c=case: run_plain(home, c), repeat)
        (api_warm, exact_warm, plain_warm), (api_cpu, exact_cpu, _), exact_csv = warm(home, case, repeat)
        cases[case.name] = {
            "cli_args": " ".join(case.cli_args),
            "cli_first_s": round(cli_first, 4),
            "cli_median_s": round(cli_median, 4),
            "plain_duckdb_first_s": round(plain_first, 4),
            "plain_duckdb_median_s": round(plain_median, 4),
            "ratio_cli_vs_plain": round(cli_median / plain_median, 2),
            "api_warm_connection_median_s": round(api_warm, 4),
            "plain_warm_connection_median_s": round(plain_warm, 4),
            "ratio_api_vs_plain_warm": round(api_warm / plain_warm, 2),
            "api_exact_warm_connection_median_s": round(exact_warm, 4),
            "ratio_protected_vs_exact_warm": round(api_warm / exact_warm, 2),
            "api_warm_connection_cpu_median_s": round(api_cpu, 4),
            "api_exact_warm_connection_cpu_median_s": round(exact_cpu, 4),
            "ratio_protected_vs_exact_warm_cpu": round(api_cpu / exact_cpu, 2),
            "rows": len(plain_rows),  # type: ignore[arg-type]
            "protected_rows": len(cli_out.splitlines()) - 1,  # type: ignore[union-attr]
            "same_figures": same_figures(exact_csv, plain_rows),  # type: ignore[arg-type]
        }
        print(f"  {case.name:26s} cli {cli_median * 1000:7.1f} ms  plain {plain_median * 1000:7.1f} ms  "
              f"x{cases[case.name]['ratio_cli_vs_plain']}  | warm protected {api_warm * 1000:7.1f} ms  "
              f"exact {exact_warm * 1000:7.1f} ms  x{cases[case.name]['ratio_protected_vs_exact_warm']} "
              f"(cpu x{cases[case.name]['ratio_protected_vs_exact_warm_cpu']})  "
              f"plain {plain_warm * 1000:7.1f} ms", flush=True)
    return {"rows": sizes, "queries": cases}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=21)
    add_scale_arguments(parser, METRICS_CACHE)
    args = parser.parse_args()
    results: dict[str, object] = {
        "what": "reach metrics (CLI in-process: validate, open read-only, compute protected figures, print CSV) "
                "vs the plain DuckDB query of the same figure on a fresh read-only connection; on one open "
                "connection, protected compute() vs exact compute() vs the plain query, interleaved, in wall-clock "
                "and CPU time (the process's, DuckDB's threads included); medians of warm runs",
        "date": date.today().isoformat(),
        "period": list(PERIOD),
        "machine": machine(load_average=True),
        "repeat": args.repeat,
        "scales": {},
    }
    for scale in args.scales:
        home, given = scale_home(args, scale, args.cache)
        print(f"{scale}: {home}", flush=True)
        results["scales"][scale] = {"clients_generated": None if given else SCALES[scale],  # type: ignore[index]
                                    **bench_scale(home, args.repeat)}
    write_results(RESULTS, results)
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
