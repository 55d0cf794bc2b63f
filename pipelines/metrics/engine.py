"""`compute`: resolve a query, clamp its period, run one SQL per metric family, merge, order, protect."""

from __future__ import annotations

import re
import uuid
import weakref
from collections.abc import Mapping
from dataclasses import replace
from datetime import date

import duckdb
import polars as pl

from pipelines.errors import ReachError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, METRICS, Family, Kind, Metric
from pipelines.metrics.cell_key import perturb, published_table
from pipelines.metrics.protection import (
    HIDDEN,
    RECORDS_MIN_PEOPLE,
    SHOWN,
    SPARSE_BELOW,
    SUMS_MIN_PEOPLE,
)
from pipelines.metrics.query import MetricQuery, ResolvedQuery, resolve
from pipelines.metrics.result import MetricResult
from pipelines.metrics.sql import FAMILIES, KEY_PREFIX, Protected, family_sql, gate_column, last_activity_sql, rates_sql

_ADDITIVE = (Kind.UNIQUE, Kind.COUNT, Kind.SUM)  # absent from a group means 0 of them
_POPULATION = "__population_"  # exact people counts and keys per group, summed into the view's population


def compute(con: duckdb.DuckDBPyConnection, query: MetricQuery) -> MetricResult:
    resolved = _clamped(con, resolve(query))
    frame = _figures(con, resolved)
    names = tuple(m.name for m in resolved.metrics)
    sparse = False
    if resolved.protected:
        sparse = _population(con, resolved, frame) < SPARSE_BELOW
        frame, flags = _sparse(frame, resolved) if sparse else _rules(frame, resolved)
    else:
        flags = pl.DataFrame({n: [SHOWN] * frame.height for n in names}, schema=dict.fromkeys(names, pl.String))
    return MetricResult(
        by=resolved.by,
        metrics=names,
        frame=frame.select([*resolved.by, *names]),
        flags=flags.select(list(names)),
        protection=query.protection,
        sparse=sparse,
    )


_LAST_ACTIVITY: weakref.WeakKeyDictionary[duckdb.DuckDBPyConnection, tuple[date | None]] = (
    weakref.WeakKeyDictionary())


def _clamped(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery) -> ResolvedQuery:
    """The period ends no later than the data's last activity, so a later end makes nobody older."""
    if con not in _LAST_ACTIVITY:  # a connection reads one published file for its whole life
        _LAST_ACTIVITY[con] = tuple(_run(con, last_activity_sql(), {}).rows()[0])  # type: ignore[assignment]
    (last,) = _LAST_ACTIVITY[con]
    query = resolved.query
    if last is None or query.date_to <= last:
        return resolved
    return replace(resolved, query=replace(query, date_to=max(last, query.date_from)))


def _figures(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery, *, population: tuple[Metric, ...] = ()
             ) -> pl.DataFrame:
    """Every requested metric (plus the people count a derived metric rests on), one row per group, ordered.

    With `population`: those people counts only, filtered but neither broken down nor excluded.
    """
    by = () if population else resolved.by
    exclude = {} if population else resolved.exclude
    per_family: dict[Family, list[Metric]] = {}
    for metric in population or resolved.metrics:
        per_family.setdefault(metric.family, []).append(metric)
    # Groups that split people into disjoint sets give the view's population for free: its count is the
    # sum of the groups' counts and its cell key the sum of their keys (_population).
    disjoint = resolved.protected and not population and _partitions_people(by, exclude)
    merged: pl.DataFrame | None = None
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
            scope=resolved.query.scope, exclude=exclude, protected=resolved.protected,
        )
        part = _run(con, bound.text, bound.parameters)
        if bound.protected is not None:
            if people is not None:
                part = part.with_columns(pl.col(people.name).alias(f"{_POPULATION}n_{family}"),
                                         pl.col(bound.protected.keys[people.name]).alias(f"{_POPULATION}k_{family}"))
            part = _perturbed(con, part, bound.protected, rates)
        part = part.with_columns(pl.col(d).cast(pl.String) for d in by)
        if merged is None:
            merged = part
        elif by:
            merged = merged.join(part, on=list(by), how="full", coalesce=True, nulls_equal=True)
        else:
            merged = pl.concat([merged, part.drop([c for c in part.columns if c in merged.columns])],
                               how="horizontal")
    assert merged is not None  # resolve() guarantees at least one metric
    additive = {m.name for m in METRICS if m.kind in _ADDITIVE} | {gate_column(m.name) for m in METRICS}
    additive |= {c for c in merged.columns if c.startswith(_POPULATION)}
    merged = merged.with_columns(pl.col(name).fill_null(0) for name in sorted(additive & set(merged.columns)))
    return merged.sort(list(by), nulls_last=True) if by else merged


def _perturbed(con: duckdb.DuckDBPyConnection, part: pl.DataFrame, plan: Protected,
               rates: list[str]) -> pl.DataFrame:
    """Counts (and the people behind records and sums) as published; rates computed from them."""
    table = published_table(con)
    published = [perturb(part.get_column(name), part.get_column(key), table).alias(name)
                 for name, key in plan.keys.items()]
    published += [perturb(part.get_column(count), part.get_column(key), table).alias(gate_column(name))
                  for name, (count, key) in plan.gates.items()]
    part = part.with_columns(published)
    part = part.drop([c for c in part.columns if c.startswith(KEY_PREFIX)])
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
_MISSING_COLUMN = re.compile(r'Referenced column "?(person_code|record_key)"? not found')


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]) -> pl.DataFrame:
    try:
        table = con.sql(sql, params=parameters).to_arrow_table()
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
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _people_metric(family: Family) -> Metric | None:
    """The family's count of all its people (clients_reached, clients_contacted, ...); None for events."""
    if not FAMILIES[family].names_people:
        return None
    plain = "count(*)" if FAMILIES[family].people_only else "count(DISTINCT client_key)"
    return next(m for m in METRICS if m.family is family and m.kind is Kind.UNIQUE and m.measure == plain)


def _partitions_people(by: tuple[str, ...], exclude: Mapping[str, tuple[str, ...]]) -> bool:
    """Whether every person falls in exactly one group (no breakdown, or only dimensions of one value each)."""
    return not exclude and all(DIMENSIONS_BY_NAME[d].partitions_clients for d in by)


def _population(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery, frame: pl.DataFrame) -> float:
    """The view's filtered population: the largest perturbed people count of its families, filters
    applied, no breakdown (not the top-N exclusion: the rest belongs to its table's population)."""
    people = [p for p in dict.fromkeys(_people_metric(m.family) for m in resolved.metrics) if p is not None]
    if not people:
        return float("inf")  # events only: head counts name no person
    if _partitions_people(resolved.by, resolved.exclude):
        table = published_table(con)
        counts, keys = [], []
        for person in people:
            counts.append(int(frame.get_column(f"{_POPULATION}n_{person.family}").sum()))
            keys.append(int(frame.get_column(f"{_POPULATION}k_{person.family}").sum()) % table.deviations.shape[1])
        return int(perturb(pl.Series("n", counts), pl.Series("k", keys), table).max())  # type: ignore[arg-type]
    totals = _figures(con, resolved, population=tuple(people))
    return max(int(totals.get_column(p.name)[0]) for p in people)


def _sparse(frame: pl.DataFrame, resolved: ResolvedQuery) -> tuple[pl.DataFrame, pl.DataFrame]:
    """No figures: no rows for a breakdown (the groups present would tell who is there), one empty row for a total."""
    names = [m.name for m in resolved.metrics]
    empty = frame.clear() if resolved.by else frame.head(1).with_columns(pl.lit(None).alias(n) for n in names)
    return empty, pl.DataFrame({n: [HIDDEN] * empty.height for n in names}, schema=dict.fromkeys(names, pl.String))


def _rules(frame: pl.DataFrame, resolved: ResolvedQuery) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Records, sums and medians only where enough people (perturbed) stand behind them; rounding; no zero rows."""
    shown: dict[str, pl.Expr] = {}
    for metric in resolved.metrics:
        value = pl.col(metric.name)
        if metric.kind is Kind.COUNT and gate_column(metric.name) in frame.columns:
            shown[metric.name] = pl.col(gate_column(metric.name)) >= RECORDS_MIN_PEOPLE
        elif metric.kind is Kind.SUM:
            gate = gate_column(metric.name)
            # Event head counts name no person: the head count itself must reach the threshold.
            behind = pl.col(gate) if gate in frame.columns else value
            shown[metric.name] = behind >= SUMS_MIN_PEOPLE
        elif metric.kind is Kind.MEDIAN:
            assert metric.rests_on is not None
            shown[metric.name] = pl.col(metric.rests_on) >= SUMS_MIN_PEOPLE
    names = [m.name for m in resolved.metrics]
    rounded = [pl.col(m.name).round(0).cast(pl.Int64) for m in resolved.metrics
               if m.kind in (Kind.SUM, Kind.MEDIAN) and frame.schema[m.name].is_float()]
    if not shown and not rounded and not resolved.by:  # counts of people only: nothing more to do
        return frame, pl.DataFrame({n: [SHOWN] * frame.height for n in names}, schema=dict.fromkeys(names, pl.String))
    frame = frame.with_columns(rounded)
    flags = frame.select(
        pl.when(shown[n].fill_null(False)).then(pl.lit(SHOWN)).otherwise(pl.lit(HIDDEN)).alias(n)
        if n in shown else pl.lit(SHOWN).alias(n) for n in names
    )
    frame = frame.with_columns(pl.when(shown[n].fill_null(False)).then(pl.col(n)).otherwise(None).alias(n)
                               for n in shown)
    if resolved.by:
        # A true 0 has no row: a row whose every figure is 0 or hidden would tell a 1 or 2 from nothing.
        keep = pl.any_horizontal([pl.col(n).fill_null(0) != 0 for n in names])
        kept = frame.select(keep.alias("keep")).get_column("keep")
        frame, flags = frame.filter(kept), flags.filter(kept)
    return frame, flags
