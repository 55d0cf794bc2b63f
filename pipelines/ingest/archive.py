"""Zip archives read safely: one implementation for delivery zips, XLSX workbooks (zips of XML)
and `reach pseudonymise`'s raw-export zips.

Everything is judged from the central directory before a byte is inflated: member paths, the
number of members, each member's inflation ratio and the total inflated size. Members are
then read never beyond the size their header declares, so a header that lies cannot inflate
more than it admits to: such a member fails its size or CRC check and the archive is refused.
"""

from __future__ import annotations

import copy
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath

from pipelines.ingest import limits

_CHUNK = 1024 * 1024


class ArchiveRefused(Exception):
    """The archive breaks a limit or is damaged; the message names why (the caller names the archive)."""


@dataclass(frozen=True)
class ArchiveLimits:
    what: str  # "delivery zip", "workbook": how a message names the archive
    members: int
    total_bytes: int
    ratio: int = limits.ZIP_RATIO
    ratio_from_bytes: int = limits.ZIP_RATIO_FROM_BYTES


DELIVERY_ZIP = ArchiveLimits("delivery zip", limits.ZIP_MEMBERS, limits.ZIP_TOTAL_BYTES)
WORKBOOK = ArchiveLimits("workbook", limits.XLSX_MEMBERS, limits.XLSX_TOTAL_BYTES)


def vetted_members(archive: zipfile.ZipFile, bounds: ArchiveLimits) -> list[zipfile.ZipInfo]:
    """The archive's file members (folders left out) once every limit of `bounds` holds."""
    members = [m for m in archive.infolist() if not m.is_dir()]
    if len(members) > bounds.members:
        raise ArchiveRefused(
            f"holds {len(members):,} files, more than the limit of {bounds.members:,} for a {bounds.what}"
        )
    total = 0
    for member in members:
        name = member.filename.replace("\\", "/")
        parts = PurePosixPath(name).parts
        if name.startswith("/") or ".." in parts or (parts and ":" in parts[0]):
            raise ArchiveRefused(f"contains the member '{member.filename}', whose path leaves the archive")
        if member.flag_bits & 0x1:
            raise ArchiveRefused(f"member '{member.filename}' is encrypted")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > bounds.ratio_from_bytes and ratio > bounds.ratio:
            raise ArchiveRefused(
                f"member '{member.filename}' would expand {int(ratio):,}-fold to {member.file_size:,} bytes, "
                f"more than the limit of {bounds.ratio}-fold (a likely zip bomb)"
            )
        total += member.file_size
    if total > bounds.total_bytes:
        raise ArchiveRefused(
            f"would expand to {total:,} bytes, more than the limit of {bounds.total_bytes:,} bytes "
            f"({bounds.total_bytes / limits.GIB:g} GiB) for a {bounds.what}"
        )
    return members


def iter_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, chunk: int = _CHUNK) -> Iterator[bytes]:
    """The member's bytes in chunks, never more than its header declares."""
    # Asking for one byte more than declared makes a lying header visible: the extra byte
    # arrives (or the CRC of the declared length fails) instead of being cut off silently.
    probe = copy.copy(member)
    probe.file_size = member.file_size + 1
    produced = 0
    try:
        with archive.open(probe) as stream:
            while data := stream.read(chunk):
                produced += len(data)
                if produced > member.file_size:
                    raise ArchiveRefused(f"member '{member.filename}' is larger than its header says")
                yield data
    except (zipfile.BadZipFile, EOFError, OSError) as error:
        raise ArchiveRefused(f"member '{member.filename}' is damaged ({error})") from None
    except NotImplementedError:
        raise ArchiveRefused(f"member '{member.filename}' uses a compression method that cannot be read") from None
    if produced != member.file_size:
        raise ArchiveRefused(f"member '{member.filename}' is shorter than its header says")


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    return b"".join(iter_member(archive, member))
