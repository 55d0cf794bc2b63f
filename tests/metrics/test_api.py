"""The metric API on small hand-made marts (MART CONTRACT): rules of the query, not the build."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.access import EVERYTHING
from pipelines.errors import ReachError
from pipelines.metrics import METRICS, MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import HIDDEN, Protection
from pipelines.metrics.query import parse_where, resolve
from support.marts import MartBuilder, home_with_marts

EXACT = Protection.EXACT  # these tests check the SQL's exact figures

AUG, SEP, OCT_END = date(2022, 8, 1), date(2022, 9, 1), date(2022, 10, 31)


@pytest.fixture
def con(tmp_path: Path) -> duckdb.DuckDBPyConnection:
    marts = (
        MartBuilder()
        .client("AAAAAA", registered_on=date(2022, 8, 3), birth_year=2008)
        .client("BBBBBB", registered_on=date(2021, 1, 1), nationality="VN", target_group="third_country_national",
                district="CZ0426", sex="male", birth_year=None)
        # Lives in Liberec (CZ0513, Liberec Region): outside the region of her centre ULK (Ústí, CZ042).
        .client("CCCCCC", registered_on=date(2022, 9, 9), nationality="stateless", district="CZ0513")
        .contact("c1", "AAAAAA", date(2022, 8, 5), duration_min=50)
        .contact("c2", "AAAAAA", date(2022, 9, 5), "legal_counselling", duration_min=45, interpreted=True,
                 branch="Děčín")
        .contact("c3", "BBBBBB", date(2022, 11, 5))  # after the period
        .enrolment("k1", "BBBBBB", "czech_a2", date(2022, 6, 1), date(2022, 8, 31), level_in="A1", level_out="B1",
                   completed=True, attendance_pct=None)
        .enrolment("k2", "CCCCCC", "sociocultural_orientation", date(2022, 10, 1), None)
        .event("e1", "lecture_public", date(2022, 9, 10), participants=30, participants_foreign=None,
               client_ids=["AAAAAA", "CCCCCC"], district="CZ0421")
        .outcome("o1", "BBBBBB", date(2022, 9, 1))
        .outcome("o2", "AAAAAA", date(2022, 9, 2), "housing_secured", verified=False)
    )
    home = home_with_marts(tmp_path, marts, {"CZ0427": 2000, "CZ0426": 4000, "CZ042": 8000})
    connection = open_warehouse(home)
    yield connection
    connection.close()


def one_row(con: duckdb.DuckDBPyConnection, **kwargs: object) -> dict[str, object]:
    [row] = compute(con, MetricQuery(**kwargs,
        protection=EXACT, scope=EVERYTHING)).frame.to_dicts()  # type: ignore[arg-type]
    return row


def test_totals_for_a_period(con: duckdb.DuckDBPyConnection) -> None:
    row = one_row(con, date_from=AUG, date_to=OCT_END)
    assert row == {
        "clients_reached": 3, "new_clients": 2, "contacts": 2, "service_hours": 1.6,  # 95 min
        "course_participants": 2, "course_completions": 1, "level_gains": 1, "event_attendance": 30,
        "outcomes": 2, "clients_with_outcome": 2, "enrolments": 2, "interpreted_contacts": 1, "events": 1,
        "event_participants_foreign": 0, "median_days_to_outcome": round(((608) + 30) / 2, 1),
        "clients_contacted": 1,  # c1 and c2 are both AAAAAA's
        "clients_with_level_gain": 1,  # BBBBBB: A1 -> B1 in k1
    }


def test_all_metrics_listed_without_grouping_except_those_needing_a_dimension(
    con: duckdb.DuckDBPyConnection,
) -> None:
    result = compute(con, MetricQuery(AUG, OCT_END, protection=EXACT, scope=EVERYTHING))
    assert result.metrics == tuple(m.name for m in METRICS if not m.requires)


def test_explicit_metric_with_inapplicable_dimension_is_an_error(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ReachError, match=r"'course_participants'.*'topic'"):
        compute(con, MetricQuery(AUG, OCT_END, ("course_participants",), by=("topic",),
            protection=EXACT, scope=EVERYTHING))
    with pytest.raises(ReachError, match=r"'event_attendance'.*'nationality'"):
        compute(con, MetricQuery(AUG, OCT_END, ("event_attendance",), where={"nationality": ("UA",)},
            protection=EXACT, scope=EVERYTHING))
    with pytest.raises(ReachError, match="only available with --by district"):
        compute(con, MetricQuery(AUG, OCT_END, ("reach_per_1000_foreign",), protection=EXACT, scope=EVERYTHING))


def test_implicit_metrics_leave_out_those_a_dimension_does_not_apply_to(con: duckdb.DuckDBPyConnection) -> None:
    result = compute(con, MetricQuery(AUG, OCT_END, by=("topic",), protection=EXACT, scope=EVERYTHING))
    assert result.metrics == ("contacts", "service_hours", "interpreted_contacts", "clients_contacted")
    result = compute(con, MetricQuery(AUG, OCT_END, by=("audience",), protection=EXACT, scope=EVERYTHING))
    assert result.metrics == ("event_attendance", "events", "event_participants_foreign")


@pytest.mark.parametrize(("where", "message"), [
    (["nationality=Ukrajina"], "alpha-2"),
    (["month=2022-13"], "YYYY-MM"),
    (["colour=red"], "Unknown dimension 'colour'"),
    (["service=yoga"], "not a value of service"),
    (["nationality"], "DIM=VALUE"),
    (["district=Praha"], "district code"),
    (["district=CZ9999"], "district code of the reference data"),  # well-formed, but no district has it
    (["district=outside_region"], "district code"),  # a district is where a client lives, never a list's rest
    (["region=CZ0427"], "NUTS 3 region code"),  # a district is not a region
    (["in_centre_region=maybe"], "not a value of in_centre_region"),
])
def test_bad_filters_are_clear_errors(con: duckdb.DuckDBPyConnection, where: list[str], message: str) -> None:
    with pytest.raises(ReachError, match=message):
        compute(con, MetricQuery(AUG, OCT_END, where=parse_where(where), protection=EXACT, scope=EVERYTHING))


def test_any_district_of_the_country_is_a_filter_value() -> None:
    """Valid district codes come from the reference data, so a district of any region passes, CZ020A too."""
    query = MetricQuery(AUG, OCT_END, where=parse_where(["district=cz020a,CZ0642,Unknown", "region=cz051"]),
                        scope=EVERYTHING)
    assert resolve(query).where == {"district": ("CZ020A", "CZ0642", "unknown"), "region": ("CZ051",)}


def test_filter_values_are_bound_not_formatted_into_sql(con: duckdb.DuckDBPyConnection) -> None:
    hostile = "x') OR 1=1 OR ('"
    row = one_row(con, date_from=AUG, date_to=OCT_END, metrics=("contacts",), where={"branch": (hostile,)})
    assert row == {"contacts": 0}
    assert one_row(con, date_from=AUG, date_to=OCT_END, metrics=("contacts",),
                   where={"branch": ("Děčín",)}) == {"contacts": 1}


def test_grouped_rows_are_ordered_and_absent_groups_count_zero(con: duckdb.DuckDBPyConnection) -> None:
    frame = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached", "contacts"), by=("nationality",),
        protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"nationality": "UA", "clients_reached": 1, "contacts": 2},
        {"nationality": "VN", "clients_reached": 1, "contacts": 0},  # reached by the course only
        {"nationality": "stateless", "clients_reached": 1, "contacts": 0},
    ]


def test_event_district_is_the_events_own(con: duckdb.DuckDBPyConnection) -> None:
    frame = compute(con, MetricQuery(AUG, OCT_END, ("event_attendance", "contacts"), by=("district",),
        protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"district": "CZ0421", "event_attendance": 30, "contacts": 0},
        {"district": "CZ0427", "event_attendance": 0, "contacts": 2},
    ]


def test_reach_per_1000_wherever_the_reference_has_foreign_residents(con: duckdb.DuckDBPyConnection) -> None:
    """By district where dim_district has foreign residents (Liberec has none here), by region from dim_region."""
    frame = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached", "reach_per_1000_foreign"),
                                     by=("district",), protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"district": "CZ0426", "clients_reached": 1, "reach_per_1000_foreign": 0.25},
        {"district": "CZ0427", "clients_reached": 1, "reach_per_1000_foreign": 0.5},
        {"district": "CZ0513", "clients_reached": 1, "reach_per_1000_foreign": None},
    ]
    frame = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached", "reach_per_1000_foreign"),
                                     by=("region",), protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [  # AAAAAA and BBBBBB in the Ústí Region: 2 per 8,000 -> 0.25 per 1,000
        {"region": "CZ042", "clients_reached": 2, "reach_per_1000_foreign": 0.25},
        {"region": "CZ051", "clients_reached": 1, "reach_per_1000_foreign": None},
    ]
    # With both, each row is its district's rate (the finer area).
    frame = compute(con, MetricQuery(AUG, OCT_END, ("reach_per_1000_foreign",), by=("region", "district"),
                                     protection=EXACT, scope=EVERYTHING)).frame
    assert frame.filter(pl.col("district") == "CZ0426")["reach_per_1000_foreign"].to_list() == [0.25]


def test_region_and_in_centre_region_of_clients_and_events(con: duckdb.DuckDBPyConnection) -> None:
    """The region is where the client lives (events: where held); in_centre_region compares it with ULK's."""
    frame = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached", "event_attendance"), by=("in_centre_region",),
                                     protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"in_centre_region": "no", "clients_reached": 1, "event_attendance": 0},  # CCCCCC lives in Liberec
        {"in_centre_region": "yes", "clients_reached": 2, "event_attendance": 30},  # e1 was held in Děčín
    ]
    row = one_row(con, date_from=AUG, date_to=OCT_END, metrics=("clients_reached",), where={"region": ("CZ051",)})
    assert row == {"clients_reached": 1}


def test_age_band_and_attendance_band(con: duckdb.DuckDBPyConnection) -> None:
    frame = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached",), by=("age_band",),
        protection=EXACT, scope=EVERYTHING)).frame
    # AAAAAA born 2008 -> 14; BBBBBB no birth year; CCCCCC 1990 -> 32.
    assert frame.to_dicts() == [
        {"age_band": "0-17", "clients_reached": 1},
        {"age_band": "30-44", "clients_reached": 1},
        {"age_band": "unknown", "clients_reached": 1},
    ]
    frame = compute(con, MetricQuery(AUG, OCT_END, ("enrolments",), by=("attendance_band",),
        protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"attendance_band": "75-100", "enrolments": 1},
        {"attendance_band": "unknown", "enrolments": 1},
    ]


def test_a_protected_view_of_few_people_is_sparse(con: duckdb.DuckDBPyConnection) -> None:
    result = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached", "contacts"), scope=EVERYTHING))
    assert result.sparse  # a handful of people: a notice instead of figures
    assert result.frame.to_dicts() == [{"clients_reached": None, "contacts": None}]
    assert result.flags.to_dicts() == [{"clients_reached": HIDDEN, "contacts": HIDDEN}]
    assert result.published().to_dicts() == [{"clients_reached": "x", "contacts": "x"}]
    grouped = compute(con, MetricQuery(AUG, OCT_END, ("clients_reached",), by=("nationality",), scope=EVERYTHING))
    assert grouped.sparse and grouped.frame.height == 0  # no rows: which groups exist would say who is there


def test_period_must_not_end_before_it_starts(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(ReachError, match="after it ends"):
        compute(con, MetricQuery(OCT_END, AUG, protection=EXACT, scope=EVERYTHING))


def test_missing_mart_is_named(tmp_path: Path) -> None:
    path = tmp_path / "warehouse.duckdb"
    duckdb.connect(str(path)).close()
    con = duckdb.connect(str(path), read_only=True)
    with pytest.raises(ReachError, match="lacks the table fct_activities"):
        compute(con, MetricQuery(AUG, SEP, ("clients_reached",), protection=EXACT, scope=EVERYTHING))


def test_interpreted_dimension_beside_interpreted_contacts(con: duckdb.DuckDBPyConnection) -> None:
    frame = compute(con, MetricQuery(AUG, OCT_END, ("contacts", "interpreted_contacts"), by=("interpreted",),
        protection=EXACT, scope=EVERYTHING)).frame
    assert frame.to_dicts() == [
        {"interpreted": "false", "contacts": 1, "interpreted_contacts": 0},
        {"interpreted": "true", "contacts": 1, "interpreted_contacts": 1},
    ]


def test_every_dimension_works_with_every_metric_it_applies_to(con: duckdb.DuckDBPyConnection) -> None:
    from pipelines.metrics import DIMENSIONS
    from pipelines.metrics.catalogue import applies

    for dimension in DIMENSIONS:
        for metric in METRICS:
            if applies(metric, dimension.name) and metric.available_with((dimension.name,)):
                result = compute(con, MetricQuery(AUG, OCT_END, (metric.name,), by=(dimension.name,),
                                                  scope=EVERYTHING))  # protected: every rule applies
                assert result.frame.columns == [dimension.name, metric.name]
