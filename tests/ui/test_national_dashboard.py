"""The dashboard for one centre and for all (issue 11, item 3): the comparison of centres on the Overview,
the regions tile map with its drill-down to districts, and the centre and region filters in the URL.

From a hand-made home of two centres in two regions (figures worked out by hand below), rendered on
the server and in a real headless Chromium; and the one-centre sample home, whose Overview and map
stay as they were.

Two centres, January 2023 (exact figures):
  ULK (Ústí Region CZ042): u0-u4 registered in January, u5 in 2022, all six living in Ústí nad Labem
      (CZ0427); u6 registered in January, living in Liberec (CZ0513, the other centre's region).
      Reached 7, new 6; living in its own region 6 of 2,000 foreign residents -> 3.0 per 1,000;
      target 365 clients a year -> 31 days pro rata 31 -> 7 / 31 = 22.6 % -> "23 %".
  LBK (Liberec Region CZ051): l0-l2 registered in January, living in Liberec (CZ0513).
      Reached 3, new 3; 3 of 1,500 -> 2.0 per 1,000; target 730 -> 62 pro rata -> 3 / 62 = 4.8 % -> "5 %".
  Regions of residence: Ústí Region 6 clients, Liberec Region 4 (l0-l2 and u6).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from accessibility._browser import AXE_SCRIPT, AXE_TAGS, FAILING_IMPACTS, describe
from dash.testing.composite import DashComposite
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from charts.text import chart_table
from dashboard.callbacks import Board, render_content
from dashboard.data import WarehouseSource
from dashboard.i18n import t
from dashboard.pages import overview, reach
from dashboard.state.url import parse_view
from pipelines.access import EVERYTHING, Scope
from pipelines.home import Home
from pipelines.metrics.protection import Protection
from pipelines.reference.districts import districts_of_region
from pipelines.reference.tiles import region_tiles
from pipelines.targets import load_targets
from reach.dashboard import create_dashboard
from support.access import start_signed_in
from support.browser import open_table_views, rendered, url_query
from support.marts import MartBuilder, home_with_marts

TIMEOUT = 60
JANUARY = "?preset=custom&from=2023-01-01&to=2023-01-31"
COMPARISON = next(chart for chart in overview.CHARTS if chart.id == "centre-comparison")
MAP = next(chart for chart in reach.CHARTS if chart.id == "reach-district")
TARGETS = """
centres:
  ULK:
    - {code: U/1, name_cs: u, name_en: u, period_from: 2023-01-01, period_to: 2023-12-31,
       targets: {clients_reached: 365}}
  LBK:
    - {code: L/1, name_cs: l, name_en: l, period_from: 2023-01-01, period_to: 2023-12-31,
       targets: {clients_reached: 730}}
"""
ULK_LABEL, LBK_LABEL = "ULK · Ústecký kraj", "LBK · Liberecký kraj"


@pytest.fixture(scope="module")
def two_centres(tmp_path_factory: pytest.TempPathFactory) -> tuple[Home, Path]:
    root = tmp_path_factory.mktemp("national")
    marts = MartBuilder("ULK")
    for index in range(7):
        registered = date(2022, 6, 1) if index == 5 else date(2023, 1, 2)
        district = "CZ0513" if index == 6 else "CZ0427"
        marts.client(f"u{index}", registered_on=registered, district=district)
        marts.contact(f"uc{index}", f"u{index}", date(2023, 1, 9))
    marts.centre = "LBK"
    for index in range(3):
        marts.client(f"l{index}", registered_on=date(2023, 1, 3), district="CZ0513")
        marts.contact(f"lc{index}", f"l{index}", date(2023, 1, 10), branch="Liberec")
    home = home_with_marts(root / "home", marts, foreign_residents={"CZ042": 2000, "CZ051": 1500})
    targets = root / "targets.yaml"
    targets.write_text(TARGETS, encoding="utf-8")
    return home, targets


def _context(home: Home, targets: Path | None, page: str = "/", search: str = JANUARY,
             scope: Scope = EVERYTHING, protection: Protection = Protection.EXACT):
    board = Board(WarehouseSource(home), load_targets(targets), None)
    return board.context(board.with_default_period(parse_view(page, search), scope), protection, scope)


def _rows(chart, context) -> dict[str, tuple[str, ...]]:
    return {row.label: row.cells for row in chart_table(chart.draw(chart.load(context), context), "cs").rows}


def _card_ids(content: list) -> list[str]:
    return [card.id for card in content[-1].children]


def test_the_comparison_of_centres_shows_each_centres_figures(two_centres) -> None:
    home, targets = two_centres
    context = _context(home, targets)
    rows = _rows(COMPARISON, context)
    assert rows == {ULK_LABEL: ("7", "6", "3,0", "23\u00a0%"), LBK_LABEL: ("3", "3", "2,0", "5\u00a0%")}
    assert "Plnění cíle oslovených" in chart_table(COMPARISON.draw(COMPARISON.load(context), context), "cs").columns
    context_en = _context(home, targets, search=JANUARY + "&lang=en")
    drawn_en = chart_table(COMPARISON.draw(COMPARISON.load(context_en), context_en), "en")
    assert "Reach per 1,000 foreign residents" in drawn_en.columns
    assert {row.label: row.cells for row in drawn_en.rows}["ULK · Ústí nad Labem Region"][2] == "3.0"
    assert "card-centre-comparison" in _card_ids(render_content(context))
    # Under a filter the targets (of whole centres) are not judged: no fulfilment, the figures filtered.
    filtered = _rows(COMPARISON, _context(home, targets, search=JANUARY + "&district=CZ0513"))
    assert filtered == {ULK_LABEL: ("1", "1", "—", "—"), LBK_LABEL: ("3", "3", "2,0", "—")}


def test_the_comparison_is_protected_as_the_page(two_centres) -> None:
    home, targets = two_centres
    protected = _context(home, targets, protection=Protection.PROTECTED)
    data = COMPARISON.load(protected)
    expected = protected.figures(("clients_reached", "new_clients"), ("centre",)).frame.sort("centre")
    assert data.frame.sort("centre")["clients_reached"].to_list() == expected["clients_reached"].to_list()
    assert data.frame.sort("centre")["new_clients"].to_list() == expected["new_clients"].to_list()
    assert set(data.published.columns) >= {"centre", "clients_reached", "reach_per_1000_foreign",
                                          "target_fulfilment"}


def test_the_centre_filter_changes_the_figures_and_leaves_no_comparison(two_centres) -> None:
    home, targets = two_centres
    both = render_content(_context(home, targets))
    lbk = render_content(_context(home, targets, search=JANUARY + "&centre=LBK"))
    assert "card-centre-comparison" not in _card_ids(lbk)
    assert _kpi(both, "clients_reached") == "10" and _kpi(lbk, "clients_reached") == "3"
    # A coordinator of one centre sees the Overview of one centre: no comparison either.
    own = render_content(_context(home, targets, scope=Scope(frozenset({"ULK"}))))
    assert "card-centre-comparison" not in _card_ids(own) and _kpi(own, "clients_reached") == "7"


def _kpi(content: list, metric: str) -> str:
    def find(component):
        if getattr(component, "id", None) == f"kpi-value-{metric}":
            return component.children
        children = getattr(component, "children", None)
        for child in children if isinstance(children, list) else [children]:
            if child is not None and not isinstance(child, str):
                found = find(child)
                if found is not None:
                    return found
        return None
    return find(content[0])


def test_the_map_shows_the_regions_and_drills_down_to_a_regions_districts(two_centres) -> None:
    home, targets = two_centres
    context = _context(home, targets, page="/reach")
    figure = MAP.draw(MAP.load(context), context)
    (tiles,) = [trace for trace in figure.data if trace.customdata is not None]
    assert [tuple(pair) for pair in tiles.customdata] == [("region", code) for code in region_tiles()]
    assert len(region_tiles()) == 14 and not [trace for trace in figure.data if "geo" in trace.type]
    rows = _rows(MAP, context)
    assert rows["Ústecký kraj"] == ("6",) and rows["Liberecký kraj"] == ("4",) and rows["Zlínský kraj"] == ("—",)
    # A click sets the region filter: the map draws that region's districts.
    drilled = _context(home, targets, page="/reach", search=JANUARY + "&region=CZ051")
    figure = MAP.draw(MAP.load(drilled), drilled)
    (tiles,) = [trace for trace in figure.data if trace.customdata is not None]
    assert [pair[1] for pair in tiles.customdata] == [d.code for d in districts_of_region("CZ051")
                                                       if d.code in {p[1] for p in tiles.customdata}]
    assert {pair[1] for pair in tiles.customdata} == {d.code for d in districts_of_region("CZ051")}
    assert _rows(MAP, drilled)["Liberec"] == ("4",)
    # One centre's view (the centre filter): the district map of its region, as with one centre loaded.
    ulk = _context(home, targets, page="/reach", search=JANUARY + "&centre=ULK")
    (tiles,) = [trace for trace in MAP.draw(MAP.load(ulk), ulk).data if trace.customdata is not None]
    assert {pair[0] for pair in tiles.customdata} == {"district"}
    assert "CZ0427" in {pair[1] for pair in tiles.customdata}


def test_one_centre_loaded_the_overview_and_map_are_as_before(published_home: Home) -> None:
    overview_content = render_content(_context(published_home, None, search=""))
    assert "card-centre-comparison" not in _card_ids(overview_content)
    assert _card_ids(overview_content) == ["card-project-to-date", "card-trend-target-group"]
    context = _context(published_home, None, page="/reach", search="")
    (tiles,) = [trace for trace in MAP.draw(MAP.load(context), context).data if trace.customdata is not None]
    assert {pair[1] for pair in tiles.customdata} == {d.code for d in districts_of_region("CZ042")}


# --- in a real headless Chromium ---------------------------------------------------------------------------






def _customdata(dash_duo: DashComposite, chart: str) -> list[list[str]]:
    """The click targets of a chart as drawn in the browser (its tiles' [dimension, code])."""
    return dash_duo.driver.execute_script(
        "const plot = document.querySelector(arguments[0]);"
        "return plot ? plot.data.filter(t => t.customdata).flatMap(t => t.customdata) : null;",
        f"#card-{chart} .js-plotly-plot")


def _table_rows(dash_duo: DashComposite, chart: str) -> dict[str, tuple[str, ...]]:
    rows = {}
    for row in dash_duo.driver.find_elements(By.CSS_SELECTOR, f"#card-{chart} .chart-data tbody tr"):
        cells = [c.get_attribute("textContent").strip() for c in row.find_elements(By.CSS_SELECTOR, "th, td")]
        rows[cells[0]] = tuple(cells[1:])
    return rows


@pytest.fixture
def national(dash_duo: DashComposite, two_centres, monkeypatch: pytest.MonkeyPatch,
             ) -> tuple[DashComposite, Home, Path]:
    home, targets = two_centres
    monkeypatch.setenv("REACH_TARGETS", str(targets))  # the dashboard reads its targets once, when made
    start_signed_in(dash_duo, create_dashboard(home), home)
    return dash_duo, home, targets


@pytest.mark.browser
def test_the_browser_shows_the_comparison_and_the_centre_filter_changes_it(national) -> None:
    board, home, targets = national
    board.driver.get(board.server_url + "/" + JANUARY)
    rendered(board)
    # So few people are "too few" when protected: the admin switches protection off to see the figures.
    board.driver.find_element(By.CSS_SELECTOR, "#privacy input").click()
    board.wait_for_text_to_equal("#privacy-label", t("privacy_off", "cs"), timeout=TIMEOUT)
    rendered(board)
    open_table_views(board, "#table-view-centre-comparison")
    WebDriverWait(board.driver, TIMEOUT).until(lambda d: _table_rows(board, "centre-comparison"))
    expected = _rows(COMPARISON, _context(home, targets))  # exact, as the metric layer gives them
    assert _table_rows(board, "centre-comparison") == expected
    assert expected[ULK_LABEL] == ("7", "6", "3,0", "23\u00a0%") and set(expected) == {ULK_LABEL, LBK_LABEL}
    board.wait_for_text_to_equal("#kpi-value-clients_reached", "10", timeout=TIMEOUT)
    assert board.find_element("#filter-box-centre").is_displayed()
    # The centre filter (chosen in its dropdown): one centre's figures, no comparison, in the URL.
    board.find_element("#filter-centre").click()
    option = WebDriverWait(board.driver, TIMEOUT).until(lambda d: d.find_element(
        By.XPATH, f"//*[contains(@class, 'dash-dropdown-option') and normalize-space(.)='{LBK_LABEL}']"))
    option.click()
    WebDriverWait(board.driver, TIMEOUT).until(lambda d: url_query(board).get("centre") == ["LBK"])
    board.wait_for_text_to_equal("#kpi-value-clients_reached", "3", timeout=TIMEOUT)
    rendered(board)
    assert not board.driver.find_elements(By.ID, "card-centre-comparison")
    assert board.get_logs() == []


@pytest.mark.browser
def test_the_browser_draws_the_regions_and_a_click_drills_down(national) -> None:
    board, _, _ = national
    board.driver.get(board.server_url + "/reach" + JANUARY)
    rendered(board)
    wait = WebDriverWait(board.driver, TIMEOUT)
    wait.until(lambda d: _customdata(board, "reach-district"))
    assert _customdata(board, "reach-district") == [["region", code] for code in region_tiles()]
    liberec = list(region_tiles()).index("CZ051")
    points = board.driver.find_elements(By.CSS_SELECTOR, "#card-reach-district .js-plotly-plot .scatterlayer .point")
    ActionChains(board.driver).move_to_element(points[liberec]).click().perform()
    wait.until(lambda d: url_query(board).get("region") == ["CZ051"])
    rendered(board)
    districts = {d.code for d in districts_of_region("CZ051")}
    wait.until(lambda d: {code for _, code in _customdata(board, "reach-district") or []} == districts)
    assert "Liberecký kraj" in board.find_element("#filter-region").text
    assert board.get_logs() == []


@pytest.mark.browser
def test_a_link_with_a_centre_and_a_region_restores_the_view(national) -> None:
    board, _, _ = national
    board.driver.get(board.server_url + "/reach" + JANUARY + "&centre=ULK&region=CZ042&lang=en")
    rendered(board)
    board.wait_for_contains_text("#filter-centre", "ULK", timeout=TIMEOUT)
    assert "Ústí nad Labem Region" in board.find_element("#filter-region").text
    assert board.find_element("#nav-reach").get_attribute("class").endswith("active")
    WebDriverWait(board.driver, TIMEOUT).until(lambda d: _customdata(board, "reach-district"))
    assert {code for _, code in _customdata(board, "reach-district")} == {
        d.code for d in districts_of_region("CZ042")}
    assert url_query(board)["centre"] == ["ULK"] and url_query(board)["region"] == ["CZ042"]
    assert board.get_logs() == []


@pytest.mark.browser
def test_the_browser_shows_one_centre_as_before(dash_duo: DashComposite, published_home: Home) -> None:
    start_signed_in(dash_duo, create_dashboard(published_home), published_home)
    dash_duo.driver.get(dash_duo.server_url + "/")
    rendered(dash_duo)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: d.find_elements(By.ID, "card-project-to-date"))
    assert not dash_duo.driver.find_elements(By.ID, "card-centre-comparison")
    # No centre widget: the centre filter would offer the one centre there is.
    WebDriverWait(dash_duo.driver, TIMEOUT).until(
        lambda d: not d.find_element(By.ID, "filter-box-centre").is_displayed())
    dash_duo.driver.get(dash_duo.server_url + "/reach")
    rendered(dash_duo)
    WebDriverWait(dash_duo.driver, TIMEOUT).until(lambda d: _customdata(dash_duo, "reach-district"))
    assert {code for _, code in _customdata(dash_duo, "reach-district")} == {
        d.code for d in districts_of_region("CZ042")}
    assert dash_duo.get_logs() == []


def _axe_on(board: DashComposite, selector: str) -> list[dict]:
    """axe-core's violations within one element (the new cards; the page around them is tests/accessibility's)."""
    board.driver.execute_script(AXE_SCRIPT.read_text(encoding="utf-8"))
    board.driver.set_script_timeout(TIMEOUT)
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return board.driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        f"axe.run({json.dumps({'include': [[selector]]})}, {options}).then(function (r) {{ done(r.violations); }},"
        " function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });")


@pytest.mark.browser
def test_the_national_overview_and_regions_map_are_axe_clean(national) -> None:
    board, _, _ = national
    board.driver.get(board.server_url + "/" + JANUARY)
    rendered(board)
    board.driver.find_element(By.CSS_SELECTOR, "#privacy input").click()  # the comparison with its figures
    board.wait_for_text_to_equal("#privacy-label", t("privacy_off", "cs"), timeout=TIMEOUT)
    problems = []
    for path, card in (("/", "card-centre-comparison"), ("/reach", "card-reach-district")):
        board.driver.get(board.server_url + path + JANUARY + "&lang=en")
        rendered(board)
        WebDriverWait(board.driver, TIMEOUT).until(lambda d, card=card: d.find_elements(By.ID, card))
        open_table_views(board)
        problems += [v for v in _axe_on(board, f"#{card}") if v["impact"] in FAILING_IMPACTS]
    assert not problems, describe(problems)
    assert board.get_logs() == []
