"""Deliveries uploaded through the browser (issue 15 item 1; docs/routine.md, "For the pages").

    files = [UploadedFile.from_stream(name, stream, declared_size), UploadedFile.from_bytes(name, data)]
    summary = upload_delivery(home, files, centre="ULK", actor=actor, progress=on_progress)
    summary["deliveries"][0]["files"], ...["quarantine"], ...["unknown_values"], ...["unknown_columns"]

1. Checked before a byte is read: the number of files, each name (a plain file name, no path,
   no control character, no two alike) and type (the contract's: `.csv`, `.xlsx`, or `.zip` of
   them; loose files and zips are not mixed, see below), and the declared sizes against the
   limit (`UploadLimits`, env REACH_UPLOAD_MAX_MB). A refusal raises UploadRefused and writes
   nothing.
2. Stored: copied in bounded chunks (a stream longer than it said is cut off and refused) into
   `<home>/uploads/<UTC time>-<hash>/`, the hash over the files' names and SHA-256s; files
   0600 (never executable), folders 0700; a manifest `<that name>.json` beside the folder lists
   name, size and SHA-256 of each file, who uploaded it and when. Nothing here serves a stored
   file back: the page shows the summary, never the file.
3. Loaded by the same loader as `reach load` (pipelines.ingest.load_paths) on that folder:
   loose files are one delivery (the folder); zips only, each zip is one delivery, in name order.
   The result is plain data (lists, dicts, strings, numbers) for the page: per delivery and
   file rows read = loaded + quarantined, warnings; the quarantined rows (file, row, column,
   value, reason; values are masked by the loader where they hold an identifier), unknown
   values and unknown columns.
4. Audited: the upload (who, which files by count, centre) and each delivery it loaded.

Who may upload (analyst and admin, for their own centres: access.md) is the page's check.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO

from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest import DeliveryReport, load_paths
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.ingest.report import LoadProgress

MIB = 1024**2
DEFAULT_MAX_MB = 512
FILE_TYPES = (".csv", ".xlsx", ".zip")  # export-format.md: CSV, XLSX, or a ZIP of them
MAX_FILES = 20
MAX_NAME_CHARS = 200
CHUNK = MIB
QUARANTINE_SHOWN = 10_000  # rows per delivery in the summary; quarantined_rows() gives them all
ACTION_UPLOAD, ACTION_LOAD = "delivery.upload", "delivery.load"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class UploadRefused(ReachError):
    """The upload was refused before anything of it was read or written."""


@dataclass(frozen=True)
class UploadLimits:
    max_bytes: int = DEFAULT_MAX_MB * MIB  # all files of one upload together
    max_files: int = MAX_FILES

    @classmethod
    def from_environment(cls) -> UploadLimits:
        text = os.environ.get("REACH_UPLOAD_MAX_MB", "").strip()
        if not text:
            return cls()
        try:
            megabytes = float(text)
        except ValueError:
            raise ReachError(f"REACH_UPLOAD_MAX_MB='{text}' is not a number of megabytes.") from None
        return cls(max_bytes=int(megabytes * MIB))


@dataclass(frozen=True)
class UploadedFile:
    name: str  # as the browser sent it (a path is reduced to its last part)
    size: int | None  # as declared (the request's length); None if unknown: then bounded while copied
    stream: BinaryIO

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> UploadedFile:
        return cls(name, len(data), io.BytesIO(data))

    @classmethod
    def from_stream(cls, name: str, stream: BinaryIO, size: int | None) -> UploadedFile:
        return cls(name, size, stream)


@dataclass(frozen=True)
class StoredFile:
    name: str
    size: int
    sha256: str


@dataclass(frozen=True)
class StoredUpload:
    name: str  # <UTC time>-<hash>
    folder: Path
    files: tuple[StoredFile, ...]


def _mb(size: int) -> str:
    return f"{size / MIB:,.1f} MB"


def file_name(raw: str) -> str:
    """The plain file name of an upload, or UploadRefused saying why it cannot be one."""
    name = PureWindowsPath(PurePosixPath(raw or "").name).name.strip()  # browsers may send C:\fakepath\x
    if not name or name in (".", "..") or name.startswith("."):
        raise UploadRefused(f"'{_CONTROL.sub('?', raw or '')}' is not a file name that can be stored.")
    if _CONTROL.search(name) or len(name) > MAX_NAME_CHARS:
        raise UploadRefused(f"The file name '{_CONTROL.sub('?', name)[:60]}' has control characters or is longer "
                            f"than {MAX_NAME_CHARS} characters; rename the file.")
    return name


def check_upload(files: list[UploadedFile], limits: UploadLimits) -> list[str]:
    """Refuse (UploadRefused) before reading: count, names, types, declared sizes. The file names."""
    if not files:
        raise UploadRefused("The upload holds no file.")
    if len(files) > limits.max_files:
        raise UploadRefused(f"{len(files)} files in one upload; at most {limits.max_files} (put them in a zip).")
    names = [file_name(f.name) for f in files]
    seen: dict[str, str] = {}
    for name in names:
        if name.lower() in seen:
            raise UploadRefused(f"Two files are named {name}; a delivery holds each file once.")
        seen[name.lower()] = name
        suffix = PurePosixPath(name).suffix.lower()
        if suffix not in FILE_TYPES:
            raise UploadRefused(f"{name}: the type '{suffix or 'none'}' is not a file of the export format; upload "
                                "CSV or XLSX files of one delivery, or ZIP files of deliveries.")
    zips = [n for n in names if n.lower().endswith(".zip")]
    if zips and len(zips) < len(names):
        raise UploadRefused(f"The upload mixes zips ({', '.join(zips)}) with loose files; upload either the files of "
                            "one delivery or zips of deliveries.")
    declared = sum(f.size or 0 for f in files)
    if declared > limits.max_bytes:
        biggest = max(files, key=lambda f: f.size or 0)
        raise UploadRefused(f"The upload is {_mb(declared)}, more than the limit of {_mb(limits.max_bytes)} "
                            f"(the largest file, {file_name(biggest.name)}, is {_mb(biggest.size or 0)}); "
                            "nothing was read.")
    return names


def store_upload(home: Home, files: list[UploadedFile], limits: UploadLimits | None = None,
                 actor: audit.Actor | None = None, centre: str = "") -> StoredUpload:
    limits = limits or UploadLimits.from_environment()
    names = check_upload(files, limits)
    home.uploads_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    incoming = home.uploads_dir / f".incoming-{uuid.uuid4().hex}"
    incoming.mkdir(mode=0o700)
    try:
        stored = []
        budget = limits.max_bytes
        for name, upload in zip(names, files, strict=True):
            stored.append(_copy(upload, incoming / name, budget, limits))
            budget -= stored[-1].size
        digest = hashlib.sha256()
        for f in sorted(stored, key=lambda s: s.name):
            digest.update(f"{f.name}\n{f.sha256}\n".encode())
        name = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{digest.hexdigest()[:12]}"
        folder = home.uploads_dir / name
        if folder.exists():  # the same files again within the second: they are stored already
            shutil.rmtree(incoming)
        else:
            os.rename(incoming, folder)  # a folder appears whole or not at all
    except BaseException:
        shutil.rmtree(incoming, ignore_errors=True)
        raise
    upload = StoredUpload(name, folder, tuple(stored))
    manifest = {"upload": name, "centre": centre,
                "uploaded_at": datetime.now().astimezone().isoformat(timespec="seconds"),
                "uploaded_by": actor.user if actor else None,
                "files": [{"name": f.name, "size": f.size, "sha256": f.sha256} for f in stored]}
    _write_private(folder.with_name(name + ".json"), json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return upload


def _copy(upload: UploadedFile, target: Path, budget: int, limits: UploadLimits) -> StoredFile:
    digest = hashlib.sha256()
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # never executable
    with os.fdopen(fd, "wb") as out:
        while chunk := upload.stream.read(CHUNK):
            size += len(chunk)
            if size > budget:
                raise UploadRefused(f"{target.name} is larger than it said or than what is left of the limit of "
                                    f"{_mb(limits.max_bytes)}; the upload was refused and nothing of it kept.")
            digest.update(chunk)
            out.write(chunk)
    return StoredFile(target.name, size, digest.hexdigest())


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def load_upload(home: Home, upload: StoredUpload, centre: str, actor: audit.Actor,
                progress: Callable[[LoadProgress], None] | None = None) -> dict[str, Any]:
    """`reach load` of the stored upload's folder (or its zips, in name order), audited; the summary."""
    zips = sorted(f.name for f in upload.files if f.name.lower().endswith(".zip"))
    paths = [upload.folder / z for z in zips] if zips else [upload.folder]
    audit.record(home, actor, ACTION_UPLOAD, f"upload {upload.name}",
                 f"{len(upload.files)} file(s) for centre {centre.strip().upper()}")
    reports = load_paths(home, paths, centre=centre, progress=progress)
    for report in reports:
        audit.record(home, actor, ACTION_LOAD, f"delivery {report.delivery_id}",
                     f"upload {upload.name}" + ("; already loaded, nothing changed" if report.already_loaded else ""))
    return summarise(home, reports, upload.name)


def upload_delivery(home: Home, files: list[UploadedFile], *, centre: str, actor: audit.Actor,
                    limits: UploadLimits | None = None,
                    progress: Callable[[LoadProgress], None] | None = None) -> dict[str, Any]:
    """Check, store and load one upload: the API the Deliveries page calls."""
    upload = store_upload(home, files, limits, actor, centre)
    return load_upload(home, upload, centre, actor, progress)


# --- the summary as plain data ------------------------------------------------------------------------


def summarise(home: Home, reports: list[DeliveryReport], upload: str | None = None) -> dict[str, Any]:
    """The per-file summary of a load, with the quarantine and unknown values from the raw layer."""
    con = connect_raw_layer(str(home.raw_db), read_only=True)
    try:
        deliveries = [_delivery(con, r) for r in reports]
    finally:
        con.close()
    return {"upload": upload, "deliveries": deliveries}


def _delivery(con: Any, report: DeliveryReport) -> dict[str, Any]:
    ident = report.delivery_id
    quarantine = quarantined_rows_from(con, ident, QUARANTINE_SHOWN + 1)
    unknown = con.execute(
        "SELECT file_name, column_name, value, count(*) FROM meta.load_warnings WHERE delivery_id = ? "
        "AND kind = 'unknown_value' GROUP BY ALL ORDER BY file_name, column_name, value", [ident]).fetchall()
    columns = con.execute(
        "SELECT file_name, column_name FROM meta.load_warnings WHERE delivery_id = ? AND kind = 'unknown_column' "
        "ORDER BY file_name, column_name", [ident]).fetchall()
    return {
        "source": Path(report.source).name, "centre": report.centre, "delivery_id": ident,
        "already_loaded": report.already_loaded, "load_seq": report.load_seq,
        "rows_read": report.rows_read, "rows_loaded": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined, "warnings": report.warnings,
        "files": [{"file": f.file_name, "kind": f.file_kind, "status": f.status, "message": f.message,
                   "rows_read": f.rows_read, "rows_loaded": f.rows_loaded, "rows_quarantined": f.rows_quarantined,
                   "warnings": f.warnings, "format": f.file_format, "encoding": f.encoding,
                   "delimiter": f.delimiter, "sha256": f.sha256} for f in report.files],
        "quarantine": quarantine[:QUARANTINE_SHOWN],
        "quarantine_truncated": len(quarantine) > QUARANTINE_SHOWN,
        "unknown_values": [{"file": f, "column": c, "value": v, "rows": n} for f, c, v, n in unknown],
        "unknown_columns": [{"file": f, "column": c} for f, c in columns],
    }


def quarantined_rows_from(con: Any, delivery_id: str, limit: int | None = None) -> list[dict[str, Any]]:
    sql = ("SELECT file_name, source_row, column_name, value, reason FROM meta.quarantine WHERE delivery_id = ? "
           "ORDER BY file_name, source_row, column_name NULLS FIRST")
    rows = con.execute(sql + (f" LIMIT {int(limit)}" if limit else ""), [delivery_id]).fetchall()
    return [{"file": f, "row": r, "column": c, "value": v, "reason": why} for f, r, c, v, why in rows]


def quarantined_rows(home: Home, delivery_id: str) -> list[dict[str, Any]]:
    """Every quarantined row of a delivery (the page's download of its quarantine table)."""
    con = connect_raw_layer(str(home.raw_db), read_only=True)
    try:
        return quarantined_rows_from(con, delivery_id)
    finally:
        con.close()
