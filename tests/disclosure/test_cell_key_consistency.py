"""The same group of people gets the same figure from every path, in any order and across rebuilds;
different groups get independent noise (disclosure.md, rule 1)."""

from __future__ import annotations

import random
import shutil
import statistics
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from dashboard.data import WarehouseSource
from pipelines.access import EVERYTHING
from pipelines.disclosure.ptable import load_parameters, ptable
from pipelines.disclosure.record_keys import add_record_keys, recorded_fingerprint
from pipelines.disclosure.secret import fingerprint, read_secret, record_key, secret_for_build
from pipelines.errors import ReachError
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import Protection
from pipelines.metrics.top_n import top_n_with_rest
from reports.board.data import _compute as board_compute
from support.marts import MartBuilder, home_with_marts

FROM, TO = date(2022, 8, 1), date(2022, 12, 31)
NATIONALITIES = ("UA", "VN", "RU", "SY", "AF", "MN", "BY", "GE", "AM", "KZ", "TR", "IN", "PK")


def _marts() -> MartBuilder:
    marts = MartBuilder()
    rng = random.Random(5)
    for index in range(400):
        client = f"P{index:05d}"
        marts.client(client, registered_on=date(2022, 1, 1), nationality=rng.choice(NATIONALITIES),
                     district=rng.choice(("CZ0427", "CZ0425", "CZ0424", "CZ0421")),
                     sex=rng.choice(("female", "male")), birth_year=rng.randrange(1950, 2010))
        for number in range(rng.randrange(1, 4)):
            marts.contact(f"{client}-{number}", client, date(2022, rng.randrange(8, 13), rng.randrange(1, 28)),
                          service=rng.choice(("social_counselling", "legal_counselling", "interpreting")))
        if rng.random() < 0.3:
            marts.outcome(f"{client}-o", client, date(2022, rng.randrange(8, 13), 15))
    for index in range(60):  # head counts name no person: their sums are not perturbed
        marts.event(f"E{index:03d}", ("lecture_foreigners", "multicultural")[index % 2],
                    date(2022, rng.randrange(8, 13), rng.randrange(1, 28)),
                    district=rng.choice(("CZ0427", "CZ0425")), participants=rng.randrange(5, 60))
    return marts


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return home_with_marts(tmp_path_factory.mktemp("consistency"), _marts())


@pytest.fixture(scope="module")
def con(home: Home) -> duckdb.DuckDBPyConnection:
    connection = open_warehouse(home)
    yield connection
    connection.close()


QUERIES = (
    MetricQuery(FROM, TO, ("clients_reached",), ("nationality",), scope=EVERYTHING),
    MetricQuery(FROM, TO, ("clients_reached", "contacts", "service_hours"), ("district", "sex"), scope=EVERYTHING),
    MetricQuery(FROM, TO, ("clients_reached",), ("month",), {"nationality": ("UA", "VN")}, scope=EVERYTHING),
    MetricQuery(FROM, TO, ("clients_with_outcome", "outcomes"), ("nationality",), scope=EVERYTHING),
    MetricQuery(FROM, TO, ("clients_reached",), where={"district": ("CZ0427",)}, scope=EVERYTHING),
)


def test_any_order_of_asking_gives_the_same_figures(home: Home) -> None:
    def ask(order: list[int]) -> dict[int, pl.DataFrame]:
        with open_warehouse(home) as fresh:
            return {i: compute(fresh, QUERIES[i]).published() for i in order}
    forward, backward = ask(list(range(len(QUERIES)))), ask(list(reversed(range(len(QUERIES)))))
    for i in range(len(QUERIES)):
        assert forward[i].equals(backward[i])
    again = ask([2, 0, 4, 1, 3, 0, 2])
    assert all(again[i].equals(forward[i]) for i in again)  # asking again does not average anything away


def test_the_same_people_get_the_same_figure_whichever_query_counts_them(con: duckdb.DuckDBPyConnection) -> None:
    by_nationality = compute(con, QUERIES[0]).frame
    for row in by_nationality.to_dicts():
        alone = compute(con, MetricQuery(FROM, TO, ("clients_reached",), where={"nationality": (row["nationality"],)},
                                         scope=EVERYTHING))
        if not alone.sparse:
            assert alone.frame["clients_reached"][0] == row["clients_reached"]
    # Everyone here has a contact: clients contacted are the same people as clients reached.
    reached = compute(con, MetricQuery(FROM, TO, ("clients_reached",), ("district",), scope=EVERYTHING)).frame
    contacted = compute(con, MetricQuery(FROM, TO, ("clients_contacted",), ("district",), scope=EVERYTHING)).frame
    assert reached["clients_reached"].to_list() == contacted["clients_contacted"].to_list()


def test_every_path_gives_the_same_figure(home: Home, con: duckdb.DuckDBPyConnection) -> None:
    query = MetricQuery(FROM, TO, ("clients_reached", "contacts", "service_hours"), ("district",), scope=EVERYTHING)
    direct = compute(con, query)
    source = WarehouseSource(home)
    try:
        dashboard = source.figures(query)  # what the dashboard's pages and chart exports read
    finally:
        source.close()
    board = board_compute(con, EVERYTHING, FROM, TO, ("clients_reached", "contacts", "service_hours"), ("district",))
    assert dashboard.published.equals(direct.published())
    assert board.published().equals(direct.published())
    ranked = top_n_with_rest(lambda q: compute(con, q), QUERIES[0], "nationality", top_n=5)
    whole = dict(zip(*compute(con, QUERIES[0]).frame.to_dict(as_series=False).values(), strict=True))
    for code, value in zip(ranked.frame["nationality"].to_list(), ranked.frame["clients_reached"].to_list(),
                           strict=True):
        if code in whole:
            assert whole[code] == value


def test_a_rebuild_with_the_home_secret_publishes_the_same_figures(home: Home, tmp_path: Path) -> None:
    again = Home(tmp_path / "again").ensure()
    shutil.copytree(home.perturbation_secret.parent, again.perturbation_secret.parent)
    _marts().write(again.warehouse_db)
    recorded = recorded_fingerprint(home.warehouse_db)
    add_record_keys(again.warehouse_db, secret_for_build(again, recorded))
    assert recorded_fingerprint(again.warehouse_db) == recorded
    with open_warehouse(home) as first, open_warehouse(again) as second:
        for query in QUERIES:
            assert compute(first, query).published().equals(compute(second, query).published())


def test_a_lost_secret_is_refused_naming_the_way_out(home: Home, tmp_path: Path) -> None:
    lost = Home(tmp_path / "lost").ensure()
    with pytest.raises(ReachError, match=r"missing.*--new-perturbation-secret"):
        secret_for_build(lost, recorded_fingerprint(home.warehouse_db))


def test_the_secret_is_not_in_the_published_file(home: Home) -> None:
    secret = read_secret(home)
    assert secret is not None
    data = home.warehouse_db.read_bytes()
    assert secret not in data and secret.hex().encode() not in data
    assert recorded_fingerprint(home.warehouse_db) == fingerprint(secret)


def test_different_groups_get_independent_noise() -> None:
    """Deviations of disjoint groups of people are uncorrelated, and unbiased, over many cells."""
    secret, table = b"s" * 32, ptable()
    key_range = table.parameters.key_range
    people = [record_key(secret, "client", f"ULK:{i}", key_range) for i in range(40_000)]
    first, second = [], []
    for start in range(0, len(people), 20):
        a, b = people[start:start + 10], people[start + 10:start + 20]
        first.append(table.perturb(10, sum(a) % key_range) - 10)
        second.append(table.perturb(10, sum(b) % key_range) - 10)
    assert abs(statistics.correlation(first, second)) < 0.08
    assert abs(statistics.mean(first + second)) < 0.1
    assert set(first) <= {-2, -1, 0, 1, 2} and len(set(first)) == 5


def _published(con: duckdb.DuckDBPyConnection, metric: str, by: tuple[str, ...] = (), **where: tuple[str, ...]
               ) -> dict[tuple, int | None]:
    frame = compute(con, MetricQuery(FROM, TO, (metric,), by, where, scope=EVERYTHING)).frame
    return {tuple(row[d] for d in by): row[metric] for row in frame.to_dicts()}


def _exact(con: duckdb.DuckDBPyConnection, metric: str, by: tuple[str, ...] = (), **where: tuple[str, ...]
           ) -> dict[tuple, float]:
    frame = compute(con, MetricQuery(FROM, TO, (metric,), by, where, scope=EVERYTHING,
                                     protection=Protection.EXACT)).frame
    return {tuple(row[d] for d in by): row[metric] for row in frame.to_dicts()}


def test_sums_of_the_same_people_are_the_same_whichever_query_asks(con: duckdb.DuckDBPyConnection) -> None:
    """A district's hours: in a breakdown by district, filtered to it alone, beside other metrics, with its
    services listed as a filter (every service of the data: the same contacts of the same people)."""
    by_district = _published(con, "service_hours", ("district",))
    services = tuple(sorted({code for (code,) in _exact(con, "service_hours", ("service",))}))
    assert len(services) <= 5
    for (district,), hours in by_district.items():
        assert _published(con, "service_hours", district=(district,)) == {(): hours}
        assert _published(con, "service_hours", district=(district,), service=services) == {(): hours}
        together = compute(con, MetricQuery(FROM, TO, ("clients_contacted", "contacts", "service_hours"),
                                            ("district",), scope=EVERYTHING)).frame
        assert dict(zip(together["district"], together["service_hours"], strict=True))[district] == hours


def test_sums_carry_noise_of_at_most_the_largest_share_of_one_person(con: duckdb.DuckDBPyConnection) -> None:
    """Every shown sum of hours lies within sum_deviation x its cell's largest contribution of one person of
    the true sum, rounded; and the noise is there: many cells are not their true sum rounded. Event head
    counts name no person: they are exact."""
    deviation = load_parameters().sum_deviation
    largest = dict(con.execute(
        "SELECT nationality || '/' || service, max(hours) FROM (SELECT c.nationality, f.service, f.client_key, "
        "sum(f.duration_min) / 60.0 AS hours FROM fct_contacts f JOIN dim_client c USING (client_key) "
        "WHERE f.contact_date BETWEEN ? AND ? GROUP BY ALL) GROUP BY ALL", [FROM, TO]).fetchall())
    exact = _exact(con, "service_hours", ("nationality", "service"))
    published = _published(con, "service_hours", ("nationality", "service"))
    shown = {cell: value for cell, value in published.items() if value is not None}
    assert len(shown) >= 10
    for (nationality, service), value in shown.items():
        bound = deviation * largest[f"{nationality}/{service}"] + 0.5
        assert abs(value - exact[(nationality, service)]) <= bound, (nationality, service, value)
    moved = [cell for cell, value in shown.items() if value != round(exact[cell])]
    assert len(moved) >= len(shown) // 3, (len(moved), len(shown))
    attendance = _exact(con, "event_attendance", ("event_type",))
    assert len(attendance) == 2
    assert _published(con, "event_attendance", ("event_type",)) == attendance
