"""Raw export (docs/raw-export.md) -> export format with keyed pseudonyms.

Only columns of the export contract pass through (a whitelist), so no direct identifier,
and no unknown column that might hold one, reaches the output. The client number becomes
`ID klienta` = HMAC-SHA256(key, number); the birth date becomes `Rok narození`. With a
national linkage key, klienti gains `Národní klíč` (pipelines.pseudonymise.linkage).
"""

from __future__ import annotations

import hmac
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import polars as pl

from pipelines import contract
from pipelines.errors import ReachError
from pipelines.ingest.reading import TextTable
from pipelines.ingest.table import ROW
from pipelines.normalise import fold_header
from pipelines.pseudonymise import layout
from pipelines.pseudonymise.keys import pseudonym
from pipelines.pseudonymise.linkage import linkage_key
from pipelines.pseudonymise.reader import SourceFile, read_table, source_files

_CZECH_DATE = re.compile(r"^\s*(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[ T][\d:.]+)?\s*$")  # also XLSX datetimes
MAX_PROBLEMS_SHOWN = 5


@dataclass
class FileSummary:
    source: str
    target: str
    rows: int
    dropped_columns: list[str]


@dataclass
class PseudonymisationSummary:
    files: list[FileSummary] = field(default_factory=list)
    clients: int = 0  # distinct client numbers pseudonymised
    linkage: bool = False  # a national linkage key was given
    without_linkage_key: int = 0  # klienti rows left without one (a name, birth date or nationality missing)

    def describe(self) -> str:
        lines = [f"{f.source} -> {f.target}: {f.rows} rows" + (
            f"; dropped columns: {', '.join(f.dropped_columns)}" if f.dropped_columns else "") for f in self.files]
        if self.linkage:
            lines.append("Národní klíč written" + (
                f"; {self.without_linkage_key} client rows without one (name, birth date or nationality missing or "
                "unrecognised)" if self.without_linkage_key else " for every client row") + ".")
        return "\n".join([*lines, f"{self.clients} distinct clients pseudonymised."])


def birth_date(value: str | None) -> date | None:
    """A birth date written d.m.yyyy or yyyy-mm-dd; None when empty; ValueError when invalid."""
    if value is None or not value.strip():
        return None
    for pattern, order in ((_CZECH_DATE, (2, 1, 0)), (_ISO_DATE, (0, 1, 2))):
        match = pattern.match(value)
        if match:
            year, month, day = (int(match.group(i + 1)) for i in order)
            return date(year, month, day)  # raises ValueError on 31.2.
    raise ValueError(value)


def birth_year(value: str | None) -> int | None:
    """Year of a birth date written d.m.yyyy or yyyy-mm-dd; None when empty; ValueError when invalid."""
    day = birth_date(value)
    return None if day is None else day.year


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, file: str, row: int, column: str | None, what: str) -> None:
        where = f"{file} row {row}" + (f" column '{column}'" if column is not None else "")
        self.items.append(f"{where}: {what}")

    def raise_if_any(self) -> None:
        if self.items:
            shown = "; ".join(self.items[:MAX_PROBLEMS_SHOWN])
            more = f" (and {len(self.items) - MAX_PROBLEMS_SHOWN} more)" if len(self.items) > MAX_PROBLEMS_SHOWN else ""
            raise ReachError(
                f"the raw export has rows that cannot be pseudonymised: {shown}{more}. Nothing was written."
            )


def _once(file: SourceFile, header: str, seen_at: int | None, position: int) -> int:
    if seen_at is not None:
        raise ReachError(f"{file.name} has the column '{header}' twice; nothing was written.")
    return position


def _convert(file: SourceFile, spec: contract.ExportFile, key: bytes, problems: _Problems,
             numbers: set[str], national_key: bytes | None = None) -> tuple[pl.DataFrame, list[str], int]:
    """The file in the export format, the columns dropped, and klienti rows left without a linkage key."""
    table = read_table(file)
    headers = table.headers
    for row, position, reason in table.issues.select(ROW, "position", "reason").iter_rows():
        problems.add(file.name, row, headers[position] if position is not None and position < len(headers) else None,
                     reason)
    contract_headers = {fold_header(c.header): c.header for c in spec.columns}
    number_at = birth_at = None  # positions of the client number and the birth date
    name_at: dict[str, int] = {}  # given name / surname -> position (klienti, for the linkage key)
    keep: dict[int, str] = {}  # source position -> contract header
    dropped: list[str] = []
    for position, header in enumerate(headers):
        folded = fold_header(header)
        if folded == fold_header(layout.CLIENT_NUMBER):
            number_at = _once(file, layout.CLIENT_NUMBER, number_at, position)
        elif folded == fold_header(layout.BIRTH_DATE) and spec is contract.CLIENTS:
            birth_at = _once(file, layout.BIRTH_DATE, birth_at, position)
        elif folded in (fold_header(layout.FIRST_NAME), fold_header(layout.SURNAME)) and spec is contract.CLIENTS:
            name = layout.FIRST_NAME if folded == fold_header(layout.FIRST_NAME) else layout.SURNAME
            name_at[name] = _once(file, name, name_at.get(name), position)
            dropped.append(header)
        elif national_key is not None and folded == fold_header(LINKAGE_HEADER) and spec is contract.CLIENTS:
            dropped.append(f"{header} (replaced by the computed linkage key)")
        elif folded in contract_headers and folded != fold_header(layout.CLIENT_ID_HEADER):
            _once(file, contract_headers[folded], next((p for p, h in keep.items() if h == contract_headers[folded]),
                                                       None), position)
            keep[position] = contract_headers[folded]
        else:
            dropped.append(header)
    first_row = table.first_row + 1
    if layout.CLIENT_ID_HEADER in contract_headers.values() and number_at is None:
        raise ReachError(
            f"{file.name} has no '{layout.CLIENT_NUMBER}' column, so it is not a raw export "
            f"(docs/raw-export.md); nothing was written."
        )
    columns: dict[str, pl.Series] = {h: table.cells[f"c{p}"] for p, h in keep.items()}
    if number_at is not None:
        raw_numbers = table.cells[f"c{number_at}"].to_list()
        for row, number in enumerate(raw_numbers, start=first_row):
            if number is None or not number.strip():
                problems.add(file.name, row, headers[number_at], "the client number is empty")
        distinct = {n.strip() for n in raw_numbers if n and n.strip()}
        numbers |= distinct
        ids = {n: pseudonym(key, n) for n in distinct}
        columns[layout.CLIENT_ID_HEADER] = pl.Series(
            [ids.get(n.strip()) if n else None for n in raw_numbers], dtype=pl.String
        )
    days: list[date | None] = []
    if birth_at is not None:
        for row, value in enumerate(table.cells[f"c{birth_at}"].to_list(), start=first_row):
            try:
                days.append(birth_date(value))
            except ValueError:
                problems.add(file.name, row, headers[birth_at], "the birth date is not a date (d.m.yyyy or yyyy-mm-dd)")
                days.append(None)
        years = [None if d is None else d.year for d in days]
        columns[layout.BIRTH_YEAR_HEADER] = pl.Series(years, dtype=pl.Int32).cast(pl.String)
        dropped.append(f"{headers[birth_at]} (reduced to {layout.BIRTH_YEAR_HEADER})")
    without = 0
    if national_key is not None and spec is contract.CLIENTS:
        keys = _linkage_keys(file, table, national_key, name_at, days, columns)
        without = sum(k is None for k in keys)
        columns[LINKAGE_HEADER] = pl.Series(keys, dtype=pl.String)
    ordered = [c.header for c in spec.columns if c.header in columns]
    return pl.DataFrame({h: columns[h] for h in ordered}), dropped, without


LINKAGE_HEADER = contract.CLIENTS.column("linkage_key").header
_CITIZENSHIP_HEADER = contract.CLIENTS.column("citizenship").header


def _linkage_keys(file: SourceFile, table: TextTable, national_key: bytes, name_at: dict[str, int],
                  days: list[date | None], columns: dict[str, pl.Series]) -> list[str | None]:
    """The national linkage key of each klienti row (None where a part is missing)."""
    missing = [h for h in (layout.FIRST_NAME, layout.SURNAME) if h not in name_at]
    if not days or missing or _CITIZENSHIP_HEADER not in columns:
        absent = [*missing, *([] if days else [layout.BIRTH_DATE]),
                  *([] if _CITIZENSHIP_HEADER in columns else [_CITIZENSHIP_HEADER])]
        raise ReachError(
            f"{file.name} has no {', '.join(repr(h) for h in absent)} column, which the national linkage key is "
            "computed from (docs/raw-export.md, \"Linkage key\"); nothing was written."
        )
    given = table.cells[f"c{name_at[layout.FIRST_NAME]}"].to_list()
    surname = table.cells[f"c{name_at[layout.SURNAME]}"].to_list()
    nationality = columns[_CITIZENSHIP_HEADER].to_list()
    return [linkage_key(national_key, *parts) for parts in zip(given, surname, days, nationality, strict=True)]


def pseudonymise_export(source: Path, target: Path, key: bytes,
                        national_key: bytes | None = None) -> PseudonymisationSummary:
    """Convert every contract file of the raw export `source` (folder or zip) into `target`;
    with `national_key`, klienti gains the national linkage key `Národní klíč`.

    Nothing is written unless every file converts: a bad row stops the run with a message
    naming file, row and column.
    """
    if national_key is not None and hmac.compare_digest(national_key, key):
        raise ReachError("the national linkage key is the same as the centre's pseudonymisation key; "
                         "nothing was written.")
    source, target = Path(source), Path(target)
    if target.resolve() == source.resolve():
        raise ReachError("IN and OUT are the same folder; write the pseudonymised export somewhere else.")
    files = source_files(source)
    problems = _Problems()
    numbers: set[str] = set()
    converted: list[tuple[SourceFile, contract.ExportFile, pl.DataFrame, list[str]]] = []
    without = 0
    for file in files:
        spec = contract.FILES_BY_NAME.get(file.stem)
        if spec is None:
            continue
        frame, dropped, missing_keys = _convert(file, spec, key, problems, numbers, national_key)
        without += missing_keys
        converted.append((file, spec, frame, dropped))
    if not converted:
        names = ", ".join(f.name for f in contract.FILES)
        raise ReachError(f"{source} holds none of the export files ({names}; .csv or .xlsx).")
    problems.raise_if_any()
    target.mkdir(parents=True, exist_ok=True)
    summary = PseudonymisationSummary(clients=len(numbers), linkage=national_key is not None,
                                      without_linkage_key=without)
    for file, spec, frame, dropped in converted:
        out_name = spec.name + ".csv"
        (target / out_name).write_bytes(frame.write_csv(separator=";", null_value="").encode("utf-8"))
        summary.files.append(FileSummary(file.name, out_name, frame.height, dropped))
    return summary


def raw_deliveries(source: Path) -> list[Path]:
    """`source` itself when it is one raw export (a zip, or a folder holding export files);
    else its sub-folders and zips in name order (a folder of monthly raw exports)."""
    source = Path(source)
    if source.is_file() or not source.is_dir() or source_files(source):
        return [source]
    return sorted(p for p in source.iterdir() if p.is_dir() or p.suffix.lower() == ".zip")


def pseudonymise_tree(source: Path, target: Path, key: bytes,
                      national_key: bytes | None = None) -> list[PseudonymisationSummary]:
    """One raw export into `target`, or a folder of them into `target/<name>` each."""
    deliveries = raw_deliveries(source)
    if deliveries == [Path(source)]:
        return [pseudonymise_export(source, target, key, national_key)]
    if not deliveries:
        raise ReachError(f"{source} holds no export files and no delivery folders or zips.")
    # a zip's delivery is written as a folder of the zip's name without ".zip"
    return [pseudonymise_export(d, Path(target) / (d.stem if d.is_file() else d.name), key, national_key)
            for d in deliveries]
