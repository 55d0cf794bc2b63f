"""What the board pack shows: plain data filled from the metric API by board.data."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import polars as pl

from pipelines.targets import ProjectTargets
from reports.cells import Cell, is_number
from reports.provenance import Provenance

KPI_METRICS = (
    "clients_reached", "new_clients", "contacts", "service_hours",
    "course_participants", "clients_with_outcome", "event_attendance",
)


def previous_period(date_from: date, date_to: date) -> tuple[date, date]:
    """The period of equal length that ends the day before `date_from`."""
    days = (date_to - date_from).days + 1
    return date_from - timedelta(days=days), date_from - timedelta(days=1)


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
    # Chart frames as the metric API returns them, with `<metric>__flag` columns (dashboard/figures.py).
    charts: dict[str, pl.DataFrame]
    provenance: Provenance
    course_results: pl.DataFrame = field(default_factory=pl.DataFrame)  # by service: enrolments, completions, gains

    @property
    def previous(self) -> tuple[date, date]:
        return previous_period(self.date_from, self.date_to)

    def kpi(self, metric: str) -> Kpi | None:
        return next((k for k in self.kpis if k.metric == metric), None)

    def comparison(self, metric: str, dimension: str) -> Comparison | None:
        return next((c for c in self.comparisons if c.metric == metric and c.dimension == dimension), None)
