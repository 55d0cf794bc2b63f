"""What a delivery changed (issue 15 item 2; docs/routine.md, "What changed").

From the raw layer (every version of every record, with lineage), per delivery and file:
- `new`: keys the centre had not delivered before (in a delivery not set aside); for the
  clients file these are the new clients;
- `corrected`: a later version of a key already loaded whose content differs (or that brings a
  retracted record back); `unchanged`: the same content delivered again;
- `retracted`: `Smazáno` = ano for a key that was live; `retracted_unknown`: for a key that was
  never delivered or already retracted (it changes nothing);
- `orphans_resolved` (on the clients file): records of earlier deliveries that named a client
  the centre had not delivered, whose client arrives in this delivery, per file kind;
- `months`: the months of the dates of the delivery's records and of the versions they replace.

And how the headline figures (clients reached, new clients, contacts; exact, per centre and
month) moved: each build records them in its warehouse file (`record_headlines`, called by
reach/build.py before publishing) under `build_history.headline_figures`, keyed by the last
delivery the build included (`loaded_through`), with the figures of earlier builds carried over
(the last HISTORY_BUILDS). `headline_moves` compares the first build that included a delivery
with the build before it. Several deliveries loaded between two builds share one movement
(`shared_with` lists them). A rebuild of the same deliveries replaces its record, so rebuilding
changes nothing here.

These figures are EXACT and internal (the steward's and the analyst's review): a page must show
them protected, through the metric layer's disclosure rule, or only to the roles allowed to
switch protection off (access.md), audited. Nothing here writes them to a log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

from pipelines.access import EVERYTHING
from pipelines.contract import FILES, ExportFile
from pipelines.database import attach, insert_rows
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest.raw_schema import RAW_CATALOG, connect_raw_layer
from pipelines.raw_views import create_kept_views

HEADLINES = ("clients_reached", "new_clients", "contacts")
HISTORY_SCHEMA = "build_history"
HISTORY_TABLE = f"{HISTORY_SCHEMA}.headline_figures"
HISTORY_BUILDS = 24  # builds whose figures a warehouse keeps
KEPT = "memory.kept"  # the kept views (no set-aside deliveries), in the connection's own catalog
# The date that places each kind of record in a month.
RECORD_DATE = {"clients": "registered_on", "contacts": "contact_date", "courses": "starts_on",
               "course_enrolments": "enrolled_on", "events": "event_date", "outcomes": "outcome_date"}


@dataclass(frozen=True)
class FileChanges:
    file_name: str
    file_kind: str
    records: int  # distinct keys in the file (the latest row of a key repeated within it)
    new: int
    corrected: int
    unchanged: int
    retracted: int
    retracted_unknown: int
    orphans_resolved: dict[str, int] = field(default_factory=dict)  # clients file: file kind -> records


@dataclass(frozen=True)
class DeliveryChanges:
    delivery_id: str
    centre: str
    load_seq: int
    source: str
    set_aside: bool
    files: tuple[FileChanges, ...]
    months: tuple[str, ...]  # YYYY-MM

    @property
    def new_clients(self) -> int:
        return sum(f.new for f in self.files if f.file_kind == "klienti")

    @property
    def orphans_resolved(self) -> int:
        return sum(n for f in self.files for n in f.orphans_resolved.values())

    def total(self, name: str) -> int:
        return sum(getattr(f, name) for f in self.files)


def delivery_changes(home: Home, delivery_id: str | None = None) -> list[DeliveryChanges]:
    """What each delivery (in load order), or the one named, changed."""
    if not home.raw_db.exists():
        raise ReachError(f"Nothing is loaded in {home.root}: {home.raw_db} does not exist.")
    con = connect_raw_layer(str(home.raw_db), read_only=True)
    try:
        con.execute("CREATE SCHEMA IF NOT EXISTS memory.kept_meta")
        create_kept_views(con, raw_catalog=RAW_CATALOG, into_catalog="memory", raw_schema="kept",
                          meta_schema="kept_meta")
        set_aside = _set_aside(con)
        rows = con.execute("SELECT delivery_id, centre, load_seq, source FROM meta.deliveries "
                           + ("WHERE delivery_id = ? " if delivery_id else "") + "ORDER BY load_seq",
                           [delivery_id] if delivery_id else []).fetchall()
        if delivery_id and not rows:
            raise ReachError(f"No loaded delivery has the ID '{delivery_id}'.")
        return [_changes(con, ident, centre, seq, source, ident in set_aside) for ident, centre, seq, source in rows]
    finally:
        con.close()


def _set_aside(con: duckdb.DuckDBPyConnection) -> set[str]:
    exists = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = ? AND schema_name = 'meta' "
                         "AND table_name = 'set_aside_deliveries'", [RAW_CATALOG]).fetchall()[0][0]
    if not exists:
        return set()
    return {r[0] for r in con.execute("SELECT delivery_id FROM meta.set_aside_deliveries").fetchall()}


def _changes(con: duckdb.DuckDBPyConnection, ident: str, centre: str, seq: int, source: str,
             set_aside: bool) -> DeliveryChanges:
    files: list[FileChanges] = []
    months: set[str] = set()
    for export in FILES:
        found = _file_changes(con, export, ident, centre, seq)
        if found is None:
            continue
        changes, touched = found
        if export.table == "clients":
            changes = FileChanges(**{**changes.__dict__, "orphans_resolved": _orphans_resolved(con, ident, centre,
                                                                                              seq)})
        files.append(changes)
        months |= touched
    return DeliveryChanges(ident, centre, seq, source, set_aside, tuple(files), tuple(sorted(months)))


def _versions(export: ExportFile, ident: str, centre: str, seq: int) -> tuple[str, str, list[Any]]:
    keys = ", ".join(c.name for c in export.key_columns)
    this = (f"SELECT * FROM raw.{export.table} WHERE _delivery_id = ? "
            f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _source_row DESC) = 1")
    before = (f"SELECT * FROM {KEPT}.{export.table} WHERE _centre = ? AND _load_seq < ? "
              f"QUALIFY row_number() OVER (PARTITION BY {keys} ORDER BY _load_seq DESC, _source_row DESC) = 1")
    return this, before, [ident, centre, seq]


def _file_changes(con: duckdb.DuckDBPyConnection, export: ExportFile, ident: str, centre: str,
                  seq: int) -> tuple[FileChanges, set[str]] | None:
    this, before, params = _versions(export, ident, centre, seq)
    content = [c.name for c in export.columns if not c.key and c.name != "deleted"]
    differs = " OR ".join(f"d.{c} IS DISTINCT FROM p.{c}" for c in content) or "false"
    on = " AND ".join(f"d.{c.name} = p.{c.name}" for c in export.key_columns)
    live_d, live_p, seen = "NOT coalesce(d.deleted, false)", "NOT coalesce(p.deleted, false)", "p._load_seq IS NOT NULL"
    date = RECORD_DATE.get(export.table)
    months = (f"[strftime(d.{date}, '%Y-%m'), strftime(p.{date}, '%Y-%m')]" if date else "[]::VARCHAR[]")
    rows = con.execute(f"""
        SELECT any_value(d._file_name),
               count(*) FILTER (WHERE NOT ({seen}) AND {live_d}),
               count(*) FILTER (WHERE {seen} AND {live_d} AND (NOT ({live_p}) OR {differs})),
               count(*) FILTER (WHERE {seen} AND {live_d} AND {live_p} AND NOT ({differs})),
               count(*) FILTER (WHERE {seen} AND NOT ({live_d}) AND {live_p}),
               count(*) FILTER (WHERE NOT ({live_d}) AND (NOT ({seen}) OR NOT ({live_p}))),
               count(*),
               list_distinct(flatten(list({months})))
        FROM ({this}) AS d LEFT JOIN ({before}) AS p ON {on}
        HAVING count(*) > 0
    """, params).fetchall()
    if not rows:
        return None
    file_name, new, corrected, unchanged, retracted, unknown, records, touched = rows[0]
    changes = FileChanges(file_name, export.name, records, new, corrected, unchanged, retracted, unknown)
    return changes, {m for m in touched or [] if m is not None}


def _orphans_resolved(con: duckdb.DuckDBPyConnection, ident: str, centre: str, seq: int) -> dict[str, int]:
    """Earlier records naming a client that arrives (for the first time, live) in this delivery."""
    arrived = (f"SELECT DISTINCT client_id FROM raw.clients WHERE _delivery_id = ? AND NOT coalesce(deleted, false) "
               f"AND client_id NOT IN (SELECT client_id FROM {KEPT}.clients WHERE _centre = ? AND _load_seq < ?)")
    out: dict[str, int] = {}
    for export in FILES:
        if not any(c.references_client for c in export.columns):
            continue
        _, before, _ = _versions(export, ident, centre, seq)
        [(count,)] = con.execute(
            f"SELECT count(*) FROM ({before}) AS p WHERE NOT coalesce(p.deleted, false) "
            f"AND p.client_id IN ({arrived})", [centre, seq, ident, centre, seq]).fetchall()
        if count:
            out[export.name] = count
    return out


# --- headline figures per build ------------------------------------------------------------------------


def record_headlines(build_db: Path, home: Home) -> None:
    """Write this build's headline figures (exact, per centre and month) into `build_db`, with those of
    earlier builds carried over from the published warehouse. Called by reach/build.py before publishing."""
    from pipelines.metrics import MetricQuery, compute
    from pipelines.metrics.periods import data_coverage
    from pipelines.metrics.protection import Protection

    con = duckdb.connect(str(build_db))
    try:
        [(loaded_through,)] = con.execute("SELECT coalesce(max(load_seq), 0) FROM mart_deliveries").fetchall()
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {HISTORY_SCHEMA}")
        con.execute(f"CREATE OR REPLACE TABLE {HISTORY_TABLE} (loaded_through BIGINT NOT NULL, centre VARCHAR NOT "
                    "NULL, month VARCHAR NOT NULL, metric VARCHAR NOT NULL, value DOUBLE)")
        _carry_over(con, home, loaded_through)
        coverage = data_coverage(con, EVERYTHING)
        if coverage is not None:
            frame = compute(con, MetricQuery(coverage.first, coverage.last, HEADLINES, ("centre", "month"),
                                             protection=Protection.EXACT, scope=EVERYTHING)).frame
            rows = [(loaded_through, row["centre"], row["month"], metric, row[metric])
                    for row in frame.iter_rows(named=True) for metric in HEADLINES if row[metric] is not None]
            if rows:
                insert_rows(con, HISTORY_TABLE, ("loaded_through", "centre", "month", "metric", "value"), rows)
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _carry_over(con: duckdb.DuckDBPyConnection, home: Home, loaded_through: int) -> None:
    if not home.warehouse_db.exists():
        return
    attach(con, home.warehouse_db, "published", read_only=True)
    try:
        present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'published' "
                              "AND schema_name = ? AND table_name = 'headline_figures'", [HISTORY_SCHEMA]).fetchall()
        if present[0][0]:
            con.execute(f"""
                INSERT INTO {HISTORY_TABLE}
                SELECT * FROM published.{HISTORY_TABLE} WHERE loaded_through IN (
                    SELECT DISTINCT loaded_through FROM published.{HISTORY_TABLE} WHERE loaded_through <> ?
                    ORDER BY loaded_through DESC LIMIT {HISTORY_BUILDS - 1})
            """, [loaded_through])
    finally:
        con.execute("DETACH published")


@dataclass(frozen=True)
class MonthMove:
    month: str
    metric: str
    before: float | None  # None: no earlier build had a figure for it
    after: float | None
    touched: bool  # one of the delivery's months

    @property
    def change(self) -> float:
        return (self.after or 0) - (self.before or 0)


@dataclass(frozen=True)
class HeadlineMoves:
    delivery_id: str
    centre: str
    built: bool  # False: no published build includes the delivery yet
    before_loaded_through: int | None
    after_loaded_through: int | None
    shared_with: tuple[str, ...]  # other deliveries of the same step (loaded between the two builds)
    moves: tuple[MonthMove, ...]  # months whose figures moved, and every month the delivery touched


def headline_moves(home: Home, delivery_id: str) -> HeadlineMoves:
    """How the headline figures of the delivery's centre moved with the first build that included it."""
    [changes] = delivery_changes(home, delivery_id)
    if not home.warehouse_db.exists():
        return HeadlineMoves(delivery_id, changes.centre, False, None, None, (), ())
    with duckdb.connect(str(home.warehouse_db), read_only=True) as con:
        present = con.execute("SELECT count(*) FROM duckdb_tables() WHERE schema_name = ? "
                              "AND table_name = 'headline_figures'", [HISTORY_SCHEMA]).fetchall()[0][0]
        steps = [r[0] for r in con.execute(f"SELECT DISTINCT loaded_through FROM {HISTORY_TABLE} ORDER BY 1"
                                           ).fetchall()] if present else []
        after = next((s for s in steps if s >= changes.load_seq), None)
        if after is None:
            return HeadlineMoves(delivery_id, changes.centre, False, None, None, (), ())
        before = max((s for s in steps if s < changes.load_seq), default=None)
        figures = con.execute(
            f"SELECT loaded_through, month, metric, value FROM {HISTORY_TABLE} WHERE centre = ? "
            "AND loaded_through IN (?, ?)", [changes.centre, after, -1 if before is None else before]).fetchall()
        shared = [r[0] for r in con.execute(
            "SELECT delivery_id FROM mart_deliveries WHERE load_seq > ? AND load_seq <= ? AND delivery_id <> ? "
            "ORDER BY load_seq", [-1 if before is None else before, after, delivery_id]).fetchall()]
    values: dict[tuple[str, str], dict[str, float]] = {}
    for step, month, metric, value in figures:
        values.setdefault((month, metric), {})["after" if step == after else "before"] = value
    touched = set(changes.months)
    moves = [MonthMove(month, metric, v.get("before"), v.get("after"), month in touched)
             for (month, metric), v in sorted(values.items())
             if v.get("before") != v.get("after") or month in touched]
    return HeadlineMoves(delivery_id, changes.centre, True, before, after, tuple(shared), tuple(moves))
