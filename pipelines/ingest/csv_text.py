"""UTF-8 CSV text (LF line ends) -> header, cells and the records that are malformed, in one pass.

Every record is split into exactly as many cells as the header has. A record that cannot be
split reliably is kept as a row (so rows are numbered as a spreadsheet shows them) and
reported by row, with the column where it breaks, for quarantine:

- too few fields (a truncated row, perhaps the file's last one),
- too many fields with text after the last column (a stray delimiter); extra fields that are
  all empty (a trailing delimiter) are dropped silently,
- a quote opened and not closed on its line, or text after a closing quote: the row is read
  to the end of its line and the next line starts a new row, so one stray quote costs one row,
  not the rest of the file.

Text without any quote character is split by polars, vectorised (the usual export). Text with
quotes goes through Python's csv module (C), which knows where each record starts and ends.
Both give the same cells for the same text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.ingest import limits
from pipelines.ingest.table import READER_ISSUE_SCHEMA, FileRejected

# The csv module refuses fields over 131,072 characters by default; cells are bounded later,
# with a clear message, so let it read any field of a file within the file size limit.
csv.field_size_limit(max(csv.field_size_limit(), limits.FILE_BYTES))

_BLOCK_ROWS = 65_536  # records turned into a polars frame at a time (bounds Python objects held)


@dataclass(frozen=True)
class CsvCells:
    headers: list[str]
    cells: pl.DataFrame  # c0 ... c{n-1}, String, empty -> null; row i is spreadsheet row i + 2
    issues: pl.DataFrame  # READER_ISSUE_SCHEMA
    delimiter: str


def detect_delimiter(header_line: str) -> str:
    """`;` (Czech Excel) unless the header holds more commas than semicolons (outside quotes)."""
    unquoted = header_line.split('"')[::2]  # text outside quotes
    semicolons = sum(part.count(";") for part in unquoted)
    commas = sum(part.count(",") for part in unquoted)
    return "," if commas > semicolons else ";"


def read_csv_text(text: bytes) -> CsvCells:
    header_end = text.find(b"\n")  # the header line, without splitting (copying) the whole text
    delimiter = detect_delimiter(text[:header_end if header_end >= 0 else len(text)].decode("utf-8"))
    if b'"' in text:
        return _read_quoted(text.decode("utf-8"), delimiter)
    return _read_plain(text, delimiter)


@dataclass(frozen=True)
class _Broken:
    """A malformed record: how many fields it has and what is wrong."""

    row: int
    fields: int
    extra: str | None = None  # text after the last column
    quote: tuple[int, str, int] | None = None  # (field index, "unclosed" | "after_close", line)
    cell: str | None = None  # the badly quoted cell as read


def _read_plain(text: bytes, delimiter: str) -> CsvCells:
    # Without quotes a record is a line: the fields of each line are counted in the bytes (numpy),
    # the cells read by polars (short rows padded, long rows cut); only lines with another number
    # of fields than the header are looked at as text.
    starts, lengths, fields = _line_fields(text, delimiter)
    filled = np.flatnonzero(lengths)
    if filled.size == 0:
        raise FileRejected("the file is empty")
    height = int(filled[-1]) + 1  # trailing blank lines are no rows
    headers = _header(_line(text, starts, lengths, 0) if lengths[0] else None, delimiter)
    width = len(headers)
    cells = pl.read_csv(
        io.BytesIO(text), has_header=False, separator=delimiter, quote_char=None, infer_schema=False,
        empty_string_is_null=True, truncate_ragged_lines=True, schema={f"c{i}": pl.String for i in range(width)},
    ).slice(1, height - 1)
    if cells.height != height - 1:  # not expected; the line split is the reference
        cells = _cells_of_lines(text, delimiter, width, height)
    suspects = np.flatnonzero((lengths[1:height] > 0) & (fields[1:height] != width)) + 1
    broken = []
    for line_index in suspects.tolist():
        count = int(fields[line_index])
        extra = _line(text, starts, lengths, line_index).split(delimiter, width)[width] if count > width else None
        if count < width or (extra is not None and extra.replace(delimiter, "").strip()):
            broken.append(_Broken(line_index + 1, count, extra))
    issues = _issues(broken, headers, delimiter, last_row=height, ends_open=not text.endswith(b"\n"))
    return CsvCells(headers, cells, issues, delimiter)


def _line_fields(text: bytes, delimiter: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, length (without the line end) and number of fields of every line, from the bytes."""
    data = np.frombuffer(text, dtype=np.uint8)
    ends = np.flatnonzero(data == ord("\n"))
    if text and not text.endswith(b"\n"):
        ends = np.append(ends, len(text))
    starts = np.concatenate(([0], ends[:-1] + 1)).astype(np.int64)
    if starts.size == 0:
        return starts, starts, starts
    # Delimiters between one line's start and the next's (a line end is never a delimiter).
    delimiters = np.add.reduceat(data == ord(delimiter), starts, dtype=np.int64)
    return starts, ends - starts, delimiters + 1


def _line(text: bytes, starts: np.ndarray, lengths: np.ndarray, index: int) -> str:
    start = int(starts[index])
    return text[start:start + int(lengths[index])].decode("utf-8")


def _cells_of_lines(text: bytes, delimiter: str, width: int, height: int) -> pl.DataFrame:
    """The cells split from the lines themselves (when polars' CSV reader gives another row count)."""
    lines = pl.read_csv(io.BytesIO(text), has_header=False, separator="\x00", quote_char=None,
                        infer_schema=False, new_columns=["line"])["line"]
    body = lines.slice(1, height - 1).to_frame()
    return body.select(pl.col("line").str.splitn(delimiter, width + 1).struct.unnest()).select(
        _null_if_empty(pl.col(f"field_{i}")).alias(f"c{i}") for i in range(width))


def _read_quoted(text: str, delimiter: str) -> CsvCells:
    records = _records(text, delimiter)
    first = next(records, None)
    if first is None or not first[1]:
        raise FileRejected("the header row (line 1) is empty")
    if first[2] is not None:
        raise FileRejected(f"the header row cannot be read: {_quote_text(first[2], [], delimiter)}")
    headers = first[1]
    width = len(headers)
    blocks: list[pl.DataFrame] = []
    block: list[list[str | None] | list[str]] = []
    broken: list[_Broken] = []
    blank_pending = 0  # blank lines are rows only when a record follows them
    row = 1
    for _line, fields, quote in records:
        if not fields and quote is None:
            blank_pending += 1
            continue
        for _ in range(blank_pending):
            row += 1
            block.append([None] * width)
        blank_pending = 0
        row += 1
        count = len(fields)
        if quote is not None:
            broken.append(_Broken(row, count, quote=quote, cell=fields[quote[0]] if quote[0] < count else None))
        elif count < width:
            broken.append(_Broken(row, count))
        elif count > width and any(f.strip() for f in fields[width:]):
            broken.append(_Broken(row, count, extra=delimiter.join(fields[width:])))
        block.append(fields if count == width else (fields + [None] * (width - count))[:width])
        if len(block) >= _BLOCK_ROWS:
            blocks.append(_frame(block, width))
            block = []
    blocks.append(_frame(block, width))
    cells = pl.concat(blocks, rechunk=True)
    cells = cells.with_columns(_null_if_empty(pl.col(c)).alias(c) for c in cells.columns)
    issues = _issues(broken, headers, delimiter, last_row=row, ends_open=not text.endswith("\n"))
    return CsvCells(headers, cells, issues, delimiter)


def _records(text: str, delimiter: str) -> Iterator[tuple[int, list[str], tuple[int, str, int] | None]]:
    """(first line, fields, quote problem or None) of each record, header first.

    A record that runs over several lines because of a quote left open on its first line, or
    that the csv module cannot read, is cut back to that first line (split as well as it
    can be) and reading starts again on the next line.
    """
    buffer = io.StringIO(text)
    base = 0  # lines before the current reader's start
    reader = csv.reader(buffer, delimiter=delimiter, strict=True)
    width: int | None = None
    while True:
        offset = buffer.tell()
        start = base + reader.line_num + 1
        try:
            fields: list[str] | None = next(reader)
        except StopIteration:
            return
        except csv.Error:
            fields = None
        spans_lines = base + reader.line_num > start
        if fields is not None and (not spans_lines or width is None or len(fields) == width):
            width = len(fields) if width is None else width
            yield start, fields, None
            continue
        end_of_line = text.find("\n", offset)
        end_of_line = len(text) if end_of_line < 0 else end_of_line
        line = text[offset:end_of_line]
        quote = _quote_problem(line, delimiter)
        if quote is None and fields is not None:  # several lines, no open quote: judge the record as it is
            yield start, fields, None
            continue
        position, kind = quote if quote is not None else (0, "unreadable")
        yield start, next(csv.reader([line], delimiter=delimiter)), (position, kind, start)
        buffer.seek(min(end_of_line + 1, len(text)))
        reader = csv.reader(buffer, delimiter=delimiter, strict=True)
        base = start


def _quote_problem(line: str, delimiter: str) -> tuple[int, str] | None:
    """(field index, "unclosed" | "after_close") of the first badly quoted field of one line."""
    position, i, n = 0, 0, len(line)
    while i <= n:
        if i < n and line[i] == '"':
            j = i + 1
            while True:
                close = line.find('"', j)
                if close < 0:
                    return position, "unclosed"
                if line.startswith('""', close):
                    j = close + 2
                    continue
                break
            after = close + 1
            if after < n and line[after] != delimiter:
                return position, "after_close"
            i = after + 1
        else:
            next_delimiter = line.find(delimiter, i)
            if next_delimiter < 0:
                return None
            i = next_delimiter + 1
        position += 1
    return None


def _header(line: str | None, delimiter: str) -> list[str]:
    if line is None or not line.strip():
        raise FileRejected("the header row (line 1) is empty")
    return line.split(delimiter)


def _frame(block: list, width: int) -> pl.DataFrame:
    columns = list(zip(*block, strict=True)) if block else [()] * width
    return pl.DataFrame({f"c{i}": pl.Series(values=list(columns[i]), dtype=pl.String) for i in range(width)})


def _null_if_empty(expr: pl.Expr) -> pl.Expr:
    return pl.when(expr == "").then(None).otherwise(expr)


def _column(headers: list[str], position: int) -> str:
    return headers[position] if position < len(headers) else f"column {position + 1}"


def _quote_text(quote: tuple[int, str, int], headers: list[str], delimiter: str) -> str:
    position, kind, line = quote
    column = _column(headers, position) if headers else f"column {position + 1}"
    if kind == "unclosed":
        return (f"a quote opened in column '{column}' is not closed on line {line}; the row is read to the end "
                "of that line and the next line starts a new row")
    if kind == "after_close":
        return f"column '{column}' has text after its closing quote on line {line}"
    return f"line {line} cannot be read as CSV"


def _issues(broken: list[_Broken], headers: list[str], delimiter: str, *, last_row: int,
            ends_open: bool) -> pl.DataFrame:
    width = len(headers)
    rows = []
    for b in broken:
        if b.quote is not None:
            rows.append((b.row, b.quote[0], _preview(b.cell or "") or None, _quote_text(b.quote, headers, delimiter)))
        elif b.fields < width:
            missing = headers[b.fields]
            after = " and the columns after it are" if b.fields < width - 1 else " is"
            reason = f"the row has {b.fields} of the header's {width} fields: '{missing}'{after} missing"
            if ends_open and b.row == last_row:
                reason += "; the file ends in the middle of this row (cut off?)"
            rows.append((b.row, b.fields, None, reason))
        else:
            reason = (f"the row has {b.fields} fields but the header has {width}: text after the last column "
                      f"(a stray '{delimiter}', or a '{delimiter}' inside a cell that is not quoted)")
            rows.append((b.row, None, _preview(b.extra or ""), reason))
    return pl.DataFrame(
        [(row, position, value, reason, True) for row, position, value, reason in rows],
        schema=READER_ISSUE_SCHEMA, orient="row",
    )


def _preview(text: str) -> str:
    keep = limits.CELL_PREVIEW_CHARS
    return text if len(text) <= keep else text[:keep] + "…"
