"""What each schedule entry has sent: <home>/schedule_state.json.

Per entry id: the due time of the last successful send (everything due after it is still to
send), when that was and for which period; and the last failure (the due time it was for, when,
how many tries, the error without addresses). The sender updates it after each send, under the
send lock, with an atomic rename, so a crash leaves the previous state: nothing is lost, and at
worst the one send whose state was not yet written goes out again.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from typing import Any

from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.schedule.files import write_atomically

FORMAT = 1


@dataclass(frozen=True)
class EntryState:
    last_sent_due: datetime | None = None  # the due time the last successful send was for
    last_sent_at: datetime | None = None
    last_period: str | None = None  # "2023-01-01..2023-01-31"
    failed_due: datetime | None = None  # the due time still waiting after a failed send
    failed_at: datetime | None = None
    failure: str | None = None
    attempts: int = 0  # tries of that failed send

    @property
    def failing(self) -> bool:
        return self.failed_due is not None

    def to_json(self) -> dict[str, Any]:
        return {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> EntryState:
        values = {name: data.get(name) for name in cls.__dataclass_fields__}
        for name in ("last_sent_due", "last_sent_at", "failed_due", "failed_at"):
            if values[name] is not None:
                values[name] = datetime.fromisoformat(values[name])
        values["attempts"] = int(values["attempts"] or 0)
        return cls(**values)


@dataclass(frozen=True)
class State:
    entries: dict[str, EntryState] = field(default_factory=dict)

    def entry(self, entry_id: str) -> EntryState:
        return self.entries.get(entry_id, EntryState())


def read_state(home: Home) -> State:
    path = home.schedule_state
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return State()
    except OSError as error:
        raise ReachError(f"Cannot read {path} ({error.strerror or error}); nothing was sent.") from None
    try:
        data = json.loads(text)
        if data.get("format") != FORMAT:
            raise ValueError(f"format {data.get('format')!r}")
        return State({str(k): EntryState.from_json(v) for k, v in data["entries"].items()})
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        # Never guess: an unreadable state would either resend every report or skip them.
        raise ReachError(f"{path} is damaged ({error}); nothing was sent. Restore it from a backup, or remove it "
                         "to start afresh (each entry then sends its latest due report once).") from None


def _write(home: Home, state: State) -> None:
    data = {"format": FORMAT, "entries": {k: v.to_json() for k, v in sorted(state.entries.items())}}
    write_atomically(home.schedule_state, json.dumps(data, indent=2, ensure_ascii=False) + "\n", 0o600)


def record_sent(home: Home, entry_id: str, due: datetime, period: str, at: datetime) -> EntryState:
    """A successful send for `due`: it and everything due before it is done; a failure is cleared."""
    state = read_state(home)
    updated = EntryState(last_sent_due=due, last_sent_at=at, last_period=period)
    _write(home, State(state.entries | {entry_id: updated}))
    return updated


def record_failed(home: Home, entry_id: str, due: datetime, message: str, attempts: int, at: datetime) -> EntryState:
    """A failed send for `due`: the entry stays due from there (last_sent_due is unchanged)."""
    state = read_state(home)
    updated = replace(state.entry(entry_id), failed_due=due, failed_at=at, failure=message, attempts=attempts)
    _write(home, State(state.entries | {entry_id: updated}))
    return updated
