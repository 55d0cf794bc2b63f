"""`reach serve`: the dashboard over the published warehouse."""

from __future__ import annotations

import argparse
import sys

from pipelines.errors import ReachError
from pipelines.home import Home

SERVER_THREADS = 4


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)


def run(args: argparse.Namespace, home: Home) -> int:
    if not home.warehouse_db.exists():
        raise ReachError(
            f"No published warehouse in {home.root} (expected {home.warehouse_db}): run `reach load` and "
            "`reach build` first, or `reach demo` to try the product on generated sample data."
        )
    # Imported here: the other commands should not pay for loading Dash.
    from waitress import serve

    from reach.dashboard import create_dashboard

    app = create_dashboard(home)
    print(f"Dashboard at http://{args.host}:{args.port}/ (Ctrl+C stops it)", file=sys.stdout, flush=True)
    try:
        serve(app.server, host=args.host, port=args.port, threads=SERVER_THREADS)
    except OSError as error:
        raise ReachError(f"Cannot serve the dashboard on {args.host}:{args.port}: {error}.") from error
    return 0
