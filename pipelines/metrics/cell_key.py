"""The cell key method in the metric SQL (disclosure.md, rule 1): keys beside the counts, the lookup.

Every count of people carries, in the same aggregate over the same rows, its cell key: the sum
of the distinct people's record keys modulo the key range (`sum(DISTINCT person_code)`, where
person_code is unique per person and equals its key modulo the range; pipelines/disclosure/
record_keys.py). A count of records carries the sum of its records' keys. The published count
is the perturbation table's entry for (count, cell key), looked up after the query in one
vectorised step (`perturb`; a CASE in the SQL cost more to plan than the whole query) in the
table the build stored in the file (`published_table`; building it takes SciPy seconds), so a
cell depends only on the set of people (or records) it counts, whichever query produced it.

Counts are recognised by their SQL: `count(*)` or `count(DISTINCT client_key)`, optionally
with a FILTER; a count metric whose measure has another shape is refused when the SQL is built.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from functools import cache

import duckdb
import numpy as np
import polars as pl

from pipelines.disclosure.ptable import load_parameters
from pipelines.disclosure.record_keys import META_TABLE, PTABLE_TABLE
from pipelines.errors import ReachError

_COUNT = re.compile(r"^count\((\*|DISTINCT client_key)\)( FILTER \(WHERE .+\))?$")


@cache
def key_range() -> int:
    """The key range of the reviewed parameters (config/ptable.yaml); the warehouse's must be the same."""
    return load_parameters().key_range


def _parts(measure: str) -> tuple[str, str]:
    found = _COUNT.match(measure)
    if found is None:
        raise ValueError(f"a protected count must be count(*) or count(DISTINCT client_key) [FILTER ...], "
                         f"not {measure!r}")
    return found.group(1), found.group(2) or ""


def cell_key_measure(measure: str, *, people_rows: bool) -> str:
    """The cell key aggregate beside the count `measure`.

    `people_rows`: the rows are already one per (group, person) (sql.FamilySql.people_only), so
    count(*) counts people and the key sums their person codes; otherwise count(*) counts records.
    """
    counted, condition = _parts(measure)
    people_rows_sum = "people.person_code" if people_rows else "record_key"
    summed = people_rows_sum if counted == "*" else "DISTINCT person_code"
    return f"(coalesce(sum({summed}){condition}, 0) % {key_range()})::INTEGER"


def people_behind(measure: str) -> tuple[str, str]:
    """(count, cell key) of the distinct people whose records the record count `measure` counts."""
    _, condition = _parts(measure)
    people = f"count(DISTINCT client_key){condition}"
    return people, cell_key_measure(people, people_rows=False)


@dataclass(frozen=True)
class PublishedTable:
    """The perturbation table a warehouse file was built with: deviation[min(count, limit), key]."""

    deviations: np.ndarray
    limit: int


_TABLES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, PublishedTable] = weakref.WeakKeyDictionary()


def published_table(con: duckdb.DuckDBPyConnection) -> PublishedTable:
    """The table stored in the file `con` reads (record_keys.py), read once per connection."""
    found = _TABLES.get(con)
    if found is not None:
        return found
    try:
        [(stored_range,)] = con.execute(f"SELECT key_range FROM {META_TABLE}").fetchall()
        intervals = con.execute(f"SELECT row_count, first_key, last_key, deviation FROM {PTABLE_TABLE}").fetchall()
    except (duckdb.CatalogException, ValueError):
        raise ReachError("The published warehouse has no record keys (it was built before the cell key method). "
                         "Rebuild it with reach build.") from None
    if stored_range != key_range():
        raise ReachError(f"The published warehouse was built with a key range of {stored_range}, "
                         f"config/ptable.yaml says {key_range()}; rebuild it with reach build.")
    limit = max(row for row, *_ in intervals)
    deviations = np.zeros((limit + 1, stored_range), dtype=np.int64)
    for row_count, first, last, deviation in intervals:
        deviations[row_count, first:last + 1] = deviation
    table = PublishedTable(deviations, limit)
    _TABLES[con] = table
    return table


def perturb(counts: pl.Series, keys: pl.Series, table: PublishedTable) -> pl.Series:
    """The published counts of true `counts` with cell `keys`: the perturbation table, vectorised."""
    values = _integers(counts)
    published = values + table.deviations[np.minimum(values, table.limit), _integers(keys)]
    return pl.Series(counts.name, published, dtype=pl.Int64)


def _integers(series: pl.Series) -> np.ndarray:
    return (series.fill_null(0) if series.null_count() else series).to_numpy().astype(np.int64, copy=False)
