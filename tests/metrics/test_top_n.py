"""The one "top N and the rest" rule (pipelines/metrics/top_n.py) on small hand-made marts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from pipelines.access import EVERYTHING
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.catalogue import REST_CODE
from pipelines.metrics.protection import HIDDEN, SHOWN, Protection
from pipelines.metrics.result import MetricResult
from pipelines.metrics.top_n import ranked, top_n_with_rest
from support.marts import MartBuilder, home_with_marts

DAY = date(2022, 9, 5)
PERIOD = {"date_from": date(2022, 9, 1), "date_to": date(2022, 9, 30)}


def _warehouse(tmp_path: Path, people: dict[str, tuple[str, ...]],
               nationality: dict[str, str]) -> duckdb.DuckDBPyConnection:
    """`people`: client -> the services of their contacts on DAY; `nationality`: client -> nationality."""
    marts = MartBuilder()
    for client, services in people.items():
        marts.client(client, registered_on=date(2022, 1, 1), nationality=nationality.get(client, "UA"))
        for number, service in enumerate(services):
            marts.contact(f"{client}-{number}", client, DAY, service)
    return open_warehouse(home_with_marts(tmp_path, marts))


def _run(con: duckdb.DuckDBPyConnection):
    return lambda query: compute(con, query)


def _rows(result) -> list[tuple[str, object, str]]:
    dimension, metric = result.by[0], result.metrics[0]
    return list(zip(result.frame[dimension].to_list(), result.frame[metric].to_list(),
                    result.flags[metric].to_list(), strict=True))


def test_a_person_in_two_rest_values_counts_once(tmp_path: Path) -> None:
    people = {f"S{i:05d}": ("social_counselling",) for i in range(8)}
    people |= {f"L{i:05d}": ("legal_counselling",) for i in range(6)}
    people |= {"I00001": ("interpreting",), "I00002": ("interpreting",),
               "B00001": ("interpreting", "field_work"),  # in two of the rest's services
               "F00001": ("field_work",), "C00001": ("information_centre",)}
    con = _warehouse(tmp_path, people, {})
    query = MetricQuery(**PERIOD, metrics=("clients_reached",), by=("service",), protection=Protection.EXACT,
                        scope=EVERYTHING)
    rows = _rows(top_n_with_rest(_run(con), query, "service", top_n=2))
    assert rows[:2] == [("social_counselling", 8, SHOWN), ("legal_counselling", 6, SHOWN)]
    assert rows[2] == (REST_CODE, 5, SHOWN)  # I00001, I00002, B00001, F00001, C00001
    others = [value for code, value, _ in _rows(compute(con, query))
              if code not in ("social_counselling", "legal_counselling")]
    assert sum(others) == 6  # the sum of the other rows would count B00001 twice


def test_protected_the_rest_is_a_cell_of_its_own_people(tmp_path: Path) -> None:
    sizes = {"UA": 30, "VN": 25, "MN": 12, "RU": 6, "KZ": 3}
    nationality = {f"{code}{i:04d}": code for code, size in sizes.items() for i in range(size)}
    con = _warehouse(tmp_path, dict.fromkeys(nationality, ("social_counselling",)), nationality)
    query = MetricQuery(**PERIOD, metrics=("clients_reached",), by=("nationality",), scope=EVERYTHING)
    rows = _rows(top_n_with_rest(_run(con), query, "nationality", top_n=2))
    assert [code for code, _, _ in rows] == ["UA", "VN", REST_CODE]
    # The rest (MN, RU, KZ: 21 people) is published as the same people asked for directly, never as
    # the total minus the shown rows.
    direct = compute(con, MetricQuery(**PERIOD, metrics=("clients_reached",),
                                      where={"nationality": ("KZ", "MN", "RU")}, scope=EVERYTHING))
    assert rows[2][1] == direct.frame["clients_reached"][0]
    assert abs(rows[2][1] - 21) <= 2


def test_a_row_not_shown_joins_the_rest(tmp_path: Path) -> None:
    people = {f"S{i:05d}": ("social_counselling",) for i in range(30)}
    con = _warehouse(tmp_path, people, {})
    query = MetricQuery(**PERIOD, metrics=("median_days_to_outcome", "clients_with_outcome"), by=("outcome",),
                        scope=EVERYTHING)
    whole = compute(con, query)
    assert whole.frame.height == 0  # nobody has an outcome: no row at all, not rows of zeros
    frame = pl.DataFrame({"nationality": ["UA", "VN", "MN"], "clients_reached": [30, None, 9]})
    flags = pl.DataFrame({"clients_reached": [SHOWN, HIDDEN, SHOWN]})
    result = MetricResult(("nationality",), ("clients_reached",), frame, flags)
    rest_asked: list[MetricQuery] = []

    def run(asked: MetricQuery) -> MetricResult:
        rest_asked.append(asked)
        return result if asked.by else MetricResult((), ("clients_reached",), pl.DataFrame(
            {"clients_reached": [11]}), pl.DataFrame({"clients_reached": [SHOWN]}))

    rows = _rows(top_n_with_rest(run, MetricQuery(**PERIOD, metrics=("clients_reached",), by=("nationality",),
                                                  scope=EVERYTHING), "nationality", top_n=1))
    assert rows == [("UA", 30, SHOWN), (REST_CODE, 11, SHOWN)]
    assert rest_asked[-1].exclude == {"nationality": ("UA",)}  # VN (not shown) and MN are in the rest


def test_one_row_more_than_n_is_shown_as_it_is(tmp_path: Path) -> None:
    sizes = {"UA": 10, "VN": 8, "MN": 6}
    nationality = {f"{code}{i:04d}": code for code, size in sizes.items() for i in range(size)}
    con = _warehouse(tmp_path, dict.fromkeys(nationality, ("social_counselling",)), nationality)
    query = MetricQuery(**PERIOD, metrics=("clients_reached",), by=("nationality",), scope=EVERYTHING)
    assert [code for code, _, _ in _rows(top_n_with_rest(_run(con), query, "nationality", top_n=2))] == [
        "UA", "VN", "MN"]


def test_the_query_must_be_grouped_by_the_ranked_dimension(tmp_path: Path) -> None:
    con = _warehouse(tmp_path, {"UA00001": ("social_counselling",)}, {})
    with pytest.raises(ValueError, match="grouped by its one dimension"):
        top_n_with_rest(_run(con), MetricQuery(**PERIOD, metrics=("clients_reached",), by=("sex",),
            scope=EVERYTHING), "nationality")


def test_ranking_largest_first_ties_by_code_hidden_after_shown_rest_last() -> None:
    frame = pl.DataFrame({"nationality": [REST_CODE, "VN", "UA", "MN", "RU", "KZ"],
                          "clients_reached": [50, 7, 9, 7, None, None]})
    assert ranked(frame, "nationality", "clients_reached")["nationality"].to_list() == [
        "UA", "MN", "VN", "KZ", "RU", REST_CODE]
