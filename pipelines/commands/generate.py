"""`reach generate OUT`: sample deliveries in the export format."""

from __future__ import annotations

import argparse

from pipelines.commands._args import positive_int, year_month
from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", metavar="OUT", help="folder to write one delivery folder per month into")
    parser.add_argument("--clients", type=positive_int, default=3000, help="clients (100 to 1,000,000)")
    parser.add_argument("--months", type=positive_int, default=12, help="months of deliveries")
    parser.add_argument("--start", type=year_month, default=year_month("2022-08"), help="first month YYYY-MM")
    parser.add_argument("--seed", type=int, default=1, help="random seed (same seed, same files)")
    parser.add_argument("--messy", action="store_true", help="add every irregularity the contract allows")


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach generate is not built yet")
