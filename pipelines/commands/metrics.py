"""`reach metrics`: figures of metrics.md for a period, grouped and filtered."""

from __future__ import annotations

import argparse

from pipelines.commands._args import iso_date
from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="date_from", type=iso_date, required=True, metavar="D")
    parser.add_argument("--to", dest="date_to", type=iso_date, required=True, metavar="D")
    parser.add_argument("--metric", action="append", default=[], metavar="M", help="repeatable")
    parser.add_argument("--by", default="", metavar="DIM[,DIM]")
    parser.add_argument("--where", action="append", default=[], metavar="DIM=VALUE", help="repeatable")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")
    parser.add_argument(
        "--suppress", action="store_true", help="publish counts 1-4 as <5 and hide what would reveal them"
    )


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach metrics is not built yet")
