"""Reading and editing the schedule file: the admin page's API (docs/routine.md, "For the pages").

    view = read_schedule(home)                       # ScheduleView: schedule, version, path
    list_entries(home)                               # [EntryStatus]: entry, next due, last sent, failure
    add_entry(home, {"id": ..., ...}, actor)         # validated, written atomically, audited
    replace_entry(home, "board-monthly", {...}, actor, expected_version=view.version)
    delete_entry(home, "board-monthly", actor, expected_version=view.version)

Every edit holds a lock, re-reads the file, validates the whole schedule as it would be written
and writes it atomically, so a second editor (another admin, a hand edit) is never overwritten
silently: pass the `version` you showed and a changed file is refused. The file is YAML written
by the program; comments written by hand are not kept once the page edits it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.schedule.files import locked, write_atomically
from pipelines.schedule.model import (
    Entry,
    Problem,
    Schedule,
    ScheduleError,
    next_due,
    parse_schedule,
    validate_entry,
)
from pipelines.schedule.state import EntryState, read_state

HEADER = ("# Scheduled reports (docs/routine.md). Edited by `reach` and the admin page; comments are not kept.\n"
          "# No SMTP settings or passwords here: they come from the environment or a file outside the repo.\n")
ACTION_ADD, ACTION_EDIT, ACTION_DELETE = "schedule.add", "schedule.edit", "schedule.delete"


@dataclass(frozen=True)
class ScheduleView:
    schedule: Schedule
    version: str  # SHA-256 of the file as read ("" when there is none); give it back to edit
    path: Path


@dataclass(frozen=True)
class EntryStatus:
    """One line of the admin page's list."""

    entry: Entry
    next_due: datetime
    state: EntryState  # last sent (due time, period, when), last failure


def read_schedule(home: Home, path: Path | None = None) -> ScheduleView:
    """The schedule at `path` (default <home>/schedules.yaml; an empty one when there is no file)."""
    path = path or home.schedule_file
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return ScheduleView(Schedule(), "", path)
    except OSError as error:
        raise ReachError(f"Cannot read the schedule {path} ({error.strerror or error}).") from None
    try:
        parsed = yaml.safe_load(data.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        mark = getattr(error, "problem_mark", None)
        where = f" (line {mark.line + 1}, column {mark.column + 1})" if mark is not None else ""
        raise ReachError(f"{path} is not readable YAML{where}: {getattr(error, 'problem', None) or error}.") from None
    return ScheduleView(parse_schedule(parsed, str(path)), hashlib.sha256(data).hexdigest(), path)


def list_entries(home: Home, path: Path | None = None, now: datetime | None = None) -> list[EntryStatus]:
    view = read_schedule(home, path)
    state = read_state(home)
    now = now or datetime.now().astimezone()
    return [EntryStatus(e, next_due(e, view.schedule.zone, now), state.entry(e.id)) for e in view.schedule.entries]


def add_entry(home: Home, data: dict[str, Any], actor: audit.Actor, *, path: Path | None = None,
              expected_version: str | None = None) -> Entry:
    entry = validate_entry(data)

    def change(entries: list[Entry]) -> list[Entry]:
        if any(e.id == entry.id for e in entries):
            raise ScheduleError("The schedule entry", [_taken(entry.id)])
        return [*entries, entry]

    _edit(home, path, expected_version, change, actor, ACTION_ADD, entry)
    return entry


def replace_entry(home: Home, entry_id: str, data: dict[str, Any], actor: audit.Actor, *,
                  path: Path | None = None, expected_version: str | None = None) -> Entry:
    """Replace the entry `entry_id` by `data` (which may rename it; its sending state follows the id)."""
    entry = validate_entry(data)

    def change(entries: list[Entry]) -> list[Entry]:
        if not any(e.id == entry_id for e in entries):
            raise ReachError(f"The schedule has no entry '{entry_id}'; it may have been deleted meanwhile.")
        if entry.id != entry_id and any(e.id == entry.id for e in entries):
            raise ScheduleError("The schedule entry", [_taken(entry.id)])
        return [entry if e.id == entry_id else e for e in entries]

    _edit(home, path, expected_version, change, actor, ACTION_EDIT, entry)
    return entry


def delete_entry(home: Home, entry_id: str, actor: audit.Actor, *, path: Path | None = None,
                 expected_version: str | None = None) -> None:
    removed: list[Entry] = []

    def change(entries: list[Entry]) -> list[Entry]:
        removed.extend(e for e in entries if e.id == entry_id)
        if not removed:
            raise ReachError(f"The schedule has no entry '{entry_id}'; it may have been deleted meanwhile.")
        return [e for e in entries if e.id != entry_id]

    _edit(home, path, expected_version, change, actor, ACTION_DELETE, None, entry_id)


def write_schedule(schedule: Schedule, path: Path) -> None:
    text = HEADER + yaml.safe_dump(schedule.to_dict(), allow_unicode=True, sort_keys=False, default_flow_style=False)
    parse_schedule(yaml.safe_load(text), str(path))  # what is written reads back as valid
    write_atomically(path, text, 0o600)  # staff addresses: readable by the operator only


def _taken(entry_id: str) -> Problem:
    return Problem(entry_id, "id", "another entry has this id")


def _edit(home: Home, path: Path | None, expected_version: str | None, change: Any, actor: audit.Actor,
          action: str, entry: Entry | None, entry_id: str | None = None) -> None:
    path = path or home.schedule_file
    with locked(path.with_name(path.name + ".lock")):
        view = read_schedule(home, path)
        if expected_version is not None and expected_version != view.version:
            raise ReachError(f"{path} was changed by someone else since it was read; reload it and make the change "
                             "again.")
        schedule = view.schedule.with_entries(change(list(view.schedule.entries)))
        parse_schedule(schedule.to_dict(), str(path))  # the whole schedule as it would be written
        # Audited first: if the log cannot be written, the schedule is not changed.
        audit.record(home, actor, action, f"schedule {entry.id if entry else entry_id}",
                     entry.describe() if entry else "")
        write_schedule(schedule, path)
