"""`compute`: resolve a query, run one SQL per metric family, merge, order and suppress."""

from __future__ import annotations

import re

import duckdb
import polars as pl

from pipelines.errors import ReachError
from pipelines.metrics.catalogue import DIMENSIONS_BY_NAME, Family, Kind, Metric
from pipelines.metrics.query import MetricQuery, ResolvedQuery, resolve
from pipelines.metrics.result import MetricResult
from pipelines.metrics.sql import family_sql
from pipelines.metrics.suppression import HIDDEN, SHOWN, suppress_column

_ADDITIVE = (Kind.UNIQUE, Kind.COUNT, Kind.SUM)  # absent from a group means 0 of them


def compute(con: duckdb.DuckDBPyConnection, query: MetricQuery) -> MetricResult:
    resolved = resolve(query)
    frame = _figures(con, resolved)
    names = tuple(m.name for m in resolved.metrics)
    flags = _flags(frame, resolved) if query.suppress else _all_shown(frame, resolved)
    if query.suppress:
        frame = frame.with_columns(
            pl.when(flags.get_column(name) == SHOWN).then(pl.col(name)).otherwise(None).alias(name)
            for name in flags.columns
        )
    return MetricResult(
        by=resolved.by,
        metrics=names,
        frame=frame.select([*resolved.by, *names]),
        flags=flags.select(list(names)),
    )


def _figures(con: duckdb.DuckDBPyConnection, resolved: ResolvedQuery) -> pl.DataFrame:
    """Every requested metric (plus the people count a derived metric rests on), one row per group, ordered."""
    by = resolved.by
    per_family: dict[Family, list[Metric]] = {}
    for metric in resolved.metrics:
        per_family.setdefault(metric.family, []).append(metric)
    merged: pl.DataFrame | None = None
    for family, metrics in per_family.items():
        measures = [m.name for m in metrics if m.kind is not Kind.RATE]
        rates = [m.name for m in metrics if m.kind is Kind.RATE]
        # A derived metric is published only where the people count it rests on is: compute that too.
        for metric in metrics:
            if metric.rests_on and metric.rests_on not in measures:
                measures.append(metric.rests_on)
        bound = family_sql(
            family, resolved.query.date_from, resolved.query.date_to, by, resolved.where, measures, rates,
            scope=resolved.query.scope,
        )
        part = _run(con, bound.text, bound.parameters)
        part = part.with_columns(pl.col(d).cast(pl.String) for d in by)
        if merged is None:
            merged = part
        elif by:
            merged = merged.join(part, on=list(by), how="full", coalesce=True, nulls_equal=True)
        else:
            merged = pl.concat([merged, part.drop([c for c in part.columns if c in merged.columns])],
                               how="horizontal")
    assert merged is not None  # resolve() guarantees at least one metric
    additive = {m.name for m in resolved.metrics if m.kind in _ADDITIVE}
    additive.update(m.rests_on for m in resolved.metrics if m.rests_on and m.rests_on in merged.columns)
    merged = merged.with_columns(pl.col(name).fill_null(0) for name in sorted(additive))
    return merged.sort(list(by), nulls_last=True) if by else merged


_MISSING_TABLE = re.compile(r"Table with name (\w+) does not exist")


def _run(con: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]) -> pl.DataFrame:
    try:
        table = con.sql(sql, params=parameters).to_arrow_table()
    except duckdb.CatalogException as error:
        found = _MISSING_TABLE.search(str(error))
        what = f"the table {found.group(1)}" if found else "a table or column the metrics need"
        raise ReachError(
            f"The published warehouse lacks {what} ({error}). Rebuild it with reach build."
        ) from error
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    return frame


def _all_shown(frame: pl.DataFrame, resolved: ResolvedQuery) -> pl.DataFrame:
    return pl.DataFrame({m.name: [SHOWN] * frame.height for m in resolved.metrics}, schema=dict.fromkeys(
        (m.name for m in resolved.metrics), pl.String))


def _flags(frame: pl.DataFrame, resolved: ResolvedQuery) -> pl.DataFrame:
    by = resolved.by
    partitioning = [d for d in by if DIMENSIONS_BY_NAME[d].partitions_clients]
    rows = list(frame.select(list(by)).iter_rows()) if by else [()] * frame.height
    columns: dict[str, list[str]] = {}
    for metric in resolved.metrics:
        if metric.kind is Kind.UNIQUE:
            values = frame.get_column(metric.name).to_list()
            columns[metric.name] = suppress_column(values, rows, by, partitioning)
    for metric in resolved.metrics:
        base = metric.rests_on
        if base is not None:
            # A rate or a median over a handful of people gives a person away: hidden with their count.
            base_flags = columns.get(base)
            if base_flags is None:
                base_flags = suppress_column(frame.get_column(base).to_list(), rows, by, partitioning)
            columns[metric.name] = [SHOWN if flag == SHOWN else HIDDEN for flag in base_flags]
        elif metric.name not in columns:
            columns[metric.name] = [SHOWN] * frame.height
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))
