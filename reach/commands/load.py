"""`reach load PATH... [--centre CODE]`: load deliveries into the raw layer."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.contract import DEFAULT_CENTRE
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest import format_report, load_paths


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", metavar="PATH", nargs="+", help="delivery folders or .zip files")
    parser.add_argument("--centre", default=DEFAULT_CENTRE, help=f"centre code (default {DEFAULT_CENTRE})")


def run(args: argparse.Namespace, home: Home) -> int:
    reports = load_paths(home, [Path(p) for p in args.paths], centre=args.centre)
    for report in reports:
        print(format_report(report))
        print()
    rejected = [f.message for r in reports for f in r.files if f.status == "rejected"]
    if rejected:
        # The other files are loaded; the exit status still tells scripts that something was refused.
        raise ReachError(f"{len(rejected)} file(s) rejected, the rest loaded: " + " ".join(rejected))
    return 0
