"""The dashboard in a real headless Chromium (dash[testing]'s dash_duo; options in tests/conftest.py)."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlparse

import pytest
from dash.testing.composite import DashComposite
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from dashboard.i18n import t
from dashboard.pages.overview import KPI_METRICS
from dashboard.state.pages import PAGES
from dashboard.state.url import path_of
from pipelines.home import Home
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.browser import rendered, url_query
from support.dashboard import as_shown, reach_metrics

pytestmark = pytest.mark.browser
TIMEOUT = 60






def _wait_for_query(dash_duo: DashComposite, name: str, value: str) -> None:
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: url_query(dash_duo).get(name) == [value])


def _kpi_text(dash_duo: DashComposite, metric: str) -> str:
    return dash_duo.find_element(f"#kpi-value-{metric}").text


def _plotly_month_name(dash_duo: DashComposite) -> str:
    """January as the first chart's Plotly locale names it."""
    return dash_duo.driver.execute_script(
        "return document.querySelector('.js-plotly-plot')._fullLayout._d3locale.timeFormat('%B')"
        "(new Date(2023, 0, 15))")


@pytest.fixture
def board(dash_duo: DashComposite, published_home: Home) -> DashComposite:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    return dash_duo


def test_every_page_loads_without_console_errors(board: DashComposite) -> None:
    for page in PAGES:
        board.driver.get(board.server_url + path_of(page))
        rendered(board)
        assert board.find_element(f"#nav-{page}").get_attribute("class").endswith("active")
        assert board.get_logs() == [], page


def test_a_filter_change_updates_kpis_to_what_reach_metrics_prints(board: DashComposite, published_home: Home) -> None:
    board.driver.get(board.server_url + "/")
    rendered(board)
    board.find_element("#filter-district").click()
    option = WebDriverWait(board.driver, TIMEOUT).until(lambda d: d.find_element(
        By.XPATH, "//*[contains(@class, 'dash-dropdown-option') and normalize-space(.)='Ústí nad Labem']"))
    option.click()
    _wait_for_query(board, "district", "CZ0427")
    expected = reach_metrics(published_home, KPI_METRICS, {"district": ("CZ0427",)})
    for metric in KPI_METRICS:
        board.wait_for_text_to_equal(f"#kpi-value-{metric}", as_shown(expected[metric]), timeout=TIMEOUT)
    unfiltered = reach_metrics(published_home, ("clients_reached",), {})
    assert _kpi_text(board, "clients_reached") != as_shown(unfiltered["clients_reached"])
    assert board.get_logs() == []


def test_language_switch(board: DashComposite, published_home: Home) -> None:
    board.driver.get(board.server_url + "/")
    rendered(board)
    assert board.find_element("#nav-overview").text == "Přehled"
    assert _plotly_month_name(board) == "leden"  # Plotly's Czech locale, served from the app's assets
    board.driver.find_element(By.XPATH, "//*[@id='lang']//label[normalize-space(.)='EN']").click()
    board.wait_for_text_to_equal("#nav-overview", "Overview", timeout=TIMEOUT)
    _wait_for_query(board, "lang", "en")
    rendered(board)
    board.wait_for_text_to_equal("#kpi-clients_reached .kpi-name", "Clients reached", timeout=TIMEOUT)
    WebDriverWait(board.driver, TIMEOUT).until(lambda d: _plotly_month_name(board) == "January")
    contacts = reach_metrics(published_home, ("contacts",), {})["contacts"]
    assert _kpi_text(board, "contacts") == as_shown(contacts, "en")  # English grouping: 1,073
    assert board.get_logs() == []


def test_a_link_restores_the_same_view(board: DashComposite, published_home: Home) -> None:
    link = "/reach?preset=quarter&pv=2022-Q4&cmp=year&nationality=UA&lang=en"
    board.driver.get(board.server_url + link)
    rendered(board)
    board.wait_for_text_to_equal("#preset", "Quarter", timeout=TIMEOUT)
    board.wait_for_text_to_equal("#period-value", "2022 Q4", timeout=TIMEOUT)
    board.wait_for_text_to_equal("#comparison", "Same period a year earlier", timeout=TIMEOUT)
    assert "Ukraine" in board.find_element("#filter-nationality").text
    assert board.find_element("#nav-reach").get_attribute("class").endswith("active")
    assert board.find_element("#period-line").text.startswith("Period: 1 Oct 2022 – 31 Dec 2022")
    assert urlparse(board.driver.current_url).path == "/reach"
    assert url_query(board)["nationality"] == ["UA"]
    # The page link keeps the filters: the overview shows the KPIs of the same view.
    board.find_element("#nav-overview").click()
    rendered(board)
    expected = reach_metrics(published_home, ("clients_reached",), {"nationality": ("UA",)},
                             date_from=date(2022, 10, 1), date_to=date(2022, 12, 31))
    board.wait_for_text_to_equal("#kpi-value-clients_reached", as_shown(expected["clients_reached"], "en"),
                                 timeout=TIMEOUT)


def test_a_click_on_a_chart_filters_by_it(board: DashComposite) -> None:
    board.driver.get(board.server_url + "/reach")
    rendered(board)
    first_bar = board.driver.find_element(By.CSS_SELECTOR, ".chart-card .js-plotly-plot .point path")
    before = _first_chart_text(board)
    ActionChains(board.driver).move_to_element(first_bar).click().perform()
    _wait_for_query(board, "nationality", "UA")  # the largest nationality of the sample is Ukraine
    rendered(board)
    assert "Ukrajina" in board.find_element("#filter-nationality").text
    assert _first_chart_text(board) != before
    assert board.get_logs() == []


def _first_chart_text(board: DashComposite) -> str:
    """The first bar's label of the nationality chart: changes once the chart is filtered."""
    return board.driver.find_element(By.CSS_SELECTOR, ".chart-card .js-plotly-plot").text


def test_privacy_mode_can_be_switched_off_on_this_screen_and_says_so(board: DashComposite) -> None:
    board.driver.get(board.server_url + "/")
    rendered(board)
    assert board.find_element("#privacy-label").text == t("privacy_on", "cs")
    board.driver.find_element(By.CSS_SELECTOR, "#privacy input").click()
    # Switched off: the label says exact figures, the banner says they hold on this screen only.
    board.wait_for_text_to_equal("#privacy-label", t("privacy_off", "cs"), timeout=TIMEOUT)
    board.wait_for_contains_text("#privacy-banner", t("privacy_off_warning", "cs"), timeout=TIMEOUT)
    assert "privacy" not in url_query(board)  # never in a shared link
