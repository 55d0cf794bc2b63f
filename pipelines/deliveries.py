"""Deliveries as loaded, and setting one aside: `reach deliveries list|set-aside|restore`.

Setting a delivery aside is the audited way out when a delivery's data should not count and a
correction cannot lift it (pipelines/raw_views.py): its rows stay in the append-only raw layer
and its record stays in meta.deliveries (so loading the same files again is still recognised
as "already loaded"), but the build's sources and the gate leave it out from the next
`reach build` on. Restoring it makes it count again. The register is one table in raw.duckdb,
`meta.set_aside_deliveries`, one row per delivery set aside now; the history of who set aside
or restored what, when and why is in the audit log (pipelines/audit.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import duckdb

from pipelines import audit
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.ingest.raw_schema import connect_raw_layer
from pipelines.raw_views import META_SCHEMA, SET_ASIDE_TABLE

REGISTER = f"{META_SCHEMA}.{SET_ASIDE_TABLE}"
REGISTER_DDL = f"""
CREATE TABLE IF NOT EXISTS {REGISTER} (
    delivery_id VARCHAR PRIMARY KEY,   -- meta.deliveries.delivery_id
    set_aside_at TIMESTAMP NOT NULL,   -- local time
    set_aside_by VARCHAR NOT NULL,     -- audit user
    reason VARCHAR NOT NULL
)
"""
MIN_PREFIX = 8  # a delivery may be named by the first 8+ characters of its ID
SHORT_ID = 12  # characters of the ID `reach deliveries list` prints
ACTION_SET_ASIDE = "delivery.set_aside"
ACTION_RESTORE = "delivery.restore"


@dataclass(frozen=True)
class DeliveryRecord:
    delivery_id: str
    centre: str
    load_seq: int
    source: str
    loaded_at: datetime
    files: int
    rows_read: int
    rows_loaded: int
    rows_quarantined: int
    set_aside_at: datetime | None = None
    set_aside_by: str | None = None
    reason: str | None = None

    @property
    def set_aside(self) -> bool:
        return self.set_aside_at is not None

    def describe(self) -> str:
        return (f"delivery {self.delivery_id[:SHORT_ID]} (load {self.load_seq}, centre {self.centre}, "
                f"{audit.printable(self.source)})")


def _open(home: Home, *, write: bool) -> duckdb.DuckDBPyConnection:
    if not home.raw_db.exists():
        raise ReachError(f"Nothing is loaded in {home.root}: {home.raw_db} does not exist.")
    try:
        return connect_raw_layer(str(home.raw_db), read_only=not write)
    except duckdb.IOException as error:
        raise ReachError(
            f"Cannot open {home.raw_db} ({str(error).splitlines()[0]}); is a load, build or check running? "
            "Try again when it has finished."
        ) from None


def _has_register(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = ? AND table_name = ?", [META_SCHEMA, SET_ASIDE_TABLE]).fetchall()[0][0])


def _records(con: duckdb.DuckDBPyConnection) -> list[DeliveryRecord]:
    register = (f"LEFT JOIN {REGISTER} s USING (delivery_id)" if _has_register(con)
                else "LEFT JOIN (SELECT NULL::VARCHAR AS delivery_id, NULL::TIMESTAMP AS set_aside_at, "
                     "NULL::VARCHAR AS set_aside_by, NULL::VARCHAR AS reason) s USING (delivery_id)")
    rows = con.execute(
        "SELECT d.delivery_id, d.centre, d.load_seq, d.source, d.loaded_at, d.files, d.rows_read, "
        "d.rows_loaded, d.rows_quarantined, s.set_aside_at, s.set_aside_by, s.reason "
        f"FROM meta.deliveries d {register} ORDER BY d.load_seq"
    ).fetchall()
    return [DeliveryRecord(*row) for row in rows]


def list_deliveries(home: Home) -> list[DeliveryRecord]:
    """Every loaded delivery in load order, with its set-aside state."""
    con = _open(home, write=False)
    try:
        return _records(con)
    finally:
        con.close()


def find(records: list[DeliveryRecord], reference: str) -> DeliveryRecord:
    """The delivery whose ID is `reference` or starts with it (at least MIN_PREFIX characters)."""
    wanted = reference.strip().lower()  # IDs are hexadecimal: any case names the same delivery
    exact = [r for r in records if r.delivery_id.lower() == wanted]
    if exact:
        return exact[0]
    if len(wanted) < MIN_PREFIX:
        raise ReachError(f"'{reference}' is too short to name a delivery: give at least {MIN_PREFIX} characters "
                         "of its ID (`reach deliveries list` shows them).")
    matches = [r for r in records if r.delivery_id.lower().startswith(wanted)]
    if not matches:
        raise ReachError(f"No loaded delivery has an ID starting with '{reference}'; `reach deliveries list` "
                         "shows them.")
    if len(matches) > 1:
        listed = ", ".join(r.delivery_id[:SHORT_ID] for r in matches)
        raise ReachError(f"'{reference}' names {len(matches)} deliveries ({listed}); give more of the ID.")
    return matches[0]


def set_aside(home: Home, reference: str, reason: str, actor: audit.Actor) -> DeliveryRecord:
    """Set a delivery aside (audited); it stops counting from the next build on."""
    reason = " ".join(reason.split())
    if not reason:
        raise ReachError("Say why the delivery is set aside: --reason \"...\" (it goes into the audit log).")
    con = _open(home, write=True)
    try:
        chosen = find(_records(con), reference)
        if chosen.set_aside:
            raise ReachError(f"{chosen.describe()} is already set aside (since {chosen.set_aside_at:%Y-%m-%d %H:%M} "
                             f"by {chosen.set_aside_by}: {chosen.reason}).")
        now = datetime.now().replace(microsecond=0)
        con.execute("BEGIN TRANSACTION")
        con.execute(REGISTER_DDL)
        con.execute(f"INSERT INTO {REGISTER} VALUES (?, ?, ?, ?)", [chosen.delivery_id, now, actor.user, reason])
        # Audited before it takes effect: if the log cannot be written, nothing is set aside.
        audit.record(home, actor, ACTION_SET_ASIDE, f"delivery {chosen.delivery_id}", reason)
        con.execute("COMMIT")
        return find(_records(con), chosen.delivery_id)
    finally:
        con.close()  # an open transaction (the audit log could not be written) is rolled back


def restore(home: Home, reference: str, actor: audit.Actor, reason: str = "") -> DeliveryRecord:
    """Make a set-aside delivery count again (audited), from the next build on."""
    con = _open(home, write=True)
    try:
        chosen = find(_records(con), reference)
        if not chosen.set_aside:
            raise ReachError(f"{chosen.describe()} is not set aside; nothing to restore.")
        con.execute("BEGIN TRANSACTION")
        con.execute(f"DELETE FROM {REGISTER} WHERE delivery_id = ?", [chosen.delivery_id])
        audit.record(home, actor, ACTION_RESTORE, f"delivery {chosen.delivery_id}", " ".join(reason.split()))
        con.execute("COMMIT")
        return find(_records(con), chosen.delivery_id)
    finally:
        con.close()
