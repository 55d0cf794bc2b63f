"""`reach load PATH... [--centre CODE] [--progress | --no-progress]`: load deliveries into the raw layer."""

from __future__ import annotations

import argparse
from pathlib import Path

from pipelines.contract import DEFAULT_CENTRE
from pipelines.errors import ReachError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", metavar="PATH", nargs="+", help="delivery folders or .zip files")
    parser.add_argument("--centre", default=DEFAULT_CENTRE, help=f"centre code (default {DEFAULT_CENTRE})")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show progress on stderr (default: on a terminal, for loads of more than a few seconds)")


def run(args: argparse.Namespace, home: Home) -> int:
    from rich.console import Console

    from pipelines.ingest import format_report, load_paths
    from reach.progress import SHOW_AFTER_SECONDS, LoadProgressDisplay, wanted

    console = Console(stderr=True, force_terminal=True if args.progress else None)
    paths = [Path(p) for p in args.paths]
    if wanted(args.progress, console):
        with LoadProgressDisplay(console, delay=0 if args.progress else SHOW_AFTER_SECONDS) as display:
            reports = load_paths(home, paths, centre=args.centre, progress=display.update)
    else:
        reports = load_paths(home, paths, centre=args.centre)
    for report in reports:
        print(format_report(report))
        print()
    rejected = [f.message for r in reports for f in r.files if f.status == "rejected"]
    if rejected:
        # The other files are loaded; the exit status still tells scripts that something was refused.
        raise ReachError(f"{len(rejected)} file(s) rejected, the rest loaded: " + " ".join(rejected))
    return 0
