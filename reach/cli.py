"""`reach`: the command users and scripts rely on (../shared/spec/cli.md).

Each sub-command lives in reach/commands/<name>.py with `configure(parser)` (its
arguments) and `run(args, home) -> int`. Failures print one paragraph, never a traceback;
unexpected errors write the traceback to <home>/logs/reach.log.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import logging
import sys
import traceback
from collections.abc import Sequence
from datetime import datetime

from pipelines.errors import ReachError
from pipelines.home import Home

COMMANDS = {
    "demo": "generate sample exports, load, build, check and serve the dashboard",
    "generate": "write sample deliveries (one folder per month) in the export format",
    "pseudonymise": "turn a raw export with direct identifiers into the export format",
    "load": "load deliveries (folders or .zip) into the raw layer",
    "build": "build the warehouse, run the quality gate, publish atomically",
    "check": "run the quality checks on the published warehouse",
    "serve": "serve the dashboard",
    "metrics": "print metrics for a period, grouped by dimensions",
    "report": "write the ministry workbook or the board pack",
    "schedule": "check and list the scheduled reports, or send them as they fall due (--run)",
    "send": "send every scheduled report that is due (--due; for cron)",
    "deliveries": "list loaded deliveries; set one aside (audited) or restore it",
    "centres": "list the centres the product knows (code, name, region, project)",
    "audit": "print the audit log",
    "users": "manage sign-in accounts: add, list, disable, reset",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reach", description="Integration Reach: reach of integration services."
    )
    parser.add_argument(
        "--home", default=None,
        help="warehouse home folder (env REACH_HOME, default ./warehouse)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, summary in COMMANDS.items():
        module = importlib.import_module(f"reach.commands.{name}")
        command_parser = sub.add_parser(name, help=summary, description=summary)
        module.configure(command_parser)
    return parser


def _one_paragraph(text: str) -> str:
    return " ".join(str(text).split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    home = Home.resolve(args.home)
    module = importlib.import_module(f"reach.commands.{args.command}")
    try:
        return int(module.run(args, home) or 0)
    except ReachError as error:
        print(f"reach {args.command}: {_one_paragraph(error)}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print(f"reach {args.command}: interrupted.", file=sys.stderr)
        return 130
    except Exception as error:  # a bug: one paragraph for the user, the traceback to the log
        log = _write_crash_log(home, args.command)
        print(
            f"reach {args.command}: unexpected error ({type(error).__name__}: "
            f"{_one_paragraph(error)}). The details are in {log}.",
            file=sys.stderr,
        )
        return 1


def _write_crash_log(home: Home, command: str) -> str:
    try:
        home.logs_dir.mkdir(parents=True, exist_ok=True)
        path = home.logs_dir / "reach.log"
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now().isoformat(timespec='seconds')} reach {command}\n")
            log.write(traceback.format_exc())
        return str(path)
    except OSError:
        logging.exception("could not write the crash log")
        return "the standard error stream"


def console() -> None:
    """The `reach` program: `main`, then the interpreter's exit without a last walk of the heap.

    A build leaves dbt's and Great Expectations' objects (about 400,000) behind; the garbage
    collections of the interpreter's shutdown traversed them all, about 1 s after the work was done
    (docs/performance.md). Frozen, they are left to the operating system with the process. Only
    here, never in `main`: callers in a long-lived process (tests, benchmarks) keep collecting.
    """
    code = main()
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    console()
