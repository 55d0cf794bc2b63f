"""The attacks of issue 13 against the protected metric layer (and `reach metrics`), on hand-made marts.

The population and the attacker's reasoning (preimages of published counts) are in
tests/support/attacks.py, shared with the dashboard's attack tests (test_dashboard_attacks.py).
Each test shows the figures an attack reads leave a count of 1-4 undetermined, or are not shown.
"""

from __future__ import annotations

import contextlib
import io
import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipelines.access import EVERYTHING
from pipelines.disclosure.ptable import ptable
from pipelines.errors import UsageError
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.protection import HIDDEN, SHOWN, Protection
from reach.cli import main
from support.attacks import (
    FROM,
    LONE,
    OTHERS,
    TO,
    attack_marts,
    feasible_differences,
    preimage,
    publishable_sum,
)
from support.marts import MartBuilder, home_with_marts


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return home_with_marts(tmp_path_factory.mktemp("attacks"), attack_marts())


@pytest.fixture(scope="module")
def con(home: Home) -> duckdb.DuckDBPyConnection:
    connection = open_warehouse(home)
    yield connection
    connection.close()


def _one(con: duckdb.DuckDBPyConnection, metric: str = "clients_reached", **query: object) -> object:
    result = compute(con, MetricQuery(FROM, TO, (metric,), scope=EVERYTHING, **query))  # type: ignore[arg-type]
    return result.frame[metric][0]


def test_the_preimage_of_a_published_count_is_never_one_value() -> None:
    assert preimage(0) == {0, 1, 2, 3}
    for published in range(3, 30):
        assert len(preimage(published)) >= 3, published


def test_total_minus_every_other_value_leaves_the_small_cell_open(con: duckdb.DuckDBPyConnection) -> None:
    unknown = _one(con, where={"sex": ("unknown",)})  # 21 people: 20 Ukrainians and the Czech
    others = _one(con, where={"sex": ("unknown",), "nationality": OTHERS})  # 20
    assert isinstance(unknown, int) and isinstance(others, int)
    # The Czech cell stays open: 1 is feasible but not the only value. Each home has its own random
    # secret, so the property is checked for these figures and for every pair the table can publish
    # for 21 and 20 (some pairs leave only {0, 1}, which still does not determine the 1).
    table = ptable()
    keys = range(table.parameters.key_range)
    published = {(x, y) for x in {table.perturb(21, k) for k in keys} for y in {table.perturb(20, k) for k in keys}}
    assert (unknown, others) in published
    for pair in published:
        feasible = feasible_differences(*pair)
        assert 1 in feasible and len(feasible) >= 2, (pair, feasible)
    exact = compute(con, MetricQuery(FROM, TO, ("clients_reached",), where={"sex": ("unknown",)},
                                     protection=Protection.EXACT, scope=EVERYTHING)).frame["clients_reached"][0]
    assert exact == 21


def test_every_other_value_cannot_be_listed_nor_averaged_over_many_attributes(
        con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UsageError, match="at most 5 values"):
        _one(con, where={"nationality": ("UA", "VN", "RU", "SY", "MN", "CZ")})
    with pytest.raises(UsageError, match="combines 4 attributes"):
        _one(con, by=("age_band",), where={"sex": ("unknown",), "nationality": ("CZ",), "district": ("CZ0427",)})
    # Month and centre do not count as attributes: asking per month and centre stays possible.
    compute(con, MetricQuery(FROM, TO, ("clients_reached",), ("month", "centre"),
                             {"sex": ("female",), "nationality": ("UA",), "district": ("CZ0427",)}, scope=EVERYTHING))


def test_a_two_way_cell_equals_the_filtered_one_way_cell(con: duckdb.DuckDBPyConnection) -> None:
    two_way = compute(con, MetricQuery(FROM, TO, ("clients_reached",), ("nationality", "sex"), scope=EVERYTHING))
    one_way = compute(con, MetricQuery(FROM, TO, ("clients_reached",), ("sex",), {"nationality": ("UA",)},
                                       scope=EVERYTHING))
    rows = {(r["nationality"], r["sex"]): r["clients_reached"] for r in two_way.frame.to_dicts()}
    for row in one_way.frame.to_dicts():
        assert rows[("UA", row["sex"])] == row["clients_reached"]  # the same people: the same figure
    assert ("CZ", "unknown") not in rows or rows[("CZ", "unknown")] in (0, 3)  # a lone person is 0 or 3
    assert all(v not in (1, 2) for v in rows.values())


def test_periods_ending_in_later_empty_years_make_nobody_older(con: duckdb.DuckDBPyConnection) -> None:
    def bands(to: date) -> list[dict[str, object]]:
        return compute(con, MetricQuery(FROM, to, ("clients_reached",), ("age_band",),
                                        protection=Protection.EXACT, scope=EVERYTHING)).frame.to_dicts()
    assert bands(date(2030, 12, 31)) == bands(date(2027, 6, 30)) == bands(TO)


def test_record_counts_sums_and_medians_beside_a_small_count_are_not_shown(con: duckdb.DuckDBPyConnection) -> None:
    result = compute(con, MetricQuery(FROM, TO, ("clients_with_outcome", "outcomes", "median_days_to_outcome"),
                                      ("district",), {"nationality": (LONE,)}, scope=EVERYTHING))
    districts = result.frame["district"].to_list()
    row = result.frame.row(districts.index("CZ0421"), named=True) if "CZ0421" in districts else None
    if row is not None:  # published 3 (never 1): the cell is there, its records and median are not
        assert row["clients_with_outcome"] == 3
        assert row["outcomes"] is None and row["median_days_to_outcome"] is None
        flags = result.flags.row(districts.index("CZ0421"), named=True)
        assert flags["outcomes"] == HIDDEN and flags["median_days_to_outcome"] == HIDDEN
    contacts = compute(con, MetricQuery(FROM, TO, ("clients_contacted", "contacts", "service_hours"), ("district",),
                                        {"nationality": (LONE,)}, scope=EVERYTHING))
    for frame_row, flag_row in zip(contacts.frame.to_dicts(), contacts.flags.to_dicts(), strict=True):
        if frame_row["district"] == "CZ0421":
            assert flag_row == {"clients_contacted": SHOWN, "contacts": HIDDEN, "service_hours": HIDDEN}


def test_the_lone_national_cannot_be_profiled(con: duckdb.DuckDBPyConnection) -> None:
    where = {"nationality": (LONE,), "district": ("CZ0421",)}
    for metrics, by in ((("clients_reached",), ("sex",)), (("clients_reached",), ("age_band",)),
                        (("clients_reached",), ("service",)), (("service_hours", "contacts"), ()),
                        (("outcomes", "clients_with_outcome"), ("month",)), (("clients_with_outcome",), ("outcome",))):
        result = compute(con, MetricQuery(FROM, TO, metrics, by, where, scope=EVERYTHING))
        assert result.sparse, (metrics, by)
        if by:
            assert result.frame.height == 0  # no row: not even which sex, band, service or month exists
        else:
            assert result.frame.row(0) == (None,) * len(metrics)


def test_within_one_monthly_table_every_small_cell_stays_open(con: duckdb.DuckDBPyConnection) -> None:
    result = compute(con, MetricQuery(FROM, TO, ("clients_with_outcome",), ("month", "nationality"),
                                      scope=EVERYTHING))
    values = result.frame["clients_with_outcome"].to_list()
    assert values and all(v not in (1, 2) for v in values)
    exact = compute(con, MetricQuery(FROM, TO, ("clients_with_outcome",), ("month", "nationality"),
                                     protection=Protection.EXACT, scope=EVERYTHING)).frame
    assert any(0 < v < 5 for v in exact["clients_with_outcome"].to_list())  # there are small cells to attack
    assert all(len(preimage(v)) >= 3 for v in values)


def _reach(home: Home, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(["--home", str(home.root), "metrics", "--from", FROM.isoformat(), "--to", TO.isoformat(),
                       *args])
    return status, out.getvalue(), err.getvalue()


def test_the_attacks_through_reach_metrics(home: Home, con: duckdb.DuckDBPyConnection) -> None:
    status, out, err = _reach(home, "--metric", "clients_reached", "--where", "sex=unknown", "--format", "json")
    assert status == 0 and "drobnou náhodnou odchylkou" in err
    assert json.loads(out)[0]["clients_reached"] == _one(con, where={"sex": ("unknown",)})  # one figure per group
    status, out, err = _reach(home, "--metric", "service_hours", "--metric", "outcomes", "--by", "month",
                              "--where", f"nationality={LONE}", "--where", "district=CZ0421")
    assert status == 0 and out == "month,service_hours,outcomes\n" and "fewer than 20 people" in err
    status, _, err = _reach(home, "--metric", "clients_reached", "--where", "nationality=UA,VN,RU,SY,MN,CZ")
    assert status == 2 and "at most 5 values" in err
    status, out, _ = _reach(home, "--metric", "clients_reached", "--where", "sex=unknown", "--exact")
    assert status == 0 and out == "clients_reached\n21\n"  # the operator's exact figure, audited


def test_two_sums_of_hours_a_person_apart_through_reach_metrics(home: Home) -> None:
    """The lone Mongolian's hour of legal counselling: his 25 compatriots' hours against the 24 others'
    (everyone 1 h). Even knowing the others had 1 h each, several values of his hours fit both figures."""
    def hours(*where: str) -> int:
        args = [a for w in where for a in ("--where", w)]
        status, out, _ = _reach(home, "--metric", "service_hours", "--by", "service", *args, "--format", "json")
        assert status == 0, out
        return next(int(r["service_hours"]) for r in json.loads(out) if r["service"] == "legal_counselling")
    status, out, _ = _reach(home, "--metric", "service_hours", "--by", "service", "--where", f"nationality={LONE}",
                            "--where", "district=CZ0427", "--exact", "--format", "json")
    assert status == 0 and {r["service"]: r["service_hours"] for r in json.loads(out)}["legal_counselling"] == 24
    lone, others = hours(f"nationality={LONE}"), hours(f"nationality={LONE}", "district=CZ0427")
    assert others in publishable_sum(24, 1)
    consistent = {h for h in range(1, 10) if lone in publishable_sum(24 + h, max(1, h))}
    assert len(consistent) >= 3 and 1 in consistent, (lone, others, consistent)


def test_the_audit_entry_names_the_query_not_a_figure(home: Home) -> None:
    from pipelines import audit

    entries = [e for e in audit.read(home).entries if e.action == "metrics.exact"]
    assert entries and all("21" not in e.object for e in entries)


def test_rules_hold_for_record_counts_under_any_filter(tmp_path: Path) -> None:
    marts = MartBuilder()
    for index in range(30):
        client = f"C{index:04d}"
        marts.client(client, registered_on=date(2022, 1, 1))
        service = "interpreting" if index < 2 else "legal_counselling"
        marts.contact(f"{client}-1", client, date(2022, 9, 1), service=service)
    con = open_warehouse(home_with_marts(tmp_path, marts))
    result = compute(con, MetricQuery(FROM, TO, ("contacts", "clients_contacted"), ("service",), scope=EVERYTHING))
    rows = {r["service"]: r for r in result.frame.to_dicts()}
    if "interpreting" in rows:  # two people: their two contacts are not shown
        assert rows["interpreting"]["contacts"] is None
    assert rows["legal_counselling"]["contacts"] is not None
