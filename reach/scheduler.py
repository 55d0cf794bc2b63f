"""Sending scheduled reports: `reach send --due` (from cron) and `reach schedule --run` (a loop).

For each entry of the schedule (pipelines/schedule), everything due since its last successful
send is sent in order: the period its rule names on the due date, the document written by the
same writers as `reach report` for the entry's centres (the board pack protected, the workbook
exact with its audited hiding), attached to one e-mail to the entry's recipients. Each send,
sent or failed, is written to the audit log (which report, period, scope and how many
recipients; never an address). A send that fails after its bounded retries stops that entry:
its state keeps the last success, so it stays due and is tried again on the next run; the run
exits non-zero naming it. One run at a time per home (a lock), so cron and a loop never send
the same report twice.
"""

from __future__ import annotations

import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from pipelines import audit
from pipelines.access import EVERYTHING, Scope
from pipelines.errors import ReachError
from pipelines.formatting import fmt_period
from pipelines.home import Home
from pipelines.metrics.periods import Period
from pipelines.schedule.files import locked
from pipelines.schedule.model import Entry, Schedule, next_due, occurrences, period_for
from pipelines.schedule.smtp import SendFailed, SmtpSettings, build_message, load_settings, send, without_addresses
from pipelines.schedule.state import read_state, record_failed, record_sent
from pipelines.schedule.store import read_schedule

MAX_CATCH_UP = 12  # due times per entry sent in one run; older ones are reported as skipped
POLL_SECONDS = 60.0  # the loop re-reads the schedule at least this often (edits from the page)
ACTION_SENT, ACTION_FAILED, ACTION_SKIPPED = "report.send", "report.send_failed", "report.send_skipped"
TITLES = {"board": ("Podklady pro vedení", "Board pack"), "ministry": ("Výkaz pro ministerstvo", "Ministry workbook")}


@dataclass(frozen=True)
class Outcome:
    entry: str
    report: str
    due: datetime
    period: Period
    scope: str
    recipients: int
    sent: bool
    attempts: int
    message: str = ""  # why it failed (no address)

    def text(self) -> str:
        what = f"{self.report} {self.period.date_from}..{self.period.date_to} ({self.scope}) of schedule {self.entry}"
        if self.sent:
            return f"sent {what} to {self.recipients} recipient(s), due {self.due:%Y-%m-%d %H:%M}"
        return f"not sent: {what}, due {self.due:%Y-%m-%d %H:%M}: {self.message}"


@dataclass
class Run:
    outcomes: list[Outcome] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # catch-up limits, entries waiting after a failure

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.sent]


def send_due(home: Home, *, schedule_file: Path | None = None, smtp_config: Path | None = None,
             now: datetime | None = None, sleep: Callable[[float], None] = time.sleep,
             actor: audit.Actor | None = None, honour_pause: bool = False,
             settings: SmtpSettings | None = None) -> Run:
    """Send everything due up to `now`; `honour_pause` (the loop) leaves a failed entry alone until
    retry.again_after_minutes have passed since it failed."""
    actor = actor or audit.cli_actor()
    with locked(home.root / "schedule_send.lock", wait=False) as mine:
        if not mine:
            raise ReachError(f"Another `reach send` or `reach schedule --run` of {home.root} is sending now; "
                             "nothing was sent twice. Try again when it has finished.")
        view = read_schedule(home, schedule_file)
        now = (now or datetime.now()).astimezone(view.schedule.zone)
        run = Run()
        sender = _Sender(home, view.schedule, smtp_config, settings, sleep, actor)
        state = read_state(home)
        for entry in view.schedule.entries:
            entry_state = state.entry(entry.id)
            if honour_pause and entry_state.failing and entry_state.failed_at is not None and \
                    now < entry_state.failed_at + timedelta(minutes=view.schedule.retry.again_after_minutes):
                run.skipped.append(f"{entry.id}: waiting after the failure at {entry_state.failed_at:%H:%M}")
                continue
            due_times, truncated = occurrences(entry, view.schedule.zone, entry_state.last_sent_due, now,
                                               MAX_CATCH_UP)
            if truncated:
                note = (f"{entry.id}: more than {MAX_CATCH_UP} due times since the last send; the older ones are "
                        f"skipped, sending from {due_times[0]:%Y-%m-%d %H:%M}")
                audit.record(home, actor, ACTION_SKIPPED, f"schedule {entry.id}", note)
                run.skipped.append(note)
            for due in due_times:
                outcome = sender.send(entry, due)
                run.outcomes.append(outcome)
                if not outcome.sent:
                    break  # later due times wait behind this one: nothing is skipped over
        sender.close()
        return run


class _Sender:
    def __init__(self, home: Home, schedule: Schedule, smtp_config: Path | None, settings: SmtpSettings | None,
                 sleep: Callable[[float], None], actor: audit.Actor) -> None:
        self.home, self.schedule, self.smtp_config, self.settings = home, schedule, smtp_config, settings
        self.sleep, self.actor = sleep, actor
        self.con = None

    def send(self, entry: Entry, due: datetime) -> Outcome:
        scope = Scope(frozenset(entry.centres)) if entry.centres else EVERYTHING
        try:
            period = period_for(entry.period, due.date())
        except ReachError as error:
            period = Period(due.date(), due.date())
            return self._failed(entry, due, period, str(error), 0)
        obj = (f"{entry.report} {period.date_from}..{period.date_to} {scope.describe()} "
               f"(schedule {entry.id})")
        try:
            self.settings = self.settings or load_settings(self.smtp_config)
            name, document = self._document(entry, period, scope)
            message = build_message(self.settings, entry.recipients, _subject(entry, period, scope),
                                    _body(entry, period, scope), document, name)
            attempts = send(self.settings, message, self.schedule.retry, self.sleep)
        except SendFailed as error:
            return self._failed(entry, due, period, str(error), error.attempts, obj)
        except ReachError as error:  # no warehouse, a workbook its audit refuses, no SMTP settings
            return self._failed(entry, due, period, without_addresses(str(error)), 0, obj)
        at = datetime.now().astimezone()
        # Audited, then remembered: a crash between the two sends this one report again, never loses it.
        audit.record(self.home, self.actor, ACTION_SENT, obj,
                     f"due {due.isoformat(timespec='minutes')}; {len(entry.recipients)} recipient(s); "
                     f"{attempts} tr{'y' if attempts == 1 else 'ies'}")
        record_sent(self.home, entry.id, due, f"{period.date_from}..{period.date_to}", at)
        return Outcome(entry.id, entry.report, due, period, scope.describe(), len(entry.recipients), True, attempts)

    def _failed(self, entry: Entry, due: datetime, period: Period, message: str, attempts: int,
                obj: str | None = None) -> Outcome:
        scope = ", ".join(entry.centres) or "all centres"
        audit.record(self.home, self.actor, ACTION_FAILED, obj or f"{entry.report} (schedule {entry.id})",
                     f"due {due.isoformat(timespec='minutes')}; {len(entry.recipients)} recipient(s); {message}")
        record_failed(self.home, entry.id, due, message, attempts, datetime.now().astimezone())
        return Outcome(entry.id, entry.report, due, period, scope, len(entry.recipients), False, attempts, message)

    def _document(self, entry: Entry, period: Period, scope: Scope) -> tuple[str, bytes]:
        """The report as `reach report` writes it, read back as bytes (written to a private temporary folder)."""
        from pipelines.metrics import open_warehouse

        if self.con is None:
            self.con = open_warehouse(self.home)
        name = f"{entry.family}-{_scope_label(entry)}-{_period_label(period)}.{entry.extension}"
        with tempfile.TemporaryDirectory(prefix="reach-send-") as folder:
            out = Path(folder) / name
            if entry.family == "board":
                from reports.board.pack import write_board_pack

                write_board_pack(self.con, period.date_from, period.date_to, out, lang=entry.lang, scope=scope)
            else:
                from reports.ministry import write_ministry_workbook

                write_ministry_workbook(self.con, period.date_from, period.date_to, out, framework=entry.framework,
                                        scope=scope)
            return name, out.read_bytes()

    def close(self) -> None:
        if self.con is not None:
            self.con.close()


def _scope_label(entry: Entry) -> str:
    return "-".join(entry.centres) if entry.centres else "all"


def _period_label(period: Period) -> str:
    kind = period.kind
    if kind == "month":
        return f"{period.date_from:%Y-%m}"
    if kind == "quarter":
        return f"{period.date_from.year}-Q{(period.date_from.month - 1) // 3 + 1}"
    if kind == "year":
        return f"{period.date_from.year}"
    return f"{period.date_from}_{period.date_to}"


def _subject(entry: Entry, period: Period, scope: Scope) -> str:
    cs, en = TITLES[entry.family]
    title = cs if entry.family == "ministry" or entry.lang == "cs" else en
    lang = "en" if entry.family == "board" and entry.lang == "en" else "cs"
    return f"Integration Reach: {title}, {fmt_period(period.date_from, period.date_to, lang)} ({scope.describe()})"


def _body(entry: Entry, period: Period, scope: Scope) -> str:
    cs, en = TITLES[entry.family]
    return (f"{cs} za období {fmt_period(period.date_from, period.date_to, 'cs')} ({scope.describe()}) je v příloze.\n"
            f"Odesláno automaticky podle plánu „{entry.id}“.\n\n"
            f"{en} for {fmt_period(period.date_from, period.date_to, 'en')} ({scope.describe()}) is attached.\n"
            f"Sent automatically by the schedule '{entry.id}'.\n")


def run_loop(home: Home, stop: threading.Event, *, schedule_file: Path | None = None,
             smtp_config: Path | None = None, report: Callable[[str], None] | None = None) -> None:
    """`reach schedule --run`: send what is due, sleep until the next due time (re-reading the
    schedule at least every POLL_SECONDS), until `stop` is set (SIGTERM, SIGINT)."""
    report = report or (lambda line: print(line, flush=True))
    while not stop.is_set():
        try:
            run = send_due(home, schedule_file=schedule_file, smtp_config=smtp_config, sleep=stop.wait,
                           honour_pause=True)
            for outcome in run.outcomes:
                (report if outcome.sent else _stderr)(f"reach schedule: {outcome.text()}")
            wait = _seconds_to_next(home, schedule_file)
        except ReachError as error:  # a bad edit of the schedule, a busy lock: say so, keep running
            _stderr(f"reach schedule: {' '.join(str(error).split())}")
            wait = POLL_SECONDS
        stop.wait(wait)


def _seconds_to_next(home: Home, schedule_file: Path | None) -> float:
    view = read_schedule(home, schedule_file)
    now = datetime.now().astimezone(view.schedule.zone)
    upcoming = [next_due(e, view.schedule.zone, now) for e in view.schedule.entries]
    if not upcoming:
        return POLL_SECONDS
    return max(1.0, min(POLL_SECONDS, (min(upcoming) - now).total_seconds()))


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
