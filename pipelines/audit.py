"""The audit log (access.md): who did what, append-only, in <home>/audit.jsonl.

Each entry is one JSON object on one line: time (ISO 8601 with the local offset), user, role,
address, action, object, and an optional detail (e.g. the reason given). Entries are only ever
appended — under an exclusive lock, one write per entry, flushed to disk — and nothing here
rewrites or removes one. Sign-in does not exist yet (issue 12), so commands run on the server
act as the operating-system user with role `operator` from address `local` (`cli_actor`); the
dashboard will pass its signed-in user instead. Never record a password or a figure here.
"""

from __future__ import annotations

import fcntl
import getpass
import json
import os
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

from pipelines.errors import ReachError
from pipelines.home import Home

CLI_ROLE = "operator"
CLI_ADDRESS = "local"
FIELDS = ("time", "user", "role", "address", "action", "object", "detail")


@dataclass(frozen=True)
class Actor:
    user: str
    role: str
    address: str


@dataclass(frozen=True)
class Entry:
    time: datetime
    user: str
    role: str
    address: str
    action: str  # e.g. delivery.set_aside
    object: str  # what it was done to, e.g. "delivery 3f2a…"
    detail: str = ""

    def to_json(self) -> str:
        record = asdict(self) | {"time": self.time.isoformat(timespec="seconds")}
        return json.dumps(record, ensure_ascii=False, sort_keys=False)

    @classmethod
    def from_json(cls, line: str) -> Entry:
        record = json.loads(line)
        if not isinstance(record, dict) or set(record) != set(FIELDS):
            raise ValueError("not an audit entry")
        values = {name: str(record[name]) for name in FIELDS}
        return cls(**(values | {"time": datetime.fromisoformat(values["time"])}))


@dataclass(frozen=True)
class AuditLog:
    entries: list[Entry]
    unreadable: list[int]  # line numbers that are not an entry (damaged or edited by hand)


def cli_actor() -> Actor:
    """The person running `reach` on the server: the OS user, as operator, from the machine itself."""
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = f"uid {os.getuid()}"
    return Actor(user=user, role=CLI_ROLE, address=CLI_ADDRESS)


def record(home: Home, actor: Actor, action: str, obj: str, detail: str = "") -> Entry:
    """Append one entry; a ReachError if it cannot be written (the caller then does not act)."""
    entry = Entry(datetime.now().astimezone().replace(microsecond=0), actor.user, actor.role, actor.address,
                  action, obj, detail)
    line = (entry.to_json() + "\n").encode("utf-8")
    home.root.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(home.audit_log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(f"only {written} of {len(line)} bytes written")
            os.fsync(fd)
        finally:
            os.close(fd)  # closing releases the lock
    except OSError as error:
        raise ReachError(f"Cannot write the audit log {home.audit_log} ({error.strerror or error}); "
                         f"{action} was not done.") from None
    return entry


def read(home: Home, *, since: date | None = None, user: str | None = None) -> AuditLog:
    """Entries in the order written, those from `since` (local date) on and by `user` if given."""
    path: Path = home.audit_log
    if not path.exists():
        return AuditLog([], [])
    entries: list[Entry] = []
    unreadable: list[int] = []
    with path.open(encoding="utf-8", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                entry = Entry.from_json(line)
            except (ValueError, TypeError):
                unreadable.append(number)
                continue
            if since is not None and entry.time.astimezone().date() < since:
                continue
            if user is not None and entry.user != user:
                continue
            entries.append(entry)
    return AuditLog(entries, unreadable)


def printable(text: str) -> str:
    """One line of plain text: control characters (newlines, escapes) shown as spaces."""
    return "".join(" " if not ch.isprintable() else ch for ch in text)


def format_entries(entries: Iterable[Entry]) -> str:
    rows = [("time", "user", "role", "address", "action", "object", "detail")]
    rows += [(e.time.isoformat(timespec="seconds"), e.user, e.role, e.address, e.action, e.object, e.detail)
             for e in entries]
    rows = [tuple(printable(cell) for cell in row) for row in rows]
    widths = [max(len(row[i]) for row in rows) for i in range(len(FIELDS) - 1)]
    return "\n".join(
        ("  ".join(cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=True)) + "  " + row[-1]).rstrip()
        for row in rows
    )
