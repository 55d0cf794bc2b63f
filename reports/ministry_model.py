"""What the ministry workbook shows: plain data, filled by ministry_data, written by ministry_writer.

A people count carries its published cell (`value`: a number, `<5` or `x`) and, where that
cell hides it, the exact figure (`exact`) that the writer's disclosure audit needs
(reports/ministry_audit.py). The exact figure is never written to the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pipelines.targets import ProjectTargets
from reports.cells import Cell
from reports.framework import Framework, Indicator
from reports.provenance import Provenance


@dataclass(frozen=True)
class IndicatorValue:
    indicator: Indicator
    value: Cell
    exact: int | float | None = None  # behind a hidden value; None when `value` is the exact number


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label_cs: str
    label_en: str
    value: Cell
    exact: int | float | None = None


@dataclass(frozen=True)
class Breakdown:
    dimension: str
    indicator: Indicator
    rows: tuple[BreakdownRow, ...]


@dataclass(frozen=True)
class TargetRow:
    metric: str
    project_target: float
    period_target: float | None
    actual: Cell
    exact: int | float | None = None


@dataclass(frozen=True)
class MinistryData:
    framework: Framework
    date_from: date
    date_to: date
    indicators: tuple[IndicatorValue, ...]
    separate: tuple[IndicatorValue, ...]
    breakdowns: tuple[Breakdown, ...]
    targets: ProjectTargets
    target_rows: tuple[TargetRow, ...]
    provenance: Provenance


def exact_figure(value: Cell, exact: int | float | None) -> int | float | None:
    """The exact figure behind a published cell: the number shown, or `exact` behind a marker."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return exact
