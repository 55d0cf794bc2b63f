"""`reach audit [--since D] [--user U]`: print the audit log (access.md)."""

from __future__ import annotations

import argparse

from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from reach.commands._args import iso_date


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=iso_date, default=None, metavar="D", help="entries from this date on")
    parser.add_argument("--user", default=None, metavar="U", help="entries by this user only")


def run(args: argparse.Namespace, home: Home) -> int:
    log = audit.read(home, since=args.since, user=args.user)
    if log.entries:
        print(audit.format_entries(log.entries))
    else:
        print(f"No audit entries{' matching' if args.since or args.user else ''} in {home.audit_log}.")
    if log.unreadable:
        lines = ", ".join(str(n) for n in log.unreadable[:10]) + (" ..." if len(log.unreadable) > 10 else "")
        raise ReachError(f"{len(log.unreadable)} line(s) of {home.audit_log} are not audit entries (line {lines}); "
                         "the log may have been damaged or edited.")
    return 0
