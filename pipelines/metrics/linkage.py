"""Who is one person in a figure over several centres (metrics.md, "centre"; export-format.md, Národní klíč).

Client IDs are unique only within a centre. Across centres a client is the same person only through
the linkage key: where every client of every centre a query's people come from has one, counts of
people over those centres count each person once (by `national_code`, pipelines/disclosure/
record_keys.py); otherwise they are the sum of the centres' unique counts, and the result says so
(`MetricResult.people_summed_over_centres`) for every surface to label.

Whether a centre is linked is decided over all its clients in the published warehouse, not per
period (docs/decisions.md): a centre either delivers the Národní klíč or does not.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

import duckdb

from pipelines.metrics.catalogue import METRICS_BY_NAME, Kind
from pipelines.metrics.query import ResolvedQuery

# How surfaces label counts of people that are sums over centres (stated once; the workbook, the board
# pack, the dashboard, its exports and `reach metrics` read it).
SUMMED_LABEL = {"cs": "součet unikátních klientů center", "en": "sum of the centres' unique clients"}
SUMMED_NOTICE = {
    "cs": "Počty osob za více center jsou součtem unikátních klientů center: ne všechna centra dodávají "
          "národní klíč, takže osoba, které pomohla dvě centra, se počítá dvakrát.",
    "en": "Counts of people over several centres are the sum of the centres' unique clients: not every "
          "centre delivers the national linkage key, so a person served by two centres counts twice.",
}


class Counting(Enum):
    ONE_CENTRE = "one_centre"  # every group's people come from one centre: its own clients
    ONCE = "once"  # several centres, all linked: each person once, by the linkage key
    SUMMED = "summed"  # several centres, not all linked: the sum of the centres' unique clients


@dataclass(frozen=True)
class _Centre:
    clients: int
    linked_clients: int

    @property
    def linked(self) -> bool:
        return self.linked_clients == self.clients


_CENTRES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, _Centre]] = weakref.WeakKeyDictionary()


def _centres(con: duckdb.DuckDBPyConnection) -> dict[str, _Centre]:
    """Per centre with clients: its clients and how many have a linkage key (read once per connection,
    which reads one published file for its whole life)."""
    if con not in _CENTRES:
        tables = {name for (name,) in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}
        # A warehouse built before linkage keys knows no linked centre.
        sql = ("SELECT centre, clients, linked_clients FROM people_linkage" if "people_linkage" in tables
               else "SELECT centre, count(*), 0 FROM dim_client GROUP BY centre")
        _CENTRES[con] = {centre: _Centre(int(clients), int(linked))
                         for centre, clients, linked in con.execute(sql).fetchall()}
    return _CENTRES[con]


def counting(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery) -> Counting:
    """How the query's counts of people treat a person served by several centres."""
    if "centre" in resolved.by:
        return Counting.ONE_CENTRE
    known = _centres(con)
    centres = set(known)
    scope = resolved.query.scope
    if not scope.everything:
        centres &= set(scope.centres)
    if "centre" in resolved.where:
        centres &= set(resolved.where["centre"])
    if "centre" in resolved.exclude:
        centres -= set(resolved.exclude["centre"])
    if len(centres) < 2:
        return Counting.ONE_CENTRE
    return Counting.ONCE if all(known[c].linked for c in centres) else Counting.SUMMED


def people_summed(across: Counting, metrics: Iterable[str]) -> bool:
    """Counts of people over several centres not all of which deliver the linkage key: the sum of the
    centres' unique clients (a person served by two counts twice); surfaces say so (SUMMED_NOTICE)."""
    return across is Counting.SUMMED and any(METRICS_BY_NAME[m].kind is Kind.UNIQUE for m in metrics)
