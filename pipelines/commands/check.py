"""`reach check`: quality checks on the published warehouse."""

from __future__ import annotations

import argparse

from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, home: Home) -> int:
    raise ReachError("reach check is not built yet")
