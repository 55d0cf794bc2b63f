"""The period model (pipelines/metrics/periods.py): kinds, presets, the comparison period, coverage."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.access import EVERYTHING
from pipelines.metrics.periods import (
    Coverage,
    Period,
    comparison_has_data,
    comparison_period,
    data_coverage,
    preset_period,
)


@pytest.mark.parametrize(("date_from", "date_to", "kind"), [
    (date(2023, 2, 1), date(2023, 2, 28), "month"),
    (date(2024, 2, 1), date(2024, 2, 29), "month"),
    (date(2023, 4, 1), date(2023, 6, 30), "quarter"),
    (date(2023, 1, 1), date(2023, 12, 31), "year"),
    (date(2023, 2, 1), date(2023, 4, 30), "custom"),  # three months, not a calendar quarter
    (date(2023, 1, 2), date(2023, 1, 31), "custom"),
    (date(2022, 8, 1), date(2023, 7, 31), "custom"),  # twelve months, not a calendar year
])
def test_a_periods_kind_follows_from_its_dates(date_from: date, date_to: date, kind: str) -> None:
    assert Period(date_from, date_to).kind == kind


@pytest.mark.parametrize(("preset", "value", "expected"), [
    ("month", "2023-03", Period(date(2023, 3, 1), date(2023, 3, 31))),
    ("quarter", "2023-Q4", Period(date(2023, 10, 1), date(2023, 12, 31))),
    ("year", "2023", Period(date(2023, 1, 1), date(2023, 12, 31))),
    ("quarter", "2023-Q5", None),
    ("month", "2023", None),
])
def test_presets_name_calendar_periods(preset: str, value: str, expected: Period | None) -> None:
    assert preset_period(preset, value) == expected


@pytest.mark.parametrize(("period", "comparison", "expected"), [
    # A calendar period: the previous calendar period, whatever its length.
    (Period(date(2023, 1, 1), date(2023, 3, 31)), "previous", Period(date(2022, 10, 1), date(2022, 12, 31))),
    (Period(date(2023, 3, 1), date(2023, 3, 31)), "previous", Period(date(2023, 2, 1), date(2023, 2, 28))),
    (Period(date(2024, 3, 1), date(2024, 3, 31)), "previous", Period(date(2024, 2, 1), date(2024, 2, 29))),
    (Period(date(2023, 1, 1), date(2023, 1, 31)), "previous", Period(date(2022, 12, 1), date(2022, 12, 31))),
    (Period(date(2024, 1, 1), date(2024, 12, 31)), "previous", Period(date(2023, 1, 1), date(2023, 12, 31))),
    # A custom range: the same number of days just before it.
    (Period(date(2023, 1, 10), date(2023, 1, 19)), "previous", Period(date(2022, 12, 31), date(2023, 1, 9))),
    (Period(date(2022, 8, 1), date(2023, 7, 31)), "previous", Period(date(2021, 8, 1), date(2022, 7, 31))),
    # Year on year: the same dates a year earlier (29 February becomes 28 February).
    (Period(date(2023, 1, 1), date(2023, 3, 31)), "year", Period(date(2022, 1, 1), date(2022, 3, 31))),
    (Period(date(2024, 2, 1), date(2024, 2, 29)), "year", Period(date(2023, 2, 1), date(2023, 2, 28))),
    (Period(date(2023, 1, 10), date(2023, 1, 19)), "none", None),
    (Period(date(1, 1, 1), date(1, 1, 31)), "previous", None),  # nothing before year 1
])
def test_comparison_period(period: Period, comparison: str, expected: Period | None) -> None:
    assert comparison_period(period, comparison) == expected


def test_coverage_is_the_first_and_last_dated_record(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE TABLE fct_activities (active_from DATE, active_to DATE)")
    con.execute("CREATE TABLE fct_events (event_date DATE)")
    con.execute("CREATE TABLE fct_outcomes (outcome_date DATE)")
    assert data_coverage(con, EVERYTHING) is None  # an empty warehouse has no data to compare with
    con.execute("INSERT INTO fct_activities VALUES ('2022-08-03', '2022-09-30')")
    con.execute("INSERT INTO fct_events VALUES ('2022-07-15')")
    con.execute("INSERT INTO fct_outcomes VALUES ('2022-10-15')")
    coverage = data_coverage(con, EVERYTHING)
    assert coverage == Coverage(date(2022, 7, 15), date(2022, 10, 15))
    before = Period(date(2022, 6, 1), date(2022, 6, 30))
    touching = Period(date(2022, 7, 1), date(2022, 7, 15))
    assert not comparison_has_data(before, coverage)
    assert comparison_has_data(touching, coverage)
    assert not comparison_has_data(touching, None)
    assert not comparison_has_data(None, coverage)
