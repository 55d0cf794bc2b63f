"""A corpus of hostile and broken inputs, each run through the real `reach` command.

Every case asserts the exact outcome: the exit status; the message naming file, row and column
(and the limit broken); per file read = loaded + quarantined with the exact quarantined
(file, row, column) set; and that nothing else changed (the other files of the delivery load,
a refused command leaves raw.duckdb as it was, a refused pseudonymisation writes nothing).
Files are built here, small on disk: bombs are highly compressible or have headers that lie.
Workbooks whose shape would make the XLSX reader allocate without bound run in a child
process, so a broken guard fails the test instead of killing pytest.
"""

from __future__ import annotations

import contextlib
import io
import os
import resource
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.ingest import csv_text
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.pseudonymise import KEY_ENV
from reach.cli import main

REACH = Path(sys.executable).with_name("reach")
CLIENT_HEADER = ["ID klienta", "Pohlaví", "Rok narození", "Státní občanství", "Pobytový status",
                 "Okres bydliště", "Obec bydliště", "Datum registrace", "Cílová skupina", "Smazáno"]
CONTACT_HEADER = ["ID kontaktu", "ID klienta", "Datum", "Služba", "Oblast", "Forma", "Délka (min)",
                  "Pracoviště", "Tlumočení", "Smazáno"]
COURSE_HEADER = ["ID kurzu", "Typ kurzu", "Začátek", "Konec", "Pracoviště", "Počet hodin", "Smazáno"]
RAW_CLIENT_HEADER = ["Číslo klienta", "Jméno", "Příjmení", "Datum narození", "Státní občanství", "Datum registrace"]
KEY = b"k3y-for-tests-only-0123456789abcdefXYZ!"  # not a real secret
TODAY = date.today()


def day(d: date) -> str:
    return f"{d.day}.{d.month}.{d.year}"


def client_row(client_id: str, **overrides: str) -> list[str]:
    row = dict(zip(CLIENT_HEADER, [client_id, "žena", "1988", "Ukrajina", "dočasná ochrana", "Děčín", "Děčín",
                                   "5.1.2023", "", "ne"], strict=True))
    row.update(overrides)
    return list(row.values())


def contact_row(contact_id: str, **overrides: str) -> list[str]:
    row = dict(zip(CONTACT_HEADER, [contact_id, "CLI0001", "6.1.2023", "sociální poradenství", "pobyt", "osobně",
                                    "30", "Děčín", "ne", "ne"], strict=True))
    row.update(overrides)
    return list(row.values())


def lines(header: list[str], rows: list[list[str]], end: str = "\n") -> str:
    return end.join(";".join(r) for r in [header, *rows]) + end


CLIENTS = lines(CLIENT_HEADER, [client_row("CLI0001"), client_row("CLI0002")]).encode()
CONTACTS = lines(CONTACT_HEADER, [contact_row("K1"), contact_row("K2")]).encode()


# --- workbooks ----------------------------------------------------------------------------

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships'
    b'+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    b'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    b'spreadsheetml.worksheet+xml"/></Types>'
)
_ROOT_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    b'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    b'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet '
    b'name="Export" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_row(number: int, cells: list[str], first_column: str = "A") -> str:
    start = ord(first_column)
    return f'<row r="{number}">' + "".join(
        text_cell(f"{chr(start + i)}{number}", c) for i, c in enumerate(cells) if c) + "</row>"


def workbook(rows_xml: str, *, dimension: str | None = None, prolog: str = "",
             extra: Callable[[zipfile.ZipFile], None] | None = None) -> bytes:
    """A minimal XLSX (first sheet = `rows_xml`), hand-written so its shape can be forged."""
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<worksheet xmlns="http://schemas.openxmlformats.org/'
             f'spreadsheetml/2006/main">{dim}<sheetData>{rows_xml}</sheetData></worksheet>').encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _ROOT_RELS),
                           ("xl/workbook.xml", _WORKBOOK), ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
                           ("xl/worksheets/sheet1.xml", sheet)):
            archive.writestr(name, data)
        if extra:
            extra(archive)
    return buffer.getvalue()


def contacts_sheet(*more_rows: str) -> str:
    return sheet_row(1, CONTACT_HEADER[:4]) + sheet_row(2, contact_row("K1")[:4]) + "".join(more_rows)


def openpyxl_book(header: list[str], rows: list[list[object]], *, far_cell: str | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def lie_about_size(data: bytes, member: str, *, file_size: int, compress_size: int | None = None) -> bytes:
    """The zip with `member`'s central-directory sizes replaced (what the reader vets first)."""
    record = b"PK\x01\x02"
    at = 0
    while (at := data.find(record, at)) >= 0:
        name_length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46:at + 46 + name_length].decode() == member:
            patched = bytearray(data)
            if compress_size is not None:
                struct.pack_into("<I", patched, at + 20, compress_size)
            struct.pack_into("<I", patched, at + 24, file_size)
            return bytes(patched)
        at += 4
    raise AssertionError(f"{member} not in the zip")


def zeros_member(archive: zipfile.ZipFile, name: str, mib: int) -> None:
    """A member of `mib` MiB of zeros, streamed: it inflates about 1000-fold."""
    chunk = bytes(1024 * 1024)
    with archive.open(name, "w", force_zip64=True) as stream:
        for _ in range(mib):
            stream.write(chunk)


# --- running reach --------------------------------------------------------------------------

@dataclass
class Run:
    code: int
    output: str  # stdout + stderr


def reach(capsys: pytest.CaptureFixture[str], *args: str) -> Run:
    code = main(list(args))
    captured = capsys.readouterr()
    return Run(code, captured.out + captured.err)


def reach_process(*args: str, env: dict | None = None, preexec: Callable[[], None] | None = None) -> Run:
    process = subprocess.run([str(REACH), *args], capture_output=True, env=env, preexec_fn=preexec, timeout=600)
    return Run(process.returncode, (process.stdout + process.stderr).decode("utf-8", "replace"))


def assert_clean_failure(run: Run) -> None:
    assert "Traceback" not in run.output and "unexpected error" not in run.output, run.output


def raw_query(home: Path, sql: str) -> list[tuple]:
    with connect_raw_layer(str(home / "raw.duckdb"), read_only=True) as con:
        return con.execute(sql).fetchall()


def load_files(home: Path) -> dict[str, tuple[str, int, int, int]]:
    rows = raw_query(home, "SELECT file_name, status, rows_read, rows_loaded, rows_quarantined FROM meta.load_files")
    for name, _, read, loaded, quarantined in rows:
        assert read == loaded + quarantined, name
    return {name: (status, read, loaded, quarantined) for name, status, read, loaded, quarantined in rows}


def quarantine(home: Path) -> list[tuple[str, int, str | None, str]]:
    return raw_query(home, "SELECT file_name, source_row, column_name, reason FROM meta.quarantine "
                           "ORDER BY file_name, source_row, column_name")


RAW_TABLES = ("clients", "contacts", "courses", "course_enrolments", "events", "event_participants", "outcomes")


def raw_layer_state(home: Path) -> dict[str, list[tuple]]:
    """Every row of every raw and meta table (timestamps included): 'nothing changed' is equality."""
    tables = [f"raw.{t}" for t in RAW_TABLES] + [f"meta.{t}" for t in ("deliveries", "load_files", "quarantine",
                                                                       "load_warnings")]
    return {t: sorted(map(repr, raw_query(home, f"SELECT * FROM {t}"))) for t in tables}


# --- loading a delivery: files quarantined or rejected one by one ----------------------------

@dataclass(frozen=True)
class LoadCase:
    id: str
    files: dict[str, bytes]
    exit_code: int
    outcome: dict[str, tuple[str, int, int, int]]  # file -> (status, read, loaded, quarantined)
    messages: tuple[str, ...] = ()  # fragments of the output, naming file, row, column, limit
    quarantined: tuple[tuple[str, int, str | None, str], ...] = ()  # exactly these (file, row, column), reason part
    encodings: dict[str, str] = field(default_factory=dict)
    loaded: tuple[tuple[str, list[tuple]], ...] = ()  # (SQL, rows) after the load
    in_child: bool = False  # the XLSX reader would allocate without bound if the guard failed


def _contacts_with(*rows: list[str], end: str = "\n") -> bytes:
    return lines(CONTACT_HEADER, [contact_row("K1"), *rows], end).encode()


CR_ONLY = lines(CLIENT_HEADER, [client_row(f"CLI{i:04d}") for i in range(1, 21)], "\r").encode()
MIXED_ENDS = ("\r\n".join(";".join(r) for r in [CLIENT_HEADER, client_row("CLI0001")]) + "\r"
              + ";".join(client_row("CLI0002")) + "\n" + ";".join(client_row("CLI0003")) + "\r").encode()
BOM_CP1250 = b"\xef\xbb\xbf" + CLIENTS.decode().encode("cp1250")
ISO_CLIENTS = lines(CLIENT_HEADER, [client_row("CLI0001", **{"Státní občanství": "Švýcarsko"}),
                                    client_row("CLI0002")])
ISO_CONTACTS = lines(CONTACT_HEADER, [contact_row("K1", Pracoviště="Šluknov")])
MIXED_ENCODING = CLIENTS + ";".join(client_row("CLI0003", **{"Obec bydliště": "Šluknov"})).encode("cp1250") + b"\n"
MIXED_AT = MIXED_ENCODING.index("ž".encode("cp1250"), len(CLIENTS))  # the first byte that is not UTF-8
NEITHER = b"ID klienta;Statni obcanstvi;Datum registrace\nCLI0003;\x98;5.1.2023\n"
BOM_AT = BOM_CP1250.index("í".encode("cp1250"))
LONG_TEXT = "x" * 40_000
FORMULA_BOOK = openpyxl_book(CONTACT_HEADER, [contact_row("K1", **{"Délka (min)": "=10*3"}), contact_row("K2")])
FUTURE_BOOK = openpyxl_book(CONTACT_HEADER, [[*contact_row("K1")[:2], datetime(2999, 1, 1), *contact_row("K1")[3:]],
                                             contact_row("K2")])
LATE_NUL = lines(CLIENT_HEADER, [client_row(f"CLI{i:04d}") for i in range(1, 1200)]).encode() + b"CLI9999;\x00\n"
assert len(LATE_NUL) > 65536
LOAD_DAY = f"1.1.2000 to {day(TODAY)}, the day of loading"
PLANNED_LIMIT = TODAY + timedelta(days=3 * 366)

LOAD_CASES = [
    # XLSX: formulas, cell size, where the sheet starts, dates.
    LoadCase("xlsx-formula-without-cached-value", {"klienti.csv": CLIENTS, "kontakty.xlsx": FORMULA_BOOK}, 0,
             {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("loaded", 2, 1, 1)},
             quarantined=(("kontakty.xlsx", 2, "Délka (min)", "cell G2 holds a formula without a calculated value"),)),
    LoadCase("xlsx-formula-only-row-below-the-data", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet('<row r="3"><c r="A3"><f>"K"&amp;3</f></c></row>'))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.xlsx", 3, "Datum", "missing required value"),
                     ("kontakty.xlsx", 3, "ID klienta", "missing required value"),
                     ("kontakty.xlsx", 3, "ID kontaktu", "cell A3 holds a formula without a calculated value"),
                     ("kontakty.xlsx", 3, "Služba", "missing required value"))),
    LoadCase("xlsx-header-formula", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook('<row r="1">' + text_cell("A1", "ID kontaktu") + '<c r="B1"><f>"ID"</f></c></row>'
                                  + sheet_row(2, contact_row("K1")[:2]))}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the header cell B1 holds a formula without a calculated value; file rejected.",)),
    LoadCase("xlsx-never-calculated", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet(*(f'<row r="{r}"><c r="A{r}"><f>1+1</f><v></v></c></row>'
                                                   for r in range(3, 10_005))))}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the sheet sheet1.xml holds more than 10,000 formulas without a calculated value",)),
    LoadCase("xlsx-cell-over-the-size-limit", {
        "klienti.csv": CLIENTS,
        # Excel and openpyxl stop at 32,767 characters; a forged sheet does not.
        "kontakty.xlsx": workbook(contacts_sheet(sheet_row(3, ["K2", "CLI0001", "6.1.2023", LONG_TEXT])))},
        0, {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.xlsx", 3, "Služba",
                      "the cell holds 40,000 characters, more than the limit of 32,767"),)),
    LoadCase("xlsx-sheet-starting-at-B3-numbers-rows-as-the-sheet", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(sheet_row(3, CONTACT_HEADER[:4], "B") + sheet_row(4, contact_row("K1")[:4], "B")
                                  + sheet_row(5, contact_row("K2", Datum="32.1.2023")[:4], "B"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.xlsx", 5, "Datum", "not a date"),)),
    LoadCase("xlsx-date-cell-in-2999", {"klienti.csv": CLIENTS, "kontakty.xlsx": FUTURE_BOOK}, 0,
             {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("loaded", 2, 1, 1)},
             quarantined=(("kontakty.xlsx", 2, "Datum", f"date out of range ({LOAD_DAY})"),)),
    # XLSX shapes and archives the reader must never see: rejected before it runs.
    LoadCase("xlsx-cell-at-XFD1048576", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": openpyxl_book(CONTACT_HEADER, [contact_row("K1")], far_cell="XFD1048576")}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the sheet sheet1.xml declares its cells as A1:XFD1048576 (1,048,576 rows × 16,384 "
         "columns = 17,179,869,184 cells), more than the limit of 256 columns",), in_child=True),
    LoadCase("xlsx-declared-range-alone", {
        "klienti.csv": CLIENTS, "kontakty.xlsx": workbook(contacts_sheet(), dimension="A1:XFD1048576")}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("declares its cells as A1:XFD1048576", "more than the limit of 256 columns"), in_child=True),
    LoadCase("xlsx-understated-dimension-with-a-far-cell", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet(sheet_row(900000, ["x"], "Z")), dimension="A1:D2")}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the sheet sheet1.xml has a cell at Z900000, so its cells span A1:Z900000 (900,000 rows × 26 "
         "columns = 23,400,000 cells), more than the limit of 5,000,000 cells",), in_child=True),
    LoadCase("xlsx-column-past-the-limit", {
        "klienti.csv": CLIENTS, "kontakty.xlsx": workbook(contacts_sheet(f'<row r="3">{text_cell("IW3", "x")}</row>'))},
        1, {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("has a cell at IW3", "3 rows × 257 columns", "more than the limit of 256 columns"), in_child=True),
    LoadCase("xlsx-row-past-the-limit", {
        "klienti.csv": CLIENTS, "kontakty.xlsx": workbook(contacts_sheet(sheet_row(2_000_000, ["x"])))}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("has a cell at A2000000", "more than the limit of 1,048,576 rows"), in_child=True),
    LoadCase("xlsx-part-inflating-1000-fold", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet(), extra=lambda a: zeros_member(a, "xl/media/pad.bin", 50))}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the XLSX workbook member 'xl/media/pad.bin' would expand", "-fold to 52,428,800 bytes, "
         "more than the limit of 200-fold",), in_child=True),
    LoadCase("xlsx-sheet-larger-than-its-header-says", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": lie_about_size(workbook(contacts_sheet(*(sheet_row(r, contact_row(f"K{r}")[:4])
                                                                  for r in range(3, 40)))),
                                        "xl/worksheets/sheet1.xml", file_size=600)}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the XLSX workbook member 'xl/worksheets/sheet1.xml' is",), in_child=True),
    LoadCase("xlsx-with-1001-parts", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet(), extra=lambda a: [a.writestr(f"xl/media/i{i}.bin", b"x")
                                                                    for i in range(1001)])}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the XLSX workbook holds 1,006 files, more than the limit of 1,000 for a workbook",),
        in_child=True),
    LoadCase("xlsx-with-a-doctype-of-entities", {
        "klienti.csv": CLIENTS,
        "kontakty.xlsx": workbook(contacts_sheet(), prolog='<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
                                                           '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>')}, 1,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.xlsx": ("rejected", 0, 0, 0)},
        ("kontakty.xlsx: the XLSX workbook holds a DOCTYPE declaration",), in_child=True),
    # CSV line ends and encodings.
    LoadCase("csv-cr-only-line-ends", {"klienti.csv": CR_ONLY}, 0, {"klienti.csv": ("loaded", 20, 20, 0)}),
    LoadCase("csv-mixed-line-ends", {"klienti.csv": MIXED_ENDS}, 0, {"klienti.csv": ("loaded", 3, 3, 0)}),
    LoadCase("csv-utf8-bom-then-windows-1250", {"klienti.csv": BOM_CP1250, "kontakty.csv": CONTACTS}, 1,
             {"klienti.csv": ("rejected", 0, 0, 0), "kontakty.csv": ("loaded", 2, 2, 0)},
             (f"klienti.csv: the file starts with a UTF-8 byte-order mark, but byte 0xed at offset {BOM_AT} (line 1) "
              "is not UTF-8",)),
    LoadCase("csv-iso-8859-2", {"klienti.csv": ISO_CLIENTS.encode("iso-8859-2"),
                                "kontakty.csv": ISO_CONTACTS.encode("iso-8859-2")}, 0,
             {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 1, 1, 0)},
             encodings={"klienti.csv": "iso-8859-2", "kontakty.csv": "iso-8859-2"},
             loaded=(("SELECT citizenship FROM raw.clients ORDER BY 1", [("CH",), ("UA",)]),
                     ("SELECT branch FROM raw.contacts", [("Šluknov",)]),
                     ("SELECT count(*) FROM meta.load_warnings WHERE kind IN ('unknown_column', 'unknown_value')",
                      [(0,)]))),
    LoadCase("csv-windows-1250-with-the-same-letters", {"klienti.csv": ISO_CLIENTS.encode("cp1250"),
                                                        "kontakty.csv": ISO_CONTACTS.encode("cp1250")}, 0,
             {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 1, 1, 0)},
             encodings={"klienti.csv": "cp1250", "kontakty.csv": "cp1250"},
             loaded=(("SELECT citizenship FROM raw.clients ORDER BY 1", [("CH",), ("UA",)]),
                     ("SELECT branch FROM raw.contacts", [("Šluknov",)]))),
    LoadCase("csv-mixed-encodings", {"klienti.csv": MIXED_ENCODING, "kontakty.csv": CONTACTS}, 1,
             {"klienti.csv": ("rejected", 0, 0, 0), "kontakty.csv": ("loaded", 2, 2, 0)},
             (f"klienti.csv: the file mixes encodings: line 1 is UTF-8 but byte 0x9e at offset {MIXED_AT:,} (line 4) "
              "is not",)),
    LoadCase("csv-neither-utf8-nor-windows-1250", {"klienti.csv": NEITHER, "kontakty.csv": CONTACTS}, 1,
             {"klienti.csv": ("rejected", 0, 0, 0), "kontakty.csv": ("loaded", 2, 2, 0)},
             ("klienti.csv: the file is neither UTF-8 nor Windows-1250 (nor ISO-8859-2) text (byte 0x98 at offset "
              "53 (line 2))",)),
    LoadCase("csv-nul-byte-beyond-the-first-64-kib", {"klienti.csv": LATE_NUL, "kontakty.csv": CONTACTS}, 1,
             {"klienti.csv": ("rejected", 0, 0, 0), "kontakty.csv": ("loaded", 2, 2, 0)},
             ("klienti.csv: the file holds binary data, not CSV text",)),
    LoadCase("csv-empty-header-line", {"klienti.csv": b"\n" + CLIENTS, "kontakty.csv": CONTACTS}, 1,
             {"klienti.csv": ("rejected", 0, 0, 0), "kontakty.csv": ("loaded", 2, 2, 0)},
             ("klienti.csv: the header row (line 1) is empty; file rejected.",)),
    # Malformed CSV records: named by row (and column), quarantined; the rest of the file loads.
    LoadCase("csv-stray-delimiter", {
        "klienti.csv": CLIENTS,
        "kontakty.csv": _contacts_with(contact_row("K2", Pracoviště="Děčín;pobočka Sever"), contact_row("K3"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 3, 2, 1)},
        quarantined=(("kontakty.csv", 3, None, "the row has 11 fields but the header has 10: text after the last "
                                                 "column"),)),
    LoadCase("csv-trailing-delimiters-are-tolerated", {
        "klienti.csv": CLIENTS,
        "kontakty.csv": lines(CONTACT_HEADER, [contact_row("K1"), contact_row("K2")]).replace("ne\n", "ne;;\n")
        .encode()}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 2, 2, 0)}),
    LoadCase("csv-unbalanced-quote", {
        "klienti.csv": CLIENTS,
        "kontakty.csv": _contacts_with(contact_row("K2", Pracoviště='"Děčín'), contact_row("K3"),
                                       contact_row("K4"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 4, 3, 1)},
        quarantined=(("kontakty.csv", 3, "Pracoviště",
                      "a quote opened in column 'Pracoviště' is not closed on line 3"),),
        loaded=(("SELECT contact_id FROM raw.contacts ORDER BY 1", [("K1",), ("K3",), ("K4",)]),)),
    LoadCase("csv-unbalanced-quote-in-the-last-row", {
        "klienti.csv": CLIENTS, "kontakty.csv": _contacts_with(contact_row("K2", Smazáno='"ne'))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.csv", 3, "Smazáno", "a quote opened in column 'Smazáno' is not closed on line 3"),)),
    LoadCase("csv-text-after-a-closing-quote", {
        "klienti.csv": CLIENTS, "kontakty.csv": _contacts_with(contact_row("K2", Pracoviště='"Děčín"pobočka'))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.csv", 3, "Pracoviště", "column 'Pracoviště' has text after its closing quote on "
                                                        "line 3"),)),
    LoadCase("csv-truncated-last-row", {
        "klienti.csv": CLIENTS, "kontakty.csv": CONTACTS + b"K3;CLI0001;6.1.20"}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 3, 2, 1)},
        quarantined=(("kontakty.csv", 4, "Služba", "the row has 3 of the header's 10 fields: 'Služba' and the columns "
                                                    "after it are missing; the file ends in the middle of this row"),)),
    LoadCase("csv-short-row-mid-file", {
        "klienti.csv": CLIENTS, "kontakty.csv": _contacts_with(contact_row("K2")[:5], contact_row("K3"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 3, 2, 1)},
        quarantined=(("kontakty.csv", 3, "Forma", "the row has 5 of the header's 10 fields: 'Forma' and the columns "
                                                   "after it are missing"),)),
    LoadCase("csv-quoted-line-break-is-one-row", {
        "klienti.csv": CLIENTS,
        "kontakty.csv": _contacts_with(contact_row("K2", Pracoviště='"Děčín\nSever"'),
                                       contact_row("K3", Datum="31.2.2023"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 3, 2, 1)},
        quarantined=(("kontakty.csv", 4, "Datum", "not a date"),),
        loaded=(("SELECT branch FROM raw.contacts WHERE contact_id = 'K2'", [("Děčín\nSever",)]),)),
    LoadCase("csv-cell-over-the-size-limit", {
        "klienti.csv": CLIENTS, "kontakty.csv": _contacts_with(contact_row("K2", Pracoviště=LONG_TEXT))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.csv", 3, "Pracoviště", "the cell holds 40,000 characters, more than the limit of "
                                                        "32,767"),)),
    # Impossible dates: quarantined at load, naming the column and the limit.
    LoadCase("date-contact-in-2999", {
        "klienti.csv": CLIENTS, "kontakty.csv": _contacts_with(contact_row("K2", Datum="1.1.2999"))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 2, 1, 1)},
        quarantined=(("kontakty.csv", 3, "Datum", f"date out of range ({LOAD_DAY})"),)),
    LoadCase("date-contact-tomorrow-but-not-today", {
        "klienti.csv": CLIENTS,
        "kontakty.csv": _contacts_with(contact_row("K2", Datum=(TODAY + timedelta(days=1)).isoformat()),
                                       contact_row("K3", Datum=TODAY.isoformat()))}, 0,
        {"klienti.csv": ("loaded", 2, 2, 0), "kontakty.csv": ("loaded", 3, 2, 1)},
        quarantined=(("kontakty.csv", 3, "Datum", f"date out of range ({LOAD_DAY})"),)),
    LoadCase("date-registration-before-2000", {
        "klienti.csv": lines(CLIENT_HEADER, [client_row("CLI0001", **{"Datum registrace": "31.12.1999"}),
                                             client_row("CLI0002", **{"Datum registrace": "1.1.2000"})]).encode()}, 0,
        {"klienti.csv": ("loaded", 2, 1, 1)},
        quarantined=(("klienti.csv", 2, "Datum registrace", f"date out of range ({LOAD_DAY})"),)),
    LoadCase("date-planned-course-too-far-ahead", {
        "kurzy.csv": lines(COURSE_HEADER, [
            ["C1", "čeština A1", day(TODAY + timedelta(days=30)), day(TODAY + timedelta(days=1000)), "Děčín", "40",
             "ne"],
            ["C2", "čeština A2", day(TODAY), day(TODAY + timedelta(days=1200)), "Děčín", "40", "ne"],
        ]).encode()}, 0,
        {"kurzy.csv": ("loaded", 2, 1, 1)},
        quarantined=(("kurzy.csv", 3, "Konec", f"date out of range (1.1.2000 to {day(PLANNED_LIMIT)}, 1098 days after "
                                               "the day of loading)"),)),
]


@pytest.mark.parametrize("case", LOAD_CASES, ids=lambda c: c.id)
def test_a_hostile_file_is_quarantined_or_rejected_by_row_and_column(
    case: LoadCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    delivery = tmp_path / "2023-01"
    delivery.mkdir()
    for name, data in case.files.items():
        (delivery / name).write_bytes(data)
    home = tmp_path / "home"
    args = ("--home", str(home), "load", str(delivery))
    run = reach_process(*args) if case.in_child else reach(capsys, *args)
    assert_clean_failure(run)
    assert run.code == case.exit_code, run.output
    for fragment in case.messages:
        assert fragment in run.output, run.output
    assert load_files(home) == case.outcome
    got = quarantine(home)
    assert [(f, r, c) for f, r, c, _ in got] == sorted((f, r, c) for f, r, c, _ in case.quarantined), got
    for (_, _, _, reason), (_, _, _, expected) in zip(got, sorted(case.quarantined), strict=True):
        assert expected in reason, (reason, expected)
    for name in {f for f, *_ in case.quarantined}:  # the summary names the first quarantined row and column
        first = min(r for f, r, _, _ in got if f == name)
        named = [f"{name}: {n} row{'s' if n > 1 else ''} quarantined: row {first}" + (
            f", column '{column}'" if column is not None else "") + f": {reason}"
            for n in [case.outcome[name][3]] for f, r, column, reason in got if (f, r) == (name, first)]
        assert any(n in run.output for n in named), (named, run.output)
    for name, encoding in case.encodings.items():
        assert raw_query(home, f"SELECT encoding FROM meta.load_files WHERE file_name = '{name}'") == [(encoding,)]
    for sql, rows in case.loaded:
        assert raw_query(home, sql) == rows, sql
    loaded_clients = raw_query(home, "SELECT count(*) FROM raw.clients")[0][0]
    assert loaded_clients == sum(v[2] for k, v in case.outcome.items() if k.startswith("klienti"))


# --- zips: refused before anything is loaded ------------------------------------------------

def _zip(path: Path, members: dict[str, bytes], build: Callable[[zipfile.ZipFile], None] | None = None) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
        if build:
            build(archive)
    return path


def _many_megabytes(archive: zipfile.ZipFile) -> None:
    mib = bytes(1024 * 1024)
    for i in range(1500):
        archive.writestr(f"data/part{i:04d}.bin", mib)


def _crafted_total(path: Path) -> Path:
    """11 members that claim 100 MiB each (10-fold: no single one looks like a bomb)."""
    _zip(path, {"klienti.csv": CLIENTS, **{f"extra/{i}.bin": b"x" * 1000 for i in range(11)}})
    data = path.read_bytes()
    for i in range(11):
        data = lie_about_size(data, f"extra/{i}.bin", file_size=100 * 1024 * 1024, compress_size=10 * 1024 * 1024)
    path.write_bytes(data)
    return path


def _lying_member(path: Path) -> Path:
    _zip(path, {"klienti.csv": lines(CLIENT_HEADER, [client_row(f"CLI{i:04d}") for i in range(1, 200)]).encode()})
    path.write_bytes(lie_about_size(path.read_bytes(), "klienti.csv", file_size=500))
    return path


def _folder_with_an_empty_zip(path: Path) -> Path:
    (path / "2023-01").mkdir(parents=True)
    (path / "2023-01" / "klienti.csv").write_bytes(lines(CLIENT_HEADER, [client_row("CLI0003")]).encode())
    _zip(path / "2023-02.zip", {})
    return path


@dataclass(frozen=True)
class ZipCase:
    id: str
    build: Callable[[Path], Path]  # under the given folder; returns the PATH given to reach load
    messages: tuple[str, ...]


ZIP_CASES = [
    ZipCase("empty-zip", lambda d: _zip(d / "2023-02.zip", {}),
            ("2023-02.zip is empty; a delivery zip holds export files", "Nothing was loaded.")),
    ZipCase("zip-of-unrelated-files", lambda d: _zip(d / "2023-02.zip", {"notes.txt": b"x", "scan.pdf": b"%PDF"}),
            ("2023-02.zip holds no export files", "only notes.txt, scan.pdf. Nothing was loaded.")),
    ZipCase("zip-holding-the-delivery-zip", lambda d: _zip(d / "outer.zip", {
        "2023-02.zip": _zip(d / "inner.zip", {"klienti.csv": CLIENTS}).read_bytes()}),
        ("outer.zip holds another zip (2023-02.zip) instead of export files; unpack it and load the inner zip",)),
    ZipCase("zip-of-1500-members-of-1-mib", lambda d: _zip(d / "2023-02.zip", {"klienti.csv": CLIENTS},
                                                           _many_megabytes),
            ("2023-02.zip holds 1,501 files, more than the limit of 100 for a delivery zip; the zip is rejected.",)),
    ZipCase("zip-claiming-1-1-gb-in-total", lambda d: _crafted_total(d / "2023-02.zip"),
            (f"2023-02.zip would expand to {11 * 100 * 2**20 + len(CLIENTS):,} bytes, more than the limit of "
             "1,073,741,824 bytes (1 GiB) for a delivery zip; the zip is rejected.",)),
    ZipCase("zip-member-inflating-1000-fold", lambda d: _zip(d / "2023-02.zip", {"klienti.csv": CLIENTS},
                                                             lambda a: zeros_member(a, "kontakty.csv", 200)),
            ("2023-02.zip member 'kontakty.csv' would expand", "-fold to 209,715,200 bytes, more than the limit of "
             "200-fold (a likely zip bomb); the zip is rejected.")),
    ZipCase("zip-member-larger-than-its-header-says", lambda d: _lying_member(d / "2023-02.zip"),
            ("2023-02.zip member 'klienti.csv' is", "; the zip is rejected.")),
    ZipCase("folder-of-deliveries-with-an-empty-zip", lambda d: _folder_with_an_empty_zip(d / "exports"),
            ("2023-02.zip is empty", "Nothing was loaded.")),
]


@pytest.mark.parametrize("case", ZIP_CASES, ids=lambda c: c.id)
def test_a_hostile_zip_is_refused_and_the_raw_layer_is_unchanged(
    case: ZipCase, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    home = tmp_path / "home"
    earlier = tmp_path / "2023-01"
    earlier.mkdir()
    (earlier / "klienti.csv").write_bytes(CLIENTS)
    assert reach(capsys, "--home", str(home), "load", str(earlier)).code == 0
    before = raw_layer_state(home)
    path = case.build(tmp_path)
    run = reach(capsys, "--home", str(home), "load", str(path))
    assert_clean_failure(run)
    assert run.code == 1, run.output
    for fragment in case.messages:
        assert fragment in run.output, run.output
    assert raw_layer_state(home) == before


# --- pseudonymisation: degenerate keys, and the same vetting as reach load --------------------

def _raw_export(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "klienti.csv").write_bytes(lines(RAW_CLIENT_HEADER, [
        ["100001", "Olena", "Testová", "31.10.1984", "Ukrajina", "16.8.2022"]]).encode())
    return folder


@pytest.mark.parametrize(("key", "reason"), [
    (bytes(32), "it uses only 1 distinct byte value (at least 8 are required)"),
    (b"a" * 32, "it uses only 1 distinct byte value (at least 8 are required)"),
    (b"abc" * 11, "it uses only 3 distinct byte values (at least 8 are required)"),
    (b"abcdefgh" * 4, "it repeats a 8-byte pattern"),
    (b"0123456789ABCDEF" * 3, "it repeats a 16-byte pattern"),
], ids=["32-nul-bytes", "32-times-a", "abc-repeated", "8-byte-pattern", "16-byte-pattern"])
def test_a_degenerate_key_is_refused_without_quoting_it(
    key: bytes, reason: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(key)
    out = tmp_path / "out"
    run = reach(capsys, "--home", str(tmp_path / "home"), "pseudonymise", str(_raw_export(tmp_path / "raw")),
                str(out), "--key-file", str(key_file))
    assert_clean_failure(run)
    assert run.code == 1
    assert f"the key in the key file {key_file} is too easy to guess: {reason}" in run.output
    assert key.decode("latin-1") not in run.output and key.decode("latin-1")[:8] not in run.output
    assert not out.exists()


def test_a_random_key_of_the_right_length_is_accepted(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)
    key_file = tmp_path / "pseudonym.key"
    # 32 random bytes between two fixed ones: a key file's surrounding white space is stripped (a
    # trailing newline is no part of the key), so a random first or last byte could shorten it.
    key_file.write_bytes(b"k" + os.urandom(32) + b"k")
    run = reach(capsys, "--home", str(tmp_path / "home"), "pseudonymise", str(_raw_export(tmp_path / "raw")),
                str(tmp_path / "out"), "--key-file", str(key_file))
    assert run.code == 0, run.output
    assert (tmp_path / "out" / "klienti.csv").exists()


def test_a_non_utf8_key_in_the_environment_is_refused_without_quoting_a_byte(tmp_path: Path) -> None:
    secret = b"\xff\xfeSECRETPART-0123456789-abcdefghijkl\xfa"
    env = {k.encode(): v.encode() for k, v in os.environ.items() if k != KEY_ENV}
    env[KEY_ENV.encode()] = secret
    out = tmp_path / "out"
    run = reach_process("--home", str(tmp_path / "home"), "pseudonymise", str(_raw_export(tmp_path / "raw")),
                        str(out), env=env)
    assert_clean_failure(run)
    assert run.code == 1
    assert f"the key in the environment variable {KEY_ENV} is not UTF-8 text" in run.output
    for fragment in ("SECRET", "0123456789", "xff", "xfe", "udcff", "\ufffd"):
        assert fragment not in run.output, fragment
    assert not out.exists()


@dataclass(frozen=True)
class RawCase:
    id: str
    build: Callable[[Path], Path]
    messages: tuple[str, ...]
    in_child: bool = False


RAW_CASES = [
    RawCase("raw-zip-inflating-1000-fold", lambda d: _zip(d / "raw.zip", {}, lambda a: zeros_member(a, "klienti.csv",
                                                                                                    300)),
            ("raw.zip member 'klienti.csv' would expand", "-fold to 314,572,800 bytes, more than the limit of "
             "200-fold (a likely zip bomb); the zip is rejected and nothing was written.")),
    RawCase("raw-zip-of-1500-members", lambda d: _zip(d / "raw.zip", {"klienti.csv": CLIENTS}, _many_megabytes),
            ("raw.zip holds 1,501 files, more than the limit of 100 for a delivery zip",)),
    RawCase("raw-xlsx-with-a-cell-at-XFD1048576", lambda d: _raw_xlsx(d, openpyxl_book(
        RAW_CLIENT_HEADER, [["100001", "Olena", "Testová", "31.10.1984", "Ukrajina", "16.8.2022"]],
        far_cell="XFD1048576")),
        ("klienti.xlsx: the sheet sheet1.xml declares its cells as A1:XFD1048576", "more than the limit of 256 "
         "columns", "nothing was written."), in_child=True),
    RawCase("raw-csv-with-a-stray-delimiter", lambda d: _raw_csv(d, lines(RAW_CLIENT_HEADER, [
        ["100001", "Olena", "Testová", "31.10.1984", "Ukrajina", "16.8.2022"],
        ["100002", "Ivan", "Test;ový", "1.1.1980", "Ukrajina", "16.8.2022"]]).encode()),
        ("klienti.csv row 3: the row has 7 fields but the header has 6", "Nothing was written.")),
]


def _raw_xlsx(folder: Path, data: bytes) -> Path:
    folder = folder / "raw"
    folder.mkdir()
    (folder / "klienti.xlsx").write_bytes(data)
    return folder


def _raw_csv(folder: Path, data: bytes) -> Path:
    folder = folder / "raw"
    folder.mkdir()
    (folder / "klienti.csv").write_bytes(data)
    return folder


@pytest.mark.parametrize("case", RAW_CASES, ids=lambda c: c.id)
def test_pseudonymise_vets_what_it_reads_as_load_does(case: RawCase, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    key_file = tmp_path / "pseudonym.key"
    key_file.write_bytes(KEY)
    out = tmp_path / "out"
    args = ("--home", str(tmp_path / "home"), "pseudonymise", str(case.build(tmp_path)), str(out),
            "--key-file", str(key_file))
    run = reach_process(*args) if case.in_child else reach(capsys, *args)
    assert_clean_failure(run)
    assert run.code == 1, run.output
    for fragment in case.messages:
        assert fragment in run.output, run.output
    assert not out.exists()


# --- a full disk during the load --------------------------------------------------------------

def _big_delivery(folder: Path) -> Path:
    folder.mkdir()
    (folder / "klienti.csv").write_bytes(lines(CLIENT_HEADER, [client_row(f"CLI{i:06d}") for i in range(20_000)])
                                         .encode())
    (folder / "kontakty.csv").write_bytes(lines(CONTACT_HEADER, [
        contact_row(f"K{i}", **{"ID klienta": f"CLI{i % 20_000:06d}"}) for i in range(60_000)]).encode())
    return folder


@contextlib.contextmanager
def _small_filesystem(mount_point: Path, size: str) -> Iterator[None]:
    mount_point.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root; the RLIMIT_FSIZE case covers a refused write")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(mount_point)],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the RLIMIT_FSIZE case covers a "
                    "refused write")
    try:
        yield
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_a_full_disk_is_one_clear_message_and_loses_nothing(tmp_path: Path) -> None:
    small = tmp_path / "small"
    with _small_filesystem(small, "3m"):
        home = small / "home"
        earlier = tmp_path / "2023-01"
        earlier.mkdir()
        (earlier / "klienti.csv").write_bytes(CLIENTS)
        big = _big_delivery(tmp_path / "2023-02")
        run = reach_process("--home", str(home), "load", str(earlier))
        assert run.code == 0, run.output
        before = raw_layer_state(home)
        run = reach_process("--home", str(home), "load", str(earlier), str(big))
        assert_clean_failure(run)
        assert run.code == 1
        assert f"No space left on the disk holding {home}/raw.duckdb" in run.output, run.output
        assert f"nothing of delivery {big} was loaded" in run.output
        assert raw_layer_state(home) == before


def test_a_file_size_limit_is_one_clear_message_and_keeps_the_deliveries_before(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = tmp_path / "2023-01"
    first.mkdir()
    (first / "klienti.csv").write_bytes(CLIENTS)
    assert reach_process("--home", str(home), "load", str(first)).code == 0
    second = tmp_path / "2023-02"
    second.mkdir()
    (second / "klienti.csv").write_bytes(lines(CLIENT_HEADER, [client_row("CLI0003")]).encode())
    big = _big_delivery(tmp_path / "2023-03")
    before = raw_layer_state(home)
    limit = (home / "raw.duckdb").stat().st_size + 512 * 1024  # the WAL of the big delivery outgrows it

    def limit_file_size() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    run = reach_process("--home", str(home), "load", str(second), str(big), preexec=limit_file_size)
    assert_clean_failure(run)
    assert run.code == 1
    assert "cannot grow any larger (the system's file size limit)" in run.output, run.output
    assert f"nothing of delivery {big} was loaded. The deliveries before it are loaded: {second}." in run.output
    after = raw_layer_state(home)
    assert raw_query(home, "SELECT source FROM meta.deliveries ORDER BY load_seq") == [(str(first),), (str(second),)]
    assert after["raw.contacts"] == before["raw.contacts"] == []
    assert len(after["raw.clients"]) == len(before["raw.clients"]) + 1


# --- the two CSV readers agree ------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "č", " ", ";", ";", "\n", "\n", "ž;x"]), max_size=40),
       st.booleans())
def test_quote_free_text_reads_alike_by_polars_and_by_the_csv_module(pieces: list[str], final_newline: bool) -> None:
    """csv_text splits quote-free text with polars and quoted text with the csv module; on text
    both can read they must give the same cells and the same malformed rows."""
    text = "h1;h2;h3\n" + "".join(pieces) + ("\n" if final_newline else "")
    plain = csv_text._read_plain(text.encode(), ";")
    quoted = csv_text._read_quoted(text, ";")
    assert plain.headers == quoted.headers
    assert plain.cells.rows() == quoted.cells.rows(), text
    assert plain.issues.rows() == quoted.issues.rows(), text
