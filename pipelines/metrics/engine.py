"""`compute`: resolve a query, clamp its period, run one SQL per metric family, merge, order, protect."""

from __future__ import annotations

import functools
import re
import uuid
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import numpy as np
import polars as pl

from pipelines.errors import ReachError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS, METRICS_BY_NAME, Family, Kind, Metric
from pipelines.metrics.cell_key import perturb_rows, perturbed_sums, published_counts, published_table
from pipelines.metrics.linkage import Counting, counting, people_summed
from pipelines.metrics.periods import months_touched
from pipelines.metrics.protection import (
    HIDDEN,
    RECORDS_MIN_PEOPLE,
    SHOWN,
    SPARSE_BELOW,
    SUMS_MIN_PEOPLE,
)
from pipelines.metrics.query import TO_MONTH, MetricQuery, ResolvedQuery, resolve
from pipelines.metrics.result import MetricResult
from pipelines.metrics.sql import (
    CARRIED_PREFIX,
    FAMILIES,
    GATE,
    KEY_PREFIX,
    PERIOD_END,
    Protected,
    family_sql,
    gate_column,
    last_activity_sql,
    rates_sql,
)

_ADDITIVE = (Kind.UNIQUE, Kind.COUNT, Kind.SUM)  # absent from a group means 0 of them


def compute(con: duckdb.DuckDBPyConnection, query: MetricQuery) -> MetricResult:
    resolved = _clamped(con, resolve(query))
    across = counting(con, resolved)
    if resolved.cumulative:
        return _compute_cumulative(con, resolved, query.date_to, across)
    figures = _figures(con, resolved, national=across is Counting.ONCE)
    frame = figures.frame
    names = tuple(m.name for m in resolved.metrics)
    sparse = False
    if resolved.protected:
        sparse = _is_sparse(con, resolved, figures, national=across is Counting.ONCE)
        frame, flags = _sparse(frame, resolved) if sparse else _rules(frame, resolved)
    else:
        flags = pl.DataFrame({n: [SHOWN] * frame.height for n in names}, schema=dict.fromkeys(names, pl.String))
    return MetricResult(
        by=resolved.by,
        metrics=names,
        frame=_columns(frame, [*resolved.by, *names]),
        flags=_columns(flags, names),
        protection=query.protection,
        sparse=sparse,
        people_across_centres=across,
    )


def people_summed_over_centres(con: duckdb.DuckDBPyConnection, query: MetricQuery) -> bool:
    """What `compute(con, query).people_summed_over_centres` says, known without computing the figures:
    how counts of people treat several centres depends on the query's scope and centres, not its data."""
    resolved = resolve(query)
    return people_summed(counting(con, resolved), (m.name for m in resolved.metrics))


def _compute_cumulative(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery, date_to: date,
                        across: Counting) -> MetricResult:
    """A query grouped by the cumulative month (query.TO_MONTH): one SQL per family over every month's span.

    The group of month m holds the rows of date_from .. min(end of m, the clamped date_to), so each is
    the population of the one-period query of that span (whose date_to `_clamped` clamps the same way):
    the same counts, cell keys and sums, each group sparse or not as that query is (its people counts as
    published below SPARSE_BELOW: every figure hidden), and the same rules, no group left out.
    """
    query = resolved.query
    months = months_touched(query.date_from, date_to)
    ends = [min(end, query.date_to) for _, end in months]
    figures = _figures(con, resolved, national=across is Counting.ONCE, ends=ends)
    names = tuple(m.name for m in resolved.metrics)
    by_end = {end: index for index, end in enumerate(figures.frame.get_column(PERIOD_END).to_list())}
    rows = [by_end[end.isoformat()] for end in ends]
    frame = figures.frame[rows].with_columns(pl.Series(TO_MONTH, [month for month, _ in months], pl.String))
    sparse = [False] * frame.height
    if resolved.protected:
        people = [p.name for p in dict.fromkeys(_people_metric(m.family) for m in resolved.metrics) if p is not None]
        if people:
            counts = zip(*(frame.get_column(name).to_list() for name in people), strict=True)
            sparse = [max(group) < SPARSE_BELOW for group in counts]
        frame, flags = _rules(frame, resolved, keep_zero_rows=True)
        if any(sparse):
            frame = frame.with_columns(pl.when(pl.Series(sparse)).then(None).otherwise(pl.col(n)).alias(n)
                                       for n in names)
            flags = flags.with_columns(pl.when(pl.Series(sparse)).then(pl.lit(HIDDEN)).otherwise(pl.col(n)).alias(n)
                                       for n in names)
    else:
        flags = pl.DataFrame({n: [SHOWN] * frame.height for n in names}, schema=dict.fromkeys(names, pl.String))
    return MetricResult(
        by=resolved.by, metrics=names, frame=_columns(frame, [TO_MONTH, *names]), flags=_columns(flags, names),
        protection=query.protection, sparse=any(sparse), people_across_centres=across,
    )


def _columns(frame: pl.DataFrame, names: Sequence[str]) -> pl.DataFrame:
    """`frame.select(names)` for plain columns, without building a query (a few tenths of a ms each)."""
    return pl.DataFrame([frame.get_column(n) for n in names])


@dataclass(frozen=True)
class _Figures:
    """A query's figures, one row per group, and, protected, what its families tell of the view's people."""

    frame: pl.DataFrame
    # Per family naming people, the largest true count of distinct people in one group: the view's
    # population of that family is at least as large.
    floors: dict[Family, int] = field(default_factory=dict)
    # Per family naming people, where the groups split people into disjoint sets: the true count of all
    # the groups' people and the sum of their keys, i.e. the view's population and its cell key.
    totals: dict[Family, tuple[int, int]] = field(default_factory=dict)


_LAST_ACTIVITY: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[date | None]] = (
    weakref.WeakKeyDictionary())


def _clamped(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery) -> ResolvedQuery:
    """The period ends no later than the data's last activity, so a later end makes nobody older."""
    if con not in _LAST_ACTIVITY:  # a connection reads one published file for its whole life
        _LAST_ACTIVITY[con] = tuple(_rows(con, last_activity_sql(), {})[1][0])  # type: ignore[assignment]
    (last,) = _LAST_ACTIVITY[con]
    query = resolved.query
    if last is None or query.date_to <= last:
        return resolved
    return replace(resolved, query=replace(query, date_to=max(last, query.date_from)))


_CARRIED: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, dict[str, frozenset[str]]] = (
    weakref.WeakKeyDictionary())


def carried_attributes(con: duckdb.DuckDBPyConnection, family: Family) -> frozenset[str]:
    """The client attributes the family's fact table carries (sql.CARRIED_PREFIX: dim_client's columns copied
    onto the facts by the build); none in a file built before, whose queries join dim_client for them."""
    if con not in _CARRIED:  # a connection reads one published file for its whole life
        _, rows = _rows(con, "SELECT table_name, column_name FROM information_schema.columns "
                             "WHERE table_catalog = current_database() AND table_schema = 'main'", {})
        columns: dict[str, set[str]] = {}
        for table, column in rows:
            columns.setdefault(table, set()).add(column)
        client = columns.get("dim_client", set())
        _CARRIED[con] = {table: frozenset(client.intersection(c.removeprefix(CARRIED_PREFIX) for c in names
                                                              if c.startswith(CARRIED_PREFIX)))
                         for table, names in columns.items()}
    return _CARRIED[con].get(FAMILIES[family].table, frozenset())


def _figures(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery, *, population: tuple[Metric, ...] = (),
             national: bool = False, ends: Sequence[date] = ()) -> _Figures:
    """Every requested metric (plus the people count a derived metric rests on), one row per group, ordered.

    With `population`: those people counts only, filtered but neither broken down nor excluded.
    `national`: people known by their national code (linkage.py), each counted once across centres.
    `ends`: a cumulative query, one row per end (column PERIOD_END), each with its families' people counts.
    """
    by = () if population else (PERIOD_END,) if ends else resolved.by
    exclude = {} if population else resolved.exclude
    per_family: dict[Family, list[Metric]] = {}
    for metric in population or resolved.metrics:
        per_family.setdefault(metric.family, []).append(metric)
    # Groups that split people into disjoint sets give the view's population for free: its count is the
    # sum of the groups' counts and its cell key the sum of their keys (_is_sparse).
    # Nationally a person's client records in two centres may fall in two groups (their districts differ).
    # A cumulative query's group is a view of its own: its people counts are its population.
    disjoint = resolved.protected and not population and (bool(ends) or (
        _partitions_people(by, exclude) and not (national and by)))
    merged: pl.DataFrame | None = None
    row: dict[str, pl.Series] = {}  # without groups: every family's one row, side by side
    floors: dict[Family, int] = {}
    totals: dict[Family, tuple[int, int]] = {}
    for family, family_metrics in per_family.items():
        measures = [m.name for m in family_metrics if m.kind is not Kind.RATE]
        rates = [m.name for m in family_metrics if m.kind is Kind.RATE]
        # A derived metric is published only where the people count it rests on is: compute that too.
        for metric in family_metrics:
            if metric.rests_on and metric.rests_on not in measures:
                measures.append(metric.rests_on)
        people = _people_metric(family) if disjoint else None
        if people is not None and people.name not in measures:
            measures.append(people.name)
        bound = family_sql(
            family, resolved.query.date_from, resolved.query.date_to, by, resolved.where, measures, rates,
            scope=resolved.query.scope, exclude=exclude, protected=resolved.protected, national=national,
            ends=ends, carried=carried_attributes(con, family),
        )
        schema, rows = _rows(con, bound.text, bound.parameters)
        if ends:  # an end no row reaches: the figures of no rows, as the one-period query gives them
            at_end = list(schema).index(PERIOD_END)
            found = {row[at_end] for row in rows}
            rows += [tuple(end if i == at_end else None for i in range(len(schema)))
                     for end in sorted(set(ends)) if end not in found]
        if bound.protected is None:
            part = pl.DataFrame(rows, schema=schema, orient="row")
        else:
            at = {name: index for index, name in enumerate(schema)}
            # Every count of distinct people of a family counts some of the family's people in the view.
            counted = [at[n] for n in measures if METRICS_BY_NAME[n].kind is Kind.UNIQUE]
            counted += [at[count] for count, _ in bound.protected.gates.values()]
            if FAMILIES[family].names_people and counted and rows:
                floors[family] = max(row[i] or 0 for row in rows for i in counted)
            if people is not None:
                count, key = at[people.name], at[bound.protected.keys[people.name]]
                totals[family] = (sum(row[count] or 0 for row in rows), sum(row[key] or 0 for row in rows))
            part = _perturbed(con, schema, rows, bound.protected, rates)
        if not by:  # one row each, side by side (a column already there is kept)
            row |= {c: part.get_column(c) for c in part.columns if c not in row}
            continue
        if any(part.schema[d] != pl.String for d in by):
            part = part.with_columns(pl.col(d).cast(pl.String) for d in by)
        merged = part if merged is None else merged.join(part, on=list(by), how="full", coalesce=True,
                                                         nulls_equal=True)
    merged = merged if merged is not None else pl.DataFrame(list(row.values()))
    additive = {m.name for m in METRICS if m.kind in _ADDITIVE} | {gate_column(m.name) for m in METRICS}
    empty = sorted(n for n in additive & set(merged.columns) if merged.get_column(n).null_count())
    if empty:  # e.g. a group a family's full join did not have
        merged = merged.with_columns(pl.col(name).fill_null(0) for name in empty)
    return _Figures(merged.sort(list(by), nulls_last=True) if by else merged, floors, totals)


def _perturbed(con: duckdb.DuckDBPyConnection, schema: dict[str, pl.DataType], rows: list[tuple],
               plan: Protected, rates: list[str]) -> pl.DataFrame:
    """A protected query's rows with its counts (and the people behind records and sums) and its sums as
    published, its keys dropped; rates computed from them. Row by row, one frame made: the rows are few, and frames and
    vectorised calls cost more than these lookups."""
    at = {name: index for index, name in enumerate(schema)}
    cells = {name: (at[name], at[key]) for name, key in plan.keys.items()}
    cells |= {gate_column(name): (at[count], at[key]) for name, (count, key) in plan.gates.items()}
    kept = [at[name] for name in schema if name not in cells and not name.startswith(KEY_PREFIX)]
    table = published_table(con)
    published = perturb_rows(rows, list(cells.values()), table)
    if plan.sums:  # sums perturbed in their rows, then read as the other kept columns
        rows = [list(row) for row in rows]
        for name, (key, largest) in plan.sums.items():
            column, key_at, largest_at = at[name], at[key], at[largest]
            values = perturbed_sums([row[column] for row in rows], [row[key_at] for row in rows],
                                    [row[largest_at] for row in rows], name, table.deviations.shape[1])
            for row, value in zip(rows, values, strict=True):
                row[column] = value
    names = list(schema)
    types = {names[i]: pl.Float64 if names[i] in plan.sums else schema[names[i]] for i in kept}
    part = pl.DataFrame([tuple(row[i] for i in kept) + counts for row, counts in zip(rows, published, strict=True)],
                        schema={**types, **dict.fromkeys(cells, pl.Int64)}, orient="row")
    if rates:
        # A name of its own: `con` may be a cursor others use too (its catalog holds the marts).
        name = f"perturbed_counts_{uuid.uuid4().hex}"
        con.register(name, part.to_arrow())
        try:
            part = _run(con, rates_sql(rates, name), {})
        finally:
            con.unregister(name)
    return part


_MISSING_TABLE = re.compile(r"Table with name (\w+) does not exist")
_MISSING_COLUMN = re.compile(r'(Referenced column|does not have a column named) "?(person_code|record_key)\b')
# A result column's DuckDB type as polars reads it, the type Arrow brings (a 128-bit integer, such as a
# sum of keys, as a decimal); a result with a type not listed is read through Arrow.
_POLARS_TYPES = {"VARCHAR": pl.String, "BIGINT": pl.Int64, "INTEGER": pl.Int32, "HUGEINT": pl.Decimal(38, 0),
                 "DOUBLE": pl.Float64, "DATE": pl.Date, "BOOLEAN": pl.Boolean}


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]) -> pl.DataFrame:
    schema, rows = _rows(con, sql, parameters)
    return pl.DataFrame(rows, schema=schema, orient="row")


def _rows(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]
          ) -> tuple[dict[str, pl.DataType], list[tuple]]:
    """The result of `sql`: its columns' types and its rows. Run once: a relation (`con.sql`) would plan it
    twice, to describe it and to run it, and planning costs these small results more than running them."""
    try:
        con.execute(sql, parameters)
    except (duckdb.CatalogException, duckdb.BinderException) as error:
        if _MISSING_COLUMN.search(str(error)):
            raise ReachError("The published warehouse has no record keys (it was built before the cell key "
                             "method). Rebuild it with reach build.") from error
        if isinstance(error, duckdb.BinderException):
            raise
        found = _MISSING_TABLE.search(str(error))
        what = f"the table {found.group(1)}" if found else "a table or column the metrics need"
        raise ReachError(
            f"The published warehouse lacks {what} ({error}). Rebuild it with reach build."
        ) from error
    schema = {name: _POLARS_TYPES.get(str(kind)) for name, kind, *_ in con.description}
    if None in schema.values():
        frame = pl.from_arrow(con.sql(sql, params=parameters).to_arrow_table())
        assert isinstance(frame, pl.DataFrame)
        return dict(frame.schema), frame.rows()
    return schema, con.fetchall()  # type: ignore[return-value]


def _people_metric(family: Family) -> Metric | None:
    """The family's count of all its people (clients_reached, clients_contacted, ...); None for events."""
    if not FAMILIES[family].names_people:
        return None
    plain = "count(*)" if FAMILIES[family].people_only else "count(DISTINCT client_key)"
    return next(m for m in METRICS if m.family is family and m.kind is Kind.UNIQUE and m.measure == plain)


def _partitions_people(by: tuple[str, ...], exclude: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether every person falls in exactly one group (no breakdown, or only dimensions of one value each)."""
    return not exclude and all(DIMENSIONS_BY_NAME[d].partitions_clients for d in by)


def _is_sparse(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery, figures: _Figures, *,
               national: bool = False) -> bool:
    """Whether the view's filtered population is below SPARSE_BELOW: the largest perturbed people count
    of its families, filters applied, no breakdown (not the top-N exclusion: the rest belongs to its
    table's population)."""
    people = [p for p in dict.fromkeys(_people_metric(m.family) for m in resolved.metrics) if p is not None]
    if not people:
        return False  # events only: head counts name no person
    table = published_table(con)
    if _partitions_people(resolved.by, resolved.exclude) and not (national and resolved.by):
        counts = np.array([figures.totals[p.family][0] for p in people])
        keys = np.array([figures.totals[p.family][1] % table.deviations.shape[1] for p in people])
        return int(published_counts(counts, keys, table).max()) < SPARSE_BELOW
    # A group's people are some of the view's: one group of so many people that any count of them is
    # published as SPARSE_BELOW or more answers as counting the whole view would, without its query.
    surely = table.surely_at_least(SPARSE_BELOW)
    if any(figures.floors.get(p.family, 0) >= surely for p in people):
        return False
    totals = _figures(con, resolved, population=tuple(people), national=national).frame
    return max(int(totals.get_column(p.name)[0]) for p in people) < SPARSE_BELOW


def _sparse(frame: pl.DataFrame, resolved: ResolvedQuery) -> tuple[pl.DataFrame, pl.DataFrame]:
    """No figures: no rows for a breakdown (the groups present would tell who is there), one empty row for a total."""
    names = [m.name for m in resolved.metrics]
    empty = frame.clear() if resolved.by else frame.head(1).with_columns(pl.lit(None).alias(n) for n in names)
    return empty, pl.DataFrame({n: [HIDDEN] * empty.height for n in names}, schema=dict.fromkeys(names, pl.String))


def _rules(frame: pl.DataFrame, resolved: ResolvedQuery, *, keep_zero_rows: bool = False
           ) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records, sums and medians only where enough people (perturbed) stand behind them; rounding; no zero rows
    (`keep_zero_rows`: each row is a view of its own, as a cumulative query's groups are).

    On Python lists, the two frames made from rows: the rows are few, and frames of columns and vectorised
    calls cost more than the rules themselves.
    """
    names = tuple(m.name for m in resolved.metrics)
    schema = frame.schema
    rounded = {m.name for m in resolved.metrics if m.kind in (Kind.SUM, Kind.MEDIAN) and schema[m.name].is_float()}
    behind = _behind(names, frozenset(c for c in frame.columns if c.startswith(GATE)))
    if not behind and not rounded and not resolved.by:  # counts of people only, one row: nothing to do
        return frame, pl.DataFrame({n: [SHOWN] * frame.height for n in names}, schema=dict.fromkeys(names, pl.String))
    # Sums and medians rounded (ties to even, as polars rounds); the rules read the rounded figures.
    values = {n: frame.get_column(n).to_list() for n in names}
    for name in rounded:
        values[name] = [None if v is None else round(v) for v in values[name]]
    shown = {}
    for name, (column, least) in behind.items():
        counts = values[column] if column in values else frame.get_column(column).to_list()
        shown[name] = [c is not None and c >= least for c in counts]
    for name, ok in shown.items():
        values[name] = [v if s else None for v, s in zip(values[name], ok, strict=True)]
    done = list(zip(*(frame.get_column(d).to_list() for d in resolved.by), *values.values(), strict=True))
    flags = list(zip(*([SHOWN if s else HIDDEN for s in shown[n]] if n in shown else [SHOWN] * frame.height
                       for n in names), strict=True))
    if resolved.by and not keep_zero_rows:
        # A true 0 has no row: a row whose every figure is 0 or hidden would tell a 1 or 2 from nothing.
        kept = [any(figures) for figures in zip(*values.values(), strict=True)]
        done = [row for row, keep in zip(done, kept, strict=True) if keep]
        flags = [row for row, keep in zip(flags, kept, strict=True) if keep]
    types = {d: schema[d] for d in resolved.by} | {n: pl.Int64 if n in rounded else schema[n] for n in names}
    return (pl.DataFrame(done, schema=types, orient="row"),
            pl.DataFrame(flags, schema=dict.fromkeys(names, pl.String), orient="row"))


@functools.lru_cache(maxsize=512)
def _behind(names: tuple[str, ...], gates: frozenset[str]) -> dict[str, tuple[str, int]]:
    """Per figure published only where enough people stand behind it: the column of that count and its least."""
    behind = {}
    for metric in (METRICS_BY_NAME[n] for n in names):
        if metric.kind is Kind.COUNT and gate_column(metric.name) in gates:
            behind[metric.name] = (gate_column(metric.name), RECORDS_MIN_PEOPLE)
        elif metric.kind is Kind.SUM:
            gate = gate_column(metric.name)
            # Event head counts name no person: the head count itself must reach the threshold.
            behind[metric.name] = (gate if gate in gates else metric.name, SUMS_MIN_PEOPLE)
        elif metric.kind is Kind.MEDIAN:
            assert metric.rests_on is not None
            behind[metric.name] = (metric.rests_on, SUMS_MIN_PEOPLE)
    return behind
