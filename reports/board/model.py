"""What the board pack shows: plain data filled from the metric API by board.data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import polars as pl

from pipelines.metrics.periods import Period, comparison_period
from pipelines.project_to_date import ProjectToDate
from pipelines.targets import ProjectTargets
from reports.cells import Cell, is_number
from reports.incomplete import Incomplete
from reports.provenance import Provenance

KPI_METRICS = (
    "clients_reached", "new_clients", "contacts", "service_hours",
    "course_participants", "clients_with_outcome", "event_attendance",
)


@dataclass(frozen=True)
class Kpi:
    metric: str
    current: Cell
    previous: Cell
    target: float | None  # the project target pro rata for the period

    @property
    def change(self) -> float | None:
        if is_number(self.current) and is_number(self.previous):
            return float(self.current) - float(self.previous)  # type: ignore[arg-type]
        return None

    @property
    def relative_change(self) -> float | None:
        change = self.change
        if change is None or not self.previous:
            return None
        return change / float(self.previous)  # type: ignore[arg-type]

    @property
    def achieved(self) -> float | None:
        if is_number(self.current) and self.target:
            return float(self.current) / self.target  # type: ignore[arg-type]
        return None


@dataclass(frozen=True)
class PartChange:
    code: str
    current: Cell
    previous: Cell

    @property
    def change(self) -> float | None:
        if is_number(self.current) and is_number(self.previous):
            return float(self.current) - float(self.previous)  # type: ignore[arg-type]
        return None


@dataclass(frozen=True)
class Comparison:
    """One metric split by one dimension in the current and the previous period."""

    metric: str
    dimension: str
    parts: tuple[PartChange, ...]


@dataclass(frozen=True)
class BoardData:
    date_from: date
    date_to: date
    targets: ProjectTargets
    kpis: tuple[Kpi, ...]
    comparisons: tuple[Comparison, ...]
    # Chart frames as the metric API returns them, with `<metric>__flag` columns (charts/figures.py).
    charts: dict[str, pl.DataFrame]
    provenance: Provenance
    course_results: pl.DataFrame = field(default_factory=pl.DataFrame)  # by service: enrolments, completions, gains
    # False where the comparison period lies before the data: its figures are not shown as 0.
    comparison_has_data: bool = True
    # The project to date of the pack's centres (pipelines/project_to_date.py); None: no targets for them.
    project: ProjectToDate | None = None
    # The months of the period some centre in scope has not delivered yet (the delivery calendar).
    incomplete: Incomplete = field(default_factory=Incomplete)
    # The pack's people counts are the sum of its centres' unique clients (pipelines/metrics/linkage.py).
    people_summed: bool = False

    @property
    def previous(self) -> tuple[date, date]:
        """The comparison period (pipelines.metrics.periods, as on the dashboard)."""
        compared = previous_of(self.date_from, self.date_to)
        return compared.date_from, compared.date_to

    def kpi(self, metric: str) -> Kpi | None:
        return next((k for k in self.kpis if k.metric == metric), None)

    def comparison(self, metric: str, dimension: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.metric == metric and c.dimension == dimension), None)


def previous_of(date_from: date, date_to: date) -> Period:
    """The board pack compares with the previous period (a calendar one for a calendar period)."""
    compared = comparison_period(Period(date_from, date_to), "previous")
    if compared is None:  # only before the first representable date
        raise ValueError(f"no period precedes {date_from}")
    return compared
