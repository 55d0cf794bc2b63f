"""The cell key method in the metric SQL (disclosure.md, rule 1): keys beside the counts, the lookup.

Every count of people carries, in the same query over the same rows, its cell key: the sum
of the distinct people's record keys modulo the key range. person_code is unique per person and
equals its key modulo the range (pipelines/disclosure/record_keys.py), so the key is the sum of
the person codes of the rows one per (group, person) that the count counts (sql.py builds them),
taken modulo the range when the count is looked up. A count of records carries the sum of its
records' keys. The published count is the perturbation table's entry for (count, cell key),
looked up after the query in one vectorised step (`perturb_rows`; a CASE in the SQL cost more to plan
than the whole query) in the table the build stored in the file (`published_table`; building it
takes SciPy seconds), so a cell depends only on the set of people (or records) it counts,
whichever query produced it.

Sums of people's contributions (service hours) are perturbed too (`perturbed_sums`), as the ABS
TableBuilder perturbs continuous values: by a deviation of at most `sum_deviation` times the cell's
largest contribution of one person, chosen by the cell key of the people behind the sum. So the same
people always get the same sum, and the difference of two sums a person apart carries two independent
deviations each as large as anyone's share, not that person's share. Event head counts name no person
and are not perturbed.

Counts are recognised by their SQL: `count(*)` or `count(DISTINCT client_key)`, optionally
with a FILTER; a count metric whose measure has another shape is refused when the SQL is built.
"""

from __future__ import annotations

import re
import weakref
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import duckdb
import numpy as np

from pipelines.disclosure.ptable import load_parameters
from pipelines.disclosure.record_keys import META_TABLE, PTABLE_TABLE
from pipelines.errors import ReachError

_COUNT = re.compile(r"^count\((\*|DISTINCT client_key)\)(?: FILTER \(WHERE (.+)\))?$")


@cache
def key_range() -> int:
    """The key range of the reviewed parameters (config/ptable.yaml); the warehouse's must be the same."""
    return load_parameters().key_range


@cache
def _sum_deviation() -> float:
    return load_parameters().sum_deviation


def _parts(measure: str) -> tuple[str, str]:
    """(what the count counts, its FILTER clause or "")."""
    counted, condition = count_parts(measure)
    return counted, f" FILTER (WHERE {condition})" if condition else ""


def count_parts(measure: str) -> tuple[str, str]:
    """What the count `measure` counts (`*` or `DISTINCT client_key`) and its FILTER condition ("" without one)."""
    found = _COUNT.match(measure)
    if found is None:
        raise ValueError(f"a protected count must be count(*) or count(DISTINCT client_key) [FILTER ...], "
                         f"not {measure!r}")
    return found.group(1), found.group(2) or ""


def cell_key_measure(measure: str, *, people_rows: bool, codes: str = "people.person_code") -> str:
    """The cell key aggregate beside the count `measure`.

    `people_rows`: the rows are one per (group, person), their person codes in the column `codes`, so
    count(*) counts people and the key sums their person codes; otherwise count(*) counts records.
    """
    counted, condition = _parts(measure)
    people_rows_sum = codes if people_rows else "record_key"
    summed = people_rows_sum if counted == "*" else "DISTINCT person_code"
    # The plain sum: the lookup takes it modulo the key range (in the SQL that cost more to plan than to run).
    return f"sum({summed}){condition}"


@dataclass(frozen=True)
class PublishedTable:
    """The perturbation table a warehouse file was built with: deviation[min(count, limit), key]."""

    deviations: np.ndarray
    limit: int

    def surely_at_least(self, published: int) -> int:
        """The smallest true count from which every count is published as at least `published`, whatever its key."""
        lowest = np.arange(self.limit + 1) + self.deviations.min(axis=1)  # per true count up to the limit
        short = np.flatnonzero(lowest < published)
        if not short.size:
            return 0
        if short[-1] < self.limit:
            return int(short[-1]) + 1
        # Counts beyond the limit take the limit's deviations: count + its smallest deviation.
        return max(self.limit + 1, published - int(self.deviations[self.limit].min()))


_TABLES: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, PublishedTable] = weakref.WeakKeyDictionary()


def published_table(con: duckdb.DuckDBPyConnection) -> PublishedTable:
    """The table stored in the file `con` reads (record_keys.py), read once per connection."""
    found = _TABLES.get(con)
    if found is not None:
        return found
    try:  # one query: the dashboard reads each figure on a new cursor
        rows = con.execute(f"SELECT m.key_range, p.row_count, p.first_key, p.last_key, p.deviation "
                           f"FROM {META_TABLE} m, {PTABLE_TABLE} p").fetchall()
        [stored_range] = {row[0] for row in rows}
    except (duckdb.CatalogException, ValueError):
        raise ReachError("The published warehouse has no record keys (it was built before the cell key method). "
                         "Rebuild it with reach build.") from None
    intervals = [row[1:] for row in rows]
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


def perturb_rows(rows: Sequence[Sequence[int | None]], cells: Sequence[tuple[int, int]], table: PublishedTable
                 ) -> list[tuple[int, ...]]:
    """Per row, the published counts of its `cells`: (position of the true count, position of the sum of its
    record keys (`cell_key_measure`; null: none)) in the row."""
    if not cells:
        return [()] * len(rows)
    counts = np.array([[row[count] or 0 for count, _ in cells] for row in rows], dtype=np.int64)
    # The sums modulo the key range here (Python integers): a sum of person codes need not fit 64 bits.
    keys = np.array([[int(row[key] or 0) % table.deviations.shape[1] for _, key in cells] for row in rows],
                    dtype=np.int64)
    published = published_counts(counts, keys, table).reshape(len(rows), len(cells))
    return [tuple(row) for row in published.tolist()]


def published_counts(counts: np.ndarray, keys: np.ndarray, table: PublishedTable) -> np.ndarray:
    """The published counts of true `counts` whose record keys sum to `keys`: the perturbation table,
    vectorised, at the cell keys (the sums modulo the key range)."""
    return counts + table.deviations[np.minimum(counts, table.limit), keys % table.deviations.shape[1]]




# The step of the sums' key permutation: odd (so it permutes the key range) and near the golden ratio of the
# range, so the keys of any interval (such as those a published count reveals: the ptable lays each count's
# deviations out as key intervals) spread evenly over the sums' deviations.
_GOLDEN = 0.6180339887498949


def sum_shares(keys: np.ndarray, metric: str, key_range: int) -> np.ndarray:
    """Per cell key, the share in (-1, 1) of the largest deviation a sum of `metric` gets: evenly spread over
    the keys (mean 0), a different permutation of the keys per metric."""
    step = int(key_range * _GOLDEN) | 1
    offset = zlib.crc32(metric.encode("utf-8")) % key_range
    permuted = (keys.astype(np.int64) * step + offset) % key_range
    return (2 * permuted + 1) / key_range - 1


def perturbed_sums(values: Sequence[float | int | None], keys: Sequence[int | None],
                   largest: Sequence[float | int | None], metric: str, key_range: int) -> list[float | None]:
    """The published sums of `metric` (before rounding): each true sum plus `sum_deviation` x its cell's largest
    contribution of one person x the share its cell key (`keys`: the plain sums of the people's codes) gives.
    A sum of non-negative contributions stays at least 0, and 0 stays 0 (its largest contribution is 0)."""
    shares = sum_shares(np.array([int(k or 0) % key_range for k in keys], dtype=np.int64), metric, key_range)
    deviation = _sum_deviation()
    return [None if value is None else max(0.0, float(value) + deviation * float(top or 0) * share)
            for value, top, share in zip(values, largest, shares.tolist(), strict=True)]
