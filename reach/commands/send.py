"""`reach send --due`: send every scheduled report due since its last successful send (for cron).

Exit status 0 when everything due went out (or nothing was due); 1 naming each report that
could not be sent: it stays due and the next run tries it again (docs/routine.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from pipelines.errors import ReachError, UsageError
from pipelines.home import Home


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--due", action="store_true", help="send what is due (the only mode so far)")
    parser.add_argument("--file", default=None, metavar="FILE",
                        help="the schedule file (default <home>/schedules.yaml)")
    parser.add_argument("--smtp-config", type=Path, default=None, metavar="FILE",
                        help="SMTP settings (TOML, outside the repo; default env REACH_SMTP_CONFIG / REACH_SMTP_*)")


def run(args: argparse.Namespace, home: Home) -> int:
    if not args.due:
        raise UsageError("Say what to send: `reach send --due` sends every scheduled report that is due.")
    from reach.scheduler import send_due

    result = send_due(home, schedule_file=Path(args.file) if args.file else None, smtp_config=args.smtp_config)
    for note in result.skipped:
        print(f"reach send: {note}", file=sys.stderr)
    for outcome in result.outcomes:
        if outcome.sent:
            print(f"reach send: {outcome.text()}")
    if not result.outcomes:
        print("reach send: nothing is due.")
    if result.failed:
        raise ReachError(f"{len(result.failed)} scheduled report(s) could not be sent and stay due (audited): "
                         + " ".join(o.text() + "." for o in result.failed))
    return 0
