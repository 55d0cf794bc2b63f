"""The figures of the ministry workbook, gathered from the metric API only, exact.

The workbook publishes exact figures with audited hiding (disclosure.md, rule 2), so it asks
the metric layer for exact counts and leaves the hiding to reports/ministry_audit.py, which
sees all sheets together. Every figure is within one scope (the downloading user's, or
pipelines.access.EVERYTHING for the operator).
"""

from __future__ import annotations

from datetime import date

import duckdb

from pipelines.access import Scope
from pipelines.metrics import MetricQuery, compute
from pipelines.metrics.protection import Protection
from pipelines.reference.labels import label
from pipelines.targets import ProjectTargets
from reports.cells import Cell, column_cells
from reports.framework import Framework, Indicator
from reports.ministry_model import Breakdown, BreakdownRow, IndicatorValue, MinistryData, TargetRow
from reports.provenance import read_provenance


def _query(scope: Scope, date_from: date, date_to: date, metrics: tuple[str, ...], by: tuple[str, ...] = (),
           where: dict[str, tuple[str, ...]] | None = None) -> MetricQuery:
    # Exact: the workbook's hiding is chosen over all its sheets at once (ministry_audit.protect).
    return MetricQuery(date_from=date_from, date_to=date_to, metrics=metrics, by=by,
                       where=dict(where or {}), protection=Protection.EXACT, scope=scope)


def indicator_value(con: duckdb.DuckDBPyConnection, indicator: Indicator, date_from: date, date_to: date, *,
                    scope: Scope) -> Cell:
    result = compute(con, _query(scope, date_from, date_to, (indicator.metric,), where=indicator.where))
    cells = column_cells(result, indicator.metric)
    return cells[0] if cells else 0


def breakdown(con: duckdb.DuckDBPyConnection, indicator: Indicator, dimension: str,
              date_from: date, date_to: date, *, scope: Scope) -> Breakdown:
    result = compute(con, _query(scope, date_from, date_to, (indicator.metric,), by=(dimension,),
                                 where=indicator.where))
    codes = [str(code) for code in result.frame.get_column(dimension).to_list()]
    values = column_cells(result, indicator.metric)
    rows = tuple(
        BreakdownRow(code, label(dimension, code, "cs"), label(dimension, code, "en"), value)
        for code, value in zip(codes, values, strict=True)
    )
    return Breakdown(dimension, indicator, rows)


def target_rows(con: duckdb.DuckDBPyConnection, targets: ProjectTargets,
                date_from: date, date_to: date, *, scope: Scope) -> tuple[TargetRow, ...]:
    metrics = tuple(targets.targets)
    result = compute(con, _query(scope, date_from, date_to, metrics))
    return tuple(
        TargetRow(metric, targets.targets[metric], targets.pro_rata(metric, date_from, date_to),
                  (column_cells(result, metric) or [0])[0])
        for metric in metrics
    )


def gather_ministry(con: duckdb.DuckDBPyConnection, framework: Framework, targets: ProjectTargets,
                    date_from: date, date_to: date, *, scope: Scope) -> MinistryData:
    """Every figure exact, within `scope`: pass the result through ministry_audit.protect before it is written."""
    main = framework.indicator(framework.breakdown_indicator)
    value = {"date_from": date_from, "date_to": date_to, "scope": scope}
    return MinistryData(
        framework=framework, date_from=date_from, date_to=date_to,
        indicators=tuple(IndicatorValue(i, indicator_value(con, i, **value)) for i in framework.indicators),
        separate=tuple(IndicatorValue(i, indicator_value(con, i, **value)) for i in framework.reported_separately),
        breakdowns=tuple(breakdown(con, main, dim, **value) for dim in framework.breakdown_dimensions),
        targets=targets,
        target_rows=target_rows(con, targets, **value),
        provenance=read_provenance(con, scope),
    )
