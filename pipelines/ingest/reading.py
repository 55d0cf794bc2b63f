"""Reading one delivered file (CSV or XLSX bytes) into a table of text cells.

The result keeps the headers exactly as delivered and every cell as text (null = empty),
so that quarantine can show a row as it was delivered. Parsing into types happens later
(`rows.py`). A file that cannot be read as what its name says raises FileRejected; a row
the reader cannot take as it is (malformed CSV record, XLSX formula without a value, a cell
over CELL_CHARS) is kept, with an issue naming row and column, and quarantined later.

- `encoding.py`: bytes -> UTF-8 text (BOM, UTF-8, Windows-1250, ISO-8859-2; line ends);
- `csv_text.py`: text -> header, cells, malformed records;
- `xlsx.py`: workbook vetting (pipelines.ingest.limits) -> the first sheet's cells.
"""

from __future__ import annotations

from collections.abc import Collection

import polars as pl

from pipelines.ingest import limits
from pipelines.ingest.csv_text import detect_delimiter, read_csv_text
from pipelines.ingest.encoding import decode, detect_encoding
from pipelines.ingest.table import READER_ISSUE_SCHEMA, ROW, FileRejected, TextTable
from pipelines.ingest.xlsx import read_xlsx

__all__ = ["FileRejected", "TextTable", "detect_delimiter", "detect_encoding", "read_table"]

_ZIP_MAGIC = b"PK\x03\x04"


def read_table(file_name: str, data: bytes, expected_headers: Collection[str] = ()) -> TextTable:
    """The file's cells; `expected_headers` (folded) help tell Windows-1250 from ISO-8859-2."""
    if not data or data.isspace():
        raise FileRejected("the file is empty")
    if len(data) > limits.FILE_BYTES:
        raise FileRejected(too_large(len(data)))
    if file_name.lower().endswith(".xlsx"):
        sheet = read_xlsx(data)
        table = TextTable(sheet.headers, sheet.cells, "xlsx", first_row=sheet.first_row, issues=sheet.issues)
    else:
        table = _read_csv(data, expected_headers)
    return _bound_cells(table)


def too_large(size: int) -> str:
    return (f"the file is {size:,} bytes, more than the limit of {limits.FILE_BYTES:,} bytes "
            f"({limits.FILE_BYTES / limits.GIB:g} GiB) for one file")


def _read_csv(data: bytes, expected_headers: Collection[str]) -> TextTable:
    if data.startswith(_ZIP_MAGIC):
        raise FileRejected("the file is a zip archive (perhaps an XLSX workbook), not CSV text")
    if b"\x00" in data:
        raise FileRejected("the file holds binary data, not CSV text")
    text, encoding = decode(data, expected_headers)
    if not text or text.isspace():
        raise FileRejected("the file is empty")
    parsed = read_csv_text(text)
    return TextTable(parsed.headers, parsed.cells, "csv", encoding, parsed.delimiter, 1, parsed.issues)


def _bound_cells(table: TextTable) -> TextTable:
    """A cell over CELL_CHARS quarantines its row; the table keeps only its start."""
    limit, keep = limits.CELL_CHARS, limits.CELL_PREVIEW_CHARS
    for header in table.headers:
        if len(header) > limit:
            raise FileRejected(f"a header is {len(header):,} characters long, more than the limit of {limit:,}")
    columns = table.cells.columns
    # Bytes are at least as many as characters and cost nothing to count: only a column with a
    # long cell in bytes is counted in characters.
    too_long = tuple(
        bool(long_bytes) and bool(table.cells.select((pl.col(c).str.len_chars() > limit).any()).item())
        for c, long_bytes in zip(columns, table.cells.select((pl.col(c).str.len_bytes() > limit).any()
                                                             for c in columns).row(0), strict=True)
    )
    if not any(too_long):
        return table
    numbered = table.cells.with_row_index(ROW, offset=table.first_row + 1)
    issues = [
        (row, position, cell[:keep] + "…",
         f"the cell holds {len(cell):,} characters, more than the limit of {limit:,} (only the first {keep} are "
         "kept here)", False)
        for position, (c, long) in enumerate(zip(columns, too_long, strict=True)) if long
        for row, cell in numbered.filter(pl.col(c).str.len_chars() > limit).select(ROW, c).iter_rows()
    ]
    cells = table.cells.with_columns(
        pl.when(pl.col(c).str.len_chars() > limit).then(pl.col(c).str.slice(0, keep) + pl.lit("…"))
        .otherwise(pl.col(c)).alias(c)
        for c, long in zip(columns, too_long, strict=True) if long
    )
    found = pl.DataFrame(issues, schema=READER_ISSUE_SCHEMA, orient="row")
    all_issues = pl.concat([table.issues, found], how="vertical").sort(ROW)
    return TextTable(table.headers, cells, table.file_format, table.encoding, table.delimiter, table.first_row,
                     all_issues)
