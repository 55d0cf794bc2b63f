"""The user's scope in the metric layer: applied below every filter, so a filter can only narrow it.

Two centres on hand-made marts whose figures differ, so any leak of the other centre shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pytest

from pipelines.access import EVERYTHING, Scope
from pipelines.metrics import METRICS, MetricQuery, compute, open_warehouse
from pipelines.metrics.catalogue import REST_CODE, Family
from pipelines.metrics.periods import Coverage, data_coverage
from pipelines.metrics.protection import Protection
from pipelines.metrics.sql import family_sql
from pipelines.metrics.top_n import top_n_with_rest
from support.marts import MartBuilder, home_with_marts

EXACT = Protection.EXACT  # these tests check the SQL's exact figures

FROM, TO = date(2022, 9, 1), date(2022, 9, 30)
ULK = Scope(frozenset({"ULK"}))
ULK_MOST = Scope(frozenset({"ULK"}), frozenset({"CZ0425"}))  # a coordinator of the Most district only
LBK = Scope(frozenset({"LBK"}))


@pytest.fixture(scope="module")
def con(tmp_path_factory: pytest.TempPathFactory) -> duckdb.DuckDBPyConnection:
    """ULK: 3 clients in Ústí (CZ0427) and 2 in Most (CZ0425); LBK: 7 clients, in Ústí too, from August.

    Each client has one contact (60 min) and one outcome; each centre one event per district.
    """
    marts = MartBuilder("ULK")
    people = [("U", i, "CZ0427", "UA") for i in range(3)] + [("M", i, "CZ0425", "VN") for i in range(2)]
    for prefix, i, district, nationality in people:
        _person(marts, f"{prefix}{i:05d}", district, nationality, date(2022, 9, 5))
    marts.event("E1", "lecture_public", date(2022, 9, 10), district="CZ0427", participants=11)
    marts.event("E2", "lecture_public", date(2022, 9, 12), district="CZ0425", participants=13)
    marts.centre = "LBK"
    for i in range(7):
        _person(marts, f"L{i:05d}", "CZ0427", ("SY", "AF", "IQ", "IR", "SO", "ER", "UA")[i], date(2022, 9, 6))
    _person(marts, "EARLY", "CZ0427", "UA", date(2022, 8, 2))  # LBK's data start earlier than ULK's
    marts.event("E9", "lecture_public", date(2022, 9, 15), district="CZ0425", participants=97)
    connection = open_warehouse(home_with_marts(tmp_path_factory.mktemp("scope"), marts))
    yield connection
    connection.close()


def _person(marts: MartBuilder, client: str, district: str, nationality: str, on: date) -> None:
    marts.client(client, registered_on=date(2022, 1, 1), district=district, nationality=nationality)
    marts.contact(f"{client}-c", client, on)
    marts.outcome(f"{client}-o", client, on)


def _one(con: duckdb.DuckDBPyConnection, scope: Scope, **query: object) -> dict[str, object]:
    [row] = compute(con, MetricQuery(FROM, TO, protection=EXACT, scope=scope, **query)  # type: ignore[arg-type]
                    ).frame.to_dicts()
    return row


FIGURES = ("clients_reached", "contacts", "service_hours", "outcomes", "event_attendance")


def test_each_scope_sees_its_own_figures_and_the_operator_all(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, EVERYTHING, metrics=FIGURES) == {
        "clients_reached": 12, "contacts": 12, "service_hours": 12.0, "outcomes": 12, "event_attendance": 121}
    assert _one(con, ULK, metrics=FIGURES) == {
        "clients_reached": 5, "contacts": 5, "service_hours": 5.0, "outcomes": 5, "event_attendance": 24}
    assert _one(con, LBK, metrics=FIGURES) == {
        "clients_reached": 7, "contacts": 7, "service_hours": 7.0, "outcomes": 7, "event_attendance": 97}


def test_a_filter_on_a_centre_outside_the_scope_yields_nothing(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, ULK, metrics=FIGURES, where={"centre": ("LBK",)}) == dict.fromkeys(FIGURES, 0)
    both = compute(con, MetricQuery(FROM, TO, ("clients_reached",), ("centre",), {"centre": ("ULK", "LBK")},
                                    protection=EXACT, scope=ULK)).frame.to_dicts()
    assert both == [{"centre": "ULK", "clients_reached": 5}]  # naming both centres never widens the scope


def test_every_metric_by_centre_shows_no_row_of_another_centre(con: duckdb.DuckDBPyConnection) -> None:
    for metric in METRICS:
        if metric.requires:
            continue
        frame = compute(con, MetricQuery(FROM, TO, (metric.name,), ("centre",), protection=EXACT, scope=ULK)).frame
        assert set(frame["centre"].to_list()) <= {"ULK"}, metric.name


def test_a_district_scope_sees_only_clients_living_there_and_events_held_there(
        con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, ULK_MOST, metrics=FIGURES) == {
        "clients_reached": 2, "contacts": 2, "service_hours": 2.0, "outcomes": 2, "event_attendance": 13}
    by_district = compute(con, MetricQuery(FROM, TO, ("clients_reached", "event_attendance"), ("district",),
                                           protection=EXACT, scope=ULK_MOST)).frame.to_dicts()
    assert by_district == [{"district": "CZ0425", "clients_reached": 2, "event_attendance": 13}]
    outside = _one(con, ULK_MOST, metrics=("clients_reached", "event_attendance"), where={"district": ("CZ0427",)})
    assert outside == {"clients_reached": 0, "event_attendance": 0}


def test_the_top_n_rest_is_computed_within_the_scope(con: duckdb.DuckDBPyConnection) -> None:
    query = MetricQuery(FROM, TO, ("clients_reached",), ("nationality",), protection=EXACT, scope=EVERYTHING)
    whole = top_n_with_rest(lambda q: compute(con, q), query, "nationality", top_n=2)
    assert whole.frame.filter(whole.frame["nationality"] == REST_CODE)["clients_reached"].to_list() == [6]
    # Within LBK: UA 1 and six others of one each; the rest (after two) is 5, never a figure of ULK.
    scoped = top_n_with_rest(lambda q: compute(con, q), replace(query,
        protection=EXACT, scope=LBK), "nationality", top_n=2)
    rows = dict(zip(scoped.frame["nationality"].to_list(), scoped.frame["clients_reached"].to_list(), strict=True))
    assert rows[REST_CODE] == 5 and sum(rows.values()) == 7 and "VN" not in rows


def test_a_derived_figure_rests_on_the_scoped_count(con: duckdb.DuckDBPyConnection) -> None:
    # ULK's outcomes come 247 days after registration, LBK's 248: the operator's median is 248.
    assert _one(con, EVERYTHING, metrics=("median_days_to_outcome",)) == {"median_days_to_outcome": 248.0}
    assert _one(con, ULK_MOST, metrics=("median_days_to_outcome",)) == {"median_days_to_outcome": 247.0}


def test_a_scope_without_centres_sees_nothing(con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, Scope(), metrics=("clients_reached", "event_attendance")) == {
        "clients_reached": 0, "event_attendance": 0}


def test_a_query_without_a_scope_cannot_be_written() -> None:
    with pytest.raises(TypeError):
        MetricQuery(FROM, TO, ("clients_reached",))  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="needs a Scope"):
        compute(duckdb.connect(), MetricQuery(FROM, TO, ("clients_reached",),
            protection=EXACT, scope=None))  # type: ignore[arg-type]


def test_the_coverage_is_the_scopes(con: duckdb.DuckDBPyConnection) -> None:
    assert data_coverage(con, EVERYTHING) == Coverage(date(2022, 8, 2), date(2022, 9, 15))
    assert data_coverage(con, ULK) == Coverage(date(2022, 9, 5), date(2022, 9, 12))
    assert data_coverage(con, Scope(frozenset({"XYZ"}))) is None


def test_scope_values_are_parameters_never_sql_text() -> None:
    hostile = "ULK') OR TRUE --"
    bound = family_sql(Family.CONTACTS, FROM, TO, (), {}, ["contacts"],
                       scope=Scope(frozenset({hostile}), frozenset({"CZ0427' OR '1'='1"})))
    assert hostile not in bound.text and "OR" not in bound.text
    assert hostile in bound.parameters.values()
