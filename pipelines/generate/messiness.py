"""`--messy`: every irregularity the export contract allows, at a controlled rate, each
recorded in the manifest with delivery, file, row, column, value and the loader's
expected reaction. Each kind appears at least once in a sample (when its file has rows).

Row-level kinds either rewrite a cell of a new record in a form the contract accepts or
flags (iso_date, boolean_variant, enum_variant, decimal_comma, unknown_nationality,
unknown_enum), or add an extra row (orphan, missing_key, unparseable_date, out_of_range)
so that no true record is lost. File-level kinds change how a file is written.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from pipelines import contract
from pipelines.contract import ColumnType, ExportFile
from pipelines.generate import history
from pipelines.generate.clients import random_ids
from pipelines.generate.manifest import CLEAN, ORPHAN, QUARANTINE, UNKNOWN_COLUMN, UNKNOWN_VALUE, Irregularity
from pipelines.generate.period import Period
from pipelines.generate.writers import FileFormat
from pipelines.normalise import fold_header, fold_value, strip_diacritics

INJECTED = "injected"
XLSX_MAX_ROWS = 20_000  # larger files stay CSV: the XLSX writer is cell by cell
FILE_KIND_SHARE = 0.08  # chance of each file-level variant per file
ZIP_SHARE = 0.15

UNKNOWN_NATIONALITIES = ("Atlantida", "Neznámá země", "Bohemia Nova", "Ruthenie", "Československo", "SSSR")
UNKNOWN_ENUM_VALUES = {  # canonical column -> values outside its list
    "residence_status": ("vízum strpění", "pobyt za účelem studia"),
    "topic": ("daně", "doprava"),
    "mode": ("videohovor", "dopisem"),
    "audience": ("studenti", "senioři"),
}
UNPARSEABLE_DATES = ("31.2.2023", "2023-13-01", "zítra", "12/2022", "00.00.0000")
OUT_OF_RANGE_MINUTES = ("900", "0", "-5", "1440")
EXTRA_COLUMNS = ("Poznámka", "Interní poznámka", "Zpracovatel", "Export ID")
TRUE_VARIANTS = ("A", "1", "true", "ANO", "Ano", "TRUE")
FALSE_VARIANTS = ("N", "0", "false", "NE", "Ne", "FALSE")

# Row-level kinds: (kind, expected loader reaction). Injected kinds name their files.
MUTATIONS = (
    ("iso_date", CLEAN), ("boolean_variant", CLEAN), ("enum_variant", CLEAN), ("decimal_comma", CLEAN),
    ("unknown_nationality", UNKNOWN_VALUE), ("unknown_enum", UNKNOWN_VALUE),
)
INJECTIONS = {
    "orphan": (ORPHAN, ("kontakty", "vysledky", "ucastnici_akci")),
    "missing_key": (QUARANTINE, ("kontakty", "vysledky")),
    "unparseable_date": (QUARANTINE, ("kontakty", "vysledky")),
    "out_of_range": (QUARANTINE, ("kontakty",)),
}
FILE_KINDS = (
    "encoding_cp1250", "bom", "comma_delimiter", "crlf", "quoted_fields", "header_variant", "extra_column", "xlsx",
)
ROW_KINDS = tuple(k for k, _ in MUTATIONS) + tuple(INJECTIONS)
_ID_PREFIX = {"kontakty": ("KT", 8), "vysledky": ("VY", 7)}


def _eligible_columns(kind: str, spec: ExportFile) -> list[contract.Column]:
    """Columns of `spec` a mutation kind can rewrite."""
    types = {
        "iso_date": (ColumnType.DATE,), "boolean_variant": (ColumnType.BOOLEAN,),
        "enum_variant": (ColumnType.ENUM,), "decimal_comma": (ColumnType.DECIMAL,),
        "unknown_nationality": (ColumnType.COUNTRY,),
    }
    if kind == "unknown_enum":
        return [c for c in spec.columns if c.name in UNKNOWN_ENUM_VALUES]
    return [c for c in spec.columns if c.type in types[kind]]


def _enum_variant(value: str, rng: np.random.Generator) -> str:
    """A spelling that folds to the same value: case, diacritics, surrounding spaces."""
    variants = [v for v in (value.upper(), strip_diacritics(value), f"  {value} ", value.capitalize(),
                            strip_diacritics(value).upper()) if v != value and fold_value(v) == fold_value(value)]
    return variants[int(rng.integers(len(variants)))] if variants else f" {value} "


def _header_variant(header: str, rng: np.random.Generator) -> str:
    variants = [v for v in (header.upper(), strip_diacritics(header), f" {header.replace(' ', '  ')} ",
                            header.lower(), strip_diacritics(header).upper()) if v != header]
    chosen = variants[int(rng.integers(len(variants)))]
    assert fold_header(chosen) == fold_header(header)
    return chosen


def _iso(value: str) -> str:
    day, month, year = value.split(".")
    return f"{year}-{int(month):02d}-{int(day):02d}"


@dataclass
class _Cursor:
    """Where a forced kind may still be placed: from `month`, in file `file` (then any)."""

    month: int
    file: int


class Messiness:
    """Decides, per delivery and file, which irregularities to inject, and injects them."""

    def __init__(self, rng: np.random.Generator, records: dict[str, int], period: Period, rate: float) -> None:
        """`records`: how many records each file has over the whole sample (injected IDs follow them)."""
        self.rng = rng
        self.rate = rate
        self.period = period
        self.next_number = {name: records[name] + 1 for name in _ID_PREFIX}
        kinds = ROW_KINDS + FILE_KINDS
        self.pending = {
            kind: _Cursor(i % period.months, i % len(contract.FILES)) for i, kind in enumerate(kinds)
        }
        self.zip_month = 1 % period.months

    def zip_delivery(self, month: int) -> bool:
        return month == self.zip_month or bool(self.rng.random() < ZIP_SHARE)

    def _forced(self, kind: str, month: int, file_index: int) -> bool:
        cursor = self.pending.get(kind)
        if cursor is None or month < cursor.month:
            return False
        last = month == self.period.months - 1  # place every kind still missing
        return month > cursor.month or file_index == cursor.file or last

    def _done(self, kind: str) -> None:
        self.pending.pop(kind, None)

    def apply(
        self, written: pl.DataFrame, spec: ExportFile, month: int, delivery: str
    ) -> tuple[pl.DataFrame, FileFormat, list[Irregularity]]:
        """Inject row- and file-level irregularities into one file's written frame."""
        file_index = contract.FILES.index(spec)
        work = _Work(written, self.rng)
        found: list[Irregularity] = []
        for kind, expect in MUTATIONS:
            for column in _eligible_columns(kind, spec):
                share = self.rate / (len(MUTATIONS) + len(INJECTIONS))
                found += work.mutate(kind, expect, column, share, self._forced(kind, month, file_index), delivery)
            if any(i.kind == kind for i in found):
                self._done(kind)
        for kind, (expect, files) in INJECTIONS.items():
            if spec.name not in files:
                continue
            count = int(self.rng.binomial(written.height, self.rate / (len(MUTATIONS) + len(INJECTIONS))))
            if count == 0 and self._forced(kind, month, file_index) and written.height:
                count = 1
            found += [work.inject(kind, expect, spec, self._fresh_key(spec), delivery) for _ in range(count)]
            if count:
                self._done(kind)
        frame = work.finish(found)
        fmt, frame, file_level = self._file_level(frame, spec, month, file_index, delivery)
        renamed = {i.column: i.value for i in file_level if i.kind == "header_variant"}
        for irregularity in found:  # row-level entries name the header as written
            irregularity.column = renamed.get(irregularity.column, irregularity.column)
        return frame, fmt, found + file_level

    def _fresh_key(self, spec: ExportFile) -> str | None:
        if spec.name not in _ID_PREFIX:
            return None
        prefix, width = _ID_PREFIX[spec.name]
        number = self.next_number[spec.name]
        self.next_number[spec.name] += 1
        return prefix + str(number).zfill(width)

    def _file_level(
        self, frame: pl.DataFrame, spec: ExportFile, month: int, file_index: int, delivery: str
    ) -> tuple[FileFormat, pl.DataFrame, list[Irregularity]]:
        def wanted(kind: str) -> bool:
            return bool(self.rng.random() < FILE_KIND_SHARE) or self._forced(kind, month, file_index)

        chosen = {kind for kind in FILE_KINDS if wanted(kind)}
        csv_only = {"encoding_cp1250", "bom", "comma_delimiter", "crlf", "quoted_fields"}
        forced_csv = any(self._forced(kind, month, file_index) for kind in csv_only)
        xlsx_forced = self._forced("xlsx", month, file_index)
        if "xlsx" in chosen and (frame.height > XLSX_MAX_ROWS or (forced_csv and not xlsx_forced)):
            chosen.discard("xlsx")
        if "xlsx" in chosen:
            chosen -= csv_only
        if "bom" in chosen and "encoding_cp1250" in chosen:  # a BOM marks UTF-8: keep the forced one
            chosen.discard("bom" if self._forced("encoding_cp1250", month, file_index) else "encoding_cp1250")
        fmt = FileFormat()
        entries: list[Irregularity] = []

        def note(kind: str, value: str, column: str | None = None, expect: str = CLEAN) -> None:
            entries.append(Irregularity(delivery, "", None, column, None, kind, value, expect))
            self._done(kind)

        if "xlsx" in chosen:
            fmt = replace(fmt, kind="xlsx")
            note("xlsx", "first sheet")
            if any(c.type is ColumnType.DATE for c in spec.columns):
                note("xlsx_date_cells", "d.m.yyyy")
        if "encoding_cp1250" in chosen:
            fmt = replace(fmt, encoding="cp1250")
            note("encoding_cp1250", "cp1250")
        if "bom" in chosen:
            fmt = replace(fmt, bom=True)
            note("bom", "utf-8-sig")
        if "comma_delimiter" in chosen:
            fmt = replace(fmt, delimiter=",")
            note("comma_delimiter", ",")
        if "crlf" in chosen:
            fmt = replace(fmt, line_end="CRLF")
            note("crlf", "CRLF")
        if "quoted_fields" in chosen:
            fmt = replace(fmt, quoting="always")
            note("quoted_fields", '"')
        if "extra_column" in chosen:
            name = EXTRA_COLUMNS[int(self.rng.integers(len(EXTRA_COLUMNS)))]
            values = np.where(self.rng.random(frame.height) < 0.3, "kontrola", None)
            frame = frame.with_columns(pl.Series(name, values.tolist(), dtype=pl.String))
            note("extra_column", name, name, UNKNOWN_COLUMN)
        if "header_variant" in chosen:
            written = [c for c in spec.columns if c.header in frame.columns]  # an optional column may be absent
            header = written[int(self.rng.integers(len(written)))].header
            variant = _header_variant(header, self.rng)
            frame = frame.rename({header: variant})
            note("header_variant", variant, header)
        return fmt, frame, entries


class _Work:
    """One file's written frame while irregularities are added (cells and extra rows)."""

    def __init__(self, frame: pl.DataFrame, rng: np.random.Generator) -> None:
        self.frame = frame
        self.rng = rng
        self.columns: dict[str, np.ndarray] = {}
        self.free = np.ones(frame.height, dtype=bool)  # rows not yet touched
        # A value that loads as unknown goes into new records only, so the manifest's
        # repeated/corrected records stay true to their first delivery.
        self.new = (frame["_origin"] == history.NEW).to_numpy()
        self.tags: dict[int, int] = {}  # row index -> index into the irregularity list
        self.extra: list[tuple[float, dict[str, Any]]] = []  # (position among the rows, row)
        self.extra_tags: list[int] = []  # irregularity index of each extra row
        self.count = 0

    def _column(self, header: str) -> np.ndarray:
        if header not in self.columns:
            self.columns[header] = self.frame[header].to_numpy().astype(object)
        return self.columns[header]

    def mutate(
        self, kind: str, expect: str, column: contract.Column, share: float, forced: bool, delivery: str
    ) -> list[Irregularity]:
        cells = self._column(column.header)
        if expect == CLEAN:
            candidates = self.free & np.array([v is not None for v in cells], dtype=bool)
        else:
            candidates = self.free & self.new
        if kind == "decimal_comma":
            candidates &= np.array([v is not None and "." in v for v in cells], dtype=bool)
        rows = np.flatnonzero(candidates)
        count = min(len(rows), int(self.rng.binomial(len(rows), share)) if len(rows) else 0)
        if forced and count == 0 and len(rows):
            count = 1
        found = []
        for row in self.rng.choice(rows, size=count, replace=False) if count else []:
            value = self._new_value(kind, column, cells[row])
            cells[row] = value
            self.free[row] = False
            self.tags[int(row)] = self.count
            self.count += 1
            found.append(Irregularity(delivery, "", None, column.header, column.name, kind, value, expect))
        return found

    def _new_value(self, kind: str, column: contract.Column, value: str) -> str:
        pick = self.rng.integers
        if kind == "iso_date":
            return _iso(value)
        if kind == "boolean_variant":
            variants = TRUE_VARIANTS if value == "ano" else FALSE_VARIANTS
            return variants[int(pick(len(variants)))]
        if kind == "enum_variant":
            return _enum_variant(value, self.rng)
        if kind == "decimal_comma":
            return value.replace(".", ",")
        if kind == "unknown_nationality":
            return UNKNOWN_NATIONALITIES[int(pick(len(UNKNOWN_NATIONALITIES)))]
        values = UNKNOWN_ENUM_VALUES[column.name]
        return values[int(pick(len(values)))]

    def inject(self, kind: str, expect: str, spec: ExportFile, key: str | None, delivery: str) -> Irregularity:
        """An extra row copied from a random row of the file, with a fresh key and one defect."""
        template_row = int(self.rng.integers(self.frame.height))
        # Copy the row as generated, not as rewritten: one irregularity per row.
        row = self.frame.row(template_row, named=True)
        row["_origin"] = INJECTED
        key_header = spec.key_columns[0].header
        if key is not None:
            row[key_header] = key
        date_header = next((c.header for c in spec.columns if c.type is ColumnType.DATE and c.required), None)
        if kind == "orphan":
            # 20 characters: can never equal a generated (16-character) client ID
            header, value = "ID klienta", str(random_ids(self.rng, 1)[0]) + "ORPH"
        elif kind == "missing_key":
            header, value = key_header, None
        elif kind == "unparseable_date":
            header, value = date_header, UNPARSEABLE_DATES[int(self.rng.integers(len(UNPARSEABLE_DATES)))]
        else:
            header, value = "Délka (min)", OUT_OF_RANGE_MINUTES[int(self.rng.integers(len(OUT_OF_RANGE_MINUTES)))]
        assert header is not None
        row[header] = value
        # Retractions in copies would confuse the count: an injected row is a live record.
        row["Smazáno"] = "ne"
        self.extra.append((template_row + 0.5 + self.rng.random() * 0.4, row))
        column = spec.columns[[c.header for c in spec.columns].index(header)]
        self.extra_tags.append(self.count)
        self.count += 1
        return Irregularity(delivery, "", None, header, column.name, kind, "" if value is None else value, expect)

    def finish(self, found: list[Irregularity]) -> pl.DataFrame:
        """Apply the rewritten cells, place the extra rows, and number rows in the manifest."""
        frame = self.frame.with_columns(
            [pl.Series(h, values.tolist(), dtype=pl.String) for h, values in self.columns.items()]
        )
        positions = np.arange(frame.height, dtype=float)
        tag_of_row = np.full(frame.height, -1)
        for row, tag in self.tags.items():
            tag_of_row[row] = tag
        if self.extra:
            extra = pl.DataFrame([r for _, r in self.extra], schema=frame.schema, orient="row")
            frame = pl.concat([frame, extra])
            positions = np.concatenate([positions, [p for p, _ in self.extra]])
            tag_of_row = np.concatenate([tag_of_row, self.extra_tags])
        order = np.argsort(positions, kind="stable")
        frame = frame[order]
        sorted_tags = tag_of_row[order]
        for new_row in np.flatnonzero(sorted_tags >= 0):
            found[int(sorted_tags[new_row])].row = int(new_row) + 2  # header is row 1
        return frame
