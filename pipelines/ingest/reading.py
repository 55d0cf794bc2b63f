"""Reading one delivered file (CSV or XLSX bytes) into a table of text cells.

The result keeps the headers exactly as delivered and every cell as text (null = empty),
so that quarantine can show a row as it was delivered. Parsing into types happens later
(`rows.py`). A file that cannot be read as what its name says raises FileRejected.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import polars as pl

_UTF8_BOM = b"\xef\xbb\xbf"
_ZIP_MAGIC = b"PK\x03\x04"
# XLSX date cells arrive as midnight datetimes; the contract's dates have no time of day.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$"


class FileRejected(Exception):
    """The file cannot be loaded at all; the message names the cause (the caller adds the file)."""


@dataclass(frozen=True)
class TextTable:
    headers: list[str]  # as delivered, in file order
    cells: pl.DataFrame  # one String column per header (named c0, c1, ...); row i is spreadsheet row i + 2
    file_format: str  # csv | xlsx
    encoding: str | None = None  # csv: utf-8 | utf-8-sig | cp1250
    delimiter: str | None = None  # csv: ; or ,


def read_table(file_name: str, data: bytes) -> TextTable:
    if not data.strip():
        raise FileRejected("the file is empty")
    if file_name.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    return _read_csv(data)


def detect_encoding(data: bytes) -> str:
    """Valid UTF-8 (with or without BOM) is UTF-8; anything else must be Windows-1250."""
    if data.startswith(_UTF8_BOM):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        data.decode("cp1250")
    except UnicodeDecodeError as error:
        raise FileRejected(
            f"the file is neither UTF-8 nor Windows-1250 text (byte 0x{data[error.start]:02x} "
            f"at offset {error.start})"
        ) from None
    return "cp1250"


def detect_delimiter(header_line: str) -> str:
    """`;` (Czech Excel) unless the header holds more commas than semicolons."""
    unquoted = header_line.split('"')[::2]  # text outside quotes
    semicolons = sum(part.count(";") for part in unquoted)
    commas = sum(part.count(",") for part in unquoted)
    return "," if commas > semicolons else ";"


def _read_csv(data: bytes) -> TextTable:
    if data.startswith(_ZIP_MAGIC):
        raise FileRejected("the file is a zip archive (perhaps an XLSX workbook), not CSV text")
    if b"\x00" in data[:65536]:
        raise FileRejected("the file holds binary data, not CSV text")
    encoding = detect_encoding(data)
    if encoding == "utf-8-sig":
        utf8 = data[len(_UTF8_BOM):]
    elif encoding == "cp1250":
        utf8 = data.decode("cp1250").encode("utf-8")
    else:
        utf8 = data
    first_line = utf8.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    delimiter = detect_delimiter(first_line)
    try:
        frame = pl.read_csv(
            io.BytesIO(utf8), has_header=False, separator=delimiter, quote_char='"',
            infer_schema=False, empty_string_is_null=True, raise_if_empty=True,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        reason = str(error).splitlines()[0]
        raise FileRejected(f"the CSV cannot be parsed ({reason})") from None
    return _split_header(frame, "csv", encoding, delimiter)


def _read_xlsx(data: bytes) -> TextTable:
    if not data.startswith(_ZIP_MAGIC):
        raise FileRejected("the file is not an XLSX workbook (perhaps CSV text named .xlsx)")
    try:
        frame = pl.read_excel(
            data, sheet_id=1, has_header=False, infer_schema_length=0,
            drop_empty_rows=False, drop_empty_cols=False, raise_if_empty=True,
        )
    except pl.exceptions.NoDataError:
        raise FileRejected("the first sheet of the workbook is empty") from None
    except Exception as error:  # fastexcel raises its own CalamineError family for damaged workbooks
        reason = str(error).splitlines()[0]
        raise FileRejected(f"the XLSX workbook cannot be read ({reason})") from None
    frame = frame.with_columns(pl.all().cast(pl.String).str.replace(_MIDNIGHT, "${1}"))
    return _split_header(frame, "xlsx", None, None)


def _split_header(frame: pl.DataFrame, file_format: str, encoding: str | None, delimiter: str | None) -> TextTable:
    if frame.height == 0:
        raise FileRejected("the file is empty")
    headers = ["" if v is None else str(v) for v in frame.row(0)]
    cells = frame.slice(1).rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    return TextTable(headers, cells, file_format, encoding, delimiter)
