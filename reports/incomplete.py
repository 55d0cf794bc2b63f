"""Which months of a document's period some centre in its scope has not delivered yet
(pipelines/delivery_calendar.py), for the board pack and the ministry workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from pipelines.access import Scope
from pipelines.delivery_calendar import INCOMPLETE_UNKNOWN, incomplete_note, read_deliveries
from pipelines.errors import ReachError
from pipelines.home import Home


@dataclass(frozen=True)
class Incomplete:
    """Per centre, the months of the period not yet delivered; `unknown` says why it could not be checked."""

    missing: dict[str, list[date]] = field(default_factory=dict)
    unknown: str = ""

    def note(self, lang: str, centres: tuple[str, ...] | None = None) -> str:
        """The note in `lang` ("" when complete), for `centres` only if given."""
        if self.unknown:
            return INCOMPLETE_UNKNOWN[lang].format(reason=self.unknown)
        chosen = {c: m for c, m in self.missing.items() if centres is None or c in centres}
        return incomplete_note(chosen, lang)


def _home(con: duckdb.DuckDBPyConnection) -> Home | None:
    """The home of the warehouse file `con` reads (None for an in-memory database)."""
    row = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    return Home(Path(row[0]).parent) if row and row[0] else None


def incomplete_months(con: duckdb.DuckDBPyConnection, scope: Scope, date_from: date, date_to: date) -> Incomplete:
    """What the delivery calendar of the warehouse on `con` says of the period, within `scope`."""
    home = _home(con)
    if home is None:
        return Incomplete()
    try:
        calendar = read_deliveries(home, con).calendar().within(scope)
    except ReachError as error:
        return Incomplete(unknown=str(error))
    return Incomplete(calendar.incomplete(date_from, date_to))
