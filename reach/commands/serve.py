"""`reach serve`: the dashboard over the published warehouse, behind sign-in (docs/access.md).

It listens on 127.0.0.1 unless told otherwise, and refuses any other address while no enabled
account exists: a dashboard reachable from the network is never one that nobody can sign in to.
"""

from __future__ import annotations

import argparse
import ipaddress
import sys

from pipelines.access import AccountStore
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
    if not is_loopback(args.host) and not AccountStore(home).any_enabled():
        raise ReachError(
            f"Refusing to serve on {args.host}: no account exists in {home.accounts_file}, so nobody could sign in "
            "and the address is reachable from other machines. Add one first with `reach users add NAME --role "
            "admin`, or serve on 127.0.0.1.")
    # Imported here: the other commands should not pay for loading Dash.
    from waitress import serve

    from pipelines.uploads import MIB, UploadLimits
    from reach.dashboard import create_dashboard, settle_before_serving

    app = create_dashboard(home)
    settle_before_serving()
    print(f"Dashboard at http://{args.host}:{args.port}/ (Ctrl+C stops it)", file=sys.stdout, flush=True)
    try:
        # No request body larger than an upload may be (REACH_UPLOAD_MAX_MB): waitress refuses it before buffering it.
        serve(app.server, host=args.host, port=args.port, threads=SERVER_THREADS, ident="",
              max_request_body_size=UploadLimits.from_environment().max_bytes + MIB)
    except OSError as error:
        raise ReachError(f"Cannot serve the dashboard on {args.host}:{args.port}: {error}.") from error
    return 0


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or `localhost`; any other name or address counts as reachable from the network."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
