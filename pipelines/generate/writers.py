"""Writing files of a delivery: CSV (encodings, delimiters, line ends, quoting) or XLSX,
into a folder or a zip, byte-identical for the same input."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
import xlsxwriter

from pipelines.contract import ColumnType, ExportFile
from pipelines.normalise import fold_header

_FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entries and XLSX properties: reproducible bytes
_CZECH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_INTEGER = re.compile(r"^-?\d{1,9}$")


@dataclass(frozen=True)
class FileFormat:
    kind: str = "csv"  # csv | xlsx
    encoding: str = "utf-8"  # utf-8 | cp1250
    bom: bool = False
    delimiter: str = ";"
    line_end: str = "LF"  # LF | CRLF
    quoting: str = "necessary"  # necessary | always

    @property
    def extension(self) -> str:
        return "." + self.kind

    def describe(self) -> dict[str, str | bool]:
        return asdict(self)


def csv_bytes(frame: pl.DataFrame, fmt: FileFormat, header: bool = True) -> tuple[bytes, FileFormat]:
    """The frame as CSV in `fmt`; falls back to UTF-8 when the text does not fit cp1250.

    `header=False` writes rows to append to a file begun with a header (no BOM either)."""
    text = frame.write_csv(
        include_header=header,
        separator=fmt.delimiter,
        line_terminator="\r\n" if fmt.line_end == "CRLF" else "\n",
        quote_style="always" if fmt.quoting == "always" else "necessary",
        null_value="",
    )
    if fmt.encoding == "cp1250":
        try:
            return text.encode("cp1250"), fmt
        except UnicodeEncodeError:
            fmt = FileFormat(fmt.kind, "utf-8", fmt.bom, fmt.delimiter, fmt.line_end, fmt.quoting)
    return (b"\xef\xbb\xbf" if fmt.bom and header else b"") + text.encode("utf-8"), fmt


def _cell(value: str | None, column_type: ColumnType | None) -> object:
    """XLSX cell value: real dates and numbers where the text is one, else the text."""
    if value is None:
        return None
    if column_type is ColumnType.DATE:
        for pattern, order in ((_CZECH_DATE, (2, 1, 0)), (_ISO_DATE, (0, 1, 2))):
            match = pattern.match(value)
            if match:
                year, month, day = (int(match.group(i + 1)) for i in order)
                try:
                    return datetime.combine(date(year, month, day), datetime.min.time())
                except ValueError:
                    return value
    if column_type is ColumnType.INTEGER and _INTEGER.match(value):
        return int(value)
    return value


def xlsx_bytes(frame: pl.DataFrame, spec: ExportFile) -> bytes:
    """First-sheet XLSX: dates as date cells (d.m.yyyy), integers as numbers, the rest text."""
    types = {fold_header(c.header): c.type for c in spec.columns}
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False})
    book.set_properties({"created": datetime(*_FIXED_TIME)})
    sheet = book.add_worksheet("export")
    date_format = book.add_format({"num_format": "d.m.yyyy"})
    for col, header in enumerate(frame.columns):
        sheet.write_string(0, col, header)
        column_type = types.get(fold_header(header))
        for row, value in enumerate(frame[header].to_list(), start=1):
            cell = _cell(value, column_type)
            if cell is None:
                continue
            if isinstance(cell, datetime):
                sheet.write_datetime(row, col, cell, date_format)
            elif isinstance(cell, int):
                sheet.write_number(row, col, cell)
            else:
                sheet.write_string(row, col, cell)
    # Case systems often add a notes sheet: only the first sheet is the export.
    book.add_worksheet("Poznámky").write_string(0, 0, "Export z evidence klientů; data jsou na prvním listu.")
    book.close()
    return buffer.getvalue()


class DeliveryWriter:
    """Writes a delivery's files into OUT/<name>/ or OUT/<name>.zip."""

    def __init__(self, out: Path, name: str, zipped: bool) -> None:
        self.zipped = zipped
        self.path = out / (name + ".zip" if zipped else name)
        self._entries: list[tuple[str, bytes]] = []
        if not zipped:
            self.path.mkdir(parents=True, exist_ok=True)

    def add(self, file_name: str, content: bytes) -> None:
        if self.zipped:
            self._entries.append((file_name, content))
        else:
            (self.path / file_name).write_bytes(content)

    def add_parts(self, file_name: str, parts: Iterable[bytes]) -> None:
        """A file written part by part (a clean delivery streams its rows chunk by chunk)."""
        if self.zipped:
            self.add(file_name, b"".join(parts))
            return
        with (self.path / file_name).open("wb") as stream:
            for part in parts:
                stream.write(part)

    def close(self) -> None:
        if not self.zipped:
            return
        with zipfile.ZipFile(self.path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for file_name, content in self._entries:
                info = zipfile.ZipInfo(file_name, date_time=_FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, content)
