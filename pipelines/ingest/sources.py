"""From the PATHs given to `reach load` to deliveries: folders, zips, folders of deliveries.

A PATH is one of:
- a delivery folder: it directly holds at least one export file (`klienti.csv`, ...);
- a `.zip` of a delivery (files at the top or inside one folder level or more);
- a folder of deliveries: it holds no export file itself; its sub-folders and zips are
  deliveries, loaded in name order (the generator writes `2022-08/`, `2022-09/`, ...).

Zips are checked before anything is loaded (pipelines.ingest.archive, with the limits of
pipelines.ingest.limits): a member path that leaves the archive (`../x`, `/etc/x`), too many
members, a member inflating absurdly or a total inflated size over the limit (a zip bomb), a
member larger than its header says, and a zip that holds no export file (empty, unrelated
files, or a zip inside the zip) reject the whole command. File contents are read lazily, one
file at a time, so memory holds one file, not a delivery.
"""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipelines.contract import FILES_BY_NAME
from pipelines.errors import ReachError
from pipelines.ingest.archive import DELIVERY_ZIP, ArchiveRefused, iter_member, read_member, vetted_members

EXPORT_SUFFIXES = (".csv", ".xlsx")
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
        try:
            members = vetted_members(archive, DELIVERY_ZIP)
            files = _zip_files(path, archive, members)
        except ArchiveRefused as refusal:
            raise ReachError(f"{path} {refusal}; the zip is rejected.") from None
    if not any(f.kind for f in files):
        raise ReachError(_no_export_files(path, [m.filename for m in members]))
    return Delivery(str(path), tuple(sorted(files, key=lambda f: f.name)))


def _zip_files(path: Path, archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> list[DeliveredFile]:
    files = []
    seen: dict[str, str] = {}
    for member in members:
        name = PurePosixPath(member.filename.replace("\\", "/")).name
        if name.startswith(".") or "__MACOSX" in PurePosixPath(member.filename).parts:
            continue
        if name in seen:
            raise ReachError(
                f"{path} holds two files named {name} ({seen[name]} and {member.filename}); "
                "a delivery holds each file once."
            )
        seen[name] = member.filename
        digest = hashlib.sha256()
        for chunk in iter_member(archive, member):
            digest.update(chunk)
        files.append(DeliveredFile(name, digest.hexdigest(), member.file_size, _member_reader(path, member)))
    return files


def _no_export_files(path: Path, names: list[str]) -> str:
    """Why a zip that vetted fine still holds no delivery, and what to do."""
    expected = f"{', '.join(f'{n}.csv' for n in FILES_BY_NAME)} or .xlsx"
    inner = [n for n in names if n.lower().endswith(".zip")]
    if inner:
        return (f"{path} holds another zip ({inner[0]}) instead of export files; unpack it and load the inner "
                "zip itself. Nothing was loaded.")
    if not names:
        return f"{path} is empty; a delivery zip holds export files ({expected}). Nothing was loaded."
    shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
    return f"{path} holds no export files ({expected}), only {shown}. Nothing was loaded."


def _member_reader(path: Path, member: zipfile.ZipInfo) -> Callable[[], bytes]:
    def read() -> bytes:
        try:
            with zipfile.ZipFile(path) as archive:
                return read_member(archive, member)
        except ArchiveRefused as refusal:
            raise ReachError(f"{path} {refusal}; the zip is rejected.") from None

    return read
