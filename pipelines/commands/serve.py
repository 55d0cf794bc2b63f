"""`reach serve`: the dashboard over the published warehouse."""

from __future__ import annotations

import argparse

from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach serve is not built yet")
