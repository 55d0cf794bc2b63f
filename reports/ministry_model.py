"""What the ministry workbook shows: plain data, filled by ministry_data, written by ministry_writer."""

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


@dataclass(frozen=True)
class BreakdownRow:
    code: str
    label_cs: str
    label_en: str
    value: Cell


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
