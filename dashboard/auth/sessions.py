"""Signed-in sessions held by the server: the cookie carries only a random session id.

Expiry after inactivity (and at the latest `lifetime` after signing in) is decided here, so a
copied cookie stops working at sign-out, expiry or a restart of the server, whatever the browser
keeps. One process serves the dashboard (waitress threads), so memory is the right place.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass
from datetime import timedelta


@dataclass
class _Open:
    name: str
    started: float
    seen: float


class Sessions:
    def __init__(self, inactivity: timedelta, lifetime: timedelta) -> None:
        self.inactivity, self.lifetime = inactivity.total_seconds(), lifetime.total_seconds()
        self._open: dict[str, _Open] = {}
        self._lock = threading.Lock()

    def open(self, name: str) -> str:
        sid = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            self._drop_expired(now)
            self._open[sid] = _Open(name, now, now)
        return sid

    def touch(self, sid: object, name: str) -> str:
        """`ok` (and the session's clock restarts), `expired`, or `unknown`."""
        now = time.monotonic()
        with self._lock:
            found = self._open.get(sid) if isinstance(sid, str) else None
            if found is None or found.name != name:
                return "unknown"
            if now - found.seen > self.inactivity or now - found.started > self.lifetime:
                return "expired"  # kept (until purged) so every later request can say why it was signed out
            found.seen = now
            return "ok"

    def close(self, sid: object) -> None:
        with self._lock:
            if isinstance(sid, str):
                self._open.pop(sid, None)

    def _drop_expired(self, now: float) -> None:
        gone = [sid for sid, s in self._open.items() if now - s.started > self.lifetime + self.inactivity]
        for sid in gone:
            del self._open[sid]
