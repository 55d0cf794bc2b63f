"""What a reader hands on: a file's cells as delivered, and the problems it found in them."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

ROW = "_source_row"
# A problem the reader found in a row (malformed CSV record, formula without a value, a cell
# over the size limit). `position` is the column's index in `headers` (null: the whole row);
# `whole_row` says the row could not be split into cells reliably, so the row rules say nothing
# about it. The row is quarantined with `reason`.
READER_ISSUE_SCHEMA = {
    ROW: pl.Int32, "position": pl.Int32, "value": pl.String, "reason": pl.String, "whole_row": pl.Boolean,
}


class FileRejected(Exception):
    """The file cannot be loaded at all; the message names the cause (the caller adds the file)."""


def no_issues() -> pl.DataFrame:
    return pl.DataFrame(schema=READER_ISSUE_SCHEMA)


@dataclass(frozen=True)
class TextTable:
    headers: list[str]  # as delivered, in file order
    cells: pl.DataFrame  # one String column per header (named c0, c1, ...); row i is spreadsheet row first_row + 1 + i
    file_format: str  # csv | xlsx
    encoding: str | None = None  # csv: utf-8 | utf-8-sig | cp1250 | iso-8859-2
    delimiter: str | None = None  # csv: ; or ,
    first_row: int = 1  # spreadsheet row of the header (an XLSX sheet may start lower)
    issues: pl.DataFrame = field(default_factory=no_issues)  # READER_ISSUE_SCHEMA
