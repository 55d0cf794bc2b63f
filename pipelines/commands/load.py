"""`reach load PATH... [--centre CODE]`: load deliveries into the raw layer."""

from __future__ import annotations

import argparse

from pipelines.contract import DEFAULT_CENTRE
from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", metavar="PATH", nargs="+", help="delivery folders or .zip files")
    parser.add_argument("--centre", default=DEFAULT_CENTRE, help=f"centre code (default {DEFAULT_CENTRE})")


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach load is not built yet")
