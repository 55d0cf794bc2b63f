"""`reach schedule [FILE] [--run]`: check and list the scheduled reports, or send them in a loop.

Without --run: validate the schedule (default <home>/schedules.yaml) and print each entry with
its next due time and what it last sent. With --run: a long-lived sender (docs/routine.md) that
sends what is due, sleeps until the next due time and stops on SIGTERM or Ctrl-C after the send
in progress.
"""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path

from pipelines.home import Home
from pipelines.schedule.store import list_entries, read_schedule


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", default=None, metavar="FILE",
                        help="the schedule file (default <home>/schedules.yaml)")
    parser.add_argument("--file", dest="file_option", default=None, metavar="FILE", help="the same as FILE")
    parser.add_argument("--run", action="store_true", help="keep running and send each report when it is due")
    parser.add_argument("--smtp-config", type=Path, default=None, metavar="FILE",
                        help="SMTP settings (TOML, outside the repo; default env REACH_SMTP_CONFIG / REACH_SMTP_*)")


def schedule_path(args: argparse.Namespace) -> Path | None:
    chosen = args.file_option or args.file
    return Path(chosen) if chosen else None


def run(args: argparse.Namespace, home: Home) -> int:
    path = schedule_path(args)
    view = read_schedule(home, path)  # validated first: a bad file stops here, naming entry and field
    if args.run:
        from reach.scheduler import run_loop

        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        print(f"reach schedule: sending {len(view.schedule.entries)} scheduled report(s) from {view.path}; "
              "stop with Ctrl-C or SIGTERM.", flush=True)
        run_loop(home, stop, schedule_file=path, smtp_config=args.smtp_config)
        print("reach schedule: stopped.", flush=True)
        return 0
    statuses = list_entries(home, path)
    if not statuses:
        print(f"{view.path}: no scheduled reports.")
        return 0
    rows = [("id", "report", "centres", "period", "when", "next due", "last sent", "state")]
    for s in statuses:
        state = s.state
        last = f"{state.last_sent_due:%Y-%m-%d %H:%M} ({state.last_period})" if state.last_sent_due else "-"
        status = f"FAILED {state.failed_due:%Y-%m-%d %H:%M}: {state.failure}" if state.failing else "ok"
        rows.append((s.entry.id, s.entry.report, s.entry.scope_text(), s.entry.period, s.entry.when,
                     f"{s.next_due:%Y-%m-%d %H:%M}", last, status))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    print(f"{view.path} (time zone {view.schedule.timezone}):")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r[:-1], widths, strict=True)) + "  " + r[-1])
    return 0
