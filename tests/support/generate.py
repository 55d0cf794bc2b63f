"""Reading generated deliveries back for the generator tests (plain polars/openpyxl, not the loader).

Text is decoded as the pseudonymiser's reader decodes a raw export (BOM, UTF-8, else Windows-1250);
the cells are read here, not with its read_table: the header stays a row and XLSX date cells keep
the d.m.yyyy the tests compare with."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import polars as pl

from pipelines.generate import Manifest
from pipelines.pseudonymise.reader import _decode as decode


def delivery_files(manifest: Manifest, delivery: str) -> dict[str, bytes]:
    """File name -> bytes of one delivery (folder or zip)."""
    entry = next(d for d in manifest.deliveries if d.name == delivery)
    path = Path(manifest.out) / entry.path
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return {p.name: p.read_bytes() for p in path.iterdir()}


def read_cells(file_name: str, content: bytes) -> list[list[str | None]]:
    """Rows of cells as written (header first); XLSX date cells as d.m.yyyy."""
    if file_name.endswith(".xlsx"):
        sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([
                None if v is None else f"{v.day}.{v.month}.{v.year}" if hasattr(v, "day") else str(v)
                for v in row
            ])
        return rows
    text = decode(content)
    first = text.split("\n", 1)[0]
    delimiter = "," if first.count(",") > first.count(";") else ";"
    frame = pl.read_csv(text.encode("utf-8"), separator=delimiter, infer_schema=False, has_header=False)
    return [list(r) for r in frame.rows()]
