"""`reach build [--progress | --no-progress]`: dbt build into a new file, quality gate, atomic publish."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--docs", type=Path, default=None, metavar="DIR",
        help="after publishing, also write the dbt documentation site (offline, static) into DIR",
    )
    parser.add_argument(
        "--full", action="store_true",
        help="build from scratch: parse the dbt project anew instead of reusing the kept manifest",
    )
    parser.add_argument(
        "--new-perturbation-secret", action="store_true",
        help="start again with a new perturbation secret (when the home's secret is lost; every published "
             "figure then changes once; the old file is kept as secrets/perturbation.key.replaced)",
    )
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="show the build's steps on stderr (default: on a terminal, after a few seconds)")


def run(args: argparse.Namespace, home: Home) -> int:
    from rich.console import Console

    from reach.build import build_warehouse, generate_docs
    from reach.progress import SHOW_AFTER_SECONDS, BuildProgressDisplay, wanted

    # The stream itself, not stderr=True: dbt runs with sys.stderr redirected (reach/build.py _dbt_console),
    # and the display's refreshes must still reach the terminal, not dbt's held-back output.
    console = Console(file=sys.stderr, force_terminal=True if args.progress else None)
    if wanted(args.progress, console):
        with BuildProgressDisplay(console, delay=0 if args.progress else SHOW_AFTER_SECONDS) as display:
            summary = build_warehouse(home, full=args.full, new_perturbation_secret=args.new_perturbation_secret,
                                      progress=display.update)
    else:
        summary = build_warehouse(home, full=args.full, new_perturbation_secret=args.new_perturbation_secret)
    print(summary.text())
    if args.docs is not None:
        page = generate_docs(home, args.docs.resolve())
        print(f"Documentation: {page}")
    return 0
