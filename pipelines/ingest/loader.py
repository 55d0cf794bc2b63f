"""Loading deliveries into <home>/raw.duckdb: one DuckDB transaction per delivery.

A delivery is identified by sha256 over its centre and the sorted (file kind, file sha256)
pairs of its export files, so loading the same files again is recognised and changes
nothing. Everything a delivery writes (raw rows, quarantine, warnings, file and delivery
records) is committed together or not at all.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import polars as pl

from pipelines.contract import DEFAULT_CENTRE, FILES, FILES_BY_NAME, ExportFile
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest import limits
from pipelines.ingest.raw_schema import connect_raw_layer, create_raw_layer
from pipelines.ingest.reading import FileRejected, read_table, too_large
from pipelines.ingest.report import DeliveryReport, FileReport, LoadProgress, ProgressTracker
from pipelines.ingest.rows import ROW, WARNING_SCHEMA, CheckedFile, check_file
from pipelines.ingest.sources import DeliveredFile, Delivery, resolve_deliveries
from pipelines.ingest.space import out_of_space
from pipelines.normalise import fold_header
from pipelines.privacy.free_text import mask_identifier_values, redact_identifiers
from pipelines.privacy.identifiers import redact
from pipelines.reference.centres import centre as known_centre

_LOAD_ORDER = {f.name: i for i, f in enumerate(FILES)}  # clients first: orphans are judged against them
QUARANTINED_ROWS_SHOWN = 3  # in the load summary; meta.quarantine holds them all


def load_paths(home: Home, paths: list[Path], centre: str = DEFAULT_CENTRE,
               progress: Callable[[LoadProgress], None] | None = None) -> list[DeliveryReport]:
    """Load every delivery named by `paths` (in order) for `centre`; one report per delivery.
    `progress` is called after each file (files and rows so far)."""
    if not centre.strip():
        raise ReachError("The centre code is empty; give one with --centre (default ULK).")
    centre = known_centre(centre).code  # one of the product's centres (seeds/ref_centres.csv), or refused
    deliveries = resolve_deliveries([Path(p) for p in paths])
    tracker = ProgressTracker(progress, sum(len(d.files) for d in deliveries))
    reports: list[DeliveryReport] = []
    current: Delivery | None = None  # the delivery being written, for the message if space runs out
    finishing = False
    try:
        home.ensure()
        con = _open_raw_layer(home)
        try:
            create_raw_layer(con)
            known = _KnownClients(con, centre)
            for current in deliveries:
                reports.append(load_delivery(con, current, centre, tracker, known))
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                con.close()
            raise
        finishing = True
        con.close()  # writes the checkpoint; committed deliveries are safe in the WAL even if it fails
    except Exception as error:
        full = out_of_space(error)
        if full is None:
            raise
        raise ReachError(_out_of_space_message(full.describe(home.root), current, reports, finishing)) from None
    return reports


def _open_raw_layer(home: Home) -> duckdb.DuckDBPyConnection:
    try:
        return connect_raw_layer(str(home.raw_db))
    except duckdb.IOException as error:
        if out_of_space(error):
            raise
        raise ReachError(
            f"Cannot open {home.raw_db} for writing ({str(error).splitlines()[0]}); is another load, build "
            "or check running? Nothing was loaded."
        ) from None


def _out_of_space_message(what: str, current: Delivery | None, reports: list[DeliveryReport],
                          finishing: bool) -> str:
    what = what[0].upper() + what[1:]
    if finishing:
        return (f"{what} while closing the raw layer; every delivery is loaded (its last writes are kept in "
                "the raw layer's .wal file and applied when it is next opened).")
    again = " Free some space and run the same command again: deliveries already loaded are recognised and skipped."
    if current is None:
        return f"{what}; nothing was loaded.{again}"
    done = [r.source for r in reports if not r.already_loaded]
    before = f" The deliveries before it are loaded: {', '.join(done)}." if done else ""
    return f"{what}; nothing of delivery {current.source} was loaded.{before}{again}"


def delivery_id(centre: str, files: list[DeliveredFile]) -> str:
    pairs = sorted((f.kind, f.sha256) for f in files if f.kind)
    digest = hashlib.sha256(centre.encode())
    for kind, sha in pairs:
        digest.update(f"\n{kind}:{sha}".encode())
    return digest.hexdigest()


def load_delivery(con: duckdb.DuckDBPyConnection, delivery: Delivery, centre: str,
                  progress: ProgressTracker | None = None, known: _KnownClients | None = None) -> DeliveryReport:
    progress = progress or ProgressTracker(None, len(delivery.files))
    known = known or _KnownClients(con, centre)
    ident = delivery_id(centre, list(delivery.files))
    if con.execute("SELECT 1 FROM meta.deliveries WHERE delivery_id = ?", [ident]).fetchall():
        previous = _previous_files(con, ident)
        for f in previous:
            progress.file_done(delivery.source, replace(f, rows_read=0))  # nothing read again
        return DeliveryReport(delivery.source, centre, ident, True, None, previous)
    con.begin()
    try:
        [(load_seq,)] = con.execute("SELECT coalesce(max(load_seq), 0) + 1 FROM meta.deliveries").fetchall()
        batch = _Batch(con, centre, ident, load_seq, datetime.now(UTC).replace(tzinfo=None), known)
        reports = []
        for f, kind_taken in _in_load_order(delivery.files):
            reports.append(batch.load_file(f, kind_taken))
            progress.file_done(delivery.source, reports[-1])
        batch.record(delivery.source, reports)
        con.commit()
    except BaseException:
        known.forget_pending()
        with contextlib.suppress(duckdb.Error):  # a failed commit has rolled back already
            con.rollback()
        raise
    known.keep_pending()
    return DeliveryReport(delivery.source, centre, ident, False, load_seq, reports)


def _in_load_order(files: tuple[DeliveredFile, ...]) -> list[tuple[DeliveredFile, bool]]:
    """Files in contract order (clients first), unrecognised last; flags a second file of one kind."""
    ordered = sorted(files, key=lambda f: (_LOAD_ORDER.get(f.kind or "", len(_LOAD_ORDER)), f.name))
    seen: set[str] = set()
    result = []
    for f in ordered:
        result.append((f, f.kind in seen))
        if f.kind:
            seen.add(f.kind)
    return result


def _previous_files(con: duckdb.DuckDBPyConnection, ident: str) -> list[FileReport]:
    rows = con.execute(
        "SELECT file_name, file_kind, status, message, rows_read, rows_loaded, rows_quarantined, warnings, "
        "file_sha256, file_format, encoding, delimiter FROM meta.load_files WHERE delivery_id = ? "
        "ORDER BY file_name", [ident],
    ).fetchall()
    return [FileReport(*row) for row in rows]


class _KnownClients:
    """The client IDs the centre has delivered (raw.clients), read once per load and kept in step:
    a delivery's clients join when it commits (`keep_pending`), not if it fails (`forget_pending`).
    Orphans are judged against it, so no delivery reads raw.clients again. One process writes the
    raw layer at a time (DuckDB's file lock), so nothing else changes raw.clients meanwhile."""

    def __init__(self, con: duckdb.DuckDBPyConnection, centre: str) -> None:
        # Read now, outside any delivery's transaction, so that a delivery's own uncommitted
        # clients are never taken for committed ones.
        arrow = con.sql("SELECT DISTINCT client_id FROM raw.clients WHERE _centre = ?",
                        params=[centre]).to_arrow_table()
        self._committed = pl.Series("client_id", arrow.column("client_id"), dtype=pl.String)
        self._pending: list[pl.Series] = []

    def add(self, client_ids: pl.Series) -> None:
        self._pending.append(client_ids.drop_nulls().unique().rename("client_id"))

    def ids(self) -> pl.Series:
        return pl.concat([self._committed, *self._pending]) if self._pending else self._committed

    def keep_pending(self) -> None:
        if self._pending:
            self._committed = self.ids().unique()
            self._pending = []

    def forget_pending(self) -> None:
        self._pending = []


class _Batch:
    """Writes of one delivery inside its open transaction."""

    def __init__(self, con: duckdb.DuckDBPyConnection, centre: str, ident: str, load_seq: int,
                 loaded_at: datetime, known: _KnownClients) -> None:
        self.con, self.centre, self.ident, self.load_seq, self.loaded_at = con, centre, ident, load_seq, loaded_at
        self.known = known

    def load_file(self, delivered: DeliveredFile, kind_taken: bool) -> FileReport:
        kind = delivered.kind
        if kind is None:
            return FileReport(delivered.name, None, "ignored",
                              f"{delivered.name}: not an export file of the contract; ignored.",
                              sha256=delivered.sha256)
        if kind_taken:
            return FileReport(delivered.name, kind, "rejected",
                              f"{delivered.name}: the delivery holds another {kind} file; this one is rejected.",
                              sha256=delivered.sha256)
        export = FILES_BY_NAME[kind]
        try:
            if delivered.size > limits.FILE_BYTES:  # refused before its bytes are read
                raise FileRejected(too_large(delivered.size))
            data = delivered.read()
            table = read_table(delivered.name, data, {fold_header(c.header) for c in export.columns})
            del data
            checked = check_file(export, table)
        except FileRejected as rejection:
            return FileReport(delivered.name, kind, "rejected", f"{delivered.name}: {rejection}; file rejected.",
                              sha256=delivered.sha256)
        orphans = self._orphans(export, checked.loaded)  # before its rows join the raw table
        self._insert_rows(export, delivered, checked.loaded)
        if export.table == "clients":
            self.known.add(checked.loaded["client_id"])
        self._insert_quarantine(export, delivered, checked)
        warnings = pl.concat([checked.warnings, orphans, _unknown_columns(checked)], how="vertical") \
            if orphans.height or checked.unknown_headers else checked.warnings
        self._insert_warnings(kind, delivered, warnings)
        return FileReport(
            delivered.name, kind, "loaded", _unknown_column_note(delivered.name, checked),
            checked.rows_read, checked.loaded.height, checked.rows_quarantined, warnings.height,
            delivered.sha256, table.file_format, table.encoding, table.delimiter, _first_quarantined(checked),
        )

    def _lineage(self, delivered: DeliveredFile) -> dict[str, object]:
        """The lineage columns that are the same on every row of a file (`_source_row` is the row's own)."""
        return {
            "_centre": self.centre,
            "_delivery_id": self.ident,
            "_load_seq": self.load_seq,
            "_file_name": delivered.name,
            "_file_sha256": delivered.sha256,
            "_loaded_at": self.loaded_at,
        }

    def _insert(self, table: str, frame: pl.DataFrame, constants: dict[str, object] | None = None) -> None:
        """The frame's rows into `table`; `constants` (column -> value) bound as parameters, the same on
        every row, so they are neither built as columns in polars nor copied through Arrow."""
        if frame.height == 0:
            return
        constants = constants or {}
        columns = ", ".join([*frame.columns, *constants])
        values = ", ".join([*frame.columns, *["?"] * len(constants)])
        incoming = frame.to_arrow()  # noqa: F841  (read by DuckDB's replacement scan: cheaper than register)
        self.con.execute(f"INSERT INTO {table} ({columns}) SELECT {values} FROM incoming", list(constants.values()))

    def _insert_rows(self, export: ExportFile, delivered: DeliveredFile, loaded: pl.DataFrame) -> None:
        self._insert(f"raw.{export.table}",
                     loaded.select(*[c.name for c in export.columns], pl.col(ROW).alias("_source_row")),
                     self._lineage(delivered))

    def _meta(self, kind: str, delivered: DeliveredFile) -> list[pl.Expr]:
        return [
            pl.lit(self.ident).alias("delivery_id"),
            pl.lit(self.centre).alias("centre"),
            pl.lit(self.load_seq, pl.Int64).alias("load_seq"),
            pl.lit(delivered.name).alias("file_name"),
            pl.lit(kind).alias("file_kind"),
            pl.lit(self.loaded_at).alias("loaded_at"),
        ]

    def _insert_quarantine(self, export: ExportFile, delivered: DeliveredFile, checked: CheckedFile) -> None:
        # Reported text is masked where it holds a direct identifier (pipelines/privacy).
        if checked.quarantine.height == 0:
            return
        self._insert("meta.quarantine", mask_identifier_values(checked.quarantine, ["value"]).select(
            *self._meta(export.name, delivered), pl.lit(delivered.sha256).alias("file_sha256"),
            pl.col(ROW).alias("source_row"), "column_name", "value", "reason", "record",
        ))

    def _insert_warnings(self, kind: str, delivered: DeliveredFile, warnings: pl.DataFrame) -> None:
        if warnings.height == 0:
            return
        reported = redact_identifiers(mask_identifier_values(warnings, ["value"]), ["column_name", "message"])
        self._insert("meta.load_warnings", reported.select(
            *self._meta(kind, delivered), pl.col(ROW).alias("source_row"), "column_name", "value", "kind",
            "message",
        ))

    def _orphans(self, export: ExportFile, loaded: pl.DataFrame) -> pl.DataFrame:
        """Rows about to be loaded whose client the centre never delivered (this or any earlier delivery).

        Judged on the file's loaded rows against the centre's known clients (raw.clients as read
        once, with the clients of the deliveries loaded since; clients load first in a delivery),
        so neither raw.clients nor the raw table of the file's kind is read again."""
        referencing = [c for c in export.columns if c.references_client]
        if not referencing or loaded.height == 0:
            return pl.DataFrame(schema=WARNING_SCHEMA)
        header = referencing[0].header
        client = pl.col(referencing[0].name)
        orphans = loaded.filter(~client.is_in(self.known.ids().implode())).select(
            ROW, client.alias("client_id")).sort(ROW)
        if orphans.height == 0:
            return pl.DataFrame(schema=WARNING_SCHEMA)
        return orphans.select(
            pl.col(ROW).cast(pl.Int32),
            pl.lit(header).alias("column_name"),
            pl.col("client_id").alias("value"),
            pl.lit("orphan").alias("kind"),
            pl.format("client '{}' has not been delivered by centre " + self.centre
                      + "; the row is kept and counts once the client arrives", pl.col("client_id")).alias("message"),
        ).cast(WARNING_SCHEMA)

    def record(self, source: str, reports: list[FileReport]) -> None:
        if reports:  # one statement for all the files of the delivery
            row = "(" + ", ".join(["?"] * 16) + ")"
            self.con.execute(
                f"INSERT INTO meta.load_files VALUES {', '.join([row] * len(reports))}",
                [value for f in reports for value in (
                    self.ident, self.centre, self.load_seq, redact(f.file_name), f.file_kind, f.sha256,
                    f.file_format, f.encoding, f.delimiter, f.status, redact(f.message), f.rows_read, f.rows_loaded,
                    f.rows_quarantined, f.warnings, self.loaded_at)],
            )
        self.con.execute(
            "INSERT INTO meta.deliveries VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [self.ident, self.centre, self.load_seq, redact(source), self.loaded_at, len(reports),
             sum(f.rows_read for f in reports), sum(f.rows_loaded for f in reports),
             sum(f.rows_quarantined for f in reports)],
        )


def _first_quarantined(checked: CheckedFile) -> tuple[str, ...]:
    """The first quarantined rows, one reason each: where to look, without quoting a value."""
    if checked.quarantine.height == 0:
        return ()
    first = checked.quarantine.group_by(ROW, maintain_order=True).first().head(QUARANTINED_ROWS_SHOWN)
    return tuple(
        f"row {row}" + (f", column '{column}'" if column is not None else "") + f": {reason}"
        for row, column, reason in first.select(ROW, "column_name", "reason").iter_rows()
    )


def _unknown_columns(checked: CheckedFile) -> pl.DataFrame:
    if not checked.unknown_headers:
        return pl.DataFrame(schema=WARNING_SCHEMA)
    return pl.DataFrame(
        {
            ROW: [None] * len(checked.unknown_headers),
            "column_name": checked.unknown_headers,
            "value": [None] * len(checked.unknown_headers),
            "kind": ["unknown_column"] * len(checked.unknown_headers),
            "message": [f"the column '{h}' is not in the contract; ignored" for h in checked.unknown_headers],
        },
        schema=WARNING_SCHEMA,
    )


def _unknown_column_note(file_name: str, checked: CheckedFile) -> str | None:
    if not checked.unknown_headers:
        return None
    listed = ", ".join(f"'{h}'" for h in checked.unknown_headers)
    plural = "s" if len(checked.unknown_headers) > 1 else ""
    return f"{file_name}: column{plural} {listed} not in the contract; ignored."
