"""What the ministry workbook shows: plain data, filled by ministry_data, written by ministry_writer.

The indicators sheet holds the whole scope (national for the ministry, or one centre); with two
or more centres each centre also gets a sheet of the same indicators (`centres`).

A people count carries its published cell (`value`: a number, `<5` or `x`) and, where that
cell hides it, the exact figure (`exact`) that the writer's disclosure audit needs
(reports/ministry_audit.py). The exact figure is never written to the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from pipelines.metrics.linkage import Counting
from pipelines.targets import ProjectTargets
from reports.cells import Cell
from reports.framework import Framework, Indicator
from reports.incomplete import Incomplete
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
class CentreSheet:
    """One centre's indicators (the same codes as the workbook's total sheet), exact or published."""

    code: str
    name: str
    indicators: tuple[IndicatorValue, ...]
    separate: tuple[IndicatorValue, ...]


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
    # The centres whose people the figures count (codes, sorted), and whether the scope is every centre.
    centre_codes: tuple[str, ...] = ()
    national: bool = False
    # One sheet per centre when the workbook has two or more; the total sheet is then their sum, or,
    # where every centre delivers the linkage key, counts each person once (pipelines/metrics/linkage.py).
    centres: tuple[CentreSheet, ...] = ()
    people_across_centres: Counting = Counting.ONE_CENTRE
    # The months of the period some centre in scope has not delivered yet (the delivery calendar).
    incomplete: Incomplete = field(default_factory=Incomplete)

    @property
    def people_summed(self) -> bool:
        """The total sheet's people counts are the sum of the centres' unique clients."""
        return bool(self.centres) and self.people_across_centres is not Counting.ONCE

    @property
    def people_linked(self) -> bool:
        """The total sheet's people counts count each person once across its centres."""
        return bool(self.centres) and self.people_across_centres is Counting.ONCE


def exact_figure(value: Cell, exact: int | float | None) -> int | float | None:
    """The exact figure behind a published cell: the number shown, or `exact` behind a marker."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return exact
