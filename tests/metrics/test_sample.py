"""Metrics on the shared generated sample (real generate + load + build), checked two ways:

- against figures recomputed in polars straight from the fact marts (contacts, enrolments,
  event participations), an implementation independent of the metric SQL and of
  fct_activities;
- against invariants: unique counts are never sums, protected figures never publish 1 or 2
  and stay within 3 of the truth.
"""

from __future__ import annotations

from datetime import date

import duckdb
import polars as pl
import pytest

from pipelines.access import EVERYTHING
from pipelines.home import Home
from pipelines.metrics import MetricQuery, Protection, compute, open_warehouse

EXACT = Protection.EXACT  # checked against independent counts

FROM, TO = date(2022, 9, 1), date(2022, 12, 31)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def con(published_home: Home) -> duckdb.DuckDBPyConnection:
    connection = open_warehouse(published_home)
    yield connection
    connection.close()


def _table(con: duckdb.DuckDBPyConnection, name: str) -> pl.DataFrame:
    frame = pl.from_arrow(con.sql(f"SELECT * FROM {name}").to_arrow_table())  # fixed names only
    assert isinstance(frame, pl.DataFrame)
    return frame


@pytest.fixture(scope="module")
def activities(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """(client_key, service, month) of every activity in the period, built from the facts in polars."""
    contacts = _table(con, "fct_contacts").filter(pl.col("contact_date").is_between(FROM, TO)).select(
        "client_key", "service", pl.col("contact_date").dt.strftime("%Y-%m").alias("month"))
    enrolments = _table(con, "fct_course_enrolments").filter(
        (pl.col("starts_on") <= TO) & (pl.coalesce("ends_on", "starts_on") >= FROM)
    )
    course_months = enrolments.select(
        "client_key", pl.col("course_type").alias("service"),
        pl.date_ranges(
            pl.max_horizontal(pl.col("starts_on"), pl.lit(FROM)).dt.month_start(),
            pl.min_horizontal(pl.coalesce("ends_on", "starts_on"), pl.lit(TO)),
            interval="1mo",
        ).alias("month"),
    ).explode("month").with_columns(pl.col("month").dt.strftime("%Y-%m"))
    events = _table(con, "fct_event_participation").filter(pl.col("event_date").is_between(FROM, TO)).select(
        "client_key", ("event_" + pl.col("event_type")).alias("service"),
        pl.col("event_date").dt.strftime("%Y-%m").alias("month"))
    return pl.concat([contacts, course_months, events])


def test_total_and_new_clients_match_an_independent_count(con, activities: pl.DataFrame) -> None:
    clients = _table(con, "dim_client")
    reached = activities.select("client_key").unique().join(clients, on="client_key")
    [row] = compute(con, MetricQuery(FROM, TO, ("clients_reached", "new_clients", "contacts",
                                                 "service_hours"), protection=EXACT, scope=EVERYTHING)).frame.to_dicts()
    contacts = _table(con, "fct_contacts").filter(pl.col("contact_date").is_between(FROM, TO))
    assert row == {
        "clients_reached": reached.height,
        "new_clients": reached.filter(pl.col("registered_on").is_between(FROM, TO)).height,
        "contacts": contacts.height,
        "service_hours": round(contacts.get_column("duration_min").sum() / 60, 1),
    }
    assert reached.height > 50  # the sample is big enough for the comparison to mean something


def test_by_month_and_by_service_match_an_independent_count(con, activities: pl.DataFrame) -> None:
    for dimension in ("month", "service"):
        expected = (activities.group_by(dimension).agg(pl.col("client_key").n_unique().alias("clients_reached"))
                    .sort(dimension).with_columns(pl.col("clients_reached").cast(pl.Int64)))
        got = compute(con, MetricQuery(FROM, TO, ("clients_reached",), by=(dimension,),
                protection=EXACT, scope=EVERYTHING)).frame
        assert got.to_dicts() == expected.to_dicts()


def test_unique_counts_are_never_sums(con) -> None:
    [total] = compute(con, MetricQuery(FROM, TO, ("clients_reached",),
        protection=EXACT, scope=EVERYTHING)).frame.get_column("clients_reached")
    for dimension in ("service", "month"):
        parts = compute(con, MetricQuery(FROM, TO, ("clients_reached",), by=(dimension,),
                protection=EXACT, scope=EVERYTHING)).frame
        assert parts.get_column("clients_reached").sum() > total
        assert parts.get_column("clients_reached").max() <= total
    # Partitioning dimensions do add up: each client has one nationality.
    parts = compute(con, MetricQuery(FROM, TO, ("clients_reached",), by=("nationality",),
            protection=EXACT, scope=EVERYTHING)).frame
    assert parts.get_column("clients_reached").sum() == total


@pytest.mark.parametrize("by", [("nationality",), ("district",), ("nationality", "sex"), ("service", "target_group"),
                                ("month", "age_band")])
def test_protected_output_never_shows_1_or_2_and_stays_near_the_truth(con, by: tuple[str, ...]) -> None:
    metrics = ("clients_reached", "course_participants")
    result = compute(con, MetricQuery(FROM, TO, metrics, by=by, scope=EVERYTHING))
    raw = compute(con, MetricQuery(FROM, TO, metrics, by=by, protection=EXACT, scope=EVERYTHING)).frame
    exact = {tuple(row[d] for d in by): row for row in raw.to_dicts()}
    assert not result.sparse
    for row in result.frame.to_dicts():
        truth = exact[tuple(row[d] for d in by)]  # no row without people behind it
        for metric in metrics:
            assert row[metric] not in (1, 2)
            assert abs(row[metric] - truth[metric]) <= 3
            assert truth[metric] != 0 or row[metric] == 0  # zeros stay zero


def test_people_counts_for_indicators_match_an_independent_count(con) -> None:
    """clients_contacted by topic and clients_with_level_gain (the fund's people indicators)."""
    contacts = _table(con, "fct_contacts").filter(pl.col("contact_date").is_between(FROM, TO))
    expected_by_topic = dict(
        contacts.group_by(pl.col("topic").fill_null("unknown"))
        .agg(pl.col("client_key").n_unique()).iter_rows()
    )
    result = compute(con, MetricQuery(FROM, TO, ("clients_contacted",), by=("topic",),
            protection=EXACT, scope=EVERYTHING)).frame
    assert dict(result.iter_rows()) == expected_by_topic
    # A person with several contacts on one topic counts once there.
    assert sum(expected_by_topic.values()) >= contacts["client_key"].n_unique()

    enrolments = _table(con, "fct_course_enrolments").filter(
        (pl.col("starts_on") <= TO) & (pl.coalesce("ends_on", "starts_on") >= FROM) & pl.col("level_gain")
    )
    gains = compute(con, MetricQuery(FROM, TO, ("clients_with_level_gain", "level_gains"),
        protection=EXACT, scope=EVERYTHING)).frame.row(0)
    assert gains == (enrolments["client_key"].n_unique(), enrolments.height)
