"""XLSX bytes -> the first sheet's cells, once the workbook is known to be safe to read.

The XLSX reader (calamine, via polars/fastexcel) allocates one slot per cell of a sheet's used
range, so a 17 KB workbook with one cell at XFD1048576 asks for hundreds of GiB and aborts the
process. Before it runs, the workbook is vetted here with the standard library alone:

- as a zip (pipelines.ingest.archive): members, inflation ratio, inflated size; every member
  is inflated once, never beyond its declared size;
- every worksheet's XML is streamed through expat: its declared `<dimension>` and the cells it
  really holds must stay within SHEET_ROWS, SHEET_COLUMNS and SHEET_CELLS (a DOCTYPE, which no
  spreadsheet writes, refuses the file);
- in the first sheet, formula cells without a cached value (the workbook was never
  recalculated; the reader would see an empty cell) are reported by cell, and the sheet's
  first row and column are noted, so that row numbers are the sheet's own.
"""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.parsers import expat

import polars as pl

from pipelines.ingest import limits
from pipelines.ingest.archive import WORKBOOK, ArchiveRefused, iter_member, read_member, vetted_members
from pipelines.ingest.table import READER_ISSUE_SCHEMA, ROW, FileRejected

_ZIP_MAGIC = b"PK\x03\x04"
# XLSX date cells arrive as midnight datetimes; the contract's dates have no time of day.
_MIDNIGHT = r"^(\d{4}-\d{2}-\d{2})[ T]00:00:00(?:\.0+)?$"
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_FORMULA_PREVIEW = 80


@dataclass(frozen=True)
class XlsxCells:
    headers: list[str]
    cells: pl.DataFrame  # c0 ..., String; row i is sheet row first_row + 1 + i
    first_row: int
    issues: pl.DataFrame  # READER_ISSUE_SCHEMA


def read_xlsx(data: bytes) -> XlsxCells:
    if not data.startswith(_ZIP_MAGIC):
        raise FileRejected("the file is not an XLSX workbook (perhaps CSV text named .xlsx)")
    scan = vet_workbook(data)
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
    if frame.height == 0 or scan.first_row is None or scan.first_col is None:
        raise FileRejected("the first sheet of the workbook is empty")
    frame = frame.with_columns(pl.all().cast(pl.String).str.replace(_MIDNIGHT, "${1}"))
    headers = ["" if v is None else str(v) for v in frame.row(0)]
    cells = frame.slice(1).rename({old: f"c{i}" for i, old in enumerate(frame.columns)})
    issues, last_formula_row = _formula_issues(scan, len(headers))
    missing_rows = last_formula_row - (scan.first_row + cells.height)
    if missing_rows > 0:  # rows holding only formulas without values lie beyond the reader's range
        cells = pl.concat([cells, pl.DataFrame({c: [None] * missing_rows for c in cells.columns},
                                               schema=dict.fromkeys(cells.columns, pl.String))])
    return XlsxCells(headers, cells, scan.first_row, issues)


@dataclass
class SheetScan:
    """What one worksheet's XML declares and holds (1-based rows and columns)."""

    name: str
    declared: str | None = None
    first_row: int | None = None
    first_col: int | None = None
    last_row: int = 0
    last_col: int = 0
    formulas: list[tuple[int, int, str]] = field(default_factory=list)  # (row, column, formula) without value


def vet_workbook(data: bytes) -> SheetScan:
    """Check the workbook against the limits; the first sheet's scan. FileRejected otherwise."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError) as error:
        raise FileRejected(f"the XLSX workbook cannot be read (not a valid zip: {error})") from None
    with archive:
        try:
            members = vetted_members(archive, WORKBOOK)
            first_sheet = _first_sheet_path(archive, {m.filename: m for m in members})
            scans = {}
            for member in members:
                chunks = iter_member(archive, member)
                if member.filename == first_sheet or _is_worksheet(member.filename):
                    scans[member.filename] = _scan_sheet(member.filename, chunks, member.filename == first_sheet)
                else:
                    for _ in chunks:  # inflated once, so no part holds more than it declares
                        pass
        except ArchiveRefused as refusal:
            raise FileRejected(f"the XLSX workbook {refusal}") from None
    if first_sheet not in scans:
        raise FileRejected("the XLSX workbook has no first sheet")
    return scans[first_sheet]


def _is_worksheet(path: str) -> bool:
    return "/worksheets/" in f"/{path}" and path.endswith(".xml")


def _first_sheet_path(archive: zipfile.ZipFile, members: dict[str, zipfile.ZipInfo]) -> str:
    """The part holding the workbook's first sheet, as the workbook and its relationships name it."""
    def part(path: str) -> bytes:
        if path not in members:
            raise FileRejected(f"the XLSX workbook has no part {path}")
        return read_member(archive, members[path])

    workbook = "xl/workbook.xml"
    if "_rels/.rels" in members:
        workbook = next((target for kind, target in _relationships(part("_rels/.rels"), "", "Type")
                         if kind.endswith("/officeDocument")), workbook)
    sheets = _elements(part(workbook), "sheet")
    if not sheets:
        raise FileRejected("the XLSX workbook has no sheet")
    first_id = next((v for k, v in sheets[0].items() if k.rsplit(" ", 1)[-1] == "id"), None)
    folder, name = str(PurePosixPath(workbook).parent), PurePosixPath(workbook).name
    for rel_id, target in _relationships(part(_normalise(f"{folder}/_rels/{name}.rels")), folder, "Id"):
        if rel_id == first_id:
            return target
    raise FileRejected("the XLSX workbook does not say where its first sheet is")


def _relationships(xml: bytes, folder: str, key: str) -> list[tuple[str, str]]:
    """(`key` attribute: Type or Id, target part path) of each relationship in a .rels part."""
    result = []
    for attrs in _elements(xml, "Relationship"):
        target = attrs.get("Target", "")
        path = target.lstrip("/") if target.startswith("/") else _normalise(f"{folder}/{target}")
        result.append((attrs.get(key, ""), path))
    return result


def _normalise(path: str) -> str:
    parts: list[str] = []
    for piece in path.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece not in ("", "."):
            parts.append(piece)
    return "/".join(parts)


def _parser(*, namespaces: bool = True) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=" ") if namespaces else expat.ParserCreate()

    def refuse_doctype(*_args: object) -> None:
        raise FileRejected("the XLSX workbook holds a DOCTYPE declaration, which spreadsheets never write")

    parser.StartDoctypeDeclHandler = refuse_doctype
    parser.EntityDeclHandler = refuse_doctype
    return parser


def _elements(xml: bytes, local_name: str) -> list[dict[str, str]]:
    """Attributes of every element called `local_name` (any namespace) in a small XML part."""
    found: list[dict[str, str]] = []
    parser = _parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        if name.rsplit(" ", 1)[-1] == local_name:
            found.append(attrs)

    parser.StartElementHandler = start
    try:
        parser.Parse(xml, True)
    except expat.ExpatError as error:
        raise FileRejected(f"the XLSX workbook holds invalid XML ({error})") from None
    return found


@functools.lru_cache(maxsize=1024)
def column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def cell_ref(row: int, column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{letters}{row}"


def _parse_ref(ref: str, sheet: str) -> tuple[int, int]:
    match = _CELL_REF.match(ref)
    if not match:
        raise FileRejected(f"the sheet {sheet} names a cell '{ref[:20]}', which is not a cell reference")
    return int(match.group(2)), column_number(match.group(1))


def _check_extent(rows: int, columns: int, what: str) -> None:
    """FileRejected naming the first limit that `rows` x `columns` breaks."""
    for amount, limit, unit in ((columns, limits.SHEET_COLUMNS, "columns"), (rows, limits.SHEET_ROWS, "rows"),
                                (rows * columns, limits.SHEET_CELLS, "cells")):
        if amount > limit:
            raise FileRejected(
                f"{what} ({rows:,} rows × {columns:,} columns = {rows * columns:,} cells), more than the limit "
                f"of {limit:,} {unit}; save an export this large as CSV"
            )


class _Scanner:
    """expat callbacks over one worksheet (the hot path: kept to a few comparisons per element).

    A cell counts once it holds a value; a formula whose cached value is missing or empty
    (openpyxl writes `<v></v>`) holds none, unless its type is `str`, whose empty cached value
    is an empty text. Element names are compared without their prefix (`x:c` is `c`)."""

    def __init__(self, scan: SheetScan, parser: expat.XMLParserType, track_formulas: bool) -> None:
        self.scan = scan
        self.parser = parser
        self.track_formulas = track_formulas
        self.in_data = False
        self.row = 0
        self.col = 0
        self.cell: tuple[int, int] | None = None
        self.text_result = False  # t="str": a formula's text result
        self.has_value = False
        self.formula: list[str] | None = None
        self.cached: list[str] | None = None  # a formula cell's <v> text

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if ":" in name:
            name = name[name.index(":") + 1:]
        if name == "c":
            if self.in_data:
                ref = attrs.get("r")
                if ref:
                    self.cell = _parse_ref(ref, self.scan.name)
                    self.col = self.cell[1]
                else:
                    self.col += 1
                    self.cell = (self.row, self.col)
                self.text_result = attrs.get("t") == "str"
                self.has_value = False
                self.formula = None
        elif name == "v":
            if self.cell is not None:
                self.has_value = True
                if self.formula is not None:  # <f> comes before <v>: only a formula's cached value is read
                    self.cached = []
                    self.parser.CharacterDataHandler = self.cached.append
        elif name == "row":
            if self.in_data:
                number = attrs.get("r", "")
                self.row = int(number) if number.isdigit() else self.row + 1
                self.col = 0
        elif name == "is":
            self.has_value = self.cell is not None
        elif name == "f":
            if self.cell is not None:
                self.formula = []
                self.cached = None
                self.parser.CharacterDataHandler = self.formula_text
        elif name == "sheetData":
            self.in_data = True
        elif name == "dimension" and not self.in_data:
            self._declared(attrs.get("ref", ""))

    def end(self, name: str) -> None:
        if ":" in name:
            name = name[name.index(":") + 1:]
        if name == "c":
            if self.cell is not None:
                self._close_cell(*self.cell)
                self.cell = None
        elif name in ("f", "v"):
            self.parser.CharacterDataHandler = None
        elif name == "sheetData":
            self.in_data = False

    def _close_cell(self, row: int, col: int) -> None:
        scan = self.scan
        if self.formula is not None and (
            self.cached is None or (not self.text_result and not "".join(self.cached).strip())
        ):
            # No value, so not part of the reader's range; its row is still read (padded) and reported.
            if self.track_formulas:
                if len(scan.formulas) >= limits.XLSX_FORMULAS_WITHOUT_VALUE:
                    raise FileRejected(
                        f"the sheet {scan.name} holds more than {limits.XLSX_FORMULAS_WITHOUT_VALUE:,} formulas "
                        "without a calculated value (the workbook was saved without calculating it); open it in "
                        "Excel or LibreOffice and save it again"
                    )
                scan.formulas.append((row, col, "".join(self.formula)[:_FORMULA_PREVIEW]))
        elif not self.has_value:
            return
        else:
            if scan.first_row is None or row < scan.first_row:
                scan.first_row = row
            if scan.first_col is None or col < scan.first_col:
                scan.first_col = col
        if row > scan.last_row or col > scan.last_col:
            scan.last_row, scan.last_col = max(scan.last_row, row), max(scan.last_col, col)
            _check_extent(scan.last_row, scan.last_col,
                          f"the sheet {scan.name} has a cell at {cell_ref(row, col)}, so its cells span "
                          f"A1:{cell_ref(scan.last_row, scan.last_col)}")

    def formula_text(self, data: str) -> None:
        if self.formula is not None and sum(map(len, self.formula)) < _FORMULA_PREVIEW:
            self.formula.append(data)

    def _declared(self, ref: str) -> None:
        self.scan.declared = ref
        last = ref.split(":")[-1]
        if not last:
            return
        rows, columns = _parse_ref(last, self.scan.name)
        _check_extent(rows, columns, f"the sheet {self.scan.name} declares its cells as {ref}")


def _scan_sheet(name: str, chunks: Iterable[bytes], track_formulas: bool) -> SheetScan:
    scan = SheetScan(PurePosixPath(name).name)
    parser = _parser(namespaces=False)
    scanner = _Scanner(scan, parser, track_formulas)
    parser.StartElementHandler = scanner.start
    parser.EndElementHandler = scanner.end
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except expat.ExpatError as error:
        raise FileRejected(f"the sheet {scan.name} of the XLSX workbook is not valid XML ({error})") from None
    return scan


def _formula_issues(scan: SheetScan, width: int) -> tuple[pl.DataFrame, int]:
    """Reader issues for formula cells without a value inside the table; the last such row."""
    assert scan.first_row is not None and scan.first_col is not None
    rows, last = [], 0
    for row, col, formula in scan.formulas:
        position = col - scan.first_col
        if not 0 <= position < width or row < scan.first_row:
            continue  # outside the table (no header above it)
        ref = cell_ref(row, col)
        if row == scan.first_row:
            raise FileRejected(f"the header cell {ref} holds a formula without a calculated value")
        rows.append((row, position, f"={formula}",
                     f"cell {ref} holds a formula without a calculated value (the workbook was saved "
                     "without calculating it); open it in Excel or LibreOffice and save it again", False))
        last = max(last, row)
    return pl.DataFrame(rows, schema=READER_ISSUE_SCHEMA, orient="row").sort(ROW), last
