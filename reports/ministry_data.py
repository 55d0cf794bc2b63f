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
from pipelines.errors import ReachError
from pipelines.metrics import MetricQuery, MetricResult, compute
from pipelines.metrics.protection import Protection
from pipelines.reference.centres import centre
from pipelines.reference.labels import label
from pipelines.targets import ProjectTargets
from reports.cells import Cell, column_cells
from reports.framework import Framework, Indicator
from reports.incomplete import incomplete_months
from reports.ministry_model import (
    Breakdown,
    BreakdownRow,
    CentreSheet,
    IndicatorValue,
    MinistryData,
    TargetRow,
)
from reports.provenance import read_provenance


def _query(scope: Scope, date_from: date, date_to: date, metrics: tuple[str, ...], by: tuple[str, ...] = (),
           where: dict[str, tuple[str, ...]] | None = None) -> MetricQuery:
    # Exact: the workbook's hiding is chosen over all its sheets at once (ministry_audit.protect).
    return MetricQuery(date_from=date_from, date_to=date_to, metrics=metrics, by=by,
                       where=dict(where or {}), protection=Protection.EXACT, scope=scope)


def indicator_result(con: duckdb.DuckDBPyConnection, indicator: Indicator, date_from: date, date_to: date, *,
                     scope: Scope) -> MetricResult:
    return compute(con, _query(scope, date_from, date_to, (indicator.metric,), where=indicator.where))


def _value(result: MetricResult, indicator: Indicator) -> Cell:
    cells = column_cells(result, indicator.metric)
    return cells[0] if cells else 0


def centre_values(con: duckdb.DuckDBPyConnection, indicator: Indicator, date_from: date, date_to: date, *,
                  scope: Scope) -> dict[str, Cell]:
    """The indicator for each centre with people in it (the metric layer's `centre` dimension)."""
    result = compute(con, _query(scope, date_from, date_to, (indicator.metric,), by=("centre",),
                                 where=indicator.where))
    codes = result.frame.get_column("centre").to_list()
    return {str(code): value for code, value in zip(codes, column_cells(result, indicator.metric), strict=True)
            if code is not None}


def _centre_name(code: str) -> str:
    try:
        return centre(code).name
    except ReachError:  # a centre loaded before the seed lost it: its code is its name
        return code


def centre_sheets(con: duckdb.DuckDBPyConnection, framework: Framework, date_from: date, date_to: date, *,
                  scope: Scope) -> tuple[tuple[str, ...], tuple[CentreSheet, ...]]:
    """The codes of the centres with figures in the period, and one sheet per centre when there are two or more.

    Every centre any indicator counts someone of is listed, so a centre not listed has zero of every
    indicator (the disclosure audit relies on it: the total is the sum of the listed centres).
    """
    per_centre = {i.code: centre_values(con, i, date_from, date_to, scope=scope)
                  for i in (*framework.indicators, *framework.reported_separately)}
    codes = tuple(sorted({code for values in per_centre.values() for code in values}))
    if len(codes) < 2:
        return codes, ()

    def values(indicators: tuple[Indicator, ...], code: str) -> tuple[IndicatorValue, ...]:
        return tuple(IndicatorValue(i, per_centre[i.code].get(code, 0)) for i in indicators)

    return codes, tuple(
        CentreSheet(code, _centre_name(code), values(framework.indicators, code),
                    values(framework.reported_separately, code))
        for code in codes
    )


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
    codes, sheets = centre_sheets(con, framework, **value)
    results = {i.code: indicator_result(con, i, **value)
               for i in (*framework.indicators, *framework.reported_separately)}
    return MinistryData(
        framework=framework, date_from=date_from, date_to=date_to,
        indicators=tuple(IndicatorValue(i, _value(results[i.code], i)) for i in framework.indicators),
        separate=tuple(IndicatorValue(i, _value(results[i.code], i)) for i in framework.reported_separately),
        breakdowns=tuple(breakdown(con, main, dim, **value) for dim in framework.breakdown_dimensions),
        targets=targets,
        target_rows=target_rows(con, targets, **value),
        provenance=read_provenance(con, scope),
        centre_codes=codes, national=scope.everything, centres=sheets,
        incomplete=incomplete_months(con, scope, date_from, date_to),
        # The breakdown indicator's own result says how its people are counted across centres (linkage.py).
        people_across_centres=results[main.code].people_across_centres,
    )
