"""The sample period: months of deliveries as day numbers, vectorised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import polars as pl


@dataclass(frozen=True)
class Period:
    start: date  # first day of the first month
    months: int

    @property
    def month_starts(self) -> list[date]:
        """First day of each delivery month, plus the day after the period."""
        return [_add_months(self.start, k) for k in range(self.months + 1)]

    @property
    def end(self) -> date:
        """First day after the period (exclusive end)."""
        return self.month_starts[-1]

    @property
    def start_day(self) -> int:
        return day_number(self.start)

    @property
    def end_day(self) -> int:
        return day_number(self.end)

    def delivery_name(self, month: int) -> str:
        return self.month_starts[month].strftime("%Y-%m")

    def month_of(self, days: np.ndarray) -> np.ndarray:
        """Delivery month index (0-based) of each day number; before the start -> 0."""
        bounds = np.array([day_number(d) for d in self.month_starts[1:]], dtype=np.int64)
        return np.searchsorted(bounds, days, side="right").astype(np.int16)


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_number(day: date) -> int:
    """Days since 1970-01-01."""
    return (day - date(1970, 1, 1)).days


def to_dates(days: np.ndarray) -> pl.Series:
    return pl.Series(np.asarray(days, dtype="int64").astype("datetime64[D]")).cast(pl.Date)


def year_of(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype="int64").astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970
