"""The attacks of issue 13 through the dashboard's real callbacks, as a signed-in coordinator.

The CLI side is test_cell_key_attacks.py; this file runs the same attacks where a user runs them:
the real app (reach.dashboard.create_dashboard) on the hand-made attack population
(support.attacks, fixed test secret), a Flask test client signed in through the sign-in form,
and callback requests crafted as a browser could send them (support.callbacks) with the
protection switch OFF. The figures are read from the answers: KPI cards, the values the charts
draw, and the CSV files of the chart export callback. Each attack reads what it needs and shows
that a count of 1-4 stays undetermined (the preimage reasoning of support.attacks), or that
nothing is shown.
"""

from __future__ import annotations

import itertools
import re
from datetime import date
from typing import Any

import duckdb
import pytest

from dashboard.pages import PAGE_MODULES
from dashboard.state.pages import page_allowed
from pipelines.access import EVERYTHING, Role
from pipelines.home import Home
from pipelines.metrics import MetricQuery, compute, open_warehouse
from pipelines.metrics.catalogue import METRICS_BY_NAME, applies, code_label
from pipelines.metrics.periods import date_bounds
from pipelines.metrics.protection import NOTICE, SPARSE_NOTICE, Protection
from reach.dashboard import create_dashboard
from support import callbacks
from support.access import signed_in_client
from support.attacks import (
    FROM,
    LONE,
    LONE_DISTRICT,
    OTHERS,
    RARE_OUTCOME,
    RARE_SERVICE,
    SMALL_GROUP,
    TO,
    attack_marts,
    feasible_differences,
    preimage,
    publishable,
    publishable_sum,
)
from support.marts import home_with_marts

pytestmark = pytest.mark.slow

PERIOD = f"?preset=custom&from={FROM.isoformat()}&to={TO.isoformat()}"
OFF: list[str] = []  # the protection switch, crafted off (the coordinator's UI has it on and locked)
ON = ["on"]
MONTHS = ("2022-08", "2022-09", "2022-10", "2022-11", "2022-12")
# Pages with figures a coordinator may open.
FIGURE_PAGES = tuple(p for p in ("overview", "reach", "services", "courses", "outcomes")
                     if page_allowed(p, Role.COORDINATOR))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    return home_with_marts(tmp_path_factory.mktemp("dashboard-attacks"), attack_marts())


@pytest.fixture(scope="module")
def app(home: Home):
    return create_dashboard(home)


@pytest.fixture(scope="module")
def coordinator(app, home: Home):
    return signed_in_client(app, home, "coordinator")  # centre ULK, every district: the whole population


@pytest.fixture(scope="module")
def con(home: Home) -> duckdb.DuckDBPyConnection:
    connection = open_warehouse(home)
    yield connection
    connection.close()


def _figures(con: duckdb.DuckDBPyConnection, metrics: tuple[str, ...], by: tuple[str, ...] = (),
             where: dict[str, tuple[str, ...]] | None = None, protection: Protection = Protection.PROTECTED,
             date_from: date = FROM, date_to: date = TO) -> list[dict[str, Any]]:
    query = MetricQuery(date_from, date_to, metrics, by, where or {}, protection=protection, scope=EVERYTHING)
    return compute(con, query).frame.to_dicts()


def _exact(con: duckdb.DuckDBPyConnection, metric: str, **where: tuple[str, ...]) -> int:
    return _figures(con, (metric,), where=where, protection=Protection.EXACT)[0][metric]


def count(text: str) -> int | None:
    """A shown count as a number (Czech grouping, a whole sum's ",0"); None where no figure is shown."""
    digits = re.sub(r"[\s\u00a0\u202f]", "", text).removesuffix(",0")
    return int(digits) if digits.isdigit() else None


def kpis(app, client, page: str, search: str, privacy: list[str] = OFF) -> dict[str, str]:
    return callbacks.kpi_values(callbacks.render(app, client, page, search, privacy))


def csv(app, client, chart: str, search: str, privacy: list[str] = OFF) -> tuple[list[dict[str, str]], str]:
    data = callbacks.export(app, client, chart, search, privacy)
    assert data is not None, f"no file for {chart}"
    return callbacks.csv_rows(data)


def _no_one_or_two(values: list[int | None], where: str) -> None:
    assert not {1, 2} & set(values), f"{where}: a published 1 or 2 ({values})"


# --- (1) total minus every other value of a filter ------------------------------------------------

def test_total_minus_every_other_nationality_leaves_the_czech_open(app, coordinator, con) -> None:
    """The KPI of the 21 people of unknown sex minus the KPI with every nationality but CZ selected."""
    unknown = {"sex": ("unknown",)}
    but_cz = {**unknown, "nationality": (*OTHERS, LONE)}  # five values: the most a filter may select
    total = kpis(app, coordinator, "overview", f"{PERIOD}&sex=unknown")
    others = kpis(app, coordinator, "overview", f"{PERIOD}&sex=unknown&nationality={','.join(but_cz['nationality'])}")
    assert _exact(con, "clients_reached", **unknown) == 21  # 20 Ukrainians and the one Czech
    assert _exact(con, "clients_reached", **but_cz) == 20
    for metric, true_difference in (("clients_reached", 1), ("contacts", 2)):  # the Czech and their two contacts
        shown, rest = count(total[metric]), count(others[metric])
        assert shown is not None and rest is not None, (total, others)
        # The figures the metric layer publishes for these people (the CLI test's), whichever page asks.
        assert [shown] == [r[metric] for r in _figures(con, (metric,), where=unknown)]
        assert [rest] == [r[metric] for r in _figures(con, (metric,), where=but_cz)]
        feasible = feasible_differences(shown, rest)
        assert true_difference in feasible and len(feasible) >= 2, (metric, shown, rest, feasible)
    assert (count(total["clients_reached"]), count(others["clients_reached"])) in itertools.product(
        publishable(21), publishable(20))
    # The Czech's own cells: a view of them shows nothing, a breakdown shows 0 (no row) or at least 3.
    alone = kpis(app, coordinator, "overview", f"{PERIOD}&sex=unknown&nationality=CZ")
    assert alone and all(count(v) is None for v in alone.values()), alone
    by_nationality = callbacks.drawn(callbacks.render(app, coordinator, "reach", f"{PERIOD}&sex=unknown", OFF),
                                     "reach-nationality")
    _no_one_or_two([count(v) for (_, code, _), v in by_nationality.items() if code == "CZ"], "CZ of unknown sex")
    # Every value of the filter at once (the complement of nothing) is refused, saying why.
    every = ",".join((*but_cz["nationality"], "CZ"))
    refused = callbacks.render(app, coordinator, "overview", f"{PERIOD}&nationality={every}", OFF)
    assert not callbacks.kpi_values(refused) and "at most 5 values" in callbacks.text_of(refused)


# --- (2) a cell of a two-way chart against the filtered views ------------------------------------

def test_a_two_way_cell_is_the_figure_of_every_filtered_view_of_its_people(app, coordinator, con) -> None:
    """Each cell of the age x sex pyramid against the KPI filtered to its sex and band, and the
    pyramid filtered to its sex: the same people get the same figure, so differences add nothing."""
    rows, _ = csv(app, coordinator, "reach-pyramid", PERIOD)
    cells = {(r["sex"], r["age_band"]): int(r["clients_reached"]) for r in rows}
    assert cells == {(r["sex"], r["age_band"]): r["clients_reached"]
                     for r in _figures(con, ("clients_reached",), ("age_band", "sex"))}
    drawn = callbacks.drawn(callbacks.render(app, coordinator, "reach", PERIOD, OFF), "reach-pyramid")
    for (series, band, _), text in drawn.items():  # the page draws the file's figures
        sex = next(s for s in ("male", "female") if code_label("sex", s, "cs") == series)
        assert count(text) == cells.get((sex, band)), (sex, band, text)
    for sex in ("female", "male", "unknown"):
        filtered, _ = csv(app, coordinator, "reach-pyramid", f"{PERIOD}&sex={sex}")
        assert {r["age_band"]: int(r["clients_reached"]) for r in filtered} == {
            band: value for (s, band), value in cells.items() if s == sex}, sex
    for (sex, band), value in cells.items():
        shown = kpis(app, coordinator, "overview", f"{PERIOD}&sex={sex}&age_band={band}")["clients_reached"]
        assert count(shown) == (value if value >= 20 else None), (sex, band, shown)  # under 20: not shown at all
    _no_one_or_two(list(cells.values()), "pyramid")
    # The Czech is the only person of unknown sex aged 30-44: no row (a published 0), or at least 3.
    assert _exact(con, "clients_reached", sex=("unknown",), age_band=("30-44",)) == 1
    assert cells.get(("unknown", "30-44"), 0) in (0, *range(3, 7))


# --- (3) periods ending in later, empty years; age-band differences --------------------------------

def test_periods_ending_in_later_empty_years_make_nobody_older(app, coordinator) -> None:
    """Four people born 1993 are 29 in 2022 and would be 30 at the end of 2023: if a later end made them
    older, the bands 18-29 and 30-44 would differ between the periods by exactly those four."""
    assert sum(1 for client in attack_marts().clients if client[4] == 1993) == 4
    latest = date_bounds()[1]
    seen = []
    for end in (TO, date(2023, 12, 31), latest):
        search = f"?preset=custom&from={FROM.isoformat()}&to={end.isoformat()}"
        rows, _ = csv(app, coordinator, "reach-pyramid", search)
        bands = {band: kpis(app, coordinator, "overview", f"{search}&age_band={band}")["clients_reached"]
                 for band in ("18-29", "30-44")}
        drawn = callbacks.drawn(callbacks.render(app, coordinator, "reach", search, OFF), "reach-pyramid")
        seen.append((rows, bands, drawn))
    assert seen[0] == seen[1] == seen[2]
    assert all(count(v) is not None for v in seen[0][1].values())  # the bands are shown: there is something to compare
    # A period wholly after the data: nobody, so no figure (not the people of 2022 a year older).
    later = "?preset=custom&from=2023-01-01&to=2023-12-31"
    assert count(kpis(app, coordinator, "overview", f"{later}&age_band=30-44")["clients_reached"]) is None
    assert csv(app, coordinator, "reach-pyramid", later)[0] == []


# --- (4) record counts and zeros beside few people --------------------------------------------------

def test_record_counts_beside_few_people_are_not_shown(app, coordinator, con) -> None:
    """One outcome of a rare type and two people's interpreting contacts, beside large groups."""
    exact_outcomes = _figures(con, ("outcomes",), ("outcome",), protection=Protection.EXACT)
    assert {"outcome": RARE_OUTCOME, "outcomes": 1} in exact_outcomes
    exact_contacts = _figures(con, ("contacts", "clients_contacted"), ("service",), protection=Protection.EXACT)
    assert {"service": RARE_SERVICE, "contacts": 2, "clients_contacted": 2} in exact_contacts

    outcomes_page = callbacks.render(app, coordinator, "outcomes", PERIOD, OFF)
    assert count(callbacks.kpi_values(outcomes_page)["outcomes"]) is not None  # the large group's records are shown
    for (_, code, _), text in callbacks.drawn(outcomes_page, "outcomes-type").items():
        assert code != RARE_OUTCOME or count(text) is None, text
    services_page = callbacks.render(app, coordinator, "services", PERIOD, OFF)
    for chart in ("services-service", "services-interpreted"):
        for (_, code, _), text in callbacks.drawn(services_page, chart).items():
            assert code != RARE_SERVICE or count(text) is None, (chart, text)

    people = {r["service"]: r["clients_contacted"] for r in _figures(con, ("clients_contacted",), ("service",))}
    for chart, dimension, metrics in (("outcomes-type", "outcome", ("outcomes",)),
                                      ("services-service", "service", ("contacts", "service_hours")),
                                      ("services-interpreted", "service", ("interpreted_contacts",))):
        rows, _ = csv(app, coordinator, chart, PERIOD)
        assert rows or chart == "services-interpreted", chart  # the large groups are there
        for row in rows:
            values = [row[m] for m in metrics]
            # A row of zeros and hidden cells would tell a true 1 or 2 (published 0) from nobody.
            assert any(v not in ("", "0", "x") for v in values), (chart, row)
            assert row[dimension] not in (RARE_OUTCOME, RARE_SERVICE) or set(values) == {"x"}, (chart, row)
            if dimension == "service" and any(v != "x" for v in values):
                assert people[row["service"]] >= 5, row  # records shown only beside 5+ people (perturbed)


def test_two_sums_a_person_apart_do_not_give_his_hours(app, coordinator, con) -> None:
    """The hours of legal counselling of his 25 compatriots (every one 1 h) and of the 24 in CZ0427: both
    are shown (10+ people), and each is perturbed by the cell key of its own people, by up to the largest
    share of one person. Even an attacker who knows that each of the 24 others had exactly 1 h cannot tell
    his hours from the two figures: several are consistent with both (with exact sums only his 1 h was)."""
    service = "legal_counselling"
    lone, others = f"{PERIOD}&nationality={LONE}", f"{PERIOD}&nationality={LONE}&district=CZ0427"
    exact = {search: _figures(con, ("service_hours",), ("service",), where=where, protection=Protection.EXACT)
             for search, where in ((lone, {"nationality": (LONE,)}),
                                   (others, {"nationality": (LONE,), "district": ("CZ0427",)}))}
    hours = {search: next(r["service_hours"] for r in rows if r["service"] == service)
             for search, rows in exact.items()}
    assert (hours[lone], hours[others]) == (25, 24)  # his hour, with exact sums

    published = {}
    for search in (lone, others):
        rows, _ = csv(app, coordinator, "services-service", search)
        published[search] = count(next(r["service_hours"] for r in rows if r["service"] == service))
        assert published[search] is not None, (search, rows)
        drawn = callbacks.drawn(callbacks.render(app, coordinator, "services", search, OFF), "services-service")
        assert published[search] in {count(t) for (_, code, _), t in drawn.items() if code == service}  # page = CSV
    assert publishable_sum(24, 1) >= {23, 24, 25}  # the others' sum is itself uncertain
    assert published[others] in publishable_sum(24, 1)
    # His hours h: his compatriots' sum is 24 + h, with h the largest share; the 24 others' is 24.
    consistent = {h for h in range(1, 10) if published[lone] in publishable_sum(24 + h, max(1, h))}
    assert len(consistent) >= 3 and 1 in consistent, (published, consistent)


# --- (5) a monthly table whose every cell of one group is small ------------------------------------

def test_a_monthly_row_of_small_cells_stays_open(app, coordinator, con) -> None:
    """Eight people of one target group, one or two a month, in the Overview's monthly chart. The attacker
    also reads each month's total (the KPI of that month), the other group's cell and the group's total
    for the period, and even knows each person came in one month only (the cells add up)."""
    exact = {(r["month"], r["target_group"]): r["clients_reached"] for r in _figures(
        con, ("clients_reached",), ("month", "target_group"), protection=Protection.EXACT)}
    assert [exact[(m, SMALL_GROUP)] for m in MONTHS] == [1, 1, 2, 2, 2]

    rows, _ = csv(app, coordinator, "trend-target-group", PERIOD)
    cells = {(r["month"], r["target_group"]): int(r["clients_reached"]) for r in rows}
    drawn = callbacks.drawn(callbacks.render(app, coordinator, "overview", PERIOD, OFF), "trend-target-group")
    assert {(code_label("month", m, "cs"), group): value for (m, group), value in cells.items()} == {
        (x, code): count(text) for (_, code, x), text in drawn.items()}
    small = [cells.get((m, SMALL_GROUP), 0) for m in MONTHS]  # no point: a published 0
    _no_one_or_two(small, "the small group's months")
    month_totals = [count(kpis(app, coordinator, "overview", f"?preset=month&pv={m}")["clients_reached"])
                    for m in MONTHS]
    group_total = {code: count(text) for (_, code, _), text in callbacks.drawn(
        callbacks.render(app, coordinator, "reach", PERIOD, OFF), "reach-target-group").items()}[SMALL_GROUP]
    assert group_total is not None and None not in month_totals
    assert all(count(v) is None for v in kpis(app, coordinator, "overview",
                                               f"{PERIOD}&target_group={SMALL_GROUP}").values())  # too few: nothing

    each = [preimage(cell) & feasible_differences(total, cells[(m, "ukrainian")])
            for m, cell, total in zip(MONTHS, small, month_totals, strict=True)]
    feasible: list[set[int]] = [set() for _ in MONTHS]
    for combination in itertools.product(*each):
        if sum(combination) in preimage(group_total):
            for month, value in enumerate(combination):
                feasible[month].add(value)
    for month, values in zip(MONTHS, feasible, strict=True):
        assert exact[(month, SMALL_GROUP)] in values and len(values) >= 2, (month, values)


# --- (6) the only national of a country in one district -----------------------------------------

ISOLATING = (  # each view holds the one Mongolian of CZ0421 and nobody else
    f"{PERIOD}&nationality={LONE}&district={LONE_DISTRICT}",
    f"{PERIOD}&nationality={LONE}&sex=male",
    f"{PERIOD}&district={LONE_DISTRICT}",
    f"?preset=month&pv=2022-09&nationality={LONE}&district={LONE_DISTRICT}",  # his month
    f"{PERIOD}&nationality={LONE}&district={LONE_DISTRICT}&age_band=30-44",
)


def test_the_views_isolate_the_lone_national(con) -> None:
    assert _exact(con, "clients_reached", nationality=(LONE,), district=(LONE_DISTRICT,)) == 1
    assert _exact(con, "clients_reached", nationality=(LONE,), sex=("male",)) == 1
    assert _exact(con, "clients_reached", district=(LONE_DISTRICT,)) == 1
    assert _exact(con, "clients_with_outcome", nationality=(LONE,), district=(LONE_DISTRICT,)) == 1


@pytest.mark.parametrize("search", ISOLATING)
def test_the_lone_national_cannot_be_profiled(app, coordinator, search: str) -> None:
    """His sex, birth year (age band), services, hours, records and outcome date: on no page, in no
    KPI, chart or chart export."""
    for page in FIGURE_PAGES:
        answer = callbacks.render(app, coordinator, page, search, OFF)
        for kpi, value in callbacks.kpi_values(answer).items():
            metric = METRICS_BY_NAME.get(kpi)
            if metric is not None and not applies(metric, "nationality"):
                continue  # event figures: the client filters do not apply to them
            assert count(value) is None, (page, kpi, value)
        for chart in PAGE_MODULES[page].CHARTS:
            if chart.shown is None:  # a chart shown only to some views (of several centres) is exported below
                drawn = callbacks.drawn(answer, chart.id)
                assert all(count(text) is None for text in drawn.values()), (page, chart.id, drawn)
            rows, note = csv(app, coordinator, chart.id, search)
            assert rows == [], (chart.id, rows)
            assert SPARSE_NOTICE["cs"] in note or "attributes" in note, (chart.id, note)  # says why


def test_beside_his_compatriots_he_is_a_cell_of_0_or_at_least_3(app, coordinator, con) -> None:
    """With only the nationality filtered (25 people), his district and his sex are cells of one person."""
    search = f"{PERIOD}&nationality={LONE}"
    reach = callbacks.render(app, coordinator, "reach", search, OFF)
    district = {code: count(text) for (_, code, _), text in callbacks.drawn(reach, "reach-district").items()}
    male = [count(text) for (series, _, _), text in callbacks.drawn(reach, "reach-pyramid").items()
            if series == code_label("sex", "male", "cs")]
    _no_one_or_two([district[LONE_DISTRICT], *male], "his district and sex")
    for value in (district[LONE_DISTRICT] or 0, sum(v or 0 for v in male)):
        assert len(preimage(value)) >= 3 and 1 in preimage(value), value
    rows, _ = csv(app, coordinator, "reach-district", search)
    assert {r["district"]: int(r["clients_reached"]) for r in rows}.get(LONE_DISTRICT) == district[LONE_DISTRICT]
    # His outcome among his compatriots': the records of fewer than 10 people with an outcome give no median.
    outcomes = kpis(app, coordinator, "outcomes", search)
    assert count(outcomes["median_days"]) is None
    assert _exact(con, "clients_with_outcome", nationality=(LONE,)) == 9


# --- (7) the protection switch sent off by roles that may not switch it -----------------------------

@pytest.mark.parametrize("role", ["coordinator", "board", "ministry"])
def test_a_crafted_protection_off_still_gives_protected_figures(app, home: Home, con, role: str) -> None:
    client = signed_in_client(app, home, role)
    search = f"{PERIOD}&sex=unknown"
    protected = _figures(con, ("clients_reached",), where={"sex": ("unknown",)})[0]["clients_reached"]
    assert protected != _exact(con, "clients_reached", sex=("unknown",))  # 20 shown for 21: the check can tell
    pages = [p for p in ("overview", "reach") if page_allowed(p, Role(role))]
    for page in pages:
        off, on = (callbacks.render(app, client, page, search, privacy) for privacy in (OFF, ON))
        assert off == on, page
        assert NOTICE["cs"] in callbacks.text_of(off["privacy-banner"])
    assert count(kpis(app, client, "overview", search)["clients_reached"]) == protected
    exported = callbacks.export(app, client, "reach-pyramid", search, OFF)
    if not Role(role).may_export_charts:
        assert exported is None  # no file at all for a role without chart exports
        return
    rows, note = callbacks.csv_rows(exported)
    assert NOTICE["cs"] in note
    assert {(r["age_band"], int(r["clients_reached"])) for r in rows} == {
        (r["age_band"], r["clients_reached"]) for r in _figures(con, ("clients_reached",), ("age_band", "sex"),
                                                                 {"sex": ("unknown",)})}


def test_exports_are_protected_even_for_a_user_who_switched_protection_off(app, home: Home, con) -> None:
    analyst = signed_in_client(app, home, "analyst")  # may switch protection off: exact on the screen only
    search = f"{PERIOD}&sex=unknown"
    exact = _exact(con, "clients_reached", sex=("unknown",))
    assert count(kpis(app, analyst, "overview", search, OFF)["clients_reached"]) == exact  # the switch works
    coordinator = signed_in_client(app, home, "coordinator")
    for chart in ("reach-pyramid", "reach-nationality", "trend-target-group"):
        as_analyst, as_coordinator = (callbacks.export(app, client, chart, PERIOD, OFF)
                                      for client in (analyst, coordinator))
        assert as_analyst == as_coordinator, chart
    rows, _ = callbacks.csv_rows(callbacks.export(app, analyst, "reach-pyramid", PERIOD, OFF))
    published = {(r["age_band"], r["sex"], r["clients_reached"]) for r in _figures(
        con, ("clients_reached",), ("age_band", "sex"))}
    assert {(r["age_band"], r["sex"], int(r["clients_reached"])) for r in rows} == published
    assert published != {(r["age_band"], r["sex"], r["clients_reached"]) for r in _figures(
        con, ("clients_reached",), ("age_band", "sex"), protection=Protection.EXACT)}

