"""Reading raw export files robustly: CSV in UTF-8 (with or without BOM) or Windows-1250,
delimiter `;` or `,`, quoted fields, LF or CRLF; or XLSX (first sheet). All cells as text."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.errors import ReachError

EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class SourceFile:
    name: str  # as found, e.g. "Klienti.CSV"
    stem: str  # lower-case stem, e.g. "klienti"
    content: bytes


def source_files(source: Path) -> list[SourceFile]:
    """The CSV/XLSX files of a raw export folder or zip."""
    if source.is_file() and source.suffix.lower() == ".zip":
        with zipfile.ZipFile(source) as archive:
            return [
                SourceFile(Path(n).name, Path(n).stem.lower(), archive.read(n)) for n in sorted(archive.namelist())
                if Path(n).suffix.lower() in EXTENSIONS and not n.endswith("/")
            ]
    if not source.is_dir():
        raise ReachError(f"{source} is neither a folder nor a .zip of a raw export.")
    return [
        SourceFile(p.name, p.stem.lower(), p.read_bytes()) for p in sorted(source.iterdir())
        if p.is_file() and p.suffix.lower() in EXTENSIONS
    ]


def _decode(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1250")


def read_table(file: SourceFile) -> pl.DataFrame:
    """All cells as strings (empty -> null); headers as written."""
    if file.name.lower().endswith(".xlsx"):
        frame = pl.read_excel(io.BytesIO(file.content), engine="calamine", infer_schema_length=0)
        # Date cells arrive as "2022-08-01 00:00:00": keep the ISO date the contract accepts.
        return frame.with_columns(pl.all().cast(pl.String).str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1"))
    text = _decode(file.content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        return pl.read_csv(
            io.StringIO(text).read().encode("utf-8"), separator=delimiter, infer_schema=False,
            quote_char='"', truncate_ragged_lines=False,
        )
    except pl.exceptions.ComputeError as error:
        raise ReachError(f"{file.name} cannot be read as CSV: {' '.join(str(error).split())[:300]}") from None
