"""Chart images kept between board-pack requests, so a pack asked for again starts no Chromium.

A chart's PNG is a function of what kaleido is given: the Plotly figure (its JSON holds every
figure drawn, every label and the theme), the image options, and the renderer (plotly.js shipped
with plotly.py, kaleido, the Chromium executable). The cache keys each PNG by the sha256 of all of
them, so a cached image is only ever used for a figure that is the same in every respect: another
period, scope, language, build with other figures or changed chart code gives another key. The
images live beside the published warehouse, in `<home>/cache/board-charts/` (the home already
holds every figure they show); the folder is bounded (the least recently used files go first).

A request (warehouse file, scope, period, language) also leaves a note of the keys it drew. When a
pack is asked for again and every noted image is there, Chromium is not started before the
figures are built; the note is only a hint: the keys are always computed from the figures, and a
chart that is missing after all is drawn in a session started then.

Every cache error (a read-only home, a file removed meanwhile) is a miss, never a failed pack.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from dataclasses import dataclass
from datetime import date
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import duckdb

from pipelines.access import Scope

FOLDER = Path("cache") / "board-charts"
FORMAT = 1  # raise when what a key covers changes
KEEP_FILES = 600  # about 50 packs of six charts and their notes; beyond this the oldest go


def _package(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "?"


def _renderer() -> dict[str, Any]:
    """What draws the PNG besides the figure: the package versions and the Chromium executable
    (its path, size and modification time change when the browser is upgraded)."""
    browser = os.environ.get("BROWSER_PATH", "")
    identity: list[Any] = [browser]
    with contextlib.suppress(OSError):
        if browser:
            stat = Path(browser).resolve().stat()
            identity += [stat.st_size, stat.st_mtime_ns]
    return {"plotly": _package("plotly"), "kaleido": _package("kaleido"), "chromium": identity}


@dataclass(frozen=True)
class ChartCache:
    folder: Path

    @classmethod
    def beside(cls, con: duckdb.DuckDBPyConnection) -> ChartCache | None:
        """The cache of the warehouse file `con` reads (None for an in-memory database)."""
        try:
            row = con.execute("SELECT path FROM duckdb_databases() "
                              "WHERE database_name = current_database()").fetchone()
        except duckdb.Error:
            return None
        if not row or not row[0]:
            return None
        return cls(Path(row[0]).resolve().parent / FOLDER)

    # Keys

    @staticmethod
    def key(spec: dict[str, Any]) -> str:
        """The key of one kaleido spec ({"fig", "path", "opts"}): the figure's JSON, the options, the renderer."""
        digest = hashlib.sha256(json.dumps({"format": FORMAT, "opts": spec["opts"], "renderer": _renderer()},
                                           sort_keys=True).encode())
        digest.update(spec["fig"].to_json().encode())
        return digest.hexdigest()

    @staticmethod
    def request(con: duckdb.DuckDBPyConnection, scope: Scope, date_from: date, date_to: date,
                lang: str) -> str | None:
        """The key of a request's note: the warehouse file as published (path, size, time), scope,
        period, language; None when the file cannot be told (the request is then not noted)."""
        try:
            row = con.execute("SELECT path FROM duckdb_databases() "
                              "WHERE database_name = current_database()").fetchone()
            path = Path(row[0]).resolve() if row and row[0] else None
            stat = path.stat() if path else None
        except (OSError, duckdb.Error):
            return None
        if path is None or stat is None:
            return None
        what = [str(path), stat.st_size, stat.st_mtime_ns, scope.describe(),
                date_from.isoformat(), date_to.isoformat(), lang, FORMAT]
        return hashlib.sha256(json.dumps(what).encode()).hexdigest()

    # Images

    def _image(self, key: str) -> Path:
        return self.folder / f"{key}.png"

    def fetch(self, key: str, out: Path) -> bool:
        """Copy the image of `key` to `out`; False when it is not cached."""
        try:
            shutil.copyfile(self._image(key), out)
            os.utime(self._image(key))  # recently used: kept when the folder is trimmed
            return True
        except OSError:
            with contextlib.suppress(OSError):
                out.unlink()
            return False

    def store(self, key: str, image: Path) -> None:
        self._write(self._image(key), image.read_bytes())

    # Notes of requests

    def noted(self, request: str) -> bool:
        """Whether the request drew its charts before and every image it drew is still here."""
        try:
            keys = json.loads((self.folder / f"{request}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return isinstance(keys, list) and bool(keys) and all(self._image(str(k)).is_file() for k in keys)

    def note(self, request: str, keys: list[str]) -> None:
        self._write(self.folder / f"{request}.json", json.dumps(keys).encode())

    def _write(self, path: Path, content: bytes) -> None:
        """Write atomically (a concurrent reader sees the whole file or none); then trim the folder."""
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            partial.write_bytes(content)
            os.replace(partial, path)
        except OSError:
            with contextlib.suppress(OSError):
                partial.unlink()
            return
        self._trim()

    def _trim(self) -> None:
        with contextlib.suppress(OSError):
            files = [p for p in self.folder.iterdir() if not p.name.startswith(".")]
            if len(files) <= KEEP_FILES:
                return
            for old in sorted(files, key=_last_used)[:len(files) - KEEP_FILES]:
                with contextlib.suppress(OSError):
                    old.unlink()


def _last_used(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
