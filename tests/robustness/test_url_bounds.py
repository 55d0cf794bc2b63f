"""Whatever a URL or a control sends, the dashboard answers with a page, never an HTTP 500.

Dates are bounded to dashboard.state.url.date_bounds() (2000-01-01 .. today + 1 year); anything
malformed or out of range falls back to the default view, and the page says which parts of the
link were left out. The parser is fuzzed with hypothesis; the app is asked through its real
Flask server (the render_page callback) over a warehouse built by the real pipeline.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.callbacks import apply_control_changes
from dashboard.state.url import (
    EARLIEST_DATE,
    FILTER_DIMENSIONS,
    MAX_FILTER_VALUES,
    PAGES,
    Period,
    ViewState,
    comparison_period,
    date_bounds,
    parse_date,
    parse_view,
    resolve_period,
    to_search,
)
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import signed_in_client

PROJECT = (date(2022, 8, 1), date(2023, 7, 31))
PARAMETERS = ("preset", "pv", "from", "to", "cmp", "lang", *FILTER_DIMENSIONS)
CONTROLS = ("preset.value", "period-value.value", "custom-range.start_date", "custom-range.end_date",
            "comparison.value", "lang.value", "clear-filters.n_clicks",
            *[f"filter-{d}.value" for d in FILTER_DIMENSIONS])
OUTPUTS = (("content", "children"), ("privacy-banner", "children"), ("privacy-label", "children"),
           ("period-line", "children"))

anything = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=40),
                     st.lists(st.one_of(st.text(max_size=12), st.integers()), max_size=5),
                     st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat))
dateish = st.one_of(st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
                    st.text(alphabet="0123456789-Q", max_size=12), st.integers(-10, 100_000).map(str))
query_values = st.dictionaries(st.sampled_from(PARAMETERS), st.one_of(dateish, st.text(max_size=30)), max_size=6)


def _in_bounds(period: Period) -> bool:
    earliest, latest = date_bounds()
    return earliest <= period.date_from and period.date_to <= latest + timedelta(days=366)


def check_view(view: ViewState) -> None:
    """Everything a page does with a parsed view, none of which may raise."""
    period = resolve_period(view, *PROJECT)
    assert period.date_from <= period.date_to and _in_bounds(period)
    for comparison in ("previous", "year", "none"):
        comparison_period(period, comparison)
    assert parse_view("/", to_search(view)).preset == view.preset


@given(st.text(max_size=300), st.text(max_size=40))
def test_any_query_string_parses(search: str, path: str) -> None:
    check_view(parse_view(path, search))


@given(query_values)
def test_any_value_of_a_known_parameter_parses(params: dict[str, str]) -> None:
    check_view(parse_view("/reach", "?" + urlencode(params)))


@given(st.dictionaries(st.sampled_from(CONTROLS), anything, max_size=5))
def test_any_control_value_is_applied_or_ignored(changes: dict[str, object]) -> None:
    view = apply_control_changes(parse_view("/", "?preset=custom&from=2022-09-01&to=2022-09-30"), changes)
    check_view(view)
    for chosen in (view.custom_from, view.custom_to):
        assert chosen is None or date_bounds()[0] <= chosen <= date_bounds()[1]


def test_a_custom_period_in_year_1_falls_back_with_a_notice() -> None:
    view = parse_view("/", "?preset=custom&from=0001-01-01&to=0001-12-31")
    assert (view.custom_from, view.custom_to, view.ignored) == (None, None, ("from", "to"))
    assert resolve_period(view, *PROJECT) == Period(*PROJECT)
    year_one = parse_view("/", "?preset=year&pv=0001&cmp=year")
    assert year_one.ignored == ("pv",) and resolve_period(year_one, *PROJECT) == Period(*PROJECT)
    far = parse_view("/", "?preset=month&pv=9999-12")
    assert far.ignored == ("pv",)
    assert comparison_period(Period(date(1, 1, 1), date(1, 1, 31)), "previous") is None


def test_the_bounds_are_stated_once_and_hold_at_their_edges() -> None:
    earliest, latest = date_bounds(date(2024, 2, 29))
    assert (earliest, latest) == (EARLIEST_DATE, date(2025, 2, 28))
    today_earliest, today_latest = date_bounds()
    assert parse_date(today_earliest.isoformat()) == today_earliest
    assert parse_date((today_earliest - timedelta(days=1)).isoformat()) is None
    assert parse_date(today_latest.isoformat()) == today_latest
    assert parse_date((today_latest + timedelta(days=1)).isoformat()) is None
    assert parse_date("2023-05-01T12:00:00") == date(2023, 5, 1)  # a date picker may send a timestamp
    assert parse_date(20230501) is None and parse_date(["2023-05-01"]) is None


def test_oversized_parameters_are_left_out() -> None:
    codes = ",".join(f"C{n}" for n in range(MAX_FILTER_VALUES + 1))
    view = parse_view("/", f"?nationality={codes}&district=CZ0427&lang=" + "x" * 5000)
    assert view.filters == {"district": ("CZ0427",)}
    assert set(view.ignored) == {"nationality", "lang"}


def render_page_payload(pathname: str, search: str) -> dict[str, object]:
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in OUTPUTS) + "..",
        "outputs": [{"id": i, "property": p} for i, p in OUTPUTS],
        "inputs": [{"id": "url", "property": "pathname", "value": pathname},
                   {"id": "url", "property": "search", "value": search},
                   {"id": "privacy", "property": "value", "value": ["on"]}],
        "changedPropIds": ["url.search"],
        "state": [],
    }


@pytest.fixture(scope="module")
def client(published_home: Home):
    return signed_in_client(create_dashboard(published_home), published_home)


def test_the_reported_year_1_link_is_a_page_with_a_notice(client) -> None:
    answer = client.post("/_dash-update-component",
                         json=render_page_payload("/", "?preset=custom&from=0001-01-01&to=0001-12-31&lang=en"))
    assert answer.status_code == 200
    content = json.dumps(answer.get_json()["response"]["content"]["children"])
    assert "Part of the link was not valid and is left out (from, to)" in content
    assert "kpi-value-clients_reached" in content  # the default view is shown below the notice
    clean = client.post("/_dash-update-component", json=render_page_payload("/", "?lang=en"))
    assert "not valid" not in json.dumps(clean.get_json())


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(PAGES), st.one_of(query_values.map(lambda p: "?" + urlencode(p)), st.text(max_size=120)))
def test_any_link_gets_a_page_from_the_server(client, page: str, search: str) -> None:
    answer = client.post("/_dash-update-component", json=render_page_payload(f"/{page}", search))
    assert answer.status_code == 200, answer.get_data(as_text=True)[:500]
