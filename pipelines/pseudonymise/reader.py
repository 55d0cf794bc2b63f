"""Reading raw export files with the loader's own readers (pipelines.ingest): the same zip
vetting and limits, the same encodings (UTF-8 with or without BOM, Windows-1250, ISO-8859-2),
delimiters, quoting and line ends, the same XLSX bounds (first sheet). All cells as text."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from pipelines import contract
from pipelines.errors import ReachError
from pipelines.ingest import limits, reading
from pipelines.ingest.archive import DELIVERY_ZIP, ArchiveRefused, read_member, vetted_members
from pipelines.ingest.encoding import decode
from pipelines.ingest.reading import FileRejected, TextTable, too_large
from pipelines.normalise import fold_header
from pipelines.pseudonymise import layout

EXTENSIONS = (".csv", ".xlsx")
_RAW_HEADERS = frozenset(fold_header(h) for h in (
    layout.CLIENT_NUMBER, *layout.DIRECT_IDENTIFIERS, *(c.header for f in contract.FILES for c in f.columns)
))


@dataclass(frozen=True)
class SourceFile:
    name: str  # as found, e.g. "Klienti.CSV"
    stem: str  # lower-case stem, e.g. "klienti"
    content: bytes


def source_files(source: Path) -> list[SourceFile]:
    """The CSV/XLSX files of a raw export folder or zip (a zip vetted as `reach load` vets it)."""
    if source.is_file() and source.suffix.lower() == ".zip":
        return _zip_files(source)
    if not source.is_dir():
        raise ReachError(f"{source} is neither a folder nor a .zip of a raw export.")
    files = []
    for path in sorted(source.iterdir()):
        if path.is_file() and path.suffix.lower() in EXTENSIONS:
            if path.stat().st_size > limits.FILE_BYTES:
                raise ReachError(f"{path}: {too_large(path.stat().st_size)}; nothing was written.")
            files.append(SourceFile(path.name, path.stem.lower(), path.read_bytes()))
    return files


def _zip_files(source: Path) -> list[SourceFile]:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        raise ReachError(f"{source} is not a readable .zip file ({error}).") from None
    with archive:
        try:
            members = vetted_members(archive, DELIVERY_ZIP)
            return [
                SourceFile(Path(m.filename).name, Path(m.filename).stem.lower(), read_member(archive, m))
                for m in sorted(members, key=lambda m: m.filename) if Path(m.filename).suffix.lower() in EXTENSIONS
            ]
        except ArchiveRefused as refusal:
            raise ReachError(f"{source} {refusal}; the zip is rejected and nothing was written.") from None


def _decode(content: bytes) -> str:
    """The text of a CSV file as the readers decode it (LF line ends)."""
    return decode(content)[0].decode("utf-8")


def read_table(file: SourceFile) -> TextTable:
    """All cells as text (empty -> null), headers as written, problems the reader found by row."""
    try:
        return reading.read_table(file.name, file.content, _RAW_HEADERS)
    except FileRejected as rejection:
        raise ReachError(f"{file.name}: {rejection}; nothing was written.") from None
