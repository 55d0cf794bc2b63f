"""`reach build`: dbt build into a new file, quality gate, atomic publish."""

from __future__ import annotations

import argparse

from pipelines.build import build_warehouse
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace, home: Home) -> int:
    summary = build_warehouse(home)
    print(summary.text())
    return 0
