"""Who has delivered: the delivery calendar of centres x months (issue 11 item 5; docs/quality.md).

An export names no period of its own (export-format.md: a delivery may hold records of any
dates), so the months a delivery delivers follow from its records:

- A delivery **brings** month M when it holds a record dated in M (`DATED`: the dates of what
  happened, not planned course dates) that is new to the centre, or a version of a record that
  differs from the one delivered before (a correction or a retraction; a record moved out of M by
  a correction brings M too). An unchanged repeat brings nothing. Dates after the month the
  delivery was loaded in are not delivered months (a plan or a typing error).
- A month is **delivered** by the first delivery (load order) that brings it, **late** if that
  delivery was loaded after the month's due date (`due_date`, config/deliveries.yaml), and
  **corrected later** if a later delivery brings it too.
- A month nothing brought is **missing** once its due date has passed, **not yet due** before;
  a month outside the centre's project period (seeds/ref_centres.csv, where known) is not expected.

Only the deliveries the published warehouse was built from count (`mart_deliveries`: loaded,
not set aside when it was built), so the calendar describes the figures on show. Their record
versions are read from the raw layer (raw.duckdb, read-only), the only place that keeps every
version. The calendar spans the months delivered to date, warehouse-wide: the first to the last
month any delivery brought a contact, event or outcome of (`delivered_span`). Its rows are the
centres that delivered; once several centres have delivered (the national roll-up), every centre
of the seed. It holds centre codes and months, no personal
data; a reader narrows it to the user's scope (`Calendar.within`).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache, lru_cache
from pathlib import Path

import duckdb
import polars as pl
import yaml

from pipelines.access import Scope
from pipelines.changes import RECORD_DATE
from pipelines.contract import FILES
from pipelines.database import identifier, insert_rows
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.metrics.catalogue import month_label
from pipelines.reference.centres import Centre
from pipelines.reference.centres import centres as seed_centres

DEFAULT_SETTINGS = Path(__file__).resolve().parent.parent / "config" / "deliveries.yaml"
SETTINGS_ENV = "REACH_DELIVERIES"  # another settings file (tests, a deployment's own)
# Courses and enrolments carry planned dates (a course announced for next month); the rest dates
# what happened. The date of each record kind is stated once, in pipelines.changes.
PLANNED = ("courses", "course_enrolments")
DATED = {table: column for table, column in RECORD_DATE.items() if table not in PLANNED}
REGISTRATIONS = ("clients",)  # dated by a first registration, which may lie years before the data (no range)
MAX_DUE_DAY = 28  # a day every month has


class Status(StrEnum):
    ON_TIME = "on_time"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"  # not delivered, not yet due
    NOT_EXPECTED = "not_expected"  # outside the centre's project period


INCOMPLETE = (Status.MISSING, Status.PENDING)  # a month whose figures lack the centre's delivery


@dataclass(frozen=True)
class Settings:
    due_day: int = 10


def load_settings(path: str | os.PathLike[str] | None = None) -> Settings:
    """The due day from config/deliveries.yaml (or the file named by env REACH_DELIVERIES)."""
    chosen = Path(path or os.environ.get(SETTINGS_ENV) or DEFAULT_SETTINGS)
    try:
        text = chosen.read_text(encoding="utf-8")
    except OSError as error:
        raise ReachError(f"Cannot read the delivery settings {chosen}: {error}") from None
    return _settings_of(str(chosen), text)


@lru_cache(maxsize=8)
def _settings_of(chosen: str, text: str) -> Settings:
    """The file's text parsed once (the dashboard asks on every page; reading is cheap, YAML is
    not): keyed by the text, so an edit takes effect at once. Errors are not kept by lru_cache."""
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as error:
        raise ReachError(f"Cannot read the delivery settings {chosen}: {error}") from None
    due_day = data.get("due_day", Settings.due_day) if isinstance(data, dict) else None
    if isinstance(due_day, bool) or not isinstance(due_day, int) or not 1 <= due_day <= MAX_DUE_DAY:
        raise ReachError(f"{chosen}: due_day must be a whole number from 1 to {MAX_DUE_DAY}; got {due_day!r}.")
    return Settings(due_day)


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def due_date(month: date, settings: Settings) -> date:
    """THE rule: a month's export is due by the end of day `due_day` of the next month."""
    return next_month(month).replace(day=settings.due_day)


@dataclass(frozen=True)
class Delivery:
    """A delivery the published warehouse was built from (mart_deliveries)."""

    delivery_id: str
    centre: str
    load_seq: int
    loaded_at: datetime


@dataclass(frozen=True)
class Brought:
    """Delivery `load_seq` of `centre` brought records dated in `month` (first day)."""

    centre: str
    month: date
    load_seq: int
    activity: bool = True  # dated by an activity (contact, event, outcome), not by a registration


@dataclass(frozen=True)
class Cell:
    centre: str
    month: date  # first day
    status: Status
    corrected: bool = False  # a later delivery brought the month again
    loaded_at: datetime | None = None  # of the delivery that first brought it

    @property
    def incomplete(self) -> bool:
        return self.status in INCOMPLETE


@dataclass(frozen=True)
class Calendar:
    months: tuple[date, ...]
    centres: tuple[str, ...]
    cells: dict[tuple[str, date], Cell]
    settings: Settings

    def cell(self, centre: str, month: date) -> Cell:
        return self.cells[(centre, month)]

    def within(self, scope: Scope) -> Calendar:
        """Only the rows of the centres in `scope` (a coordinator sees their centre's row)."""
        if scope.everything:
            return self
        kept = tuple(c for c in self.centres if c in scope.centres)
        return Calendar(self.months, kept, {k: v for k, v in self.cells.items() if k[0] in kept}, self.settings)

    def incomplete(self, date_from: date, date_to: date,
                   centres: Collection[str] | None = None) -> dict[str, list[date]]:
        """Per centre (of `centres`, default all rows), the months overlapping the period not yet delivered."""
        found: dict[str, list[date]] = {}
        for centre in self.centres:
            if centres is not None and centre not in centres:
                continue
            months = [m for m in self.months if m <= date_to and next_month(m) > date_from
                      and self.cells[(centre, m)].incomplete]
            if months:
                found[centre] = months
        return found


# --- what the warehouse and the raw layer say -----------------------------------------------------

def _has_table(warehouse: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse on `warehouse` (its catalog current) has the table `name`."""
    return bool(warehouse.execute("SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
                                  "current_database() AND table_name = ?", [name]).fetchall()[0][0])


def included_deliveries(warehouse: duckdb.DuckDBPyConnection) -> list[Delivery]:
    """The deliveries the warehouse on `warehouse` (its catalog current) was built from."""
    if not _has_table(warehouse, "mart_deliveries"):
        return []
    rows = warehouse.execute("SELECT delivery_id, centre, load_seq, loaded_at FROM mart_deliveries "
                             "ORDER BY load_seq").fetchall()
    return [Delivery(*row) for row in rows]


def _brought_sql(table: str, date_column: str) -> str:
    """Months each delivery brings of one raw table (names from the contract, never from input).

    A key delivered in one row only is new where it comes: its row brings its month, no comparison
    needed. Only the keys delivered more than once (corrections, retractions, repeats) are compared
    version by version, by a hash of their content, so the cost stays near one pass over the table.
    """
    export = next(f for f in FILES if f.table == table)
    keys = [identifier(c.name) for c in export.key_columns]
    key_list = ", ".join(keys)
    r_keys = ", ".join(f"r.{k}" for k in keys)
    on_keys = " AND ".join(f"m.{k} = r.{k}" for k in keys)
    content = ", ".join(f"r.{identifier(c.name)}" for c in export.columns if not c.key)
    day = identifier(date_column)
    return f"""
WITH loaded AS MATERIALIZED (
    SELECT r._centre AS centre, r._load_seq AS load_seq, {r_keys}, r.{day} AS day,
           date_trunc('month', i.loaded_at)::DATE AS load_month
    FROM raw.{identifier(table)} AS r JOIN included AS i ON i.delivery_id = r._delivery_id
), multi AS MATERIALIZED (
    SELECT centre, {key_list} FROM loaded GROUP BY centre, {key_list} HAVING count(*) > 1
), versions AS (
    SELECT r._centre AS centre, r._load_seq AS load_seq, {r_keys}, r.{day} AS day, hash({content}) AS content,
           date_trunc('month', i.loaded_at)::DATE AS load_month
    FROM raw.{identifier(table)} AS r JOIN included AS i ON i.delivery_id = r._delivery_id
    SEMI JOIN multi AS m ON m.centre = r._centre AND {on_keys}
    QUALIFY row_number() OVER (PARTITION BY r._delivery_id, {r_keys} ORDER BY r._source_row DESC) = 1
), compared AS (
    SELECT centre, load_seq, load_month, day, lag(day) OVER w AS day_before,
           (row_number() OVER w = 1 OR content IS DISTINCT FROM lag(content) OVER w) AS changed
    FROM versions
    WINDOW w AS (PARTITION BY centre, {key_list} ORDER BY load_seq)
), months AS (
    SELECT centre, load_seq, load_month, day FROM loaded AS r ANTI JOIN multi AS m ON m.centre = r.centre AND {on_keys}
    UNION ALL
    SELECT centre, load_seq, load_month, day FROM compared WHERE changed
    UNION ALL
    SELECT centre, load_seq, load_month, day_before FROM compared WHERE changed
)
SELECT DISTINCT centre, date_trunc('month', day)::DATE AS month, load_seq FROM months
WHERE day IS NOT NULL AND date_trunc('month', day) <= load_month
"""


def brought_months(raw_db: Path, deliveries: Sequence[Delivery]) -> list[Brought]:
    """What each of `deliveries` brought (module docstring), read from the raw layer at `raw_db`."""
    if not deliveries:
        return []
    if not raw_db.exists():
        raise ReachError(f"The delivery calendar needs the raw layer {raw_db}, which does not exist.")
    try:
        con = connect_raw_layer(str(raw_db), read_only=True)
    except duckdb.IOException as error:
        raise ReachError(f"The delivery calendar cannot read {raw_db} now ({str(error).splitlines()[0]}); "
                         "is a load running? Try again when it has finished.") from None
    try:
        included = pl.DataFrame([d.__dict__ for d in deliveries],
                                schema={"delivery_id": pl.String, "centre": pl.String, "load_seq": pl.Int64,
                                        "loaded_at": pl.Datetime("us")})
        con.register("included", included)
        found: set[tuple[str, date, int, bool]] = set()
        for table, column in DATED.items():
            found |= {(*row, table not in REGISTRATIONS) for row in con.execute(_brought_sql(table, column)).fetchall()}
        return [Brought(*row) for row in sorted(found)]
    finally:
        con.close()


# --- the calendar (pure: the oracle tests give it hand-made facts) ----------------------------------

def month_range(first: date, last: date) -> tuple[date, ...]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = next_month(month)
    return tuple(months)


def delivered_span(brought: Sequence[Brought]) -> tuple[date, ...]:
    """The calendar's months: the first to the last month any delivery brought an activity of
    (registrations only where no activity was delivered at all)."""
    dated = [b.month for b in brought if b.activity] or [b.month for b in brought]
    return month_range(min(dated), max(dated)) if dated else ()


@cache
def _seed() -> dict[str, Centre]:
    return {c.code: c for c in seed_centres()}


def _expected(centre: str, month: date) -> bool:
    known = _seed().get(centre)
    if known is None or known.project_from is None or known.project_to is None:
        return True  # no project period in the seed: every month of the calendar
    return known.project_from.replace(day=1) <= month <= known.project_to


def _rows(deliveries: Iterable[Delivery]) -> tuple[str, ...]:
    """The centres that delivered; every centre of the seed once several have (the national roll-up)."""
    delivered = {d.centre for d in deliveries}
    codes = [c.code for c in seed_centres()]
    chosen = delivered | set(codes) if len(delivered) > 1 else delivered
    return tuple([c for c in codes if c in chosen] + sorted(chosen - set(codes)))


def build_calendar(deliveries: Sequence[Delivery], brought: Iterable[Brought], months: tuple[date, ...],
                   settings: Settings, today: date) -> Calendar:
    """Every cell's status from the deliveries and what they brought (module docstring)."""
    loaded = {(d.centre, d.load_seq): d.loaded_at for d in deliveries}
    by_cell: dict[tuple[str, date], set[int]] = {}
    for fact in brought:
        by_cell.setdefault((fact.centre, fact.month), set()).add(fact.load_seq)
    centres = _rows(deliveries)
    cells: dict[tuple[str, date], Cell] = {}
    for centre in centres:
        for month in months:
            seqs = sorted(by_cell.get((centre, month), ()))
            due = due_date(month, settings)
            if seqs:
                first = loaded[(centre, seqs[0])]
                status = Status.LATE if first.date() > due else Status.ON_TIME
                cells[(centre, month)] = Cell(centre, month, status, len(seqs) > 1, first)
            elif not _expected(centre, month):
                cells[(centre, month)] = Cell(centre, month, Status.NOT_EXPECTED)
            else:
                cells[(centre, month)] = Cell(centre, month, Status.PENDING if today <= due else Status.MISSING)
    return Calendar(months, centres, cells, settings)


@dataclass(frozen=True)
class Deliveries:
    """What a calendar is made of, read once per build: the counted deliveries and what they brought."""

    deliveries: tuple[Delivery, ...]
    brought: tuple[Brought, ...]

    def calendar(self, settings: Settings | None = None, today: date | None = None) -> Calendar:
        return build_calendar(self.deliveries, self.brought, delivered_span(self.brought),
                              settings or load_settings(), today or date.today())


BROUGHT_TABLE = "delivery_months"  # what the build's deliveries brought, written by the build (record_brought)
BROUGHT_METHOD_TABLE = "delivery_months_method"  # how it was worked out (_method): reused only by the same method


def _method() -> str:
    """A digest of how the brought months are worked out: a build reuses an earlier build's only if equal."""
    text = "\n".join(_brought_sql(table, column) for table, column in sorted(DATED.items()))
    return hashlib.sha256(f"{text}\n{REGISTRATIONS}".encode()).hexdigest()


def brought_since(raw_db: Path, deliveries: Sequence[Delivery], earlier: Sequence[Delivery],
                  earlier_brought: Sequence[Brought]) -> list[Brought]:
    """What `deliveries` brought, as brought_months says, reusing what an earlier build worked out.

    What a delivery brings depends only on its centre's deliveries up to it in load order (each
    record is compared with its versions before): so where a centre's deliveries begin with the
    same ones as the earlier build's (`earlier`, with `earlier_brought`), those keep their months;
    only a centre with a new, restored or set-aside delivery is read from the raw layer again. A
    month's routine (one new delivery) reads one centre's records instead of every centre's."""
    reused: set[int] = set()
    for centre in {d.centre for d in deliveries}:
        now = sorted((d for d in deliveries if d.centre == centre), key=lambda d: d.load_seq)
        before = sorted((d for d in earlier if d.centre == centre), key=lambda d: d.load_seq)
        for current, previous in zip(now, before, strict=False):
            if current != previous:
                break
            reused.add(current.load_seq)
    changed = {d.centre for d in deliveries if d.load_seq not in reused}
    fresh = brought_months(raw_db, [d for d in deliveries if d.centre in changed]) if changed else []
    found = [b for b in earlier_brought if b.load_seq in reused] + [b for b in fresh if b.load_seq not in reused]
    return sorted(found, key=lambda b: (b.centre, b.month, b.load_seq, b.activity))


def _earlier(warehouse_db: Path) -> tuple[list[Delivery], list[Brought]]:
    """The deliveries and brought months the published warehouse recorded by this method; none if it
    has none, used another method, or cannot be read now (then everything is worked out again)."""
    if not warehouse_db.exists():
        return [], []
    try:
        with duckdb.connect(str(warehouse_db), read_only=True) as con:
            if not _has_table(con, BROUGHT_METHOD_TABLE):
                return [], []
            if con.execute(f"SELECT method FROM {BROUGHT_METHOD_TABLE}").fetchall() != [(_method(),)]:
                return [], []
            return included_deliveries(con), _recorded_brought(con) or []
    except duckdb.Error:
        return [], []


def record_brought(build_db: Path, home: Home) -> None:
    """Write what the deliveries of the new build file brought into it (table BROUGHT_TABLE), so readers
    (every `reach metrics`, the dashboard's first view of a build) read a small table, not the raw layer.
    What the published warehouse recorded is reused where it still holds (brought_since).
    Called by reach/build.py before publishing."""
    earlier, earlier_brought = _earlier(home.warehouse_db)
    con = duckdb.connect(str(build_db))
    try:
        brought = brought_since(home.raw_db, included_deliveries(con), earlier, earlier_brought)
        con.execute(f"CREATE OR REPLACE TABLE {BROUGHT_TABLE} (centre VARCHAR NOT NULL, month DATE NOT NULL, "
                    "load_seq BIGINT NOT NULL, activity BOOLEAN NOT NULL)")
        if brought:
            insert_rows(con, BROUGHT_TABLE, ("centre", "month", "load_seq", "activity"),
                        [(b.centre, b.month, b.load_seq, b.activity) for b in brought])
        con.execute(f"CREATE OR REPLACE TABLE {BROUGHT_METHOD_TABLE} AS SELECT $method AS method",
                    {"method": _method()})
        con.execute("CHECKPOINT")
    finally:
        con.close()


def _recorded_brought(warehouse: duckdb.DuckDBPyConnection) -> list[Brought] | None:
    """What the build recorded (record_brought); None for a warehouse built before it did."""
    if not _has_table(warehouse, BROUGHT_TABLE):
        return None
    rows = warehouse.execute(f"SELECT centre, month, load_seq, activity FROM {BROUGHT_TABLE} "
                             "ORDER BY centre, month, load_seq, activity").fetchall()
    return [Brought(*row) for row in rows]


def read_deliveries(home: Home, warehouse: duckdb.DuckDBPyConnection) -> Deliveries:
    """The deliveries of the warehouse on `warehouse` (its catalog current) and what they brought: as its
    build recorded it, or, for a warehouse built before builds recorded it, from the raw layer."""
    deliveries = included_deliveries(warehouse)
    recorded = _recorded_brought(warehouse)
    brought = recorded if recorded is not None else brought_months(home.raw_db, deliveries)
    return Deliveries(tuple(deliveries), tuple(brought))


def delivery_calendar(home: Home, warehouse: duckdb.DuckDBPyConnection, *, settings: Settings | None = None,
                      today: date | None = None) -> Calendar:
    """The calendar of the warehouse on `warehouse`, every centre; narrow it with `Calendar.within(scope)`
    before showing it."""
    return read_deliveries(home, warehouse).calendar(settings, today)


def incomplete_line(missing: dict[str, list[date]]) -> str:
    """The notice `reach metrics` writes beside figures whose months lack deliveries (English, then Czech)."""
    items = "; ".join(f"{centre} {', '.join(m.strftime('%Y-%m') for m in months)}"
                      for centre, months in missing.items())
    return (f"Incomplete figures: not yet delivered: {items}. "
            f"(Neúplné údaje: zatím nedodáno: {items}.)")


# The incomplete-figures note of the documents (board pack, ministry workbook, chart exports): one wording.
INCOMPLETE_NOTE = {
    "cs": "Neúplné údaje: v období zatím chybí dodávky {items}. Údaje těchto měsíců jsou neúplné.",
    "en": "Incomplete figures: the period lacks the deliveries of {items}. The figures of these months are "
          "incomplete.",
}
INCOMPLETE_UNKNOWN = {
    "cs": "Zda jsou dodávky úplné, nelze ověřit: {reason}",
    "en": "Whether the deliveries are complete cannot be checked: {reason}",
}


def missing_items(missing: dict[str, list[date]], lang: str) -> str:
    """`LBK (úno 2023); PHA, STC (led 2023, úno 2023)`: centres missing the same months named together."""
    groups: dict[tuple[date, ...], list[str]] = {}
    for centre, months in missing.items():
        groups.setdefault(tuple(months), []).append(centre)
    return "; ".join(f"{', '.join(centres)} ({', '.join(month_label(m.strftime('%Y-%m'), lang) for m in months)})"
                     for months, centres in groups.items())


def incomplete_note(missing: dict[str, list[date]], lang: str) -> str:
    """The documents' note naming the centres and months of a period not yet delivered ("" when none is missing)."""
    return INCOMPLETE_NOTE[lang].format(items=missing_items(missing, lang)) if missing else ""
