"""`reach metrics`: figures of metrics.md for a period, grouped and filtered; `--list` names them.

Figures are protected by the cell key method unless `--exact` (disclosure.md, rule 3): exact figures
are written to the audit log (who, which query; never a figure) before they are computed.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from pipelines import audit
from pipelines.access import EVERYTHING
from pipelines.delivery_calendar import delivery_calendar, incomplete_line
from pipelines.errors import ReachError, UsageError
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.linkage import SUMMED_NOTICE
from pipelines.metrics.output import listing_csv, listing_json, to_csv, to_json
from pipelines.metrics.protection import NOTICE, SPARSE_NOTICE, Protection
from pipelines.metrics.query import parse_by, parse_where, resolve
from reach.commands._args import iso_date


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, metavar="D", help="first day (required for figures)")
    parser.add_argument("--to", dest="date_to", type=iso_date, metavar="D", help="last day (required for figures)")
    parser.add_argument("--metric", action="append", default=[], metavar="M", help="repeatable")
    parser.add_argument("--by", default="", metavar="DIM[,DIM]",
                        help="dimensions of the breakdown (see --list); to_month, alone: each month's figure "
                             "from --from to the end of that month (the project to date)")
    parser.add_argument("--where", action="append", default=[], metavar="DIM=VALUE", help="repeatable")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument(
        "--exact", action="store_true",
        help="exact figures instead of protected ones (written to the audit log; disclosure.md, rule 3)",
    )
    parser.add_argument(
        "--list", action="store_true", help="list every metric and dimension with its Czech and English name"
    )


def run(args: argparse.Namespace, home: Home) -> int:
    if args.list:  # the catalogue itself: no warehouse needed
        sys.stdout.write(listing_json() if args.format == "json" else listing_csv())
        return 0
    if args.date_from is None or args.date_to is None:
        raise UsageError("reach metrics needs --from D and --to D (or --list to name the metrics).")
    query = MetricQuery(
        date_from=args.date_from,
        date_to=args.date_to,
        metrics=tuple(name.strip() for item in args.metric for name in item.split(",") if name.strip()),
        by=parse_by(args.by),
        where=parse_where(args.where),
        protection=Protection.EXACT if args.exact else Protection.PROTECTED,
        scope=EVERYTHING,  # the operator on the server: file access is administrator access (access.md)
    )
    resolve(query)  # a wrong option is reported before the warehouse is opened
    con = open_warehouse(home)
    try:
        if args.exact:  # audited before any figure exists; the log names the query, never a figure
            audit.record(home, audit.cli_actor(), "metrics.exact", _described(query))
        result = compute(con, query)
        incomplete = _incomplete(home, con, query)
    finally:
        con.close()
    if not args.exact:
        sys.stderr.write(f"{NOTICE['en']} ({NOTICE['cs']})\n")
    if result.sparse:
        sys.stderr.write(f"{SPARSE_NOTICE['en']} ({SPARSE_NOTICE['cs']})\n")
    if result.people_summed_over_centres:
        sys.stderr.write(f"{SUMMED_NOTICE['en']} ({SUMMED_NOTICE['cs']})\n")
    if incomplete:
        sys.stderr.write(incomplete + "\n")
    sys.stdout.write(to_json(result) if args.format == "json" else to_csv(result))
    return 0


def _incomplete(home: Home, con: duckdb.DuckDBPyConnection, query: MetricQuery) -> str:
    """The months of the period some centre (of the --where centre filter) has not delivered yet."""
    try:
        calendar = delivery_calendar(home, con)
    except ReachError as error:
        return f"Whether the deliveries are complete cannot be checked now: {error}"
    chosen = {code.upper() for code in query.where.get("centre", ())} or None
    missing = calendar.incomplete(query.date_from, query.date_to, chosen)
    return incomplete_line(missing) if missing else ""


def _described(query: MetricQuery) -> str:
    parts = [f"{query.date_from}..{query.date_to}", "metrics " + (",".join(query.metrics) or "all")]
    if query.by:
        parts.append("by " + ",".join(query.by))
    parts += [f"where {name}={','.join(values)}" for name, values in query.where.items()]
    return "; ".join(parts)
