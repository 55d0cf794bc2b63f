"""`reach demo`: the whole product on generated sample data, in one command."""

from __future__ import annotations

import argparse

from pipelines.commands._args import positive_int
from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--clients", type=positive_int, default=3000)
    parser.add_argument("--months", type=positive_int, default=12)
    parser.add_argument("--no-serve", action="store_true", help="stop after the checks (for scripts)")


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach demo is not built yet")
