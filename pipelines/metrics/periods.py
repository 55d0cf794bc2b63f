"""The period model, shared by the dashboard, the CLI and both reports (issue 10, item 2).

- Presets: a calendar year (`2023`), quarter (`2023-Q1`) or month (`2023-01`), a custom range,
  or the project period.
- A period's kind follows from its dates: a range that is exactly one calendar month, quarter or
  year is that month, quarter or year, whichever surface chose it (a CLI range has no preset).
- The comparison period: "previous" is the previous calendar month, quarter or year for those
  kinds, and the same number of days just before a custom range; "year" is the same dates a
  year earlier; "none" is no comparison.
- "To date": the data's coverage (within the user's scope), from the first to the last date with
  any activity, event or outcome. A comparison period that ends before the first date has no data at all, and every
  surface says so (NO_COMPARISON_DATA) instead of comparing with 0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import duckdb

from pipelines.access.model import Scope
from pipelines.contract import EARLIEST_DATE
from pipelines.metrics.sql import coverage_sql

PRESETS = ("project", "year", "quarter", "month", "custom")
CALENDAR_MONTHS = {"month": 1, "quarter": 3, "year": 12}  # calendar kinds and their length in months
COMPARISONS = ("previous", "year", "none")
# Dates a period may cover: from EARLIEST_DATE (the contract's first date, before any export this
# product will see) to one year after today. Anything outside is a typo or a forged link.
YEARS_AHEAD = 1
# What every surface shows where the comparison period lies before the data (Czech, English).
NO_COMPARISON_DATA = ("Pro srovnávací období nejsou data", "No data for the comparison period")

_YEAR = re.compile(r"[0-9]{4}")
_QUARTER = re.compile(r"([0-9]{4})-Q([1-4])")
_MONTH = re.compile(r"([0-9]{4})-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1

    @property
    def kind(self) -> str:
        """`month`, `quarter` or `year` when the dates are exactly one of those, else `custom`."""
        start = self.date_from
        if start.day != 1:
            return "custom"
        for kind, months in CALENDAR_MONTHS.items():
            if (kind == "quarter" and start.month % 3 != 1) or (kind == "year" and start.month != 1):
                continue
            if self.date_to == _month_end(_add_months(start, months - 1)):
                return kind
        return "custom"


def date_bounds(today: date | None = None) -> tuple[date, date]:
    """The first and last date a period may cover (EARLIEST_DATE .. today + YEARS_AHEAD years)."""
    today = today or date.today()
    return EARLIEST_DATE, _years_later(today, YEARS_AHEAD)


def preset_period(preset: str, value: str) -> Period | None:
    """The year, quarter or month a preset's value names (`2023`, `2023-Q1`, `2023-01`), or None
    when it names none of them or starts outside date_bounds()."""
    if preset == "year" and (match := _YEAR.fullmatch(value)):
        start = date(int(match[0]), 1, 1)
    elif preset == "quarter" and (match := _QUARTER.fullmatch(value)):
        start = date(int(match[1]), 3 * (int(match[2]) - 1) + 1, 1)
    elif preset == "month" and (match := _MONTH.fullmatch(value)):
        start = date(int(match[1]), int(match[2]), 1)
    else:
        return None
    earliest, latest = date_bounds()
    # A period that starts within the bounds is shown whole (this year's December may end after them).
    if not earliest <= start <= latest:
        return None
    return Period(start, _month_end(_add_months(start, CALENDAR_MONTHS[preset] - 1)))


def comparison_period(period: Period, comparison: str = "previous") -> Period | None:
    """The period `period` is compared with (module docstring); None for no comparison or when it
    would fall before the first representable date."""
    try:
        return _comparison(period, comparison)
    except (ValueError, OverflowError):
        return None


def _comparison(period: Period, comparison: str) -> Period | None:
    if comparison == "previous" and period.kind in CALENDAR_MONTHS:
        start = _add_months(period.date_from, -CALENDAR_MONTHS[period.kind])
        return Period(start, period.date_from - timedelta(days=1))
    if comparison == "previous":
        end = period.date_from - timedelta(days=1)
        return Period(end - timedelta(days=period.days - 1), end)
    if comparison == "year":
        return Period(_years_later(period.date_from, -1), _years_later(period.date_to, -1))
    return None


@dataclass(frozen=True)
class Coverage:
    """The data to date: the first and the last date with any activity, event or outcome."""

    first: date
    last: date

    def has_data(self, period: Period) -> bool:
        return period.date_from <= self.last and period.date_to >= self.first


def data_coverage(con: duckdb.DuckDBPyConnection, scope: Scope) -> Coverage | None:
    """The coverage of the data within `scope`, or None when it holds no dated record at all."""
    bound = coverage_sql(scope)
    ((first, last),) = con.execute(bound.text, bound.parameters).fetchall()  # fetchall: the result is finished
    return None if first is None else Coverage(first, last)


def comparison_has_data(comparison: Period | None, coverage: Coverage | None) -> bool:
    """False where a comparison period lies wholly outside the data (before the first delivery)."""
    return comparison is not None and coverage is not None and coverage.has_data(comparison)


def no_comparison_data(lang: str) -> str:
    cs, en = NO_COMPARISON_DATA
    return cs if lang == "cs" else en


def months_touched(date_from: date, date_to: date) -> tuple[tuple[str, date], ...]:
    """(YYYY-MM, the month's last day) for every month from date_from's to date_to's."""
    first, last = date_from.replace(day=1), date_to.replace(day=1)
    months = []
    while first <= last:
        months.append((f"{first.year:04d}-{first.month:02d}", _month_end(first)))
        first = _add_months(first, 1)
    return tuple(months)


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _years_later(value: date, years: int) -> date:
    try:
        return value.replace(year=value.year + years)
    except ValueError:  # 29 February
        return value.replace(year=value.year + years, day=28)


def _month_end(first: date) -> date:
    return _add_months(first, 1) - timedelta(days=1)
