"""From the PATHs given to `reach load` to deliveries: folders, zips, folders of deliveries.

A PATH is one of:
- a delivery folder: it directly holds at least one export file (`klienti.csv`, ...);
- a `.zip` of a delivery (files at the top or inside one folder level or more);
- a folder of deliveries: it holds no export file itself; its sub-folders and zips are
  deliveries, loaded in name order (the generator writes `2022-08/`, `2022-09/`, ...).

Zips are checked before anything is loaded: a member path that leaves the archive
(`../x`, `/etc/x`) or an absurd uncompressed size (a zip bomb) rejects the whole command.
File contents are read lazily, one file at a time, so memory holds one file, not a delivery.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipelines.contract import FILES_BY_NAME
from pipelines.errors import ReachError

EXPORT_SUFFIXES = (".csv", ".xlsx")
MAX_ZIP_TOTAL_BYTES = 4 * 1024**3  # 4 GiB uncompressed: far above a centre's monthly export
MAX_ZIP_RATIO = 200  # CSV compresses ~5-20x; hundreds-fold is a crafted archive
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DeliveredFile:
    name: str  # file name as delivered (no folders)
    sha256: str
    size: int
    read: Callable[[], bytes]  # the file's bytes, read when the file is loaded

    @property
    def kind(self) -> str | None:
        """Export file stem (`klienti`, ...) if the name is one of the contract's, else None."""
        return export_kind(self.name)


@dataclass(frozen=True)
class Delivery:
    source: str  # the PATH (or PATH/child) as the operator sees it
    files: tuple[DeliveredFile, ...]


def export_kind(file_name: str) -> str | None:
    path = PurePosixPath(file_name)
    stem, suffix = path.stem.lower(), path.suffix.lower()
    return stem if suffix in EXPORT_SUFFIXES and stem in FILES_BY_NAME else None


def resolve_deliveries(paths: list[Path]) -> list[Delivery]:
    """Every delivery named by `paths`, in the order given; zips are vetted here, up front."""
    deliveries: list[Delivery] = []
    for path in paths:
        if not path.exists():
            raise ReachError(f"{path} does not exist.")
        if path.is_file():
            if path.suffix.lower() != ".zip":
                raise ReachError(f"{path} is neither a delivery folder nor a .zip of one.")
            deliveries.append(_zip_delivery(path))
        elif _holds_export_files(path):
            deliveries.append(_folder_delivery(path))
        else:
            children = sorted(
                (c for c in path.iterdir() if c.is_dir() or c.suffix.lower() == ".zip"),
                key=lambda c: c.name,
            )
            if not children:
                raise ReachError(
                    f"{path} holds no export files ({', '.join(f'{n}.csv' for n in FILES_BY_NAME)} "
                    "or .xlsx) and no delivery folders or zips."
                )
            deliveries.extend(_zip_delivery(c) if c.is_file() else _folder_delivery(c) for c in children)
    return deliveries


def _holds_export_files(folder: Path) -> bool:
    return any(c.is_file() and export_kind(c.name) for c in folder.iterdir())


def _folder_delivery(folder: Path) -> Delivery:
    files = []
    for child in sorted(folder.iterdir(), key=lambda c: c.name):
        if child.is_file() and not child.name.startswith("."):
            files.append(DeliveredFile(child.name, _sha256_of_file(child), child.stat().st_size,
                                       child.read_bytes))
    return Delivery(str(folder), tuple(files))


def _sha256_of_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _zip_delivery(path: Path) -> Delivery:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise ReachError(f"{path} is not a readable .zip file ({error}).") from None
    with archive:
        members = [m for m in archive.infolist() if not m.is_dir()]
        _vet_zip_members(path, members)
        files = []
        seen: dict[str, str] = {}
        for member in members:
            name = PurePosixPath(member.filename).name
            if name.startswith(".") or "__MACOSX" in PurePosixPath(member.filename).parts:
                continue
            if name in seen:
                raise ReachError(
                    f"{path} holds two files named {name} ({seen[name]} and {member.filename}); "
                    "a delivery holds each file once."
                )
            seen[name] = member.filename
            data = _read_member(path, member)
            files.append(DeliveredFile(name, hashlib.sha256(data).hexdigest(), len(data),
                                       _member_reader(path, member)))
    return Delivery(str(path), tuple(sorted(files, key=lambda f: f.name)))


def _vet_zip_members(path: Path, members: list[zipfile.ZipInfo]) -> None:
    total = 0
    for member in members:
        name = member.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            raise ReachError(
                f"{path} contains the member '{member.filename}', whose path leaves the archive; "
                "the zip is rejected."
            )
        total += member.file_size
        if member.file_size > _CHUNK and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            raise ReachError(
                f"{path}: member '{member.filename}' would expand {member.file_size // max(member.compress_size, 1)}"
                f"-fold to {member.file_size:,} bytes; the zip is rejected as a likely zip bomb."
            )
    if total > MAX_ZIP_TOTAL_BYTES:
        raise ReachError(
            f"{path} would expand to {total:,} bytes, more than the limit of {MAX_ZIP_TOTAL_BYTES:,}; "
            "the zip is rejected."
        )


def _read_member(path: Path, member: zipfile.ZipInfo) -> bytes:
    """The member's bytes, never more than its declared size (a lying header cannot inflate it)."""
    with zipfile.ZipFile(path) as archive, archive.open(member) as stream:
        data = stream.read(member.file_size + 1)
    if len(data) > member.file_size:
        raise ReachError(f"{path}: member '{member.filename}' is larger than its header says; the zip is rejected.")
    return data


def _member_reader(path: Path, member: zipfile.ZipInfo) -> Callable[[], bytes]:
    return lambda: _read_member(path, member)
